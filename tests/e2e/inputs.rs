//! Every input checked before the first write: a managed policy that does not exist and an
//! inline policy IAM would reject fail the dry run (exit 2, bad input) and the apply writes
//! nothing; variables wait for every permission; split roles split the permissions.

use serde_json::Value;
use std::process::Output;
use tfc_oidc::core::ports::Iam;

use crate::support::{assert_success, iam, json, text, Env, READ_ONLY};

const POWER_USER: &str = "arn:aws:iam::aws:policy/PowerUserAccess";

/// Exit 2, one line on stderr containing `needle`, and nothing written on either side.
async fn refused_before_writing(env: &Env, out: &Output, role: &str, needle: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert_eq!(
        env.fake.write_count(),
        0,
        "nothing written to HCP Terraform"
    );
    let iam = iam().await;
    assert!(iam.get_role(role).await.unwrap().is_none(), "no role");
    let provider = format!("arn:aws:iam::123456789012:oidc-provider/{}", env.host());
    assert!(
        iam.get_oidc_provider(&provider).await.unwrap().is_none(),
        "no provider"
    );
}

#[tokio::test]
async fn a_missing_policy_arn_fails_the_dry_run_and_the_apply_writes_nothing() {
    let Some(env) = Env::new("e2e-missing-policy") else {
        return;
    };
    let role = "e2e-missing-policy-role";
    let missing = "arn:aws:iam::123456789012:policy/does-not-exist";
    for last in ["--dry-run", "--yes"] {
        let args = ["--workspace", "network", "--policy-arn", missing, last];
        let out = env.setup(role, &args);
        let needle = format!("managed policy {missing} does not exist");
        refused_before_writing(&env, &out, role, &needle).await;
    }
}

#[tokio::test]
async fn an_invalid_inline_policy_names_the_file_and_position_not_its_content() {
    let Some(env) = Env::new("e2e-bad-inline") else {
        return;
    };
    let role = "e2e-bad-inline-role";
    let file = env.home.path().join("deploy.json");
    let doc = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Maybe\",\n    \"Action\": \"s3:ListSecretBucket\",\n    \"Resource\": \"*\"\n  }]\n}\n";
    std::fs::write(&file, doc).unwrap();
    let path = file.to_str().unwrap();
    for last in ["--dry-run", "--yes"] {
        let args = ["--workspace", "network", "--policy-file", path, last];
        let out = env.setup(role, &args);
        let needle =
            format!("policy file {path}:4:15: Effect must be \"Allow\" or \"Deny\", not \"Maybe\"");
        refused_before_writing(&env, &out, role, &needle).await;
        assert!(!text(&out.stderr).contains("s3:ListSecretBucket"));
    }
    std::fs::write(&file, "{\n  \"Statement\": [\n").unwrap();
    let args = ["--workspace", "network", "--policy-file", path, "--dry-run"];
    let out = env.setup(role, &args);
    let needle = format!("policy file {path}:3:1: not JSON: ");
    refused_before_writing(&env, &out, role, &needle).await;
}

/// The plan's changes of `kind` (the JSON `type`), with their indices.
fn of_kind<'a>(plan: &'a [Value], kind: &str) -> Vec<(usize, &'a Value)> {
    plan.iter()
        .enumerate()
        .filter(|(_, c)| c["type"] == kind)
        .collect()
}

#[tokio::test]
async fn split_roles_split_permissions_and_variables_wait_for_them() {
    let Some(env) = Env::new("e2e-split-permissions") else {
        return;
    };
    let role = "e2e-split-permissions";
    let args = [
        "--workspace",
        "network",
        "--split-roles",
        "--policy-arn",
        POWER_USER,
        "--yes",
        "--format",
        "json",
    ];
    let out = env.setup(role, &args);
    assert_success(&out);
    let doc = json(&out);
    let plan = doc["plan"].as_array().unwrap();
    let attaches = of_kind(plan, "attach_role_policy");
    assert_eq!(attaches.len(), 2, "{plan:?}");
    for (_, variable) in of_kind(plan, "create_variable") {
        let deps: Vec<usize> = variable["depends_on"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_u64().unwrap() as usize)
            .collect();
        for (i, _) in &attaches {
            assert!(deps.contains(i), "{variable} waits for the attach {i}");
        }
    }
    let notes = doc["notes"].to_string();
    assert!(notes.contains("(plan runs) gets ReadOnlyAccess"), "{notes}");
    let iam = iam().await;
    let plan_role = iam
        .list_attached_policies(&format!("{role}-plan"))
        .await
        .unwrap();
    assert_eq!(plan_role, [READ_ONLY]);
    let apply_role = iam
        .list_attached_policies(&format!("{role}-apply"))
        .await
        .unwrap();
    assert_eq!(apply_role, [POWER_USER]);
}

#[tokio::test]
async fn the_plan_role_policy_is_chosen_with_its_own_flags_in_setup_and_export() {
    let Some(env) = Env::new("e2e-plan-policy") else {
        return;
    };
    let file = env.home.path().join("plan.json");
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    std::fs::write(&file, doc).unwrap();
    let choices = [
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        "network",
        "--role-name",
        "e2e-plan-policy",
        "--split-roles",
        "--policy-arn",
        POWER_USER,
        "--plan-policy-file",
        file.to_str().unwrap(),
    ];
    let mut export = vec!["export", "--format", "cloudformation"];
    export.extend(choices);
    let out = env.run(&export);
    assert_success(&out);
    let yaml = text(&out.stdout);
    let plan_role = yaml
        .split("e2e-plan-policy-plan")
        .nth(1)
        .and_then(|rest| rest.split("e2e-plan-policy-apply").next())
        .unwrap_or_default();
    assert!(plan_role.contains("s3:GetObject"), "{yaml}");
    assert!(!plan_role.contains("PowerUserAccess"), "{yaml}");
    assert!(yaml.contains(POWER_USER), "{yaml}");

    let mut setup = vec!["setup", "--yes"];
    setup.extend(choices);
    assert_success(&env.run(&setup));
    let iam = iam().await;
    assert!(iam
        .list_attached_policies("e2e-plan-policy-plan")
        .await
        .unwrap()
        .is_empty());
    assert!(iam
        .get_inline_policy("e2e-plan-policy-plan", "tfc-oidc")
        .await
        .unwrap()
        .is_some_and(|d| d.contains("s3:GetObject")));

    let out = env.run(&[
        "setup",
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        "network",
        "--no-policy",
        "--plan-policy-arn",
        READ_ONLY,
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}
