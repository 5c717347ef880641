//! Deleting a role (undo of [`super::CreateRole`]), but only while it is the one the apply
//! created (same unique id) and holds no policy or trust statement someone else added;
//! otherwise the role is left and named.

use super::support::gone_ok;
use super::{Change, ChangeKind, Held, Outcome, Side, Unrevertable, Verb};
use crate::core::error::ChangeError;
use crate::core::trust::{Effect, PolicyDocument};
use crate::core::ports::{Iam, Role, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteRole {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
    /// Managed policies the apply attached (detached with the role).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<String>,
    /// Inline policies the apply put (deleted with the role).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inline_policies: Vec<String>,
    /// The provider the role was made to trust: other statements are someone else's.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider_arn: String,
}

impl DeleteRole {
    /// Why the role must be left as it is, if it must.
    fn someone_elses(&self, role: &Role, attached: &[String], inline_now: &[String]) -> Option<String> {
        let name = &self.name;
        if let Some(id) = self.role_id.as_deref() {
            if !id.is_empty() && !role.id.is_empty() && role.id != id {
                return Some(format!(
                    "role {name} was deleted and re-created by someone else since (id {} is not {id}); left as it is",
                    role.id
                ));
            }
        }
        let foreign: Vec<String> = attached
            .iter()
            .filter(|p| !self.policies.contains(p))
            .chain(inline_now.iter().filter(|p| !self.inline_policies.contains(p)))
            .cloned()
            .collect();
        if !foreign.is_empty() {
            return Some(format!(
                "role {name} has policies tfc-oidc did not attach ({}); left as it is",
                foreign.join(", ")
            ));
        }
        if self.provider_arn.is_empty() {
            return None;
        }
        let doc = PolicyDocument::parse(&role.trust_policy).ok()?;
        let provider = [self.provider_arn.as_str()];
        let others = doc
            .statements()
            .iter()
            .any(|s| !(s.effect == Effect::Allow && s.principals.federated() == provider));
        others.then(|| {
            format!("role {name} has trust statements someone else added; left as it is")
        })
    }
}

#[async_trait]
impl ChangeKind for DeleteRole {
    fn shape(&self) -> (Side, Verb) {
        (Side::Aws, Verb::Delete)
    }

    fn summary(&self) -> String {
        format!("delete role {}", self.name)
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let name = self.name.as_str();
        let Some(role) = iam.get_role(name).await? else {
            return Ok(Outcome::default());
        };
        let attached = iam.list_attached_policies(name).await?;
        let inline_now = iam.list_inline_policies(name).await?;
        if let Some(why) = self.someone_elses(&role, &attached, &inline_now) {
            return Ok(Outcome::left(why));
        }
        for arn in attached {
            iam.detach_policy(name, &arn).await?;
        }
        for policy in inline_now {
            iam.delete_inline_policy(name, &policy).await?;
        }
        gone_ok(iam.delete_role(name).await)
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(None)
    }
}
