//! Subject patterns with holes for the names, so exported code can take the organization,
//! project and workspace names as parameters. The form comes from
//! [`SubjectPattern::to_pattern`] itself (a pattern built from marker names is cut at the
//! markers), so the export never spells the `sub` format a second time.

use crate::core::trust::subject::{SubjectPattern, WorkspaceScope};
use crate::core::trust::Phase;

/// Which name a hole stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRef {
    Organization,
    Project,
    /// The workspace of a named-workspace pattern.
    Workspace,
    /// The Stack of a Stack pattern.
    Stack,
    /// The deployment of a named-deployment Stack pattern.
    Deployment,
}

/// Which runs a template's patterns admit (the form of [`crate::core::trust::subject::WorkspaceScope`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    /// One named workspace per pattern.
    Workspace,
    /// Every workspace of the project (`workspace:*`).
    AllWorkspaces,
    /// A Stack: one named deployment per pattern, or every deployment (`deployment:*`).
    Stack { per_deployment: bool },
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

const MARKERS: [(&str, NameRef); 5] = [
    ("\u{0}organization\u{0}", NameRef::Organization),
    ("\u{0}project\u{0}", NameRef::Project),
    ("\u{0}workspace\u{0}", NameRef::Workspace),
    ("\u{0}stack\u{0}", NameRef::Stack),
    ("\u{0}deployment\u{0}", NameRef::Deployment),
];

impl SubjectTemplate {
    /// The template of every pattern of `kind` for `phase`.
    pub fn new(kind: TemplateKind, phase: Phase) -> SubjectTemplate {
        let workspace = match kind {
            TemplateKind::Workspace => WorkspaceScope::Named(MARKERS[2].0.to_string()),
            TemplateKind::AllWorkspaces => WorkspaceScope::All,
            TemplateKind::Stack { per_deployment } => WorkspaceScope::Stack {
                name: MARKERS[3].0.to_string(),
                deployment: per_deployment.then(|| MARKERS[4].0.to_string()),
            },
        };
        let probe = SubjectPattern {
            organization: MARKERS[0].0.to_string(),
            project: MARKERS[1].0.to_string(),
            workspace,
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

    /// The pattern with each hole filled with `name(hole)`, as IAM would see it once the names
    /// are substituted (names are substituted as they are: valid names hold no `*`, `?` or `$`
    /// to escape).
    pub fn fill<'n>(&self, name: impl Fn(NameRef) -> &'n str) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Name(hole) => out.push_str(name(*hole)),
            }
        }
        out
    }

    /// Whether the template has a hole for one workspace or deployment (a pattern per name).
    pub fn has_workspace(&self) -> bool {
        self.parts.contains(&Part::Name(NameRef::Workspace))
            || self.parts.contains(&Part::Name(NameRef::Deployment))
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
        let t = SubjectTemplate::new(TemplateKind::Workspace, Phase::Plan);
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
        let names = |hole| match hole {
            NameRef::Organization => "acme",
            NameRef::Project => "Default Project",
            _ => "net",
        };
        assert_eq!(t.fill(names), p.to_pattern());
        let all = SubjectTemplate::new(TemplateKind::AllWorkspaces, Phase::Run);
        assert!(!all.has_workspace());
        assert_eq!(
            tag_hole("tfc-oidc:organization"),
            Some(NameRef::Organization)
        );
        assert_eq!(tag_hole("tfc-oidc:project"), Some(NameRef::Project));
        assert_eq!(tag_hole("managed-by"), None);
        assert_eq!(
            all.fill(|hole| match hole {
                NameRef::Organization => "acme",
                _ => "platform",
            }),
            "organization:acme:project:platform:workspace:*:run_phase:*"
        );
        for per_deployment in [true, false] {
            let stack = SubjectTemplate::new(TemplateKind::Stack { per_deployment }, Phase::Run);
            assert_eq!(stack.has_workspace(), per_deployment);
            let p = SubjectPattern {
                organization: "acme".into(),
                project: "platform".into(),
                workspace: WorkspaceScope::Stack {
                    name: "net".into(),
                    deployment: per_deployment.then(|| "prod".to_string()),
                },
                phase: Phase::Run,
            };
            let filled = stack.fill(|hole| match hole {
                NameRef::Organization => "acme",
                NameRef::Project => "platform",
                NameRef::Stack => "net",
                _ => "prod",
            });
            assert_eq!(filled, p.to_pattern());
        }
    }
}
