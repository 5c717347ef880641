//! The effects of the plan → apply flow and what follows it: planning (setup or migration,
//! each under the run lock), applying, letting the lock go, the export, `verify`, and the
//! migrate and review paths' reads. One function per effect.

use super::{accounts, migrate_review, proof, run, write_export, Runner, Slot};
use crate::core::answers::Answers;
use crate::core::migrate::MigrateRequest;
use crate::core::plan::Plan;
use crate::core::planner;
use crate::tui::failure::ApplyFailure;
use crate::tui::msg::Msg;

impl Runner {
    /// [`super::Effect::Plan`]: the plan, once the run lock is held.
    pub(super) fn plan(&mut self, generation: u64, answers: Box<Answers>) {
        let conn = self.connection();
        let run_lock = self.run_lock.clone();
        self.spawn(Slot::Plan, "planning", async move {
            let result = match (conn, run_lock.hold().await) {
                (Ok(c), Ok(())) => planner::plan(&answers, c.iam.as_ref(), c.tfc.as_ref()).await,
                (Err(e), _) => Err(crate::core::error::PlanError::Tfc {
                    action: "plan",
                    source: e,
                }),
                (_, Err(e)) => Err(crate::core::error::PlanError::Locked(e.to_string())),
            };
            Some(Msg::Planned { generation, result })
        })
    }

    /// [`super::Effect::PlanMigration`]: the migration's plan, once the run lock is held.
    pub(super) fn plan_migration(&mut self, generation: u64, request: Box<MigrateRequest>) {
        let (conn, held_by) = (self.connection(), self.connection().ok());
        let (run_lock, tx) = (self.run_lock.clone(), self.tx.clone());
        let accounts = accounts::current(&self.accounts);
        self.spawn(Slot::Plan, "planning the migration", async move {
            let locked = run_lock.hold().await.map_err(|e| e.to_string());
            let request = (generation, *request);
            let mut msg = migrate_review::plan(conn, locked, accounts.clone(), request).await;
            // The deactivations wait for the proof: the plan shown holds none.
            if let (Msg::MigrationPlanned { result: Ok(m), .. }, Some(c)) = (&mut msg, &held_by) {
                let _ = tx.send(proof::hold(c, &accounts, m).await);
            }
            Some(msg)
        })
    }

    /// [`super::Effect::Apply`]: journaled, under the run lock; the demo state saved after.
    pub(super) fn apply(&mut self, plan: Box<Plan>) {
        let conn = self.connection();
        let accounts = accounts::current(&self.accounts);
        let (run_lock, connector, tx) = (
            self.run_lock.clone(),
            self.connector.clone(),
            self.tx.clone(),
        );
        self.spawn(Slot::Apply, "applying", async move {
            let conn = match conn {
                Ok(c) => c,
                Err(e) => return Some(Msg::Applied(Err(ApplyFailure::NotConnected(e)))),
            };
            let msg = run_lock.apply(conn, &accounts, *plan).await;
            run::persist(connector.as_ref(), &tx);
            Some(msg)
        })
    }

    /// [`super::Effect::ReleaseRunLock`]. A plan still waiting for the lock is dropped too, so
    /// it cannot take it late.
    pub(super) fn release_run_lock(&mut self) {
        if let Some(plan) = self.tasks.remove(&Slot::Plan) {
            plan.abort();
        }
        self.run_lock.release();
    }

    /// [`super::Effect::Export`].
    pub(super) fn export(
        &mut self,
        path: String,
        format: crate::export::ExportFormat,
        answers: Box<Answers>,
        plan: Box<Plan>,
    ) {
        self.spawn(Slot::Export, "exporting", async move {
            Some(Msg::Exported(write_export(&path, format, &answers, &plan)))
        })
    }

    /// [`super::Effect::Verify`]: a plan-only run on `workspace`, followed.
    pub(super) fn verify(&mut self, org: String, workspace: String) {
        let conn = self.connection();
        let (connector, tx) = (self.connector.clone(), self.tx.clone());
        self.spawn(Slot::Verify, "verifying", async move {
            Some(run::verify(conn, connector, org, workspace, tx).await)
        })
    }

    /// [`super::Effect::DiscoverKeys`].
    pub(super) fn discover_keys(&mut self, org: String) {
        let conn = self.connection();
        let (connector, slot) = (self.connector.clone(), self.accounts.clone());
        self.spawn(Slot::Discover, "looking for static keys", async move {
            Some(migrate_review::discover(conn, connector, slot, org).await)
        })
    }

    /// [`super::Effect::ReadInventory`]: the review path's read, with progress.
    pub(super) fn read_inventory(&mut self, org: String) {
        let conn = self.connection();
        let (tx, demo) = (self.tx.clone(), self.connector.is_demo());
        self.spawn(Slot::Inventory, "reading the organization", async move {
            Some(migrate_review::read_inventory(conn, org, demo, tx).await)
        })
    }
}
