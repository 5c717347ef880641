//! Subject patterns with holes for the names, so exported code can take the organization,
//! project and workspace names as parameters. The form comes from
//! [`SubjectPattern::to_pattern`] itself (a pattern built from marker names is cut at the
//! markers), so the export never spells the `sub` format a second time.

use crate::core::subject::{Phase, SubjectPattern, WorkspaceScope};

/// Which name a hole stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRef {
    Organization,
    Project,
    /// The workspace of a named-workspace pattern.
    Workspace,
}

/// A piece of a subject template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text, exactly as it goes into the pattern.
    Text(String),
    Name(NameRef),
}

/// A subject pattern with its names left as holes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectTemplate {
    pub parts: Vec<Part>,
}

const MARKERS: [(&str, NameRef); 3] = [
    ("\u{0}organization\u{0}", NameRef::Organization),
    ("\u{0}project\u{0}", NameRef::Project),
    ("\u{0}workspace\u{0}", NameRef::Workspace),
];

impl SubjectTemplate {
    /// The template of every pattern for `phase`: with a workspace hole when `named`, else the
    /// whole project (`workspace:*`).
    pub fn new(named: bool, phase: Phase) -> SubjectTemplate {
        let probe = SubjectPattern {
            organization: MARKERS[0].0.to_string(),
            project: MARKERS[1].0.to_string(),
            workspace: if named {
                WorkspaceScope::Named(MARKERS[2].0.to_string())
            } else {
                WorkspaceScope::All
            },
            phase,
        };
        let mut rest = probe.to_pattern();
        let mut parts = Vec::new();
        while !rest.is_empty() {
            let next = MARKERS
                .iter()
                .filter_map(|(m, name)| rest.find(m).map(|at| (at, *m, *name)))
                .min_by_key(|(at, _, _)| *at);
            match next {
                Some((at, marker, name)) => {
                    if at > 0 {
                        parts.push(Part::Text(rest[..at].to_string()));
                    }
                    parts.push(Part::Name(name));
                    rest = rest[at + marker.len()..].to_string();
                }
                None => {
                    parts.push(Part::Text(rest));
                    rest = String::new();
                }
            }
        }
        SubjectTemplate { parts }
    }

    /// The pattern with the holes filled in, as IAM would see it once the names are substituted
    /// (names are substituted as they are: valid names hold no `*`, `?` or `$` to escape).
    pub fn fill(&self, organization: &str, project: &str, workspace: Option<&str>) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.as_str(),
                Part::Name(NameRef::Organization) => organization,
                Part::Name(NameRef::Project) => project,
                Part::Name(NameRef::Workspace) => workspace.unwrap_or_default(),
            })
            .collect()
    }

    /// Whether the template has a workspace hole.
    pub fn has_workspace(&self) -> bool {
        self.parts.contains(&Part::Name(NameRef::Workspace))
    }
}

/// Which name a managed tag's value is (`tfc-oidc:organization` holds the organization), from
/// [`crate::core::plan::managed_tags`] itself: tags built from marker names show where each goes.
pub fn tag_hole(key: &str) -> Option<NameRef> {
    let probe = crate::core::plan::managed_tags(MARKERS[0].0, MARKERS[1].0);
    let tag = probe.iter().find(|t| t.key == key)?;
    MARKERS
        .iter()
        .find(|(m, _)| tag.value == *m)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_follow_to_pattern() {
        let t = SubjectTemplate::new(true, Phase::Plan);
        assert_eq!(
            t.parts,
            [
                Part::Text("organization:".into()),
                Part::Name(NameRef::Organization),
                Part::Text(":project:".into()),
                Part::Name(NameRef::Project),
                Part::Text(":workspace:".into()),
                Part::Name(NameRef::Workspace),
                Part::Text(":run_phase:plan".into()),
            ]
        );
        let p = SubjectPattern {
            organization: "acme".into(),
            project: "Default Project".into(),
            workspace: WorkspaceScope::Named("net".into()),
            phase: Phase::Plan,
        };
        assert_eq!(
            t.fill("acme", "Default Project", Some("net")),
            p.to_pattern()
        );
        let all = SubjectTemplate::new(false, Phase::Run);
        assert!(!all.has_workspace());
        assert_eq!(
            tag_hole("tfc-oidc:organization"),
            Some(NameRef::Organization)
        );
        assert_eq!(tag_hole("tfc-oidc:project"), Some(NameRef::Project));
        assert_eq!(tag_hole("managed-by"), None);
        assert_eq!(
            all.fill("acme", "platform", None),
            "organization:acme:project:platform:workspace:*:run_phase:*"
        );
    }
}
