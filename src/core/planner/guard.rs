//! The safety rules a plan must pass before it is shown: a role is reused only when tfc-oidc
//! made it for this organization and project (or the user adopts it), never when its trust is
//! too broad or unreadable; AdministratorAccess only with consent where it reaches plans or
//! several workspaces; an existing variable set only when all it reaches is inside the selection.

use super::{RoleState, TfcState};
use crate::core::answers::{Answers, WorkspaceSelection};
use crate::core::error::PlanError;
use crate::core::plan::Note;
use crate::core::policy::{broad_trust, PolicyDocument};
use crate::core::ports::{Tag, VariableSet};
use crate::core::subject::Phase;

fn tag<'a>(tags: &'a [Tag], key: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.key == key).map(|t| t.value.as_str())
}

/// Reads an existing role's trust, refusing what cannot be read or is too broad to build on.
pub(super) fn existing_trust(
    state: &RoleState,
    host: &str,
    provider_arn: &str,
) -> Result<PolicyDocument, PlanError> {
    let doc = PolicyDocument::parse(&state.role.trust_policy).map_err(|e| {
        PlanError::UnreadableTrust {
            role: state.role.name.clone(),
            reason: e.0,
        }
    })?;
    if let Some(risk) = broad_trust(&doc, host, provider_arn).first() {
        return Err(PlanError::BroadTrust {
            role: state.role.name.clone(),
            reason: risk.reason(),
            finding: risk.finding(),
        });
    }
    Ok(doc)
}

/// Whether tfc-oidc made the role for this organization and project; otherwise why not.
fn ownership(state: &RoleState, organization: &str, project: &str) -> Result<(), String> {
    made_for(&state.role.tags, organization, project)
}

/// Whether a role with these tags was made by tfc-oidc for this organization and project (so
/// `setup` reuses it without `--adopt-role`); otherwise why not.
pub fn made_for(tags: &[Tag], organization: &str, project: &str) -> Result<(), String> {
    if tag(tags, "managed-by") != Some("tfc-oidc") {
        return Err("was not made by tfc-oidc".into());
    }
    let (org, prj) = (
        tag(tags, "tfc-oidc:organization").unwrap_or(""),
        tag(tags, "tfc-oidc:project").unwrap_or(""),
    );
    if org != organization || prj != project {
        return Err(format!(
            "was made by tfc-oidc for {org}/{prj}, not {organization}/{project}"
        ));
    }
    Ok(())
}

/// A role that exists: reused silently when it is ours for this organization and project,
/// with `--adopt-role` otherwise. Returns a note describing an adopted role.
pub(super) fn check_reuse(
    answers: &Answers,
    state: &RoleState,
    doc: &PolicyDocument,
    tfc: &TfcState,
    host: &str,
) -> Result<Option<Note>, PlanError> {
    let Err(why) = ownership(state, &tfc.organization, &tfc.project.name) else {
        return Ok(None);
    };
    let trusts = describe_trust(doc, host);
    let policies = if state.attached.is_empty() {
        "none attached".to_string()
    } else {
        state.attached.join(", ")
    };
    if !answers.adopt_role {
        return Err(PlanError::ForeignRole {
            role: state.role.name.clone(),
            why,
            trusts,
            policies,
        });
    }
    Ok(Some(Note::info(
        format!("role {}", state.role.name),
        format!(
            "adopting role {} ({why}); it trusts: {trusts}; policies: {policies}",
            state.role.name
        ),
    )))
}

/// The statements of a trust policy in a few words each.
pub fn describe_trust(doc: &PolicyDocument, host: &str) -> String {
    let parts: Vec<String> = doc
        .statements()
        .iter()
        .map(|s| {
            let who: Vec<String> = match &s.principals {
                crate::core::policy::Principals::Anyone => vec!["anyone".into()],
                crate::core::policy::Principals::Typed(list) => list
                    .iter()
                    .flat_map(|(k, v)| v.iter().map(move |x| format!("{k} {x}")))
                    .collect(),
                crate::core::policy::Principals::NotPrincipal(_) => {
                    vec!["everyone but a list".into()]
                }
                crate::core::policy::Principals::None => vec!["no principal".into()],
            };
            let subs = s.claim_values(host, "sub", "StringLike");
            let mut text = format!("{:?} {}", s.effect, who.join(", "));
            if !subs.is_empty() {
                text.push_str(&format!(" for {}", subs.join(", ")));
            }
            text
        })
        .collect();
    if parts.is_empty() {
        "no statement".into()
    } else {
        parts.join("; ")
    }
}

/// AdministratorAccess on a role trusted for plan runs or for more than one workspace needs
/// the user's explicit consent.
pub(super) fn check_admin(
    answers: &Answers,
    role: &str,
    phase: Phase,
    workspaces: usize,
) -> Result<Option<Note>, PlanError> {
    let admin = answers
        .permissions
        .managed_policy_arns
        .iter()
        .any(|a| a.ends_with(":policy/AdministratorAccess"));
    if !admin {
        return Ok(None);
    }
    let many = match &answers.workspaces {
        WorkspaceSelection::All => true,
        WorkspaceSelection::Stack { deployments, .. } => deployments.len() != 1,
        WorkspaceSelection::Named(_) => workspaces > 1,
    };
    let plans = phase != Phase::Apply;
    if !many && !plans {
        return Ok(Some(Note::warning(
            format!("role {role}"),
            format!("role {role} gets AdministratorAccess"),
        )));
    }
    let scope = match (many, plans) {
        (true, true) => "more than one workspace and plan runs",
        (true, false) => "more than one workspace",
        _ => "plan runs",
    };
    if !answers.allow_admin {
        return Err(PlanError::AdminNeedsFlag {
            role: role.to_string(),
            scope: scope.to_string(),
        });
    }
    Ok(Some(Note::warning(
        format!("role {role}"),
        format!("role {role} gets AdministratorAccess and is trusted for {scope} (--allow-admin)"),
    )))
}

/// An existing variable set is written only when everything it reaches is inside the selection.
pub(super) fn check_varset_reach(
    answers: &Answers,
    set: &VariableSet,
    tfc: &TfcState,
    project_workspace_ids: &[String],
) -> Result<(), PlanError> {
    let name = |id: &str| {
        tfc.names
            .iter()
            .find(|(i, _)| i == id)
            .map_or(id.to_string(), |(_, n)| n.clone())
    };
    let mut others = Vec::new();
    if set.global {
        others.push("every workspace of the organization (it is global)".to_string());
    }
    let all = matches!(answers.workspaces, WorkspaceSelection::All);
    for p in &set.project_ids {
        if !(all && *p == tfc.project.id) {
            others.push(format!("project {}", name(p)));
        }
    }
    let selected: Vec<&str> = tfc.workspaces.iter().map(|w| w.id.as_str()).collect();
    for w in &set.workspace_ids {
        let inside =
            selected.contains(&w.as_str()) || (all && project_workspace_ids.iter().any(|x| x == w));
        if !inside {
            others.push(format!("workspace {}", name(w)));
        }
    }
    if others.is_empty() {
        return Ok(());
    }
    Err(PlanError::VarsetReachesOthers {
        set: set.name.clone(),
        others: others.join(", "),
    })
}
