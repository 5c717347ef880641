//! Marking an IAM user's access key Active or Inactive (`migrate --deactivate-keys`; never a
//! deletion, so it can always be turned back).

use super::support::mask_key_id;
use super::{Change, ChangeKind, Held, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{AccessKeyStatus, Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetAccessKeyStatus {
    pub user: String,
    pub access_key_id: String,
    pub status: AccessKeyStatus,
}

#[async_trait]
impl ChangeKind for SetAccessKeyStatus {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Update)
    }

    fn summary(&self) -> String {
        format!(
            "mark access key {} of user {} {:?}",
            mask_key_id(&self.access_key_id),
            self.user,
            self.status
        )
    }

    fn removes(&self) -> bool {
        self.status == AccessKeyStatus::Inactive
    }

    fn details(&self) -> Vec<super::Detail> {
        match self.status {
            AccessKeyStatus::Inactive => vec![super::Detail::Text(
                "after the key variables holding it are removed (never deleted)".into(),
            )],
            AccessKeyStatus::Active => Vec::new(),
        }
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        iam.set_access_key_status(&self.user, &self.access_key_id, self.status)
            .await?;
        Ok(Outcome::default())
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        let status = match self.status {
            AccessKeyStatus::Active => AccessKeyStatus::Inactive,
            AccessKeyStatus::Inactive => AccessKeyStatus::Active,
        };
        Ok(Some(
            SetAccessKeyStatus {
                user: self.user.clone(),
                access_key_id: self.access_key_id.clone(),
                status,
            }
            .into(),
        ))
    }

    /// Turning it back is harmless whether or not it happened.
    async fn resolve_in_flight(&self, _iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        Some(Outcome::default())
    }
}
