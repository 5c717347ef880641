//! The AWS accounts a run reaches besides the default credentials' one: each through a named
//! profile (`--account-profile ACCOUNT=PROFILE`), with its own [`Iam`] port. A planned change
//! names the account it acts in (`None`: the default credentials' account); apply routes it to
//! that account's port, the journal records account and profile with it, and undo reaches the
//! account again through the same profile.

use crate::core::journal::{Entry, Outcome, Record};
use crate::core::plan::Change;
use crate::core::ports::{AuditTrail, Iam};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How one account is reached.
#[derive(Clone)]
pub struct AccountConnection {
    /// The AWS profile whose credentials act in the account.
    pub profile: String,
    pub iam: Arc<dyn Iam>,
    /// The account's CloudTrail, where migrate looks for a key's use (`None`: not read).
    pub trail: Option<Arc<dyn AuditTrail>>,
}

impl std::fmt::Debug for AccountConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountConnection")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// The other accounts reachable in this run, by account id.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    reach: BTreeMap<String, AccountConnection>,
}

impl Accounts {
    /// No other account: every change acts in the default credentials' account.
    pub fn none() -> Accounts {
        Accounts::default()
    }

    /// Adds (or replaces) the way into `account`.
    pub fn add(&mut self, account: &str, profile: &str, iam: Arc<dyn Iam>) {
        let reach = AccountConnection {
            profile: profile.to_string(),
            iam,
            trail: None,
        };
        self.reach.insert(account.to_string(), reach);
    }

    /// Reads `account`'s CloudTrail through `trail` (the account must have been added).
    pub fn add_trail(&mut self, account: &str, trail: Arc<dyn AuditTrail>) {
        if let Some(reach) = self.reach.get_mut(account) {
            reach.trail = Some(trail);
        }
    }

    pub fn get(&self, account: &str) -> Option<&AccountConnection> {
        self.reach.get(account)
    }

    /// The account ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.reach.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.reach.is_empty()
    }

    /// The profile that reaches `account`, for the journal.
    pub fn profile(&self, account: &str) -> Option<&str> {
        self.reach.get(account).map(|r| r.profile.as_str())
    }

    /// The port a change of `account` goes through: `default` for `None`; an error sentence
    /// when the account is not reachable in this run.
    pub fn iam<'a>(
        &'a self,
        default: &'a dyn Iam,
        account: Option<&str>,
    ) -> Result<&'a dyn Iam, String> {
        match account {
            None => Ok(default),
            Some(a) => self.reach.get(a).map(|r| r.iam.as_ref()).ok_or_else(|| {
                format!("AWS account {a} is not reachable in this run: pass --account-profile {a}=PROFILE")
            }),
        }
    }
}

/// Every AWS account a run reaches, with its IAM and CloudTrail: the default credentials'
/// (`iam`, `trail`) and the [`Accounts`] besides.
#[derive(Clone, Copy)]
pub struct AwsReach<'a> {
    pub iam: &'a dyn Iam,
    pub trail: Option<&'a dyn AuditTrail>,
    pub accounts: &'a Accounts,
}

impl<'a> AwsReach<'a> {
    /// The IAM of `account` (`None`: the default credentials'), if this run reaches it.
    pub fn iam_in(&self, account: Option<&str>) -> Option<&'a dyn Iam> {
        self.accounts.iam(self.iam, account).ok()
    }

    /// The CloudTrail of `account`, if this run reads it.
    pub fn trail_in(&self, account: Option<&str>) -> Option<&'a dyn AuditTrail> {
        match account {
            None => self.trail,
            Some(a) => self.accounts.get(a).and_then(|r| r.trail.as_deref()),
        }
    }
}

/// What a journal says about the accounts its changes acted in.
impl Record {
    /// [`Record::done`] with the account each change acted in (`None`: the default
    /// credentials' account).
    pub fn done_in_accounts(&self) -> Vec<(&Change, &Outcome, Option<&str>)> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Done {
                    change,
                    outcome,
                    account,
                    ..
                } => Some((change.as_ref(), outcome, account.as_deref())),
                _ => None,
            })
            .collect()
    }

    /// The profile that reached each account other than the default credentials' one, as the
    /// apply recorded it: undo reaches them the same way.
    pub fn account_profiles(&self) -> BTreeMap<String, String> {
        let mut profiles = BTreeMap::new();
        for e in &self.entries {
            if let Entry::Intent {
                account: Some(a),
                profile: Some(p),
                ..
            }
            | Entry::Done {
                account: Some(a),
                profile: Some(p),
                ..
            } = e
            {
                profiles.insert(a.clone(), p.clone());
            }
        }
        profiles
    }

    /// [`Record::in_flight`] with the account each change acts in.
    pub fn in_flight_in_accounts(&self) -> Vec<(&Change, Option<&str>)> {
        let finished: Vec<u64> = self
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Done { intent, .. } | Entry::Failed { intent, .. } => *intent,
                _ => None,
            })
            .collect();
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Intent {
                    seq,
                    change,
                    account,
                    ..
                } if !finished.contains(seq) => Some((change.as_ref(), account.as_deref())),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::SandboxIam;

    #[tokio::test]
    async fn routes_by_account() {
        let default = SandboxIam::new();
        let mut accounts = Accounts::none();
        let other = Arc::new(SandboxIam::with_account("210987654321"));
        accounts.add("210987654321", "analytics", other);
        let in_other = accounts.iam(&default, Some("210987654321")).unwrap();
        let caller = in_other.caller_identity().await.unwrap();
        assert_eq!(caller.account, "210987654321");
        let own = accounts.iam(&default, None).unwrap();
        assert_eq!(own.caller_identity().await.unwrap().account, "123456789012");
        let err = accounts.iam(&default, Some("999999999999")).err().unwrap();
        assert!(
            err.contains("--account-profile 999999999999=PROFILE"),
            "{err}"
        );
        assert_eq!(accounts.profile("210987654321"), Some("analytics"));
    }
}
