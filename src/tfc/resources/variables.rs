//! Workspace variables: list the workspace's own, create, update, delete.

use reqwest::Method;

use crate::core::ports::{NewVariable, TfcError, Variable};
use crate::tfc::client::TfcClient;
use crate::tfc::convert::{self, VariableAttributes};

fn workspace_what(workspace_id: &str) -> String {
    format!("workspace {workspace_id}")
}

fn variable_what(workspace_id: &str, variable_id: &str) -> String {
    format!("variable {variable_id} on workspace {workspace_id}")
}

impl TfcClient {
    pub(super) async fn list_workspace_variables(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<Variable>, TfcError> {
        // One unpaginated list of `vars` resources.
        let url = self.url(&["workspaces", workspace_id, "vars"]);
        let (vars, _) = self
            .get_all::<VariableAttributes>(url, &workspace_what(workspace_id))
            .await?;
        Ok(vars.into_iter().map(Variable::from).collect())
    }

    pub(super) async fn post_workspace_variable(
        &self,
        workspace_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        let url = self.url(&["workspaces", workspace_id, "vars"]);
        let body = convert::variable_body(var, None);
        let created = self
            .write_one::<VariableAttributes>(
                Method::POST,
                url,
                &body,
                &workspace_what(workspace_id),
            )
            .await?;
        Ok(created.into())
    }

    pub(super) async fn patch_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        let url = self.url(&["workspaces", workspace_id, "vars", variable_id]);
        let body = convert::variable_body(var, Some(variable_id));
        let what = variable_what(workspace_id, variable_id);
        let updated = self
            .write_one::<VariableAttributes>(Method::PATCH, url, &body, &what)
            .await?;
        Ok(updated.into())
    }

    pub(super) async fn remove_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError> {
        let url = self.url(&["workspaces", workspace_id, "vars", variable_id]);
        self.write_empty(
            Method::DELETE,
            url,
            None,
            &variable_what(workspace_id, variable_id),
        )
        .await
    }
}
