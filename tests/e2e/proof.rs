//! `migrate --verify --deactivate-keys` end to end: three moto users' keys on `edge`, `network`
//! and `dns` of the fake HCP Terraform; `network`'s verification run is refused by STS (forced
//! in the fake), and the CloudTrail stand-in shows `dns`'s key used by the AWS CLI. Only `edge`'s
//! key is deactivated, in a second journaled step that `undo` reverts; the report says why the
//! other two stay active and what is left for each user; the exit code is 1. Without
//! `--verify`, a key the stand-in shows used by the AWS CLI needs `--deactivate-used-keys`.

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

/// (user, key id) in moto for `edge`, `network` and `dns`.
struct Keys {
    edge: (String, String),
    network: (String, String),
    dns: (String, String),
}

/// The example organization with each platform workspace on its own moto key (no variable set),
/// `network`'s runs refused by STS.
async fn env_with_keys() -> Option<(Env, Keys)> {
    let keys = Keys {
        edge: moto_key("proof-edge").await,
        network: moto_key("proof-net").await,
        dns: moto_key("proof-dns").await,
    };
    let mut seed = fake_tfc::Seed::example();
    seed.organizations[0].variable_sets.clear();
    for ws in seed.organizations[0].projects[1].workspaces.iter_mut() {
        ws.vars = match ws.name.as_str() {
            "edge" => own_keys(&keys.edge.1),
            "network" => own_keys(&keys.network.1),
            _ => own_keys(&keys.dns.1),
        };
    }
    let env = Env::with_seed("e2e-proof", seed)?;
    let refused = RunOutcome::AccessDenied;
    env.fake
        .script_run("acme", "network", refused, LogFormat::JsonLines);
    Some((env, keys))
}

/// The stand-in's history: `dns`'s key used by the AWS CLI 3 hours ago, `edge`'s by Terraform.
fn trail(keys: &Keys) -> FakeCloudTrail {
    let (dns_user, dns_key) = &keys.dns;
    let (edge_user, edge_key) = &keys.edge;
    let s3 = ("s3.amazonaws.com", "ListBuckets");
    let sts = ("sts.amazonaws.com", "GetCallerIdentity");
    let records = vec![
        key_call(dns_key, dns_user, 3, s3, "203.0.113.50", CLI_AGENT),
        key_call(edge_key, edge_user, 30, sts, "192.0.2.9", TERRAFORM_AGENT),
    ];
    FakeCloudTrail::start(records, 50)
}

fn migrate_verified(env: &Env, trail: &FakeCloudTrail) -> std::process::Output {
    let role = format!("e2e-proof-{}", std::process::id());
    let args = [
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
    ];
    env.cmd(&args)
        .env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url())
        .output()
        .unwrap()
}

/// Each workspace's verification: `network`'s refused run fails it.
fn assert_verification(doc: &Value) {
    assert_eq!(by_workspace(doc, "edge")["authenticated"], true, "{doc:#}");
    assert_eq!(by_workspace(doc, "dns")["authenticated"], true);
    let network = by_workspace(doc, "network");
    assert_eq!(network["authenticated"], false);
    assert!(network["cause"]["code"].is_string(), "{network:#}");
    assert!(network["run_id"].is_string(), "{network:#}");
}

/// Only `edge`'s key is deactivated; `network`'s (not authenticated) and `dns`'s (used by the
/// AWS CLI, named) stay active.
fn assert_deactivation(doc: &Value, keys: &Keys) {
    let d = &doc["deactivation"];
    assert_eq!(d["deactivated"], json!([keys.edge.1]), "{d:#}");
    assert_eq!(d["unproven"], false);
    let kept = d["kept_active"].as_array().unwrap();
    let reason = |key: &str| {
        let k = kept.iter().find(|k| k["key_id"] == key).unwrap();
        k["reasons"][0].clone()
    };
    assert_eq!(reason(&keys.network.1)["reason"], "not_authenticated");
    assert_eq!(reason(&keys.network.1)["workspace"], "network");
    assert_eq!(reason(&keys.dns.1)["reason"], "used_elsewhere");
    let uses = d["key_use"].as_array().unwrap();
    let use_of = |key: &str| uses.iter().find(|u| u["key_id"] == key).unwrap();
    let event = &use_of(&keys.dns.1)["elsewhere"][0];
    let fields = ["event_source", "event_name", "source_ip", "user_agent"];
    let named = fields.map(|f| event[f].as_str().unwrap_or_default());
    let expected = ["s3.amazonaws.com", "ListBuckets", "203.0.113.50", CLI_AGENT];
    assert_eq!(named, expected, "{event:#}");
    assert_eq!(
        use_of(&keys.edge.1)["terraform_calls"],
        1,
        "Terraform's own calls are not use elsewhere"
    );
}

#[tokio::test]
async fn only_the_proven_unused_key_is_deactivated_and_the_report_says_why_not_the_others() {
    let Some((env, keys)) = env_with_keys().await else {
        return;
    };
    let trail = trail(&keys);
    let out = migrate_verified(&env, &trail);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let failed = "1 of 3 migrated workspaces did not authenticate through OIDC (network)";
    assert!(stderr.contains(failed), "{stderr}");
    let doc = json(&out);
    assert_verification(&doc);
    assert_deactivation(&doc, &keys);
    let by_key = ("AccessKeyId".to_string(), keys.dns.1.clone());
    assert!(trail
        .requests()
        .iter()
        .any(|r| r.attributes == [by_key.clone()]));

    use StatusType::{Active, Inactive};
    let (edge_user, edge_key) = &keys.edge;
    assert_eq!(key_status(edge_user, edge_key).await, Some(Inactive));
    assert_eq!(
        key_status(&keys.network.0, &keys.network.1).await,
        Some(Active)
    );
    assert_eq!(key_status(&keys.dns.0, &keys.dns.1).await, Some(Active));

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
    assert_eq!(key_status(edge_user, edge_key).await, Some(Active));
    let vars: Vec<String> = env.env_vars("edge").into_iter().map(|(k, _)| k).collect();
    assert!(vars.iter().any(|k| k == "TFC_AWS_RUN_ROLE_ARN"), "{vars:?}");
}

/// Without `--verify`: a key the AWS CLI used stays active, and the plan names where it was
/// used; `--deactivate-used-keys` deactivates it anyway, with the unproven warning.
#[tokio::test]
async fn a_key_used_elsewhere_needs_the_flag_and_without_verify_is_deactivated_unproven() {
    let (user, key) = moto_key("proof-used").await;
    let Some(env) = Env::with_seed("e2e-proof-used", crate::migrate::seed_with_key(&key)) else {
        return;
    };
    let s3 = ("s3.amazonaws.com", "ListBuckets");
    let records = vec![key_call(&key, &user, 5, s3, "203.0.113.51", CLI_AGENT)];
    let trail = FakeCloudTrail::start(records, 50);
    let role = format!("e2e-proof-used-{}", std::process::id());
    let args = [
        "migrate",
        "--org",
        "acme",
        "--workspace",
        "edge",
        "--role-name",
        &role,
        "--no-policy",
        "--deactivate-keys",
    ];
    let run = |extra: &[&str]| {
        env.cmd(&[&args[..], extra].concat())
            .env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url())
            .output()
            .unwrap()
    };
    let dry = run(&["--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let shown = text(&dry.stdout);
    assert!(!shown.contains("mark access key"), "{shown}");
    assert!(shown.contains("stays active: it was used outside HCP Terraform: s3.amazonaws.com ListBuckets from 203.0.113.51 (aws-cli/2.15.0"), "{shown}");
    assert!(
        shown.contains("--deactivate-used-keys deactivates it anyway"),
        "{shown}"
    );
    assert!(!shown.contains(&key), "the key id is masked: {shown}");

    let out = run(&["--deactivate-used-keys", "--yes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("deactivated unproven"), "{shown}");
    assert!(
        shown.contains("Left to do (tfc-oidc deletes nothing)"),
        "{shown}"
    );
    assert_eq!(key_status(&user, &key).await, Some(StatusType::Inactive));
}
