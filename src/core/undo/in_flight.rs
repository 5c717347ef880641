//! Changes whose call was in flight when the process died: the journal holds their intent but
//! not their outcome. Undo looks at what exists to learn whether each happened (and, for what
//! was created, its id), so it removes everything the run made.

use crate::core::journal::Outcome;
use crate::core::plan::{Change, VariableTarget};
use crate::core::policy::PolicyDocument;
use crate::core::ports::{Iam, Tfc};

/// The outcome of an in-flight change if it took effect, `None` if it did not (or cannot be
/// told, in which case there is nothing of it to revert).
pub async fn resolve(change: &Change, iam: &dyn Iam, tfc: &dyn Tfc) -> Option<Outcome> {
    use Change::*;
    let done = || Some(Outcome::default());
    match change {
        CreateOidcProvider { arn, .. } => iam.get_oidc_provider(arn).await.ok()?.map(|_| Outcome {
            id: Some(arn.clone()),
            ..Outcome::default()
        }),
        AddOidcAudience {
            provider_arn,
            audience,
        } => {
            let p = iam.get_oidc_provider(provider_arn).await.ok()??;
            p.client_ids.contains(audience).then(Outcome::default)
        }
        CreateRole { name, .. } => {
            let role = iam.get_role(name).await.ok()??;
            let ours = role
                .tags
                .iter()
                .any(|t| t.key == "managed-by" && t.value == "tfc-oidc");
            ours.then(|| Outcome {
                id: Some(role.arn.clone()),
                unique_id: Some(role.id.clone()).filter(|i| !i.is_empty()),
                left: None,
            })
        }
        UpdateTrustPolicy {
            role_name,
            added_subjects,
            ..
        } => {
            let role = iam.get_role(role_name).await.ok()??;
            let doc = PolicyDocument::parse(&role.trust_policy).ok()?;
            let listed = doc.subject_values();
            added_subjects
                .iter()
                .any(|s| listed.contains(s))
                .then(Outcome::default)
        }
        AttachRolePolicy {
            role_name,
            policy_arn,
        } => {
            let attached = iam.list_attached_policies(role_name).await.ok()?;
            attached.contains(policy_arn).then(Outcome::default)
        }
        PutRolePolicy {
            role_name,
            policy_name,
            ..
        } => iam
            .get_inline_policy(role_name, policy_name)
            .await
            .ok()?
            .map(|_| Outcome::default()),
        CreateVariableSet {
            organization, name, ..
        } => {
            let sets = tfc.variable_sets(organization).await.ok()?;
            sets.into_iter().find(|s| &s.name == name).map(|s| Outcome {
                id: Some(s.id),
                ..Outcome::default()
            })
        }
        CreateVariable {
            target, key, value, ..
        } => {
            let vars = match target {
                VariableTarget::Workspace(ws) => tfc.workspace_variables(&ws.id).await.ok()?,
                VariableTarget::VariableSet(set) => {
                    tfc.variable_set_variables(set.id.as_deref()?).await.ok()?
                }
            };
            vars.into_iter()
                .find(|v| &v.key == key && v.value.as_deref() == Some(value.as_str()))
                .map(|v| Outcome {
                    id: Some(v.id),
                    ..Outcome::default()
                })
        }
        // Updates and attachments revert harmlessly whether or not they happened.
        UpdateVariable { .. } | AttachVariableSet { .. } | SetAccessKeyStatus { .. } => done(),
        // Removals have no inverse to run.
        _ => None,
    }
}
