//! Where a static access key was used outside HCP Terraform, looked for before `migrate`
//! deactivates it: IAM's `GetAccessKeyLastUsed`, and CloudTrail's event history by access key id
//! over the last 90 days (what the event history keeps), where it can be read.
//!
//! An event counts as HCP Terraform's when its user agent is Terraform's: the AWS provider (and
//! the S3 backend) identify as `APN/1.0 HashiCorp/1.0 Terraform/VERSION (+https://www.terraform.io)
//! terraform-provider-aws/VERSION … aws-sdk-go-v2/…`. HCP Terraform adds nothing of its own, so a
//! `terraform` run elsewhere with the same key looks the same; anything else (the AWS CLI, an SDK,
//! the console) is use elsewhere. IAM's last use tells no user agent: it counts as use elsewhere
//! only when it is later than the removal of the key's variables from HCP Terraform.

use crate::core::accounts::AwsReach;
use crate::core::ports::{AuditTrail, Iam};
use futures::future::join_all;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// CloudTrail's event history keeps 90 days.
pub const HISTORY_DAYS: i64 = 90;

/// At most this many events of use elsewhere are kept per key (the newest); the count says how
/// many there were.
const SHOWN_EVENTS: usize = 5;

/// Whether `agent` is the user agent of Terraform's AWS calls (what HCP Terraform's runs send).
pub fn is_terraform_agent(agent: &str) -> bool {
    agent.contains("HashiCorp/1.0 Terraform/") || agent.contains("terraform-provider-aws/")
}

/// One call made with the key by something other than Terraform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UseElsewhere {
    /// RFC 3339.
    pub time: String,
    pub event_source: String,
    pub event_name: String,
    pub source_ip: String,
    pub user_agent: String,
    pub region: String,
}

/// What was found about one key's use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KeyUse {
    pub key_id: String,
    /// IAM's last use (RFC 3339), its service and region.
    pub last_used: Option<String>,
    pub last_service: Option<String>,
    pub last_region: Option<String>,
    /// IAM saw the key used after its variables were removed from HCP Terraform.
    pub used_after_removal: bool,
    /// Calls by something other than Terraform in the last 90 days, newest first (at most 5).
    pub elsewhere: Vec<UseElsewhere>,
    /// How many such calls there were.
    pub elsewhere_count: usize,
    /// How many calls had Terraform's user agent.
    pub terraform_calls: usize,
    /// Why CloudTrail's event history was not read (`None`: it was).
    pub trail_unread: Option<String>,
    /// More events matched than were read.
    pub truncated: bool,
}

impl KeyUse {
    /// Whether the key was used outside HCP Terraform recently.
    pub fn used_elsewhere(&self) -> bool {
        self.elsewhere_count > 0 || self.used_after_removal
    }
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

fn parse(rfc3339: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(rfc3339, &Rfc3339).ok()
}

/// Looks for the use of `key_id` up to `now`. `trail` is `None` where CloudTrail is not read;
/// `removed_at` is when its variables left HCP Terraform (`None` before the apply). Never
/// fails: what cannot be read is said in the result.
pub async fn look_for_use(
    iam: &dyn Iam,
    trail: Option<&dyn AuditTrail>,
    key_id: &str,
    now: OffsetDateTime,
    removed_at: Option<OffsetDateTime>,
) -> KeyUse {
    let mut found = KeyUse {
        key_id: key_id.to_string(),
        ..KeyUse::default()
    };
    if let Ok(Some(used)) = iam.access_key_last_used(key_id).await {
        let when = used.last_used.as_deref().and_then(parse);
        found.used_after_removal = matches!((when, removed_at), (Some(w), Some(r)) if w > r);
        found.last_used = used.last_used;
        found.last_service = used.service;
        found.last_region = used.region;
    }
    let Some(trail) = trail else {
        found.trail_unread = Some("CloudTrail is not read here".into());
        return found;
    };
    let start = now - time::Duration::days(HISTORY_DAYS);
    let events = match trail.access_key_events(key_id, start, now).await {
        Ok(events) => events,
        Err(e) => {
            found.trail_unread = Some(e.to_string());
            return found;
        }
    };
    found.truncated = events.truncated;
    for event in &events.events {
        let v: Value = serde_json::from_str(&event.cloudtrail_event).unwrap_or_default();
        let agent = text(&v, "userAgent");
        if is_terraform_agent(&agent) {
            found.terraform_calls += 1;
            continue;
        }
        found.elsewhere_count += 1;
        if found.elsewhere.len() < SHOWN_EVENTS {
            found.elsewhere.push(UseElsewhere {
                time: event.event_time.clone(),
                event_source: text(&v, "eventSource"),
                event_name: text(&v, "eventName"),
                source_ip: text(&v, "sourceIPAddress"),
                user_agent: agent,
                region: text(&v, "awsRegion"),
            });
        }
    }
    found
}

/// [`look_for_use`] for every key (with the account it is in), concurrently, by key id: each
/// through its own account's IAM and CloudTrail. A key of an account this run does not reach
/// is said to be unread rather than looked for elsewhere.
pub async fn look_for_uses(
    reach: AwsReach<'_>,
    keys: &[(String, Option<String>)],
    now: OffsetDateTime,
    removed_at: Option<OffsetDateTime>,
) -> BTreeMap<String, KeyUse> {
    let found = join_all(keys.iter().map(|(id, account)| async move {
        let account = account.as_deref();
        let trail = reach.trail_in(account);
        match reach.iam_in(account) {
            Some(iam) => look_for_use(iam, trail, id, now, removed_at).await,
            None => KeyUse {
                key_id: id.clone(),
                trail_unread: Some(format!(
                    "AWS account {} is not reachable in this run",
                    account.unwrap_or("?")
                )),
                ..KeyUse::default()
            },
        }
    }))
    .await;
    found.into_iter().map(|u| (u.key_id.clone(), u)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::AccessKeyStatus;
    use crate::sandbox::SandboxIam;

    const KEY: &str = "AKIAUSEDELSEWHERE01";
    const TERRAFORM: &str = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.5";

    #[tokio::test]
    async fn terraform_calls_are_not_use_elsewhere_and_others_are_named() {
        let iam = SandboxIam::new();
        iam.add_access_key("ci", KEY, AccessKeyStatus::Active);
        iam.record_key_use(
            KEY,
            ("sts.amazonaws.com", "GetCallerIdentity"),
            ("192.0.2.1", TERRAFORM),
            2,
        );
        let cli = "aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64.ubuntu.22";
        iam.record_key_use(
            KEY,
            ("s3.amazonaws.com", "ListBuckets"),
            ("203.0.113.9", cli),
            5,
        );
        iam.record_key_use(
            KEY,
            ("s3.amazonaws.com", "ListBuckets"),
            ("203.0.113.9", cli),
            24 * 100,
        );
        let now = OffsetDateTime::now_utc();
        let found = look_for_use(&iam, Some(&iam), KEY, now, None).await;
        assert!(found.used_elsewhere());
        assert_eq!(found.terraform_calls, 1);
        assert_eq!(found.elsewhere_count, 1, "older than 90 days is not read");
        let e = &found.elsewhere[0];
        assert_eq!(
            (
                e.event_source.as_str(),
                e.event_name.as_str(),
                e.source_ip.as_str()
            ),
            ("s3.amazonaws.com", "ListBuckets", "203.0.113.9")
        );
        assert_eq!(e.user_agent, cli);
        assert!(found.trail_unread.is_none());
    }

    #[tokio::test]
    async fn an_unreadable_trail_is_said_and_a_use_after_removal_counts() {
        let iam = SandboxIam::new();
        iam.add_access_key("ci", KEY, AccessKeyStatus::Active);
        iam.set_access_key_use(KEY, None, Some(("2030-01-01T00:00:00Z", "s3", "eu-west-1")));
        iam.fail_on(
            "access_key_events",
            1,
            crate::core::ports::IamError::AccessDenied("cloudtrail:LookupEvents".into()),
        );
        let now = OffsetDateTime::now_utc();
        let found = look_for_use(&iam, Some(&iam), KEY, now, Some(now)).await;
        assert!(found
            .trail_unread
            .as_deref()
            .unwrap()
            .contains("LookupEvents"));
        assert!(found.used_after_removal && found.used_elsewhere());
        assert_eq!(found.last_service.as_deref(), Some("s3"));
        let before = look_for_use(&iam, None, KEY, now, None).await;
        assert!(
            !before.used_elsewhere(),
            "no removal time: IAM's last use alone proves nothing"
        );
    }

    #[test]
    fn terraform_agents() {
        assert!(is_terraform_agent(TERRAFORM));
        assert!(is_terraform_agent("APN/1.0 HashiCorp/1.0 Terraform/1.5.7"));
        assert!(!is_terraform_agent("aws-sdk-go-v2/1.30.3 os/linux"));
        assert!(!is_terraform_agent("Boto3/1.34.0 md/Botocore#1.34.0"));
    }
}
