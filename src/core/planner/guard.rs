//! The safety rules a plan must pass before it is shown: a role is reused only when tfc-oidc
//! made it for this organization and project (or the user adopts it), never when its trust is
//! too broad or unreadable; AdministratorAccess only with consent where it reaches plans or
//! several workspaces; an existing variable set only when all it reaches is inside the selection.
//! The rules that do not depend on the rest of the plan ([`readable_trust`], [`ownership`],
//! [`reach_beyond`]) are public, so the wizard marks what the planner would refuse where it is
//! chosen.

use super::{RoleState, TfcState};
use crate::core::answers::{Answers, Permissions, WorkspaceSelection};
use crate::core::error::PlanError;
use crate::core::plan::{managed_tag, Note};
use crate::core::ports::{Role, Tag, VariableSet};
use crate::core::trust::Phase;
use crate::core::trust::{broad_trust, BroadTrust, PolicyDocument};

fn tag<'a>(tags: &'a [Tag], key: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.key == key).map(|t| t.value.as_str())
}

/// Why an existing role is never built on, whatever the answers say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleRefusal {
    /// Its trust policy cannot be read as a policy document (the reason).
    Unreadable(String),
    /// Its trust lets other organizations' runs in through the provider.
    Broad(BroadTrust),
}

/// An existing role's trust, unless it cannot be read or is too broad to build on.
pub fn readable_trust(
    role: &Role,
    host: &str,
    provider_arn: &str,
) -> Result<PolicyDocument, RoleRefusal> {
    let doc =
        PolicyDocument::parse(&role.trust_policy).map_err(|e| RoleRefusal::Unreadable(e.0))?;
    match broad_trust(&doc, host, provider_arn).into_iter().next() {
        Some(risk) => Err(RoleRefusal::Broad(risk)),
        None => Ok(doc),
    }
}

/// Reads an existing role's trust, refusing what cannot be read or is too broad to build on.
pub(super) fn existing_trust(
    state: &RoleState,
    host: &str,
    provider_arn: &str,
) -> Result<PolicyDocument, PlanError> {
    let role = state.role.name.clone();
    readable_trust(&state.role, host, provider_arn).map_err(|refusal| match refusal {
        RoleRefusal::Unreadable(reason) => PlanError::UnreadableTrust { role, reason },
        RoleRefusal::Broad(risk) => PlanError::BroadTrust {
            role,
            reason: risk.reason(),
            finding: risk.finding(),
        },
    })
}

/// Whether tfc-oidc made the role for this organization and project; otherwise why not (a
/// role that is not is reused only when adopted).
pub fn ownership(role: &Role, organization: &str, project: &str) -> Result<(), String> {
    made_for(&role.tags, organization, project)
}

/// Whether a role with these tags was made by tfc-oidc for this organization and project (so
/// `setup` reuses it without `--adopt-role`); otherwise why not.
pub fn made_for(tags: &[Tag], organization: &str, project: &str) -> Result<(), String> {
    if tag(tags, managed_tag::MANAGED_BY) != Some(managed_tag::MANAGED_BY_VALUE) {
        return Err("was not made by tfc-oidc".into());
    }
    let (org, prj) = (
        tag(tags, managed_tag::ORGANIZATION).unwrap_or(""),
        tag(tags, managed_tag::PROJECT).unwrap_or(""),
    );
    if org != organization || prj != project {
        return Err(format!(
            "was made by tfc-oidc for {org}/{prj}, not {organization}/{project}"
        ));
    }
    Ok(())
}

/// A role that exists: reused silently when it is ours for this organization and project,
/// adopted with a note when HashiCorp's setup made it for them, with `--adopt-role` otherwise. Returns a note describing an adopted role.
pub(super) fn check_reuse(
    answers: &Answers,
    state: &RoleState,
    doc: &PolicyDocument,
    tfc: &TfcState,
    host: &str,
) -> Result<Option<Note>, PlanError> {
    let Err(why) = ownership(&state.role, &tfc.organization, &tfc.project.name) else {
        return Ok(None);
    };
    let trusts = describe_trust(doc, host);
    let policies = if state.attached.is_empty() {
        "none attached".to_string()
    } else {
        state.attached.join(", ")
    };
    let hashicorp = super::hashicorp_made::made_by_hashicorp_setup(
        &state.role,
        doc,
        host,
        &tfc.organization,
        &tfc.project.name,
    );
    if hashicorp && !answers.adopt_role {
        return Ok(Some(Note::info(
            format!("role {}", state.role.name),
            format!(
                "adopting role {}: HashiCorp's AWS dynamic-credentials setup made it (its name, no tags, a trust for {}/{} only); it trusts: {trusts}; policies: {policies}",
                state.role.name, tfc.organization, tfc.project.name
            ),
        )));
    }
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
                crate::core::trust::Principals::Anyone => vec!["anyone".into()],
                crate::core::trust::Principals::Typed(list) => list
                    .iter()
                    .flat_map(|(k, v)| v.iter().map(move |x| format!("{k} {x}")))
                    .collect(),
                crate::core::trust::Principals::NotPrincipal(_) => {
                    vec!["everyone but a list".into()]
                }
                crate::core::trust::Principals::None => vec!["no principal".into()],
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
    permissions: &Permissions,
    role: &str,
    phase: Phase,
    workspaces: usize,
) -> Result<Option<Note>, PlanError> {
    let admin = permissions
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

/// Something a variable set reaches beyond a selection (by id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beyond {
    /// The set is global: every workspace of the organization.
    Global,
    Project(String),
    Workspace(String),
}

/// What `set` reaches beyond the selection: `whole_project` is the project's id when every
/// workspace of it is selected, `workspace_ids` the selected workspaces.
pub fn reach_beyond(
    set: &VariableSet,
    whole_project: Option<&str>,
    workspace_ids: &[String],
) -> Vec<Beyond> {
    let mut out = Vec::new();
    if set.global {
        out.push(Beyond::Global);
    }
    for p in &set.project_ids {
        if whole_project != Some(p.as_str()) {
            out.push(Beyond::Project(p.clone()));
        }
    }
    for w in &set.workspace_ids {
        if !workspace_ids.contains(w) {
            out.push(Beyond::Workspace(w.clone()));
        }
    }
    out
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
    let all = matches!(answers.workspaces, WorkspaceSelection::All);
    let whole_project = all.then_some(tfc.project.id.as_str());
    let mut selected: Vec<String> = tfc.workspaces.iter().map(|w| w.id.clone()).collect();
    if all {
        selected.extend(project_workspace_ids.iter().cloned());
    }
    let others: Vec<String> = reach_beyond(set, whole_project, &selected)
        .into_iter()
        .map(|beyond| match beyond {
            Beyond::Global => "every workspace of the organization (it is global)".to_string(),
            Beyond::Project(id) => format!("project {}", name(&id)),
            Beyond::Workspace(id) => format!("workspace {}", name(&id)),
        })
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    Err(PlanError::VarsetReachesOthers {
        set: set.name.clone(),
        others: others.join(", "),
    })
}
