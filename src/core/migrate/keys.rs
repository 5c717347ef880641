//! What IAM knows about an access key id found in a readable `AWS_ACCESS_KEY_ID`: the user that
//! owns it, its status and age, and its last use — or that it belongs to another AWS account.
//!
//! IAM answers `GetAccessKeyLastUsed` for a key of another account with `AccessDenied` (moto
//! answers with the other account's user, or `NoSuchEntity` for keys it does not hold). So a key
//! counts as this account's only when `ListAccessKeys` of its user lists it here; otherwise
//! `sts:GetAccessKeyInfo` names the account it belongs to. Neither case is an error.

use crate::core::ports::{AccessKeyStatus, CallerIdentity, Iam, IamError};
use futures::future::join_all;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Who an access key belongs to, and what IAM says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOwner {
    /// A key of an IAM user of the caller's account, or of an account reached through
    /// `--account-profile` (`account`; `None`: the default credentials' account).
    ThisAccount {
        user: String,
        status: AccessKeyStatus,
        /// RFC 3339 creation time.
        created: Option<String>,
        /// RFC 3339 time of the last use; `None` when never used.
        last_used: Option<String>,
        service: Option<String>,
        region: Option<String>,
        /// The account reached through its profile; `None`: the default credentials'.
        account: Option<String>,
    },
    /// A key of another AWS account (`account` when STS could tell which).
    OtherAccount { account: Option<String> },
    /// IAM could not say (no permission to ask, or a key this account no longer has).
    Unknown { reason: String },
}

impl KeyOwner {
    /// The IAM user, for a key of this account.
    pub fn user(&self) -> Option<&str> {
        match self {
            KeyOwner::ThisAccount { user, .. } => Some(user),
            _ => None,
        }
    }

    /// The account a key of a reachable account is in (`None`: the default credentials' account,
    /// or not a reachable account's key).
    pub fn account(&self) -> Option<&str> {
        match self {
            KeyOwner::ThisAccount { account, .. } => account.as_deref(),
            _ => None,
        }
    }
}

/// Looks up every key id (concurrently). Never fails: what cannot be learnt is
/// [`KeyOwner::Unknown`].
pub async fn look_up(
    iam: &dyn Iam,
    caller: &CallerIdentity,
    key_ids: &[String],
) -> BTreeMap<String, KeyOwner> {
    let found = join_all(key_ids.iter().map(|id| async move {
        let owner = look_up_one(iam, caller, id)
            .await
            .unwrap_or_else(|e| KeyOwner::Unknown {
                reason: e.to_string(),
            });
        (id.clone(), owner)
    }))
    .await;
    found.into_iter().collect()
}

pub(super) async fn look_up_one(
    iam: &dyn Iam,
    caller: &CallerIdentity,
    id: &str,
) -> Result<KeyOwner, IamError> {
    let used = match iam.access_key_last_used(id).await {
        Ok(used) => used,
        Err(IamError::AccessDenied(_)) => None,
        Err(e) => return Err(e),
    };
    if let Some(used) = used {
        let keys = iam.list_access_keys(&used.user).await?;
        if let Some(key) = keys.into_iter().find(|k| k.id == id) {
            return Ok(KeyOwner::ThisAccount {
                user: used.user,
                status: key.status,
                created: key.created,
                last_used: used.last_used,
                service: used.service,
                region: used.region,
                account: None,
            });
        }
    }
    let account = iam.access_key_account(id).await.ok().flatten();
    Ok(match account {
        Some(a) if a == caller.account => KeyOwner::Unknown {
            reason: format!(
                "IAM in account {a} does not describe it (deleted, or not allowed to read it)"
            ),
        },
        account => KeyOwner::OtherAccount { account },
    })
}

/// Whole days from `rfc3339` to `now`; `None` when the time does not parse.
pub fn days_since(rfc3339: &str, now: OffsetDateTime) -> Option<i64> {
    let then = OffsetDateTime::parse(rfc3339, &Rfc3339).ok()?;
    Some((now - then).whole_days().max(0))
}

/// `412 days`, `1 day`, `today`.
pub fn days_text(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "1 day".into(),
        n => format!("{n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::SandboxIam;

    fn caller() -> CallerIdentity {
        CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/demo".into(),
            user_id: "x".into(),
        }
    }

    #[tokio::test]
    async fn own_foreign_and_unknown_keys() {
        let iam = SandboxIam::new();
        iam.add_access_key("ci", "AKIAOWN000000001", AccessKeyStatus::Active);
        iam.set_access_key_use(
            "AKIAOWN000000001",
            Some("2024-01-01T00:00:00Z"),
            Some(("2024-02-01T00:00:00Z", "s3", "eu-west-1")),
        );
        iam.add_foreign_access_key("AKIAFOREIGN00001", "999999999999");
        let ids = ["AKIAOWN000000001", "AKIAFOREIGN00001", "AKIAGONE00000001"].map(String::from);
        let facts = look_up(&iam, &caller(), &ids).await;
        assert_eq!(facts[&ids[0]].user(), Some("ci"));
        assert_eq!(
            facts[&ids[1]],
            KeyOwner::OtherAccount {
                account: Some("999999999999".into())
            }
        );
        assert_eq!(facts[&ids[2]], KeyOwner::OtherAccount { account: None });
    }

    #[test]
    fn ages() {
        let now = OffsetDateTime::parse("2025-03-01T12:00:00Z", &Rfc3339).unwrap();
        assert_eq!(days_since("2025-02-27T13:00:00Z", now), Some(1));
        assert_eq!(days_since("not a date", now), None);
        assert_eq!(days_text(0), "today");
        assert_eq!(days_text(2), "2 days");
    }
}
