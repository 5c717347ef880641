//! Reverting the last journaled apply: each done change has an inverse, run newest first. What
//! was created is deleted, changed values are restored, and an OIDC provider that other roles
//! still trust is kept.

use crate::core::change::{Held, Holder};
use crate::core::dynamic_vars::STATIC_KEYS;
use crate::core::error::PlanError;
use crate::core::journal::{Outcome, Record};
use crate::core::plan::{Change, Note, Plan, PlannedChange};
use crate::core::ports::{Iam, Tfc};

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

/// Plans the undo of `record`: inverses newest first, each waiting for the one before. Changes
/// that were in flight when a run died are looked up first, so what they made is removed too.
/// After a `migrate` that deleted key variables, only the detachments and deactivations are
/// reverted (sets reattached, keys reactivated); the OIDC setup stays, and a note says why.
pub async fn plan_undo(record: &Record, iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Plan, PlanError> {
    let mut resolved: Vec<(Change, Outcome)> = Vec::new();
    for change in record.in_flight() {
        if let Some(outcome) = change.kind().resolve_in_flight(iam, tfc).await {
            resolved.push((change.clone(), outcome));
        }
    }
    let mut done = record.done();
    done.extend(resolved.iter().map(|(c, o)| (c, o)));
    // Roles and variable sets this apply created: undo deletes them with what is inside.
    let holders: Vec<Holder> = done
        .iter()
        .filter_map(|(c, o)| c.kind().creates(o))
        .collect();
    let deleted_roles: Vec<String> = holders
        .iter()
        .filter_map(|h| match h {
            Holder::Role { name } => Some(name.clone()),
            Holder::VariableSet { .. } => None,
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
        let kind = change.kind();
        if !lost.is_empty() && (kind.is_setup() || is_key_removal(change)) {
            continue;
        }
        // Deleting a variable set or role takes its contents with it.
        if kind.puts_in().is_some_and(|(h, _)| holders.contains(&h)) {
            continue;
        }
        let held: Vec<Held> = match kind.creates(outcome) {
            Some(holder) => done
                .iter()
                .filter_map(|(c, _)| c.kind().puts_in())
                .filter(|(h, _)| *h == holder)
                .map(|(_, held)| held)
                .collect(),
            None => Vec::new(),
        };
        match kind.inverse(outcome, &held) {
            Ok(Some(inv)) => inverses.push(inv),
            Ok(None) => {}
            Err(why) => notes.push(Note::warning(why.resource, why.text)),
        }
    }
    if let Some(pos) = inverses
        .iter()
        .position(|c| matches!(c, Change::DeleteOidcProvider(_)))
    {
        let Change::DeleteOidcProvider(provider) = &inverses[pos] else {
            unreachable!()
        };
        let arn = &provider.arn;
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
