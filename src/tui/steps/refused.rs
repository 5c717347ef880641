//! Choices the planner would refuse, told where they are chosen: a variable set that reaches
//! beyond the chosen workspaces (variables screen) and an existing role whose trust is unreadable
//! or too broad (role screen). The rules are the planner's ([`crate::core::planner`]'s
//! `reach_beyond`, `readable_trust`, `ownership`); this module only puts them in the wizard's
//! words, so a refusal is never first seen on the Review screen in the CLI's flags.

use crate::core::answers::WorkspaceSelection;
use crate::core::planner::{ownership, reach_beyond, readable_trust, Beyond, RoleRefusal};
use crate::core::ports::{Role, VariableSet};
use crate::core::text::counted;
use crate::core::trust::BroadTrust;
use crate::tui::steps::Context;

/// The workspaces chosen on the workspaces screen, as a variable set's reach is judged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChosenWorkspaces {
    /// The project's id when every workspace of it was chosen.
    pub whole_project: Option<String>,
    pub workspace_ids: Vec<String>,
}

impl ChosenWorkspaces {
    /// The selection of `cx`; `ids` are the ids of its workspaces.
    pub fn of(cx: &Context, ids: Vec<String>) -> ChosenWorkspaces {
        let all = matches!(cx.selection, Some(WorkspaceSelection::All));
        ChosenWorkspaces {
            whole_project: all.then(|| cx.project_id.clone()),
            workspace_ids: ids,
        }
    }
}

/// Why variables cannot go on `set`, or `None` when everything it reaches was chosen.
pub fn varset_refusal(set: &VariableSet, chosen: &ChosenWorkspaces) -> Option<String> {
    let beyond = reach_beyond(set, chosen.whole_project.as_deref(), &chosen.workspace_ids);
    if beyond.is_empty() {
        return None;
    }
    let projects = beyond
        .iter()
        .filter(|b| matches!(b, Beyond::Project(_)))
        .count();
    let workspaces = beyond
        .iter()
        .filter(|b| matches!(b, Beyond::Workspace(_)))
        .count();
    let mut reaches = Vec::new();
    if beyond.contains(&Beyond::Global) {
        reaches.push("every workspace of the organization (it is global)".to_string());
    }
    if projects > 0 {
        reaches.push(counted(projects, "other project", "other projects"));
    }
    if workspaces > 0 {
        reaches.push(counted(workspaces, "other workspace", "other workspaces"));
    }
    Some(format!(
        "it also reaches {}, whose runs would get this role too. Choose another set or a new one.",
        reaches.join(" and ")
    ))
}

/// Why the existing `role` cannot be chosen (its trust is unreadable or lets other organizations
/// in), or `None`. `provider_arn` is this host's OIDC provider.
pub fn role_refusal(role: &Role, provider_arn: &str) -> Option<String> {
    let host = provider_arn
        .rsplit_once("oidc-provider/")
        .map_or(provider_arn, |(_, host)| host);
    let why = match readable_trust(role, host, provider_arn).err()? {
        RoleRefusal::Unreadable(reason) => format!("its trust policy cannot be read ({reason})"),
        RoleRefusal::Broad(BroadTrust::NoSubCondition { .. }) => {
            "its trust has no sub condition: runs of any HCP Terraform organization could assume it (TFCOIDC001)".to_string()
        }
        RoleRefusal::Broad(BroadTrust::OrganizationWildcard { pattern, .. }) => format!(
            "its trust admits {pattern}, which runs of other organizations match (TFCOIDC002)"
        ),
    };
    Some(format!(
        "{why}. Narrow its trust first, or choose New role."
    ))
}

/// What choosing the existing `role` means when tfc-oidc did not make it for this organization
/// and project: it is adopted. `None` when it is tfc-oidc's own for them.
pub fn adoption_note(role: &Role, organization: &str, project: &str) -> Option<String> {
    let why = ownership(role, organization, project).err()?;
    Some(format!("It {why}: choosing it adopts it."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::Tag;

    const PROVIDER: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";

    fn role(sub: Option<&str>, tags: &[(&str, &str)]) -> Role {
        let mut condition = serde_json::json!({
            "StringEquals": {"app.terraform.io:aud": "aws.workload.identity"}
        });
        if let Some(sub) = sub {
            condition["StringLike"] = serde_json::json!({ "app.terraform.io:sub": sub });
        }
        let trust = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Federated": PROVIDER},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": condition,
            }]
        });
        Role {
            name: "r".into(),
            arn: "arn:aws:iam::123456789012:role/r".into(),
            id: "AROA1".into(),
            path: "/".into(),
            description: None,
            last_used: None,
            created: None,
            trust_policy: trust.to_string(),
            tags: tags
                .iter()
                .map(|(k, v)| Tag {
                    key: k.to_string(),
                    value: v.to_string(),
                })
                .collect(),
        }
    }

    fn set(global: bool, projects: &[&str], workspaces: &[&str]) -> VariableSet {
        VariableSet {
            id: "varset-1".into(),
            name: "s".into(),
            global,
            project_ids: projects.iter().map(|p| p.to_string()).collect(),
            workspace_ids: workspaces.iter().map(|w| w.to_string()).collect(),
            description: None,
            priority: false,
        }
    }

    #[test]
    fn a_set_reaching_beyond_the_choice_is_refused_in_words() {
        let chosen = ChosenWorkspaces {
            whole_project: None,
            workspace_ids: vec!["ws-a".into()],
        };
        assert_eq!(varset_refusal(&set(false, &[], &["ws-a"]), &chosen), None);
        let text = varset_refusal(&set(false, &["prj-x"], &["ws-a", "ws-b"]), &chosen).unwrap();
        assert!(
            text.starts_with("it also reaches 1 other project and 1 other workspace,"),
            "{text}"
        );
        let global = varset_refusal(&set(true, &[], &[]), &chosen).unwrap();
        assert!(global.contains("(it is global)"), "{global}");
        let whole = ChosenWorkspaces {
            whole_project: Some("prj-x".into()),
            workspace_ids: vec!["ws-a".into()],
        };
        assert_eq!(varset_refusal(&set(false, &["prj-x"], &[]), &whole), None);
    }

    #[test]
    fn a_broad_or_unreadable_trust_is_refused_and_a_foreign_role_adopted() {
        assert!(role_refusal(&role(Some("organization:acme:*"), &[]), PROVIDER).is_none());
        let none = role_refusal(&role(None, &[]), PROVIDER).unwrap();
        assert!(
            none.contains("no sub condition") && none.contains("TFCOIDC001"),
            "{none}"
        );
        let wild = role_refusal(&role(Some("organization:*"), &[]), PROVIDER).unwrap();
        assert!(
            wild.contains("organization:*") && wild.contains("TFCOIDC002"),
            "{wild}"
        );
        let mut bad = role(None, &[]);
        bad.trust_policy = "not json".into();
        assert!(role_refusal(&bad, PROVIDER)
            .unwrap()
            .starts_with("its trust policy cannot be read"));

        let foreign = role(Some("organization:acme:*"), &[]);
        let note = adoption_note(&foreign, "acme", "platform").unwrap();
        assert_eq!(note, "It was not made by tfc-oidc: choosing it adopts it.");
        let ours = role(
            Some("organization:acme:*"),
            &[
                ("managed-by", "tfc-oidc"),
                ("tfc-oidc:organization", "acme"),
                ("tfc-oidc:project", "platform"),
            ],
        );
        assert_eq!(adoption_note(&ours, "acme", "platform"), None);
    }
}
