//! The sandbox account's AWS Organizations: none in the demo (the review then says it could not
//! tell whether a guardrail covers the account, as for an account outside any organization);
//! tests place the account in one with [`SandboxIam::join_organization`] and attach RCPs.

use super::SandboxIam;
use crate::core::ports::{IamError, OrgNode, OrgNodeKind, OrgPolicy, Organizations};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An organization the sandbox account belongs to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SandboxOrganization {
    /// Child id (account or OU) → its parent.
    parents: BTreeMap<String, OrgNode>,
    policies: Vec<SandboxRcp>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SandboxRcp {
    policy: OrgPolicy,
    content: String,
    targets: Vec<OrgNode>,
}

/// What AWS answers an account that is not in an organization.
fn not_in_use() -> IamError {
    IamError::Other(
        "AWSOrganizationsNotInUseException: your account is not a member of an organization".into(),
    )
}

impl SandboxIam {
    /// Puts the account in an organization under `path` (OU ids from the root down, the root
    /// `r-sand` first), with no RCP yet (setup: not logged).
    pub fn join_organization(&self, path: &[&str]) {
        let mut org = SandboxOrganization::default();
        let account = self.st().identity.account.clone();
        let mut child = account;
        for (i, id) in path.iter().enumerate().rev() {
            let kind = if i == 0 {
                OrgNodeKind::Root
            } else {
                OrgNodeKind::OrganizationalUnit
            };
            let id = id.to_string();
            org.parents.insert(
                child,
                OrgNode {
                    id: id.clone(),
                    kind,
                },
            );
            child = id;
        }
        self.st().organization = Some(org);
    }

    /// Adds a resource control policy attached to `targets` (ids of the account, OUs or the
    /// root) (setup: not logged). Panics if the account is in no organization.
    pub fn add_resource_control_policy(&self, name: &str, content: &str, targets: &[&str]) {
        let mut st = self.st();
        let account = st.identity.account.clone();
        let org = st.organization.as_mut().expect("join_organization first");
        let kind_of = |id: &str| match id {
            _ if id == account => OrgNodeKind::Account,
            _ if id.starts_with("r-") => OrgNodeKind::Root,
            _ => OrgNodeKind::OrganizationalUnit,
        };
        let targets = targets
            .iter()
            .map(|t| OrgNode {
                id: t.to_string(),
                kind: kind_of(t),
            })
            .collect();
        let id = format!("p-sandbox{:04}", org.policies.len() + 1);
        org.policies.push(SandboxRcp {
            policy: OrgPolicy {
                id,
                name: name.into(),
            },
            content: content.into(),
            targets,
        });
    }

    fn organization(&self) -> Result<SandboxOrganization, IamError> {
        self.st().organization.clone().ok_or_else(not_in_use)
    }

    fn rcp(&self, policy_id: &str) -> Result<SandboxRcp, IamError> {
        self.organization()?
            .policies
            .into_iter()
            .find(|p| p.policy.id == policy_id)
            .ok_or_else(|| IamError::NoSuchEntity(format!("policy {policy_id}")))
    }
}

#[async_trait]
impl Organizations for SandboxIam {
    async fn resource_control_policies(&self) -> Result<Vec<OrgPolicy>, IamError> {
        self.rec
            .enter("resource_control_policies", false, "")
            .await?;
        let org = self.organization()?;
        Ok(org.policies.into_iter().map(|p| p.policy).collect())
    }

    async fn policy_content(&self, policy_id: &str) -> Result<String, IamError> {
        self.rec.enter("policy_content", false, policy_id).await?;
        Ok(self.rcp(policy_id)?.content)
    }

    async fn policy_targets(&self, policy_id: &str) -> Result<Vec<OrgNode>, IamError> {
        self.rec.enter("policy_targets", false, policy_id).await?;
        Ok(self.rcp(policy_id)?.targets)
    }

    async fn parents(&self, child_id: &str) -> Result<Vec<OrgNode>, IamError> {
        self.rec.enter("org_parents", false, child_id).await?;
        let org = self.organization()?;
        Ok(org.parents.get(child_id).cloned().into_iter().collect())
    }
}
