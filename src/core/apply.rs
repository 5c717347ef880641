//! Applying a plan: changes run as soon as what they depend on is done, independent ones
//! concurrently; each result is journaled before the next decision. On the first failure nothing
//! new starts, running changes finish, and the error says what was and was not done.

use crate::core::error::{ApplyError, ChangeError};
use crate::core::journal::{EndStatus, JournalWriter, Outcome};
use crate::core::plan::{Change, Plan, VariableTarget};
use crate::core::ports::{
    Iam, IamError, NewOidcProvider, NewRole, NewVariable, NewVariableSet, Tfc, TfcError,
    VariableCategory,
};
use backon::{ExponentialBuilder, Retryable};
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::HashMap;
use std::time::Duration;

/// Progress of one change, for live displays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Started {
        index: usize,
    },
    Done {
        index: usize,
    },
    Failed {
        index: usize,
        error: String,
    },
    /// Not started because an earlier change failed.
    Skipped {
        index: usize,
    },
}

/// What an apply did.
#[derive(Debug, Clone)]
pub struct ApplyReport {
    pub plan: Plan,
    /// Per change, what it produced.
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    Running,
    Done,
    Failed,
}

/// Applies `plan`, journaling as it goes. `progress` is called from the applying task.
pub async fn apply(
    plan: Plan,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    journal: &mut JournalWriter,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<ApplyReport, ApplyError> {
    let n = plan.changes.len();
    let mut state = vec![State::Pending; n];
    let mut outcomes = vec![Outcome::default(); n];
    // Ids of variable sets created by this apply, for the changes that target them.
    let mut created_sets: HashMap<String, String> = HashMap::new();
    let mut failure: Option<(usize, ChangeError)> = None;
    let mut running = FuturesUnordered::new();
    loop {
        if failure.is_none() {
            for i in 0..n {
                let ready = state[i] == State::Pending
                    && plan.changes[i]
                        .depends_on
                        .iter()
                        .all(|d| state[*d] == State::Done);
                if !ready {
                    continue;
                }
                state[i] = State::Running;
                progress(Progress::Started { index: i });
                let change = resolve(&plan.changes[i].change, &created_sets);
                running.push(async move { (i, execute(change, iam, tfc).await) });
            }
        }
        let Some((i, result)) = running.next().await else {
            break;
        };
        match result {
            Ok(outcome) => {
                let change = &plan.changes[i].change;
                journal.done(&resolve(change, &created_sets), &outcome)?;
                if let (Change::CreateVariableSet { name, .. }, Some(id)) = (change, &outcome.id) {
                    created_sets.insert(name.clone(), id.clone());
                }
                state[i] = State::Done;
                outcomes[i] = outcome;
                progress(Progress::Done { index: i });
            }
            Err(e) => {
                state[i] = State::Failed;
                journal.failed(&plan.changes[i].change, &e.to_string())?;
                progress(Progress::Failed {
                    index: i,
                    error: e.to_string(),
                });
                failure.get_or_insert((i, e));
            }
        }
    }
    if let Some((i, error)) = failure {
        for (j, s) in state.iter().enumerate() {
            if *s == State::Pending {
                progress(Progress::Skipped { index: j });
            }
        }
        journal.end(EndStatus::Partial)?;
        return Err(ApplyError::Partial {
            done: state.iter().filter(|s| **s == State::Done).count(),
            total: n,
            failed: plan.changes[i].change.summary(),
            error,
        });
    }
    journal.end(EndStatus::Complete)?;
    Ok(ApplyReport { plan, outcomes })
}

/// Fills in the ids of variable sets this apply created.
fn resolve(change: &Change, created: &HashMap<String, String>) -> Change {
    let mut change = change.clone();
    let fill = |set: &mut crate::core::plan::VarsetRef| {
        if set.id.is_none() {
            set.id = created.get(&set.name).cloned();
        }
    };
    match &mut change {
        Change::CreateVariable {
            target: VariableTarget::VariableSet(set),
            ..
        }
        | Change::UpdateVariable {
            target: VariableTarget::VariableSet(set),
            ..
        }
        | Change::DeleteVariable {
            target: VariableTarget::VariableSet(set),
            ..
        }
        | Change::AttachVariableSet { set, .. }
        | Change::DetachVariableSet { set, .. }
        | Change::DeleteVariableSet { set } => fill(set),
        _ => {}
    }
    change
}

/// IAM is eventually consistent: a role or provider created a moment ago may not be visible to
/// the next call yet. Those calls retry briefly on "not found" and "invalid principal".
async fn settle<T, F, Fut>(call: F) -> Result<T, IamError>
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
fn gone_ok<E: Into<ChangeError>>(r: Result<(), E>) -> Result<Outcome, ChangeError> {
    match r.map_err(Into::into) {
        Ok(()) => Ok(Outcome::default()),
        Err(ChangeError::Aws(IamError::NoSuchEntity(_)))
        | Err(ChangeError::Tfc(TfcError::NotFound { .. })) => Ok(Outcome::default()),
        Err(e) => Err(e),
    }
}

fn set_id(set: &crate::core::plan::VarsetRef) -> Result<&str, ChangeError> {
    set.id
        .as_deref()
        .ok_or_else(|| ChangeError::Internal(format!("variable set {} has no id yet", set.name)))
}

fn env_var(key: &str, value: &str, description: &str) -> NewVariable {
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
    let created = |id: String| Ok(Outcome { id: Some(id) });
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
            created(made.arn)
        }
        UpdateTrustPolicy { role_name, new, .. } => {
            let document = new.to_string();
            settle(|| iam.update_trust_policy(&role_name, &document)).await?;
            Ok(Outcome::default())
        }
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
            new_value,
            description,
            ..
        } => {
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
            ..
        } => gone_ok(match &target {
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
        DeleteVariableSet { set } => gone_ok(tfc.delete_variable_set(set_id(&set)?).await),
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
        DeleteRole { name } => gone_ok(delete_role(iam, &name).await),
        DeleteOidcProvider { arn } => gone_ok(iam.delete_oidc_provider(&arn).await),
    }
}

/// IAM refuses to delete a role that still has policies, so they go first.
async fn delete_role(iam: &dyn Iam, name: &str) -> Result<(), IamError> {
    for arn in iam.list_attached_policies(name).await? {
        iam.detach_policy(name, &arn).await?;
    }
    for policy in iam.list_inline_policies(name).await? {
        iam.delete_inline_policy(name, &policy).await?;
    }
    iam.delete_role(name).await
}
