//! Deleting an OIDC provider (undo of [`super::CreateOidcProvider`]; undo keeps a provider
//! that other roles still trust).

use super::support::{gone_ok, short_arn};
use super::{Change, ChangeKind, Held, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteOidcProvider {
    pub arn: String,
}

#[async_trait]
impl ChangeKind for DeleteOidcProvider {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Delete)
    }

    fn summary(&self) -> String {
        format!("delete OIDC provider {}", short_arn(&self.arn))
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        gone_ok(iam.delete_oidc_provider(&self.arn).await)
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(None)
    }
}
