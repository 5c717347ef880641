//! A key's own account. `sts:GetAccessKeyInfo` names the account of any key, but moto (and a
//! key IAM here may not describe) answers with the caller's own account, so the account is
//! confirmed through its IAM: a key is an account's when that account's `GetAccessKeyLastUsed`
//! names a user there who lists it. Each workspace's role is then made in its key's account;
//! workspaces whose key's account has no way in (no `--account-profile`) are left on their keys
//! and reported.

use super::discover::KeyedWorkspace;
use super::keys::{look_up_one, KeyOwner};
use super::MigrateError;
use crate::core::accounts::Accounts;
use crate::core::plan::{mask_key_id, Note};
use std::collections::{BTreeMap, BTreeSet};

/// An account that holds keys of migrated workspaces but cannot be reached in this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreachableAccount {
    pub account: String,
    /// The profile that reached the account when its IAM did not describe the key (`None`:
    /// no profile was given for it).
    pub profile: Option<String>,
    /// The access key ids of that account.
    pub keys: Vec<String>,
    /// The workspaces left on those keys.
    pub workspaces: Vec<String>,
}

/// For each key the default credentials' IAM does not describe, asks the reachable accounts'
/// IAM (the one STS names first, when it names a reachable one): the first that describes it
/// owns it. What no account describes stays as it was.
pub(super) async fn locate(owners: &mut BTreeMap<String, KeyOwner>, accounts: &Accounts) {
    // Each account's caller, asked once (an account that cannot answer is not asked about keys).
    let mut callers = Vec::new();
    for account in accounts.ids() {
        let Some(reach) = accounts.get(account) else {
            continue;
        };
        if let Ok(caller) = reach.iam.caller_identity().await {
            callers.push((account, reach, caller));
        }
    }
    if callers.is_empty() {
        return;
    }
    for (id, owner) in owners.iter_mut() {
        // STS naming an account settles which IAM to ask; a key it cannot place (or places in
        // the default account, as moto does) is asked of every reachable account.
        let named = match owner {
            KeyOwner::ThisAccount { .. } => continue,
            KeyOwner::OtherAccount { account } => account.clone(),
            KeyOwner::Unknown { .. } => None,
        };
        let candidates = callers
            .iter()
            .filter(|(account, _, _)| named.as_deref().is_none_or(|n| n == *account));
        for (account, reach, caller) in candidates {
            let Ok(mut found) = look_up_one(reach.iam.as_ref(), caller, id).await else {
                continue;
            };
            if let KeyOwner::ThisAccount { account: place, .. } = &mut found {
                *place = Some(account.to_string());
                *owner = found;
                break;
            }
        }
    }
}

/// Where each keyed workspace's role goes: the account of the key its runs take (`None`: the
/// default credentials' account, also when the key's account is not known), by workspace id;
/// and the accounts with no way in, with the workspaces they leave on static keys.
pub(super) fn place(
    keyed: &[KeyedWorkspace],
    owners: &BTreeMap<String, KeyOwner>,
    accounts: &Accounts,
) -> (BTreeMap<String, Option<String>>, Vec<UnreachableAccount>) {
    let mut placed = BTreeMap::new();
    let mut unreachable: BTreeMap<String, (BTreeSet<String>, Vec<String>)> = BTreeMap::new();
    for ws in keyed {
        let effective = ws.effective().or(ws.sources.first());
        let key_id = effective.and_then(|s| s.key_id.as_ref());
        let owner = key_id.and_then(|k| owners.get(k));
        match (key_id, owner) {
            (_, Some(KeyOwner::ThisAccount { account, .. })) => {
                placed.insert(ws.id.clone(), account.clone());
            }
            (Some(key), Some(KeyOwner::OtherAccount { account: Some(a) })) => {
                let entry = unreachable.entry(a.clone()).or_default();
                entry.0.insert(key.clone());
                entry.1.push(ws.name.clone());
            }
            _ => {
                placed.insert(ws.id.clone(), None);
            }
        }
    }
    let unreachable = unreachable
        .into_iter()
        .map(|(account, (keys, workspaces))| UnreachableAccount {
            profile: accounts.profile(&account).map(String::from),
            account,
            keys: keys.into_iter().collect(),
            workspaces,
        })
        .collect();
    (placed, unreachable)
}

/// The warning for an account with no way in: its keys, the workspaces left on them, and how
/// to reach it.
pub(super) fn unreachable_note(u: &UnreachableAccount) -> Note {
    let keys: Vec<String> = u.keys.iter().map(|k| mask_key_id(k)).collect();
    let left = crate::core::text::and_list(&u.workspaces);
    let how = match &u.profile {
        Some(p) => format!(
            "IAM of account {} (profile {p}) does not describe {}",
            u.account,
            keys.join(", ")
        ),
        None => format!(
            "no way into account {}: pass --account-profile {}=PROFILE",
            u.account, u.account
        ),
    };
    Note::warning(
        format!("AWS account {}", u.account),
        format!(
            "{left} stay{} on static keys of AWS account {} ({}), left alone: {how}",
            if u.workspaces.len() == 1 { "s" } else { "" },
            u.account,
            keys.join(", ")
        ),
    )
}

/// With `--target varset` a project gets one variable set, named after its role, which can
/// name one account's role only: a project whose workspaces' keys span accounts is refused.
pub(super) fn one_account_per_varset(
    to_set_up: &BTreeMap<Option<String>, BTreeMap<String, Vec<String>>>,
) -> Result<(), MigrateError> {
    let mut seen: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (account, projects) in to_set_up {
        for project in projects.keys() {
            let name = account
                .clone()
                .unwrap_or_else(|| "the default credentials'".into());
            seen.entry(project).or_default().push(name);
        }
    }
    match seen.into_iter().find(|(_, accounts)| accounts.len() > 1) {
        Some((project, accounts)) => Err(MigrateError::VarsetSpansAccounts {
            project: project.to_string(),
            accounts,
        }),
        None => Ok(()),
    }
}
