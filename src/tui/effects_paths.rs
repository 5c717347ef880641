//! The tasks behind the migrate and review paths' effects: discovery of static keys, the
//! migration's plan, and the inventory read with its progress. Each returns the [`Msg`] the
//! runner posts back.

use crate::core::error::PlanError;
use crate::core::inventory::{self, InventoryError, InventoryScope};
use crate::core::migrate::MigrationScope;
use crate::core::migrate::{discover_keys, plan_migration, MigrateError, MigrateRequest};
use crate::core::ports::TfcError;
use crate::tui::connector::Connection;
use crate::tui::msg::Msg;
use tokio::sync::mpsc::UnboundedSender;

/// The organization's workspaces that receive static keys, and what IAM says of the keys.
pub(super) async fn discover(conn: Result<Connection, TfcError>, org: String) -> Msg {
    let result = match conn {
        Ok(c) => discover_keys(
            c.tfc.host(),
            &org,
            MigrationScope::All,
            c.iam.as_ref(),
            c.tfc.as_ref(),
            &|_| {},
        )
        .await
        .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    Msg::Discovered(result)
}

/// The migration's plan (reads only; a retry after a failed apply plans again from what exists).
pub(super) async fn plan(
    conn: Result<Connection, TfcError>,
    generation: u64,
    request: MigrateRequest,
) -> Msg {
    let result = match conn {
        Ok(c) => plan_migration(&request, c.iam.as_ref(), c.tfc.as_ref(), &[], &|_| {}).await,
        Err(e) => Err(MigrateError::Plan(PlanError::Tfc {
            action: "plan",
            source: e,
        })),
    };
    Msg::MigrationPlanned {
        generation,
        result: result.map(Box::new),
    }
}

/// The organization and the AWS account read for the review, with progress sent on `tx`.
pub(super) async fn read_inventory(
    conn: Result<Connection, TfcError>,
    org: String,
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
    let result = inventory::read(
        &scope,
        conn.tfc.as_ref(),
        Some(conn.iam.as_ref()),
        &progress,
    )
    .await;
    Msg::InventoryRead(result.map(Box::new))
}
