//! Attaching a variable set to workspaces or to a project.

use super::support::set_id;
use super::{
    AttachScope, Change, ChangeKind, DetachVariableSet, Held, Holder, Outcome, Side,
    Unrevertable, VarsetRef, Verb,
};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachVariableSet {
    pub set: VarsetRef,
    pub scope: AttachScope,
}

#[async_trait]
impl ChangeKind for AttachVariableSet {
    fn shape(&self) -> (Side, Verb) {
        (Side::Tfc, Verb::Create)
    }

    fn summary(&self) -> String {
        format!("attach variable set {} to {}", self.set.name, self.scope)
    }

    async fn execute(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let id = set_id(&self.set)?;
        match &self.scope {
            AttachScope::Workspaces { workspaces } => {
                let ids: Vec<String> = workspaces.iter().map(|w| w.id.clone()).collect();
                tfc.attach_variable_set_to_workspaces(id, &ids).await?
            }
            AttachScope::Project { id: project, .. } => {
                tfc.attach_variable_set_to_projects(id, std::slice::from_ref(project))
                    .await?
            }
        }
        Ok(Outcome::default())
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(Some(
            DetachVariableSet {
                set: self.set.clone(),
                scope: self.scope.clone(),
            }
            .into(),
        ))
    }

    /// Detaching is harmless whether or not it happened.
    async fn resolve_in_flight(&self, _iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        Some(Outcome::default())
    }

    fn is_setup(&self) -> bool {
        true
    }

    fn puts_in(&self) -> Option<(Holder, Held)> {
        let set = Holder::VariableSet {
            id: self.set.id.clone()?,
            name: self.set.name.clone(),
        };
        Some((set, Held::Attachment))
    }

    fn variable_set_mut(&mut self) -> Option<&mut VarsetRef> {
        Some(&mut self.set)
    }
}
