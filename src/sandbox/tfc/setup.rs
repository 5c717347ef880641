//! Setup helpers of [`SandboxTfc`] for the demo seed and tests: they change the state
//! directly, without going through the port, so they are not logged and never fail on purpose.

use super::SandboxTfc;
use crate::core::ports::{NewVariable, NewVariableSet, TfcError, TfcUser, Variable, VariableSet};

impl SandboxTfc {
    /// Replaces the user the token belongs to (setup: not logged, like every `add_*` helper).
    pub fn set_user(&self, user: TfcUser) {
        self.st().user = user;
    }

    /// Adds an organization (no-op if it exists).
    pub fn add_organization(&self, name: &str) {
        self.st().add_org(name)
    }

    /// Adds a project to an organization; returns its id. 422 on a duplicate name.
    pub fn add_project(&self, org: &str, name: &str) -> Result<String, TfcError> {
        self.st().add_project(org, name)
    }

    /// Adds a workspace to a project of `org`; returns its id. 422 on a duplicate name.
    pub fn add_workspace(
        &self,
        org: &str,
        project_id: &str,
        name: &str,
    ) -> Result<String, TfcError> {
        self.st().add_workspace(org, project_id, name)
    }

    /// Renames a workspace (as a user might, leaving trust policies behind).
    pub fn rename_workspace(&self, id: &str, name: &str) -> Result<(), TfcError> {
        self.st().ws_mut(id)?.name = name.to_string();
        Ok(())
    }

    /// The id of the project `name` of `org`, if there is one.
    pub fn project_id(&self, org: &str, name: &str) -> Option<String> {
        self.st()
            .projects
            .values()
            .find(|p| p.org == org && p.project.name == name)
            .map(|p| p.project.id.clone())
    }

    /// Adds a Stack with deployments to a project of `org`; returns its id.
    pub fn add_stack(
        &self,
        org: &str,
        project_id: &str,
        name: &str,
        deployments: &[&str],
    ) -> Result<String, TfcError> {
        let mut st = self.st();
        st.org(org)?;
        let id = st.new_id("st");
        st.stacks.push((
            org.to_string(),
            crate::core::ports::Stack {
                id: id.clone(),
                name: name.to_string(),
                project_id: project_id.to_string(),
                deployment_names: deployments.iter().map(|d| d.to_string()).collect(),
            },
        ));
        Ok(id)
    }

    /// Deletes a workspace and its attachments to variable sets.
    pub fn delete_workspace(&self, id: &str) -> Result<(), TfcError> {
        let mut st = self.st();
        st.ws(id)?;
        st.workspaces.remove(id);
        for set in st.varsets.values_mut() {
            set.set.workspace_ids.retain(|w| w != id);
        }
        Ok(())
    }

    /// Creates a variable set, global (reaching every workspace) or not.
    pub fn add_variable_set(
        &self,
        org: &str,
        new: &NewVariableSet,
        global: bool,
    ) -> Result<VariableSet, TfcError> {
        self.st().create_set(org, new, global)
    }

    /// Attaches a variable set to workspaces and projects.
    pub fn attach_variable_set(
        &self,
        set_id: &str,
        workspace_ids: &[String],
        project_ids: &[String],
    ) -> Result<(), TfcError> {
        let mut st = self.st();
        st.link(set_id, workspace_ids, false, true)?;
        st.link(set_id, project_ids, true, true)
    }

    /// Adds a variable to a workspace, as `create_workspace_variable` would.
    pub fn add_workspace_variable(
        &self,
        ws_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.ws_var_create(ws_id, var)
    }

    /// Adds a variable to a variable set, as `create_variable_set_variable` would.
    pub fn add_variable_set_variable(
        &self,
        set_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.set_var_create(set_id, var)
    }
}
