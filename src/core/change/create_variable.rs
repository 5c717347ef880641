//! Creating an environment variable on a workspace or a variable set.

use super::support::{env_var, set_id};
use super::variable_check::variables_on;
use super::{
    Change, ChangeKind, DeleteVariable, Held, Holder, Outcome, Side, Unrevertable, VariableTarget,
    VarsetRef, Verb,
};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateVariable {
    pub target: VariableTarget,
    pub key: String,
    pub value: String,
    pub description: String,
}

#[async_trait]
impl ChangeKind for CreateVariable {
    fn shape(&self) -> (Side, Verb) {
        (Side::Tfc, Verb::Create)
    }

    fn summary(&self) -> String {
        format!("set {} = \"{}\" on {}", self.key, self.value, self.target)
    }

    async fn execute(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let var = env_var(&self.key, &self.value, &self.description);
        let made = match &self.target {
            VariableTarget::Workspace(ws) => tfc.create_workspace_variable(&ws.id, &var).await?,
            VariableTarget::VariableSet(set) => {
                tfc.create_variable_set_variable(set_id(set)?, &var).await?
            }
        };
        Ok(Outcome::created(made.id))
    }

    /// Deletes the variable while it still holds the value set here.
    fn inverse(&self, outcome: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        let (key, target) = (&self.key, &self.target);
        let Some(variable_id) = outcome.id.clone() else {
            return Err(Unrevertable::new(
                target.to_string(),
                format!("cannot delete {key} on {target}: its id was not recorded"),
            ));
        };
        Ok(Some(
            DeleteVariable {
                target: target.clone(),
                variable_id,
                key: key.clone(),
                sensitive: false,
                expected_value: Some(self.value.clone()),
                access_key_id: None,
            }
            .into(),
        ))
    }

    /// It happened if the target has this key with this value.
    async fn resolve_in_flight(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Option<Outcome> {
        let vars = variables_on(tfc, &self.target).await.ok()?;
        let var = vars
            .into_iter()
            .find(|v| v.key == self.key && v.value.as_deref() == Some(self.value.as_str()))?;
        Some(Outcome::created(var.id))
    }

    fn is_setup(&self) -> bool {
        true
    }

    fn puts_in(&self) -> Option<(Holder, Held)> {
        let VariableTarget::VariableSet(VarsetRef {
            id: Some(id),
            name,
        }) = &self.target
        else {
            return None;
        };
        let set = Holder::VariableSet {
            id: id.clone(),
            name: name.clone(),
        };
        Some((set, Held::Variable(self.key.clone())))
    }

    fn variable_set_mut(&mut self) -> Option<&mut VarsetRef> {
        self.target.variable_set_mut()
    }
}
