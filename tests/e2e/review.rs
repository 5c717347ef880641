//! `review` and `explain` end to end: findings seeded in moto and the fake API, the exit codes
//! of `--fail-on`, explain's allow and deny, HCP Terraform only without AWS credentials, and the
//! SARIF output checked against the SARIF 2.1.0 JSON schema (the copy `serde-sarif` ships).

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use tfc_oidc::core::ports::{Iam, IamError, NewRole, NewVariable, Tfc, VariableCategory};
use tfc_oidc::tfc::{ApiToken, Endpoint, TfcClient};

use crate::support::{assert_success, iam, json, text, Env};

const ACCOUNT: &str = "123456789012";

pub(crate) fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// The HCP Terraform client the binary uses, pointed at the fake.
fn tfc(env: &Env) -> TfcClient {
    let endpoint = Endpoint::resolve(Some(env.host()), Some(&env.fake.base_url()), &|_| None)
        .expect("endpoint");
    let token = ApiToken::new(env.fake.token()).expect("token");
    TfcClient::new(endpoint, token, TfcClient::http_client().expect("http"))
}

async fn set_env_var(env: &Env, workspace: &str, key: &str, value: &str) {
    let id = env.fake.workspace_id("acme", workspace).expect("workspace");
    let var = NewVariable {
        key: key.into(),
        value: value.into(),
        description: String::new(),
        category: VariableCategory::Env,
        sensitive: false,
    };
    tfc(env).create_workspace_variable(&id, &var).await.unwrap();
}

/// A role trusting the env's provider with `condition`.
pub(crate) async fn trusting_role(env: &Env, name: &str, condition: Value) {
    let provider = format!("arn:aws:iam::{ACCOUNT}:oidc-provider/{}", env.host());
    let trust = serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Federated":provider},"Action":"sts:AssumeRoleWithWebIdentity","Condition":condition}]});
    put_role(name, &trust.to_string()).await;
}

/// Creates the role, or sets its trust policy when a rerun on the same moto finds it.
async fn put_role(name: &str, trust: &str) {
    let role = NewRole {
        name: name.into(),
        trust_policy: trust.into(),
        description: String::new(),
        tags: vec![],
        permissions_boundary: None,
    };
    let iam = iam().await;
    match iam.create_role(&role).await {
        Err(IamError::AlreadyExists(_)) => iam.update_trust_policy(name, trust).await.unwrap(),
        other => drop(other.unwrap()),
    }
}

pub(crate) fn ids_for<'a>(doc: &'a Value, resource: &str) -> Vec<&'a str> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"] == resource)
        .map(|f| f["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn review_finds_what_was_seeded_and_exits_by_fail_on() {
    let Some(env) = Env::new("e2e-review") else {
        return;
    };
    let role = "e2e-review-edge";
    assert_success(&env.setup(role, &["--workspace", "edge", "--no-policy", "--yes"]));
    let aud = format!("{}:aud", env.host());
    trusting_role(
        &env,
        "e2e-review-open",
        serde_json::json!({"StringEquals":{aud:"aws.workload.identity"}}),
    )
    .await;
    // `sandbox` names the edge role, which trusts only `edge`.
    set_env_var(&env, "sandbox", "TFC_AWS_PROVIDER_AUTH", "true").await;
    set_env_var(&env, "sandbox", "TFC_AWS_RUN_ROLE_ARN", &role_arn(role)).await;

    let writes = env.fake.write_count();
    let out = env.run(&["review", "--org", "acme", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc = json(&out);
    assert_eq!(ids_for(&doc, &role_arn("e2e-review-open")), ["TFCOIDC001"]);
    assert_eq!(ids_for(&doc, "acme/network"), ["TFCOIDC004"]);
    assert_eq!(ids_for(&doc, "legacy-aws-keys"), ["TFCOIDC004"]);
    assert_eq!(ids_for(&doc, "acme/sandbox"), ["TFCOIDC007"]);
    assert_eq!(ids_for(&doc, &role_arn(role)), ["TFCOIDC012"]);
    let refused = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "TFCOIDC007")
        .unwrap();
    let expected = format!(
        "deny: StringLike {}:sub does not match organization:acme:project:Default Project:workspace:sandbox:run_phase:plan",
        env.host()
    );
    assert!(
        refused["detail"].as_str().unwrap().contains(&expected),
        "{refused}"
    );
    assert_eq!(refused["statement"], 1, "statements are counted from 1");
    let summary = &doc["summary"];
    assert_eq!(summary["critical"], 1);
    assert_eq!(summary["workspaces"], 5);
    assert_eq!(
        summary["roles"], 2,
        "only roles trusting this test's issuer"
    );
    assert_eq!(summary["aws_read"], true);

    let never = env.run(&["review", "--org", "acme", "--fail-on", "never"]);
    assert_success(&never);
    let shown = text(&never.stdout);
    assert!(
        shown.contains("CRITICAL (1)") && shown.contains("TFCOIDC001"),
        "{shown}"
    );
    assert!(
        shown.contains("read 5 workspaces, 1 variable set, 2 roles"),
        "{shown}"
    );
    let critical = env.run(&["review", "--org", "acme", "--fail-on", "critical"]);
    assert_eq!(critical.status.code(), Some(1));
    assert!(critical.stderr.is_empty(), "findings are not an error line");

    // Only project platform: sandbox's finding is out of scope, the open role is not.
    let scoped = env.run(&[
        "review",
        "--org",
        "acme",
        "--project",
        "platform",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_success(&scoped);
    let doc = json(&scoped);
    assert!(ids_for(&doc, "acme/sandbox").is_empty());
    assert_eq!(doc["summary"]["workspaces"], 3);
    assert_eq!(env.fake.write_count(), writes, "review writes nothing");
}

#[tokio::test]
async fn explain_allows_the_trusted_workspace_and_names_the_failing_condition() {
    let Some(env) = Env::new("e2e-explain") else {
        return;
    };
    let role = "e2e-explain-edge";
    assert_success(&env.setup(role, &["--workspace", "edge", "--no-policy", "--yes"]));
    let base = ["explain", "--org", "acme", "--project", "platform"];
    let allow = env.run(&[&base[..], &["--workspace", "edge", "--phase", "apply"]].concat());
    assert_success(&allow);
    let shown = text(&allow.stdout);
    let arn = role_arn(role);
    let verdict = format!("allow (statement 1): role {arn} admits apply runs of acme/edge");
    assert_eq!(shown.lines().next(), Some(verdict.as_str()), "{shown}");
    assert!(
        shown.contains("sub   organization:acme:project:platform:workspace:edge:run_phase:apply")
    );
    assert!(shown.contains("aud   aws.workload.identity"));

    let deny = env.run(
        &[
            &base[..],
            &[
                "--workspace",
                "network",
                "--phase",
                "plan",
                "--role-arn",
                &arn,
            ],
        ]
        .concat(),
    );
    assert_eq!(deny.status.code(), Some(1));
    let expected = format!(
        "deny: StringLike {}:sub does not match organization:acme:project:platform:workspace:network:run_phase:plan (patterns: organization:acme:project:platform:workspace:edge:run_phase:*)",
        env.host()
    );
    assert_eq!(text(&deny.stdout).lines().next(), Some(expected.as_str()));

    let json_deny = env.run(
        &[
            &base[..],
            &[
                "--workspace",
                "network",
                "--phase",
                "apply",
                "--role-arn",
                &arn,
                "--format",
                "json",
            ],
        ]
        .concat(),
    );
    assert_eq!(json_deny.status.code(), Some(1));
    let doc = json(&json_deny);
    assert_eq!(doc["result"], "deny");
    assert_eq!(doc["claims"]["aud"], "aws.workload.identity");
    assert_eq!(doc["statement"], 1);

    // A workspace with no role variable: one line, exit 1.
    let none = env.run(&[&base[..], &["--workspace", "network", "--phase", "plan"]].concat());
    assert_eq!(none.status.code(), Some(1));
    let err = text(&none.stderr);
    assert!(
        err.starts_with("error: workspace acme/network has no plan role"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);

    // A role that exists but does not trust the provider, and one that does not exist.
    let ec2 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    put_role("e2e-explain-ec2", ec2).await;
    for (name, reason) in [
        (
            "e2e-explain-ec2",
            "deny: no statement allows sts:AssumeRoleWithWebIdentity",
        ),
        (
            "e2e-explain-missing",
            "deny: role e2e-explain-missing does not exist",
        ),
    ] {
        let out = env.run(
            &[
                &base[..],
                &[
                    "--workspace",
                    "edge",
                    "--phase",
                    "plan",
                    "--role-arn",
                    &role_arn(name),
                ],
            ]
            .concat(),
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stdout).starts_with(reason),
            "{}",
            text(&out.stdout)
        );
    }
}

#[tokio::test]
async fn without_aws_credentials_review_covers_hcp_terraform_and_says_so() {
    let Some(env) = Env::new("e2e-review-noaws") else {
        return;
    };
    let out = env
        .cmd(&["review", "--org", "acme", "--format", "json"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/nonexistent/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.starts_with("note: AWS was not read"), "{err}");
    let doc = json(&out);
    assert_eq!(doc["summary"]["aws_read"], false);
    assert_eq!(doc["summary"]["roles"], Value::Null);
    assert_eq!(ids_for(&doc, "acme/network"), ["TFCOIDC004"]);
}

pub(crate) fn demo(home: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tfc-oidc"))
        .arg("--demo")
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("TFE_TOKEN")
        .output()
        .unwrap()
}

#[test]
fn demo_review_shows_the_seeded_misconfigurations() {
    let home = tempfile::tempdir().unwrap();
    let out = demo(home.path(), &["review", "--org", "acme-corp"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stdout);
    for id in [
        "TFCOIDC001",
        "TFCOIDC002",
        "TFCOIDC004",
        "TFCOIDC006",
        "TFCOIDC007",
        "TFCOIDC014",
    ] {
        assert!(shown.contains(id), "{id} missing:\n{shown}");
    }
    assert!(shown
        .lines()
        .last()
        .unwrap()
        .contains("read 8 workspaces, 3 variable sets, 4 roles"));
    let low = demo(
        home.path(),
        &["review", "--org", "acme-corp", "--fail-on", "never"],
    );
    assert_success(&low);
}

/// The OASIS SARIF 2.1.0 schema, kept as a fixture (the copy `serde-sarif` 0.8 ships as
/// `src/schema.json`): the test needs no network and no `cargo metadata`, which would resolve
/// the crates of every platform and fail offline on a machine that only built for Linux.
fn sarif_schema() -> std::path::PathBuf {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sarif-2.1.0.schema.json");
    assert!(schema.exists(), "{}", schema.display());
    schema
}

const VALIDATE: &str = r#"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(sys.stdin)
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
errors = list(validator.iter_errors(doc))
for e in errors:
    print("/".join(str(p) for p in e.absolute_path), e.message)
print(f"{len(doc['runs'][0]['results'])} results, {len(errors)} errors")
sys.exit(1 if errors else 0)
"#;

#[test]
fn sarif_is_valid_sarif_2_1_0_that_github_accepts() {
    let home = tempfile::tempdir().unwrap();
    let out = demo(
        home.path(),
        &[
            "review",
            "--org",
            "acme-corp",
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ],
    );
    assert_success(&out);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();

    // What GitHub code scanning needs beyond the schema: a rule per id with help, and every
    // result located by an artifact URI (and a logical location naming the resource).
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 17);
    for r in rules {
        assert!(
            r["help"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("Fix:")),
            "{r}"
        );
        assert!(r["properties"]["security-severity"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 5);
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        let loc = &r["locations"][0];
        assert!(
            loc["physicalLocation"]["artifactLocation"]["uri"].is_string(),
            "{r}"
        );
        assert!(
            loc["logicalLocations"][0]["fullyQualifiedName"].is_string(),
            "{r}"
        );
        assert!(r["partialFingerprints"].is_object());
    }

    let Some(python) = std::env::var_os("TFC_OIDC_PYTHON") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but TFC_OIDC_PYTHON is not set: the SARIF schema check cannot run"
        );
        eprintln!("skipped the schema check: TFC_OIDC_PYTHON not set (run scripts/test)");
        return;
    };
    let mut child = Command::new(python)
        .args(["-c", VALIDATE])
        .arg(sarif_schema())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python");
    child.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let checked = child.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "{}{}",
        text(&checked.stdout),
        text(&checked.stderr)
    );
}
