//! Findings on the shape of trust policies that name the HOST provider: no `sub` (TFCOIDC001),
//! a wildcard organization (002), the audience (003), operator misuse (008), subjects naming
//! projects or workspaces that no longer exist (009), no plan/apply split (012), conditions on
//! claims IAM does not evaluate for the issuer (017).

use super::{Finding, FindingId, ResourceRef};
use crate::core::inventory::{AwsInventory, Inventory, RoleEntry};
use crate::core::trust::subject::{
    admits_both_phases, has_wildcard, org_part, unescape, workspace_pattern, OrgPart,
};
use crate::core::trust::{
    broad_trust, condition_holds, restricts, BroadTrust, Claims, Condition, SetQualifier, Statement,
};

/// The claims IAM turns into `HOST:claim` condition keys for a generic OIDC provider: AWS's IAM
/// and STS condition-key reference ("Available keys for AWS OIDC federation") lists `aud` and
/// `sub` for every provider; `amr` is Cognito's, `oaud`/`azp`/`email` Google's and `id`/`app_id`/
/// `user_id` Facebook's and Login with Amazon's, none of which an HCP Terraform token carries.
const EVALUATED_CLAIMS: [&str; 2] = ["aud", "sub"];

pub(super) fn check(inv: &Inventory) -> Vec<Finding> {
    let Some(aws) = &inv.aws else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for role in &aws.roles {
        let Ok(doc) = &role.trust else {
            continue;
        };
        let resource = ResourceRef::Role {
            arn: role.role.arn.clone(),
            name: role.role.name.clone(),
        };
        let statements: Vec<&Statement> = doc
            .web_identity_statements(&aws.host_provider_arn)
            .collect();
        // TFCOIDC001/002 are the broad-trust check setup refuses roles on.
        let broad = broad_trust(doc, &inv.host, &aws.host_provider_arn);
        let mut split_reported = false;
        for s in statements {
            let ctx = Ctx {
                inv,
                aws,
                role,
                s,
                resource: &resource,
            };
            let here = || broad.iter().filter(|b| b.statement() == s.index);
            if here().any(|b| matches!(b, BroadTrust::NoSubCondition { .. })) {
                out.push(ctx.no_sub_condition());
            }
            let wild: Vec<&str> = here()
                .filter_map(|b| match b {
                    BroadTrust::OrganizationWildcard { pattern, .. } => Some(pattern.as_str()),
                    BroadTrust::NoSubCondition { .. } => None,
                })
                .collect();
            out.extend(ctx.wildcard_organization(&wild));
            out.extend(ctx.audience());
            out.extend(ctx.operator_misuse());
            out.extend(ctx.stale_subjects());
            out.extend(ctx.unevaluated_claims());
            if !split_reported {
                if let Some(f) = ctx.no_split() {
                    out.push(f);
                    split_reported = true;
                }
            }
        }
    }
    out
}

/// One statement of one role, being checked.
struct Ctx<'a> {
    inv: &'a Inventory,
    aws: &'a AwsInventory,
    role: &'a RoleEntry,
    s: &'a Statement,
    resource: &'a ResourceRef,
}

impl Ctx<'_> {
    fn finding(&self, id: FindingId, detail: String) -> Finding {
        let fix = id.entry().fix.replace("HOST", self.host());
        Finding::new(id, self.resource.clone(), detail)
            .with_fix(fix)
            .at_statement(self.s.index)
    }

    fn host(&self) -> &str {
        &self.inv.host
    }

    /// Conditions on `HOST:claim` that admit what they list.
    fn positive_on(&self, claim: &str) -> impl Iterator<Item = &Condition> {
        let host = self.host().to_string();
        let claim = claim.to_string();
        self.s
            .conditions
            .iter()
            .filter(move |c| c.is_claim(&host, &claim) && restricts(&c.operator.base))
    }

    /// TFCOIDC001: no condition on `sub` restricts who gets in.
    fn no_sub_condition(&self) -> Finding {
        let host = self.host();
        let what = if self.s.tests_claim(host, "sub") {
            format!(
                "with only conditions on {host}:sub that restrict nothing (negated, IfExists or ForAllValues operators)"
            )
        } else {
            format!("with no condition on {host}:sub")
        };
        self.finding(
            FindingId::NoSubCondition,
            format!(
                "statement {} allows sts:AssumeRoleWithWebIdentity through the provider of {host} {what}: a run of any workspace of any organization can assume the role",
                self.s.index + 1,
            ),
        )
    }

    /// TFCOIDC002, from the broad-trust check's patterns for this statement.
    fn wildcard_organization(&self, bad: &[&str]) -> Option<Finding> {
        if bad.is_empty() {
            return None;
        }
        Some(self.finding(
            FindingId::WildcardOrganization,
            format!(
                "statement {} admits other organizations' runs: {}",
                self.s.index + 1,
                bad.join(", ")
            ),
        ))
    }

    /// TFCOIDC003 on the role: no `aud` condition, or values the provider does not list.
    fn audience(&self) -> Option<Finding> {
        let host = self.host();
        if !self.s.tests_claim(host, "aud") {
            return Some(self.finding(
                FindingId::Audience,
                format!(
                    "statement {} has no condition on {host}:aud: tokens minted for any audience the provider lists are accepted",
                    self.s.index + 1
                ),
            ));
        }
        let provider = self.aws.host_provider()?;
        let values: Vec<&str> = self
            .positive_on("aud")
            .flat_map(|c| c.values.iter().map(String::as_str))
            .collect();
        let unknown: Vec<&str> = values
            .iter()
            .copied()
            .filter(|v| {
                !provider
                    .client_ids
                    .iter()
                    .any(|c| crate::core::trust::subject::string_like(v, c) || v == c)
            })
            .collect();
        if values.is_empty() || unknown.len() < values.len() {
            return None;
        }
        Some(self.finding(
            FindingId::Audience,
            format!(
                "statement {} requires aud {}, which the OIDC provider for {host} does not list (client IDs: {}): no token can pass",
                self.s.index + 1,
                unknown.join(", "),
                provider.client_ids.join(", ")
            ),
        ))
    }

    /// TFCOIDC008: `StringEquals` with wildcards, `ForAllValues` on single-valued claims.
    fn operator_misuse(&self) -> Vec<Finding> {
        let host = self.host();
        let mut out = Vec::new();
        for c in &self.s.conditions {
            let on_claim = c.is_claim(host, "sub") || c.is_claim(host, "aud");
            if !on_claim {
                continue;
            }
            let literal = matches!(
                c.operator.base.as_str(),
                "StringEquals" | "StringEqualsIgnoreCase"
            );
            let wild: Vec<&str> = c
                .values
                .iter()
                .map(String::as_str)
                .filter(|v| has_wildcard(v))
                .collect();
            if literal && c.is_claim(host, "sub") && !wild.is_empty() {
                out.push(self.finding(
                    FindingId::OperatorMisuse,
                    format!(
                        "statement {}: {} {} compares literally, so {} never matches a token (use StringLike)",
                        self.s.index + 1,
                        c.operator.raw,
                        c.key,
                        wild.join(", ")
                    ),
                ));
            }
            if c.operator.qualifier == Some(SetQualifier::ForAllValues) {
                out.push(self.finding(
                    FindingId::OperatorMisuse,
                    format!(
                        "statement {}: {} on the single-valued claim {} also passes when the claim is missing (use {})",
                        self.s.index + 1,
                        c.operator.raw,
                        c.key,
                        c.operator.raw.trim_start_matches("ForAllValues:")
                    ),
                ));
            }
        }
        out
    }

    /// TFCOIDC009: patterns for this organization naming a project or workspace that is gone.
    fn stale_subjects(&self) -> Vec<Finding> {
        let inv = self.inv;
        let mut out = Vec::new();
        let values: Vec<&str> = self
            .positive_on("sub")
            .flat_map(|c| c.values.iter().map(String::as_str))
            .collect();
        for pattern in values {
            let Some(p) = workspace_pattern(pattern) else {
                continue;
            };
            if has_wildcard(&p.organization) || unescape(&p.organization) != inv.organization {
                continue;
            }
            if let Some(reason) = stale_reason(inv, &p.project, &p.workspace) {
                out.push(self.finding(
                    FindingId::StaleSubject,
                    format!(
                        "statement {} trusts {pattern}, but {reason}",
                        self.s.index + 1
                    ),
                ));
            }
        }
        out
    }

    /// TFCOIDC017: conditions on `HOST:claim` keys IAM never fills in for this issuer.
    fn unevaluated_claims(&self) -> Vec<Finding> {
        let host = self.host();
        let prefix = format!("{}:", host.to_ascii_lowercase());
        // The evaluator's rule for a key the request lacks decides never-holds or always-holds;
        // the aud and sub values do not matter for other keys.
        let claims = Claims {
            host: host.to_string(),
            provider_arn: self.aws.host_provider_arn.clone(),
            aud: String::new(),
            sub: String::new(),
        };
        let mut out = Vec::new();
        for c in &self.s.conditions {
            let key = c.key.to_ascii_lowercase();
            let Some(claim) = key.strip_prefix(&prefix) else {
                continue;
            };
            if EVALUATED_CLAIMS.contains(&claim) {
                continue;
            }
            let effect = match condition_holds(c, &claims) {
                Some(true) => "the condition always holds and restricts nothing",
                _ => "the condition never holds and no run can assume the role through this statement",
            };
            out.push(self.finding(
                FindingId::UnevaluatedClaim,
                format!(
                    "statement {}: {} {} names a claim IAM does not evaluate for the provider of {host} (only {host}:aud and {host}:sub), so every request lacks the key: {effect}",
                    self.s.index + 1,
                    c.operator.raw,
                    c.key,
                ),
            ));
        }
        out
    }

    /// TFCOIDC012: a pattern admits both plan and apply runs.
    fn no_split(&self) -> Option<Finding> {
        let both = self
            .positive_on("sub")
            .flat_map(|c| c.values.iter().map(String::as_str))
            .find(|p| org_part(p) != OrgPart::Foreign && admits_both_phases(p))?;
        Some(self.finding(
            FindingId::NoPhaseSplit,
            format!(
                "role {} is trusted for plan and apply runs ({both}): plans, which run unreviewed code, get the apply permissions",
                self.role.role.name
            ),
        ))
    }
}

/// Why a pattern's project or workspace no longer exists, if it does not. Workspaces are only
/// judged where the inventory covers them (the whole organization, or the project in scope).
fn stale_reason(inv: &Inventory, project: &Option<String>, workspace: &str) -> Option<String> {
    let org = &inv.organization;
    if let Some(project) = project.as_deref().filter(|p| !has_wildcard(p)) {
        let project = unescape(project);
        if !inv.projects.iter().any(|p| p.name == project) {
            return Some(format!("organization {org} has no project {project}"));
        }
        let covered = inv.scope_project.as_deref().is_none_or(|s| s == project);
        if !covered || has_wildcard(workspace) {
            return None;
        }
        let workspace = unescape(workspace);
        let here = inv
            .workspaces
            .iter()
            .any(|w| w.project_name == project && w.workspace.name == workspace);
        if here {
            return None;
        }
        let elsewhere = inv
            .workspaces
            .iter()
            .find(|w| w.workspace.name == workspace)
            .map(|w| {
                format!(
                    " (a workspace of that name is in project {})",
                    w.project_name
                )
            })
            .unwrap_or_default();
        return Some(format!(
            "project {project} has no workspace {workspace}{elsewhere}"
        ));
    }
    if project.is_none() && inv.scope_project.is_none() && !has_wildcard(workspace) {
        let workspace = unescape(workspace);
        if !inv.workspaces.iter().any(|w| w.workspace.name == workspace) {
            return Some(format!("organization {org} has no workspace {workspace}"));
        }
    }
    None
}
