//! Side effects as data. `update` returns [`Effect`]s; the [`Runner`] executes each on a tokio
//! task and posts the result back as a [`Msg`], so no frame ever waits on the network. A newer
//! effect of the same kind cancels the older one (going back and choosing again), except applies.

use crate::core::answers::Answers;
use crate::core::inventory::{self, InventoryScope};
use crate::core::journal::Journal;
use crate::core::migrate::MigrateRequest;
use crate::core::plan::Plan;
use crate::core::planner;
use crate::core::ports::TfcError;
use crate::tfc::ApiToken;
use crate::tui::connector::{Connection, Connector};
use crate::tui::msg::{ConnectReport, Msg, WizardEnd};
use futures::FutureExt;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

mod migrate_review;
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
                .unwrap_or_else(|_| {
                    Some(Msg::TaskFailed(format!(
                        "internal error while {what} (see the log)"
                    )))
                });
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

    /// Starts an effect. [`Effect::Quit`] is the session's business and is ignored here.
    pub fn run(&mut self, effect: Effect) {
        let conn = self.connection();
        match effect {
            Effect::Connect { token } => {
                let connector = self.connector.clone();
                let slot = self.connection.clone();
                self.spawn(Slot::Connect, "connecting", async move {
                    let conn = match connector.connect(token).await {
                        Ok(conn) => conn,
                        Err(e) => return Some(Msg::Connected(Err(e))),
                    };
                    let (user, caller) =
                        tokio::join!(conn.tfc.account(), conn.iam.caller_identity());
                    let report = ConnectReport {
                        host: conn.tfc.host().to_string(),
                        token_source: conn.token_source.clone(),
                        user,
                        caller,
                    };
                    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(conn);
                    Some(Msg::Connected(Ok(report)))
                });
            }
            Effect::LoadOrganizations => {
                self.spawn(Slot::Organizations, "listing organizations", async move {
                    let result = match conn {
                        Ok(c) => c.tfc.organizations().await,
                        Err(e) => Err(e),
                    };
                    Some(Msg::Organizations(result))
                })
            }
            Effect::LoadProjects { org } => {
                self.spawn(Slot::Projects, "listing projects", async move {
                    let result = match conn {
                        Ok(c) => c.tfc.projects(&org).await,
                        Err(e) => Err(e),
                    };
                    Some(Msg::Projects { org, result })
                })
            }
            Effect::LoadWorkspaces { org, project_id } => {
                let tx = self.tx.clone();
                self.spawn(Slot::Workspaces, "listing workspaces", async move {
                    let c = match conn {
                        Ok(c) => c,
                        Err(e) => {
                            let result = Err(e);
                            return Some(Msg::Workspaces { project_id, result });
                        }
                    };
                    let (result, stacks) = tokio::join!(
                        c.tfc.workspaces(&org, Some(&project_id)),
                        c.tfc.stacks(&org, Some(&project_id))
                    );
                    // Stacks are optional (older Terraform Enterprise has none): a failure to
                    // list them lists none. Sent first, so the list is built with them.
                    let stacks = stacks.unwrap_or_default();
                    let _ = tx.send(Msg::Stacks {
                        project_id: project_id.clone(),
                        stacks,
                    });
                    Some(Msg::Workspaces { project_id, result })
                })
            }
            Effect::LoadBadges {
                org,
                project,
                project_id,
            } => self.spawn(Slot::Badges, "reading workspace variables", async move {
                let tfc = conn.ok()?.tfc;
                let scope = InventoryScope {
                    host: tfc.host().to_owned(),
                    organization: org,
                    project: Some(project),
                };
                let result = inventory::read(&scope, tfc.as_ref(), None, &|_| {})
                    .await
                    .map(|inv| crate::tui::msg::Badge::of_inventory(&inv));
                Some(Msg::AwsAccess { project_id, result })
            }),
            Effect::LoadRoles(provider) => {
                self.spawn(Slot::Roles, "listing roles", roles::load(conn, provider))
            }
            Effect::LoadVariableSets { org } => {
                self.spawn(Slot::VariableSets, "listing variable sets", async move {
                    let result = match conn {
                        Ok(c) => c.tfc.variable_sets(&org).await,
                        Err(e) => Err(e),
                    };
                    Some(Msg::VariableSets { org, result })
                })
            }
            Effect::ReadPolicyFile { path } => {
                self.spawn(Slot::PolicyFile, "reading the policy file", async move {
                    let full = expand_home(&path);
                    let result = tokio::fs::read_to_string(&full)
                        .await
                        .map_err(|e| format!("cannot read {}: {e}", full.display()));
                    Some(Msg::PolicyFile { path, result })
                })
            }
            Effect::Plan {
                generation,
                answers,
            } => {
                let run_lock = self.run_lock.clone();
                self.spawn(Slot::Plan, "planning", async move {
                    let result = match (conn, run_lock.hold().await) {
                        (Ok(c), Ok(())) => {
                            planner::plan(&answers, c.iam.as_ref(), c.tfc.as_ref()).await
                        }
                        (Err(e), _) => Err(crate::core::error::PlanError::Tfc {
                            action: "plan",
                            source: e,
                        }),
                        (_, Err(e)) => Err(crate::core::error::PlanError::Locked(e)),
                    };
                    Some(Msg::Planned { generation, result })
                })
            }
            Effect::Apply { plan } => {
                let (run_lock, connector, tx) = (
                    self.run_lock.clone(),
                    self.connector.clone(),
                    self.tx.clone(),
                );
                self.spawn(Slot::Apply, "applying", async move {
                    let conn = match conn {
                        Ok(c) => c,
                        Err(e) => return Some(Msg::Applied(Err(e.to_string()))),
                    };
                    let msg = run_lock.apply(conn, *plan).await;
                    run::persist(connector.as_ref(), &tx);
                    Some(msg)
                })
            }
            // A plan still waiting for the lock is dropped too, so it cannot take it late.
            Effect::ReleaseRunLock => {
                if let Some(plan) = self.tasks.remove(&Slot::Plan) {
                    plan.abort();
                }
                self.run_lock.release();
            }
            Effect::Export {
                path,
                format,
                answers,
                plan,
            } => self.spawn(Slot::Export, "exporting", async move {
                Some(Msg::Exported(write_export(&path, format, &answers, &plan)))
            }),
            Effect::Verify { org, workspace } => {
                let (connector, tx) = (self.connector.clone(), self.tx.clone());
                self.spawn(Slot::Verify, "verifying", async move {
                    Some(run::verify(conn, connector, org, workspace, tx).await)
                })
            }
            Effect::DiscoverKeys { org } => {
                self.spawn(Slot::Discover, "looking for static keys", async move {
                    Some(migrate_review::discover(conn, org).await)
                })
            }
            Effect::PlanMigration {
                generation,
                request,
            } => {
                let run_lock = self.run_lock.clone();
                self.spawn(Slot::Plan, "planning the migration", async move {
                    let locked = run_lock.hold().await;
                    Some(migrate_review::plan(conn, locked, generation, *request).await)
                })
            }
            Effect::ReadInventory { org } => {
                let (tx, demo) = (self.tx.clone(), self.connector.is_demo());
                self.spawn(Slot::Inventory, "reading the organization", async move {
                    Some(migrate_review::read_inventory(conn, org, demo, tx).await)
                })
            }
            Effect::LoadProfiles => {
                let connector = self.connector.clone();
                self.spawn(Slot::Profiles, "reading the AWS profiles", async move {
                    Some(Msg::Profiles(connector.profiles()))
                })
            }
            Effect::ConnectAws { profile } => {
                let connector = self.connector.clone();
                let slot = self.connection.clone();
                self.spawn(Slot::Connect, "connecting to AWS", async move {
                    let trail = connector.connect_trail(&profile).await;
                    let result = match connector.connect_aws(&profile).await {
                        Ok(iam) => match iam.caller_identity().await {
                            Ok(caller) => {
                                let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
                                if let Some(conn) = guard.as_mut() {
                                    (conn.iam, conn.trail) = (iam, trail);
                                }
                                Ok(caller)
                            }
                            Err(e) => Err(e.to_string()),
                        },
                        Err(e) => Err(e.to_string()),
                    };
                    Some(Msg::AwsConnected { profile, result })
                })
            }
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
) -> Result<String, String> {
    let facts = crate::export::Facts::from_plan(plan);
    let text = crate::export::render(format, answers, &facts).map_err(|e| e.to_string())?;
    let full = expand_home(path);
    crate::export::write_file(&full, &text, false).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            format!("{} exists already: choose another name", full.display())
        }
        _ => format!("cannot write {}: {e}", full.display()),
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
