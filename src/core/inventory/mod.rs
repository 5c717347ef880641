//! The inventory: one read of an HCP Terraform organization (or one project) and an AWS account,
//! the single read model that `migrate`, `review`, `explain` and the wizard's badges work from.
//!
//! Variable sets and their variables are read once per organization, not per workspace, and each
//! workspace's effective variables are computed here with HCP Terraform's precedence (see
//! [`effective`](crate::core::variables::effective)), so the cost of reading N workspaces and M sets is about N + M + pages.

mod read;
mod read_aws;

use crate::core::ports::{
    CallerIdentity, OidcProvider, Project, Role, Stack, Variable, VariableSet, Workspace,
};
use crate::core::trust::{PolicyDocument, PolicyParseError};
use crate::core::variables::EffectiveVariable;
use serde::Serialize;
use std::collections::BTreeMap;

pub use read::{read, InventoryError};
pub use read_aws::read_dormant;

/// How many calls of one kind the reader starts at once; the HCP Terraform adapter's own
/// limiter decides how fast they go.
const CONCURRENCY: usize = 32;

/// What to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryScope {
    pub host: String,
    pub organization: String,
    /// Only this project's workspaces (variable sets are still read organization-wide, since
    /// their reach decides what a workspace gets).
    pub project: Option<String>,
}

/// A workspace with its own and its effective variables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkspaceEntry {
    pub workspace: Workspace,
    /// The project's name (always filled in the inventory).
    pub project_name: String,
    /// Variables defined on the workspace itself.
    pub variables: Vec<Variable>,
    /// What a run gets: one per key and category, the winner of HCP Terraform's precedence.
    pub effective: Vec<EffectiveVariable>,
}

impl WorkspaceEntry {
    /// The effective env variable `key`, if a run gets one.
    pub fn env(&self, key: &str) -> Option<&EffectiveVariable> {
        self.effective.iter().find(|e| {
            e.variable.key == key
                && e.variable.category == crate::core::ports::VariableCategory::Env
        })
    }
}

/// A variable set with its variables (sensitive values are never read: `value` is `None`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VarsetEntry {
    pub set: VariableSet,
    pub variables: Vec<Variable>,
}

/// A role whose trust policy names the HOST provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleEntry {
    /// From GetRole: tags and last use are filled in.
    pub role: Role,
    /// The parsed trust policy, or why it does not parse.
    #[serde(skip)]
    pub trust: Result<PolicyDocument, PolicyParseError>,
    /// Attached managed policy ARNs.
    pub attached_policies: Vec<String>,
    /// Inline policy names.
    pub inline_policies: Vec<String>,
    /// Inline policy documents by name, where they were read (for `*:*` checks).
    pub inline_documents: Vec<(String, String)>,
}

/// What was read from AWS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AwsInventory {
    pub caller: CallerIdentity,
    /// Every OIDC provider of the account (URL, client ids, thumbprints).
    pub providers: Vec<OidcProvider>,
    /// The ARN the HOST provider has (or would have) in this account.
    pub host_provider_arn: String,
    pub roles: Vec<RoleEntry>,
    /// The customer-managed policies attached to those roles, each read once, by ARN.
    #[serde(skip)]
    pub managed_policies: BTreeMap<String, ManagedPolicy>,
}

/// What reading a customer-managed policy's default version gave.
#[derive(Debug, Clone, PartialEq)]
pub enum ManagedPolicy {
    /// Its document.
    Document(PolicyDocument),
    /// IAM says it does not exist (deleted since the role's policies were listed).
    Missing,
    /// It could not be read (e.g. no `iam:GetPolicyVersion`) or its document did not parse: what
    /// it grants was not checked. One line, why.
    Unreadable(String),
}

/// Whether a managed policy ARN names an AWS-managed policy (`arn:PARTITION:iam::aws:policy/…`)
/// rather than a customer-managed one (an account id in place of `aws`).
pub fn is_aws_managed(policy_arn: &str) -> bool {
    policy_arn.split(':').nth(4) == Some("aws")
}

impl AwsInventory {
    /// The HOST provider, when the account has one.
    pub fn host_provider(&self) -> Option<&OidcProvider> {
        self.providers
            .iter()
            .find(|p| p.arn == self.host_provider_arn)
    }

    /// The role with this ARN (or name).
    pub fn role(&self, arn_or_name: &str) -> Option<&RoleEntry> {
        self.roles
            .iter()
            .find(|r| r.role.arn == arn_or_name || r.role.name == arn_or_name)
    }
}

/// One read of an organization and an AWS account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inventory {
    pub host: String,
    /// The organization's name as HCP Terraform spells it (tokens carry this spelling).
    pub organization: String,
    pub scope_project: Option<String>,
    pub projects: Vec<Project>,
    pub workspaces: Vec<WorkspaceEntry>,
    pub variable_sets: Vec<VarsetEntry>,
    /// The organization's Stacks (every project, whatever the scope); `None` when the server
    /// refused to list them (the Stack checks are then skipped, the rest of the review stands).
    pub stacks: Option<Vec<Stack>>,
    /// `None` when AWS was not read (no credentials, or the caller chose HCP Terraform only).
    pub aws: Option<AwsInventory>,
}

impl Inventory {
    pub fn workspace(&self, name: &str) -> Option<&WorkspaceEntry> {
        self.workspaces.iter().find(|w| w.workspace.name == name)
    }

    pub fn project_by_id(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    pub fn varset(&self, id: &str) -> Option<&VarsetEntry> {
        self.variable_sets.iter().find(|s| s.set.id == id)
    }
}

/// How far a read has got, for progress bars: `done` of `total` calls (total grows as pages and
/// workspaces are discovered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadProgress {
    pub done: usize,
    pub total: usize,
}

/// Builds a role entry from what IAM returned, parsing the trust policy.
pub fn role_entry(
    role: Role,
    attached_policies: Vec<String>,
    inline_policies: Vec<String>,
    inline_documents: Vec<(String, String)>,
) -> RoleEntry {
    let trust = PolicyDocument::parse(&role.trust_policy);
    RoleEntry {
        role,
        trust,
        attached_policies,
        inline_policies,
        inline_documents,
    }
}

/// Whether a role's trust names the provider (allow or deny, any statement).
pub fn trusts_provider(role: &Role, provider_arn: &str) -> bool {
    PolicyDocument::parse(&role.trust_policy).is_ok_and(|d| d.names_provider(provider_arn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::Sandbox;

    #[tokio::test]
    async fn reads_the_demo_organization() {
        let sb = Sandbox::demo();
        let scope = InventoryScope {
            host: "app.terraform.io".into(),
            organization: "acme-corp".into(),
            project: None,
        };
        let inv = read(&scope, sb.tfc.as_ref(), Some(sb.iam.as_ref()), &|_| {})
            .await
            .unwrap();
        assert_eq!(inv.workspaces.len(), 8);
        let stacks = inv.stacks.as_ref().unwrap();
        assert_eq!(stacks.len(), 1);
        assert_eq!(stacks[0].name, "network-stack");
        assert_eq!(stacks[0].deployment_names, ["staging", "production"]);
        let etl = inv.workspace("etl").unwrap();
        let key = etl.env("AWS_ACCESS_KEY_ID").unwrap();
        assert!(key.source.set_id().is_some());
        let roles = &inv.aws.as_ref().unwrap().roles;
        assert_eq!(roles.len(), crate::sandbox::REVIEW_ROLES.len());
        let scoped = InventoryScope {
            project: Some("platform".into()),
            ..scope
        };
        let inv = read(&scoped, sb.tfc.as_ref(), None, &|_| {}).await.unwrap();
        assert_eq!(inv.workspaces.len(), 3);
        assert!(inv.aws.is_none());
    }

    #[tokio::test]
    async fn progress_counts_every_call_in_order_and_ends_complete() {
        use crate::core::ports::{Iam, NewRole};
        use std::sync::Mutex;
        let sb = Sandbox::demo();
        // The demo's provider, which its review roles trust.
        let provider = sb.iam.list_oidc_providers().await.unwrap().remove(0);
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider}"}},"Action":"sts:AssumeRoleWithWebIdentity"}}]}}"#
        );
        sb.iam
            .create_role(&NewRole {
                name: "tfc-ops".into(),
                trust_policy: trust,
                description: String::new(),
                tags: vec![],
                permissions_boundary: None,
            })
            .await
            .unwrap();
        sb.iam
            .put_inline_policy(
                "tfc-ops",
                "s3",
                r#"{"Version":"2012-10-17","Statement":[]}"#,
            )
            .await
            .unwrap();
        sb.tfc.clear_calls();
        sb.iam.clear_calls();
        let reports = Mutex::new(Vec::new());
        let scope = InventoryScope {
            host: "app.terraform.io".into(),
            organization: "acme-corp".into(),
            project: None,
        };
        let inv = read(&scope, sb.tfc.as_ref(), Some(sb.iam.as_ref()), &|p| {
            reports.lock().unwrap().push(p)
        })
        .await
        .unwrap();
        let reports = reports.into_inner().unwrap();
        assert!(reports.iter().all(|p| p.done <= p.total));
        assert!(reports
            .windows(2)
            .all(|w| w[0].done <= w[1].done && w[0].total <= w[1].total));
        let calls = sb.tfc.calls().len() + sb.iam.calls().len();
        let last = reports.last().unwrap();
        assert_eq!((last.done, last.total), (calls, calls));
        // N workspaces + M sets + the four lists (projects, workspaces, sets, Stacks), nothing
        // per workspace beyond its variables.
        assert_eq!(
            sb.tfc.calls().len(),
            inv.workspaces.len() + inv.variable_sets.len() + 4
        );
        let role = inv.aws.as_ref().unwrap().role("tfc-ops").unwrap();
        assert_eq!(role.inline_documents.len(), 1);
    }
}
