//! Changes that could overwrite someone else's work read the current state right before they
//! write, and write only their own part: a trust policy gets only tfc-oidc's subjects added (or,
//! on undo, taken out), a variable is restored or deleted only while it still holds tfc-oidc's
//! value, and a role or variable set is deleted only while it holds nothing anyone else added.

use super::execute::{gone_ok, settle};
use crate::core::error::ChangeError;
use crate::core::journal::Outcome;
use crate::core::plan::VariableTarget;
use crate::core::policy::{Effect, PolicyDocument};
use crate::core::ports::{Iam, IamError, Tfc, Variable};
use crate::core::trust_policy::{self, TrustSpec};
use serde_json::Value;

fn unreadable(role: &str, e: impl std::fmt::Display) -> ChangeError {
    ChangeError::Internal(format!(
        "the trust policy of role {role} no longer parses ({e}); it was left as it is"
    ))
}

async fn current_trust(iam: &dyn Iam, role: &str) -> Result<PolicyDocument, ChangeError> {
    let found = settle(|| async {
        iam.get_role(role)
            .await?
            .ok_or_else(|| IamError::NoSuchEntity(format!("role {role}")))
    })
    .await?;
    PolicyDocument::parse(&found.trust_policy).map_err(|e| unreadable(role, e))
}

/// Adds `subjects` (patterns) to the role's trust as it is now. Journals from before the
/// provider was recorded write the planned document, as they always did.
pub(super) async fn extend_trust(
    iam: &dyn Iam,
    role: &str,
    planned: &Value,
    subjects: &[String],
    (provider_arn, host, audience): (&str, &str, &str),
) -> Result<Outcome, ChangeError> {
    if provider_arn.is_empty() {
        let document = planned.to_string();
        settle(|| iam.update_trust_policy(role, &document)).await?;
        return Ok(Outcome::default());
    }
    let now = current_trust(iam, role).await?;
    let spec = TrustSpec {
        provider_arn: provider_arn.to_string(),
        host: host.to_string(),
        audience: audience.to_string(),
        subjects: Vec::new(),
    };
    let Some(document) = trust_policy::add_raw_patterns(&now, &spec, subjects) else {
        return Ok(Outcome::default());
    };
    let document = document.to_string();
    settle(|| iam.update_trust_policy(role, &document)).await?;
    Ok(Outcome::default())
}

/// Undo: takes `subjects` out of the role's trust as it is now.
pub(super) async fn retract_trust(
    iam: &dyn Iam,
    role: &str,
    provider_arn: &str,
    host: &str,
    subjects: &[String],
) -> Result<Outcome, ChangeError> {
    let now = match iam.get_role(role).await? {
        Some(r) => PolicyDocument::parse(&r.trust_policy).map_err(|e| unreadable(role, e))?,
        None => return Ok(Outcome::left(format!("role {role} no longer exists"))),
    };
    let (document, removed) = trust_policy::retract(&now, host, provider_arn, subjects);
    if removed.is_empty() {
        return Ok(Outcome::left(format!(
            "the trust of role {role} no longer lists the subjects tfc-oidc added"
        )));
    }
    let text = document.to_string();
    iam.update_trust_policy(role, &text).await?;
    Ok(Outcome::default())
}

/// Undo: deletes a role the apply created, unless it was re-created or extended by others.
pub(super) async fn delete_role(
    iam: &dyn Iam,
    name: &str,
    role_id: Option<&str>,
    policies: &[String],
    inline: &[String],
    provider_arn: &str,
) -> Result<Outcome, ChangeError> {
    let Some(role) = iam.get_role(name).await? else {
        return Ok(Outcome::default());
    };
    if let Some(id) = role_id.filter(|id| !id.is_empty() && !role.id.is_empty()) {
        if role.id != id {
            return Ok(Outcome::left(format!(
                "role {name} was deleted and re-created by someone else since (id {} is not {id}); left as it is",
                role.id
            )));
        }
    }
    let attached = iam.list_attached_policies(name).await?;
    let inline_now = iam.list_inline_policies(name).await?;
    let foreign: Vec<String> = attached
        .iter()
        .filter(|p| !policies.contains(p))
        .chain(inline_now.iter().filter(|p| !inline.contains(p)))
        .cloned()
        .collect();
    if !foreign.is_empty() {
        return Ok(Outcome::left(format!(
            "role {name} has policies tfc-oidc did not attach ({}); left as it is",
            foreign.join(", ")
        )));
    }
    if !provider_arn.is_empty() {
        if let Ok(doc) = PolicyDocument::parse(&role.trust_policy) {
            let others = doc.statements().iter().any(|s| {
                !(s.effect == Effect::Allow && s.principals.federated() == [provider_arn])
            });
            if others {
                return Ok(Outcome::left(format!(
                    "role {name} has trust statements someone else added; left as it is"
                )));
            }
        }
    }
    for arn in attached {
        iam.detach_policy(name, &arn).await?;
    }
    for policy in inline_now {
        iam.delete_inline_policy(name, &policy).await?;
    }
    gone_ok(iam.delete_role(name).await)
}

/// The variable with this id on its target, as it is now.
async fn variable_now(
    tfc: &dyn Tfc,
    target: &VariableTarget,
    set_id: Option<&str>,
    variable_id: &str,
) -> Result<Option<Variable>, ChangeError> {
    let vars = match (target, set_id) {
        (VariableTarget::Workspace(ws), _) => tfc.workspace_variables(&ws.id).await?,
        (VariableTarget::VariableSet(_), Some(id)) => tfc.variable_set_variables(id).await?,
        (VariableTarget::VariableSet(set), None) => {
            return Err(ChangeError::Internal(format!(
                "variable set {} has no id yet",
                set.name
            )))
        }
    };
    Ok(vars.into_iter().find(|v| v.id == variable_id))
}

/// Whether a variable may be overwritten or deleted: it still holds `expected` (what tfc-oidc
/// wrote or saw). A variable changed since is someone else's work, and is left.
pub(super) async fn still_holds(
    tfc: &dyn Tfc,
    target: &VariableTarget,
    set_id: Option<&str>,
    variable_id: &str,
    key: &str,
    expected: &str,
) -> Result<Result<(), Outcome>, ChangeError> {
    match variable_now(tfc, target, set_id, variable_id).await? {
        None => Ok(Err(Outcome::default())),
        Some(v) if v.sensitive || v.value.as_deref() == Some(expected) => Ok(Ok(())),
        Some(_) => Ok(Err(Outcome::left(format!(
            "{key} on {target} was changed by someone else since; left as it is"
        )))),
    }
}

/// Undo: deletes a variable set the apply created, unless others put variables in it since.
pub(super) async fn delete_set(
    tfc: &dyn Tfc,
    id: &str,
    name: &str,
    keys: &[String],
) -> Result<Outcome, ChangeError> {
    if !keys.is_empty() {
        let vars = match tfc.variable_set_variables(id).await {
            Ok(v) => v,
            Err(crate::core::ports::TfcError::NotFound { .. }) => return Ok(Outcome::default()),
            Err(e) => return Err(e.into()),
        };
        let foreign: Vec<String> = vars
            .iter()
            .filter(|v| !keys.contains(&v.key))
            .map(|v| v.key.clone())
            .collect();
        if !foreign.is_empty() {
            return Ok(Outcome::left(format!(
                "variable set {name} holds variables tfc-oidc did not put there ({}); left as it is",
                foreign.join(", ")
            )));
        }
    }
    gone_ok(tfc.delete_variable_set(id).await)
}
