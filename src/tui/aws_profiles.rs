//! The AWS profiles named in the shared config files (`~/.aws/config`, `~/.aws/credentials`, or
//! `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`), for the "add another AWS account" screen.
//! Only the section names are read: never a key.

use std::path::PathBuf;

/// The profile names of a config file (`[default]`, `[profile NAME]`) and a credentials file
/// (`[NAME]`), each once, in the order first met.
pub fn parse_profiles(config: &str, credentials: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let name = name.trim();
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    };
    for section in sections(config) {
        if section == "default" {
            add("default");
        } else if let Some(name) = section.strip_prefix("profile") {
            // `[profile NAME]` needs the space: `[profilex]` is no profile.
            if name.starts_with(char::is_whitespace) {
                add(name);
            }
        }
    }
    for section in sections(credentials) {
        add(&section);
    }
    out
}

/// The `[...]` section names of an INI text.
fn sections(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix('[')?.strip_suffix(']'))
        .map(|s| s.trim().to_string())
        .collect()
}

/// Reads both files (a missing one counts as empty), honouring the SDK's variables.
pub fn read_profiles() -> Vec<String> {
    let home = directories::BaseDirs::new().map(|b| b.home_dir().join(".aws"));
    let path = |var: &str, file: &str| -> Option<PathBuf> {
        match std::env::var_os(var) {
            Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
            _ => home.as_ref().map(|h| h.join(file)),
        }
    };
    let read = |p: Option<PathBuf>| p.and_then(|p| std::fs::read_to_string(p).ok());
    let config = read(path("AWS_CONFIG_FILE", "config")).unwrap_or_default();
    let credentials = read(path("AWS_SHARED_CREDENTIALS_FILE", "credentials")).unwrap_or_default();
    parse_profiles(&config, &credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_profile_sections_of_both_files() {
        let config = "[default]\nregion = us-east-1\n[profile analytics]\nrole_arn = x\n[profilex]\n[sso-session corp]\n";
        let credentials = "[default]\naws_access_key_id = A\n[legacy]\n";
        assert_eq!(
            parse_profiles(config, credentials),
            ["default", "analytics", "legacy"]
        );
    }
}
