//! The [`Tfc`] port implemented by [`TfcClient`], one file per API resource; this file only
//! routes each trait method to its resource.

mod account;
mod organizations;
mod projects;
mod runs;
mod stacks;
mod variable_sets;
mod variables;
mod workspaces;

use async_trait::async_trait;
use reqwest::Method;

use crate::core::ports::{
    CurrentConfiguration, NewVariable, NewVariableSet, Organization, PlanInfo, Project, RunInfo,
    Tfc, TfcError, TfcUser, Variable, VariableSet, Workspace,
};
use crate::tfc::client::TfcClient;

#[async_trait]
impl Tfc for TfcClient {
    fn host(&self) -> &str {
        self.endpoint.host()
    }

    fn api_url(&self) -> String {
        self.endpoint.api_base().to_string()
    }

    async fn stacks(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<crate::core::ports::Stack>, TfcError> {
        self.list_stacks(org, project_id).await
    }

    async fn account(&self) -> Result<TfcUser, TfcError> {
        self.get_account().await
    }

    async fn organizations(&self) -> Result<Vec<Organization>, TfcError> {
        self.list_organizations().await
    }

    async fn organization(&self, name: &str) -> Result<Organization, TfcError> {
        self.get_organization(name).await
    }

    async fn projects(&self, org: &str) -> Result<Vec<Project>, TfcError> {
        self.list_projects(org).await
    }

    async fn project(&self, id: &str) -> Result<Project, TfcError> {
        self.get_project(id).await
    }

    async fn workspaces(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<Workspace>, TfcError> {
        self.list_workspaces(org, project_id).await
    }

    async fn workspace(&self, org: &str, name: &str) -> Result<Workspace, TfcError> {
        self.get_workspace(org, name).await
    }

    async fn workspace_variables(&self, workspace_id: &str) -> Result<Vec<Variable>, TfcError> {
        self.list_workspace_variables(workspace_id).await
    }

    async fn create_workspace_variable(
        &self,
        workspace_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.post_workspace_variable(workspace_id, var).await
    }

    async fn update_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.patch_workspace_variable(workspace_id, variable_id, var)
            .await
    }

    async fn delete_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError> {
        self.remove_workspace_variable(workspace_id, variable_id)
            .await
    }

    async fn variable_sets(&self, org: &str) -> Result<Vec<VariableSet>, TfcError> {
        self.list_variable_sets(org).await
    }

    async fn workspace_variable_sets(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<VariableSet>, TfcError> {
        self.list_workspace_variable_sets(workspace_id).await
    }

    async fn create_variable_set(
        &self,
        org: &str,
        set: &NewVariableSet,
    ) -> Result<VariableSet, TfcError> {
        self.post_variable_set(org, set).await
    }

    async fn delete_variable_set(&self, id: &str) -> Result<(), TfcError> {
        self.remove_variable_set(id).await
    }

    async fn variable_set_variables(&self, set_id: &str) -> Result<Vec<Variable>, TfcError> {
        self.list_set_variables(set_id).await
    }

    async fn create_variable_set_variable(
        &self,
        set_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.post_set_variable(set_id, var).await
    }

    async fn update_variable_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.patch_set_variable(set_id, variable_id, var).await
    }

    async fn delete_variable_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError> {
        self.remove_set_variable(set_id, variable_id).await
    }

    async fn attach_variable_set_to_workspaces(
        &self,
        set_id: &str,
        workspace_ids: &[String],
    ) -> Result<(), TfcError> {
        self.set_relationship(Method::POST, set_id, "workspaces", workspace_ids)
            .await
    }

    async fn detach_variable_set_from_workspaces(
        &self,
        set_id: &str,
        workspace_ids: &[String],
    ) -> Result<(), TfcError> {
        self.set_relationship(Method::DELETE, set_id, "workspaces", workspace_ids)
            .await
    }

    async fn attach_variable_set_to_projects(
        &self,
        set_id: &str,
        project_ids: &[String],
    ) -> Result<(), TfcError> {
        self.set_relationship(Method::POST, set_id, "projects", project_ids)
            .await
    }

    async fn detach_variable_set_from_projects(
        &self,
        set_id: &str,
        project_ids: &[String],
    ) -> Result<(), TfcError> {
        self.set_relationship(Method::DELETE, set_id, "projects", project_ids)
            .await
    }

    // --- verify ---

    async fn current_configuration(
        &self,
        workspace_id: &str,
    ) -> Result<CurrentConfiguration, TfcError> {
        self.get_current_configuration(workspace_id).await
    }

    async fn create_plan_only_run(
        &self,
        workspace_id: &str,
        message: &str,
    ) -> Result<RunInfo, TfcError> {
        self.post_plan_only_run(workspace_id, message).await
    }

    async fn run(&self, run_id: &str) -> Result<RunInfo, TfcError> {
        self.get_run(run_id).await
    }

    async fn plan(&self, plan_id: &str) -> Result<PlanInfo, TfcError> {
        self.get_plan(plan_id).await
    }

    async fn plan_log(&self, plan: &PlanInfo) -> Result<String, TfcError> {
        self.read_plan_log(plan).await
    }
}
