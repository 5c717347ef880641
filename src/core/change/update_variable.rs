//! Changing the value of an existing variable, only while it still holds the value planned
//! against (when that was readable).

use super::support::env_var;
use super::variable_check::still_holds;
use super::{
    Change, ChangeKind, Held, Outcome, Side, Unrevertable, VariableTarget, VarsetRef, Verb,
};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateVariable {
    pub target: VariableTarget,
    pub variable_id: String,
    pub key: String,
    /// `None` when the old value was sensitive.
    pub old_value: Option<String>,
    pub new_value: String,
    pub description: String,
}

#[async_trait]
impl ChangeKind for UpdateVariable {
    fn shape(&self) -> (Side, Verb) {
        (Side::Tfc, Verb::Update)
    }

    fn summary(&self) -> String {
        let old = match &self.old_value {
            Some(v) => format!("\"{v}\""),
            None => "(sensitive)".to_string(),
        };
        format!(
            "update {} on {}: {old} → \"{}\"",
            self.key, self.target, self.new_value
        )
    }

    async fn execute(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let (target, id, key) = (&self.target, self.variable_id.as_str(), &self.key);
        if let Some(old) = &self.old_value {
            if let Err(outcome) = still_holds(tfc, target, id, key, old).await? {
                return Ok(outcome);
            }
        }
        let var = env_var(key, &self.new_value, &self.description);
        match target {
            VariableTarget::Workspace(ws) => tfc.update_workspace_variable(&ws.id, id, &var).await?,
            VariableTarget::VariableSet(set) => {
                let set_id = super::support::set_id(set)?;
                tfc.update_variable_set_variable(set_id, id, &var).await?
            }
        };
        Ok(Outcome::default())
    }

    /// Puts the old value back (while the variable still holds the new one).
    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        let (key, target) = (&self.key, &self.target);
        let Some(old) = &self.old_value else {
            return Err(Unrevertable::new(
                target.to_string(),
                format!("cannot restore {key} on {target}: its old value was sensitive"),
            ));
        };
        Ok(Some(
            UpdateVariable {
                target: target.clone(),
                variable_id: self.variable_id.clone(),
                key: key.clone(),
                old_value: Some(self.new_value.clone()),
                new_value: old.clone(),
                description: self.description.clone(),
            }
            .into(),
        ))
    }

    /// Reverting is harmless whether or not it happened.
    async fn resolve_in_flight(&self, _iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        Some(Outcome::default())
    }

    fn is_setup(&self) -> bool {
        true
    }

    fn variable_set_mut(&mut self) -> Option<&mut VarsetRef> {
        self.target.variable_set_mut()
    }
}
