//! The HCP Terraform side (`Tfc`, API v2) and the types it speaks.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// The HCP Terraform user (or service user) a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TfcUser {
    pub id: String,
    pub username: String,
    pub email: Option<String>,
    pub is_service_account: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// The organization name (the API uses the name as its id).
    pub name: String,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub project_id: String,
    /// Filled when the adapter could learn it in the same call (`include=project`).
    pub project_name: Option<String>,
    /// The organization's name as the API spells it (tokens carry this spelling).
    pub organization: Option<String>,
}

/// `terraform` or `env`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum VariableCategory {
    Terraform,
    Env,
}

/// A variable on a workspace or in a variable set. `value` is `None` for sensitive variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub id: String,
    pub key: String,
    pub value: Option<String>,
    pub description: Option<String>,
    pub category: VariableCategory,
    pub sensitive: bool,
    pub hcl: bool,
}

/// What creating (or updating) a variable sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVariable {
    pub key: String,
    pub value: String,
    pub description: String,
    pub category: VariableCategory,
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableSet {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub global: bool,
    pub priority: bool,
    pub workspace_ids: Vec<String>,
    pub project_ids: Vec<String>,
}

/// An HCP Terraform Stack (Stacks API): its runs authenticate per deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stack {
    pub id: String,
    pub name: String,
    pub project_id: String,
    /// The deployments of its latest configuration (`GET /stacks/:id/stack-deployments`, or the
    /// beta API's `deployment-names` attribute).
    pub deployment_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVariableSet {
    pub name: String,
    pub description: String,
}

/// Errors a [`Tfc`] adapter reports.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TfcError {
    #[error("HCP Terraform rejected the token for {host} (401): run 'terraform login {host}' or set TFE_TOKEN")]
    Unauthorized { host: String },
    #[error("{what} not found, or the token has no access to it (404)")]
    NotFound { what: String },
    #[error("HCP Terraform refused the request ({status}): {detail}")]
    Rejected { status: u16, detail: String },
    #[error("HCP Terraform kept rate-limiting the requests (429) after {retries} retries")]
    RateLimited { retries: u32 },
    #[error("HCP Terraform server error ({status}): {detail}")]
    Server { status: u16, detail: String },
    #[error("could not reach HCP Terraform at {url}: {detail}")]
    Transport { url: String, detail: String },
    #[error("unexpected response from HCP Terraform: {0}")]
    Protocol(String),
}

impl TfcError {
    /// A 404 while reading: the organization, project or workspace named does not exist (or the
    /// token cannot see it), which is the user's input to correct (exit 2), not a failure.
    pub fn is_not_found(&self) -> bool {
        matches!(self, TfcError::NotFound { .. })
    }
}

/// The HCP Terraform API v2, as much of it as tfc-oidc needs. List methods follow every page.
#[async_trait]
pub trait Tfc: Send + Sync {
    /// The host name (`app.terraform.io`): also the OIDC issuer's host.
    fn host(&self) -> &str;

    /// The API's base address: two servers for one host name (a proxy, a staging instance) are
    /// told apart by it, so a journal is never resumed against the other one.
    fn api_url(&self) -> String {
        format!("https://{}/api/v2", self.host())
    }

    async fn account(&self) -> Result<TfcUser, TfcError>;
    async fn organizations(&self) -> Result<Vec<Organization>, TfcError>;
    async fn organization(&self, name: &str) -> Result<Organization, TfcError>;

    async fn projects(&self, org: &str) -> Result<Vec<Project>, TfcError>;
    async fn project(&self, id: &str) -> Result<Project, TfcError>;

    /// Workspaces of an organization, optionally only those of one project.
    async fn workspaces(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<Workspace>, TfcError>;
    /// One workspace by name, with its project name filled in.
    async fn workspace(&self, org: &str, name: &str) -> Result<Workspace, TfcError>;

    /// Stacks of an organization, optionally only those of one project. Servers without
    /// Stacks (Terraform Enterprise, older releases) have none.
    async fn stacks(&self, org: &str, project_id: Option<&str>) -> Result<Vec<Stack>, TfcError> {
        let _ = (org, project_id);
        Ok(Vec::new())
    }

    async fn workspace_variables(&self, workspace_id: &str) -> Result<Vec<Variable>, TfcError>;
    async fn create_workspace_variable(
        &self,
        workspace_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError>;
    async fn update_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError>;
    async fn delete_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError>;

    /// Every variable set of the organization (workspace and project attachments filled in).
    async fn variable_sets(&self, org: &str) -> Result<Vec<VariableSet>, TfcError>;
    /// Variable sets that reach a workspace (attached to it, to its project, or global).
    async fn workspace_variable_sets(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<VariableSet>, TfcError>;
    async fn create_variable_set(
        &self,
        org: &str,
        set: &NewVariableSet,
    ) -> Result<VariableSet, TfcError>;
    async fn delete_variable_set(&self, id: &str) -> Result<(), TfcError>;

    async fn variable_set_variables(&self, set_id: &str) -> Result<Vec<Variable>, TfcError>;
    async fn create_variable_set_variable(
        &self,
        set_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError>;
    async fn update_variable_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError>;
    async fn delete_variable_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError>;

    async fn attach_variable_set_to_workspaces(
        &self,
        set_id: &str,
        workspace_ids: &[String],
    ) -> Result<(), TfcError>;
    async fn detach_variable_set_from_workspaces(
        &self,
        set_id: &str,
        workspace_ids: &[String],
    ) -> Result<(), TfcError>;
    async fn attach_variable_set_to_projects(
        &self,
        set_id: &str,
        project_ids: &[String],
    ) -> Result<(), TfcError>;
    async fn detach_variable_set_from_projects(
        &self,
        set_id: &str,
        project_ids: &[String],
    ) -> Result<(), TfcError>;

    // --- verify ---

    /// The workspace's current configuration version (`GET /workspaces/:id`).
    async fn current_configuration(
        &self,
        workspace_id: &str,
    ) -> Result<CurrentConfiguration, TfcError>;
    /// Queues a plan-only (speculative) run on the workspace's current configuration version
    /// (`POST /runs` with `plan-only: true`): it can never be applied.
    async fn create_plan_only_run(
        &self,
        workspace_id: &str,
        message: &str,
    ) -> Result<RunInfo, TfcError>;
    /// `GET /runs/:id`.
    async fn run(&self, run_id: &str) -> Result<RunInfo, TfcError>;
    /// `GET /plans/:id`.
    async fn plan(&self, plan_id: &str) -> Result<PlanInfo, TfcError>;
    /// The plan's log, read from its `log-read-url` without the API token (the archive is
    /// another host; the URL itself is the credential). STX/ETX markers are removed.
    async fn plan_log(&self, plan: &PlanInfo) -> Result<String, TfcError>;
}

/// A workspace's current configuration version (the Terraform files its runs plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationVersion {
    pub id: String,
    /// `uploaded`, `pending`, `errored`, `archived`, … when the server said.
    pub status: Option<String>,
}

/// What a workspace says about its current configuration version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CurrentConfiguration {
    /// The workspace has one.
    Version(ConfigurationVersion),
    /// The workspace has none (`current-configuration-version` is `null`): a run cannot start.
    None,
    /// The server did not say (no such relationship): only creating a run will tell.
    Unknown,
}

/// A run as `GET /runs/:id` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInfo {
    pub id: String,
    /// `pending`, `plan_queued`, `planning`, `planned_and_finished`, `errored`, …
    pub status: String,
    pub plan_only: bool,
    /// The run's plan (`relationships.plan`), once the server names it.
    pub plan_id: Option<String>,
    /// Where the run waits in the organization's queue, when the server says.
    pub position_in_queue: Option<u64>,
}

/// A plan as `GET /plans/:id` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInfo {
    pub id: String,
    /// `pending`, `queued`, `running`, `finished`, `errored`, `canceled`, `unreachable`.
    pub status: String,
    /// The archive URL the log is read from: another host, never sent the API token.
    pub log_read_url: Option<String>,
}
