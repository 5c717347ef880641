//! Adding an audience (client id) to an existing OIDC provider.

use super::support::{settle, short_arn};
use super::{Change, ChangeKind, Held, Outcome, RemoveOidcAudience, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddOidcAudience {
    pub provider_arn: String,
    pub audience: String,
}

#[async_trait]
impl ChangeKind for AddOidcAudience {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Create)
    }

    fn summary(&self) -> String {
        format!(
            "add audience {} to OIDC provider {}",
            self.audience,
            short_arn(&self.provider_arn)
        )
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        settle(|| iam.add_client_id(&self.provider_arn, &self.audience)).await?;
        Ok(Outcome::default())
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(Some(
            RemoveOidcAudience {
                provider_arn: self.provider_arn.clone(),
                audience: self.audience.clone(),
            }
            .into(),
        ))
    }

    async fn resolve_in_flight(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        let provider = iam.get_oidc_provider(&self.provider_arn).await.ok()??;
        provider
            .client_ids
            .contains(&self.audience)
            .then(Outcome::default)
    }

    fn is_setup(&self) -> bool {
        true
    }
}
