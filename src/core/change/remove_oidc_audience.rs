//! Removing an audience from an OIDC provider (undo of [`super::AddOidcAudience`]).

use super::support::{gone_ok, short_arn};
use super::{Change, ChangeKind, Held, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoveOidcAudience {
    pub provider_arn: String,
    pub audience: String,
}

#[async_trait]
impl ChangeKind for RemoveOidcAudience {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Delete)
    }

    fn summary(&self) -> String {
        format!(
            "remove audience {} from OIDC provider {}",
            self.audience,
            short_arn(&self.provider_arn)
        )
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        gone_ok(iam.remove_client_id(&self.provider_arn, &self.audience).await)
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(None)
    }
}
