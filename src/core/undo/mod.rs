//! Reverting the last journaled apply: each done change has an inverse, run newest first. What
//! was created is deleted, changed values are restored, and an OIDC provider the apply created is
//! deleted unless a role created or changed after the apply trusts it.

use crate::core::accounts::Accounts;
use crate::core::change::{Held, Holder};
use crate::core::error::PlanError;
use crate::core::journal::{Outcome, Record};
use crate::core::plan::{Change, DormantRole, Note, Plan, PlannedChange};
use crate::core::ports::{Iam, IamError, Tfc};
use crate::core::trust;
use crate::core::trust::PolicyDocument;
use crate::core::variables::dynamic_vars::STATIC_KEYS;
use serde_json::Value;

/// The deletion of a static AWS key variable (by `migrate`).
fn is_key_removal(change: &Change) -> bool {
    matches!(change, Change::DeleteVariable(d) if STATIC_KEYS.contains(&d.key.as_str()))
}

/// Where a `migrate` apply deleted static key variables: their values were never read, so
/// nothing can restore them, and the OIDC setup those targets now run on must stay.
fn lost_keys(done: &[(&Change, &Outcome)]) -> Vec<String> {
    let mut targets: Vec<String> = Vec::new();
    for (change, _) in done {
        if let Change::DeleteVariable(d) = change {
            let t = d.target.to_string();
            if is_key_removal(change) && !targets.contains(&t) {
                targets.push(t);
            }
        }
    }
    targets
}

/// Whether two policy documents say the same, as IAM reads them: a one-element list is its
/// element, and the order of a list does not matter (extending then retracting a trust may turn
/// `"sub": "x"` into `"sub": ["x"]`).
fn same_policy(a: &Value, b: &Value) -> bool {
    fn normal(v: &Value) -> Value {
        match v {
            Value::Array(list) if list.len() == 1 => normal(&list[0]),
            Value::Array(list) => {
                let mut items: Vec<Value> = list.iter().map(normal).collect();
                items.sort_by_key(|x| x.to_string());
                Value::Array(items)
            }
            Value::Object(map) => {
                let entries = map.iter().map(|(k, x)| (k.clone(), normal(x)));
                Value::Object(entries.collect())
            }
            other => other.clone(),
        }
    }
    normal(a) == normal(b)
}

/// The roles that will still trust the provider `arn` after the undo because of something done
/// after the apply that created it: not a role the undo deletes, not a role whose trust the
/// undo returns to what it was before the apply. A role that named the provider before it was
/// created (the plan recorded its trust) was not assumable before the apply, so it must not
/// keep the provider alive after the undo; one created or changed since is named.
async fn later_trusting_roles(
    iam: &dyn Iam,
    arn: &str,
    done: &[(&Change, &Outcome)],
    deleted_roles: &[String],
) -> Result<Vec<String>, PlanError> {
    let dormant: &[DormantRole] = done
        .iter()
        .find_map(|(c, _)| match c {
            Change::CreateOidcProvider(p) if p.arn == arn => Some(p.dormant_roles.as_slice()),
            _ => None,
        })
        .unwrap_or_default();
    let extended = |name: &str| {
        done.iter().find_map(|(c, _)| match c {
            Change::UpdateTrustPolicy(u) if u.role_name == name && !u.host.is_empty() => Some(u),
            _ => None,
        })
    };
    let roles = iam
        .list_roles()
        .await
        .map_err(PlanError::aws("list roles that trust the provider"))?;
    let mut users = Vec::new();
    for role in roles {
        if deleted_roles.contains(&role.name) {
            continue;
        }
        let Ok(now) = PolicyDocument::parse(&role.trust_policy) else {
            continue;
        };
        // The trust as the undo leaves it: without the subjects this apply added.
        let after = match extended(&role.name) {
            Some(u) => trust::retract(&now, &u.host, &u.provider_arn, &u.added_subjects).0,
            None => now.into_value(),
        };
        let trusts = PolicyDocument::from_value(after.clone()).is_ok_and(|d| d.names_provider(arn));
        let as_before = dormant
            .iter()
            .any(|d| d.name == role.name && same_policy(&d.trust, &after));
        if trusts && !as_before {
            users.push(role.name);
        }
    }
    Ok(users)
}

/// Plans the undo of `record`: inverses newest first, each waiting for the one before. Changes
/// that were in flight when a run died are looked up first, so what they made is removed too.
/// After a `migrate` that deleted key variables, only the detachments and deactivations are
/// reverted (sets reattached, keys reactivated); the OIDC setup stays, and a note says why.
pub async fn plan_undo(record: &Record, iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Plan, PlanError> {
    plan_undo_in(record, iam, &Accounts::none(), tfc).await
}

/// [`plan_undo`] for an apply that acted in several accounts: each inverse acts in the account
/// of the change it undoes, reached through `accounts` (the profiles the journal recorded).
/// [`plan_undo`] for an apply that acted in several accounts: each inverse acts in the account
/// of the change it undoes, reached through `accounts` (the profiles the journal recorded).
pub async fn plan_undo_in(
    record: &Record,
    iam: &dyn Iam,
    accounts: &Accounts,
    tfc: &dyn Tfc,
) -> Result<Plan, PlanError> {
    let resolved = resolve_in_flight(record, iam, accounts, tfc).await;
    let recorded = record.done_in_accounts();
    let mut done: Vec<(&Change, &Outcome)> = recorded.iter().map(|(c, o, _)| (*c, *o)).collect();
    let mut done_in: Vec<Option<String>> = recorded
        .iter()
        .map(|(_, _, a)| a.map(String::from))
        .collect();
    done.extend(resolved.iter().map(|(c, o, _)| (c, o)));
    done_in.extend(resolved.iter().map(|(_, _, a)| a.clone()));
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
    let holders = created_holders(&done);
    let mut inverses = inverses_of(&done, &done_in, &holders, &lost, &mut notes);
    let deleted_roles = role_names(&holders);
    let dropped = (done.as_slice(), deleted_roles.as_slice());
    keep_provider_in_use(&mut inverses, (iam, accounts), dropped, &mut notes).await?;
    Ok(undo_plan(record, inverses, notes))
}

/// The changes that were in flight when a run died and that the lookup found made, with the
/// account each acted in (one whose account cannot be reached is left out).
async fn resolve_in_flight(
    record: &Record,
    iam: &dyn Iam,
    accounts: &Accounts,
    tfc: &dyn Tfc,
) -> Vec<(Change, Outcome, Option<String>)> {
    let mut resolved = Vec::new();
    for (change, account) in record.in_flight_in_accounts() {
        let Ok(port) = accounts.iam(iam, account) else {
            continue;
        };
        if let Some(outcome) = change.kind().resolve_in_flight(port, tfc).await {
            resolved.push((change.clone(), outcome, account.map(String::from)));
        }
    }
    resolved
}

/// Roles and variable sets this apply created: undo deletes them with what is inside.
fn created_holders(done: &[(&Change, &Outcome)]) -> Vec<Holder> {
    done.iter()
        .filter_map(|(c, o)| c.kind().creates(o))
        .collect()
}

/// The names of the roles among `holders`.
fn role_names(holders: &[Holder]) -> Vec<String> {
    holders
        .iter()
        .filter_map(|h| match h {
            Holder::Role { name } => Some(name.clone()),
            Holder::VariableSet { .. } => None,
        })
        .collect()
}

/// The inverses of `done`, newest first, each with the account of the change it undoes. After
/// keys were `lost`, the setup and the key removals are not reverted; what sits inside a holder
/// the undo deletes goes with it. An inverse that cannot be made becomes a warning in `notes`.
fn inverses_of(
    done: &[(&Change, &Outcome)],
    done_in: &[Option<String>],
    holders: &[Holder],
    lost: &[String],
    notes: &mut Vec<Note>,
) -> Vec<(Change, Option<String>)> {
    let mut inverses = Vec::new();
    for ((change, outcome), account) in done.iter().zip(done_in).rev() {
        let kind = change.kind();
        if !lost.is_empty() && (kind.is_setup() || is_key_removal(change)) {
            continue;
        }
        // Deleting a variable set or role takes its contents with it.
        if kind.puts_in().is_some_and(|(h, _)| holders.contains(&h)) {
            continue;
        }
        let held = match kind.creates(outcome) {
            Some(holder) => held_in(done, &holder),
            None => Vec::new(),
        };
        match kind.inverse(outcome, &held) {
            Ok(Some(inv)) => inverses.push((inv, account.clone())),
            Ok(None) => {}
            Err(why) => notes.push(Note::warning(why.resource, why.text)),
        }
    }
    inverses
}

/// What the done changes put in `holder`.
fn held_in(done: &[(&Change, &Outcome)], holder: &Holder) -> Vec<Held> {
    done.iter()
        .filter_map(|(c, _)| c.kind().puts_in())
        .filter(|(h, _)| h == holder)
        .map(|(_, held)| held)
        .collect()
}

/// Takes the provider's deletion out of `inverses` when roles trust it through changes made
/// after the apply (deleting it would break them), saying so in `notes`. `dropped` is what was
/// done and the roles the undo deletes.
async fn keep_provider_in_use(
    inverses: &mut Vec<(Change, Option<String>)>,
    (iam, accounts): (&dyn Iam, &Accounts),
    (done, deleted_roles): (&[(&Change, &Outcome)], &[String]),
    notes: &mut Vec<Note>,
) -> Result<(), PlanError> {
    let Some(pos) = inverses
        .iter()
        .position(|(c, _)| matches!(c, Change::DeleteOidcProvider(_)))
    else {
        return Ok(());
    };
    let (Change::DeleteOidcProvider(provider), account) = &inverses[pos] else {
        unreachable!()
    };
    let arn = provider.arn.clone();
    let port = accounts
        .iam(iam, account.as_deref())
        .map_err(|e| PlanError::aws("reach the provider's account")(IamError::Credentials(e)))?;
    let users = later_trusting_roles(port, &arn, done, deleted_roles).await?;
    if !users.is_empty() {
        notes.push(Note::info(
            arn.clone(),
            format!(
                "keeping OIDC provider {arn}: roles {} trust it through changes made after the apply",
                users.join(", ")
            ),
        ));
        inverses.remove(pos);
    }
    Ok(())
}

/// The undo plan: `inverses` in order, each waiting for the one before, on the host,
/// organization, project and account the apply's journal began with.
fn undo_plan(record: &Record, inverses: Vec<(Change, Option<String>)>, notes: Vec<Note>) -> Plan {
    let (host, organization, project, account, fingerprint) = begun_with(record);
    let changes = inverses
        .into_iter()
        .enumerate()
        .map(|(i, (change, account))| PlannedChange {
            change,
            depends_on: if i == 0 { vec![] } else { vec![i - 1] },
            account,
        })
        .collect();
    Plan {
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
    }
}

/// The host, organization, project, account and fingerprint of the record's `Begin` entry
/// (empty when it has none).
fn begun_with(record: &Record) -> (String, String, String, String, String) {
    record
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
        .unwrap_or_default()
}
