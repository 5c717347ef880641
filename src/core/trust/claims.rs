//! What an `AssumeRoleWithWebIdentity` request carries: the provider it comes through and the
//! token's claims, built from a run's subject and read back by the evaluator.

use super::subject::RunSubject;
use serde::Serialize;

/// What a request carries: the provider it comes through and the token's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claims {
    /// The issuer host, which is also the condition-key prefix (`app.terraform.io:sub`).
    pub host: String,
    pub provider_arn: String,
    pub aud: String,
    /// The token's subject; empty stands for a token without the claim (HCP Terraform always
    /// sends one; the guardrail's `Null` check is about tokens that do not).
    pub sub: String,
}

impl Claims {
    /// The value a request has for a condition key, `None` when it carries no such key.
    pub(super) fn value_of(&self, key: &str) -> Option<&str> {
        if key.eq_ignore_ascii_case(&format!("{}:aud", self.host)) {
            Some(&self.aud)
        } else if key.eq_ignore_ascii_case(&format!("{}:sub", self.host)) {
            // An empty `sub` stands for a token without the claim (the guardrail's `Null` check).
            Some(self.sub.as_str()).filter(|s| !s.is_empty())
        } else {
            None
        }
    }

    /// Whether tfc-oidc can know the key's value. Other keys (`aws:SourceIp`, …) exist in real
    /// requests, but their values cannot be predicted here.
    pub(super) fn knows(&self, key: &str) -> bool {
        let k = key.to_ascii_lowercase();
        let host = self.host.to_ascii_lowercase();
        k.starts_with(&format!("{host}:"))
    }

    /// The claims of a token for `subject` through the provider of `host`.
    pub fn for_subject(host: &str, provider_arn: &str, aud: &str, subject: &RunSubject) -> Claims {
        Claims {
            host: host.to_string(),
            provider_arn: provider_arn.to_string(),
            aud: aud.to_string(),
            sub: subject.to_sub(),
        }
    }
}
