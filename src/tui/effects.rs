//! Side effects as data. `update` returns [`Effect`]s; the [`Runner`] executes each on a tokio
//! task and posts the result back as a [`Msg`], so no frame ever waits on the network. A newer
//! effect of the same kind cancels the older one (going back and choosing again), except applies.

use crate::core::answers::Answers;
use crate::core::journal::Journal;
use crate::core::migrate::MigrateRequest;
use crate::core::plan::Plan;
use crate::core::ports::TfcError;
use crate::tfc::ApiToken;
use crate::tui::connector::{Connection, Connector};
use crate::tui::failure::{ExportFailure, TaskFailure};
use crate::tui::msg::{Msg, WizardEnd};
use futures::FutureExt;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

mod accounts;
mod apply_flow;
mod migrate_review;
mod proof;
mod reads;
mod roles;
mod run;

/// Something `update` wants done outside itself.
#[derive(Debug)]
pub enum Effect {
    /// Find the token (or use the typed one), build the clients, ask who we are on both sides.
    Connect {
        token: Option<ApiToken>,
    },
    LoadOrganizations,
    LoadProjects {
        org: String,
    },
    LoadWorkspaces {
        org: String,
        project_id: String,
    },
    /// Read the project through the inventory to badge how each workspace reaches AWS.
    LoadBadges {
        org: String,
        project: String,
        project_id: String,
    },
    /// The roles trusting the provider of this ARN, with their policies.
    LoadRoles(String),
    LoadVariableSets {
        org: String,
    },
    ReadPolicyFile {
        path: String,
    },
    /// Compute the plan (reads only).
    Plan {
        generation: u64,
        answers: Box<Answers>,
    },
    /// Apply the plan, journaled, under the run lock; progress comes back as
    /// [`Msg::Progress`].
    Apply {
        plan: Box<Plan>,
    },
    /// No plan is on screen any more: let the run lock go (planning took it).
    ReleaseRunLock,
    /// Write the export of `answers` (what exists as `plan` found it) to `path`, never over an
    /// existing file; the result comes back as [`Msg::Exported`].
    Export {
        path: String,
        format: crate::export::ExportFormat,
        answers: Box<Answers>,
        plan: Box<Plan>,
    },
    /// Queue a plan-only run on a workspace and follow it (`verify`); news comes back as
    /// [`Msg::Verify`].
    Verify {
        org: String,
        workspace: String,
    },
    /// The migrate path: find the organization's workspaces that receive static keys.
    DiscoverKeys {
        org: String,
    },
    /// The migrate path: plan the migration (reads only).
    PlanMigration {
        generation: u64,
        request: Box<MigrateRequest>,
    },
    /// The review path: read the organization and the AWS account, with progress.
    ReadInventory {
        org: String,
    },
    /// The AWS profiles another account can be reached with; back as [`Msg::Profiles`].
    LoadProfiles,
    /// Connect the IAM port of another AWS account through `profile` (HCP Terraform kept);
    /// back as [`Msg::AwsConnected`].
    ConnectAws {
        profile: String,
    },
    /// The migrate path's Done: verify the migrated workspaces, decide the held keys (their
    /// use looked for since `since`, when the apply began); back as [`Msg::Proof`].
    ProveMigration {
        org: String,
        held: Box<crate::core::migrate::proof::Held>,
        since: time::OffsetDateTime,
    },
    /// The migrate path's Done: apply the proven keys' deactivation (`plan`), journaled under
    /// the run lock; back as [`Msg::Proof`].
    DeactivateProven {
        plan: Box<Plan>,
        held: Box<crate::core::migrate::proof::Held>,
        decided: Box<crate::core::migrate::deactivation::Deactivations>,
    },
    /// End the session.
    Quit(WizardEnd),
}

/// Which kind of task a slot holds: a new task of a kind replaces (cancels) the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Connect,
    Organizations,
    Projects,
    Workspaces,
    Badges,
    Roles,
    VariableSets,
    PolicyFile,
    Plan,
    Apply,
    Export,
    Verify,
    /// The migrate path's proof on Done (apart from `v`'s verification, which must not cancel it).
    Proof,
    Discover,
    Inventory,
    Profiles,
}

/// Decrements the in-flight count when a task ends, also when it is cancelled.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Executes effects on tokio tasks and sends their results to the session.
pub struct Runner {
    connector: Arc<dyn Connector>,
    connection: Arc<Mutex<Option<Connection>>>,
    /// Other AWS accounts the migrate path's discovery reached (its plan and apply use them).
    accounts: accounts::AccountsSlot,
    run_lock: run::RunLockSlot,
    tx: UnboundedSender<Msg>,
    in_flight: Arc<AtomicUsize>,
    tasks: HashMap<Slot, AbortHandle>,
}

impl Runner {
    /// A runner sending results to `tx`; `connector` builds the ports on the connect effect.
    pub fn new(
        connector: Arc<dyn Connector>,
        journal: Journal,
        tx: UnboundedSender<Msg>,
    ) -> Runner {
        Runner {
            run_lock: run::RunLockSlot::new(journal, connector.clone(), tx.clone()),
            connector,
            connection: Arc::new(Mutex::new(None)),
            accounts: Default::default(),
            tx,
            in_flight: Arc::new(AtomicUsize::new(0)),
            tasks: HashMap::new(),
        }
    }

    /// Tasks started and not yet finished.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    fn spawn<F>(&mut self, slot: Slot, what: &'static str, task: F)
    where
        F: Future<Output = Option<Msg>> + Send + 'static,
    {
        let tx = self.tx.clone();
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let guard = InFlight(self.in_flight.clone());
        let handle = tokio::spawn(async move {
            let _guard = guard;
            let msg = AssertUnwindSafe(task)
                .catch_unwind()
                .await
                .unwrap_or_else(|_| Some(Msg::TaskFailed(TaskFailure::Panicked { what })));
            if let Some(msg) = msg {
                // The session may be gone (quitting): nobody needs the result then.
                let _ = tx.send(msg);
            }
        });
        if let Some(old) = self.tasks.insert(slot, handle.abort_handle()) {
            if slot != Slot::Apply {
                old.abort();
            }
        }
    }

    fn connection(&self) -> Result<Connection, TfcError> {
        self.connection
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| TfcError::Protocol("not connected yet".into()))
    }

    /// Starts an effect (one function per effect, in `effects/reads.rs`,
    /// `effects/apply_flow.rs` and, for the migration's proof, `effects/proof.rs`).
    /// [`Effect::Quit`] is the session's business and is ignored here.
    pub fn run(&mut self, effect: Effect) {
        match effect {
            Effect::Connect { token } => self.connect(token),
            Effect::ConnectAws { profile } => self.connect_aws(profile),
            Effect::LoadProfiles => self.load_profiles(),
            Effect::LoadOrganizations => self.load_organizations(),
            Effect::LoadProjects { org } => self.load_projects(org),
            Effect::LoadWorkspaces { org, project_id } => self.load_workspaces(org, project_id),
            Effect::LoadBadges {
                org,
                project,
                project_id,
            } => self.load_badges(org, project, project_id),
            Effect::LoadRoles(provider) => self.load_roles(provider),
            Effect::LoadVariableSets { org } => self.load_variable_sets(org),
            Effect::ReadPolicyFile { path } => self.read_policy_file(path),
            Effect::Plan {
                generation,
                answers,
            } => self.plan(generation, answers),
            Effect::PlanMigration {
                generation,
                request,
            } => self.plan_migration(generation, request),
            Effect::Apply { plan } => self.apply(plan),
            Effect::ReleaseRunLock => self.release_run_lock(),
            Effect::Export {
                path,
                format,
                answers,
                plan,
            } => self.export(path, format, answers, plan),
            Effect::Verify { org, workspace } => self.verify(org, workspace),
            Effect::DiscoverKeys { org } => self.discover_keys(org),
            Effect::ReadInventory { org } => self.read_inventory(org),
            Effect::ProveMigration { org, held, since } => self.prove_migration(org, held, since),
            Effect::DeactivateProven {
                plan,
                held,
                decided,
            } => self.deactivate_proven(plan, held, decided),
            Effect::Quit(_) => {}
        }
    }
}

impl Drop for Runner {
    /// Leaving the wizard cancels the reads still in flight (an apply is never cut short: the
    /// wizard does not end while one runs).
    fn drop(&mut self) {
        for (slot, task) in &self.tasks {
            if *slot != Slot::Apply {
                task.abort();
            }
        }
    }
}

/// Renders the export and writes it to a new file: what to tell, or why not.
fn write_export(
    path: &str,
    format: crate::export::ExportFormat,
    answers: &Answers,
    plan: &Plan,
) -> Result<String, ExportFailure> {
    let facts = crate::export::Facts::from_plan(plan);
    let text = crate::export::render(format, answers, &facts)
        .map_err(|e| ExportFailure::Render(e.to_string()))?;
    let full = expand_home(path);
    crate::export::write_file(&full, &text, false).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => ExportFailure::Exists(full.clone()),
        _ => ExportFailure::Write {
            path: full.clone(),
            reason: e.to_string(),
        },
    })?;
    Ok(format!(
        "Wrote the {} export to {}",
        format.name(),
        full.display()
    ))
}

/// `~/x` → `$HOME/x`, as a shell would.
fn expand_home(path: &str) -> std::path::PathBuf {
    if let Some(rest) = path.strip_prefix("~/") {
        if let Some(home) = directories::BaseDirs::new() {
            return home.home_dir().join(rest);
        }
    }
    std::path::PathBuf::from(path)
}
