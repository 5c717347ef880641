//! The [`Tfc`] port implemented by [`TfcClient`]: each port method builds its HTTP request here,
//! under the port's own name (the API path is in the body). What a resource needs besides —
//! response shapes, request bodies, Stack deployments, the plan log download — lives in the
//! file of that resource.

mod runs;
mod stacks;

use async_trait::async_trait;
use reqwest::Method;

use crate::core::ports::{
    CurrentConfiguration, NewVariable, NewVariableSet, Organization, PlanInfo, Project, RunInfo,
    Stack, Tfc, TfcError, TfcUser, Variable, VariableSet, Workspace,
};
use crate::tfc::client::TfcClient;
use crate::tfc::convert::{
    self, NamedAttributes, OrganizationAttributes, UserAttributes, VariableAttributes,
    VariableSetAttributes,
};
use crate::tfc::jsonapi;
use runs::{PlanAttributes, RunAttributes};

/// How a missing organization is named in errors.
pub(crate) fn org_what(org: &str) -> String {
    format!("organization '{org}'")
}

fn workspace_what(workspace_id: &str) -> String {
    format!("workspace {workspace_id}")
}

fn variable_what(workspace_id: &str, variable_id: &str) -> String {
    format!("variable {variable_id} on workspace {workspace_id}")
}

fn set_what(set_id: &str) -> String {
    format!("variable set {set_id}")
}

fn set_variable_what(set_id: &str, variable_id: &str) -> String {
    format!("variable {variable_id} in variable set {set_id}")
}

#[async_trait]
impl Tfc for TfcClient {
    fn host(&self) -> &str {
        self.endpoint.host()
    }

    fn api_url(&self) -> String {
        self.endpoint.api_base().to_string()
    }

    /// `GET /organizations/:org/stacks`; see `stacks.rs` for the deployments.
    async fn stacks(&self, org: &str, project_id: Option<&str>) -> Result<Vec<Stack>, TfcError> {
        let mut url = self.url(&["organizations", org, "stacks"]);
        if let Some(project) = project_id {
            url.query_pairs_mut()
                .append_pair("filter[project][id]", project);
        }
        let what = org_what(org);
        let stacks = match self.get_all::<stacks::StackAttributes>(url, &what).await {
            Ok((stacks, _)) => stacks,
            // Terraform Enterprise and organizations without Stacks answer 404.
            Err(TfcError::NotFound { .. }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        self.stacks_with_deployments(stacks, project_id).await
    }

    /// `GET /account/details`: who the token belongs to.
    async fn account(&self) -> Result<TfcUser, TfcError> {
        let url = self.url(&["account", "details"]);
        let what = "the account of this token";
        Ok(self.get_one::<UserAttributes>(url, what).await?.data.into())
    }

    async fn organizations(&self) -> Result<Vec<Organization>, TfcError> {
        // Page params are always sent: without them this endpoint returns everything unpaged.
        let url = self.url(&["organizations"]);
        let (orgs, _) = self
            .get_all::<OrganizationAttributes>(url, "organizations")
            .await?;
        Ok(orgs.into_iter().map(Organization::from).collect())
    }

    /// One organization by name (the API uses names as ids).
    async fn organization(&self, name: &str) -> Result<Organization, TfcError> {
        let url = self.url(&["organizations", name]);
        let what = org_what(name);
        let doc = self.get_one::<OrganizationAttributes>(url, &what).await?;
        Ok(doc.data.into())
    }

    async fn projects(&self, org: &str) -> Result<Vec<Project>, TfcError> {
        let url = self.url(&["organizations", org, "projects"]);
        let (projects, _) = self.get_all::<NamedAttributes>(url, &org_what(org)).await?;
        Ok(projects.into_iter().map(Project::from).collect())
    }

    async fn project(&self, id: &str) -> Result<Project, TfcError> {
        let url = self.url(&["projects", id]);
        let what = format!("project {id}");
        Ok(self
            .get_one::<NamedAttributes>(url, &what)
            .await?
            .data
            .into())
    }

    /// An organization's workspaces (optionally one project's), with their project in the same
    /// request.
    async fn workspaces(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<Workspace>, TfcError> {
        let mut url = self.url(&["organizations", org, "workspaces"]);
        {
            let mut query = url.query_pairs_mut();
            // Same request, so the project names come for free.
            query.append_pair("include", "project");
            if let Some(project) = project_id {
                query.append_pair("filter[project][id]", project);
            }
        }
        let (workspaces, included) = self.get_all::<NamedAttributes>(url, &org_what(org)).await?;
        let all: Vec<Workspace> = workspaces
            .into_iter()
            .map(|w| convert::workspace(w, &included))
            .collect::<Result<_, _>>()?;
        // A server that ignores the filter must not widen a trust to other projects' workspaces.
        Ok(all
            .into_iter()
            .filter(|w| project_id.is_none_or(|p| w.project_id == p))
            .collect())
    }

    async fn workspace(&self, org: &str, name: &str) -> Result<Workspace, TfcError> {
        let mut url = self.url(&["organizations", org, "workspaces", name]);
        url.query_pairs_mut().append_pair("include", "project");
        let what = format!("workspace '{name}' in organization '{org}'");
        match self.get_one::<NamedAttributes>(url, &what).await {
            Ok(doc) => convert::workspace(doc.data, &doc.included),
            // Only on this error path: ask whether the organization itself is visible, so the
            // message says which of the two names is wrong.
            Err(TfcError::NotFound { .. }) => match self.organization(org).await {
                Ok(_) => Err(TfcError::NotFound { what }),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// The workspace's own variables (one unpaginated list of `vars`).
    async fn workspace_variables(&self, workspace_id: &str) -> Result<Vec<Variable>, TfcError> {
        let url = self.url(&["workspaces", workspace_id, "vars"]);
        let what = workspace_what(workspace_id);
        let (vars, _) = self.get_all::<VariableAttributes>(url, &what).await?;
        Ok(vars.into_iter().map(Variable::from).collect())
    }

    async fn create_workspace_variable(
        &self,
        workspace_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        let url = self.url(&["workspaces", workspace_id, "vars"]);
        let body = convert::variable_body(var, None);
        let what = workspace_what(workspace_id);
        let created = self.write_one::<VariableAttributes>(Method::POST, url, &body, &what);
        Ok(created.await?.into())
    }

    async fn update_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        let url = self.url(&["workspaces", workspace_id, "vars", variable_id]);
        let body = convert::variable_body(var, Some(variable_id));
        let what = variable_what(workspace_id, variable_id);
        let updated = self.write_one::<VariableAttributes>(Method::PATCH, url, &body, &what);
        Ok(updated.await?.into())
    }

    async fn delete_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError> {
        let url = self.url(&["workspaces", workspace_id, "vars", variable_id]);
        let what = variable_what(workspace_id, variable_id);
        self.write_empty(Method::DELETE, url, None, &what).await
    }

    async fn variable_sets(&self, org: &str) -> Result<Vec<VariableSet>, TfcError> {
        let url = self.url(&["organizations", org, "varsets"]);
        let what = org_what(org);
        let (sets, _) = self.get_all::<VariableSetAttributes>(url, &what).await?;
        Ok(sets.into_iter().map(VariableSet::from).collect())
    }

    /// The sets that reach the workspace (its own, its project's, the global ones).
    async fn workspace_variable_sets(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<VariableSet>, TfcError> {
        let url = self.url(&["workspaces", workspace_id, "varsets"]);
        let what = workspace_what(workspace_id);
        let (sets, _) = self.get_all::<VariableSetAttributes>(url, &what).await?;
        Ok(sets.into_iter().map(VariableSet::from).collect())
    }

    async fn create_variable_set(
        &self,
        org: &str,
        set: &NewVariableSet,
    ) -> Result<VariableSet, TfcError> {
        let url = self.url(&["organizations", org, "varsets"]);
        let body = convert::variable_set_body(set);
        let what = org_what(org);
        let created = self.write_one::<VariableSetAttributes>(Method::POST, url, &body, &what);
        Ok(created.await?.into())
    }

    async fn delete_variable_set(&self, id: &str) -> Result<(), TfcError> {
        let url = self.url(&["varsets", id]);
        self.write_empty(Method::DELETE, url, None, &set_what(id))
            .await
    }

    async fn variable_set_variables(&self, set_id: &str) -> Result<Vec<Variable>, TfcError> {
        let url = self.url(&["varsets", set_id, "relationships", "vars"]);
        let what = set_what(set_id);
        let (vars, _) = self.get_all::<VariableAttributes>(url, &what).await?;
        Ok(vars.into_iter().map(Variable::from).collect())
    }

    async fn create_variable_set_variable(
        &self,
        set_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        let url = self.url(&["varsets", set_id, "relationships", "vars"]);
        let body = convert::variable_body(var, None);
        let what = set_what(set_id);
        let created = self.write_one::<VariableAttributes>(Method::POST, url, &body, &what);
        Ok(created.await?.into())
    }

    async fn update_variable_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        let url = self.url(&["varsets", set_id, "relationships", "vars", variable_id]);
        let body = convert::variable_body(var, Some(variable_id));
        let what = set_variable_what(set_id, variable_id);
        let updated = self.write_one::<VariableAttributes>(Method::PATCH, url, &body, &what);
        Ok(updated.await?.into())
    }

    async fn delete_variable_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError> {
        let url = self.url(&["varsets", set_id, "relationships", "vars", variable_id]);
        let what = set_variable_what(set_id, variable_id);
        self.write_empty(Method::DELETE, url, None, &what).await
    }

    async fn attach_variable_set_to_workspaces(
        &self,
        set_id: &str,
        workspace_ids: &[String],
    ) -> Result<(), TfcError> {
        self.write_set_relationship(Method::POST, set_id, "workspaces", workspace_ids)
            .await
    }

    async fn detach_variable_set_from_workspaces(
        &self,
        set_id: &str,
        workspace_ids: &[String],
    ) -> Result<(), TfcError> {
        self.write_set_relationship(Method::DELETE, set_id, "workspaces", workspace_ids)
            .await
    }

    async fn attach_variable_set_to_projects(
        &self,
        set_id: &str,
        project_ids: &[String],
    ) -> Result<(), TfcError> {
        self.write_set_relationship(Method::POST, set_id, "projects", project_ids)
            .await
    }

    async fn detach_variable_set_from_projects(
        &self,
        set_id: &str,
        project_ids: &[String],
    ) -> Result<(), TfcError> {
        self.write_set_relationship(Method::DELETE, set_id, "projects", project_ids)
            .await
    }

    // --- verify ---

    /// The workspace with its current configuration version included.
    async fn current_configuration(
        &self,
        workspace_id: &str,
    ) -> Result<CurrentConfiguration, TfcError> {
        let mut url = self.url(&["workspaces", workspace_id]);
        url.query_pairs_mut()
            .append_pair("include", "current_configuration_version");
        let what = workspace_what(workspace_id);
        let body = self.transport.send(Method::GET, url, None, &what).await?;
        let doc: serde_json::Value = jsonapi::parse(&body, &what)?;
        Ok(runs::current_configuration(&doc))
    }

    /// `POST /runs`: a plan-only run, which can never be applied.
    async fn create_plan_only_run(
        &self,
        workspace_id: &str,
        message: &str,
    ) -> Result<RunInfo, TfcError> {
        let url = self.url(&["runs"]);
        let body = runs::plan_only_run_body(workspace_id, message);
        let what = workspace_what(workspace_id);
        let run = self.write_one::<RunAttributes>(Method::POST, url, &body, &what);
        Ok(runs::run_info(run.await?))
    }

    async fn run(&self, run_id: &str) -> Result<RunInfo, TfcError> {
        let url = self.url(&["runs", run_id]);
        let what = format!("run {run_id}");
        let doc = self.get_one::<RunAttributes>(url, &what).await?;
        Ok(runs::run_info(doc.data))
    }

    async fn plan(&self, plan_id: &str) -> Result<PlanInfo, TfcError> {
        let url = self.url(&["plans", plan_id]);
        let what = format!("plan {plan_id}");
        let doc = self.get_one::<PlanAttributes>(url, &what).await?;
        Ok(runs::plan_info(doc.data))
    }

    /// The plan's log from its archive URL (see `runs.rs`: a plain request, no token).
    async fn plan_log(&self, plan: &PlanInfo) -> Result<String, TfcError> {
        let raw = plan
            .log_read_url
            .as_deref()
            .ok_or_else(|| TfcError::Protocol(format!("plan {} has no log-read-url", plan.id)))?;
        self.download_plan_log(raw).await
    }
}

impl TfcClient {
    /// POST (attach) or DELETE (detach) `ids` of `kind` (`workspaces`/`projects`) on a set.
    async fn write_set_relationship(
        &self,
        method: Method,
        set_id: &str,
        kind: &str,
        ids: &[String],
    ) -> Result<(), TfcError> {
        if ids.is_empty() {
            return Ok(());
        }
        let url = self.url(&["varsets", set_id, "relationships", kind]);
        let body = convert::identifiers_body(kind, ids);
        let what = format!(
            "variable set {set_id} or one of the {kind} {}",
            ids.join(", ")
        );
        self.write_empty(method, url, Some(&body), &what).await
    }
}
