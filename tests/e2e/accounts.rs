//! A key of another account end to end: a second moto server is a second AWS account
//! (`MOTO_ACCOUNT_ID`), reached through a profile whose `endpoint_url` points at it in a temp
//! AWS config (the default profile points at the suite's moto). `migrate --account-profile`
//! makes the workspace's role there, with the key's user's permissions, deactivates the key
//! there, and `undo` reactivates it through the profile the journal recorded. Bad flags exit 2.

use crate::migrate::seed_with_key;
use crate::review::demo;
use crate::support::{assert_success, json, text, Env};
use aws_sdk_iam::types::StatusType;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

const SECOND: &str = "210987654321";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// The second account's moto server, stopped when dropped.
struct SecondMoto {
    child: Child,
    url: String,
}

impl Drop for SecondMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `moto_server` next to `$TFC_OIDC_PYTHON` (scripts/test sets it), on a free port, as account
/// [`SECOND`]; `None` (skip, said so) without it.
fn start_second() -> Option<SecondMoto> {
    let python = std::env::var_os("TFC_OIDC_PYTHON").map(PathBuf::from);
    let server = python
        .and_then(|p| p.parent().map(|d| d.join("moto_server")))
        .filter(|p| p.exists());
    let Some(server) = server else {
        fake_tfc::ci::tool_missing(
            "moto_server is not next to $TFC_OIDC_PYTHON",
            "run scripts/test",
        );
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("MOTO_ACCOUNT_ID", SECOND)
        .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let moto = SecondMoto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(moto);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the second moto server did not start");
}

/// IAM of the second account, for the test's own setup and checks.
async fn second_iam(url: &str) -> aws_sdk_iam::Client {
    let sdk = tfc_oidc::aws::load_sdk_config(None, None).await;
    let conf = aws_sdk_iam::config::Builder::from(&sdk)
        .endpoint_url(url)
        .build();
    aws_sdk_iam::Client::from_conf(conf)
}

async fn key_status(iam: &aws_sdk_iam::Client, user: &str, key: &str) -> Option<StatusType> {
    let keys = iam.list_access_keys().user_name(user).send().await.unwrap();
    let found = keys
        .access_key_metadata()
        .iter()
        .find(|k| k.access_key_id() == Some(key));
    found.and_then(|k| k.status().cloned())
}

#[tokio::test]
async fn a_key_of_a_second_account_gets_its_role_there_and_undo_goes_back() {
    let Some(moto) = start_second() else { return };
    let iam = second_iam(&moto.url).await;
    let user = "analytics-loader";
    iam.create_user().user_name(user).send().await.unwrap();
    iam.attach_user_policy()
        .user_name(user)
        .policy_arn(READ_ONLY)
        .send()
        .await
        .unwrap();
    let key = iam
        .create_access_key()
        .user_name(user)
        .send()
        .await
        .unwrap();
    let key_id = key.access_key().unwrap().access_key_id().to_owned();
    let Some(env) = Env::with_seed("e2e-accounts", seed_with_key(&key_id)) else {
        return;
    };
    let first = std::env::var("AWS_ENDPOINT_URL").unwrap();
    let config = env.home.path().join("aws-config");
    let profiles = format!(
        "[default]\nendpoint_url = {first}\n[profile second]\nendpoint_url = {}\n",
        moto.url
    );
    std::fs::write(&config, profiles).unwrap();
    let run = |args: &[&str]| {
        let mut c = env.cmd(args);
        c.env_remove("AWS_ENDPOINT_URL")
            .env("AWS_CONFIG_FILE", &config);
        c.output().unwrap()
    };
    let flag = format!("{SECOND}=second");
    let args = [
        "migrate",
        "--org",
        "acme",
        "--workspace",
        "edge",
        "--deactivate-keys",
        "--account-profile",
        &flag,
    ];

    let dry = run(&[&args[..], &["--dry-run", "--format", "json"]].concat());
    assert_success(&dry);
    let doc = json(&dry);
    let key_json = &doc["discovered"][0]["sources"][0]["key"];
    assert_eq!(key_json["account"], SECOND, "{doc:#}");
    assert_eq!(key_json["user"], user);
    let changes = doc["plan"].as_array().unwrap();
    let in_second = |kind: &str| {
        changes
            .iter()
            .any(|c| c["type"] == kind && c["account"] == SECOND)
    };
    assert!(
        in_second("create_role") && in_second("set_access_key_status"),
        "{doc:#}"
    );

    let out = run(&[&args[..], &["--yes"]].concat());
    assert_success(&out);
    let shown = text(&out.stdout);
    assert!(
        shown.contains(&format!("(in AWS account {SECOND})")),
        "{shown}"
    );
    let tail = &key_id[key_id.len() - 4..];
    let deactivated =
        format!("✓ mark access key AKIA…{tail} of user {user} Inactive (in AWS account {SECOND})");
    assert!(shown.contains(&deactivated), "{shown}");
    let arn = env
        .env_vars("edge")
        .into_iter()
        .find(|(k, _)| k == "TFC_AWS_RUN_ROLE_ARN")
        .map(|(_, v)| v)
        .expect("edge names its role");
    assert!(
        arn.starts_with(&format!("arn:aws:iam::{SECOND}:role/")),
        "{arn}"
    );
    let role = arn.rsplit('/').next().unwrap();
    let attached = iam
        .list_attached_role_policies()
        .role_name(role)
        .send()
        .await
        .unwrap();
    let arns: Vec<&str> = attached
        .attached_policies()
        .iter()
        .filter_map(|p| p.policy_arn())
        .collect();
    assert_eq!(
        arns,
        [READ_ONLY],
        "the key's user's permissions, in its account"
    );
    assert_eq!(
        key_status(&iam, user, &key_id).await,
        Some(StatusType::Inactive)
    );

    // undo reaches the second account through the profile the journal recorded.
    let undo = run(&["undo", "--yes"]);
    assert_success(&undo);
    assert_eq!(
        key_status(&iam, user, &key_id).await,
        Some(StatusType::Active)
    );
}

#[test]
fn bad_account_profiles_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    let base = ["migrate", "--org", "acme-corp", "--all", "--dry-run"];
    for bad in ["12345=x", "210987654321=", "210987654321", "21098765432a=x"] {
        let out = demo(
            home.path(),
            &[&base[..], &["--account-profile", bad]].concat(),
        );
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("--account-profile"),
            "{}",
            text(&out.stderr)
        );
    }
    // A profile for another account than the one it is given for.
    let wrong = demo(
        home.path(),
        &[
            &base[..],
            &["--account-profile", "111122223333=demo-analytics"],
        ]
        .concat(),
    );
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong.stderr));
}

/// The demo: without a way into its second account, warehouse is left alone and the flag to add
/// is printed; with it, warehouse's role is made there.
#[test]
fn the_demo_shows_per_account_roles() {
    let home = tempfile::tempdir().unwrap();
    let base = ["migrate", "--org", "acme-corp", "--all", "--dry-run"];
    let alone = demo(home.path(), &base);
    assert_eq!(alone.status.code(), Some(0), "{}", text(&alone.stderr));
    let shown = text(&alone.stdout);
    assert!(
        shown
            .contains("AWS account 210987654321 cannot be reached: warehouse stays on static keys")
            && shown.contains("Add --account-profile 210987654321=demo-analytics"),
        "{shown}"
    );
    let doc_args = [&base[..], &["--format", "json"]].concat();
    let doc =
        serde_json::from_slice::<serde_json::Value>(&demo(home.path(), &doc_args).stdout).unwrap();
    let left = &doc["unreachable_accounts"][0];
    assert_eq!(left["account"], "210987654321", "{doc:#}");
    assert_eq!(left["workspaces"], serde_json::json!(["warehouse"]));
    assert_eq!(
        left["flags"],
        serde_json::json!(["--account-profile 210987654321=demo-analytics"])
    );
    let flag = ["--account-profile", "210987654321=demo-analytics"];
    let reached = demo(home.path(), &[&base[..], &flag].concat());
    assert_eq!(reached.status.code(), Some(0), "{}", text(&reached.stderr));
    let shown = text(&reached.stdout);
    assert!(shown.contains("(in AWS account 210987654321)"), "{shown}");
    assert!(
        shown.contains("analytics-loader (account 210987654321)"),
        "{shown}"
    );
    assert!(!shown.contains("cannot be reached"), "{shown}");
}

/// After the demo migrates warehouse into its second account, `explain` there needs that
/// account's credentials: `--demo --profile demo-analytics` is the second account (no other
/// profile is accepted with `--demo`).
#[test]
fn the_demo_second_account_is_explained_through_its_profile() {
    let home = tempfile::tempdir().unwrap();
    let migrate = [
        "migrate",
        "--org",
        "acme-corp",
        "--workspace",
        "warehouse",
        "--account-profile",
        "210987654321=demo-analytics",
        "--yes",
    ];
    let out = demo(home.path(), &migrate);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let explain = [
        "explain",
        "--org",
        "acme-corp",
        "--project",
        "data",
        "--workspace",
        "warehouse",
        "--phase",
        "plan",
    ];
    let first = demo(home.path(), &explain);
    assert_eq!(first.status.code(), Some(1), "{}", text(&first.stdout));
    assert!(text(&first.stderr).contains("is in account 210987654321"));
    let second = demo(
        home.path(),
        &[&["--profile", "demo-analytics"][..], &explain].concat(),
    );
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert!(
        text(&second.stdout).starts_with("allow"),
        "{}",
        text(&second.stdout)
    );
    let other = demo(
        home.path(),
        &[&["--profile", "prod"][..], &explain].concat(),
    );
    assert_eq!(other.status.code(), Some(2), "{}", text(&other.stderr));
}
