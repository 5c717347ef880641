//! The one review every front shows: the inventory's findings plus CloudTrail's (TFCOIDC015/016
//! when the event history could be read), sorted, with the counts. The CLI's `review`, the
//! wizard's review screen and the wizard's workspace badges all take their findings from
//! [`assess`], so they never disagree about what is wrong.

use super::activity::{check as activity_findings, SeenActivity, ACTIVITY_DAYS};
use super::{review_at, sort, unchecked_policies, Finding, FindingId, ResourceRef, Summary};
use crate::core::activity::{read_activity, ActivityQuery, ActivityReport};
use crate::core::inventory::{Inventory, WorkspaceEntry};
use crate::core::ports::AuditTrail;
use time::{Duration, OffsetDateTime};

/// The longest a review waits for CloudTrail (LookupEvents allows 2 calls a second, so this is
/// well over a hundred pages).
pub const ACTIVITY_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// What became of the CloudTrail read.
#[derive(Debug, Clone)]
pub enum ActivityRead {
    Read(ActivityReport),
    /// Why not (one line, for the summary).
    Skipped(String),
}

impl ActivityRead {
    pub fn report(&self) -> Option<&ActivityReport> {
        match self {
            ActivityRead::Read(r) => Some(r),
            ActivityRead::Skipped(_) => None,
        }
    }

    /// The summary's part about CloudTrail.
    pub fn summary(&self) -> String {
        match self {
            ActivityRead::Read(r) if r.truncated => format!(
                "CloudTrail: {} of the last {ACTIVITY_DAYS} days, more than could be read (TFCOIDC015 skipped)",
                crate::core::text::counted(r.events.len(), "event", "events")
            ),
            ActivityRead::Read(r) => format!(
                "CloudTrail: {} of the last {ACTIVITY_DAYS} days",
                crate::core::text::counted(r.events.len(), "event", "events")
            ),
            ActivityRead::Skipped(why) => {
                format!("CloudTrail not read ({why}): TFCOIDC015 and TFCOIDC016 skipped")
            }
        }
    }
}

/// Reads the events of the last [`ACTIVITY_DAYS`] days of runs of `org` on `host` from `trail`;
/// a refusal, a failure or no answer within [`ACTIVITY_TIME_LIMIT`] is a skip, never fatal.
pub async fn read_review_activity(trail: &dyn AuditTrail, host: &str, org: &str) -> ActivityRead {
    let end = OffsetDateTime::now_utc();
    let query = ActivityQuery {
        host: host.to_string(),
        organization: Some(org.to_string()),
        role: None,
        start: end - Duration::days(ACTIVITY_DAYS),
        end,
    };
    // The inventory lists the roles; the events are kept by their identity provider (the host).
    let read = read_activity(trail, None, &query);
    match tokio::time::timeout(ACTIVITY_TIME_LIMIT, read).await {
        Ok(Ok(report)) => ActivityRead::Read(report),
        Ok(Err(e)) => ActivityRead::Skipped(e.to_string()),
        Err(_) => ActivityRead::Skipped(format!(
            "CloudTrail did not answer within {} s",
            ACTIVITY_TIME_LIMIT.as_secs()
        )),
    }
}

/// The review of an inventory.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// Most severe first.
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Customer-managed policies TFCOIDC010 could not read (so did not check).
    pub unchecked: usize,
}

/// Every finding for `inv`, CloudTrail's included when `activity` was read. With `demo`, the
/// suggested commands carry `--demo`, so they run against the same sandbox.
pub fn assess(
    inv: &Inventory,
    activity: &ActivityRead,
    now: OffsetDateTime,
    demo: bool,
) -> Assessment {
    let mut findings = review_at(inv, now);
    if let Some(report) = activity.report() {
        let seen = SeenActivity {
            events: &report.events,
            truncated: report.truncated,
        };
        findings.extend(activity_findings(inv, seen, now));
        sort(&mut findings);
    }
    if demo {
        for f in &mut findings {
            f.fix = crate::core::text::demo_hints(&f.fix);
            for c in &mut f.commands {
                *c = crate::core::text::demo_hints(c);
            }
        }
    }
    let summary = Summary::of(inv, &findings);
    Assessment {
        findings,
        summary,
        unchecked: unchecked_policies(inv).len(),
    }
}

/// Findings that say a workspace's OIDC configuration does not get its runs credentials: no
/// role ARN, a role that refuses it, refused runs. A badge never calls such a workspace's OIDC
/// "configured".
const FAILING_OIDC: &[FindingId] = &[
    FindingId::NoRoleArn,
    FindingId::RoleRefusesRun,
    FindingId::RefusedRuns,
];

/// The most severe finding of `findings` that says `ws`'s OIDC does not work, if any.
pub fn failing_oidc<'a>(
    inv: &Inventory,
    ws: &WorkspaceEntry,
    findings: &'a [Finding],
) -> Option<&'a Finding> {
    let this = ResourceRef::workspace(inv, ws);
    findings
        .iter()
        .find(|f| f.resource_ref == this && FAILING_OIDC.contains(&f.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::inventory::{read, InventoryScope};
    use crate::sandbox::{Sandbox, DEMO_HOST};

    #[tokio::test]
    async fn one_review_with_cloudtrail_and_the_demos_commands() {
        let sb = Sandbox::demo();
        let scope = InventoryScope {
            host: DEMO_HOST.into(),
            organization: "acme-corp".into(),
            project: None,
        };
        let inv = read(&scope, sb.tfc.as_ref(), Some(sb.iam.as_ref()), &|_| {})
            .await
            .unwrap();
        let now = OffsetDateTime::now_utc();
        let activity = read_review_activity(sb.iam.as_ref(), DEMO_HOST, "acme-corp").await;
        let with = assess(&inv, &activity, now, true);
        let without = assess(&inv, &ActivityRead::Skipped("test".into()), now, false);
        let refused = |a: &Assessment| {
            a.findings
                .iter()
                .filter(|f| f.id == FindingId::RefusedRuns)
                .count()
        };
        assert_eq!((refused(&with), refused(&without)), (1, 0));
        assert_eq!(with.summary.high, without.summary.high + 1);
        let commands: Vec<&String> = with.findings.iter().flat_map(|f| &f.commands).collect();
        assert!(!commands.is_empty());
        assert!(commands.iter().all(|c| c.starts_with("tfc-oidc --demo ")));
        let dns = inv.workspace("dns").unwrap();
        let failing = failing_oidc(&inv, dns, &without.findings).map(|f| f.id);
        assert_eq!(failing, Some(FindingId::NoRoleArn));
    }
}
