//! `review` with Stacks and CloudTrail, and `explain --stack`, end to end: moto's IAM, the fake
//! API with a Stack (`FakeTfc::add_stack`) and the CloudTrail stand-in (`FakeCloudTrail`, since
//! moto lacks `LookupEvents` — against moto itself the read fails and the review goes on).

use fake_tfc::FakeCloudTrail;
use serde_json::Value;
use std::process::Output;

use crate::activity::record;
use crate::review::{ids_for, role_arn, trusting_role};
use crate::support::{assert_success, json, text, Env};

fn stack_sub(stack: &str, deployment: &str, operation: &str) -> String {
    format!("organization:acme:project:platform:stack:{stack}:deployment:{deployment}:operation:{operation}")
}

fn ws_sub(project: &str, workspace: &str, phase: &str) -> String {
    format!("organization:acme:project:{project}:workspace:{workspace}:run_phase:{phase}")
}

fn review(env: &Env, trail: Option<&FakeCloudTrail>, extra: &[&str]) -> Output {
    let mut args = vec!["review", "--org", "acme", "--format", "json"];
    args.extend_from_slice(extra);
    let mut cmd = env.cmd(&args);
    if let Some(trail) = trail {
        cmd.env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url());
    }
    cmd.output().expect("run tfc-oidc")
}

fn details<'a>(doc: &'a Value, id: &str) -> Vec<&'a str> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .map(|f| f["detail"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn review_judges_stack_subjects_and_reads_cloudtrail() {
    let Some(env) = Env::new("e2e-rplus") else {
        return;
    };
    let host = env.host().to_string();
    env.fake
        .add_stack("acme", "platform", "net", &["staging", "production"])
        .expect("project platform");
    // The provider and a role trusting workspace edge (both phases).
    let edge = "e2e-rplus-edge";
    assert_success(&env.setup(edge, &["--workspace", "edge", "--no-policy", "--yes"]));
    let stacks = "e2e-rplus-stacks";
    let aud = format!("{host}:aud");
    let sub = format!("{host}:sub");
    let patterns = [
        stack_sub("net", "staging", "plan"),
        stack_sub("net", "qa", "plan"),
        stack_sub("old-net", "*", "plan"),
    ];
    trusting_role(
        &env,
        stacks,
        serde_json::json!({"StringEquals":{aud:"aws.workload.identity"},"StringLike":{sub:patterns}}),
    )
    .await;
    let refused = |hours, phase| {
        record(
            hours,
            &host,
            &ws_sub("Default Project", "sandbox", phase),
            edge,
            "terraform-run-S4ndb0x0000000PL",
            true,
        )
    };
    let trail = FakeCloudTrail::start(
        vec![
            refused(2, "plan"),
            refused(5, "plan"),
            record(
                3,
                &host,
                &stack_sub("net", "staging", "plan"),
                stacks,
                "terraform-run-St4ck000000000PL",
                false,
            ),
        ],
        2,
    );

    let out = review(&env, Some(&trail), &["--fail-on", "never"]);
    assert_success(&out);
    let doc = json(&out);
    let stale = details(&doc, "TFCOIDC009");
    assert_eq!(stale.len(), 2, "{doc:#}");
    assert!(stale
        .iter()
        .any(|d| d.contains("Stack net has no deployment qa (deployments: staging, production)")));
    assert!(stale
        .iter()
        .any(|d| d.contains("project platform has no Stack old-net")));
    assert_eq!(
        ids_for(&doc, &role_arn(edge)),
        ["TFCOIDC012", "TFCOIDC015"],
        "edge is trusted but its runs never assumed the role"
    );
    let unused = details(&doc, "TFCOIDC015");
    assert_eq!(
        unused.len(),
        1,
        "the Stack role was seen; only edge is unused"
    );
    assert!(unused[0].contains("(workspace acme/edge)"), "{}", unused[0]);
    assert_eq!(ids_for(&doc, "acme/sandbox"), ["TFCOIDC016"]);
    let sandbox = details(&doc, "TFCOIDC016")[0];
    assert!(
        sandbox.starts_with("2 refused AssumeRoleWithWebIdentity calls"),
        "{sandbox}"
    );
    assert!(sandbox.contains(&format!("AccessDenied for role {edge}, plan phase")));
    let summary = &doc["summary"];
    assert_eq!(summary["activity_read"], true);
    assert_eq!(summary["activity_events"], 3);
    assert!(!trail.requests().is_empty());

    // --fail-on high (the default) fails on TFCOIDC016; text shows CloudTrail in the summary.
    let mut cmd = env.cmd(&["review", "--org", "acme"]);
    cmd.env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url());
    let failed = cmd.output().unwrap();
    assert_eq!(failed.status.code(), Some(1));
    let shown = text(&failed.stdout);
    assert!(
        shown.contains("TFCOIDC016  workspace acme/sandbox"),
        "{shown}"
    );
    let last = shown.lines().last().unwrap();
    // The guardrail's coverage follows (what moto's shared organization holds varies).
    assert!(
        last.contains("; CloudTrail: 3 events of the last 90 days; guardrail: "),
        "{last}"
    );

    // --no-activity: no CloudTrail call, no activity findings.
    let before = trail.requests().len();
    let skipped = json(&review(
        &env,
        Some(&trail),
        &["--no-activity", "--fail-on", "never"],
    ));
    assert_eq!(trail.requests().len(), before);
    assert!(details(&skipped, "TFCOIDC015").is_empty());
    assert!(details(&skipped, "TFCOIDC016").is_empty());
    assert_eq!(skipped["summary"]["activity_read"], false);
    assert_eq!(
        skipped["summary"]["activity_skipped_reason"],
        "--no-activity"
    );
    assert_eq!(details(&skipped, "TFCOIDC009").len(), 2);

    // CloudTrail failing (moto has no LookupEvents): the review goes on and says why.
    let moto = review(&env, None, &["--fail-on", "never"]);
    assert_success(&moto);
    let doc = json(&moto);
    assert_eq!(doc["summary"]["activity_read"], false);
    let reason = doc["summary"]["activity_skipped_reason"].as_str().unwrap();
    assert!(
        reason.starts_with("could not read CloudTrail's event history"),
        "{reason}"
    );
    assert_eq!(details(&doc, "TFCOIDC009").len(), 2);
}

#[tokio::test]
async fn explain_stack_allows_the_trusted_deployment_and_denies_the_rest() {
    let Some(env) = Env::new("e2e-rplus-explain") else {
        return;
    };
    let host = env.host().to_string();
    env.fake
        .add_stack("acme", "platform", "net", &["staging", "production"])
        .expect("project platform");
    let edge = "e2e-rplus-explain-edge";
    assert_success(&env.setup(edge, &["--workspace", "edge", "--no-policy", "--yes"]));
    let role = "e2e-rplus-explain-net";
    let aud = format!("{host}:aud");
    let sub = format!("{host}:sub");
    trusting_role(
        &env,
        role,
        serde_json::json!({"StringEquals":{aud:"aws.workload.identity"},"StringLike":{sub:stack_sub("net", "staging", "plan")}}),
    )
    .await;
    let arn = role_arn(role);
    let run = |deployment: &str, operation: &str, extra: &[&str]| {
        let mut args = vec![
            "explain",
            "--org",
            "acme",
            "--project",
            "platform",
            "--stack",
            "net",
            "--deployment",
            deployment,
            "--operation",
            operation,
            "--role-arn",
            &arn,
        ];
        args.extend_from_slice(extra);
        env.run(&args)
    };

    let allow = run("staging", "plan", &[]);
    assert_success(&allow);
    let shown = text(&allow.stdout);
    assert!(shown.starts_with("allow (statement 1)"), "{shown}");
    assert!(shown.contains(&format!("sub   {}", stack_sub("net", "staging", "plan"))));

    let deny = run("production", "apply", &[]);
    assert_eq!(deny.status.code(), Some(1));
    let expected = format!(
        "deny: StringLike {host}:sub does not match {} (patterns: {})",
        stack_sub("net", "production", "apply"),
        stack_sub("net", "staging", "plan")
    );
    assert_eq!(text(&deny.stdout).lines().next(), Some(expected.as_str()));

    let json_allow = json(&run("staging", "plan", &["--format", "json"]));
    assert_eq!(json_allow["result"], "allow");
    assert_eq!(json_allow["stack"], "acme/net");
    assert_eq!(
        json_allow["claims"]["sub"],
        stack_sub("net", "staging", "plan")
    );
    let json_deny_out = run("staging", "apply", &["--format", "json"]);
    assert_eq!(json_deny_out.status.code(), Some(1));
    let json_deny = json(&json_deny_out);
    assert_eq!(json_deny["result"], "deny");
    assert_eq!(json_deny["statement"], 1);

    // --phase is accepted for a Stack too; a Stack that does not exist is one line, exit 1.
    let missing = env.run(&[
        "explain",
        "--org",
        "acme",
        "--project",
        "platform",
        "--stack",
        "old-net",
        "--deployment",
        "staging",
        "--phase",
        "plan",
        "--role-arn",
        &arn,
    ]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "an unknown Stack is a usage error"
    );
    let err = text(&missing.stderr);
    assert_eq!(
        err.trim_end(),
        "error: Stack 'old-net' not found in project 'platform' of organization 'acme' (Stacks there: net)"
    );
    // --stack needs --role-arn and excludes --workspace: usage errors (exit 2).
    let no_role = env.run(&[
        "explain",
        "--org",
        "acme",
        "--project",
        "platform",
        "--stack",
        "net",
        "--deployment",
        "staging",
        "--operation",
        "plan",
    ]);
    assert_eq!(no_role.status.code(), Some(2));
    let both = env.run(&[
        "explain",
        "--org",
        "acme",
        "--project",
        "platform",
        "--stack",
        "net",
        "--workspace",
        "edge",
        "--deployment",
        "staging",
        "--operation",
        "plan",
        "--role-arn",
        &arn,
    ]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn demo_review_shows_the_refused_workspace_from_the_sandbox_trail() {
    let home = tempfile::tempdir().unwrap();
    let out = crate::review::demo(
        home.path(),
        &["review", "--org", "acme-corp", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(ids_for(&doc, "acme-corp/etl"), ["TFCOIDC016"]);
    assert_eq!(doc["summary"]["activity_read"], true);
    let sarif = crate::review::demo(
        home.path(),
        &["review", "--org", "acme-corp", "--format", "sarif"],
    );
    let log: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == "TFCOIDC015"));
    assert!(log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ruleId"] == "TFCOIDC016"));
}
