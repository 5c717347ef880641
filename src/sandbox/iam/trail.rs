//! The sandbox account's CloudTrail: `AssumeRoleWithWebIdentity` events recorded when a simulated
//! run authenticates (or is refused), plus, in the demo, a made-up week of history so
//! `--demo activity` has something to show. Records have the shape CloudTrail gives them (see
//! `core::activity::event`).

use super::SandboxIam;
use crate::core::ports::{AuditTrail, IamError, TrailEvent, TrailEvents};
use async_trait::async_trait;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

/// One call of `AssumeRoleWithWebIdentity` to record.
pub(crate) struct WebIdentityCall<'a> {
    pub(crate) host: &'a str,
    pub(crate) audience: &'a str,
    pub(crate) subject: &'a str,
    pub(crate) role_arn: &'a str,
    pub(crate) session_name: &'a str,
    /// `(errorCode, errorMessage)` of a refusal.
    pub(crate) error: Option<(&'a str, &'a str)>,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The CloudTrail record of `call` at `time` in `account`.
fn record(
    call: &WebIdentityCall,
    account: &str,
    time: OffsetDateTime,
    id: &str,
    ip: &str,
) -> Value {
    let provider = format!("arn:aws:iam::{account}:oidc-provider/{}", call.host);
    let mut v = json!({
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "WebIdentityUser",
            "principalId": format!("{provider}:{}:{}", call.audience, call.subject),
            "userName": call.subject,
            "identityProvider": provider,
        },
        "eventTime": rfc3339(time),
        "eventSource": "sts.amazonaws.com",
        "eventName": "AssumeRoleWithWebIdentity",
        "awsRegion": "us-east-1",
        "sourceIPAddress": ip,
        "userAgent": "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 aws-sdk-go-v2/1.30.3",
        "requestParameters": {
            "roleArn": call.role_arn,
            "roleSessionName": call.session_name,
        },
        "responseElements": null,
        "requestID": format!("{id}-req"),
        "eventID": id,
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": account,
    });
    match call.error {
        Some((code, message)) => {
            v["errorCode"] = json!(code);
            v["errorMessage"] = json!(message);
        }
        None => {
            let role = call.role_arn.rsplit('/').next().unwrap_or_default();
            v["responseElements"] = json!({
                "credentials": {"accessKeyId": "ASIAEXAMPLEDEMO00001", "expiration": "in one hour"},
                "subjectFromWebIdentityToken": call.subject,
                "assumedRoleUser": {
                    "assumedRoleId": format!("AROAEXAMPLEDEMO00001:{}", call.session_name),
                    "arn": format!("arn:aws:sts::{account}:assumed-role/{role}/{}", call.session_name),
                },
                "provider": provider,
                "audience": call.audience,
            });
        }
    }
    v
}

fn trail_event(v: &Value) -> TrailEvent {
    TrailEvent {
        event_id: v["eventID"].as_str().unwrap_or_default().into(),
        event_time: v["eventTime"].as_str().unwrap_or_default().into(),
        cloudtrail_event: v.to_string(),
    }
}

impl SandboxIam {
    /// Records a call as CloudTrail would (setup: not logged as a port call).
    pub(crate) fn record_web_identity(&self, call: &WebIdentityCall) {
        let mut st = self.st();
        let n = st.trail.len() + 1;
        let id = format!("00000000-0000-4000-8000-{n:012}");
        let v = record(
            call,
            &st.identity.account,
            OffsetDateTime::now_utc(),
            &id,
            "192.0.2.10",
        );
        st.trail.push(trail_event(&v));
    }

    /// Records a call made with static access key `key` (setup: not logged as a port call), as
    /// CloudTrail would: `userIdentity.accessKeyId`, the event's source and name, where from and
    /// with what user agent, `hours_ago` before now.
    pub fn record_key_use(
        &self,
        key: &str,
        (source, name): (&str, &str),
        (ip, agent): (&str, &str),
        hours_ago: i64,
    ) {
        let mut st = self.st();
        let n = st.key_trail.len() + 1;
        let user = st
            .users
            .iter()
            .find(|(_, keys)| keys.iter().any(|k| k.id == key))
            .map(|(u, _)| u.clone())
            .unwrap_or_default();
        let account = st.identity.account.clone();
        let time = OffsetDateTime::now_utc() - Duration::hours(hours_ago);
        let v = json!({
            "eventVersion": "1.08",
            "userIdentity": {
                "type": "IAMUser", "accessKeyId": key, "userName": user,
                "arn": format!("arn:aws:iam::{account}:user/{user}"), "accountId": account,
            },
            "eventTime": rfc3339(time), "eventSource": source, "eventName": name,
            "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": agent,
            "eventID": format!("0000ac7e-0000-4000-8000-{n:012}"),
            "readOnly": true, "eventType": "AwsApiCall", "recipientAccountId": account,
        });
        st.key_trail.push(trail_event(&v));
    }

    /// Lets the trail show the demo's made-up history (the demo seed turns it on).
    pub fn enable_demo_trail(&self) {
        self.st().demo_trail = true;
    }
}

/// The demo's history, relative to `now` (floored to the hour, so reads within an hour agree).
fn demo_history(account: &str, now: OffsetDateTime) -> Vec<TrailEvent> {
    let hour = now
        .replace_minute(0)
        .and_then(|t| t.replace_second(0))
        .and_then(|t| t.replace_nanosecond(0))
        .unwrap_or(now);
    let data_role = format!("arn:aws:iam::{account}:role/tfc-acme-corp-data");
    let stack_role = format!("arn:aws:iam::{account}:role/tfc-acme-corp-stacks");
    let denied = Some((
        "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
    ));
    // (hours ago, issuer host, subject, role ARN, session name, refusal)
    type Row<'a> = (
        i64,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Option<(&'a str, &'a str)>,
    );
    #[rustfmt::skip]
    let rows: [Row; 7] = [
        (3, "app.terraform.io", "organization:acme-corp:project:data:workspace:warehouse:run_phase:plan", &data_role, "terraform-run-Wh4rEh0usE00PLAN", None),
        (26, "app.terraform.io", "organization:acme-corp:project:data:workspace:warehouse:run_phase:apply", &data_role, "terraform-run-Wh4rEh0usE0APPLY", None),
        (27, "app.terraform.io", "organization:acme-corp:project:data:workspace:etl:run_phase:plan", &data_role, "terraform-run-EtL000000000PLAN", denied),
        (50, "app.terraform.io", "organization:acme-corp:project:platform:stack:edge:deployment:prod:operation:plan", &stack_role, "terraform-run-St4ckEdgeProdPLAN", None),
        (75, "app.terraform.io", "organization:acme-sandbox:project:Default Project:workspace:playground:run_phase:plan", &data_role, "terraform-run-Pl4ygr0und00PLAN", denied),
        (98, "token.actions.githubusercontent.com", "repo:acme-corp/site:ref:refs/heads/main", &format!("arn:aws:iam::{account}:role/github-deploy"), "GitHubActions", None),
        (140, "app.terraform.io", "organization:acme-corp:project:data:workspace:warehouse:run_phase:plan", &data_role, "terraform-run-Wh4rEh0usE0OLDER", None),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (hours, host, subject, role, session, error))| {
            let call = WebIdentityCall {
                host,
                audience: if host.starts_with("token.") {
                    "sts.amazonaws.com"
                } else {
                    "aws.workload.identity"
                },
                subject,
                role_arn: role,
                session_name: session,
                error: *error,
            };
            let id = format!("d3m0e7e7-0000-4000-8000-{i:012}");
            let ip = format!("198.51.100.{}", 20 + i);
            trail_event(&record(
                &call,
                account,
                hour - Duration::hours(*hours),
                &id,
                &ip,
            ))
        })
        .collect()
}

#[async_trait]
impl AuditTrail for SandboxIam {
    async fn web_identity_events(
        &self,
        start: OffsetDateTime,
        end: OffsetDateTime,
    ) -> Result<TrailEvents, IamError> {
        self.rec.enter("web_identity_events", false, "").await?;
        let (mut events, account, demo) = {
            let st = self.st();
            (st.trail.clone(), st.identity.account.clone(), st.demo_trail)
        };
        if demo {
            events.extend(demo_history(&account, OffsetDateTime::now_utc()));
        }
        let within = |e: &TrailEvent| {
            OffsetDateTime::parse(
                &e.event_time,
                &time::format_description::well_known::Rfc3339,
            )
            .is_ok_and(|t| t >= start && t <= end)
        };
        let mut events: Vec<TrailEvent> = events.into_iter().filter(within).collect();
        events.sort_by(|a, b| b.event_time.cmp(&a.event_time));
        Ok(TrailEvents {
            events,
            truncated: false,
            region: Some("us-east-1".into()),
        })
    }

    async fn access_key_events(
        &self,
        access_key_id: &str,
        start: OffsetDateTime,
        end: OffsetDateTime,
    ) -> Result<TrailEvents, IamError> {
        self.rec
            .enter("access_key_events", false, access_key_id)
            .await?;
        let events = self.st().key_trail.clone();
        let matches = |e: &TrailEvent| {
            let v: Value = serde_json::from_str(&e.cloudtrail_event).unwrap_or_default();
            let time = OffsetDateTime::parse(
                &e.event_time,
                &time::format_description::well_known::Rfc3339,
            );
            v["userIdentity"]["accessKeyId"].as_str() == Some(access_key_id)
                && time.is_ok_and(|t| t >= start && t <= end)
        };
        let mut events: Vec<TrailEvent> = events.into_iter().filter(matches).collect();
        events.sort_by(|a, b| b.event_time.cmp(&a.event_time));
        Ok(TrailEvents {
            events,
            truncated: false,
            region: Some("us-east-1".into()),
        })
    }
}
