//! The environment each test runs the binary in (its own home, issuer host and fake API), and
//! the helpers that read what the binary printed.

use fake_tfc::{FakeTfc, Seed};
use serde_json::Value;
use std::process::{Command, Output, Stdio};

pub const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// moto's endpoint, or `None` (skip) when the suite runs without it (a failure under `CI=true`
/// or `TFC_OIDC_REQUIRE_MOTO=1`).
fn moto() -> Option<String> {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("TFC_OIDC_REQUIRE_MOTO").as_deref() == Ok("1") => {
            panic!("TFC_OIDC_REQUIRE_MOTO=1 but AWS_ENDPOINT_URL is not set")
        }
        _ => {
            fake_tfc::ci::tool_missing("moto is not running", "run scripts/test");
            None
        }
    }
}

pub struct Env {
    pub fake: FakeTfc,
    pub home: tempfile::TempDir,
    host: String,
}

impl Env {
    /// A fresh fake and home with issuer host `NAME.tfc.test`, or `None` (skip) without moto.
    pub fn new(name: &str) -> Option<Env> {
        Env::with_seed(name, Seed::example())
    }

    /// Like [`Env::new`], with the fake started from `seed`.
    pub fn with_seed(name: &str, seed: Seed) -> Option<Env> {
        moto()?;
        Some(Env {
            fake: FakeTfc::start(seed),
            home: tempfile::tempdir().unwrap(),
            host: format!("{name}.tfc.test"),
        })
    }

    /// The issuer host the binary is given (`NAME.tfc.test`).
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
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

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run tfc-oidc")
    }

    /// `setup --org acme --project platform --role-name ROLE EXTRA…`.
    pub fn setup(&self, role: &str, extra: &[&str]) -> Output {
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

    /// `setup --org ORG --project platform --workspace WORKSPACE --no-policy --dry-run`, the
    /// command the error tests change one thing of.
    pub fn dry_run(&self, org: &str, workspace: &str) -> Command {
        self.cmd(&[
            "setup",
            "--org",
            org,
            "--project",
            "platform",
            "--workspace",
            workspace,
            "--no-policy",
            "--dry-run",
        ])
    }

    /// The (key, value) pairs of a workspace of acme.
    pub fn env_vars(&self, ws: &str) -> Vec<(String, String)> {
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

    /// The variable set of acme named `name`; fails the test when there is none.
    pub fn variable_set(&self, name: &str) -> Value {
        self.fake
            .variable_sets("acme")
            .into_iter()
            .find(|s| s["name"] == name)
            .expect("varset created")
    }
}

pub fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out.stdout)))
}

/// The binary exited 0; otherwise the test fails showing what it printed.
#[track_caller]
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[track_caller]
pub fn assert_stderr_contains(out: &Output, needle: &str) {
    assert!(text(&out.stderr).contains(needle), "{}", text(&out.stderr));
}

pub async fn iam() -> tfc_oidc::aws::IamClient {
    tfc_oidc::aws::IamClient::new(&tfc_oidc::aws::load_sdk_config(None, None).await)
}
