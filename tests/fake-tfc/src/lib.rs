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
//! sets and their variables / workspace / project relationships, `/ping`,
//! paging, bearer auth, 404/422 error documents, a 30 req/s per-token limiter
//! ([`FakeTfc::set_rate_limit`] turns it off) and injectable faults
//! ([`Fault`]). State can be inspected directly
//! ([`FakeTfc::workspace_variables`], [`FakeTfc::variable_sets`]).

mod faults;
mod jsonapi;
mod routes;
mod seed;
mod server;
mod state;

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::oneshot;

pub use faults::Fault;
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
            limiter: Mutex::new(faults::Limiter::new(Some(30))),
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
