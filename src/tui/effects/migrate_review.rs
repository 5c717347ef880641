//! The tasks behind the migrate and review paths' effects: discovery of static keys, the
//! migration's plan, and the inventory read with its progress. Each returns the [`Msg`] the
//! runner posts back.

use super::accounts::{self, AccountsSlot};
use crate::core::accounts::Accounts;
use crate::core::error::PlanError;
use crate::core::inventory::{self, InventoryError, InventoryScope};
use crate::core::migrate::MigrationScope;
use crate::core::migrate::{
    discover_keys_in, plan_migration_in, reach_accounts, MigrateError, MigrateRequest,
};
use crate::core::ports::TfcError;
use crate::core::review::assess::read_review_activity;
use crate::core::review::{assess, ActivityRead};
use crate::tui::connector::{Connection, Connector};
use crate::tui::failure::DiscoverFailure;
use crate::tui::msg::Msg;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// The organization's workspaces that receive static keys, and what IAM says of the keys. Keys
/// of another account are then placed through the profiles that reach their account (kept in
/// `slot` for the plan and the apply), without reading HCP Terraform again.
pub(super) async fn discover(
    conn: Result<Connection, TfcError>,
    connector: Arc<dyn Connector>,
    slot: AccountsSlot,
    org: String,
) -> Msg {
    let c = match conn {
        Ok(c) => c,
        Err(e) => return Msg::Discovered(Err(DiscoverFailure::NotConnected(e))),
    };
    let scope = (c.tfc.host(), org.as_str(), MigrationScope::All);
    let none = Accounts::none();
    let mut found = discover_keys_in(scope, (c.iam.as_ref(), &none), c.tfc.as_ref(), &|_| {}).await;
    let mut reached = none;
    if let Ok(discovery) = &mut found {
        let wanted = accounts::other_accounts(discovery);
        if !wanted.is_empty() {
            reached = accounts::reach(connector.as_ref(), &wanted).await;
            reach_accounts(discovery, (c.iam.as_ref(), &reached)).await;
        }
    }
    *slot.lock().unwrap_or_else(|e| e.into_inner()) = reached;
    let result = found;
    Msg::Discovered(result.map_err(DiscoverFailure::Discovery))
}

/// The migration's plan (reads only; a retry after a failed apply plans again from what exists),
/// each workspace's role in its key's account where discovery reached it (`accounts`). It plans
/// only once the run lock is held (`locked`), as every plan does.
pub(super) async fn plan(
    conn: Result<Connection, TfcError>,
    locked: Result<(), String>,
    accounts: Accounts,
    (generation, request): (u64, MigrateRequest),
) -> Msg {
    let result = match (conn, locked) {
        (Ok(c), Ok(())) => {
            let reach = (c.iam.as_ref(), &accounts);
            plan_migration_in(&request, reach, c.tfc.as_ref(), &[], &|_| {}).await
        }
        (Err(e), _) => Err(MigrateError::Plan(PlanError::Tfc {
            action: "plan",
            source: e,
        })),
        (_, Err(e)) => Err(MigrateError::Plan(PlanError::Locked(e))),
    };
    Msg::MigrationPlanned {
        generation,
        result: result.map(Box::new),
    }
}

/// The organization, the AWS account and CloudTrail read for the review (progress sent on
/// `tx`), reviewed as the CLI's `review` does ([`assess`]).
pub(super) async fn read_inventory(
    conn: Result<Connection, TfcError>,
    org: String,
    demo: bool,
    tx: UnboundedSender<Msg>,
) -> Msg {
    let conn = match conn {
        Ok(c) => c,
        Err(e) => {
            return Msg::InventoryRead(Err(InventoryError::Tfc {
                action: "read the organization",
                source: e,
            }))
        }
    };
    let scope = InventoryScope {
        host: conn.tfc.host().to_owned(),
        organization: org,
        project: None,
    };
    let progress = move |p| {
        let _ = tx.send(Msg::InventoryProgress(p));
    };
    let read = inventory::read(
        &scope,
        conn.tfc.as_ref(),
        Some(conn.iam.as_ref()),
        &progress,
    );
    let activity = async {
        match &conn.trail {
            Some(trail) => {
                read_review_activity(trail.as_ref(), &scope.host, &scope.organization).await
            }
            None => ActivityRead::Skipped("no CloudTrail for this account".into()),
        }
    };
    let (inv, activity) = futures::join!(read, activity);
    let now = time::OffsetDateTime::now_utc();
    Msg::InventoryRead(inv.map(|inv| Box::new(assess(&inv, &activity, now, demo))))
}
