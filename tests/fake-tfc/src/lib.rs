//! A stateful fake of the HCP Terraform API v2 (JSON:API) for tfc-oidc's
//! tests, served over real HTTP on `127.0.0.1`.
//!
//! ```no_run
//! use fake_tfc::{FakeTfc, Seed};
//! let fake = FakeTfc::start(Seed::example());
//! let url = format!("{}/api/v2/account/details", fake.base_url());
//! # let _ = url;
//! ```
//!
//! Covered: account details, organizations, projects, workspaces (with
//! `include=project`), workspace variables (`/vars`, `/all-vars`), variable
//! sets and their variables / workspace / project relationships, runs, plans
//! and configuration versions (outcomes scripted per workspace with
//! [`FakeTfc::script_run`]; plan logs served from `/_archivist/…`, which refuses
//! any request carrying an `Authorization` header), `/ping`,
//! paging, bearer auth, 404/422 error documents, a 30 req/s per-token limiter
//! ([`FakeTfc::set_rate_limit`] turns it off) and injectable faults
//! ([`Fault`]). State can be inspected directly
//! ([`FakeTfc::workspace_variables`], [`FakeTfc::variable_sets`]).

pub mod ci;
mod cloudtrail;
mod faults;
mod jsonapi;
mod routes;
mod runs;
mod seed;
mod server;
mod state;

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::oneshot;

pub use cloudtrail::{FakeCloudTrail, LookupRequest};
pub use faults::Fault;
pub use runs::{LogFormat, RunOutcome};
pub use seed::{Seed, SeedOrg, SeedProject, SeedVar, SeedVarset, SeedWorkspace};

use server::{lock, Shared};

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub method: String,
    /// The raw (still percent-encoded) path, e.g. `/api/v2/organizations`.
    pub path: String,
    /// The raw query string without `?` (empty when absent).
    pub query: String,
    /// Whether the request carried an `Authorization` header.
    pub authorization: bool,
}

/// A running fake. Dropping it stops the server.
pub struct FakeTfc {
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeTfc {
    /// Starts the server on `127.0.0.1:<free port>` in a background thread
    /// with its own tokio runtime (works from sync tests and from inside
    /// other runtimes).
    ///
    /// # Panics
    /// If no local port can be bound.
    pub fn start(seed: Seed) -> FakeTfc {
        match FakeTfc::start_on(seed, 0) {
            Ok(f) => f,
            Err(e) => panic!("fake-tfc: cannot start: {e}"),
        }
    }

    /// Like [`FakeTfc::start`] on a given port (0 = any free port).
    pub fn start_on(seed: Seed, port: u16) -> std::io::Result<FakeTfc> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let shared = Arc::new(Shared {
            addr: listener.local_addr()?,
            state: Mutex::new(state::State::from_seed(&seed)),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(faults::FaultQueue::default()),
            latency: Mutex::new(Duration::ZERO),
            write_latency_after: Mutex::new(Duration::ZERO),
            limiter: Mutex::new(faults::Limiter::new(Some(30))),
            archive_with_authorization: Mutex::new(0),
            too_many: Default::default(),
        });
        let (tx, rx) = oneshot::channel();
        let thread = server::spawn(listener, shared.clone(), rx)?;
        Ok(FakeTfc {
            shared,
            stop: Some(tx),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// `http://127.0.0.1:PORT` (no `/api/v2`; clients append it).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// The token the fake accepts.
    pub fn token(&self) -> String {
        self.shared.st().token.clone()
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).clone()
    }

    /// Count of POST/PATCH/PUT/DELETE requests received.
    pub fn write_count(&self) -> usize {
        lock(&self.shared.log)
            .iter()
            .filter(|r| faults::is_write(&r.method))
            .count()
    }

    /// How many 429s the fake answered (its limiter's and injected ones).
    pub fn too_many_requests_count(&self) -> usize {
        self.shared
            .too_many
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Added before every response.
    pub fn set_latency(&self, latency: Duration) {
        *lock(&self.shared.latency) = latency;
    }

    /// Adds a Stack with deployments to a project of `org`; returns its id, or `None` when the
    /// project does not exist.
    pub fn add_stack(
        &self,
        org: &str,
        project: &str,
        name: &str,
        deployments: &[&str],
    ) -> Option<String> {
        let mut st = self.shared.st();
        let project_id = st
            .projects
            .iter()
            .find(|p| p.org == org && p.name == project)?
            .id
            .clone();
        let id = st.next_id("st-");
        st.stacks.push(state::Stack {
            id: id.clone(),
            org: org.into(),
            project_id,
            name: name.into(),
            deployment_names: deployments.iter().map(|d| d.to_string()).collect(),
            created_at: "2026-01-01T00:00:00.000Z".into(),
        });
        Some(id)
    }

    /// Delays the answer to every write by `latency` after the write took effect (a client
    /// killed meanwhile has changed the state without hearing so).
    pub fn set_write_latency_after(&self, latency: Duration) {
        *lock(&self.shared.write_latency_after) = latency;
    }

    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Requests per second per token before the fake answers 429 (default
    /// 30, like HCP Terraform); `None` turns the limiter off.
    pub fn set_rate_limit(&self, per_second: Option<usize>) {
        lock(&self.shared.limiter).per_second = per_second;
    }

    /// The workspace's own variables as attribute objects plus `"id"`.
    /// Unlike the API, `value` is shown for sensitive variables too.
    pub fn workspace_variables(&self, org: &str, workspace: &str) -> Vec<Value> {
        let st = self.shared.st();
        st.workspace_by_name(org, workspace)
            .map(|w| w.vars.iter().map(var_value).collect())
            .unwrap_or_default()
    }

    /// Each set as `id`, `name`, `description`, `global`, `priority`,
    /// `workspace-ids`, `workspace-names`, `project-ids`, `project-names`
    /// and `vars` (like [`FakeTfc::workspace_variables`]).
    pub fn variable_sets(&self, org: &str) -> Vec<Value> {
        let st = self.shared.st();
        st.varsets
            .iter()
            .filter(|v| v.org == org)
            .map(|v| {
                let ws_names: Vec<&str> = v
                    .workspace_ids
                    .iter()
                    .filter_map(|id| st.workspace(id).map(|w| w.name.as_str()))
                    .collect();
                let prj_names: Vec<&str> = v
                    .project_ids
                    .iter()
                    .filter_map(|id| st.project(id).map(|p| p.name.as_str()))
                    .collect();
                json!({
                    "id": v.id, "name": v.name, "description": v.description,
                    "global": v.global, "priority": v.priority,
                    "workspace-ids": v.workspace_ids, "workspace-names": ws_names,
                    "project-ids": v.project_ids, "project-names": prj_names,
                    "vars": v.vars.iter().map(var_value).collect::<Vec<_>>(),
                })
            })
            .collect()
    }

    /// The id (`ws-…`) of a workspace, by organization and name.
    pub fn workspace_id(&self, org: &str, workspace: &str) -> Option<String> {
        self.shared
            .st()
            .workspace_by_name(org, workspace)
            .map(|w| w.id.clone())
    }

    /// The id (`prj-…`) of a project, by organization and name.
    pub fn project_id(&self, org: &str, project: &str) -> Option<String> {
        self.shared
            .st()
            .project_by_name(org, project)
            .map(|p| p.id.clone())
    }
}

impl FakeTfc {
    /// How the next runs on a workspace go, and in which log format.
    ///
    /// # Panics
    /// If the workspace does not exist (a mistake in the test).
    pub fn script_run(&self, org: &str, workspace: &str, outcome: RunOutcome, format: LogFormat) {
        let mut st = self.shared.st();
        let id = st
            .workspace_by_name(org, workspace)
            .map(|w| w.id.clone())
            .unwrap_or_else(|| panic!("fake-tfc: no workspace {org}/{workspace}"));
        st.scripts.insert(id, (outcome, format));
    }

    /// Requests to the plan-log archive that carried an `Authorization` header (each refused
    /// with 403). A client that leaks the API token to the archive host makes this non-zero.
    pub fn archive_requests_with_authorization(&self) -> usize {
        *lock(&self.shared.archive_with_authorization)
    }

    /// Sets (creates or replaces) a non-sensitive variable on a workspace, as a user would in
    /// the UI; `category` is `env` or `terraform`.
    ///
    /// # Panics
    /// If the workspace does not exist.
    pub fn set_variable(&self, org: &str, workspace: &str, key: &str, value: &str, category: &str) {
        let mut st = self.shared.st();
        let var = st.seed_var(&SeedVar {
            key: key.into(),
            value: value.into(),
            category: category.into(),
            sensitive: false,
        });
        let id = st
            .workspace_by_name(org, workspace)
            .map(|w| w.id.clone())
            .unwrap_or_else(|| panic!("fake-tfc: no workspace {org}/{workspace}"));
        if let Some(w) = st.workspace_mut(&id) {
            w.vars.retain(|v| !(v.key == key && v.category == category));
            w.vars.push(var);
        }
    }

    /// Runs created so far, as `(workspace id, status, plan-only)`.
    pub fn runs(&self) -> Vec<(String, String, bool)> {
        self.shared
            .st()
            .runs
            .iter()
            .map(|r| (r.workspace_id.clone(), r.status().to_string(), r.plan_only))
            .collect()
    }
}

fn var_value(v: &state::Var) -> Value {
    json!({
        "id": v.id, "key": v.key, "value": v.value, "description": v.description,
        "category": v.category, "hcl": v.hcl, "sensitive": v.sensitive,
        "version-id": v.version_id,
    })
}

impl Drop for FakeTfc {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
