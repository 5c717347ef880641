//! Adding subjects to an existing role's trust policy. At apply time the trust is read again
//! and only these additions are made to it, so a change made since the plan is kept.

use super::support::{current_trust, settle};
use crate::core::text::counted;
use super::{Change, ChangeKind, Held, Outcome, RetractTrustSubjects, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::trust::PolicyDocument;
use crate::core::ports::{Iam, Tfc};
use crate::core::trust::{self, TrustSpec};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateTrustPolicy {
    pub role_name: String,
    pub old: Value,
    pub new: Value,
    pub added_subjects: Vec<String>,
    #[serde(default)]
    pub provider_arn: String,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub audience: String,
}

impl UpdateTrustPolicy {
    /// The provider and host of the planned statement that lists the added subjects (journals
    /// written before the provider and host were recorded).
    fn provider_in_new(&self) -> Option<(String, String)> {
        let doc = PolicyDocument::from_value(self.new.clone()).ok()?;
        doc.statements().iter().find_map(|s| {
            let cond = s.conditions.iter().find(|c| {
                c.key.to_ascii_lowercase().ends_with(":sub")
                    && c.values.iter().any(|v| self.added_subjects.contains(v))
            })?;
            let host = cond.key[..cond.key.len() - 4].to_string();
            let provider = s.principals.federated().first()?.to_string();
            Some((provider, host))
        })
    }
}

#[async_trait]
impl ChangeKind for UpdateTrustPolicy {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Update)
    }

    fn summary(&self) -> String {
        format!(
            "extend trust policy of role {} (+{})",
            self.role_name,
            counted(self.added_subjects.len(), "subject", "subjects")
        )
    }

    fn details(&self) -> Vec<super::Detail> {
        let added = self.added_subjects.iter().cloned();
        added.map(super::Detail::AddsTrust).collect()
    }

    /// Adds the subjects to the trust as it is now. Journals from before the provider was
    /// recorded write the planned document, as they always did.
    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let role = self.role_name.as_str();
        if self.provider_arn.is_empty() {
            let document = self.new.to_string();
            settle(|| iam.update_trust_policy(role, &document)).await?;
            return Ok(Outcome::default());
        }
        let now = current_trust(iam, role).await?;
        let spec = TrustSpec {
            provider_arn: self.provider_arn.clone(),
            host: self.host.clone(),
            audience: self.audience.clone(),
            subjects: Vec::new(),
        };
        let Some(document) = trust::add_raw_patterns(&now, &spec, &self.added_subjects)
        else {
            return Ok(Outcome::default());
        };
        let document = document.to_string();
        settle(|| iam.update_trust_policy(role, &document)).await?;
        Ok(Outcome::default())
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        let role = &self.role_name;
        let (provider_arn, host) = if self.provider_arn.is_empty() {
            self.provider_in_new().ok_or_else(|| {
                Unrevertable::new(
                    format!("role {role}"),
                    format!("cannot tell which provider role {role} trusts"),
                )
            })?
        } else {
            (self.provider_arn.clone(), self.host.clone())
        };
        Ok(Some(
            RetractTrustSubjects {
                role_name: role.clone(),
                provider_arn,
                host,
                subjects: self.added_subjects.clone(),
            }
            .into(),
        ))
    }

    /// It happened if the trust lists any of the added subjects.
    async fn resolve_in_flight(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        let role = iam.get_role(&self.role_name).await.ok()??;
        let doc = PolicyDocument::parse(&role.trust_policy).ok()?;
        let listed = doc.subject_values();
        let added = &self.added_subjects;
        added.iter().any(|s| listed.contains(s)).then(Outcome::default)
    }

    fn is_setup(&self) -> bool {
        true
    }
}
