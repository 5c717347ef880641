//! The naming rules of IAM and HCP Terraform, checked before any call so a bad name fails with a
//! clear message instead of half-way through an apply.

use thiserror::Error;

/// A name or value that a service would refuse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{what} '{value}' is not valid: {reason}")]
pub struct NameError {
    pub what: &'static str,
    pub value: String,
    pub reason: String,
}

fn name_error(what: &'static str, value: &str, reason: impl Into<String>) -> NameError {
    NameError {
        what,
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// IAM role names: 1–64 characters from `A-Za-z0-9+=,.@_-`.
pub const ROLE_NAME_MAX: usize = 64;

fn is_role_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// Checks a role name against IAM's rules.
pub fn validate_role_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(name_error("role name", name, "it is empty"));
    }
    if name.chars().count() > ROLE_NAME_MAX {
        return Err(name_error(
            "role name",
            name,
            format!("IAM allows at most {ROLE_NAME_MAX} characters"),
        ));
    }
    if let Some(bad) = name.chars().find(|c| !is_role_char(*c)) {
        return Err(name_error(
            "role name",
            name,
            format!("'{bad}' is not allowed (letters, digits and +=,.@_- only)"),
        ));
    }
    Ok(())
}

/// Turns anything into a valid role name: invalid characters become `-`, runs of `-` collapse,
/// and the result is cut to `max` characters.
pub fn sanitize_role_name(raw: &str, max: usize) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        let c = if is_role_char(c) { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let mut out: String = out.trim_matches('-').chars().take(max).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "tfc-oidc".to_string()
    } else {
        out
    }
}

/// The default role name `tfc-<org>-<project>`, sanitised to IAM's rules.
pub fn default_role_name(org: &str, project: &str) -> String {
    sanitize_role_name(
        &format!("tfc-{org}-{project}").to_lowercase(),
        ROLE_NAME_MAX,
    )
}

/// The two role names used with `--split-roles`, each within IAM's limit.
pub fn split_role_names(base: &str) -> (String, String) {
    let stem = sanitize_role_name(base, ROLE_NAME_MAX - "-apply".len());
    (format!("{stem}-plan"), format!("{stem}-apply"))
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

/// Checks an IAM tag against IAM's rules (key 1–128, value 0–256 characters).
pub fn validate_tag(key: &str, value: &str) -> Result<(), NameError> {
    if key.is_empty() || key.chars().count() > 128 {
        return Err(name_error("tag key", key, "it must be 1 to 128 characters"));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(name_error("tag key", key, "the aws: prefix is reserved"));
    }
    if value.chars().count() > 256 {
        return Err(name_error(
            "tag value",
            value,
            "it must be at most 256 characters",
        ));
    }
    for (what, text) in [("tag key", key), ("tag value", value)] {
        if let Some(bad) = text.chars().find(|c| !is_tag_char(*c)) {
            return Err(name_error(
                what,
                text,
                format!("'{bad}' is not allowed in IAM tags"),
            ));
        }
    }
    Ok(())
}

/// Maximum size of a role's trust policy (IAM's default quota, whitespace not counted).
pub const TRUST_POLICY_MAX: usize = 2048;
/// Maximum size of all of a role's inline policies together.
pub const INLINE_POLICY_MAX: usize = 10_240;

/// The size IAM counts: the document without insignificant whitespace.
pub fn policy_size(value: &serde_json::Value) -> usize {
    value.to_string().chars().count()
}

/// Checks a managed policy ARN (`arn:PARTITION:iam::aws|ACCOUNT:policy/...`).
pub fn validate_policy_arn(arn: &str) -> Result<(), NameError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && (parts[4] == "aws"
            || (parts[4].len() == 12 && parts[4].bytes().all(|b| b.is_ascii_digit())))
        && parts[5].starts_with("policy/")
        && parts[5].len() > "policy/".len();
    if ok {
        Ok(())
    } else {
        Err(name_error(
            "policy ARN",
            arn,
            "expected arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME",
        ))
    }
}

/// The role name of a role ARN, leniently (`arn:aws:iam::1:role/path/name` → `name`): any
/// account, any service; for naming a role in messages.
pub fn role_name_of(arn: &str) -> Option<&str> {
    let resource = arn.split(':').nth(5)?;
    resource.strip_prefix("role/")?.rsplit('/').next()
}

/// The role name of a well-formed IAM role ARN (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`,
/// a 12-character account, a non-empty name); `None` for anything else.
pub fn iam_role_name_of(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (arn_lit, _partition, service, _region, account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn_lit != "arn" || service != "iam" || account.len() != 12 {
        return None;
    }
    role_name_of(arn).filter(|n| !n.is_empty())
}

/// Checks a role ARN given on the command line: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`,
/// a 12-digit account and a name IAM allows.
pub fn validate_role_arn(arn: &str) -> Result<(), NameError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let shaped = parts.len() == 6
        && parts[1].starts_with("aws")
        && parts[3].is_empty()
        && parts[4].bytes().all(|b| b.is_ascii_digit());
    match iam_role_name_of(arn).filter(|_| shaped) {
        Some(name) => validate_role_name(name).map_err(|e| name_error("role ARN", arn, e.reason)),
        None => Err(name_error(
            "role ARN",
            arn,
            "expected arn:aws:iam::ACCOUNT:role/NAME (a 12-digit account)",
        )),
    }
}

/// The ARN of the OIDC provider for `host` in an account (`arn:aws:iam::ACCOUNT:oidc-provider/HOST`).
pub fn oidc_provider_arn(partition: &str, account: &str, host: &str) -> String {
    format!("arn:{partition}:iam::{account}:oidc-provider/{host}")
}

/// The account of an ARN (`arn:aws:iam::123456789012:…` → `123456789012`).
pub fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// HCP Terraform organization names: letters, digits, `-` and `_`.
pub fn validate_organization_name(name: &str) -> Result<(), NameError> {
    validate_tfc_name("organization name", name, 1, 90)
}

/// HCP Terraform workspace names: letters, digits, `-` and `_`, at most 90 characters.
pub fn validate_workspace_name(name: &str) -> Result<(), NameError> {
    validate_tfc_name("workspace name", name, 1, 90)
}

fn validate_tfc_name(
    what: &'static str,
    name: &str,
    min: usize,
    max: usize,
) -> Result<(), NameError> {
    let len = name.chars().count();
    if len < min || len > max {
        return Err(name_error(
            what,
            name,
            format!("it must be {min} to {max} characters"),
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(name_error(
            what,
            name,
            format!("'{bad}' is not allowed (letters, digits, - and _ only)"),
        ));
    }
    Ok(())
}

/// HCP Terraform project names: letters, digits, spaces, `-` and `_`, 1–40 characters (the
/// documented minimum is 3, but older projects may be shorter, so only the charset is enforced).
pub fn validate_project_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() || name.chars().count() > 40 {
        return Err(name_error(
            "project name",
            name,
            "it must be 1 to 40 characters",
        ));
    }
    if name.trim() != name {
        return Err(name_error(
            "project name",
            name,
            "it starts or ends with a space",
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || " -_".contains(*c)))
    {
        return Err(name_error(
            "project name",
            name,
            format!("'{bad}' is not allowed (letters, digits, spaces, - and _ only)"),
        ));
    }
    Ok(())
}

/// Variable set names: not empty, no surrounding spaces, at most 128 characters.
pub fn validate_varset_name(name: &str) -> Result<(), NameError> {
    if name.trim().is_empty() || name.trim() != name || name.chars().count() > 128 {
        return Err(name_error(
            "variable set name",
            name,
            "it must be 1 to 128 characters with no surrounding spaces",
        ));
    }
    Ok(())
}

/// OIDC provider thumbprints as IAM takes them: the SHA-1 of a certificate, 40 hex characters.
/// The one check of that rule; the CLI cleans `openssl`'s colons off before calling it.
pub fn validate_thumbprint(thumbprint: &str) -> Result<(), NameError> {
    if thumbprint.len() != 40 || !thumbprint.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(name_error(
            "thumbprint",
            thumbprint,
            "expected 40 hexadecimal characters (a SHA-1)",
        ));
    }
    Ok(())
}

/// The audience is an IAM client ID: 1–255 characters, no whitespace.
pub fn validate_audience(aud: &str) -> Result<(), NameError> {
    if aud.is_empty() || aud.chars().count() > 255 || aud.chars().any(char::is_whitespace) {
        return Err(name_error(
            "audience",
            aud,
            "it must be 1 to 255 characters without spaces",
        ));
    }
    Ok(())
}

/// HCP Terraform host names: `app.terraform.io`, `tfe.example.com:8443`, no scheme or path.
pub fn validate_hostname(host: &str) -> Result<(), NameError> {
    let ok = !host.is_empty()
        && host.len() <= 253
        && !host.contains("://")
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    if ok {
        Ok(())
    } else {
        Err(name_error(
            "hostname",
            host,
            "expected a bare host name such as app.terraform.io",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names() {
        assert!(validate_role_name("tfc-acme-platform").is_ok());
        assert!(validate_role_name("a+b=c,d.e@f_g-h").is_ok());
        assert!(validate_role_name("").is_err());
        assert!(validate_role_name("has space").is_err());
        assert!(validate_role_name(&"x".repeat(65)).is_err());
        assert_eq!(
            default_role_name("Acme", "Default Project"),
            "tfc-acme-default-project"
        );
        assert_eq!(sanitize_role_name("  //  ", 64), "tfc-oidc");
        assert_eq!(sanitize_role_name(&"ab".repeat(50), 64).len(), 64);
    }

    #[test]
    fn split_names_fit() {
        let (plan, apply) = split_role_names(&"r".repeat(64));
        assert!(validate_role_name(&plan).is_ok());
        assert!(validate_role_name(&apply).is_ok());
        assert!(apply.ends_with("-apply") && plan.ends_with("-plan"));
    }

    #[test]
    fn tags() {
        assert!(validate_tag("tfc-oidc:project", "Default Project").is_ok());
        assert!(validate_tag("aws:thing", "x").is_err());
        assert!(validate_tag("k", "bad*value").is_err());
        assert!(validate_tag("", "x").is_err());
    }

    #[test]
    fn policies() {
        assert!(validate_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").is_ok());
        assert!(validate_policy_arn("arn:aws:iam::123456789012:policy/x/y").is_ok());
        assert!(validate_policy_arn("arn:aws:iam::12:policy/x").is_err());
        assert!(validate_policy_arn("ReadOnlyAccess").is_err());
    }

    #[test]
    fn tfc_names() {
        assert!(validate_workspace_name("network-prod_1").is_ok());
        assert!(validate_workspace_name("a b").is_err());
        assert!(validate_project_name("Default Project").is_ok());
        assert!(validate_project_name(" x").is_err());
        assert!(validate_organization_name("acme:corp").is_err());
        assert!(validate_hostname("app.terraform.io").is_ok());
        assert!(validate_hostname("https://app.terraform.io").is_err());
        assert!(validate_audience("aws.workload.identity").is_ok());
        assert!(validate_audience("a b").is_err());
    }

    #[test]
    fn thumbprints_are_forty_hex_digits() {
        assert!(
            validate_thumbprint(&"9e99a48a9960b14926bb7f3b02e22da2b0ab7280".to_uppercase()).is_ok()
        );
        let short = validate_thumbprint("abc").unwrap_err();
        assert_eq!(
            short.to_string(),
            "thumbprint 'abc' is not valid: expected 40 hexadecimal characters (a SHA-1)"
        );
        assert!(validate_thumbprint(&"g".repeat(40)).is_err());
        assert!(validate_thumbprint(&"a".repeat(41)).is_err());
    }

    #[test]
    fn role_arns_given_as_flags_are_checked() {
        assert!(validate_role_arn("arn:aws:iam::123456789012:role/teams/deploy").is_ok());
        assert!(validate_role_arn("arn:aws-us-gov:iam::123456789012:role/r").is_ok());
        for bad in [
            "garbage",
            "tfc-acme-platform",
            "arn:aws:iam::1234:role/r",
            "arn:aws:iam::12345678901x:role/r",
            "arn:aws:iam:us-east-1:123456789012:role/r",
            "arn:aws:sts::123456789012:assumed-role/r/s",
            "arn:aws:iam::123456789012:user/r",
            "arn:aws:iam::123456789012:role/has space",
            "arn:aws:iam::123456789012:role/",
        ] {
            assert!(validate_role_arn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn role_arns() {
        let arn = "arn:aws:iam::123456789012:role/teams/x/deploy";
        assert_eq!(role_name_of(arn), Some("deploy"));
        assert_eq!(iam_role_name_of(arn), Some("deploy"));
        assert_eq!(account_of(arn), Some("123456789012"));
        // Lenient for messages, strict for deciding whether a value is a role ARN.
        assert_eq!(role_name_of("arn:aws:iam::1:role/r"), Some("r"));
        assert_eq!(iam_role_name_of("arn:aws:iam::1:role/r"), None);
        assert_eq!(iam_role_name_of("arn:aws:sts::123456789012:role/r"), None);
        assert_eq!(iam_role_name_of("arn:aws:iam::123456789012:role/"), None);
        assert_eq!(role_name_of("arn:aws:iam::1:user/u"), None);
        assert_eq!(role_name_of("nonsense"), None);
        assert_eq!(
            oidc_provider_arn("aws-us-gov", "1", "tfe.example.com"),
            "arn:aws-us-gov:iam::1:oidc-provider/tfe.example.com"
        );
    }
}
