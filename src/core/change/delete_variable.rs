//! Deleting a variable: a static key by `migrate`, or one tfc-oidc created, on undo.

use super::support::{gone_ok, set_id};
use super::variable_check::still_holds;
use super::{
    Change, ChangeKind, Held, Outcome, Side, Unrevertable, VariableTarget, VarsetRef, Verb,
};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteVariable {
    pub target: VariableTarget,
    pub variable_id: String,
    pub key: String,
    pub sensitive: bool,
    /// Delete only while the variable still holds this value (undo: someone's later change
    /// is never lost). `None`: no check (a sensitive value cannot be read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_value: Option<String>,
    /// For a readable `AWS_ACCESS_KEY_ID` removed by `migrate`: the key id it held, so a
    /// resumed migration still knows which IAM key to deactivate. Never a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
}

#[async_trait]
impl ChangeKind for DeleteVariable {
    fn shape(&self) -> (Side, Verb) {
        (Side::Tfc, Verb::Delete)
    }

    fn summary(&self) -> String {
        format!("delete {} from {}", self.key, self.target)
    }

    async fn execute(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let (target, id) = (&self.target, self.variable_id.as_str());
        if let Some(expected) = &self.expected_value {
            if let Err(outcome) = still_holds(tfc, target, id, &self.key, expected).await? {
                return Ok(outcome);
            }
        }
        gone_ok(match target {
            VariableTarget::Workspace(ws) => tfc.delete_workspace_variable(&ws.id, id).await,
            VariableTarget::VariableSet(set) => {
                tfc.delete_variable_set_variable(set_id(set)?, id).await
            }
        })
    }

    /// A deleted value is not kept (and a sensitive one was never read).
    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        let (key, target) = (&self.key, &self.target);
        let why = if self.sensitive {
            "its value was sensitive"
        } else {
            "deleted values are not kept"
        };
        Err(Unrevertable::new(
            target.to_string(),
            format!("cannot restore {key} on {target}: {why}"),
        ))
    }

    fn variable_set_mut(&mut self) -> Option<&mut VarsetRef> {
        self.target.variable_set_mut()
    }
}
