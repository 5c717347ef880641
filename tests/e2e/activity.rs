//! `activity` against the CloudTrail stand-in (moto has no `LookupEvents`) and moto's IAM:
//! every page is read, events of other issuers and outside `--since` are left out, subjects,
//! run ids and refusals are read from the recorded events, and `--org`/`--role` filter.

use fake_tfc::FakeCloudTrail;
use serde_json::{json, Value};
use std::process::Output;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::support::{assert_success, json, text, Env};

const HOST: &str = "e2e-activity.tfc.test";

fn ago(hours: i64) -> String {
    (OffsetDateTime::now_utc() - Duration::hours(hours))
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

/// A CloudTrail record of `AssumeRoleWithWebIdentity`, shaped like AWS's.
pub(crate) fn record(
    hours: i64,
    host: &str,
    sub: &str,
    role: &str,
    session: &str,
    denied: bool,
) -> Value {
    let provider = format!("arn:aws:iam::123456789012:oidc-provider/{host}");
    let mut v = json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "WebIdentityUser",
            "principalId": format!("{provider}:aws.workload.identity:{sub}"),
            "userName": sub, "identityProvider": provider},
        "eventTime": ago(hours),
        "eventSource": "sts.amazonaws.com",
        "eventName": "AssumeRoleWithWebIdentity",
        "awsRegion": "us-east-1",
        "sourceIPAddress": format!("192.0.2.{hours}"),
        "userAgent": "aws-sdk-go-v2/1.30.3",
        "requestParameters": {"roleArn": format!("arn:aws:iam::123456789012:role/{role}"),
            "roleSessionName": session},
        "responseElements": null,
        "eventID": format!("00000000-0000-4000-8000-{hours:012}"),
        "eventType": "AwsApiCall",
        "recipientAccountId": "123456789012",
    });
    if denied {
        v["errorCode"] = json!("AccessDenied");
        v["errorMessage"] = json!("Not authorized to perform sts:AssumeRoleWithWebIdentity");
    } else {
        v["responseElements"] = json!({"subjectFromWebIdentityToken": sub,
            "audience": "aws.workload.identity", "provider": provider});
    }
    v
}

fn trail() -> FakeCloudTrail {
    let ws = |w: &str, phase: &str| {
        format!("organization:acme:project:platform:workspace:{w}:run_phase:{phase}")
    };
    let records = vec![
        record(
            1,
            HOST,
            &ws("network", "plan"),
            "net-role",
            "terraform-run-N3twork0000PLAN1",
            false,
        ),
        record(
            2,
            HOST,
            &ws("network", "apply"),
            "net-role",
            "terraform-run-N3twork000APPLY1",
            false,
        ),
        record(
            3,
            HOST,
            &ws("dns", "plan"),
            "net-role",
            "terraform-run-Dns0000000000PL",
            true,
        ),
        record(
            4,
            "token.actions.githubusercontent.com",
            "repo:acme/site:ref:refs/heads/main",
            "gh",
            "GitHubActions",
            false,
        ),
        record(
            5,
            HOST,
            "organization:globex:project:apps:stack:edge:deployment:prod:operation:plan",
            "globex-role",
            "terraform-run-St4ck000000000PL",
            false,
        ),
        record(
            24 * 30,
            HOST,
            &ws("network", "plan"),
            "net-role",
            "terraform-run-0ld00000000000PL",
            false,
        ),
    ];
    FakeCloudTrail::start(records, 2)
}

fn activity(env: &Env, trail: &FakeCloudTrail, extra: &[&str]) -> Output {
    let mut args = vec!["activity"];
    args.extend_from_slice(extra);
    env.cmd(&args)
        .env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url())
        .output()
        .expect("run tfc-oidc")
}

#[test]
fn every_page_is_read_and_events_are_parsed() {
    let Some(env) = Env::new("e2e-activity") else {
        return;
    };
    let trail = trail();
    let out = activity(&env, &trail, &["--format", "json"]);
    assert_success(&out);
    let doc = json(&out);
    assert_eq!(doc["count"], 4, "{doc:#}");
    assert_eq!(doc["refused"], 1);
    let events = doc["events"].as_array().unwrap();
    let first = &events[0];
    assert_eq!(first["role_name"], "net-role");
    assert_eq!(first["run_id"], "run-N3twork0000PLAN1");
    assert_eq!(first["source_ip"], "192.0.2.1");
    assert_eq!(first["run_subject"]["workspace"], "network");
    assert_eq!(first["run_subject"]["phase"], "plan");
    let refused = &events[2];
    assert_eq!(refused["error_code"], "AccessDenied");
    assert_eq!(
        refused["subject"],
        "organization:acme:project:platform:workspace:dns:run_phase:plan"
    );
    assert_eq!(events[3]["run_subject"]["kind"], "stack");
    assert_eq!(events[3]["run_subject"]["operation"], "plan");

    let requests = trail.requests();
    assert_eq!(requests.len(), 3, "three pages of two: {requests:?}");
    assert_eq!(requests[0].target, "CloudTrail_20131101.LookupEvents");
    assert_eq!(
        requests[0].attributes,
        [(
            "EventName".to_string(),
            "AssumeRoleWithWebIdentity".to_string()
        )]
    );
    assert_eq!(requests[0].next_token, None);
    assert_eq!(requests[1].next_token.as_deref(), Some("page-after-2"));
    let week = requests[0].end_time.unwrap() - requests[0].start_time.unwrap();
    assert!((week - 7.0 * 86_400.0).abs() < 5.0, "{week}");
}

#[test]
fn filters_and_text() {
    let Some(env) = Env::new("e2e-activity") else {
        return;
    };
    let trail = trail();
    let out = activity(&env, &trail, &["--org", "acme", "--role", "NET-ROLE"]);
    assert_success(&out);
    let report = text(&out.stdout);
    assert!(report.contains("3 events, 1 refused."), "{report}");
    assert!(report.contains("acme / platform / network"), "{report}");
    assert!(
        report.contains("refused organization:acme:project:platform:workspace:dns:run_phase:plan"),
        "{report}"
    );
    assert!(!report.contains("globex"), "{report}");
    assert!(!report.contains("repo:acme/site"), "{report}");
    let out = activity(&env, &trail, &["--since", "60d", "--format", "json"]);
    assert_eq!(
        json(&out)["count"],
        5,
        "the 30-day-old event is within 60 days"
    );
}
