//! Deleting a variable set (undo of [`super::CreateVariableSet`]), only while it holds nothing
//! but what the apply put there.

use super::support::{gone_ok, set_id};
use super::{Change, ChangeKind, Held, Outcome, Side, Unrevertable, VarsetRef, Verb};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc, TfcError};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteVariableSet {
    pub set: VarsetRef,
    /// Delete only while the set holds no variable but these (what the apply put there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

#[async_trait]
impl ChangeKind for DeleteVariableSet {
    fn shape(&self) -> (Side, Verb) {
        (Side::Tfc, Verb::Delete)
    }

    fn summary(&self) -> String {
        format!("delete variable set {}", self.set.name)
    }

    async fn execute(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let id = set_id(&self.set)?;
        if !self.keys.is_empty() {
            let vars = match tfc.variable_set_variables(id).await {
                Ok(v) => v,
                Err(TfcError::NotFound { .. }) => return Ok(Outcome::default()),
                Err(e) => return Err(e.into()),
            };
            let foreign: Vec<&str> = vars
                .iter()
                .filter(|v| !self.keys.contains(&v.key))
                .map(|v| v.key.as_str())
                .collect();
            if !foreign.is_empty() {
                return Ok(Outcome::left(format!(
                    "variable set {} holds variables tfc-oidc did not put there ({}); left as it is",
                    self.set.name,
                    foreign.join(", ")
                )));
            }
        }
        gone_ok(tfc.delete_variable_set(id).await)
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(None)
    }

    fn variable_set_mut(&mut self) -> Option<&mut VarsetRef> {
        Some(&mut self.set)
    }
}
