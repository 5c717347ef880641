//! The built binary, run as a subprocess against moto (AWS) and the fake HCP Terraform API:
//! setup, dry run, second run, variable set target, split roles, failure and resume, undo, and
//! the errors a user meets first (bad token, unknown organization, plain http, no terminal).
//!
//! Each test uses its own issuer host (`--hostname`), so tests share one moto server without
//! sharing an OIDC provider; the fake's API address is given with `--api-url`.

use fake_tfc::{FakeTfc, Fault, Seed};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use tfc_oidc::core::ports::Iam;

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// moto's endpoint, or `None` (skip) when the suite runs without it.
fn moto() -> Option<String> {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("TFC_OIDC_REQUIRE_MOTO").as_deref() == Ok("1") => {
            panic!("TFC_OIDC_REQUIRE_MOTO=1 but AWS_ENDPOINT_URL is not set")
        }
        _ => {
            eprintln!("skipped: moto not running (run scripts/test)");
            None
        }
    }
}

struct Env {
    fake: FakeTfc,
    home: tempfile::TempDir,
    host: String,
}

impl Env {
    fn new(name: &str) -> Option<Env> {
        moto()?;
        Some(Env {
            fake: FakeTfc::start(Seed::example()),
            home: tempfile::tempdir().unwrap(),
            host: format!("{name}.tfc.test"),
        })
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tfc-oidc"));
        let home = self.home.path();
        c.args(["--hostname", &self.host, "--api-url", &self.fake.base_url()])
            .args(args)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("TFE_TOKEN", self.fake.token())
            .env_remove("TFE_HOSTNAME")
            .env_remove("TFE_ADDRESS")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run tfc-oidc")
    }

    fn setup(&self, role: &str, extra: &[&str]) -> Output {
        let mut args = vec![
            "setup",
            "--org",
            "acme",
            "--project",
            "platform",
            "--role-name",
            role,
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn env_vars(&self, ws: &str) -> Vec<(String, String)> {
        self.fake
            .workspace_variables("acme", ws)
            .iter()
            .map(|v| {
                (
                    v["key"].as_str().unwrap_or_default().to_string(),
                    v["value"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out.stdout)))
}

async fn iam() -> tfc_oidc::aws::IamClient {
    tfc_oidc::aws::IamClient::new(&tfc_oidc::aws::load_sdk_config(None, None).await)
}

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
    assert!(dry.status.success(), "{}", text(&dry.stderr));
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

    env.fake.clear_requests();
    let out = env.setup(
        role,
        &[
            "--workspace",
            "network",
            "--policy-arn",
            READ_ONLY,
            "--yes",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
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
    let again = env.setup(
        role,
        &[
            "--workspace",
            "network",
            "--policy-arn",
            READ_ONLY,
            "--yes",
            "--format",
            "json",
        ],
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(
        json(&again)["plan"].as_array().unwrap().len(),
        0,
        "second run plans nothing"
    );
    assert_eq!(env.fake.write_count(), writes);
}

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
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let sets = env.fake.variable_sets("acme");
    let set = sets
        .iter()
        .find(|s| s["name"] == "aws-oidc-e2e-varset-role")
        .expect("varset created");
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

#[tokio::test]
async fn failure_part_way_resumes_and_undo_reverts() {
    let Some(env) = Env::new("e2e-resume") else {
        return;
    };
    let role = "e2e-resume-role";
    let args = [
        "--workspace",
        "network",
        "--workspace",
        "edge",
        "--policy-arn",
        READ_ONLY,
        "--yes",
    ];
    env.fake.inject(Fault::FailWrite {
        path_contains: "/vars".into(),
        status: 500,
        count: 1,
    });
    let out = env.setup(role, &args);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("apply stopped part way") && err.contains("journal"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");

    let out = env.setup(role, &args);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    for ws in ["network", "edge"] {
        let keys: Vec<String> = env
            .env_vars(ws)
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with("TFC_"))
            .collect();
        assert_eq!(keys.len(), 2, "no duplicates on {ws}: {keys:?}");
    }

    let dry = env.run(&["undo", "--dry-run"]);
    assert!(
        text(&dry.stdout).contains("- delete role e2e-resume-role"),
        "{}",
        text(&dry.stdout)
    );
    let out = env.run(&["undo", "--yes"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(iam().await.get_role(role).await.unwrap().is_none());
    assert!(env
        .env_vars("network")
        .iter()
        .all(|(k, _)| !k.starts_with("TFC_")));
    let again = env.run(&["undo", "--yes"]);
    assert!(text(&again.stdout).contains("Nothing to undo"));
}

#[test]
fn wrong_token_is_one_clear_line() {
    let Some(env) = Env::new("e2e-token") else {
        return;
    };
    let out = env
        .cmd(&[
            "setup",
            "--org",
            "acme",
            "--project",
            "platform",
            "--workspace",
            "network",
            "--no-policy",
            "--dry-run",
        ])
        .env("TFE_TOKEN", "wrong.atlasv1.token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: HCP Terraform rejected the token for e2e-token.tfc.test (401): run 'terraform login e2e-token.tfc.test' or set TFE_TOKEN"
    );
    assert!(!text(&out.stderr).contains("wrong.atlasv1"));
}

#[test]
fn unknown_organization_and_workspace_are_named() {
    let Some(env) = Env::new("e2e-unknown") else {
        return;
    };
    let out = env.run(&[
        "setup",
        "--org",
        "nope",
        "--project",
        "platform",
        "--workspace",
        "network",
        "--no-policy",
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("organization 'nope'"),
        "{}",
        text(&out.stderr)
    );
    let out = env.run(&[
        "setup",
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        "ghost",
        "--no-policy",
        "--dry-run",
    ]);
    assert!(
        text(&out.stderr).contains("workspace 'ghost'"),
        "{}",
        text(&out.stderr)
    );
    let out = env.run(&[
        "setup",
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        "warehouse",
        "--no-policy",
        "--dry-run",
    ]);
    assert!(
        text(&out.stderr).contains("is in project 'data'"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bad_input_is_refused_before_any_call() {
    let Some(env) = Env::new("e2e-input") else {
        return;
    };
    let out = env
        .cmd(&[
            "setup",
            "--org",
            "acme",
            "--project",
            "platform",
            "--workspace",
            "network",
            "--no-policy",
            "--dry-run",
        ])
        .args(["--api-url", "http://example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("refusing plain http://"),
        "{}",
        text(&out.stderr)
    );
    let out = env.setup("bad role name", &["--workspace", "network", "--no-policy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("role name 'bad role name' is not valid"),
        "{}",
        text(&out.stderr)
    );
    let out = env.setup("ok-role", &["--workspace", "network"]);
    assert_eq!(out.status.code(), Some(2), "permissions are required");
    let out = env.setup("e2e-input-role", &["--workspace", "network", "--no-policy"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "no terminal and no --yes: {}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("--yes"));
    assert_eq!(env.fake.write_count(), 0);
}

#[test]
fn malformed_credentials_file_is_named() {
    let Some(env) = Env::new("e2e-creds") else {
        return;
    };
    let dir = env.home.path().join(".terraform.d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("credentials.tfrc.json"), "{ not json").unwrap();
    let out = env
        .cmd(&[
            "setup",
            "--org",
            "acme",
            "--project",
            "platform",
            "--workspace",
            "network",
            "--no-policy",
            "--dry-run",
        ])
        .env_remove("TFE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("credentials.tfrc.json") && err.contains("malformed"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
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
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("arn:aws:iam::123456789012:role/tfc-acme-corp-platform"));
    assert!(Path::new(&home.path().join("data/tfc-oidc/demo/sandbox.json")).exists());
}

#[test]
fn all_workspaces_varset_is_attached_to_the_project() {
    let Some(env) = Env::new("e2e-project") else {
        return;
    };
    let out = env.setup(
        "e2e-project-role",
        &[
            "--all-workspaces",
            "--no-policy",
            "--target",
            "varset",
            "--varset-name",
            "oidc-platform",
            "--yes",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
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
    let sets = env.fake.variable_sets("acme");
    let set = sets
        .iter()
        .find(|s| s["name"] == "oidc-platform")
        .expect("varset created");
    let project = env.fake.project_id("acme", "platform").unwrap();
    assert_eq!(set["project-ids"], serde_json::json!([project]));
    let again = env.setup(
        "e2e-project-role",
        &[
            "--all-workspaces",
            "--no-policy",
            "--target",
            "varset",
            "--varset-name",
            "oidc-platform",
            "--yes",
            "--format",
            "json",
        ],
    );
    assert_eq!(json(&again)["plan"].as_array().unwrap().len(), 0);
}
