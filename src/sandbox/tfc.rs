//! [`SandboxTfc`]: an in-memory HCP Terraform behind the [`Tfc`] port. The API's rules live in
//! `tfc/state.rs`, `tfc/sets.rs` and `tfc/vars.rs`; this file adds the call log, fault
//! injection, latency, persistence and the setup helpers the demo seed and tests use.

mod runs;
mod sets;
mod setup;
mod state;
mod vars;

use super::recorder::{lock, Call, Recorder};
use crate::core::ports::{
    ConfigurationVersion, CurrentConfiguration, NewVariable, NewVariableSet, Organization,
    PlanInfo, Project, RunInfo, Tfc, TfcError, TfcUser, Variable, VariableSet, Workspace,
};
use crate::sandbox::SandboxIam;
use async_trait::async_trait;
use state::TfcState;
use std::sync::Arc;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use vars::{create_var, delete_var, not_found, update_var, views};

/// Every operation of the port, for [`SandboxTfc::fail_on`].
#[rustfmt::skip]
pub(crate) const OPS: &[&str] = &[
    "account", "organizations", "organization", "projects", "project", "workspaces", "workspace",
    "workspace_variables", "create_workspace_variable",
    "update_workspace_variable", "delete_workspace_variable", "variable_sets", "workspace_variable_sets",
    "create_variable_set", "delete_variable_set", "variable_set_variables",
    "create_variable_set_variable", "update_variable_set_variable", "delete_variable_set_variable",
    "attach_variable_set_to_workspaces", "detach_variable_set_from_workspaces",
    "attach_variable_set_to_projects", "detach_variable_set_from_projects", "stacks",
    "current_configuration", "create_plan_only_run", "run", "plan", "plan_log",
];

/// An in-memory HCP Terraform on one host.
///
/// Lists are sorted by name (byte order, so `Default Project` sorts before `data`); variables
/// keep their creation order; workspaces always carry their project name. Ids look like the
/// real ones (`ws-` and 16 alphanumerics) and are derived from a counter, so runs are
/// reproducible. Call targets are ids (`ws-…`, `varset-…/var-…`) or names (organizations,
/// `org/workspace`).
pub struct SandboxTfc {
    host: String,
    state: Mutex<TfcState>,
    rec: Recorder<TfcError>,
    /// The AWS accounts simulated runs authenticate against, the one a run's role ARN names
    /// (see [`SandboxTfc::link_aws`]).
    aws: Mutex<Vec<Arc<SandboxIam>>>,
}

impl SandboxTfc {
    /// An HCP Terraform on `host` with the user `demo-user` and no organizations.
    pub fn new(host: &str) -> Self {
        Self::with_state(TfcState::new(host))
    }

    fn with_state(state: TfcState) -> Self {
        let host = state.host.clone();
        SandboxTfc {
            host,
            state: Mutex::new(state),
            rec: Recorder::new(OPS),
            aws: Mutex::new(Vec::new()),
        }
    }

    /// An AWS account whose roles and OIDC provider simulated runs use when their role ARN
    /// names it (`Sandbox` links its accounts; the first linked is the default); without one,
    /// runs that try dynamic credentials are refused.
    pub fn link_aws(&self, iam: Arc<SandboxIam>) {
        lock(&self.aws).push(iam);
    }

    fn st(&self) -> MutexGuard<'_, TfcState> {
        lock(&self.state)
    }

    /// The variables a run of `ws` gets (what `/all-vars` answers), for tests that check what a
    /// change leaves a run with; not a port call, so not recorded and never failing on demand.
    #[cfg(test)]
    pub(crate) async fn effective_variables(&self, ws: &str) -> Result<Vec<Variable>, TfcError> {
        self.st().effective_vars(ws)
    }

    /// The state as JSON (what [`super::Sandbox::save`] stores), host included.
    pub fn state_json(&self) -> String {
        serde_json::to_string(&*self.st()).expect("the HCP Terraform state always serializes")
    }

    /// A sandbox restored from [`SandboxTfc::state_json`]'s output.
    pub fn from_state_json(json: &str) -> Result<Self, serde_json::Error> {
        Ok(Self::with_state(serde_json::from_str(json)?))
    }

    /// Replaces the organizations with [`SandboxTfc::state_json`]'s output (the call log,
    /// faults, latency and the linked AWS account stay).
    pub fn restore_state_json(&self, json: &str) -> Result<(), serde_json::Error> {
        *self.st() = serde_json::from_str(json)?;
        Ok(())
    }

    /// Every call made through the port so far, oldest first (failed ones included).
    pub fn calls(&self) -> Vec<Call> {
        self.rec.calls()
    }

    /// How many logged calls were writes.
    pub fn write_count(&self) -> usize {
        self.rec.write_count()
    }

    /// Empties the call log.
    pub fn clear_calls(&self) {
        self.rec.clear_calls()
    }

    /// Makes the `nth` (1-based) future call of `op` (a port method name, e.g. `workspace`)
    /// return `error` once, without doing anything. Panics on an unknown `op` or `nth == 0`.
    pub fn fail_on(&self, op: &'static str, nth: usize, error: TfcError) {
        self.rec.fail_on(op, nth, error)
    }

    /// Adds `latency` (a tokio sleep) to every later call.
    pub fn set_latency(&self, latency: Duration) {
        self.rec.set_latency(latency)
    }

    fn ws_var_create(&self, ws: &str, v: &NewVariable) -> Result<Variable, TfcError> {
        let mut st = self.st();
        st.ws(ws)?;
        let id = st.new_id("var");
        create_var(&mut st.ws_mut(ws)?.vars, id, v)
    }

    fn set_var_create(&self, set: &str, v: &NewVariable) -> Result<Variable, TfcError> {
        let mut st = self.st();
        st.global_clash(set, v)?;
        let id = st.new_id("var");
        create_var(&mut st.set_mut(set)?.vars, id, v)
    }
}

fn ws_var(ws: &str, var: &str) -> String {
    format!("variable '{var}' on workspace '{ws}'")
}

fn set_var(set: &str, var: &str) -> String {
    format!("variable '{var}' in variable set '{set}'")
}

#[async_trait]
impl Tfc for SandboxTfc {
    fn host(&self) -> &str {
        &self.host
    }

    async fn account(&self) -> Result<TfcUser, TfcError> {
        self.rec.enter("account", false, "").await?;
        Ok(self.st().user.clone())
    }

    async fn organizations(&self) -> Result<Vec<Organization>, TfcError> {
        self.rec.enter("organizations", false, "").await?;
        Ok(self.st().orgs.values().cloned().collect())
    }

    async fn organization(&self, name: &str) -> Result<Organization, TfcError> {
        self.rec.enter("organization", false, name).await?;
        self.st().org(name).cloned()
    }

    async fn projects(&self, org: &str) -> Result<Vec<Project>, TfcError> {
        self.rec.enter("projects", false, org).await?;
        self.st().projects_of(org)
    }

    async fn project(&self, id: &str) -> Result<Project, TfcError> {
        self.rec.enter("project", false, id).await?;
        Ok(self.st().project(id)?.project.clone())
    }

    async fn workspaces(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<Workspace>, TfcError> {
        self.rec.enter("workspaces", false, org).await?;
        self.st().workspaces_of(org, project_id)
    }

    async fn stacks(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<crate::core::ports::Stack>, TfcError> {
        self.rec.enter("stacks", false, org).await?;
        let st = self.st();
        st.org(org)?;
        let mut list: Vec<_> = st
            .stacks
            .iter()
            .filter(|(o, s)| o == org && project_id.is_none_or(|p| p == s.project_id))
            .map(|(_, s)| s.clone())
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(list)
    }

    async fn workspace(&self, org: &str, name: &str) -> Result<Workspace, TfcError> {
        self.rec
            .enter("workspace", false, format!("{org}/{name}"))
            .await?;
        self.st().workspace_by_name(org, name)
    }

    async fn workspace_variables(&self, ws: &str) -> Result<Vec<Variable>, TfcError> {
        self.rec.enter("workspace_variables", false, ws).await?;
        Ok(views(&self.st().ws(ws)?.vars))
    }

    async fn create_workspace_variable(
        &self,
        ws: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.rec
            .enter("create_workspace_variable", true, ws)
            .await?;
        self.ws_var_create(ws, var)
    }

    async fn update_workspace_variable(
        &self,
        ws: &str,
        id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.rec
            .enter("update_workspace_variable", true, format!("{ws}/{id}"))
            .await?;
        update_var(&mut self.st().ws_mut(ws)?.vars, id, var, ws_var(ws, id))
    }

    async fn delete_workspace_variable(&self, ws: &str, id: &str) -> Result<(), TfcError> {
        self.rec
            .enter("delete_workspace_variable", true, format!("{ws}/{id}"))
            .await?;
        delete_var(&mut self.st().ws_mut(ws)?.vars, id, ws_var(ws, id))
    }

    async fn variable_sets(&self, org: &str) -> Result<Vec<VariableSet>, TfcError> {
        self.rec.enter("variable_sets", false, org).await?;
        let st = self.st();
        st.org(org)?;
        Ok(st.sets_where(org, |_| true))
    }

    async fn workspace_variable_sets(&self, ws: &str) -> Result<Vec<VariableSet>, TfcError> {
        self.rec.enter("workspace_variable_sets", false, ws).await?;
        self.st().workspace_sets(ws)
    }

    async fn create_variable_set(
        &self,
        org: &str,
        set: &NewVariableSet,
    ) -> Result<VariableSet, TfcError> {
        self.rec.enter("create_variable_set", true, org).await?;
        self.st().create_set(org, set, false)
    }

    async fn delete_variable_set(&self, id: &str) -> Result<(), TfcError> {
        self.rec.enter("delete_variable_set", true, id).await?;
        let removed = self.st().varsets.remove(id);
        removed
            .map(drop)
            .ok_or_else(|| not_found(format!("variable set '{id}'")))
    }

    async fn variable_set_variables(&self, set: &str) -> Result<Vec<Variable>, TfcError> {
        self.rec.enter("variable_set_variables", false, set).await?;
        Ok(views(&self.st().set(set)?.vars))
    }

    async fn create_variable_set_variable(
        &self,
        set: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.rec
            .enter("create_variable_set_variable", true, set)
            .await?;
        self.set_var_create(set, var)
    }

    async fn update_variable_set_variable(
        &self,
        set: &str,
        id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        self.rec
            .enter("update_variable_set_variable", true, format!("{set}/{id}"))
            .await?;
        let mut st = self.st();
        st.global_clash(set, var)?;
        update_var(&mut st.set_mut(set)?.vars, id, var, set_var(set, id))
    }

    async fn delete_variable_set_variable(&self, set: &str, id: &str) -> Result<(), TfcError> {
        self.rec
            .enter("delete_variable_set_variable", true, format!("{set}/{id}"))
            .await?;
        delete_var(&mut self.st().set_mut(set)?.vars, id, set_var(set, id))
    }

    async fn attach_variable_set_to_workspaces(
        &self,
        set: &str,
        ids: &[String],
    ) -> Result<(), TfcError> {
        self.rec
            .enter("attach_variable_set_to_workspaces", true, set)
            .await?;
        self.st().link(set, ids, false, true)
    }

    async fn detach_variable_set_from_workspaces(
        &self,
        set: &str,
        ids: &[String],
    ) -> Result<(), TfcError> {
        self.rec
            .enter("detach_variable_set_from_workspaces", true, set)
            .await?;
        self.st().link(set, ids, false, false)
    }

    async fn attach_variable_set_to_projects(
        &self,
        set: &str,
        ids: &[String],
    ) -> Result<(), TfcError> {
        self.rec
            .enter("attach_variable_set_to_projects", true, set)
            .await?;
        self.st().link(set, ids, true, true)
    }

    async fn detach_variable_set_from_projects(
        &self,
        set: &str,
        ids: &[String],
    ) -> Result<(), TfcError> {
        self.rec
            .enter("detach_variable_set_from_projects", true, set)
            .await?;
        self.st().link(set, ids, true, false)
    }

    // --- verify ---

    async fn current_configuration(&self, ws: &str) -> Result<CurrentConfiguration, TfcError> {
        self.rec.enter("current_configuration", false, ws).await?;
        let st = self.st();
        let w = st.ws(ws)?;
        Ok(if w.no_configuration {
            CurrentConfiguration::None
        } else {
            CurrentConfiguration::Version(ConfigurationVersion {
                id: w.id.replacen("ws-", "cv-", 1),
                status: Some("uploaded".into()),
            })
        })
    }

    async fn create_plan_only_run(&self, ws: &str, _message: &str) -> Result<RunInfo, TfcError> {
        self.rec.enter("create_plan_only_run", true, ws).await?;
        let input = self.st().run_input(ws)?;
        let linked = lock(&self.aws).clone();
        let aws = runs::account_for(&input, &linked);
        let sim = runs::simulate(&input, aws.as_deref()).await;
        let run = self.st().add_run(ws, sim.outcome.clone(), input.structured);
        if let Some(iam) = &aws {
            sim.record(iam, &input, &run.id);
        }
        Ok(run)
    }

    async fn run(&self, id: &str) -> Result<RunInfo, TfcError> {
        self.rec.enter("run", false, id).await?;
        let mut st = self.st();
        let run = st.run_mut(id)?;
        run.step += 1;
        Ok(run.view())
    }

    async fn plan(&self, id: &str) -> Result<PlanInfo, TfcError> {
        self.rec.enter("plan", false, id).await?;
        Ok(self.st().run_by_plan(id)?.plan_view())
    }

    async fn plan_log(&self, plan: &PlanInfo) -> Result<String, TfcError> {
        self.rec.enter("plan_log", false, &plan.id).await?;
        Ok(self.st().run_by_plan(&plan.id)?.log_so_far())
    }
}

#[cfg(test)]
mod tests;
