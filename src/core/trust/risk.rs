//! Trust that is too broad to build on: a statement for the HCP Terraform provider that any
//! organization's token satisfies. Setup refuses to reuse such a role and `review` reports it
//! (TFCOIDC001, TFCOIDC002); both ask this module.

use super::{Effect, PolicyDocument, Statement};
use crate::core::trust::subject::organization_unpinned;

/// Why a statement lets other organizations in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BroadTrust {
    /// An Allow for the provider with no positive condition on `HOST:sub` (TFCOIDC001).
    NoSubCondition { statement: usize },
    /// A `sub` pattern whose organization part has a wildcard, or that does not start with
    /// `organization:NAME:` at all (TFCOIDC002).
    OrganizationWildcard { statement: usize, pattern: String },
}

impl BroadTrust {
    /// The catalogue id of the matching finding.
    pub fn finding(&self) -> &'static str {
        match self {
            BroadTrust::NoSubCondition { .. } => "TFCOIDC001",
            BroadTrust::OrganizationWildcard { .. } => "TFCOIDC002",
        }
    }

    pub fn statement(&self) -> usize {
        match self {
            BroadTrust::NoSubCondition { statement }
            | BroadTrust::OrganizationWildcard { statement, .. } => *statement,
        }
    }

    /// Why, in a few words.
    pub fn reason(&self) -> String {
        match self {
            BroadTrust::NoSubCondition { statement } => format!(
                "statement {} of its trust admits the HCP Terraform provider with no sub condition",
                statement + 1
            ),
            BroadTrust::OrganizationWildcard { statement, pattern } => format!(
                "statement {} of its trust admits sub pattern {pattern}, whose organization part has a wildcard",
                statement + 1
            ),
        }
    }
}

/// Operators that admit only what they list (negated ones and `Null` restrict nothing useful).
pub fn restricts(base: &str) -> bool {
    matches!(
        base,
        "StringEquals" | "StringLike" | "StringEqualsIgnoreCase"
    )
}

fn statement_risks(s: &Statement, host: &str) -> Vec<BroadTrust> {
    let subs: Vec<&super::Condition> = s
        .conditions
        .iter()
        .filter(|c| {
            c.is_claim(host, "sub")
                && restricts(&c.operator.base)
                && !c.operator.if_exists
                && c.operator.qualifier != Some(super::SetQualifier::ForAllValues)
        })
        .collect();
    if subs.is_empty() {
        return vec![BroadTrust::NoSubCondition { statement: s.index }];
    }
    let mut out = Vec::new();
    for c in subs {
        for pattern in &c.values {
            // Wildcards only count for StringLike (StringEquals compares literally: TFCOIDC008).
            if c.operator.base == "StringLike" && organization_unpinned(pattern) {
                out.push(BroadTrust::OrganizationWildcard {
                    statement: s.index,
                    pattern: pattern.clone(),
                });
            }
        }
    }
    out
}

/// Every way the policy lets tokens of other organizations assume the role through the
/// provider.
pub fn broad_trust(doc: &PolicyDocument, host: &str, provider_arn: &str) -> Vec<BroadTrust> {
    doc.web_identity_statements(provider_arn)
        .filter(|s| s.effect == Effect::Allow)
        .flat_map(|s| statement_risks(s, host))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:iam::1:oidc-provider/app.terraform.io";
    const HOST: &str = "app.terraform.io";

    fn risks(cond: serde_json::Value) -> Vec<BroadTrust> {
        let d = PolicyDocument::from_value(json!({"Statement":[{"Effect":"Allow",
            "Principal":{"Federated":ARN},"Action":"sts:AssumeRoleWithWebIdentity","Condition":cond}]}))
        .unwrap();
        broad_trust(&d, HOST, ARN)
    }

    #[test]
    fn finds_missing_sub_and_org_wildcards() {
        assert_eq!(
            risks(json!({"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"}}))[0]
                .finding(),
            "TFCOIDC001"
        );
        assert_eq!(
            risks(json!({"StringLikeIfExists":{"app.terraform.io:sub":"organization:a:*"}}))[0]
                .finding(),
            "TFCOIDC001"
        );
        for p in [
            "organization:*:project:x:*",
            "organization:acme*",
            "*",
            "org*",
        ] {
            let r = risks(json!({"StringLike":{"app.terraform.io:sub":p}}));
            assert_eq!(r.len(), 1, "{p}");
            assert_eq!(r[0].finding(), "TFCOIDC002");
        }
        // An empty organization name is no pin either.
        assert_eq!(
            risks(json!({"StringLike":{"app.terraform.io:sub":"organization::*"}}))[0].finding(),
            "TFCOIDC002"
        );
        for p in ["organization:acme:*", "organization:ac${*}me:project:*"] {
            assert!(
                risks(json!({"StringLike":{"app.terraform.io:sub":p}})).is_empty(),
                "{p}"
            );
        }
    }
}
