//! What is left to do after a migration, for each IAM user whose key it handled: the keys to
//! delete once unused, and whether the user has other credentials (other access keys, a console
//! password) or could be removed altogether. Read through the port (`ListAccessKeys`,
//! `GetLoginProfile`) after the apply; nothing is deleted: tfc-oidc only says it.

use super::keys::KeyOwner;
use crate::core::accounts::AwsReach;
use crate::core::plan::mask_key_id;
use crate::core::ports::{AccessKeyStatus, Iam};
use futures::future::join_all;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One access key of a user, and what to do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyLeft {
    pub key_id: String,
    pub status: AccessKeyStatus,
    /// A key the migration took out of HCP Terraform.
    pub migrated: bool,
    /// What is left to do with it, one sentence.
    pub todo: String,
}

/// One IAM user's leftovers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UserLeft {
    pub user: String,
    pub keys: Vec<KeyLeft>,
    /// Whether the user has a console password (`None`: it could not be read).
    pub console_password: Option<bool>,
    /// No other credentials once its migrated keys are deleted: the user could be removed.
    pub removable: bool,
    /// What is left to do with the user, one sentence.
    pub todo: String,
    /// What could not be read.
    pub unread: Vec<String>,
}

/// Key ids by IAM user.
pub type KeysByUser = BTreeMap<String, BTreeSet<String>>;

/// Key ids the migration handled, by the IAM user that owns them.
pub fn migrated_keys_by_user(
    owners: &BTreeMap<String, KeyOwner>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_user: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, owner) in owners {
        if let Some(user) = owner.user() {
            by_user
                .entry(user.to_string())
                .or_default()
                .insert(key.clone());
        }
    }
    by_user
}

fn key_todo(migrated: bool, status: AccessKeyStatus, still_used: bool) -> String {
    match (migrated, status, still_used) {
        (true, _, true) => "still received by a workspace or used elsewhere: keep it until nothing uses it, then deactivate and delete it".into(),
        (true, AccessKeyStatus::Inactive, false) => "inactive: delete it once nothing has complained (aws iam delete-access-key)".into(),
        (true, AccessKeyStatus::Active, false) => "no workspace receives it any more: deactivate it (--deactivate-keys), then delete it once nothing complains".into(),
        (false, AccessKeyStatus::Active, _) => "not used by the migrated workspaces: another credential of this user, still active".into(),
        (false, AccessKeyStatus::Inactive, _) => "not used by the migrated workspaces, inactive: delete it if nothing needs it".into(),
    }
}

/// The account each user of [`migrated_keys_by_user`] is in (`None`: the default
/// credentials'), from its keys' owners.
pub fn user_accounts(owners: &BTreeMap<String, KeyOwner>) -> BTreeMap<String, Option<String>> {
    owners
        .values()
        .filter_map(|o| Some((o.user()?.to_string(), o.account().map(String::from))))
        .collect()
}

/// Reads what is left for each user of `by_user`, through the IAM of its account
/// (`accounts`); `still_used` are the migrated keys that stay in use (received by a
/// workspace, or kept active because of use elsewhere).
pub async fn what_is_left(
    reach: AwsReach<'_>,
    (by_user, accounts): (&KeysByUser, &BTreeMap<String, Option<String>>),
    still_used: &BTreeSet<String>,
) -> Vec<UserLeft> {
    join_all(by_user.iter().map(|(user, migrated)| async move {
        let account = accounts.get(user).cloned().flatten();
        match reach.iam_in(account.as_deref()) {
            Some(iam) => user_left(iam, user, migrated, still_used).await,
            None => UserLeft {
                user: user.clone(),
                unread: vec![format!(
                    "AWS account {} is not reachable in this run",
                    account.as_deref().unwrap_or("?")
                )],
                ..UserLeft::default()
            },
        }
    }))
    .await
}

async fn user_left(
    iam: &dyn Iam,
    user: &str,
    migrated: &BTreeSet<String>,
    still_used: &BTreeSet<String>,
) -> UserLeft {
    let mut unread = Vec::new();
    let listed = iam.list_access_keys(user).await.unwrap_or_else(|e| {
        unread.push(format!("its access keys: {e}"));
        Vec::new()
    });
    let console_password = match iam.login_profile_exists(user).await {
        Ok(has) => Some(has),
        Err(e) => {
            unread.push(format!("its console password: {e}"));
            None
        }
    };
    let keys: Vec<KeyLeft> = listed
        .iter()
        .map(|k| {
            let is_migrated = migrated.contains(&k.id);
            KeyLeft {
                key_id: k.id.clone(),
                status: k.status,
                migrated: is_migrated,
                todo: key_todo(is_migrated, k.status, still_used.contains(&k.id)),
            }
        })
        .collect();
    let others: Vec<String> = keys
        .iter()
        .filter(|k| !k.migrated)
        .map(|k| mask_key_id(&k.key_id))
        .collect();
    let removable = unread.is_empty() && others.is_empty() && console_password == Some(false);
    let todo = if removable {
        format!("user {user} has no other credentials: once its keys are deleted, the user can be removed")
    } else if !unread.is_empty() {
        format!(
            "whether user {user} has other credentials could not be read: check before removing it"
        )
    } else {
        let mut has: Vec<String> = Vec::new();
        if !others.is_empty() {
            has.push(format!(
                "access key{} {}",
                if others.len() == 1 { "" } else { "s" },
                crate::core::text::and_list(&others)
            ));
        }
        if console_password == Some(true) {
            has.push("a console password".into());
        }
        format!(
            "user {user} keeps other credentials ({}): keep the user",
            has.join(" and ")
        )
    };
    UserLeft {
        user: user.to_string(),
        keys,
        console_password,
        removable,
        todo,
        unread,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::SandboxIam;

    #[tokio::test]
    async fn a_user_with_only_migrated_keys_could_go_and_one_with_a_password_stays() {
        let iam = SandboxIam::new();
        iam.add_access_key("ci", "AKIACI00000000001", AccessKeyStatus::Inactive);
        iam.add_access_key("ops", "AKIAOPS0000000001", AccessKeyStatus::Active);
        iam.add_access_key("ops", "AKIAOPS0000000002", AccessKeyStatus::Active);
        iam.add_login_profile("ops");
        let by_user = BTreeMap::from([
            (
                "ci".to_string(),
                BTreeSet::from(["AKIACI00000000001".to_string()]),
            ),
            (
                "ops".to_string(),
                BTreeSet::from(["AKIAOPS0000000001".to_string()]),
            ),
        ]);
        let none = crate::core::accounts::Accounts::none();
        let reach = AwsReach {
            iam: &iam,
            trail: None,
            accounts: &none,
        };
        let left = what_is_left(reach, (&by_user, &BTreeMap::new()), &BTreeSet::new()).await;
        assert!(left[0].removable, "{:?}", left[0]);
        assert!(left[0].keys[0].todo.starts_with("inactive: delete it"));
        assert!(!left[1].removable);
        assert_eq!(left[1].console_password, Some(true));
        assert!(
            left[1].todo.contains("a console password"),
            "{}",
            left[1].todo
        );
        assert!(left[1].todo.contains("access key AKIA"), "{}", left[1].todo);
        let other = left[1].keys.iter().find(|k| !k.migrated).unwrap();
        assert!(other.todo.contains("another credential"));
    }
}
