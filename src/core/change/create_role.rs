//! Creating an IAM role with tfc-oidc's trust policy and tags.

use super::support::settle;
use super::{Change, ChangeKind, DeleteRole, Held, Holder, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::plan::managed_tag;
use crate::core::trust::PolicyDocument;
use crate::core::ports::{Iam, NewRole, Tag, Tfc};
use crate::core::trust::Phase;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateRole {
    pub name: String,
    pub arn: String,
    pub phase: Phase,
    pub description: String,
    pub trust_policy: Value,
    pub tags: Vec<Tag>,
    /// The managed policy set as the role's permissions boundary (the IAM user's, when the
    /// role takes a key's same permissions). Left out of the JSON when `None`, so journals of
    /// earlier versions read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
}

impl CreateRole {
    fn policy(&self) -> Option<PolicyDocument> {
        PolicyDocument::from_value(self.trust_policy.clone()).ok()
    }
}

#[async_trait]
impl ChangeKind for CreateRole {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Create)
    }

    fn summary(&self) -> String {
        let subjects = self.policy().map(|d| d.subject_values()).unwrap_or_default();
        let label = self.phase.role_label(crate::core::trust::subject::for_stack(&subjects));
        format!("create role {} ({label})", self.name)
    }

    fn details(&self) -> Vec<super::Detail> {
        let subjects = self.policy().map(|d| d.subject_values()).unwrap_or_default();
        let trusts = subjects.into_iter().map(super::Detail::Trusts);
        let boundary = self.permissions_boundary.iter().cloned();
        trusts.chain(boundary.map(super::Detail::Boundary)).collect()
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let role = NewRole {
            name: self.name.clone(),
            trust_policy: self.trust_policy.to_string(),
            description: self.description.clone(),
            tags: self.tags.clone(),
            permissions_boundary: self.permissions_boundary.clone(),
        };
        let made = settle(|| iam.create_role(&role)).await?;
        Ok(Outcome {
            id: Some(made.arn),
            unique_id: Some(made.id).filter(|id| !id.is_empty()),
            left: None,
        })
    }

    /// Deletes the role, expecting to find in it exactly the policies the apply put there.
    fn inverse(&self, outcome: &Outcome, held: &[Held]) -> Result<Option<Change>, Unrevertable> {
        let provider_arn = self
            .policy()
            .and_then(|d| {
                d.statements()
                    .iter()
                    .flat_map(|s| s.principals.federated())
                    .next()
                    .map(String::from)
            })
            .unwrap_or_default();
        let (mut policies, mut inline_policies) = (Vec::new(), Vec::new());
        for h in held {
            match h {
                Held::ManagedPolicy(arn) => policies.push(arn.clone()),
                Held::InlinePolicy(name) => inline_policies.push(name.clone()),
                Held::Variable(_) | Held::Attachment => {}
            }
        }
        Ok(Some(
            DeleteRole {
                name: self.name.clone(),
                role_id: outcome.unique_id.clone(),
                policies,
                inline_policies,
                provider_arn,
            }
            .into(),
        ))
    }

    /// It happened if a role of this name carries tfc-oidc's tag.
    async fn resolve_in_flight(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        let role = iam.get_role(&self.name).await.ok()??;
        let ours = role
            .tags
            .iter()
            .any(|t| t.key == managed_tag::MANAGED_BY && t.value == managed_tag::MANAGED_BY_VALUE);
        ours.then(|| Outcome {
            id: Some(role.arn.clone()),
            unique_id: Some(role.id.clone()).filter(|i| !i.is_empty()),
            left: None,
        })
    }

    fn is_setup(&self) -> bool {
        true
    }

    fn creates(&self, _: &Outcome) -> Option<Holder> {
        Some(Holder::Role {
            name: self.name.clone(),
        })
    }
}
