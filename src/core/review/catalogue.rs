//! The finding catalogue: every finding's stable id, severity, title, generic fix and help text,
//! in one table. The checks, the text and JSON output, the SARIF rules and the wizard's review
//! screen all read it from here, so adding a finding adds one entry to this file.

use serde::{Serialize, Serializer};
use std::fmt;

/// How bad a finding is. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Most severe first, the order findings are printed in.
    pub const DESCENDING: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A catalogue id. Ids are stable: never renumbered, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingId {
    NoSubCondition,
    WildcardOrganization,
    Audience,
    StaticKeys,
    KeysAndOidc,
    NoRoleArn,
    RoleRefusesRun,
    OperatorMisuse,
    StaleSubject,
    AdminForMany,
    GlobalRoleArn,
    NoPhaseSplit,
    UnusedRole,
    HalfSetTag,
    UnusedSubject,
    RefusedRuns,
    UnevaluatedClaim,
}

/// What the catalogue says about one id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub id: FindingId,
    /// `TFCOIDC001` …
    pub code: &'static str,
    pub severity: Severity,
    /// One line: the finding's name wherever it is shown.
    pub title: &'static str,
    /// The generic fix; a finding's own `fix` may be more specific.
    pub fix: &'static str,
    /// Why it matters and how to fix it, a paragraph (SARIF rule help, the wizard's detail pane).
    pub help: &'static str,
}

/// Every entry, in id order.
pub const CATALOGUE: &[CatalogueEntry] = &[
    CatalogueEntry {
        id: FindingId::NoSubCondition,
        code: "TFCOIDC001",
        severity: Severity::Critical,
        title: "a role trusts the HCP Terraform provider with no sub condition",
        fix: "add a StringLike condition on HOST:sub naming organization, project, workspace and run phase",
        help: "A trust statement that allows sts:AssumeRoleWithWebIdentity through the HCP Terraform OIDC provider without a condition on the token's sub claim admits a run of any workspace of any organization on that host: anyone with a free HCP Terraform account can assume the role. Add a StringLike condition on HOST:sub such as organization:ORG:project:PROJECT:workspace:WS:run_phase:* (tfc-oidc setup writes exactly this form).",
    },
    CatalogueEntry {
        id: FindingId::WildcardOrganization,
        code: "TFCOIDC002",
        severity: Severity::Critical,
        title: "a sub pattern has a wildcard in its organization part",
        fix: "spell the organization out in every sub pattern: organization:ORG:project:…",
        help: "A sub pattern such as organization:*:… or organization:acme*:… admits runs of organizations you do not own (organization names are first come, first served on HCP Terraform), so a stranger can create a matching organization and assume the role. Write the organization name exactly; wildcards belong only in the workspace or run-phase parts.",
    },
    CatalogueEntry {
        id: FindingId::Audience,
        code: "TFCOIDC003",
        severity: Severity::High,
        title: "no aud condition, or an audience the provider or the workspace does not use",
        fix: "pin HOST:aud with StringEquals to the audience the workspaces send and the provider lists",
        help: "STS only accepts a token whose aud is among the OIDC provider's client IDs, and the trust policy should pin the same value with StringEquals on HOST:aud. A statement without an aud condition accepts tokens minted for any other purpose; an audience the provider does not list, or that differs from the workspace's TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE (default aws.workload.identity), makes runs fail with 'Incorrect token audience'.",
    },
    CatalogueEntry {
        id: FindingId::StaticKeys,
        code: "TFCOIDC004",
        severity: Severity::High,
        title: "static AWS keys on a workspace or in a variable set that reaches it",
        fix: "move the workspaces to OIDC and delete the keys: tfc-oidc migrate",
        help: "Long-lived IAM user keys (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) stored in HCP Terraform can leak through state, logs or anyone who can edit the workspace, and they never expire. Dynamic credentials give each run short-lived credentials instead. tfc-oidc migrate sets up OIDC for the workspaces and removes the key variables; deactivate the keys in IAM afterwards (--deactivate-keys).",
    },
    CatalogueEntry {
        id: FindingId::KeysAndOidc,
        code: "TFCOIDC005",
        severity: Severity::High,
        title: "both static keys and TFC_AWS_PROVIDER_AUTH on one workspace",
        fix: "remove the static key variables the workspace gets: tfc-oidc migrate",
        help: "With TFC_AWS_PROVIDER_AUTH=true the run gets a shared config file for the role, but the AWS provider's credential chain reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment first: the run may silently keep using the static keys, and the migration looks done when it is not.",
    },
    CatalogueEntry {
        id: FindingId::NoRoleArn,
        code: "TFCOIDC006",
        severity: Severity::High,
        title: "TFC_AWS_PROVIDER_AUTH=true but no role ARN variable reaches the workspace",
        fix: "set TFC_AWS_RUN_ROLE_ARN (or both TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN): tfc-oidc setup",
        help: "HCP Terraform needs a role to assume for every run phase: TFC_AWS_RUN_ROLE_ARN, or TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN. Without one, the run fails before Terraform starts. Set the variable on the workspace or in a variable set that reaches it.",
    },
    CatalogueEntry {
        id: FindingId::RoleRefusesRun,
        code: "TFCOIDC007",
        severity: Severity::High,
        title: "the role ARN names a role that does not exist or whose trust policy refuses this workspace",
        fix: "trust the workspace's sub in the role (tfc-oidc setup), or correct the role ARN variable",
        help: "The role the workspace names must exist in the account and its trust policy must admit the exact sub HCP Terraform puts in the token: organization:ORG:project:PROJECT:workspace:WS:run_phase:plan|apply, names as they are now (renaming a project or workspace changes the sub). The detail names the condition that fails; tfc-oidc explain shows the whole evaluation.",
    },
    CatalogueEntry {
        id: FindingId::OperatorMisuse,
        code: "TFCOIDC008",
        severity: Severity::Medium,
        title: "StringEquals on sub with a wildcard (never matches) or other operator misuse",
        fix: "use StringLike for patterns with * or ?, and plain (not ForAllValues) operators on sub and aud",
        help: "StringEquals compares literally, so a value with * or ? never matches any token and the role never works for those workspaces. ForAllValues: on a single-valued claim passes when the claim is missing, which makes a condition weaker than it looks. Use StringLike for patterns and StringEquals for exact values.",
    },
    CatalogueEntry {
        id: FindingId::StaleSubject,
        code: "TFCOIDC009",
        severity: Severity::Medium,
        title: "a trusted subject names a project or workspace that no longer exists",
        fix: "remove the stale sub pattern, or update it to the new name",
        help: "Trust patterns match names, not ids. A pattern naming a project or workspace that was renamed or deleted no longer admits the runs it was written for, and admits whoever creates a project or workspace with that name later. Remove or update the pattern.",
    },
    CatalogueEntry {
        id: FindingId::AdminForMany,
        code: "TFCOIDC010",
        severity: Severity::Medium,
        title: "a role with administrator permissions is trusted for more than one workspace or for plan runs",
        fix: "give the role least-privilege policies, or split it: a read-only plan role and a narrower apply role per workspace",
        help: "Plan runs execute code from unmerged changes (speculative plans), and every workspace a role trusts can use all of its permissions. Administrator access (AdministratorAccess, PowerUserAccess together with IAM permissions, or Action * on Resource *) on such a role lets any of them take over the account. Prefer split plan/apply roles (tfc-oidc setup --split-roles) with narrow policies.",
    },
    CatalogueEntry {
        id: FindingId::GlobalRoleArn,
        code: "TFCOIDC011",
        severity: Severity::Medium,
        title: "the role ARN is in a global variable set (every workspace gets it)",
        fix: "attach the variable set to the projects or workspaces that need the role, not globally",
        help: "A global variable set reaches every workspace of the organization, including ones created later, so any of them can ask for the role; only the trust policy stands in the way. Attach the set to the projects or workspaces that need the role.",
    },
    CatalogueEntry {
        id: FindingId::NoPhaseSplit,
        code: "TFCOIDC012",
        severity: Severity::Low,
        title: "no split between plan and apply roles",
        fix: "use separate plan and apply roles (setup's --split-roles makes them)",
        help: "A role trusted for run_phase:* gives plan runs, which execute unreviewed code, the same permissions as applies. A read-only plan role (TFC_AWS_PLAN_ROLE_ARN, trusted for run_phase:plan) and an apply role (TFC_AWS_APPLY_ROLE_ARN, run_phase:apply) limit that.",
    },
    CatalogueEntry {
        id: FindingId::UnusedRole,
        code: "TFCOIDC013",
        severity: Severity::Low,
        title: "a role not used for 90 days",
        fix: "delete the role if nothing needs it any more",
        help: "IAM's RoleLastUsed says the role has not been assumed for more than 90 days (or never, and it is older than that). An unused role that trusts HCP Terraform is attack surface without a purpose.",
    },
    CatalogueEntry {
        id: FindingId::HalfSetTag,
        code: "TFCOIDC014",
        severity: Severity::High,
        title: "a half-set tagged configuration",
        fix: "set both TFC_AWS_PROVIDER_AUTH_TAG=true and TFC_AWS_RUN_ROLE_ARN_TAG, or remove both",
        help: "A tagged dynamic-credentials configuration (TFC_AWS_*_TAG) needs TFC_AWS_PROVIDER_AUTH_TAG=true and a role ARN for the same tag. With only one of them, HCP Terraform does not create the aliased configuration, or fails the run, and the provider block that uses the alias gets no credentials.",
    },
    // TFCOIDC015 and 016 need CloudTrail's event history (`cloudtrail:LookupEvents`), and
    // `review` skips them when it cannot be read.
    CatalogueEntry {
        id: FindingId::UnusedSubject,
        code: "TFCOIDC015",
        severity: Severity::Low,
        title: "a trusted workspace never assumed the role in 90 days",
        fix: "remove the workspace's sub pattern from the role's trust policy if the workspace no longer needs the role",
        help: "CloudTrail's event history (90 days) has no successful AssumeRoleWithWebIdentity of this role by a run of the workspace the trust policy names. A trust entry nobody uses only widens who may assume the role; remove it, or keep it if the workspace runs less often than that.",
    },
    CatalogueEntry {
        id: FindingId::RefusedRuns,
        code: "TFCOIDC016",
        severity: Severity::High,
        title: "runs of this workspace were refused credentials",
        fix: "run tfc-oidc explain for the workspace and phase to see which condition refuses it, then fix the trust policy or the variables",
        help: "CloudTrail recorded AssumeRoleWithWebIdentity calls from runs of this workspace that AWS refused (AccessDenied, InvalidIdentityToken…), and no later call for the same run phase succeeded (with any role): the workspace's runs are failing at provider configuration. tfc-oidc explain names the failing condition; tfc-oidc verify proves the fix with a plan-only run.",
    },
    CatalogueEntry {
        id: FindingId::UnevaluatedClaim,
        code: "TFCOIDC017",
        severity: Severity::Medium,
        title: "a trust condition on a claim AWS does not evaluate for this issuer",
        fix: "condition only on HOST:aud and HOST:sub, and name organization, project, workspace and run phase in the sub pattern",
        help: "For an OIDC provider of its own (not Cognito, Google, Facebook or Login with Amazon), IAM puts only the token's aud and sub into the request as HOST:aud and HOST:sub; other claims of an HCP Terraform token, such as terraform_organization_name or terraform_workspace_name, never become condition keys. A condition on such a key under a plain operator never holds, so no run can assume the role through that statement; under an IfExists, ForAllValues or negated operator (or Null true) it always holds and restricts nothing, however strict it looks. Express the organization, project, workspace and run phase in the HOST:sub pattern instead.",
    },
];

impl FindingId {
    /// Every id, in catalogue order.
    pub fn all() -> impl Iterator<Item = FindingId> {
        CATALOGUE.iter().map(|e| e.id)
    }

    /// The catalogue entry.
    pub fn entry(self) -> &'static CatalogueEntry {
        CATALOGUE
            .iter()
            .find(|e| e.id == self)
            .expect("every id has a catalogue entry")
    }

    /// `TFCOIDC001` …
    pub fn code(self) -> &'static str {
        self.entry().code
    }

    pub fn severity(self) -> Severity {
        self.entry().severity
    }

    /// The id for a `TFCOIDC…` code.
    pub fn from_code(code: &str) -> Option<FindingId> {
        CATALOGUE.iter().find(|e| e.code == code).map(|e| e.id)
    }
}

impl fmt::Display for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for FindingId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_numbered_in_order_and_unique() {
        for (i, e) in CATALOGUE.iter().enumerate() {
            assert_eq!(e.code, format!("TFCOIDC{:03}", i + 1));
            assert_eq!(FindingId::from_code(e.code), Some(e.id));
            assert_eq!(e.id.entry(), e);
        }
        assert_eq!(FindingId::all().count(), 17);
    }

    #[test]
    fn severities_follow_the_spec() {
        use FindingId::*;
        assert_eq!(NoSubCondition.severity(), Severity::Critical);
        assert_eq!(HalfSetTag.severity(), Severity::High);
        assert_eq!(UnusedRole.severity(), Severity::Low);
        assert_eq!(UnusedSubject.severity(), Severity::Low);
        assert_eq!(RefusedRuns.severity(), Severity::High);
        assert_eq!(UnevaluatedClaim.severity(), Severity::Medium);
        assert!(Severity::Critical > Severity::High && Severity::Medium > Severity::Low);
    }
}
