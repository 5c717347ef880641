//! The other AWS accounts a command reaches: `--account-profile ACCOUNT=PROFILE` (validated by
//! [`parse_account_profile`]), or the profiles an apply's journal recorded (undo). Each profile
//! gets its own IAM client (the sandbox's second account with `--demo`), and its caller identity
//! must be the account it is given for.

use crate::cli::error::CliError;
use crate::core::accounts::Accounts;
use crate::core::ports::{AuditTrail, Iam};
use crate::sandbox::{Sandbox, DEMO_SECOND_ACCOUNT, DEMO_SECOND_PROFILE};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One `--account-profile ACCOUNT=PROFILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountProfile {
    pub account: String,
    pub profile: String,
}

/// Parses `ACCOUNT=PROFILE`: a 12-digit account id and a non-empty profile name.
pub fn parse_account_profile(text: &str) -> Result<AccountProfile, String> {
    let Some((account, profile)) = text.split_once('=') else {
        return Err("expected ACCOUNT=PROFILE (e.g. 210987654321=analytics)".into());
    };
    let (account, profile) = (account.trim(), profile.trim());
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{account}' is not an AWS account id (12 digits)"));
    }
    if profile.is_empty() {
        return Err(format!("no profile named for account {account}"));
    }
    Ok(AccountProfile {
        account: account.into(),
        profile: profile.into(),
    })
}

/// The flags as account → profile; the same account twice with different profiles is a usage
/// error.
pub fn profiles_by_account(flags: &[AccountProfile]) -> Result<BTreeMap<String, String>, CliError> {
    let mut by_account: BTreeMap<String, String> = BTreeMap::new();
    for f in flags {
        match by_account.insert(f.account.clone(), f.profile.clone()) {
            Some(earlier) if earlier != f.profile => {
                return Err(CliError::usage(format!(
                    "--account-profile gives account {} two profiles ({earlier}, {})",
                    f.account, f.profile
                )))
            }
            _ => {}
        }
    }
    Ok(by_account)
}

/// Connects to each account through its profile and checks it is that account.
pub async fn connect_accounts(
    profiles: &BTreeMap<String, String>,
    region: Option<&str>,
    sandbox: Option<&Sandbox>,
) -> Result<Accounts, CliError> {
    let mut accounts = Accounts::none();
    for (account, profile) in profiles {
        let iam: Arc<dyn Iam> = match sandbox {
            Some(sb) if profile == DEMO_SECOND_PROFILE => sb.second.clone(),
            Some(_) => {
                return Err(CliError::usage(format!(
                    "the demo knows one other account: --account-profile {DEMO_SECOND_ACCOUNT}={DEMO_SECOND_PROFILE}"
                )))
            }
            None => crate::connect::iam_for_profile(profile, region).await,
        };
        let caller = iam.caller_identity().await.map_err(|e| {
            CliError::failure(format!(
                "cannot reach AWS account {account} through profile {profile}: {e}"
            ))
        })?;
        if &caller.account != account {
            return Err(CliError::usage(format!(
                "profile {profile} is for AWS account {}, not {account}: fix --account-profile",
                caller.account
            )));
        }
        accounts.add(account, profile, iam);
        // Where migrate looks for the use of that account's keys before deactivating them.
        let trail: Arc<dyn AuditTrail> = match sandbox {
            Some(sb) => sb.second.clone(),
            None => crate::connect::trail_for_profile(profile, region).await,
        };
        accounts.add_trail(account, trail);
    }
    Ok(accounts)
}

/// How long one profile's caller identity may take when offering profiles: a profile that
/// cannot answer soon (expired SSO session, slow credential process) is not offered.
const CALLER_IDENTITY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The profiles of the shared config files and the account each acts in: the one its settings
/// name (`sso_account_id`, `role_arn`), else its caller identity (asked concurrently, only
/// when some account is unreachable). With `--demo`, the demo's second account's profile.
pub async fn profile_accounts(demo: bool, region: Option<&str>) -> Vec<(String, Option<String>)> {
    if demo {
        let second = (
            DEMO_SECOND_PROFILE.to_string(),
            Some(DEMO_SECOND_ACCOUNT.to_string()),
        );
        return vec![second];
    }
    let pairs = crate::aws::profile_accounts::read_profile_accounts();
    let asks = pairs.into_iter().map(|(profile, account)| async move {
        if account.is_some() {
            return (profile, account);
        }
        let ask = async {
            let iam = crate::connect::iam_for_profile(&profile, region).await;
            iam.caller_identity().await.ok().map(|c| c.account)
        };
        let account = tokio::time::timeout(CALLER_IDENTITY_WAIT, ask)
            .await
            .ok()
            .flatten();
        (profile, account)
    });
    futures::future::join_all(asks).await
}

/// The exact flags to add for `account`: one per profile that acts in it.
pub fn offered_flags(account: &str, profiles: &[(String, Option<String>)]) -> Vec<String> {
    crate::aws::profile_accounts::profiles_for(profiles, account)
        .into_iter()
        .map(|p| format!("--account-profile {account}={p}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_profiles_are_validated() {
        let ok = parse_account_profile("210987654321=analytics").unwrap();
        assert_eq!(
            (ok.account.as_str(), ok.profile.as_str()),
            ("210987654321", "analytics")
        );
        for bad in [
            "210987654321",
            "21098765432=x",
            "2109876543210=x",
            "21098765432a=x",
            "210987654321=",
        ] {
            assert!(parse_account_profile(bad).is_err(), "{bad}");
        }
        let twice = [
            ok.clone(),
            AccountProfile {
                profile: "other".into(),
                ..ok.clone()
            },
        ];
        assert!(profiles_by_account(&twice).is_err());
        assert_eq!(profiles_by_account(&[ok.clone(), ok]).unwrap().len(), 1);
    }

    #[tokio::test]
    async fn the_demo_reaches_its_second_account_only() {
        let sb = Sandbox::demo();
        let good = BTreeMap::from([(
            DEMO_SECOND_ACCOUNT.to_string(),
            DEMO_SECOND_PROFILE.to_string(),
        )]);
        let accounts = connect_accounts(&good, None, Some(&sb)).await.unwrap();
        assert_eq!(
            accounts.profile(DEMO_SECOND_ACCOUNT),
            Some(DEMO_SECOND_PROFILE)
        );
        let wrong = BTreeMap::from([("111122223333".to_string(), DEMO_SECOND_PROFILE.to_string())]);
        let err = connect_accounts(&wrong, None, Some(&sb))
            .await
            .err()
            .unwrap();
        assert!(err.to_string().contains("not 111122223333"), "{err}");
        let profiles = profile_accounts(true, None).await;
        let flags = offered_flags(DEMO_SECOND_ACCOUNT, &profiles);
        let expected = format!("--account-profile {DEMO_SECOND_ACCOUNT}={DEMO_SECOND_PROFILE}");
        assert_eq!(flags, [expected]);
        assert!(offered_flags("111122223333", &profiles).is_empty());
    }
}
