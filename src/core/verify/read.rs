//! Reading one workspace for `verify`: the workspace (with its project name), its current
//! configuration version, and the variables its runs get, each with where it comes from
//! (computed with the inventory's precedence rules from its own variables and the variable sets
//! that reach it).

use crate::core::ports::{CurrentConfiguration, Tfc, TfcError, Variable, VariableSet, Workspace};
use crate::core::variables::{effective_variables, EffectiveVariable};
use futures::future::try_join_all;

/// What `verify` reads before queueing anything.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceState {
    pub workspace: Workspace,
    pub organization: String,
    pub project: String,
    pub configuration: CurrentConfiguration,
    pub variables: Vec<EffectiveVariable>,
}

/// Reads the workspace `name` of `org`.
pub async fn read_workspace(
    tfc: &dyn Tfc,
    org: &str,
    name: &str,
) -> Result<WorkspaceState, TfcError> {
    let workspace = tfc.workspace(org, name).await?;
    let project = match &workspace.project_name {
        Some(p) => p.clone(),
        None => tfc.project(&workspace.project_id).await?.name,
    };
    let (configuration, variables) = futures::try_join!(
        tfc.current_configuration(&workspace.id),
        variables_of(tfc, &workspace)
    )?;
    Ok(WorkspaceState {
        organization: workspace.organization.clone().unwrap_or_else(|| org.into()),
        project,
        configuration,
        variables,
        workspace,
    })
}

/// The workspace's effective variables with their sources. A server that cannot list the
/// variable sets of a workspace leaves only the workspace's own variables.
async fn variables_of(tfc: &dyn Tfc, ws: &Workspace) -> Result<Vec<EffectiveVariable>, TfcError> {
    let own = tfc.workspace_variables(&ws.id).await?;
    let sets = match tfc.workspace_variable_sets(&ws.id).await {
        Ok(sets) => sets,
        Err(TfcError::NotFound { .. } | TfcError::Rejected { .. }) => vec![],
        Err(e) => return Err(e),
    };
    let sets: Vec<VariableSet> = sets.into_iter().map(|s| reaching(s, ws)).collect();
    let set_vars: Vec<Vec<Variable>> =
        try_join_all(sets.iter().map(|s| tfc.variable_set_variables(&s.id))).await?;
    Ok(effective_variables(
        &ws.id,
        &ws.project_id,
        &own,
        sets.iter().zip(set_vars.iter().map(Vec::as_slice)),
    ))
}

/// A set listed for the workspace reaches it; when the listing left out how (no relationships),
/// take it as attached to the workspace.
fn reaching(mut set: VariableSet, ws: &Workspace) -> VariableSet {
    let known = set.global
        || set.workspace_ids.contains(&ws.id)
        || set.project_ids.contains(&ws.project_id);
    if !known {
        set.workspace_ids.push(ws.id.clone());
    }
    set
}
