//! AWS Organizations (`Organizations`), read by `review` to tell whether a resource control
//! policy (RCP) guards the account against other organizations' HCP Terraform runs.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::IamError;

/// One policy as `ListPolicies` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgPolicy {
    /// `p-…`.
    pub id: String,
    pub name: String,
}

/// What a policy is attached to, or what an account or OU sits in: an id (`123456789012`,
/// `ou-…`, `r-…`) and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgNode {
    pub id: String,
    pub kind: OrgNodeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgNodeKind {
    Account,
    OrganizationalUnit,
    Root,
}

/// AWS Organizations, as much as `review` needs: the RCPs, their content and targets, and the
/// parents of an account or OU. Every call is a read; errors are classified like IAM's.
#[async_trait]
pub trait Organizations: Send + Sync {
    /// Every resource control policy of the organization (`ListPolicies`, filter
    /// `RESOURCE_CONTROL_POLICY`, all pages).
    async fn resource_control_policies(&self) -> Result<Vec<OrgPolicy>, IamError>;
    /// The policy's document (`DescribePolicy`'s `Content`).
    async fn policy_content(&self, policy_id: &str) -> Result<String, IamError>;
    /// What the policy is attached to (`ListTargetsForPolicy`, all pages).
    async fn policy_targets(&self, policy_id: &str) -> Result<Vec<OrgNode>, IamError>;
    /// The parent of an account or OU (`ListParents`): an OU or the root.
    async fn parents(&self, child_id: &str) -> Result<Vec<OrgNode>, IamError>;
}
