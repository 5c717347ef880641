//! `review`'s CloudTrail read: the organization's `AssumeRoleWithWebIdentity` events of the last
//! 90 days (the `activity` reader), for TFCOIDC015/016. Reading them is best effort: without AWS
//! credentials, with `--no-activity`, or when CloudTrail refuses (no `cloudtrail:LookupEvents`)
//! or fails, the review goes on without them and its summary says why.

use crate::aws::{load_sdk_config, CloudTrailClient};
use crate::cli::args::GlobalArgs;
use crate::cli::connect::Ports;
use crate::core::activity::{read_activity, ActivityQuery, ActivityReport};
use crate::core::ports::AuditTrail;
use crate::core::review::activity::ACTIVITY_DAYS;
use crate::core::text::counted;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// Attempts per CloudTrail page: one retry (throttling), then the review goes on without it.
const ATTEMPTS: u32 = 2;

/// The longest the review waits for CloudTrail (LookupEvents allows 2 calls a second, so this
/// is well over a hundred pages).
const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// What became of the CloudTrail read.
#[derive(Debug, Clone)]
pub(crate) enum ReviewActivity {
    Read(ActivityReport),
    /// Why not (one line, for the summary).
    Skipped(String),
}

impl ReviewActivity {
    pub(crate) fn report(&self) -> Option<&ActivityReport> {
        match self {
            ReviewActivity::Read(r) => Some(r),
            ReviewActivity::Skipped(_) => None,
        }
    }

    /// The summary's part about CloudTrail.
    pub(crate) fn summary(&self) -> String {
        match self {
            ReviewActivity::Read(r) if r.truncated => format!(
                "CloudTrail: {} of the last {ACTIVITY_DAYS} days, more than could be read (TFCOIDC015 skipped)",
                counted(r.events.len(), "event", "events")
            ),
            ReviewActivity::Read(r) => format!(
                "CloudTrail: {} of the last {ACTIVITY_DAYS} days",
                counted(r.events.len(), "event", "events")
            ),
            ReviewActivity::Skipped(why) => {
                format!("CloudTrail not read ({why}): TFCOIDC015 and TFCOIDC016 skipped")
            }
        }
    }
}

/// Reads the events of the last 90 days of runs of `org`, unless `skip` says why not.
pub(crate) async fn read_review_activity(
    global: &GlobalArgs,
    ports: &Ports,
    org: &str,
    skip: Option<String>,
) -> ReviewActivity {
    if let Some(why) = skip {
        return ReviewActivity::Skipped(why);
    }
    let trail: Arc<dyn AuditTrail> = match ports.sandbox() {
        Some(sb) => sb.iam.clone(),
        None => {
            let sdk = load_sdk_config(global.profile.as_deref(), global.region.as_deref()).await;
            Arc::new(CloudTrailClient::with_attempts(&sdk, ATTEMPTS))
        }
    };
    read_from(trail.as_ref(), ports.tfc.host(), org).await
}

/// Reads the events of the last 90 days of runs of `org` on `host` from `trail`.
async fn read_from(trail: &dyn AuditTrail, host: &str, org: &str) -> ReviewActivity {
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
    match tokio::time::timeout(TIME_LIMIT, read).await {
        Ok(Ok(report)) => ReviewActivity::Read(report),
        Ok(Err(e)) => ReviewActivity::Skipped(e.to_string()),
        Err(_) => ReviewActivity::Skipped(format!(
            "CloudTrail did not answer within {} s",
            TIME_LIMIT.as_secs()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::IamError;
    use crate::sandbox::Sandbox;

    #[tokio::test]
    async fn the_demo_trail_is_read_and_a_refusal_is_a_note() {
        let sb = Sandbox::demo();
        let read = read_from(sb.iam.as_ref(), "app.terraform.io", "acme-corp").await;
        let report = read.report().expect("the demo trail is readable");
        assert!(report.events.iter().any(|e| !e.succeeded()));
        assert!(
            read.summary().starts_with("CloudTrail: "),
            "{}",
            read.summary()
        );

        let mut one = report.clone();
        one.events.truncate(1);
        assert_eq!(
            ReviewActivity::Read(one).summary(),
            "CloudTrail: 1 event of the last 90 days"
        );

        let denied =
            IamError::AccessDenied("not authorized to perform cloudtrail:LookupEvents".into());
        sb.iam.fail_on("web_identity_events", 1, denied);
        let skipped = read_from(sb.iam.as_ref(), "app.terraform.io", "acme-corp").await;
        assert!(skipped.report().is_none());
        assert_eq!(
            skipped.summary(),
            "CloudTrail not read (could not read CloudTrail's event history: access denied: not authorized to perform cloudtrail:LookupEvents): TFCOIDC015 and TFCOIDC016 skipped"
        );
    }
}
