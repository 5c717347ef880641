//! `migrate --verify --deactivate-keys` end to end: three moto users' keys on `edge`, `network`
//! and `dns` of the fake HCP Terraform; `network`'s verification run is refused by STS (forced
//! in the fake), and the CloudTrail stand-in shows `dns`'s key used by the AWS CLI. Only `edge`'s
//! key is deactivated, in a second journaled step that `undo` reverts; the report says why the
//! other two stay active and what is left for each user; the exit code is 1.

use aws_sdk_iam::types::StatusType;
use fake_tfc::{FakeCloudTrail, LogFormat, RunOutcome, SeedVar};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::migrate::moto_key;
use crate::support::{iam, json, text, Env};

const CLI_AGENT: &str = "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22";
const TERRAFORM_AGENT: &str = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.5";

/// A CloudTrail record of a call made with static key `key`, `hours` ago.
fn key_call(
    key: &str,
    user: &str,
    hours: i64,
    (source, name): (&str, &str),
    ip: &str,
    agent: &str,
) -> Value {
    let time = (OffsetDateTime::now_utc() - Duration::hours(hours))
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap();
    json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "accessKeyId": key,
            "arn": format!("arn:aws:iam::123456789012:user/{user}"), "userName": user,
            "accountId": "123456789012"},
        "eventTime": time, "eventSource": source, "eventName": name, "awsRegion": "eu-west-1",
        "sourceIPAddress": ip, "userAgent": agent, "requestParameters": null,
        "responseElements": null, "eventID": format!("{key}-{hours}"),
        "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
    })
}

async fn key_status(user: &str, key_id: &str) -> Option<StatusType> {
    let client = iam().await;
    let keys = client
        .iam_sdk()
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .unwrap();
    keys.access_key_metadata()
        .iter()
        .find(|k| k.access_key_id() == Some(key_id))
        .and_then(|k| k.status().cloned())
}

fn own_keys(key: &str) -> Vec<SeedVar> {
    vec![
        SeedVar::env("AWS_ACCESS_KEY_ID", key, false),
        SeedVar::env("AWS_SECRET_ACCESS_KEY", "not-the-real-secret", true),
    ]
}

fn by_workspace<'a>(doc: &'a Value, ws: &str) -> &'a Value {
    doc["verification"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["workspace"] == ws)
        .unwrap_or_else(|| panic!("{ws} not verified: {doc:#}"))
}

#[tokio::test]
async fn only_the_proven_unused_key_is_deactivated_and_the_report_says_why_not_the_others() {
    let (edge_user, edge_key) = moto_key("proof-edge").await;
    let (net_user, net_key) = moto_key("proof-net").await;
    let (dns_user, dns_key) = moto_key("proof-dns").await;
    let mut seed = fake_tfc::Seed::example();
    seed.organizations[0].variable_sets.clear();
    for ws in seed.organizations[0].projects[1].workspaces.iter_mut() {
        ws.vars = match ws.name.as_str() {
            "edge" => own_keys(&edge_key),
            "network" => own_keys(&net_key),
            _ => own_keys(&dns_key),
        };
    }
    let Some(env) = Env::with_seed("e2e-proof", seed) else {
        return;
    };
    env.fake.script_run(
        "acme",
        "network",
        RunOutcome::AccessDenied,
        LogFormat::JsonLines,
    );
    let trail = FakeCloudTrail::start(
        vec![
            key_call(
                &dns_key,
                &dns_user,
                3,
                ("s3.amazonaws.com", "ListBuckets"),
                "203.0.113.50",
                CLI_AGENT,
            ),
            key_call(
                &edge_key,
                &edge_user,
                30,
                ("sts.amazonaws.com", "GetCallerIdentity"),
                "192.0.2.9",
                TERRAFORM_AGENT,
            ),
        ],
        50,
    );
    let role = format!("e2e-proof-{}", std::process::id());
    let out = env
        .cmd(&[
            "migrate",
            "--org",
            "acme",
            "--project",
            "platform",
            "--role-name",
            &role,
            "--no-policy",
            "--verify",
            "--deactivate-keys",
            "--yes",
            "--format",
            "json",
            "--poll-interval",
            "20ms",
        ])
        .env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("1 of 3 migrated workspaces did not authenticate through OIDC (network)"),
        "{}",
        text(&out.stderr)
    );
    let doc = json(&out);
    assert_eq!(by_workspace(&doc, "edge")["authenticated"], true, "{doc:#}");
    assert_eq!(by_workspace(&doc, "dns")["authenticated"], true);
    let network = by_workspace(&doc, "network");
    assert_eq!(network["authenticated"], false);
    assert!(
        network["why"].as_str().unwrap().contains("AccessDenied")
            || network["cause"]["code"].is_string(),
        "{network:#}"
    );

    let d = &doc["deactivation"];
    assert_eq!(d["deactivated"], json!([edge_key]), "{d:#}");
    assert_eq!(d["unproven"], false);
    let kept = d["kept_active"].as_array().unwrap();
    let reason = |key: &str| {
        kept.iter()
            .find(|k| k["key_id"] == key)
            .map(|k| k["reasons"][0].clone())
    };
    assert_eq!(reason(&net_key).unwrap()["reason"], "not_authenticated");
    assert_eq!(reason(&net_key).unwrap()["workspace"], "network");
    assert_eq!(reason(&dns_key).unwrap()["reason"], "used_elsewhere");
    let dns_use = d["key_use"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["key_id"] == dns_key.as_str())
        .unwrap();
    let event = &dns_use["elsewhere"][0];
    assert_eq!(
        (
            &event["event_source"],
            &event["event_name"],
            &event["source_ip"],
            &event["user_agent"]
        ),
        (
            &json!("s3.amazonaws.com"),
            &json!("ListBuckets"),
            &json!("203.0.113.50"),
            &json!(CLI_AGENT)
        )
    );
    let edge_use = d["key_use"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["key_id"] == edge_key.as_str())
        .unwrap();
    assert_eq!(
        edge_use["terraform_calls"], 1,
        "Terraform's own calls are not use elsewhere"
    );
    assert!(trail
        .requests()
        .iter()
        .any(|r| r.attributes == [("AccessKeyId".to_string(), dns_key.clone())]));

    assert_eq!(
        key_status(&edge_user, &edge_key).await,
        Some(StatusType::Inactive)
    );
    assert_eq!(
        key_status(&net_user, &net_key).await,
        Some(StatusType::Active)
    );
    assert_eq!(
        key_status(&dns_user, &dns_key).await,
        Some(StatusType::Active)
    );

    let left = doc["left_to_do"].as_array().unwrap();
    let edge_left = left
        .iter()
        .find(|u| u["user"] == edge_user.as_str())
        .unwrap();
    assert_eq!(edge_left["removable"], true, "{edge_left:#}");
    assert_eq!(edge_left["console_password"], false);
    assert_eq!(edge_left["keys"][0]["status"], "Inactive");

    // The deactivation is the newest apply: undo reactivates the key and leaves the migration.
    let undo = env.run(&["undo", "--yes"]);
    assert!(undo.status.success(), "{}", text(&undo.stderr));
    assert_eq!(
        key_status(&edge_user, &edge_key).await,
        Some(StatusType::Active)
    );
    let vars: Vec<String> = env.env_vars("edge").into_iter().map(|(k, _)| k).collect();
    assert!(vars.iter().any(|k| k == "TFC_AWS_RUN_ROLE_ARN"), "{vars:?}");
}
