//! The AWS profiles named in the shared config files (`~/.aws/config`, `~/.aws/credentials`, or
//! `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`), for the "add another AWS account" screen.
//! The SDK's own profile parser reads them, so the list holds exactly the profiles the SDK can
//! connect with; only their names are kept, never a key.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};

/// The profile names of a config file (`[default]`, `[profile NAME]`) and a credentials file
/// (`[NAME]`), each once: `default` first, then by name.
pub fn parse_profiles(config: &str, credentials: &str) -> Vec<String> {
    let files = EnvConfigFiles::builder()
        .with_contents(EnvConfigFileKind::Config, config)
        .with_contents(EnvConfigFileKind::Credentials, credentials)
        .build();
    profiles_of(&files, &Fs::from_slice(&[]), &Env::from_slice(&[]))
}

/// Reads both files (a missing one counts as empty), honouring the SDK's variables.
pub fn read_profiles() -> Vec<String> {
    profiles_of(&EnvConfigFiles::default(), &Fs::real(), &Env::real())
}

/// What the SDK's loader finds in `files`; none when a file does not parse (the SDK could not
/// connect with any of its profiles either).
fn profiles_of(files: &EnvConfigFiles, fs: &Fs, env: &Env) -> Vec<String> {
    let load = aws_config::profile::load(fs, env, files, None);
    let Some(Ok(set)) = ready(load) else {
        return Vec::new();
    };
    let mut names: Vec<String> = set.profiles().map(str::to_owned).collect();
    names.sort_by(|a, b| (a != "default", a).cmp(&(b != "default", b)));
    names
}

/// The output of a future that needs no runtime. The SDK's loader is async in signature only:
/// it reads the files with `std::fs` (or from memory), so it is ready on its first poll; this
/// keeps the wizard's profile list a plain call instead of an effect.
fn ready<F: Future>(future: F) -> Option<F::Output> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_profile_sections_of_both_files() {
        let cases: [(&str, &str, &[&str]); 3] = [
            (
                "[default]\nregion = us-east-1\n[profile analytics]\nrole_arn = x\n[profilex]\n[sso-session corp]\n",
                "[default]\naws_access_key_id = A\n[legacy]\n",
                &["default", "analytics", "legacy"],
            ),
            // `default` first, then by name.
            (
                "[profile zeta]\nregion = eu-west-1\n[profile alpha]\nregion = eu-west-1\n",
                "[default]\naws_access_key_id = A\n",
                &["default", "alpha", "zeta"],
            ),
            ("", "", &[]),
        ];
        for (config, credentials, expected) in cases {
            assert_eq!(parse_profiles(config, credentials), expected, "{config}");
        }
    }

    #[test]
    fn files_are_found_where_the_sdk_looks_for_them() {
        let fs = Fs::from_slice(&[
            (
                "/home/u/.aws/config",
                "[profile home]\nregion = eu-west-1\n",
            ),
            (
                "/home/u/.aws/credentials",
                "[keys]\naws_access_key_id = A\n",
            ),
            (
                "/etc/aws/other",
                "[profile elsewhere]\nregion = eu-west-1\n",
            ),
        ]);
        let home = Env::from_slice(&[("HOME", "/home/u")]);
        let found = profiles_of(&EnvConfigFiles::default(), &fs, &home);
        assert_eq!(found, ["home", "keys"]);
        let moved = Env::from_slice(&[("HOME", "/home/u"), ("AWS_CONFIG_FILE", "/etc/aws/other")]);
        let found = profiles_of(&EnvConfigFiles::default(), &fs, &moved);
        assert_eq!(found, ["elsewhere", "keys"]);
    }
}
