//! The `sub` claim HCP Terraform puts in a run's token, the patterns a trust policy matches it
//! with, and IAM's `StringLike` matching rules (`*`, `?`, and the `${*}`/`${?}`/`${$}` escapes).

mod pattern;

pub use pattern::{
    admits_both_phases, admits_many_workspaces, admits_plan, org_part, organization_unpinned,
    workspace_key, workspace_pattern, OrgPart, WorkspacePattern,
};

use super::Phase;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether `subjects` (of one role) are all a Stack's (`…:stack:S:deployment:D:operation:X`).
pub fn for_stack<S: AsRef<str>>(subjects: &[S]) -> bool {
    !subjects.is_empty()
        && subjects.iter().all(|s| {
            matches!(
                RunSubject::parse(s.as_ref()),
                Some(RunSubject::Stack { .. })
            )
        })
}

/// Which runs of a project a pattern admits: a workspace, every workspace, or a Stack's
/// deployments (Stack tokens name the Stack and deployment where workspace tokens name the
/// workspace).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkspaceScope {
    Named(String),
    /// Every workspace in the project (`workspace:*`).
    All,
    /// A Stack's deployment, or every deployment (`deployment:*`).
    Stack {
        name: String,
        deployment: Option<String>,
    },
}

/// One `sub` pattern: organization, project, workspace scope and phase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SubjectPattern {
    pub organization: String,
    pub project: String,
    pub workspace: WorkspaceScope,
    pub phase: Phase,
}

impl SubjectPattern {
    /// The pattern as it goes into a trust policy, names escaped for `StringLike`.
    pub fn to_pattern(&self) -> String {
        let ws = match &self.workspace {
            WorkspaceScope::Named(name) => escape(name),
            WorkspaceScope::All => "*".to_string(),
            WorkspaceScope::Stack { name, deployment } => {
                return format!(
                    "organization:{}:project:{}:stack:{}:deployment:{}:operation:{}",
                    escape(&self.organization),
                    escape(&self.project),
                    escape(name),
                    deployment.as_deref().map_or("*".to_string(), escape),
                    self.phase.pattern()
                );
            }
        };
        format!(
            "organization:{}:project:{}:workspace:{}:run_phase:{}",
            escape(&self.organization),
            escape(&self.project),
            ws,
            self.phase.pattern()
        )
    }
}

impl fmt::Display for SubjectPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_pattern())
    }
}

/// The exact `sub` a workspace run's token carries.
pub fn token_subject(org: &str, project: &str, workspace: &str, phase: &str) -> String {
    format!("organization:{org}:project:{project}:workspace:{workspace}:run_phase:{phase}")
}

/// The `sub` of one token: a workspace run's or a Stack deployment's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RunSubject {
    /// `organization:O:project:P:workspace:W:run_phase:plan|apply`.
    Workspace {
        organization: String,
        project: String,
        workspace: String,
        phase: String,
    },
    /// `organization:O:project:P:stack:S:deployment:D:operation:plan|apply`.
    Stack {
        organization: String,
        project: String,
        stack: String,
        deployment: String,
        operation: String,
    },
}

/// The longest `sub` HCP Terraform issues for a Stack deployment.
pub const STACK_SUBJECT_MAX: usize = 127;

impl RunSubject {
    /// The `sub` claim, exactly as HCP Terraform writes it (names are not escaped).
    pub fn to_sub(&self) -> String {
        match self {
            RunSubject::Workspace {
                organization,
                project,
                workspace,
                phase,
            } => token_subject(organization, project, workspace, phase),
            RunSubject::Stack {
                organization,
                project,
                stack,
                deployment,
                operation,
            } => format!(
                "organization:{organization}:project:{project}:stack:{stack}:deployment:{deployment}:operation:{operation}"
            ),
        }
    }

    /// Reads a `sub` back into its parts. Names may contain `:` only in ways the fixed labels
    /// leave unambiguous; anything else is `None`.
    pub fn parse(sub: &str) -> Option<RunSubject> {
        let rest = sub.strip_prefix("organization:")?;
        let (organization, rest) = rest.split_once(":project:")?;
        if let Some((project, rest)) = rest.split_once(":workspace:") {
            let (workspace, phase) = rest.rsplit_once(":run_phase:")?;
            return Some(RunSubject::Workspace {
                organization: organization.into(),
                project: project.into(),
                workspace: workspace.into(),
                phase: phase.into(),
            });
        }
        let (project, rest) = rest.split_once(":stack:")?;
        let (stack, rest) = rest.split_once(":deployment:")?;
        let (deployment, operation) = rest.rsplit_once(":operation:")?;
        Some(RunSubject::Stack {
            organization: organization.into(),
            project: project.into(),
            stack: stack.into(),
            deployment: deployment.into(),
            operation: operation.into(),
        })
    }

    pub fn organization(&self) -> &str {
        match self {
            RunSubject::Workspace { organization, .. } | RunSubject::Stack { organization, .. } => {
                organization
            }
        }
    }

    pub fn project(&self) -> &str {
        match self {
            RunSubject::Workspace { project, .. } | RunSubject::Stack { project, .. } => project,
        }
    }
}

impl fmt::Display for RunSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_sub())
    }
}

/// Escapes IAM's wildcard and variable characters so a name matches only itself.
pub fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '*' => out.push_str("${*}"),
            '?' => out.push_str("${?}"),
            '$' => out.push_str("${$}"),
            c => out.push(c),
        }
    }
    out
}

/// Undoes [`escape`]: IAM's `${*}`, `${?}` and `${$}` back to `*`, `?` and `$`.
pub fn unescape(text: &str) -> String {
    text.replace("${*}", "*")
        .replace("${?}", "?")
        .replace("${$}", "$")
}

/// One element of a parsed `StringLike` pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Literal(char),
    AnyRun,
    AnyOne,
}

fn tokenize(pattern: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        let escaped = ["${*}", "${?}", "${$}"]
            .iter()
            .find(|e| rest.starts_with(**e));
        if let Some(e) = escaped {
            out.push(Token::Literal(e.chars().nth(2).unwrap_or('$')));
            rest = &rest[e.len()..];
            continue;
        }
        out.push(match c {
            '*' => Token::AnyRun,
            '?' => Token::AnyOne,
            c => Token::Literal(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// IAM `StringLike`: `*` matches any run of characters (also `:`), `?` exactly one; the escapes
/// match their literal character. Case-sensitive, like IAM.
pub fn string_like(pattern: &str, value: &str) -> bool {
    let tokens = tokenize(pattern);
    let chars: Vec<char> = value.chars().collect();
    // Iterative wildcard matching with backtracking to the last `*`: linear in practice.
    let (mut t, mut v) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while v < chars.len() {
        match tokens.get(t) {
            Some(Token::Literal(c)) if *c == chars[v] => {
                t += 1;
                v += 1;
            }
            Some(Token::AnyOne) => {
                t += 1;
                v += 1;
            }
            Some(Token::AnyRun) => {
                star = Some((t, v));
                t += 1;
            }
            _ => match star {
                Some((st, sv)) => {
                    t = st + 1;
                    v = sv + 1;
                    star = Some((st, sv + 1));
                }
                None => return false,
            },
        }
    }
    tokens[t..].iter().all(|tok| *tok == Token::AnyRun)
}

/// Whether a pattern contains a wildcard (unescaped `*` or `?`).
pub fn has_wildcard(pattern: &str) -> bool {
    tokenize(pattern)
        .iter()
        .any(|t| matches!(t, Token::AnyRun | Token::AnyOne))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_subjects_are_told_from_workspaces_named_stack() {
        let stack = "organization:o:project:p:stack:s:deployment:*:operation:*";
        let named_stack = "organization:o:project:p:workspace:stack:run_phase:*";
        assert!(for_stack(&[stack]));
        assert!(!for_stack(&[named_stack]), "a workspace named stack");
        assert!(!for_stack::<&str>(&[]));
    }
    use proptest::prelude::*;

    fn pattern(org: &str, project: &str, ws: Option<&str>, phase: Phase) -> SubjectPattern {
        SubjectPattern {
            organization: org.into(),
            project: project.into(),
            workspace: ws.map_or(WorkspaceScope::All, |w| WorkspaceScope::Named(w.into())),
            phase,
        }
    }

    #[test]
    fn spec_form() {
        let p = pattern("acme", "Default Project", Some("net"), Phase::Run);
        assert_eq!(
            p.to_pattern(),
            "organization:acme:project:Default Project:workspace:net:run_phase:*"
        );
        let p = pattern("acme", "p", None, Phase::Plan);
        assert_eq!(
            p.to_pattern(),
            "organization:acme:project:p:workspace:*:run_phase:plan"
        );
    }

    #[test]
    fn run_subjects_round_trip() {
        let ws = RunSubject::Workspace {
            organization: "acme".into(),
            project: "Default Project".into(),
            workspace: "net".into(),
            phase: "apply".into(),
        };
        assert_eq!(
            ws.to_sub(),
            "organization:acme:project:Default Project:workspace:net:run_phase:apply"
        );
        assert_eq!(RunSubject::parse(&ws.to_sub()), Some(ws));
        let st = RunSubject::Stack {
            organization: "acme".into(),
            project: "p".into(),
            stack: "s".into(),
            deployment: "staging".into(),
            operation: "plan".into(),
        };
        assert_eq!(
            st.to_sub(),
            "organization:acme:project:p:stack:s:deployment:staging:operation:plan"
        );
        assert_eq!(RunSubject::parse(&st.to_sub()), Some(st));
        assert_eq!(RunSubject::parse("repo:x"), None);
    }

    #[test]
    fn escapes_wildcards() {
        assert_eq!(escape("a*b?c$"), "a${*}b${?}c${$}");
        assert!(string_like("a${*}b", "a*b"));
        assert!(!string_like("a${*}b", "axxb"));
        assert!(string_like("a${?}", "a?"));
        assert!(!string_like("a${?}", "ab"));
    }

    #[test]
    fn like_semantics() {
        assert!(string_like("*", ""));
        assert!(string_like("a*", "a:b:c"));
        assert!(string_like("a?c", "abc"));
        assert!(!string_like("a?c", "ac"));
        assert!(string_like("*x*y", "axbxy"));
        assert!(!string_like("organization:acme*", "organization:acm"));
        assert!(string_like(
            "organization:acme*",
            "organization:acme-evil:x"
        ));
        assert!(has_wildcard("a*"));
        assert!(!has_wildcard("a${*}"));
    }

    fn name() -> impl Strategy<Value = String> {
        "[A-Za-z0-9_-]{1,20}"
    }
    fn project_name() -> impl Strategy<Value = String> {
        "[A-Za-z0-9_-][A-Za-z0-9 _-]{0,18}[A-Za-z0-9_-]"
    }
    fn phase() -> impl Strategy<Value = Phase> {
        prop_oneof![Just(Phase::Run), Just(Phase::Plan), Just(Phase::Apply)]
    }

    proptest! {
        /// Every generated pattern admits its own workspace and pins the organization.
        #[test]
        fn patterns_pin_the_organization(
            org in name(), other in name(), project in project_name(), ws in name(),
            all in any::<bool>(), phase in phase(), tok_phase in prop_oneof![Just("plan"), Just("apply")],
        ) {
            let p = pattern(&org, &project, if all { None } else { Some(&ws) }, phase).to_pattern();
            let admits = phase.concrete().contains(&tok_phase);
            prop_assert_eq!(string_like(&p, &token_subject(&org, &project, &ws, tok_phase)), admits);
            if other != org {
                prop_assert!(!string_like(&p, &token_subject(&other, &project, &ws, tok_phase)));
                // A longer name with the same prefix must not slip through either.
                let longer = format!("{org}{other}");
                prop_assert!(!string_like(&p, &token_subject(&longer, &project, &ws, tok_phase)));
            }
        }

        /// Named patterns admit exactly their workspace, even with wildcard characters in names.
        #[test]
        fn named_patterns_are_exact(org in name(), project in project_name(), ws in "[A-Za-z0-9*?$_-]{1,12}", other in "[A-Za-z0-9*?$_-]{1,12}") {
            let p = pattern(&org, &project, Some(&ws), Phase::Run).to_pattern();
            prop_assert!(string_like(&p, &token_subject(&org, &project, &ws, "apply")));
            if other != ws {
                prop_assert!(!string_like(&p, &token_subject(&org, &project, &other, "apply")));
            }
        }
    }
}
