//! Attaching a managed policy to a role.

use super::support::{settle, short_arn};
use super::{Change, ChangeKind, DetachRolePolicy, Held, Holder, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachRolePolicy {
    pub role_name: String,
    pub policy_arn: String,
}

#[async_trait]
impl ChangeKind for AttachRolePolicy {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Create)
    }

    fn summary(&self) -> String {
        format!(
            "attach policy {} to role {}",
            short_arn(&self.policy_arn),
            self.role_name
        )
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        settle(|| iam.attach_policy(&self.role_name, &self.policy_arn)).await?;
        Ok(Outcome::default())
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(Some(
            DetachRolePolicy {
                role_name: self.role_name.clone(),
                policy_arn: self.policy_arn.clone(),
            }
            .into(),
        ))
    }

    async fn resolve_in_flight(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        let attached = iam.list_attached_policies(&self.role_name).await.ok()?;
        attached.contains(&self.policy_arn).then(Outcome::default)
    }

    fn is_setup(&self) -> bool {
        true
    }

    fn puts_in(&self) -> Option<(Holder, Held)> {
        let role = Holder::Role {
            name: self.role_name.clone(),
        };
        Some((role, Held::ManagedPolicy(self.policy_arn.clone())))
    }
}
