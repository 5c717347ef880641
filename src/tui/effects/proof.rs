//! The migrate path's proof before deactivation, in the order the core's `proof` module gives
//! (see the README's "Proof before deactivation"): the deactivations held when the migration is
//! planned, the plan-only runs after the apply, the decision, the deactivation the user confirms
//! on Done (journaled, under the run lock, like any apply), and what is left per IAM user.

use super::{accounts, run, Runner, Slot};
use crate::core::accounts::{Accounts, AwsReach};
use crate::core::migrate::deactivation::Deactivations;
use crate::core::migrate::proof::{self, Held, ProofChoices};
use crate::core::migrate::verification::{verify_migrated, Verified};
use crate::core::plan::Plan;
use crate::core::verify::follow::FollowOptions;
use crate::tui::connector::Connection;
use crate::tui::failure::ApplyFailure;
use crate::tui::msg::{Msg, ProofNews};
use time::OffsetDateTime;

fn reach<'a>(conn: &'a Connection, accounts: &'a Accounts) -> AwsReach<'a> {
    AwsReach {
        iam: conn.iam.as_ref(),
        trail: conn.trail.as_deref(),
        accounts,
    }
}

/// After the migration is planned: holds its key deactivations for the proof (the wizard
/// always verifies, so a key is never deactivated before its workspaces authenticated). The
/// held deactivations go to the app as [`ProofNews::Held`] before the plan itself.
pub(super) async fn hold(
    conn: &Connection,
    accounts: &Accounts,
    migration: &mut crate::core::migrate::Migration,
) -> Msg {
    let choices = ProofChoices {
        verify: true,
        deactivate_used: false,
    };
    let held = proof::hold_deactivations(reach(conn, accounts), choices, migration).await;
    Msg::Proof(ProofNews::Held(Box::new(held)))
}

/// Verifies the migrated workspaces, decides the held keys and reads what is left per user.
async fn prove(
    (conn, accounts): (Connection, Accounts),
    org: String,
    mut held: Held,
    since: OffsetDateTime,
    demo: bool,
) -> Msg {
    // The sandbox's runs move on every poll: no need to wait a second between.
    let first_interval = match demo {
        true => std::time::Duration::from_millis(300),
        false => std::time::Duration::from_secs(1),
    };
    let options = FollowOptions {
        first_interval,
        ..FollowOptions::default()
    };
    let verified = verify_off_task(&conn, org, held.to_verify.clone(), options).await;
    let reach = reach(&conn, &accounts);
    let decided = proof::decide_after_verification(reach, &mut held, &verified, since, false).await;
    let left = proof::left_to_do(reach, &held, decided.as_ref()).await;
    Msg::Proof(ProofNews::Proven {
        verified,
        decided,
        left,
        held: Box::new(held),
    })
}

/// The plan-only runs of `workspaces`, followed on a blocking thread of the same runtime: the
/// core's `verify_migrated` future cannot be proven `Send` for a task of its own (its
/// per-workspace closure borrows for any lifetime), so it is driven there. A panic there reads
/// as no workspace verified.
async fn verify_off_task(
    conn: &Connection,
    org: String,
    workspaces: Vec<(String, String)>,
    options: FollowOptions,
) -> Vec<Verified> {
    let (tfc, iam) = (conn.tfc.clone(), conn.iam.clone());
    let runtime = tokio::runtime::Handle::current();
    let follow = move || {
        let verify = verify_migrated(
            tfc.as_ref(),
            iam.as_ref(),
            &org,
            &workspaces,
            options,
            &|_, _| {},
        );
        runtime.block_on(verify)
    };
    tokio::task::spawn_blocking(follow)
        .await
        .unwrap_or_default()
}

impl Runner {
    /// [`super::Effect::ProveMigration`]: the plan-only runs, the decision, what is left; the
    /// demo's state (the runs queued) saved after.
    pub(super) fn prove_migration(&mut self, org: String, held: Box<Held>, since: OffsetDateTime) {
        let conn = self.connection();
        let accounts = accounts::current(&self.accounts);
        let (connector, tx) = (self.connector.clone(), self.tx.clone());
        self.spawn(Slot::Proof, "verifying the migration", async move {
            let conn = match conn {
                Ok(c) => c,
                Err(e) => return Some(Msg::Proof(ProofNews::NotProven(e.to_string()))),
            };
            let msg = prove((conn, accounts), org, *held, since, connector.is_demo()).await;
            run::persist(connector.as_ref(), &tx);
            Some(msg)
        })
    }

    /// [`super::Effect::DeactivateProven`]: the second plan applied journaled under the run
    /// lock (so `undo` reactivates the keys), the demo's state saved, then what is left again.
    pub(super) fn deactivate_proven(
        &mut self,
        plan: Box<Plan>,
        held: Box<Held>,
        decided: Box<Deactivations>,
    ) {
        let conn = self.connection();
        let accounts = accounts::current(&self.accounts);
        let (run_lock, connector, tx) = (
            self.run_lock.clone(),
            self.connector.clone(),
            self.tx.clone(),
        );
        self.spawn(Slot::Apply, "deactivating the proven keys", async move {
            let conn = match conn {
                Ok(c) => c,
                Err(e) => {
                    let result = Err(ApplyFailure::NotConnected(e));
                    return Some(Msg::Proof(ProofNews::Deactivated {
                        result,
                        left: Vec::new(),
                    }));
                }
            };
            let result = run_lock.apply_locked(conn.clone(), &accounts, *plan).await;
            run::persist(connector.as_ref(), &tx);
            let left = proof::left_to_do(reach(&conn, &accounts), &held, Some(&decided)).await;
            Some(Msg::Proof(ProofNews::Deactivated { result, left }))
        })
    }
}
