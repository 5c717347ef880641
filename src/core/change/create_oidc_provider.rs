//! Creating the IAM OIDC provider for the HCP Terraform host.

use super::{Change, ChangeKind, DeleteOidcProvider, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, NewOidcProvider, Tag, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateOidcProvider {
    pub url: String,
    pub arn: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub tags: Vec<Tag>,
}

#[async_trait]
impl ChangeKind for CreateOidcProvider {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Create)
    }

    fn summary(&self) -> String {
        format!(
            "create OIDC provider {} (audience {})",
            self.url,
            self.client_ids.join(", ")
        )
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let arn = iam
            .create_oidc_provider(&NewOidcProvider {
                url: self.url.clone(),
                client_ids: self.client_ids.clone(),
                thumbprints: self.thumbprints.clone(),
                tags: self.tags.clone(),
            })
            .await?;
        Ok(Outcome::created(arn))
    }

    fn inverse(&self, outcome: &Outcome, _: &[super::Held]) -> Result<Option<Change>, Unrevertable> {
        let arn = outcome.id.clone().unwrap_or_else(|| self.arn.clone());
        Ok(Some(DeleteOidcProvider { arn }.into()))
    }

    async fn resolve_in_flight(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        let found = iam.get_oidc_provider(&self.arn).await.ok()?;
        found.map(|_| Outcome::created(self.arn.clone()))
    }

    fn is_setup(&self) -> bool {
        true
    }
}
