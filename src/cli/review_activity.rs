//! `review`'s CloudTrail read: the organization's `AssumeRoleWithWebIdentity` events of the last
//! 90 days (the `activity` reader), for TFCOIDC015/016. Reading them is best effort: without AWS
//! credentials, with `--no-activity`, or when CloudTrail refuses (no `cloudtrail:LookupEvents`)
//! or fails, the review goes on without them and its summary says why.

use crate::cli::connect::Ports;
use crate::core::review::assess::read_review_activity as read_from;
pub(crate) use crate::core::review::ActivityRead as ReviewActivity;

/// Reads the events of the last 90 days of runs of `org`, unless `skip` says why not.
pub(crate) async fn read_review_activity(
    ports: &Ports,
    org: &str,
    skip: Option<String>,
) -> ReviewActivity {
    if let Some(why) = skip {
        return ReviewActivity::Skipped(why);
    }
    match &ports.trail {
        Some(trail) => read_from(trail.as_ref(), ports.tfc.host(), org).await,
        None => ReviewActivity::Skipped("no CloudTrail client was set up".into()),
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
