//! Detaching a variable set: by `migrate` (a set of static keys), or undoing an attachment.

use super::support::{gone_ok, set_id};
use super::{
    AttachScope, AttachVariableSet, Change, ChangeKind, Held, Outcome, Side, Unrevertable,
    VarsetRef, Verb,
};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetachVariableSet {
    pub set: VarsetRef,
    pub scope: AttachScope,
}

#[async_trait]
impl ChangeKind for DetachVariableSet {
    fn shape(&self) -> (Side, Verb) {
        (Side::Tfc, Verb::Delete)
    }

    fn summary(&self) -> String {
        format!("detach variable set {} from {}", self.set.name, self.scope)
    }

    async fn execute(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let id = set_id(&self.set)?;
        gone_ok(match &self.scope {
            AttachScope::Workspaces { workspaces } => {
                let ids: Vec<String> = workspaces.iter().map(|w| w.id.clone()).collect();
                tfc.detach_variable_set_from_workspaces(id, &ids).await
            }
            AttachScope::Project { id: project, .. } => {
                tfc.detach_variable_set_from_projects(id, std::slice::from_ref(project))
                    .await
            }
        })
    }

    fn inverse(&self, _: &Outcome, _: &[Held]) -> Result<Option<Change>, Unrevertable> {
        Ok(Some(
            AttachVariableSet {
                set: self.set.clone(),
                scope: self.scope.clone(),
            }
            .into(),
        ))
    }

    fn variable_set_mut(&mut self) -> Option<&mut VarsetRef> {
        Some(&mut self.set)
    }
}
