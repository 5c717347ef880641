//! Which profiles of the shared config files (`~/.aws/config`, `~/.aws/credentials`, or
//! `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`) act in an AWS account, as far as their
//! settings say it without a call: `sso_account_id`, or the account of `role_arn` (the others
//! are left to their caller identity). `migrate`
//! offers them as the `--account-profile` flag to add for an account it cannot reach. The SDK's
//! own parser reads the files; only names and account ids are kept, never a key.

use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};
use futures::FutureExt;

/// Every profile, with the account its settings name (`None`: they do not say), by name.
pub fn read_profile_accounts() -> Vec<(String, Option<String>)> {
    accounts_of(&EnvConfigFiles::default(), &Fs::real(), &Env::real())
}

/// [`read_profile_accounts`] over the given file contents.
pub fn parse_profile_accounts(config: &str, credentials: &str) -> Vec<(String, Option<String>)> {
    let files = EnvConfigFiles::builder()
        .with_contents(EnvConfigFileKind::Config, config)
        .with_contents(EnvConfigFileKind::Credentials, credentials)
        .build();
    accounts_of(&files, &Fs::from_slice(&[]), &Env::from_slice(&[]))
}

/// The profiles of `account`, by name.
pub fn profiles_for(pairs: &[(String, Option<String>)], account: &str) -> Vec<String> {
    let of = pairs.iter().filter(|(_, a)| a.as_deref() == Some(account));
    of.map(|(p, _)| p.clone()).collect()
}

fn accounts_of(files: &EnvConfigFiles, fs: &Fs, env: &Env) -> Vec<(String, Option<String>)> {
    // The loader reads with std::fs (or from memory): ready on its first poll.
    let load = aws_config::profile::load(fs, env, files, None).now_or_never();
    let Some(Ok(set)) = load else {
        return Vec::new();
    };
    let mut pairs: Vec<(String, Option<String>)> = set
        .profiles()
        .filter_map(|name| {
            let profile = set.get_profile(name)?;
            let account = profile
                .get("sso_account_id")
                .map(str::to_owned)
                .or_else(|| profile.get("role_arn").and_then(arn_account));
            Some((name.to_owned(), account))
        })
        .collect();
    pairs.sort();
    pairs
}

/// The account of `arn:PARTITION:iam::ACCOUNT:role/NAME`.
fn arn_account(arn: &str) -> Option<String> {
    let account = arn.split(':').nth(4)?;
    let valid = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| account.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sso_and_role_profiles_name_their_account() {
        let config = "[default]\nregion = us-east-1\n\
            [profile analytics]\nsso_account_id = 210987654321\nsso_role_name = Admin\n\
            [profile deploy]\nrole_arn = arn:aws:iam::210987654321:role/deploy\nsource_profile = default\n\
            [profile other]\nrole_arn = arn:aws:iam::111122223333:role/x\nsource_profile = default\n\
            [profile broken]\nrole_arn = not-an-arn\n";
        let pairs = parse_profile_accounts(config, "[default]\naws_access_key_id = A\n");
        assert_eq!(
            profiles_for(&pairs, "210987654321"),
            ["analytics", "deploy"]
        );
        assert_eq!(profiles_for(&pairs, "111122223333"), ["other"]);
        assert!(profiles_for(&pairs, "999999999999").is_empty());
        let unsaid: Vec<&str> = (pairs.iter())
            .filter(|(_, a)| a.is_none())
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(
            unsaid,
            ["broken", "default"],
            "left to their caller identity"
        );
        assert!(parse_profile_accounts("", "").is_empty());
    }
}
