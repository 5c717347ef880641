//! Evaluating a trust policy against the claims of an `AssumeRoleWithWebIdentity` request the way
//! IAM does: an explicit Deny wins, then any Allow whose principal, action and every condition
//! match; otherwise the request is refused. A denial names each condition that failed.

use super::claims::Claims;
use super::document::{
    action_matches, principal_matches, Condition, Effect, PolicyDocument, SetQualifier, Statement,
};
use super::subject::string_like;
use serde::Serialize;
use std::fmt;

/// The action every HCP Terraform run asks for.
pub const WEB_IDENTITY_ACTION: &str = "sts:AssumeRoleWithWebIdentity";

/// Why one condition did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionFailure {
    pub operator: String,
    pub key: String,
    pub patterns: Vec<String>,
    /// The request's value; `None` when the request carries no such key.
    pub claim: Option<String>,
    /// The key's value cannot be known here (not a token claim): the outcome depends on it.
    pub indeterminate: bool,
}

impl ConditionFailure {
    /// Whether the key is `…:aud` or `…:sub`, the claims IAM evaluates for a generic provider.
    fn names_evaluated_claim(&self) -> bool {
        let claim = self.key.rsplit(':').next().unwrap_or_default();
        claim.eq_ignore_ascii_case("aud") || claim.eq_ignore_ascii_case("sub")
    }
}

impl fmt::Display for ConditionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let patterns = self.patterns.join(", ");
        match (&self.claim, self.indeterminate) {
            (_, true) => write!(
                f,
                "{} {} cannot be checked here (the request's value is unknown; patterns: {patterns})",
                self.operator, self.key
            ),
            // Only aud and sub become condition keys for a generic OIDC provider (review's
            // TFCOIDC017): any other claim is missing from the request even when the token has it.
            (None, false) if !self.names_evaluated_claim() => write!(
                f,
                "{} {} fails: IAM does not evaluate that claim for this issuer (only aud and sub), so no request has the key (patterns: {patterns})",
                self.operator, self.key
            ),
            (None, false) => write!(
                f,
                "{} {} fails: the token has no such claim (patterns: {patterns})",
                self.operator, self.key
            ),
            (Some(v), false) => write!(
                f,
                "{} {} does not match {v} (patterns: {patterns})",
                self.operator, self.key
            ),
        }
    }
}

/// How one statement related to the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementResult {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal_matches: bool,
    pub action_matches: bool,
    /// Conditions that did not hold (empty when all did).
    pub failures: Vec<ConditionFailure>,
}

impl StatementResult {
    /// The statement applies to the request: principal, action and every condition match.
    pub fn applies(&self) -> bool {
        self.principal_matches && self.action_matches && self.failures.is_empty()
    }

    /// Principal and action match, so only conditions stand between it and the request.
    pub fn relevant(&self) -> bool {
        self.principal_matches && self.action_matches
    }
}

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub allowed: bool,
    /// The statement that decided: the matching Deny, else the matching Allow.
    pub decided_by: Option<usize>,
    pub statements: Vec<StatementResult>,
}

impl Decision {
    /// Every failure of every Allow statement whose principal and action matched: what would
    /// have to change for the request to pass.
    pub fn failures(&self) -> Vec<&ConditionFailure> {
        if self.allowed {
            return Vec::new();
        }
        self.statements
            .iter()
            .filter(|s| s.effect == Effect::Allow && s.relevant())
            .flat_map(|s| s.failures.iter())
            .collect()
    }

    /// The Deny statement that refused the request, if one did.
    pub fn denied_by(&self) -> Option<&StatementResult> {
        self.statements
            .iter()
            .find(|s| s.effect == Effect::Deny && s.applies())
    }

    /// One line: `allow (statement 1)`, or `deny: …` with every failing condition.
    pub fn explain(&self) -> String {
        if self.allowed {
            return format!("allow (statement {})", self.decided_by.map_or(0, |i| i + 1));
        }
        if let Some(d) = self.denied_by() {
            return format!("deny: statement {} explicitly denies it", d.index + 1);
        }
        let relevant = self
            .statements
            .iter()
            .any(|s| s.effect == Effect::Allow && s.relevant());
        if !relevant {
            return "deny: no statement allows sts:AssumeRoleWithWebIdentity through this OIDC provider".into();
        }
        let reasons: Vec<String> = self.failures().iter().map(|f| f.to_string()).collect();
        format!("deny: {}", reasons.join("; "))
    }
}

/// IAM's string operators on one value.
fn matches_one(base: &str, pattern: &str, value: &str) -> Option<bool> {
    Some(match base {
        "StringEquals" | "StringNotEquals" => pattern == value,
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => {
            pattern.to_lowercase() == value.to_lowercase()
        }
        "StringLike" | "StringNotLike" => string_like(pattern, value),
        _ => return None,
    })
}

fn negated(base: &str) -> bool {
    matches!(
        base,
        "StringNotEquals" | "StringNotEqualsIgnoreCase" | "StringNotLike"
    )
}

/// Whether a condition holds for the request; `None` when it cannot be decided here.
pub fn condition_holds(c: &Condition, claims: &Claims) -> Option<bool> {
    if !claims.knows(&c.key) {
        return None;
    }
    let value = claims.value_of(&c.key);
    let base = c.operator.base.as_str();
    if base == "Null" {
        // `Null: true` holds when the key is absent, `false` when it is present.
        let want_absent = c.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
        return Some(want_absent == value.is_none());
    }
    let Some(value) = value else {
        // Missing key: IfExists and ForAllValues pass, negated operators pass, others fail.
        return Some(
            c.operator.if_exists
                || c.operator.qualifier == Some(SetQualifier::ForAllValues)
                || (negated(base) && c.operator.qualifier.is_none()),
        );
    };
    // Every claim of a workspace token is single-valued: a set of one for set operators.
    let any = c
        .values
        .iter()
        .map(|p| matches_one(base, p, value))
        .collect::<Option<Vec<bool>>>()?
        .into_iter()
        .any(|m| m);
    Some(if negated(base) { !any } else { any })
}

fn statement_result(stmt: &Statement, claims: &Claims) -> StatementResult {
    let failures = stmt
        .conditions
        .iter()
        .filter_map(|c| {
            let held = condition_holds(c, claims);
            (held != Some(true)).then(|| ConditionFailure {
                operator: c.operator.raw.clone(),
                key: c.key.clone(),
                patterns: c.values.clone(),
                claim: claims.value_of(&c.key).map(String::from),
                indeterminate: held.is_none(),
            })
        })
        .collect();
    StatementResult {
        index: stmt.index,
        sid: stmt.sid.clone(),
        effect: stmt.effect,
        principal_matches: principal_matches(&stmt.principals, &claims.provider_arn),
        action_matches: action_matches(&stmt.actions, WEB_IDENTITY_ACTION),
        failures,
    }
}

/// Evaluates the trust policy for one `AssumeRoleWithWebIdentity` request.
pub fn evaluate(policy: &PolicyDocument, claims: &Claims) -> Decision {
    let statements: Vec<StatementResult> = policy
        .statements()
        .iter()
        .map(|s| statement_result(s, claims))
        .collect();
    let deny = statements
        .iter()
        .find(|s| s.effect == Effect::Deny && s.applies());
    let allow = statements
        .iter()
        .find(|s| s.effect == Effect::Allow && s.applies());
    let (allowed, decided_by) = match (deny, allow) {
        (Some(d), _) => (false, Some(d.index)),
        (None, Some(a)) => (true, Some(a.index)),
        (None, None) => (false, None),
    };
    Decision {
        allowed,
        decided_by,
        statements,
    }
}
