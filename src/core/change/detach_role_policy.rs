//! Detaching a managed policy from a role (undo of [`super::AttachRolePolicy`]).

use super::support::{gone_ok, short_arn};
use super::{Change, ChangeKind, Held, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetachRolePolicy {
    pub role_name: String,
    pub policy_arn: String,
}

#[async_trait]
impl ChangeKind for DetachRolePolicy {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Delete)
    }

    fn summary(&self) -> String {
        format!(
            "detach policy {} from role {}",
            short_arn(&self.policy_arn),
            self.role_name
        )
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        gone_ok(iam.detach_policy(&self.role_name, &self.policy_arn).await)
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(None)
    }
}
