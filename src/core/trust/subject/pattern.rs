//! Reading `sub` patterns of a trust policy back into their parts (organization, project,
//! workspace, run phase), with IAM's wildcard rules: the inverse of
//! [`SubjectPattern::to_pattern`](super::SubjectPattern::to_pattern) for patterns anyone wrote.
//! `review` (TFCOIDC002, 009, 010, 012) and the broad-trust check
//! ([`broad_trust`](crate::core::trust::broad_trust)) read patterns through it.

use super::{has_wildcard, string_like, unescape, RunSubject};

/// What the organization part of a pattern is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgPart {
    /// A literal name (escapes undone).
    Literal(String),
    /// A `*` or `?` reaches into the organization: other organizations match.
    Wildcard,
    /// The pattern cannot match an HCP Terraform subject at all (e.g. `repo:…`).
    Foreign,
}

/// The organization part of a `StringLike` pattern.
pub fn org_part(pattern: &str) -> OrgPart {
    const PREFIX: &str = "organization:";
    if let Some(rest) = pattern.strip_prefix(PREFIX) {
        let name = rest.split(':').next().unwrap_or_default();
        return if has_wildcard(name) || name.is_empty() && has_wildcard(rest) {
            OrgPart::Wildcard
        } else {
            OrgPart::Literal(unescape(name))
        };
    }
    // No literal prefix: a wildcard before `organization:` is complete admits any organization.
    let first_wild = pattern.find(['*', '?']);
    match first_wild {
        Some(i) if PREFIX.starts_with(&pattern[..i]) && has_wildcard(pattern) => OrgPart::Wildcard,
        _ => OrgPart::Foreign,
    }
}

/// Whether the pattern fails to pin one organization: its organization part has a wildcard, or it
/// has a wildcard and no `organization:NAME:` form at all (such a pattern is not trusted to
/// exclude other organizations, even where it could not match an HCP Terraform subject).
pub fn organization_unpinned(pattern: &str) -> bool {
    match org_part(pattern) {
        OrgPart::Wildcard => true,
        OrgPart::Foreign => has_wildcard(pattern),
        OrgPart::Literal(_) => false,
    }
}

/// A workspace pattern's parts as written (still escaped), when it has the usual shape
/// `organization:O:project:P:workspace:W:run_phase:X`, or the legacy one without a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspacePattern {
    pub organization: String,
    pub project: Option<String>,
    pub workspace: String,
    pub phase: String,
}

/// Splits a workspace pattern; `None` for Stack patterns and shapes that do not split cleanly.
pub fn workspace_pattern(pattern: &str) -> Option<WorkspacePattern> {
    if let Some(RunSubject::Workspace {
        organization,
        project,
        workspace,
        phase,
    }) = RunSubject::parse(pattern)
    {
        return Some(WorkspacePattern {
            organization,
            project: Some(project),
            workspace,
            phase,
        });
    }
    let rest = pattern.strip_prefix("organization:")?;
    if rest.contains(":project:") {
        return None;
    }
    let (organization, rest) = rest.split_once(":workspace:")?;
    let (workspace, phase) = rest.rsplit_once(":run_phase:")?;
    Some(WorkspacePattern {
        organization: organization.into(),
        project: None,
        workspace: workspace.into(),
        phase: phase.into(),
    })
}

/// Whether the pattern admits runs of both phases (`run_phase:*`, or a trailing wildcard).
pub fn admits_both_phases(pattern: &str) -> bool {
    match workspace_pattern(pattern) {
        Some(p) => string_like(&p.phase, "plan") && string_like(&p.phase, "apply"),
        None => pattern.ends_with('*') && !pattern.ends_with("${*}"),
    }
}

/// Whether the pattern admits plan runs.
pub fn admits_plan(pattern: &str) -> bool {
    match workspace_pattern(pattern) {
        Some(p) => string_like(&p.phase, "plan"),
        None => pattern.ends_with('*') && !pattern.ends_with("${*}"),
    }
}

/// Whether the pattern admits more than one workspace (a wildcard in the project or workspace
/// part, or a shape that cannot be split and has a wildcard before its end).
pub fn admits_many_workspaces(pattern: &str) -> bool {
    match workspace_pattern(pattern) {
        Some(p) => has_wildcard(&p.workspace) || p.project.as_deref().is_some_and(has_wildcard),
        None => has_wildcard(pattern),
    }
}

/// The workspace a pattern admits, without its run phase, for counting distinct workspaces.
pub fn workspace_key(pattern: &str) -> String {
    match workspace_pattern(pattern) {
        Some(p) => format!(
            "{}:{}:{}",
            p.organization,
            p.project.unwrap_or_default(),
            p.workspace
        ),
        None => pattern.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_parts() {
        let lit = |s: &str| OrgPart::Literal(s.into());
        assert_eq!(
            org_part("organization:acme:project:p:workspace:*:run_phase:*"),
            lit("acme")
        );
        assert_eq!(org_part("organization:acme${*}:project:p"), lit("acme*"));
        assert_eq!(
            org_part("organization:*:project:p:workspace:w:run_phase:*"),
            OrgPart::Wildcard
        );
        assert_eq!(org_part("organization:acme*"), OrgPart::Wildcard);
        assert_eq!(org_part("organization:ac?e:project:x"), OrgPart::Wildcard);
        assert_eq!(org_part("*:workspace:web:*"), OrgPart::Wildcard);
        assert_eq!(org_part("org*"), OrgPart::Wildcard);
        assert_eq!(org_part("repo:octo/x:*"), OrgPart::Foreign);
        assert_eq!(org_part("organization:*"), OrgPart::Wildcard);
        assert!(organization_unpinned("organization::*"));
        assert!(organization_unpinned("repo:x*"));
        assert!(!organization_unpinned("repo:x"));
        assert!(!organization_unpinned("organization:ac${*}me:project:*"));
        assert_eq!(unescape("a${*}b${?}c${$}"), "a*b?c$");
    }

    #[test]
    fn workspace_parts_and_phases() {
        let p =
            workspace_pattern("organization:o:project:Default Project:workspace:w:run_phase:plan")
                .unwrap();
        assert_eq!(p.project.as_deref(), Some("Default Project"));
        assert_eq!((p.workspace.as_str(), p.phase.as_str()), ("w", "plan"));
        let legacy = workspace_pattern("organization:o:workspace:w:run_phase:*").unwrap();
        assert_eq!(legacy.project, None);
        assert!(
            workspace_pattern("organization:o:project:p:stack:s:deployment:d:operation:*")
                .is_none()
        );
        assert!(admits_both_phases(
            "organization:o:project:p:workspace:w:run_phase:*"
        ));
        assert!(!admits_both_phases(
            "organization:o:project:p:workspace:w:run_phase:apply"
        ));
        assert!(admits_plan(
            "organization:o:project:p:workspace:w:run_phase:p*"
        ));
        assert!(admits_both_phases("organization:o:project:p:*"));
        assert!(admits_many_workspaces(
            "organization:o:project:p:workspace:*:run_phase:plan"
        ));
        assert!(admits_many_workspaces(
            "organization:o:project:*:workspace:w:run_phase:plan"
        ));
        assert!(!admits_many_workspaces(
            "organization:o:project:p:workspace:a${*}:run_phase:*"
        ));
        assert_eq!(
            workspace_key("organization:o:project:p:workspace:w:run_phase:plan"),
            workspace_key("organization:o:project:p:workspace:w:run_phase:apply")
        );
    }
}
