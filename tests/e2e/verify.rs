//! `verify` against moto and the fake HCP Terraform: a set-up workspace authenticates; each AWS
//! error of the log (JSON lines and plain text) is explained with the variables and the trust
//! evaluator; a workspace without a configuration version queues nothing; a run that never leaves
//! the queue ends at `--timeout` with the run URL; the plan log is read without the API token.

use fake_tfc::{LogFormat, RunOutcome};
use serde_json::Value;
use std::process::Output;

use crate::support::{assert_success, json, text, Env};

/// `verify --org acme --workspace WS --yes --format json` with a fast poll.
fn verify(env: &Env, ws: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "verify",
        "--org",
        "acme",
        "--workspace",
        ws,
        "--yes",
        "--format",
        "json",
        "--poll-interval",
        "20ms",
    ];
    args.extend_from_slice(extra);
    env.run(&args)
}

/// Sets up `network` with role `role` (no permissions) and returns the role ARN.
fn set_up(env: &Env, role: &str) -> String {
    let out = env.setup(
        role,
        &[
            "--workspace",
            "network",
            "--no-policy",
            "--yes",
            "--format",
            "json",
        ],
    );
    assert_success(&out);
    json(&out)["roles"][0]["arn"].as_str().unwrap().to_string()
}

fn cause(doc: &Value) -> (&str, &str) {
    (
        doc["cause"]["code"].as_str().unwrap_or_default(),
        doc["cause"]["summary"].as_str().unwrap_or_default(),
    )
}

fn details(doc: &Value) -> String {
    doc["cause"]["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// No request to the archive carried a token, and at least one was made.
#[track_caller]
fn assert_log_read_without_token(env: &Env) {
    let archive: Vec<_> = env
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/_archivist/"))
        .collect();
    assert!(!archive.is_empty(), "the plan log was not read");
    assert!(archive.iter().all(|r| !r.authorization), "{archive:?}");
    assert_eq!(env.fake.archive_requests_with_authorization(), 0);
}

#[test]
fn a_set_up_workspace_authenticates() {
    let Some(env) = Env::new("e2e-verify-ok") else {
        return;
    };
    let arn = set_up(&env, "e2e-verify-ok-role");
    let out = verify(&env, "network", &[]);
    assert_success(&out);
    let doc = json(&out);
    assert_eq!(doc["authenticated"], true, "{doc:#}");
    assert_eq!(doc["status"], "planned_and_finished");
    assert_eq!(doc["role_arn"], arn.as_str());
    assert_eq!(doc["phase"], "plan");
    assert!(doc["cause"].is_null());
    let run = doc["run_id"].as_str().unwrap();
    assert_eq!(
        doc["url"],
        format!("https://e2e-verify-ok.tfc.test/app/acme/workspaces/network/runs/{run}")
    );
    assert!(env.fake.runs()[0].2, "the run is plan-only");
    let progress = text(&out.stderr);
    assert!(
        progress.contains("plan-only run can never be applied"),
        "{progress}"
    );
    assert!(
        progress.contains("plan_queued") && progress.contains("planning"),
        "{progress}"
    );
    assert_log_read_without_token(&env);

    // The same in text, plain log.
    env.fake
        .script_run("acme", "network", RunOutcome::Succeed, LogFormat::Plain);
    let out = env.run(&[
        "verify",
        "--org",
        "acme",
        "--workspace",
        "network",
        "--yes",
        "--poll-interval",
        "20ms",
    ]);
    assert_success(&out);
    let report = text(&out.stdout);
    assert!(
        report.contains("Authenticated: the plan phase assumed"),
        "{report}"
    );
    assert!(report.contains(&arn), "{report}");
}

#[test]
fn access_denied_names_the_failing_trust_condition() {
    let Some(env) = Env::new("e2e-verify-denied") else {
        return;
    };
    let arn = set_up(&env, "e2e-verify-denied-role");
    // `edge` points at the role, which trusts only `network`.
    env.fake
        .set_variable("acme", "edge", "TFC_AWS_PROVIDER_AUTH", "true", "env");
    env.fake
        .set_variable("acme", "edge", "TFC_AWS_RUN_ROLE_ARN", &arn, "env");
    for format in [LogFormat::JsonLines, LogFormat::Plain] {
        env.fake
            .script_run("acme", "edge", RunOutcome::AccessDenied, format);
        let out = verify(&env, "edge", &[]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let doc = json(&out);
        assert_eq!(doc["authenticated"], false);
        assert_eq!(doc["status"], "errored");
        assert_eq!(cause(&doc).0, "trust_policy", "{doc:#}");
        let d = details(&doc);
        assert!(
            d.contains(
                "does not match organization:acme:project:platform:workspace:edge:run_phase:plan"
            ),
            "{d}"
        );
        assert!(
            d.contains("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
            "{d}"
        );
        assert_eq!(doc["aws_errors"][0]["code"], "AccessDenied");
        assert!(text(&out.stderr).contains("error: workspace edge did not authenticate"));
    }
    assert_log_read_without_token(&env);
}

#[test]
fn no_oidc_provider_and_a_missing_role() {
    let Some(env) = Env::new("e2e-verify-noprovider") else {
        return;
    };
    let role = "arn:aws:iam::123456789012:role/e2e-verify-noprovider-absent";
    env.fake
        .set_variable("acme", "dns", "TFC_AWS_PROVIDER_AUTH", "true", "env");
    env.fake
        .set_variable("acme", "dns", "TFC_AWS_RUN_ROLE_ARN", role, "env");
    env.fake.script_run(
        "acme",
        "dns",
        RunOutcome::NoOidcProvider {
            issuer: "https://e2e-verify-noprovider.tfc.test".into(),
        },
        LogFormat::JsonLines,
    );
    let out = verify(&env, "dns", &[]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(cause(&doc).0, "oidc_provider_missing", "{doc:#}");
    assert!(cause(&doc)
        .1
        .contains("https://e2e-verify-noprovider.tfc.test"));
    let codes: Vec<&str> = doc["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert!(codes.contains(&"role_missing"), "{codes:?}");
    assert_eq!(doc["aws_errors"][0]["code"], "InvalidIdentityToken");
}

#[test]
fn a_wrong_audience_in_plain_text() {
    let Some(env) = Env::new("e2e-verify-aud") else {
        return;
    };
    set_up(&env, "e2e-verify-aud-role");
    env.fake.set_variable(
        "acme",
        "network",
        "TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE",
        "not.the.audience",
        "env",
    );
    env.fake.script_run(
        "acme",
        "network",
        RunOutcome::IncorrectAudience,
        LogFormat::Plain,
    );
    let out = verify(&env, "network", &[]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["log_format"], "plain");
    assert_eq!(cause(&doc).0, "audience_mismatch", "{doc:#}");
    assert!(cause(&doc).1.contains("not.the.audience"));
    let d = details(&doc);
    assert!(
        d.contains("aws.workload.identity"),
        "the provider's client IDs are named: {d}"
    );
    assert!(d.contains("TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE"), "{d}");
}

#[test]
fn missing_and_misspelled_variables() {
    let Some(env) = Env::new("e2e-verify-vars") else {
        return;
    };
    env.fake.set_variable(
        "acme",
        "sandbox",
        "TFC_AWS_RUN_ROLE_ARM",
        "arn:aws:iam::123456789012:role/x",
        "env",
    );
    env.fake.script_run(
        "acme",
        "sandbox",
        RunOutcome::NoCredentials,
        LogFormat::JsonLines,
    );
    let out = verify(&env, "sandbox", &[]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let summaries: Vec<&str> = doc["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["summary"].as_str())
        .collect();
    assert!(
        summaries[0].contains("TFC_AWS_PROVIDER_AUTH is not set"),
        "{summaries:?}"
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("\"TFC_AWS_RUN_ROLE_ARM\"") && s.contains("TFC_AWS_RUN_ROLE_ARN")),
        "{summaries:?}"
    );
    assert!(
        summaries.iter().any(|s| s.contains("found no credentials")),
        "{summaries:?}"
    );
}

#[test]
fn no_configuration_version_queues_nothing() {
    let Some(env) = Env::new("e2e-verify-nocv") else {
        return;
    };
    let out = verify(&env, "warehouse", &[]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert!(doc["run_id"].is_null());
    assert_eq!(cause(&doc).0, "no_configuration_version");
    assert!(text(&out.stderr).contains("has no configuration version"));
    assert!(env.fake.runs().is_empty());
    assert_eq!(env.fake.write_count(), 0);
}

#[test]
fn a_run_that_never_leaves_the_queue_times_out_with_its_url() {
    let Some(env) = Env::new("e2e-verify-queue") else {
        return;
    };
    env.fake.script_run(
        "acme",
        "network",
        RunOutcome::NeverLeavesQueue,
        LogFormat::JsonLines,
    );
    let out = verify(&env, "network", &["--timeout", "1s"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["timed_out"], true);
    assert_eq!(doc["status"], "plan_queued");
    assert_eq!(cause(&doc).0, "timed_out");
    assert!(cause(&doc).1.contains("gave up after 1s"));
    let url = doc["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://e2e-verify-queue.tfc.test/app/acme/workspaces/network/runs/run-")
    );
    assert!(text(&out.stderr).contains(url));
}

#[test]
fn without_a_terminal_and_without_yes_it_refuses() {
    let Some(env) = Env::new("e2e-verify-refuse") else {
        return;
    };
    let out = env.run(&["verify", "--org", "acme", "--workspace", "network"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("without --yes"));
    assert!(env.fake.runs().is_empty());
}
