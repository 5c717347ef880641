//! Performing one change through the ports. Creations report what they made (for undo);
//! removals succeed when the thing is already gone, so undo and migrate can be re-run; the
//! changes that could overwrite someone else's work go through [`super::careful`].

use super::careful;
use crate::core::error::ChangeError;
use crate::core::journal::Outcome;
use crate::core::plan::{Change, VariableTarget};
use crate::core::ports::{
    Iam, IamError, NewOidcProvider, NewRole, NewVariable, NewVariableSet, Tfc, TfcError,
    VariableCategory,
};
use backon::{ExponentialBuilder, Retryable};
use std::time::Duration;

/// IAM is eventually consistent: a role or provider created a moment ago may not be visible to
/// the next call yet. Those calls retry briefly on "not found" and "invalid principal".
pub(super) async fn settle<T, F, Fut>(call: F) -> Result<T, IamError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, IamError>>,
{
    call.retry(
        ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(300))
            .with_max_delay(Duration::from_secs(3))
            .with_max_times(6),
    )
    .when(|e| match e {
        IamError::NoSuchEntity(_) => true,
        IamError::InvalidInput(m) => m.to_ascii_lowercase().contains("principal"),
        _ => false,
    })
    .await
}

/// Removals succeed when the thing is already gone, so undo and migrate can be re-run.
pub(super) fn gone_ok<E: Into<ChangeError>>(r: Result<(), E>) -> Result<Outcome, ChangeError> {
    match r.map_err(Into::into) {
        Ok(()) => Ok(Outcome::default()),
        Err(ChangeError::Aws(IamError::NoSuchEntity(_)))
        | Err(ChangeError::Tfc(TfcError::NotFound { .. })) => Ok(Outcome::default()),
        Err(e) => Err(e),
    }
}

pub(super) fn set_id(set: &crate::core::plan::VarsetRef) -> Result<&str, ChangeError> {
    set.id
        .as_deref()
        .ok_or_else(|| ChangeError::Internal(format!("variable set {} has no id yet", set.name)))
}

pub(super) fn env_var(key: &str, value: &str, description: &str) -> NewVariable {
    NewVariable {
        key: key.to_string(),
        value: value.to_string(),
        description: description.to_string(),
        category: VariableCategory::Env,
        sensitive: false,
    }
}

/// Performs one change.
pub async fn execute(change: Change, iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
    use Change::*;
    let created = |id: String| {
        Ok(Outcome {
            id: Some(id),
            ..Outcome::default()
        })
    };
    match change {
        CreateOidcProvider {
            url,
            client_ids,
            thumbprints,
            tags,
            ..
        } => {
            let arn = iam
                .create_oidc_provider(&NewOidcProvider {
                    url,
                    client_ids,
                    thumbprints,
                    tags,
                })
                .await?;
            created(arn)
        }
        AddOidcAudience {
            provider_arn,
            audience,
        } => {
            settle(|| iam.add_client_id(&provider_arn, &audience)).await?;
            Ok(Outcome::default())
        }
        CreateRole {
            name,
            description,
            trust_policy,
            tags,
            ..
        } => {
            let role = NewRole {
                name,
                trust_policy: trust_policy.to_string(),
                description,
                tags,
            };
            let made = settle(|| iam.create_role(&role)).await?;
            Ok(Outcome {
                id: Some(made.arn),
                unique_id: Some(made.id).filter(|id| !id.is_empty()),
                left: None,
            })
        }
        UpdateTrustPolicy {
            role_name,
            new,
            added_subjects,
            provider_arn,
            host,
            audience,
            ..
        } => {
            careful::extend_trust(
                iam,
                &role_name,
                &new,
                &added_subjects,
                (&provider_arn, &host, &audience),
            )
            .await
        }
        RetractTrustSubjects {
            role_name,
            provider_arn,
            host,
            subjects,
        } => careful::retract_trust(iam, &role_name, &provider_arn, &host, &subjects).await,
        AttachRolePolicy {
            role_name,
            policy_arn,
        } => {
            settle(|| iam.attach_policy(&role_name, &policy_arn)).await?;
            Ok(Outcome::default())
        }
        PutRolePolicy {
            role_name,
            policy_name,
            document,
            ..
        } => {
            let document = document.to_string();
            settle(|| iam.put_inline_policy(&role_name, &policy_name, &document)).await?;
            Ok(Outcome::default())
        }
        CreateVariableSet {
            organization,
            name,
            description,
        } => {
            let set = tfc
                .create_variable_set(&organization, &NewVariableSet { name, description })
                .await?;
            created(set.id)
        }
        CreateVariable {
            target,
            key,
            value,
            description,
        } => {
            let var = env_var(&key, &value, &description);
            let made = match &target {
                VariableTarget::Workspace(ws) => {
                    tfc.create_workspace_variable(&ws.id, &var).await?
                }
                VariableTarget::VariableSet(set) => {
                    tfc.create_variable_set_variable(set_id(set)?, &var).await?
                }
            };
            created(made.id)
        }
        UpdateVariable {
            target,
            variable_id,
            key,
            old_value,
            new_value,
            description,
        } => {
            if let Some(old) = &old_value {
                let id = match &target {
                    VariableTarget::VariableSet(set) => Some(set_id(set)?),
                    VariableTarget::Workspace(_) => None,
                };
                let check = careful::still_holds(tfc, &target, id, &variable_id, &key, old);
                if let Err(outcome) = check.await? {
                    return Ok(outcome);
                }
            }
            let var = env_var(&key, &new_value, &description);
            match &target {
                VariableTarget::Workspace(ws) => {
                    tfc.update_workspace_variable(&ws.id, &variable_id, &var)
                        .await?
                }
                VariableTarget::VariableSet(set) => {
                    tfc.update_variable_set_variable(set_id(set)?, &variable_id, &var)
                        .await?
                }
            };
            Ok(Outcome::default())
        }
        AttachVariableSet { set, scope } => {
            let id = set_id(&set)?;
            match scope {
                crate::core::plan::AttachScope::Workspaces { workspaces } => {
                    let ids: Vec<String> = workspaces.into_iter().map(|w| w.id).collect();
                    tfc.attach_variable_set_to_workspaces(id, &ids).await?
                }
                crate::core::plan::AttachScope::Project { id: project, .. } => {
                    tfc.attach_variable_set_to_projects(id, &[project]).await?
                }
            }
            Ok(Outcome::default())
        }
        DeleteVariable {
            target,
            variable_id,
            key,
            expected_value,
            ..
        } => gone_ok(match &target {
            _ if expected_value.is_some() => {
                let id = match &target {
                    VariableTarget::VariableSet(set) => Some(set_id(set)?),
                    VariableTarget::Workspace(_) => None,
                };
                let expected = expected_value.as_deref().unwrap_or_default();
                let check = careful::still_holds(tfc, &target, id, &variable_id, &key, expected);
                if let Err(outcome) = check.await? {
                    return Ok(outcome);
                }
                delete_variable(tfc, &target, &variable_id).await
            }
            VariableTarget::Workspace(ws) => {
                tfc.delete_workspace_variable(&ws.id, &variable_id).await
            }
            VariableTarget::VariableSet(set) => {
                tfc.delete_variable_set_variable(set_id(set)?, &variable_id)
                    .await
            }
        }),
        DetachVariableSet { set, scope } => {
            let id = set_id(&set)?;
            gone_ok(match scope {
                crate::core::plan::AttachScope::Workspaces { workspaces } => {
                    let ids: Vec<String> = workspaces.into_iter().map(|w| w.id).collect();
                    tfc.detach_variable_set_from_workspaces(id, &ids).await
                }
                crate::core::plan::AttachScope::Project { id: project, .. } => {
                    tfc.detach_variable_set_from_projects(id, &[project]).await
                }
            })
        }
        DeleteVariableSet { set, keys } => {
            careful::delete_set(tfc, set_id(&set)?, &set.name, &keys).await
        }
        SetAccessKeyStatus {
            user,
            access_key_id,
            status,
        } => {
            iam.set_access_key_status(&user, &access_key_id, status)
                .await?;
            Ok(Outcome::default())
        }
        RemoveOidcAudience {
            provider_arn,
            audience,
        } => gone_ok(iam.remove_client_id(&provider_arn, &audience).await),
        DetachRolePolicy {
            role_name,
            policy_arn,
        } => gone_ok(iam.detach_policy(&role_name, &policy_arn).await),
        DeleteRolePolicy {
            role_name,
            policy_name,
        } => gone_ok(iam.delete_inline_policy(&role_name, &policy_name).await),
        DeleteRole {
            name,
            role_id,
            policies,
            inline_policies,
            provider_arn,
        } => {
            careful::delete_role(
                iam,
                &name,
                role_id.as_deref(),
                &policies,
                &inline_policies,
                &provider_arn,
            )
            .await
        }
        DeleteOidcProvider { arn } => gone_ok(iam.delete_oidc_provider(&arn).await),
    }
}

async fn delete_variable(
    tfc: &dyn Tfc,
    target: &VariableTarget,
    variable_id: &str,
) -> Result<(), TfcError> {
    match target {
        VariableTarget::Workspace(ws) => tfc.delete_workspace_variable(&ws.id, variable_id).await,
        VariableTarget::VariableSet(set) => match &set.id {
            Some(id) => tfc.delete_variable_set_variable(id, variable_id).await,
            None => Err(TfcError::Protocol(format!(
                "variable set {} has no id yet",
                set.name
            ))),
        },
    }
}
