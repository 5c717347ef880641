//! Deleting an inline policy from a role (undo of a new [`super::PutRolePolicy`]).

use super::support::gone_ok;
use super::{Change, ChangeKind, Held, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteRolePolicy {
    pub role_name: String,
    pub policy_name: String,
}

#[async_trait]
impl ChangeKind for DeleteRolePolicy {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Delete)
    }

    fn summary(&self) -> String {
        format!(
            "delete inline policy {} from role {}",
            self.policy_name, self.role_name
        )
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        gone_ok(
            iam.delete_inline_policy(&self.role_name, &self.policy_name)
                .await,
        )
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(None)
    }
}
