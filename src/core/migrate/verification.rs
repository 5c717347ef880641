//! `migrate --verify`: after the apply, a plan-only run on each migrated workspace, through
//! `verify`'s own steps (read, precheck, queue, follow, conclude with its diagnosis), so each
//! workspace is reported as authenticated or with why not.

use super::removals::LeftReason;
use super::Migration;
use crate::core::ports::{Iam, Tfc};
use crate::core::verify::follow::FollowOptions;
use crate::core::verify::{verify_workspace, VerifyEvent, VerifyReport};
use futures::stream::{self, StreamExt};
use serde::Serialize;

/// How many workspaces are verified at once: each run is polled, so a few at a time keep the
/// API calls within HCP Terraform's rate limit.
const AT_ONCE: usize = 4;

/// One migrated workspace's verification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verified {
    pub workspace: String,
    pub project: String,
    pub authenticated: bool,
    /// Why it did not authenticate, in one sentence (`None` when it did).
    pub why: Option<String>,
    /// What to do about it.
    pub fix: Option<String>,
    /// `verify`'s whole report; `None` when the workspace could not even be read.
    pub report: Option<VerifyReport>,
}

impl Verified {
    fn from_report(report: VerifyReport) -> Verified {
        let cause = report.cause();
        Verified {
            workspace: report.workspace.clone(),
            project: report.project.clone(),
            authenticated: report.authenticated,
            why: cause
                .filter(|_| !report.authenticated)
                .map(|c| c.summary.clone()),
            fix: cause
                .filter(|_| !report.authenticated)
                .and_then(|c| c.fix.clone()),
            report: Some(report),
        }
    }
}

/// The migrated workspaces to verify, as (name, project): every workspace of the migration but
/// those left on their keys because their runs would not get the OIDC variables, or because
/// their key's account cannot be reached (nothing was set up for them).
pub fn to_verify(migration: &Migration) -> Vec<(String, String)> {
    let unreachable = |name: &str| {
        let mut accounts = migration.unreachable.iter();
        accounts.any(|u| u.workspaces.iter().any(|w| w == name))
    };
    let left_alone = |name: &str| {
        unreachable(name)
            || migration.still_receiving.iter().any(|s| {
                s.workspace == name
                    && s.from
                        .iter()
                        .any(|l| matches!(l.why, LeftReason::OidcHidden { .. }))
            })
    };
    migration
        .workspaces
        .iter()
        .filter(|w| !left_alone(&w.name))
        .map(|w| (w.name.clone(), w.project.clone()))
        .collect()
}

/// Verifies each workspace of `workspaces` (name, project) in `org`, a few at a time; events go
/// to `on_event` with the workspace's name. A workspace that cannot be read or whose run cannot
/// be followed is reported as not authenticated, with the error.
pub async fn verify_migrated(
    tfc: &dyn Tfc,
    iam: &dyn Iam,
    org: &str,
    workspaces: &[(String, String)],
    options: FollowOptions,
    on_event: &(dyn Fn(&str, VerifyEvent) + Send + Sync),
) -> Vec<Verified> {
    stream::iter(workspaces)
        .map(|(name, project)| async move {
            let events = |e: VerifyEvent| on_event(name, e);
            match verify_workspace(tfc, Some(iam), org, name, options, &events).await {
                Ok(report) => Verified::from_report(report),
                Err(e) => Verified {
                    workspace: name.clone(),
                    project: project.clone(),
                    authenticated: false,
                    why: Some(format!("the verification run could not be made: {e}")),
                    fix: Some(format!(
                        "run 'tfc-oidc verify --org {org} --workspace {name}' once HCP Terraform answers"
                    )),
                    report: None,
                },
            }
        })
        .buffered(AT_ONCE)
        .collect()
        .await
}
