//! `review` end to end with customer-managed policies in moto: one allowing Action * on
//! Resource * on a role trusted for plan runs is TFCOIDC010 naming its ARN; a narrow one is not.

use std::time::{SystemTime, UNIX_EPOCH};
use tfc_oidc::core::ports::Iam;

use crate::review::{ids_for, role_arn, trusting_role};
use crate::support::{iam, json, text, Env};

/// Creates a customer-managed policy (a fresh name per run, as moto outlives a run) and
/// attaches it to `role`; returns its ARN.
async fn attach_new_policy(role: &str, tag: &str, document: &str) -> String {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros();
    let iam = iam().await;
    let arn = iam
        .iam_sdk()
        .create_policy()
        .policy_name(format!("e2e-rpol-{tag}-{stamp}"))
        .policy_document(document)
        .send()
        .await
        .unwrap()
        .policy()
        .and_then(|p| p.arn())
        .unwrap()
        .to_owned();
    iam.attach_policy(role, &arn).await.unwrap();
    arn
}

#[tokio::test]
async fn review_reads_customer_managed_policies_for_tfcoidc010() {
    let Some(env) = Env::new("e2e-rpol") else {
        return;
    };
    let host = env.host().to_string();
    let plan_only = |role: &str| {
        serde_json::json!({
            "StringEquals": {format!("{host}:aud"): "aws.workload.identity"},
            "StringLike": {format!("{host}:sub"): format!("organization:acme:project:platform:workspace:{role}:run_phase:plan")},
        })
    };
    let (admin, narrow) = ("e2e-rpol-admin", "e2e-rpol-narrow");
    trusting_role(&env, admin, plan_only("edge")).await;
    trusting_role(&env, narrow, plan_only("network")).await;
    let everything =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let bucket = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::state/*"}]}"#;
    let admin_policy = attach_new_policy(admin, "all", everything).await;
    attach_new_policy(narrow, "bucket", bucket).await;

    let out = env.run(&["review", "--org", "acme", "--format", "json"]);
    let doc = json(&out);
    assert!(
        ids_for(&doc, &role_arn(admin)).contains(&"TFCOIDC010"),
        "{doc}\n{}",
        text(&out.stderr)
    );
    let detail = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "TFCOIDC010" && f["resource"] == role_arn(admin).as_str())
        .and_then(|f| f["detail"].as_str())
        .unwrap()
        .to_owned();
    assert!(
        detail.starts_with(&format!(
            "customer-managed policy {admin_policy} allows Action * on Resource *"
        )),
        "{detail}"
    );
    assert!(!ids_for(&doc, &role_arn(narrow)).contains(&"TFCOIDC010"));
    assert_eq!(doc["summary"]["unchecked_policies"], serde_json::json!([]));
}

/// TFCOIDC017 from a trust policy in moto: HashiCorp's module-test example's condition on
/// `HOST:terraform_organization_name` (a claim IAM never evaluates) under StringEquals never
/// holds; under StringEqualsIfExists it restricts nothing.
#[tokio::test]
async fn review_reports_conditions_on_claims_iam_does_not_evaluate() {
    let Some(env) = Env::new("e2e-unevaluated") else {
        return;
    };
    let host = env.host().to_string();
    let sub = "organization:acme:project:Default Project:workspace:edge:run_phase:*";
    for (role, operator) in [
        ("e2e-unevaluated-never", "StringEquals"),
        ("e2e-unevaluated-vacuous", "StringEqualsIfExists"),
    ] {
        let mut condition = serde_json::json!({
            "StringEquals": {format!("{host}:aud"): "aws.workload.identity"},
            "StringLike": {format!("{host}:sub"): sub},
        });
        let org_key = format!("{host}:terraform_organization_name");
        condition[operator][&org_key] = "acme".into();
        trusting_role(&env, role, condition).await;
    }
    let out = env.run(&["review", "--org", "acme", "--format", "json"]);
    let doc = json(&out);
    let detail = |role: &str| -> String {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "TFCOIDC017" && f["resource"] == role_arn(role).as_str())
            .map(|f| f["detail"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no TFCOIDC017 for {role}: {}", text(&out.stdout)))
    };
    assert!(detail("e2e-unevaluated-never").contains("never holds"));
    assert!(detail("e2e-unevaluated-vacuous").contains("restricts nothing"));
    let never = ids_for(&doc, &role_arn("e2e-unevaluated-never"));
    assert!(never.contains(&"TFCOIDC017"), "{never:?}");
    assert_eq!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "TFCOIDC017")
            .unwrap()["severity"],
        "medium"
    );
}
