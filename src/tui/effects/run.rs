//! The wizard's tasks that write: the apply under the run lock, and verify's plan-only run.
//!
//! The run lock and the apply task. The wizard follows the CLI's rule
//! ([`Journal::lock_for_run`]): the lock is taken before planning, held while the plan is on
//! the Review screen and through its apply, and let go when the apply ends or the wizard leaves
//! Review for an earlier screen — so no plan is reviewed from a state another run is changing.

use crate::core::accounts::Accounts;
use crate::core::apply::{apply_in_accounts, Progress};
use crate::core::journal::{Journal, RecordKind, RunLock};
use crate::core::plan::Plan;
use crate::core::ports::TfcError;
use crate::tui::connector::{Connection, Connector};
use crate::tui::failure::{ApplyFailure, LockFailure, TaskFailure, VerifyFailure};
use crate::tui::msg::{Msg, VerifyUpdate};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;

/// The wizard's hold on the run lock, shared by its planning and applying tasks.
#[derive(Clone)]
pub(super) struct RunLockSlot {
    journal: Journal,
    /// Refreshed once the lock is taken: planning starts from what the last run kept.
    connector: Arc<dyn Connector>,
    held: Arc<Mutex<Option<RunLock>>>,
    tx: UnboundedSender<Msg>,
}

impl RunLockSlot {
    pub(super) fn new(
        journal: Journal,
        connector: Arc<dyn Connector>,
        tx: UnboundedSender<Msg>,
    ) -> RunLockSlot {
        RunLockSlot {
            journal,
            connector,
            held: Arc::new(Mutex::new(None)),
            tx,
        }
    }

    fn guard(&self) -> std::sync::MutexGuard<'_, Option<RunLock>> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the lock unless it is held already (a plan computed again keeps it), then takes in
    /// what the run before kept (the demo's state); one line on why not.
    pub(super) async fn hold(&self) -> Result<(), LockFailure> {
        if self.guard().is_some() {
            return Ok(());
        }
        let tx = self.tx.clone();
        let waiting = move || {
            let _ = tx.send(Msg::Notice(
                "Waiting for another tfc-oidc run to finish…".into(),
            ));
        };
        let lock = self
            .journal
            .lock_for_run(waiting)
            .await
            .map_err(LockFailure::Locked)?;
        self.connector
            .refresh()
            .map_err(LockFailure::StateNotLoaded)?;
        *self.guard() = Some(lock);
        Ok(())
    }

    /// Lets the lock go (nothing is being planned or applied any more).
    pub(super) fn release(&self) {
        self.guard().take();
    }

    /// Applies `plan` under the lock, journaled, and lets the lock go when it ends.
    pub(super) async fn apply(&self, conn: Connection, accounts: &Accounts, plan: Plan) -> Msg {
        if let Err(e) = self.hold().await {
            return Msg::Applied(Err(e.into()));
        }
        let result = self.apply_held(conn, accounts, plan).await;
        self.release();
        Msg::Applied(result)
    }

    /// Applies `plan` under the lock (taken unless held), journaled, and lets the lock go: for
    /// a plan that is not the path's own apply (the proven keys' deactivation on Done).
    pub(super) async fn apply_locked(
        &self,
        conn: Connection,
        accounts: &Accounts,
        plan: Plan,
    ) -> Result<crate::core::apply::ApplyReport, ApplyFailure> {
        self.hold().await?;
        let result = self.apply_held(conn, accounts, plan).await;
        self.release();
        result
    }

    /// Each change goes to its account's IAM (`accounts`: the other accounts reached).
    async fn apply_held(
        &self,
        conn: Connection,
        accounts: &Accounts,
        plan: Plan,
    ) -> Result<crate::core::apply::ApplyReport, ApplyFailure> {
        let mut writer = self
            .journal
            .begin(&plan, RecordKind::Apply)
            .map_err(|e| ApplyFailure::Journal(e.to_string()))?;
        let tx = self.tx.clone();
        let progress = move |p: Progress| {
            let _ = tx.send(Msg::Progress(p));
        };
        let ports = (conn.iam.as_ref(), conn.tfc.as_ref());
        let never = AtomicBool::new(false);
        apply_in_accounts(
            plan,
            ports.0,
            accounts,
            ports.1,
            &mut writer,
            &progress,
            &never,
        )
        .await
        .map_err(ApplyFailure::Apply)
    }
}

/// After a write: keep the demo's state where the CLI's `--demo` commands read it (a no-op for
/// the real services); a failure to save is said, never fatal.
pub(super) fn persist(connector: &dyn Connector, tx: &UnboundedSender<Msg>) {
    if let Err(e) = connector.persist() {
        let _ = tx.send(Msg::TaskFailed(TaskFailure::NotSaved(e)));
    }
}

/// Queues a plan-only run on `workspace` and follows it (news on `tx`), then keeps the demo's
/// state: the run it queued is kept, as the CLI's `--demo verify` keeps it.
pub(super) async fn verify(
    conn: Result<Connection, TfcError>,
    connector: Arc<dyn Connector>,
    org: String,
    workspace: String,
    tx: UnboundedSender<Msg>,
) -> Msg {
    let conn = match conn {
        Ok(c) => c,
        Err(e) => return Msg::Verify(VerifyUpdate::Done(Err(VerifyFailure::NotConnected(e)))),
    };
    // The sandbox's runs move on every poll: no need to wait a second between.
    let first_interval = if connector.is_demo() {
        std::time::Duration::from_millis(300)
    } else {
        std::time::Duration::from_secs(1)
    };
    let options = crate::core::verify::follow::FollowOptions {
        first_interval,
        ..Default::default()
    };
    let events = tx.clone();
    let on_event = move |e| {
        let _ = events.send(Msg::Verify(VerifyUpdate::Event(e)));
    };
    let result = crate::core::verify::verify_workspace(
        conn.tfc.as_ref(),
        Some(conn.iam.as_ref()),
        &org,
        &workspace,
        options,
        &on_event,
    )
    .await;
    persist(connector.as_ref(), &tx);
    Msg::Verify(VerifyUpdate::Done(
        result.map(Box::new).map_err(VerifyFailure::Run),
    ))
}
