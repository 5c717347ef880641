//! Putting (or replacing) an inline policy on a role.

use super::support::settle;
use super::{
    Change, ChangeKind, DeleteRolePolicy, Held, Holder, Outcome, Side, Unrevertable, Verb,
};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PutRolePolicy {
    pub role_name: String,
    pub policy_name: String,
    pub document: Value,
    /// The document it replaces, if the role had a policy of this name.
    pub old: Option<Value>,
}

#[async_trait]
impl ChangeKind for PutRolePolicy {
    fn shape(&self) -> (Side, Verb) {
        let verb = if self.old.is_some() {
            Verb::Update
        } else {
            Verb::Create
        };
        (Side::Aws, verb)
    }

    fn summary(&self) -> String {
        format!(
            "{} inline policy {} on role {}",
            if self.old.is_some() { "replace" } else { "put" },
            self.policy_name,
            self.role_name
        )
    }

    async fn execute(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let document = self.document.to_string();
        settle(|| iam.put_inline_policy(&self.role_name, &self.policy_name, &document)).await?;
        Ok(Outcome::default())
    }

    /// Puts the old document back, or deletes a policy that was new.
    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        let (role_name, policy_name) = (self.role_name.clone(), self.policy_name.clone());
        Ok(Some(match &self.old {
            Some(old) => PutRolePolicy {
                role_name,
                policy_name,
                document: old.clone(),
                old: Some(self.document.clone()),
            }
            .into(),
            None => DeleteRolePolicy {
                role_name,
                policy_name,
            }
            .into(),
        }))
    }

    async fn resolve_in_flight(&self, iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        let found = iam.get_inline_policy(&self.role_name, &self.policy_name);
        found.await.ok()?.map(|_| Outcome::default())
    }

    fn is_setup(&self) -> bool {
        true
    }

    fn puts_in(&self) -> Option<(Holder, Held)> {
        let role = Holder::Role {
            name: self.role_name.clone(),
        };
        Some((role, Held::InlinePolicy(self.policy_name.clone())))
    }
}
