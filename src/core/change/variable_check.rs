//! Whether a variable may be overwritten or deleted: only while it still holds what tfc-oidc
//! wrote or saw. A variable changed since is someone else's work, and is left.

use super::support::set_id;
use super::{Outcome, VariableTarget};
use crate::core::error::ChangeError;
use crate::core::ports::{Tfc, TfcError, Variable};

/// The variable with this id on its target, as it is now.
async fn variable_now(
    tfc: &dyn Tfc,
    target: &VariableTarget,
    variable_id: &str,
) -> Result<Option<Variable>, ChangeError> {
    let vars = match target {
        VariableTarget::Workspace(ws) => tfc.workspace_variables(&ws.id).await?,
        VariableTarget::VariableSet(set) => tfc.variable_set_variables(set_id(set)?).await?,
    };
    Ok(vars.into_iter().find(|v| v.id == variable_id))
}

/// `Ok(())` when the variable still holds `expected` (or is sensitive, so cannot be told);
/// otherwise the outcome to report instead of writing: gone, or changed by someone else.
pub(super) async fn still_holds(
    tfc: &dyn Tfc,
    target: &VariableTarget,
    variable_id: &str,
    key: &str,
    expected: &str,
) -> Result<Result<(), Outcome>, ChangeError> {
    match variable_now(tfc, target, variable_id).await? {
        None => Ok(Err(Outcome::default())),
        Some(v) if v.sensitive || v.value.as_deref() == Some(expected) => Ok(Ok(())),
        Some(_) => Ok(Err(Outcome::left(format!(
            "{key} on {target} was changed by someone else since; left as it is"
        )))),
    }
}

/// The variables on a target as they are now (for in-flight resolution).
pub(super) async fn variables_on(
    tfc: &dyn Tfc,
    target: &VariableTarget,
) -> Result<Vec<Variable>, TfcError> {
    match target {
        VariableTarget::Workspace(ws) => tfc.workspace_variables(&ws.id).await,
        VariableTarget::VariableSet(set) => match &set.id {
            Some(id) => tfc.variable_set_variables(id).await,
            None => Err(TfcError::Protocol(format!(
                "variable set {} has no id yet",
                set.name
            ))),
        },
    }
}
