//! Reverting the last journaled apply: each done change has an inverse, run newest first. What
//! was created is deleted, changed values are restored, and an OIDC provider that other roles
//! still trust is kept.

use crate::core::dynamic_vars::STATIC_KEYS;
use crate::core::error::PlanError;
use crate::core::journal::{Outcome, Record};
use crate::core::plan::{Change, Note, Plan, PlannedChange, VariableTarget, VarsetRef};
mod in_flight;

use crate::core::policy::PolicyDocument;
use crate::core::ports::{AccessKeyStatus, Iam, Tfc};

/// The provider and host of the statement in `doc` that lists one of `subjects`.
fn provider_of(doc: &serde_json::Value, subjects: &[String]) -> Option<(String, String)> {
    let doc = PolicyDocument::from_value(doc.clone()).ok()?;
    doc.statements().iter().find_map(|s| {
        let cond = s.conditions.iter().find(|c| {
            c.key.to_ascii_lowercase().ends_with(":sub")
                && c.values.iter().any(|v| subjects.contains(v))
        })?;
        let host = cond.key[..cond.key.len() - 4].to_string();
        let provider = s.principals.federated().first()?.to_string();
        Some((provider, host))
    })
}

/// Why a change cannot be inverted: the resource it concerns and the sentence.
type Unrevertable = (String, String);

/// The inverse of one applied change, or a note on why it cannot be reverted.
fn inverse(change: &Change, outcome: &Outcome) -> Result<Option<Change>, Unrevertable> {
    use Change::*;
    let id = || outcome.id.clone();
    Ok(match change {
        CreateOidcProvider { arn, .. } => Some(DeleteOidcProvider {
            arn: id().unwrap_or_else(|| arn.clone()),
        }),
        AddOidcAudience {
            provider_arn,
            audience,
        } => Some(RemoveOidcAudience {
            provider_arn: provider_arn.clone(),
            audience: audience.clone(),
        }),
        CreateRole {
            name, trust_policy, ..
        } => Some(DeleteRole {
            name: name.clone(),
            role_id: outcome.unique_id.clone(),
            policies: Vec::new(),
            inline_policies: Vec::new(),
            provider_arn: PolicyDocument::from_value(trust_policy.clone())
                .ok()
                .and_then(|d| {
                    d.statements()
                        .iter()
                        .flat_map(|s| s.principals.federated())
                        .next()
                        .map(String::from)
                })
                .unwrap_or_default(),
        }),
        UpdateTrustPolicy {
            role_name,
            new,
            added_subjects,
            provider_arn,
            host,
            ..
        } => {
            // Journals written before the provider and host were recorded: read them from the
            // statement that holds the added subjects.
            let (provider_arn, host) = if provider_arn.is_empty() {
                provider_of(new, added_subjects).ok_or_else(|| {
                    (
                        format!("role {role_name}"),
                        format!("cannot tell which provider role {role_name} trusts"),
                    )
                })?
            } else {
                (provider_arn.clone(), host.clone())
            };
            Some(RetractTrustSubjects {
                role_name: role_name.clone(),
                provider_arn,
                host,
                subjects: added_subjects.clone(),
            })
        }
        AttachRolePolicy {
            role_name,
            policy_arn,
        } => Some(DetachRolePolicy {
            role_name: role_name.clone(),
            policy_arn: policy_arn.clone(),
        }),
        PutRolePolicy {
            role_name,
            policy_name,
            document,
            old,
        } => Some(match old {
            Some(old) => PutRolePolicy {
                role_name: role_name.clone(),
                policy_name: policy_name.clone(),
                document: old.clone(),
                old: Some(document.clone()),
            },
            None => DeleteRolePolicy {
                role_name: role_name.clone(),
                policy_name: policy_name.clone(),
            },
        }),
        CreateVariableSet { name, .. } => Some(DeleteVariableSet {
            set: VarsetRef {
                id: id(),
                name: name.clone(),
            },
            keys: Vec::new(),
        }),
        CreateVariable {
            target, key, value, ..
        } => match id() {
            Some(variable_id) => Some(DeleteVariable {
                target: target.clone(),
                variable_id,
                key: key.clone(),
                sensitive: false,
                expected_value: Some(value.clone()),
                access_key_id: None,
            }),
            None => {
                return Err((
                    target.to_string(),
                    format!("cannot delete {key} on {target}: its id was not recorded"),
                ))
            }
        },
        UpdateVariable {
            target,
            variable_id,
            key,
            old_value,
            new_value,
            description,
        } => match old_value {
            Some(old) => Some(UpdateVariable {
                target: target.clone(),
                variable_id: variable_id.clone(),
                key: key.clone(),
                old_value: Some(new_value.clone()),
                new_value: old.clone(),
                description: description.clone(),
            }),
            None => {
                return Err((
                    target.to_string(),
                    format!("cannot restore {key} on {target}: its old value was sensitive"),
                ))
            }
        },
        AttachVariableSet { set, scope } => Some(DetachVariableSet {
            set: set.clone(),
            scope: scope.clone(),
        }),
        DetachVariableSet { set, scope } => Some(AttachVariableSet {
            set: set.clone(),
            scope: scope.clone(),
        }),
        SetAccessKeyStatus {
            user,
            access_key_id,
            status,
        } => Some(SetAccessKeyStatus {
            user: user.clone(),
            access_key_id: access_key_id.clone(),
            status: match status {
                AccessKeyStatus::Active => AccessKeyStatus::Inactive,
                AccessKeyStatus::Inactive => AccessKeyStatus::Active,
            },
        }),
        DeleteVariable {
            key,
            target,
            sensitive,
            ..
        } => {
            return Err((
                target.to_string(),
                format!(
                    "cannot restore {key} on {target}: {}",
                    if *sensitive {
                        "its value was sensitive"
                    } else {
                        "deleted values are not kept"
                    }
                ),
            ))
        }
        DeleteVariableSet { .. }
        | RetractTrustSubjects { .. }
        | RemoveOidcAudience { .. }
        | DetachRolePolicy { .. }
        | DeleteRolePolicy { .. }
        | DeleteRole { .. }
        | DeleteOidcProvider { .. } => None,
    })
}

/// Whether a change is one of setup's (what makes OIDC work).
fn is_setup(change: &Change) -> bool {
    use Change::*;
    matches!(
        change,
        CreateOidcProvider { .. }
            | AddOidcAudience { .. }
            | CreateRole { .. }
            | UpdateTrustPolicy { .. }
            | AttachRolePolicy { .. }
            | PutRolePolicy { .. }
            | CreateVariableSet { .. }
            | CreateVariable { .. }
            | UpdateVariable { .. }
            | AttachVariableSet { .. }
    )
}

/// The deletion of a static AWS key variable (by `migrate`).
fn is_key_removal(change: &Change) -> bool {
    matches!(change, Change::DeleteVariable { key, .. } if STATIC_KEYS.contains(&key.as_str()))
}

/// Where a `migrate` apply deleted static key variables: their values were never read, so
/// nothing can restore them, and the OIDC setup those targets now run on must stay.
fn lost_keys(done: &[(&Change, &Outcome)]) -> Vec<String> {
    let mut targets: Vec<String> = Vec::new();
    for (change, _) in done {
        if let Change::DeleteVariable { target, .. } = change {
            let t = target.to_string();
            if is_key_removal(change) && !targets.contains(&t) {
                targets.push(t);
            }
        }
    }
    targets
}

/// Plans the undo of `record`: inverses newest first, each waiting for the one before. Changes
/// that were in flight when a run died are looked up first, so what they made is removed too.
/// After a `migrate` that deleted key variables, only the detachments and deactivations are
/// reverted (sets reattached, keys reactivated); the OIDC setup stays, and a note says why.
pub async fn plan_undo(record: &Record, iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Plan, PlanError> {
    let mut resolved: Vec<(Change, Outcome)> = Vec::new();
    for change in record.in_flight() {
        if let Some(outcome) = in_flight::resolve(change, iam, tfc).await {
            resolved.push((change.clone(), outcome));
        }
    }
    let mut done = record.done();
    done.extend(resolved.iter().map(|(c, o)| (c, o)));
    let deleted_sets: Vec<String> = done
        .iter()
        .filter(|(c, _)| matches!(c, Change::CreateVariableSet { .. }))
        .filter_map(|(_, o)| o.id.clone())
        .collect();
    let deleted_roles: Vec<String> = done
        .iter()
        .filter_map(|(c, _)| match c {
            Change::CreateRole { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    let mut notes = Vec::new();
    let lost = lost_keys(&done);
    if !lost.is_empty() {
        notes.push(Note::warning(
            "OIDC setup",
            format!(
                "keeping the OIDC setup (provider, roles, variables) this apply made: the static keys it deleted from {} cannot be put back (their secret values were never read), and removing OIDC too would leave those workspaces without AWS credentials",
                lost.join(", ")
            ),
        ));
    }
    let mut inverses = Vec::new();
    for (change, outcome) in done.iter().rev() {
        if !lost.is_empty() && (is_setup(change) || is_key_removal(change)) {
            continue;
        }
        // Deleting a variable set or role takes its contents with it.
        let inside_deleted = match change {
            Change::CreateVariable {
                target: VariableTarget::VariableSet(s),
                ..
            }
            | Change::AttachVariableSet { set: s, .. } => {
                s.id.as_ref().is_some_and(|id| deleted_sets.contains(id))
            }
            Change::AttachRolePolicy { role_name, .. }
            | Change::PutRolePolicy { role_name, .. } => deleted_roles.contains(role_name),
            _ => false,
        };
        if inside_deleted {
            continue;
        }
        match inverse(change, outcome) {
            Ok(Some(inv)) => inverses.push(inv),
            Ok(None) => {}
            Err((resource, text)) => notes.push(Note::warning(resource, text)),
        }
    }
    // What a deleted role or set may hold: exactly what this apply put there.
    for inv in &mut inverses {
        match inv {
            Change::DeleteRole {
                name,
                policies,
                inline_policies,
                ..
            } => {
                for (c, _) in &done {
                    match c {
                        Change::AttachRolePolicy {
                            role_name,
                            policy_arn,
                        } if role_name == name => policies.push(policy_arn.clone()),
                        Change::PutRolePolicy {
                            role_name,
                            policy_name,
                            ..
                        } if role_name == name => inline_policies.push(policy_name.clone()),
                        _ => {}
                    }
                }
            }
            Change::DeleteVariableSet { set, keys } => {
                for (c, _) in &done {
                    if let Change::CreateVariable {
                        target: VariableTarget::VariableSet(s),
                        key,
                        ..
                    } = c
                    {
                        if s.id.is_some() && s.id == set.id {
                            keys.push(key.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(pos) = inverses
        .iter()
        .position(|c| matches!(c, Change::DeleteOidcProvider { .. }))
    {
        let Change::DeleteOidcProvider { arn } = &inverses[pos] else {
            unreachable!()
        };
        let roles = iam
            .list_roles()
            .await
            .map_err(PlanError::aws("list roles that trust the provider"))?;
        let users: Vec<String> = roles
            .iter()
            .filter(|r| {
                !deleted_roles.contains(&r.name)
                    && crate::core::inventory::trusts_provider(r, arn.as_str())
            })
            .map(|r| r.name.clone())
            .collect();
        if !users.is_empty() {
            notes.push(Note::info(
                arn.clone(),
                format!(
                    "keeping OIDC provider {arn}: roles {} still trust it",
                    users.join(", ")
                ),
            ));
            inverses.remove(pos);
        }
    }
    let (host, organization, project, account, fingerprint) = record
        .entries
        .iter()
        .find_map(|e| match e {
            crate::core::journal::Entry::Begin {
                host,
                organization,
                project,
                account,
                fingerprint,
                ..
            } => Some((
                host.clone(),
                organization.clone(),
                project.clone(),
                account.clone(),
                fingerprint.clone(),
            )),
            _ => None,
        })
        .unwrap_or_default();
    let changes = inverses
        .into_iter()
        .enumerate()
        .map(|(i, change)| PlannedChange {
            change,
            depends_on: if i == 0 { vec![] } else { vec![i - 1] },
        })
        .collect();
    Ok(Plan {
        host,
        organization,
        projects: if project.is_empty() {
            Vec::new()
        } else {
            vec![project]
        },
        account,
        provider_arn: String::new(),
        roles: Vec::new(),
        variables: Vec::new(),
        workspaces: Vec::new(),
        changes,
        notes,
        fingerprint: format!("undo-{fingerprint}"),
        deployment_config: None,
    })
}
