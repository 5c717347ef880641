//! One test per finding: a clean organization (split plan/apply roles, each workspace trusted
//! exactly) reports nothing; each test adds exactly one misconfiguration on the sandbox and
//! asserts the finding it causes.

use super::*;
use crate::core::inventory::{read, InventoryScope};
use crate::core::ports::{
    Iam, NewOidcProvider, NewRole, NewVariable, NewVariableSet, VariableCategory,
};
use crate::sandbox::Sandbox;
use serde_json::{json, Value};

const HOST: &str = "app.terraform.io";
const PROVIDER: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";
const PLAN_ROLE: &str = "arn:aws:iam::123456789012:role/acme-apps-plan";
const APPLY_ROLE: &str = "arn:aws:iam::123456789012:role/acme-apps-apply";
const AUD: &str = "aws.workload.identity";

fn sub(ws: &str, phase: &str) -> String {
    format!("organization:acme:project:apps:workspace:{ws}:run_phase:{phase}")
}

fn trust(condition: Value) -> String {
    json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":PROVIDER},
        "Action":"sts:AssumeRoleWithWebIdentity","Condition":condition}]})
    .to_string()
}

fn exact(subs: &[String]) -> String {
    trust(
        json!({"StringEquals":{"app.terraform.io:aud":AUD},"StringLike":{"app.terraform.io:sub":subs}}),
    )
}

fn env(key: &str, value: &str) -> NewVariable {
    NewVariable {
        key: key.into(),
        value: value.into(),
        description: String::new(),
        category: VariableCategory::Env,
        sensitive: false,
    }
}

struct Fx {
    sb: Sandbox,
    project: String,
    web: String,
}

impl Fx {
    async fn role(&self, name: &str, trust_policy: String) {
        let role = NewRole {
            name: name.into(),
            trust_policy,
            description: String::new(),
            tags: vec![],
            permissions_boundary: None,
        };
        self.sb.iam.create_role(&role).await.unwrap();
    }

    fn var(&self, ws: &str, key: &str, value: &str) {
        self.sb
            .tfc
            .add_workspace_variable(ws, &env(key, value))
            .unwrap();
    }

    fn workspace(&self, name: &str) -> String {
        self.sb
            .tfc
            .add_workspace("acme", &self.project, name)
            .unwrap()
    }

    async fn findings_in(&self, project: Option<&str>) -> Vec<Finding> {
        let scope = InventoryScope {
            host: HOST.into(),
            organization: "acme".into(),
            project: project.map(String::from),
        };
        let inv = read(
            &scope,
            self.sb.tfc.as_ref(),
            Some(self.sb.iam.as_ref()),
            &|_| {},
        )
        .await
        .unwrap();
        review(&inv)
    }

    async fn findings(&self) -> Vec<Finding> {
        self.findings_in(None).await
    }
}

/// Organization `acme`, project `apps` (and an empty `other`), workspaces `web` and `api`, each
/// with split roles that trust exactly them, ReadOnlyAccess on both roles.
async fn clean() -> Fx {
    let sb = Sandbox::empty(HOST);
    sb.tfc.add_organization("acme");
    let project = sb.tfc.add_project("acme", "apps").unwrap();
    sb.tfc.add_project("acme", "other").unwrap();
    let web = sb.tfc.add_workspace("acme", &project, "web").unwrap();
    let api = sb.tfc.add_workspace("acme", &project, "api").unwrap();
    let provider = NewOidcProvider {
        url: format!("https://{HOST}"),
        client_ids: vec![AUD.into()],
        thumbprints: vec![],
        tags: vec![],
    };
    sb.iam.create_oidc_provider(&provider).await.unwrap();
    let fx = Fx { sb, project, web };
    fx.role(
        "acme-apps-plan",
        exact(&[sub("web", "plan"), sub("api", "plan")]),
    )
    .await;
    fx.role(
        "acme-apps-apply",
        exact(&[sub("web", "apply"), sub("api", "apply")]),
    )
    .await;
    for role in ["acme-apps-plan", "acme-apps-apply"] {
        let policy = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        fx.sb.iam.attach_policy(role, policy).await.unwrap();
    }
    for ws in [&fx.web, &api] {
        fx.var(ws, "TFC_AWS_PROVIDER_AUTH", "true");
        fx.var(ws, "TFC_AWS_PLAN_ROLE_ARN", PLAN_ROLE);
        fx.var(ws, "TFC_AWS_APPLY_ROLE_ARN", APPLY_ROLE);
    }
    fx
}

fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.id.code()).collect()
}

#[tokio::test]
async fn a_clean_organization_reports_nothing() {
    let fx = clean().await;
    assert_eq!(fx.findings().await, vec![]);
}

#[tokio::test]
async fn tfcoidc001_no_sub_condition() {
    let fx = clean().await;
    fx.role(
        "open",
        trust(json!({"StringEquals":{"app.terraform.io:aud":AUD}})),
    )
    .await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC001"]);
    assert_eq!(f[0].severity, Severity::Critical);
    assert_eq!(f[0].resource, "arn:aws:iam::123456789012:role/open");
    assert_eq!(f[0].statement, Some(0));
}

/// `broad_trust`'s rule (the stricter one): a `sub` tested only by operators that restrict
/// nothing (IfExists, negated) is no `sub` condition.
#[tokio::test]
async fn tfcoidc001_when_sub_conditions_restrict_nothing() {
    let fx = clean().await;
    fx.role(
        "if-exists",
        trust(json!({"StringEquals":{"app.terraform.io:aud":AUD},
            "StringLikeIfExists":{"app.terraform.io:sub":sub("web", "plan")}})),
    )
    .await;
    fx.role(
        "negated",
        trust(json!({"StringEquals":{"app.terraform.io:aud":AUD},
            "StringNotLike":{"app.terraform.io:sub":"organization:evil:*"}})),
    )
    .await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC001", "TFCOIDC001"]);
    assert!(f[0].detail.contains("restrict nothing"), "{}", f[0].detail);
}

#[tokio::test]
async fn tfcoidc002_wildcard_organization() {
    let fx = clean().await;
    let p = "organization:*:project:apps:workspace:web:run_phase:apply".to_string();
    fx.role("any-org", exact(&[p])).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC002"]);
    assert!(
        f[0].detail.contains("organization:*:project:apps"),
        "{}",
        f[0].detail
    );
}

#[tokio::test]
async fn tfcoidc003_no_audience_or_one_the_provider_lacks() {
    let fx = clean().await;
    let only_sub = json!({"StringLike":{"app.terraform.io:sub":sub("web", "apply")}});
    fx.role("no-aud", trust(only_sub)).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC003"]);
    assert!(f[0].detail.contains("no condition on app.terraform.io:aud"));

    let fx = clean().await;
    let wrong = json!({"StringEquals":{"app.terraform.io:aud":"sts.amazonaws.com"},
        "StringLike":{"app.terraform.io:sub":sub("web", "apply")}});
    fx.role("wrong-aud", trust(wrong)).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC003"]);
    assert!(f[0].detail.contains("sts.amazonaws.com"), "{}", f[0].detail);
}

#[tokio::test]
async fn tfcoidc004_static_keys_on_a_workspace_and_through_a_set() {
    let fx = clean().await;
    let legacy = fx.workspace("legacy");
    fx.var(&legacy, "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE0000042");
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC004"]);
    assert_eq!(f[0].resource, "acme/legacy");
    assert!(f[0].detail.contains("AKIA…0042") && !f[0].detail.contains("AKIAEXAMPLE"));

    let fx = clean().await;
    let batch = fx.workspace("batch");
    let set = NewVariableSet {
        name: "ci-keys".into(),
        description: String::new(),
    };
    let set = fx.sb.tfc.add_variable_set("acme", &set, false).unwrap();
    let secret = NewVariable {
        sensitive: true,
        ..env("AWS_SECRET_ACCESS_KEY", "s3cr3t")
    };
    fx.sb
        .tfc
        .add_variable_set_variable(&set.id, &secret)
        .unwrap();
    fx.sb
        .tfc
        .attach_variable_set(&set.id, &[batch], &[])
        .unwrap();
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC004"]);
    assert_eq!(f[0].resource, "ci-keys");
    assert!(matches!(f[0].resource_ref, ResourceRef::VariableSet { .. }));
    assert!(f[0].detail.contains("1 workspace: batch") && !f[0].detail.contains("s3cr3t"));
}

#[tokio::test]
async fn tfcoidc005_keys_beside_provider_auth() {
    let fx = clean().await;
    fx.var(&fx.web, "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE0000042");
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC004", "TFCOIDC005"]);
    assert_eq!(f[1].resource, "acme/web");
}

#[tokio::test]
async fn tfcoidc006_provider_auth_without_a_role() {
    let fx = clean().await;
    let dns = fx.workspace("dns");
    fx.var(&dns, "TFC_AWS_PROVIDER_AUTH", "true");
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC006"]);
    assert!(
        f[0].detail.contains("no TFC_AWS_RUN_ROLE_ARN"),
        "{}",
        f[0].detail
    );
    assert!(f[0].fix.contains("--workspace dns"));
}

#[tokio::test]
async fn tfcoidc007_names_the_failing_condition_or_the_missing_role() {
    let fx = clean().await;
    let batch = fx.workspace("batch");
    fx.var(&batch, "TFC_AWS_PROVIDER_AUTH", "true");
    fx.var(&batch, "TFC_AWS_PLAN_ROLE_ARN", PLAN_ROLE);
    fx.var(&batch, "TFC_AWS_APPLY_ROLE_ARN", APPLY_ROLE);
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC007", "TFCOIDC007"]);
    let apply = f.iter().find(|f| f.detail.contains("apply runs")).unwrap();
    assert!(
        apply.detail.contains(
            "deny: StringLike app.terraform.io:sub does not match organization:acme:project:apps:workspace:batch:run_phase:apply"
        ),
        "{}",
        apply.detail
    );
    assert_eq!(apply.statement, Some(0));

    let fx = clean().await;
    let gone = "arn:aws:iam::123456789012:role/deleted";
    let batch = fx.workspace("batch");
    fx.var(&batch, "TFC_AWS_PROVIDER_AUTH", "true");
    fx.var(&batch, "TFC_AWS_RUN_ROLE_ARN", gone);
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC007"]);
    assert!(
        f[0].detail.contains("plan and apply runs are refused"),
        "{}",
        f[0].detail
    );
    assert!(
        f[0].detail.contains("role deleted does not exist"),
        "{}",
        f[0].detail
    );
}

#[tokio::test]
async fn tfcoidc008_string_equals_with_a_wildcard() {
    let fx = clean().await;
    let cond = json!({"StringEquals":{"app.terraform.io:aud":AUD,
        "app.terraform.io:sub":"organization:acme:project:apps:workspace:*:run_phase:plan"}});
    fx.role("literal", trust(cond)).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC008"]);
    assert!(f[0].detail.contains("never matches"));
}

#[tokio::test]
async fn tfcoidc009_a_subject_for_a_project_or_workspace_that_is_gone() {
    let fx = clean().await;
    let old = "organization:acme:project:apps-old:workspace:web:run_phase:plan".to_string();
    let gone = sub("retired", "plan");
    let elsewhere = "organization:acme:project:other:workspace:x:run_phase:plan".to_string();
    fx.role("stale", exact(&[old, gone, elsewhere])).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC009"; 3]);
    let details: Vec<&str> = f.iter().map(|f| f.detail.as_str()).collect();
    assert!(
        details.iter().any(|d| d.contains("no project apps-old")),
        "{details:?}"
    );
    assert!(details
        .iter()
        .any(|d| d.contains("project apps has no workspace retired")));
    // Scoped to project apps, workspaces of project other are not known: no claim about them.
    let f = fx.findings_in(Some("apps")).await;
    assert_eq!(ids(&f), ["TFCOIDC009"; 2]);
}

#[tokio::test]
async fn tfcoidc010_admin_on_a_role_trusted_for_plans() {
    let fx = clean().await;
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    fx.sb
        .iam
        .attach_policy("acme-apps-plan", admin)
        .await
        .unwrap();
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC010"]);
    assert_eq!(f[0].resource, PLAN_ROLE);
    assert!(f[0]
        .detail
        .contains("more than one workspace and plan runs"));
    // Action * on Resource * inline counts too; one workspace's apply role alone does not.
    let fx = clean().await;
    fx.role("web-apply", exact(&[sub("web", "apply")])).await;
    let star =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    fx.sb
        .iam
        .put_inline_policy("web-apply", "all", star)
        .await
        .unwrap();
    assert_eq!(fx.findings().await, vec![]);
    fx.sb
        .iam
        .put_inline_policy("acme-apps-apply", "all", star)
        .await
        .unwrap();
    assert_eq!(ids(&fx.findings().await), ["TFCOIDC010"]);
}

#[tokio::test]
async fn tfcoidc011_role_arn_in_a_global_set() {
    let fx = clean().await;
    let set = NewVariableSet {
        name: "everyone".into(),
        description: String::new(),
    };
    let set = fx.sb.tfc.add_variable_set("acme", &set, true).unwrap();
    let v = env("TFC_AWS_RUN_ROLE_ARN", APPLY_ROLE);
    fx.sb.tfc.add_variable_set_variable(&set.id, &v).unwrap();
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC011"]);
    assert_eq!(f[0].resource, "everyone");
}

#[tokio::test]
async fn tfcoidc012_one_role_for_both_phases() {
    let fx = clean().await;
    fx.role("both", exact(&[sub("web", "*")])).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC012"]);
    assert_eq!(f[0].severity, Severity::Low);
}

#[tokio::test]
async fn tfcoidc013_unused_roles() {
    let fx = clean().await;
    fx.sb
        .iam
        .set_role_created("acme-apps-plan", "2020-01-01T00:00:00Z")
        .unwrap();
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC013"]);
    assert!(f[0]
        .detail
        .starts_with("never used since it was created on 2020-01-01"));
    let iam = &fx.sb.iam;
    iam.set_role_last_used("acme-apps-plan", Some("2021-06-30T10:00:00Z"))
        .unwrap();
    let f = fx.findings().await;
    assert!(
        f[0].detail.starts_with("last used on 2021-06-30"),
        "{}",
        f[0].detail
    );
    let recent = time::OffsetDateTime::now_utc() - time::Duration::days(3);
    let recent = recent
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    iam.set_role_last_used("acme-apps-plan", Some(&recent))
        .unwrap();
    assert_eq!(fx.findings().await, vec![]);
}

#[tokio::test]
async fn tfcoidc014_half_set_tagged_configurations() {
    let fx = clean().await;
    fx.var(&fx.web, "TFC_AWS_RUN_ROLE_ARN_PROD", APPLY_ROLE);
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC014"]);
    assert!(
        f[0].detail
            .contains("TFC_AWS_PROVIDER_AUTH_PROD is not true"),
        "{}",
        f[0].detail
    );

    let fx = clean().await;
    fx.var(&fx.web, "TFC_AWS_PROVIDER_AUTH_PROD", "true");
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC014"]);
    assert!(
        f[0].detail.contains("no TFC_AWS_RUN_ROLE_ARN_PROD"),
        "{}",
        f[0].detail
    );
}

#[tokio::test]
async fn findings_are_ordered_by_severity_id_and_resource() {
    let fx = clean().await;
    fx.role(
        "open",
        trust(json!({"StringEquals":{"app.terraform.io:aud":AUD}})),
    )
    .await;
    fx.role("both", exact(&[sub("web", "*")])).await;
    let dns = fx.workspace("dns");
    fx.var(&dns, "TFC_AWS_PROVIDER_AUTH", "true");
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC001", "TFCOIDC006", "TFCOIDC012"]);
    assert!(fails_at(&f, Severity::Critical));
    let only_low = &f[2..];
    assert!(!fails_at(only_low, Severity::Medium) && fails_at(only_low, Severity::Low));
}

/// Stack subjects (TFCOIDC009) and CloudTrail activity (TFCOIDC015/016).
mod stacks_activity;

/// Customer-managed policies and TFCOIDC010.
mod managed_policies;

/// The commands findings suggest (`--hostname`, shell words).
mod commands;

/// Conditions on claims IAM does not evaluate (TFCOIDC017).
mod unevaluated_claims;
