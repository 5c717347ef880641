//! `setup` on workspaces: the dry run writes nothing, the apply makes the provider, role and
//! variables, a second run plans nothing; and the same command on the built-in sandbox.

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use tfc_oidc::core::ports::Iam;

use crate::support::{assert_success, iam, json, text, Env, READ_ONLY};

#[tokio::test]
async fn setup_dry_run_apply_and_second_run() {
    let Some(env) = Env::new("e2e-basic") else {
        return;
    };
    let role = "e2e-basic-role";
    let dry = env.setup(
        role,
        &[
            "--workspace",
            "network",
            "--policy-arn",
            READ_ONLY,
            "--dry-run",
        ],
    );
    assert_success(&dry);
    let plan = text(&dry.stdout);
    assert!(
        plan.contains("+ create OIDC provider https://e2e-basic.tfc.test"),
        "{plan}"
    );
    assert!(
        plan.contains("organization:acme:project:platform:workspace:network:run_phase:*"),
        "{plan}"
    );
    assert_eq!(
        env.fake.write_count(),
        0,
        "a dry run writes nothing to HCP Terraform"
    );
    assert!(
        iam().await.get_role(role).await.unwrap().is_none(),
        "a dry run writes nothing to AWS"
    );

    let apply = [
        "--workspace",
        "network",
        "--policy-arn",
        READ_ONLY,
        "--yes",
        "--format",
        "json",
    ];
    env.fake.clear_requests();
    let out = env.setup(role, &apply);
    assert_success(&out);
    let doc = json(&out);
    assert_eq!(doc["applied"], true);
    assert_eq!(doc["plan"].as_array().unwrap().len(), 5);
    let arn = doc["roles"][0]["arn"].as_str().unwrap().to_string();
    assert!(arn.ends_with(":role/e2e-basic-role"), "{arn}");
    assert_eq!(doc["roles"][0]["phase"], "run");
    assert!(doc["variables"][1]["id"]
        .as_str()
        .unwrap()
        .starts_with("var-"));
    // One read for the workspace, one for its variables, two writes.
    let calls: Vec<String> = env
        .fake
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(calls.len(), 4, "{calls:?}");

    let vars = env.env_vars("network");
    assert!(vars.contains(&("TFC_AWS_PROVIDER_AUTH".into(), "true".into())));
    assert!(vars.contains(&("TFC_AWS_RUN_ROLE_ARN".into(), arn.clone())));
    let iam = iam().await;
    let made = iam.get_role(role).await.unwrap().unwrap();
    let trust: Value = serde_json::from_str(&made.trust_policy).unwrap();
    assert_eq!(
        trust["Statement"][0]["Condition"]["StringEquals"]["e2e-basic.tfc.test:aud"],
        "aws.workload.identity"
    );
    assert_eq!(
        iam.list_attached_policies(role).await.unwrap(),
        vec![READ_ONLY.to_string()]
    );

    let writes = env.fake.write_count();
    let again = env.setup(role, &apply);
    assert_success(&again);
    assert_eq!(
        json(&again)["plan"].as_array().unwrap().len(),
        0,
        "second run plans nothing"
    );
    assert_eq!(env.fake.write_count(), writes);
}

#[test]
fn demo_needs_no_credentials() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tfc-oidc"))
        .args([
            "--demo",
            "setup",
            "--org",
            "acme-corp",
            "--project",
            "platform",
            "--workspace",
            "network-prod",
        ])
        .args(["--policy-arn", READ_ONLY, "--yes"])
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env_remove("TFE_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .unwrap();
    assert_success(&out);
    assert!(text(&out.stdout).contains("arn:aws:iam::123456789012:role/tfc-acme-corp-platform"));
    assert!(Path::new(&home.path().join("data/tfc-oidc/demo/sandbox.json")).exists());
}

/// The role HashiCorp's AWS setup example makes (`tfc-role`, untagged, one workspace's two
/// subject forms) is adopted with a note, without `--adopt-role`.
#[tokio::test]
async fn the_role_hashicorps_aws_setup_made_is_adopted_without_adopt_role() {
    let Some(env) = Env::new("e2e-hashicorp-role") else {
        return;
    };
    let host = env.host().to_string();
    let condition = serde_json::json!({
        "StringEquals": { format!("{host}:aud"): "aws.workload.identity" },
        "StringLike": { format!("{host}:sub"): [
            "organization:acme:workspace:network:run_phase:*",
            "organization:acme:project:platform:workspace:network:run_phase:*"
        ]}
    });
    crate::review::trusting_role(&env, "tfc-role", condition).await;
    let out = env
        .dry_run("acme", "network")
        .args(["--role-name", "tfc-role"])
        .output()
        .unwrap();
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(
        all.contains("adopting role tfc-role: HashiCorp's AWS dynamic-credentials setup made it"),
        "{all}"
    );
}
