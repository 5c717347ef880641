//! Taking subjects an apply added out of a role's trust as it is now (undo of
//! [`super::UpdateTrustPolicy`]).

use super::support::unreadable;
use crate::core::text::counted;
use super::{Change, ChangeKind, Held, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::trust::PolicyDocument;
use crate::core::ports::{Iam, Tfc};
use crate::core::trust;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetractTrustSubjects {
    pub role_name: String,
    pub provider_arn: String,
    pub host: String,
    pub subjects: Vec<String>,
}

#[async_trait]
impl ChangeKind for RetractTrustSubjects {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Update)
    }

    /// Runs of the retracted subjects can no longer assume the role.
    fn removes(&self) -> bool {
        true
    }

    fn summary(&self) -> String {
        format!(
            "remove {} from the trust policy of role {}",
            counted(self.subjects.len(), "subject", "subjects"),
            self.role_name
        )
    }

    fn details(&self) -> Vec<super::Detail> {
        let subjects = self.subjects.iter().cloned();
        subjects.map(super::Detail::RemovesTrust).collect()
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let role = self.role_name.as_str();
        let now = match iam.get_role(role).await? {
            Some(r) => PolicyDocument::parse(&r.trust_policy).map_err(|e| unreadable(role, e))?,
            None => return Ok(Outcome::left(format!("role {role} no longer exists"))),
        };
        let (document, removed) =
            trust::retract(&now, &self.host, &self.provider_arn, &self.subjects);
        if removed.is_empty() {
            return Ok(Outcome::left(format!(
                "the trust of role {role} no longer lists the subjects tfc-oidc added"
            )));
        }
        iam.update_trust_policy(role, &document.to_string()).await?;
        Ok(Outcome::default())
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(None)
    }
}
