//! Creating a variable set in the organization.

use super::{Change, ChangeKind, DeleteVariableSet, Held, Holder, Outcome, Side, Unrevertable, Verb, VarsetRef};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, NewVariableSet, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateVariableSet {
    pub organization: String,
    pub name: String,
    pub description: String,
}

#[async_trait]
impl ChangeKind for CreateVariableSet {
    fn shape(&self) -> (Side, Verb) {
        (Side::Tfc, Verb::Create)
    }

    fn summary(&self) -> String {
        format!("create variable set {}", self.name)
    }

    async fn execute(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        let new = NewVariableSet {
            name: self.name.clone(),
            description: self.description.clone(),
        };
        let set = tfc.create_variable_set(&self.organization, &new).await?;
        Ok(Outcome::created(set.id))
    }

    /// Deletes the set, expecting to find in it exactly the variables the apply put there.
    fn inverse(&self, outcome: &Outcome, held: &[Held]) -> Result<Option<Change>, Unrevertable> {
        let keys = held
            .iter()
            .filter_map(|h| match h {
                Held::Variable(key) => Some(key.clone()),
                _ => None,
            })
            .collect();
        let set = VarsetRef {
            id: outcome.id.clone(),
            name: self.name.clone(),
        };
        Ok(Some(DeleteVariableSet { set, keys }.into()))
    }

    /// It happened if the organization has a set of this name.
    async fn resolve_in_flight(&self, _iam: &dyn Iam, tfc: &dyn Tfc) -> Option<Outcome> {
        let sets = tfc.variable_sets(&self.organization).await.ok()?;
        let set = sets.into_iter().find(|s| s.name == self.name)?;
        Some(Outcome::created(set.id))
    }

    fn is_setup(&self) -> bool {
        true
    }

    fn creates(&self, outcome: &Outcome) -> Option<Holder> {
        Some(Holder::VariableSet {
            id: outcome.id.clone()?,
            name: self.name.clone(),
        })
    }
}
