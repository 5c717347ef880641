//! The organization-wide guardrail: an AWS Organizations resource control policy (RCP) that
//! keeps every role in the accounts it is attached to from being assumed through an HCP
//! Terraform issuer by anyone but the named organizations — whatever a role's own trust policy
//! says. A role someone later creates with no `sub` condition, or with `organization:acme*`,
//! still cannot be assumed by a stranger's organization.
//!
//! The form follows AWS's published RCP examples for issuers shared by many tenants
//! ("Limit access to trusted OIDC identity providers", the Terraform Cloud statement): a Deny
//! for `sts:AssumeRoleWithWebIdentity` on `Principal "*"` and `Resource "*"` whose conditions
//! only hold for tokens of that issuer (`Null` on the issuer's own `HOST:sub` key), so tokens of
//! other issuers (GitHub, EKS, …) never match it.

use crate::core::names::{self, NameError};
use serde_json::{json, Value};

/// AWS Organizations' limit on a resource control policy document, in characters (whitespace
/// included, which is why the policy is sent minified).
pub const RCP_MAX_CHARS: usize = 5_120;

/// Why a guardrail cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardrailError {
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("name at least one organization with --org")]
    NoOrganization,
    #[error("the policy would be {chars} characters, over the {max}-character limit of a resource control policy: name fewer organizations or hosts, or write one policy per host")]
    TooLarge { chars: usize, max: usize },
}

/// The RCP for `hosts` (issuer host names) admitting only `organizations`' runs.
pub fn resource_control_policy(
    hosts: &[String],
    organizations: &[String],
) -> Result<Value, GuardrailError> {
    if organizations.is_empty() {
        return Err(GuardrailError::NoOrganization);
    }
    for org in organizations {
        names::validate_organization_name(org)?;
    }
    let mut statements = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for host in hosts {
        names::validate_hostname(host)?;
        // A host named twice would repeat its statements and their Sids, which IAM refuses.
        if seen.contains(&host.to_ascii_lowercase()) {
            continue;
        }
        seen.push(host.to_ascii_lowercase());
        statements.push(only_these_organizations(host, organizations));
        statements.push(no_token_without_sub(host));
    }
    let policy = json!({ "Version": "2012-10-17", "Statement": statements });
    let chars = minified(&policy).chars().count();
    if chars > RCP_MAX_CHARS {
        return Err(GuardrailError::TooLarge {
            chars,
            max: RCP_MAX_CHARS,
        });
    }
    Ok(policy)
}

/// The policy as AWS counts it: no whitespace outside strings.
pub fn minified(policy: &Value) -> String {
    policy.to_string()
}

/// Deny a token of `host` whose `sub` names none of `organizations`.
fn only_these_organizations(host: &str, organizations: &[String]) -> Value {
    let patterns: Vec<String> = organizations
        .iter()
        .map(|o| format!("organization:{o}:*"))
        .collect();
    json!({
        "Sid": format!("DenyOtherOrganizations{}", sid_part(host)),
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Resource": "*",
        "Condition": {
            "StringNotLikeIfExists": { format!("{host}:sub"): patterns },
            "Null": { format!("{host}:sub"): "false" }
        }
    })
}

/// Deny a token of `host` (it carries the issuer's `aud`) that has no `sub` at all.
fn no_token_without_sub(host: &str) -> Value {
    json!({
        "Sid": format!("DenyNoSubject{}", sid_part(host)),
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Resource": "*",
        "Condition": {
            "Null": { format!("{host}:aud"): "false", format!("{host}:sub"): "true" }
        }
    })
}

/// A statement id may hold letters and digits only: `app.eu.terraform.io` → `AppEuTerraformIo`.
fn sid_part(host: &str) -> String {
    host.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::trust::{evaluate, Claims, PolicyDocument};

    fn policy(hosts: &[&str], orgs: &[&str]) -> PolicyDocument {
        let hosts: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
        let orgs: Vec<String> = orgs.iter().map(|o| o.to_string()).collect();
        let value = resource_control_policy(&hosts, &orgs).unwrap();
        PolicyDocument::parse(&value.to_string()).unwrap()
    }

    fn claims(host: &str, sub: &str) -> Claims {
        Claims {
            host: host.into(),
            provider_arn: format!("arn:aws:iam::123456789012:oidc-provider/{host}"),
            aud: "aws.workload.identity".into(),
            sub: sub.into(),
        }
    }

    /// Whether the guardrail denies the request (an RCP has no Allow of its own: what it does
    /// not deny passes on to the role's trust policy).
    fn denied(p: &PolicyDocument, c: &Claims) -> bool {
        evaluate(p, c).denied_by().is_some()
    }

    const OURS: &str = "organization:acme:project:p:workspace:w:run_phase:apply";

    #[test]
    fn our_organizations_pass_and_others_are_denied() {
        let p = policy(&["app.terraform.io"], &["acme", "acme-labs"]);
        assert!(!denied(&p, &claims("app.terraform.io", OURS)));
        let labs = "organization:acme-labs:project:p:workspace:w:run_phase:plan";
        assert!(!denied(&p, &claims("app.terraform.io", labs)));
        // A look-alike organization: `organization:acme*` in a role's trust would admit it.
        let evil = "organization:acme-evil:project:p:workspace:w:run_phase:apply";
        assert!(denied(&p, &claims("app.terraform.io", evil)));
        assert!(denied(&p, &claims("app.terraform.io", "")));
    }

    #[test]
    fn tokens_of_other_issuers_are_untouched() {
        let p = policy(&["app.terraform.io"], &["acme"]);
        let github = claims(
            "token.actions.githubusercontent.com",
            "repo:octo/app:ref:main",
        );
        assert!(!denied(&p, &github));
        let other_host = claims("app.eu.terraform.io", "organization:stranger:x");
        assert!(!denied(&p, &other_host));
    }

    #[test]
    fn keys_follow_each_host() {
        let p = policy(&["app.terraform.io", "tfe.example.com"], &["acme"]);
        let stranger = "organization:stranger:project:p:workspace:w:run_phase:apply";
        assert!(denied(&p, &claims("tfe.example.com", stranger)));
        assert!(!denied(&p, &claims("tfe.example.com", OURS)));
        let text = resource_control_policy(&["app.eu.terraform.io".into()], &["acme".into()])
            .unwrap()
            .to_string();
        assert!(text.contains("\"app.eu.terraform.io:sub\""), "{text}");
        assert!(
            text.contains("DenyOtherOrganizationsAppEuTerraformIo"),
            "{text}"
        );
    }

    #[test]
    fn a_host_named_twice_gets_its_statements_once() {
        let hosts: Vec<String> = ["app.terraform.io", "tfe.example.com", "App.Terraform.io"]
            .map(String::from)
            .to_vec();
        let policy = resource_control_policy(&hosts, &["acme".into()]).unwrap();
        assert_eq!(policy["Statement"].as_array().unwrap().len(), 4);
    }

    #[test]
    fn bad_input_and_the_size_limit_are_refused() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            resource_control_policy(&["app.terraform.io".into()], &none),
            Err(GuardrailError::NoOrganization)
        );
        assert!(
            resource_control_policy(&["app.terraform.io".into()], &["bad org".into()]).is_err()
        );
        let many: Vec<String> = (0..200).map(|i| format!("organization-{i}")).collect();
        let err = resource_control_policy(&["app.terraform.io".into()], &many).unwrap_err();
        assert!(err.to_string().contains("5120-character limit"), "{err}");
    }
}
