//! Creating the IAM OIDC provider for the HCP Terraform host. Roles that already name the
//! provider (it was deleted to revoke them, or never made) become assumable the moment it exists:
//! the change carries them, as the plan read them, so the plan shows them and `undo` can tell
//! them from roles trusted only after the apply.

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
    /// Existing roles whose trust already names this provider, with review's verdict on each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dormant_roles: Vec<DormantRole>,
}

/// A role whose trust names a provider that does not exist yet: creating the provider makes it
/// assumable again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DormantRole {
    pub name: String,
    pub arn: String,
    /// Its trust policy when the plan read it: `undo` keeps the provider for a role whose trust
    /// has changed since, and deletes it when the role is as it was before the apply.
    pub trust: serde_json::Value,
    /// Review's findings on the role (TFCOIDC001/002/003/008/010).
    pub findings: Vec<DormantFinding>,
    /// Admits any organization (TFCOIDC001/002) or holds administrator permissions for more
    /// than one workspace (TFCOIDC010): setup refuses to re-arm it without the user's consent.
    pub broad: bool,
}

/// One review finding on a dormant role, as the plan and the journal keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DormantFinding {
    /// `TFCOIDC001` …
    pub code: String,
    pub severity: String,
    pub detail: String,
}

impl DormantRole {
    /// `name (TFCOIDC001 critical, TFCOIDC010 high)`, or just the name without findings.
    pub fn label(&self) -> String {
        if self.findings.is_empty() {
            return self.name.clone();
        }
        let codes: Vec<String> = self
            .findings
            .iter()
            .map(|f| format!("{} {}", f.code, f.severity))
            .collect();
        format!("{} ({})", self.name, codes.join(", "))
    }
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

    fn details(&self) -> Vec<super::Detail> {
        let dormant = self.dormant_roles.iter();
        dormant.map(|r| super::Detail::ReArms(r.label())).collect()
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
