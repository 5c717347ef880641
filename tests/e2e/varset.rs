//! `setup --target varset`: the variables go on a variable set attached to the chosen
//! workspaces, or to the project with `--all-workspaces`; with `--split-roles`.

use tfc_oidc::core::ports::Iam;

use crate::support::{assert_success, iam, json, Env};

#[tokio::test]
async fn varset_target_and_split_roles() {
    let Some(env) = Env::new("e2e-varset") else {
        return;
    };
    let out = env.setup(
        "e2e-varset-role",
        &[
            "--workspace",
            "network",
            "--workspace",
            "dns",
            "--no-policy",
            "--split-roles",
            "--target",
            "varset",
            "--yes",
        ],
    );
    assert_success(&out);
    let set = env.variable_set("aws-oidc-e2e-varset-role");
    let mut keys: Vec<&str> = set["vars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "TFC_AWS_APPLY_ROLE_ARN",
            "TFC_AWS_PLAN_ROLE_ARN",
            "TFC_AWS_PROVIDER_AUTH"
        ]
    );
    assert_eq!(set["workspace-ids"].as_array().unwrap().len(), 2);
    let iam = iam().await;
    let plan_role = iam
        .get_role("e2e-varset-role-plan")
        .await
        .unwrap()
        .expect("plan role");
    assert!(plan_role
        .trust_policy
        .contains("workspace:dns:run_phase:plan"));
    assert!(iam
        .get_role("e2e-varset-role-apply")
        .await
        .unwrap()
        .is_some());
}

#[test]
fn all_workspaces_varset_is_attached_to_the_project() {
    let Some(env) = Env::new("e2e-project") else {
        return;
    };
    let args = [
        "--all-workspaces",
        "--no-policy",
        "--target",
        "varset",
        "--varset-name",
        "oidc-platform",
        "--yes",
        "--format",
        "json",
    ];
    let out = env.setup("e2e-project-role", &args);
    assert_success(&out);
    let doc = json(&out);
    let trust = doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "create_role")
        .unwrap();
    assert_eq!(
        trust["trust_policy"]["Statement"][0]["Condition"]["StringLike"]
            ["e2e-project.tfc.test:sub"][0],
        "organization:acme:project:platform:workspace:*:run_phase:*"
    );
    let set = env.variable_set("oidc-platform");
    let project = env.fake.project_id("acme", "platform").unwrap();
    assert_eq!(set["project-ids"], serde_json::json!([project]));
    let again = env.setup("e2e-project-role", &args);
    assert_eq!(json(&again)["plan"].as_array().unwrap().len(), 0);
}
