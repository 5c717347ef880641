//! The binary's safety rules end to end: a kill -9 while a write is in flight (re-run finishes,
//! undo removes everything), Ctrl-C (finishes the call in flight, exit 3), two runs at once,
//! private files and escaped server text.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use tfc_oidc::core::ports::Iam;

use crate::support::{assert_success, iam, text, Env};

fn journal_dir(env: &Env) -> PathBuf {
    env.home.path().join("data/tfc-oidc/journal")
}

/// Every journal line so far, as text.
fn journal_lines(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for e in read.flatten() {
        if e.path().extension().is_some_and(|x| x == "jsonl") {
            let body = std::fs::read_to_string(e.path()).unwrap_or_default();
            lines.extend(body.lines().map(String::from));
        }
    }
    lines
}

/// Waits until a journal line contains every needle (the run is then inside that call).
fn wait_for_line(dir: &Path, child: &mut Child, needles: &[&str]) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if journal_lines(dir)
            .iter()
            .any(|l| needles.iter().all(|n| l.contains(n)))
        {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the run ended ({status}) before {needles:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no journal line with {needles:?}");
}

fn spawn_setup(env: &Env, role: &str, workspace: &str) -> Child {
    env.cmd(&[
        "setup",
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        workspace,
        "--role-name",
        role,
        "--no-policy",
        "--yes",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("start tfc-oidc")
}

fn tfc_keys(env: &Env, ws: &str) -> Vec<String> {
    env.env_vars(ws)
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| k.starts_with("TFC_"))
        .collect()
}

#[tokio::test]
async fn kill_during_a_write_then_rerun_and_undo_leave_nothing_behind() {
    let Some(env) = Env::new("e2e-kill") else {
        return;
    };
    let role = "e2e-kill-role";
    env.fake
        .set_write_latency_after(Duration::from_millis(1500));
    let mut child = spawn_setup(&env, role, "edge");
    // The first variable write has been carried out by the server; its answer is delayed.
    wait_for_line(
        &journal_dir(&env),
        &mut child,
        &["\"event\":\"intent\"", "create_variable"],
    );
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    env.fake.set_write_latency_after(Duration::ZERO);
    assert!(
        !tfc_keys(&env, "edge").is_empty(),
        "the in-flight write happened"
    );

    let out = env.setup(role, &["--workspace", "edge", "--no-policy", "--yes"]);
    assert_success(&out);
    assert_eq!(
        tfc_keys(&env, "edge").len(),
        2,
        "{:?}",
        env.env_vars("edge")
    );

    let out = env.run(&["undo", "--yes"]);
    assert_success(&out);
    assert!(
        tfc_keys(&env, "edge").is_empty(),
        "{:?}",
        env.env_vars("edge")
    );
    assert!(iam().await.get_role(role).await.unwrap().is_none());
}

#[tokio::test]
async fn ctrl_c_finishes_the_call_in_flight_and_exits_3() {
    let Some(env) = Env::new("e2e-sigint") else {
        return;
    };
    let role = "e2e-sigint-role";
    env.fake.set_latency(Duration::from_millis(400));
    let mut child = spawn_setup(&env, role, "edge");
    let dir = journal_dir(&env);
    wait_for_line(
        &dir,
        &mut child,
        &["\"event\":\"intent\"", "create_variable"],
    );
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("interrupted"),
        "{}",
        text(&out.stderr)
    );
    let lines = journal_lines(&dir);
    let event = |l: &String| {
        serde_json::from_str::<serde_json::Value>(l).unwrap()["event"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let intents = lines.iter().filter(|l| event(l) == "intent").count();
    let outcomes = lines
        .iter()
        .filter(|l| ["done", "failed"].contains(&event(l).as_str()))
        .count();
    assert_eq!(
        intents, outcomes,
        "every started call was journaled: {lines:#?}"
    );
    env.fake.set_latency(Duration::ZERO);
    let out = env.setup(role, &["--workspace", "edge", "--no-policy", "--yes"]);
    assert_success(&out);
    assert_eq!(tfc_keys(&env, "edge").len(), 2);
}

#[tokio::test]
async fn two_runs_at_once_both_land() {
    let Some(env) = Env::new("e2e-twice") else {
        return;
    };
    let role = "e2e-twice-role";
    env.fake.set_latency(Duration::from_millis(150));
    let first = spawn_setup(&env, role, "edge");
    std::thread::sleep(Duration::from_millis(100));
    let second = spawn_setup(&env, role, "network");
    let (a, b) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    assert_success(&a);
    assert_success(&b);
    let waited = text(&a.stderr).contains("waiting") || text(&b.stderr).contains("waiting");
    assert!(waited, "{}{}", text(&a.stderr), text(&b.stderr));
    let trust = iam()
        .await
        .get_role(role)
        .await
        .unwrap()
        .unwrap()
        .trust_policy;
    assert!(
        trust.contains("workspace:edge") && trust.contains("workspace:network"),
        "{trust}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn files_are_private_and_server_text_is_escaped() {
    use std::os::unix::fs::PermissionsExt;
    let Some(env) = Env::new("e2e-private") else {
        return;
    };
    let ws = env.fake.workspace_id("acme", "edge").unwrap();
    let created = reqwest_put_var(
        &env,
        &ws,
        "TFC_AWS_PROVIDER_AUTH",
        "\u{1b}[2J\u{1b}]0;pwned\u{7}",
    );
    assert!(created, "seeded a hostile value");
    let out = env.setup(
        "e2e-private-role",
        &["--workspace", "edge", "--no-policy", "--dry-run"],
    );
    assert_success(&out);
    let shown = text(&out.stdout);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(shown.contains("\\u{1b}[2J"), "{shown}");
    let out = env.setup(
        "e2e-private-role",
        &["--workspace", "edge", "--no-policy", "--yes"],
    );
    assert_success(&out);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = journal_dir(&env);
    assert_eq!(mode(&dir), 0o700);
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        assert_eq!(mode(&e.path()), 0o600, "{}", e.path().display());
    }
    let log = env.home.path().join("state/tfc-oidc/tfc-oidc.log");
    assert_eq!(mode(&log), 0o600);
}

/// Creates an env variable on a workspace straight through the fake's API.
fn reqwest_put_var(env: &Env, ws: &str, key: &str, value: &str) -> bool {
    let body = serde_json::json!({"data":{"type":"vars","attributes":{
        "key": key, "value": value, "category": "env", "sensitive": false}}});
    let url = format!("{}/api/v2/workspaces/{ws}/vars", env.fake.base_url());
    let status = std::process::Command::new(std::env::var("TFC_OIDC_PYTHON").unwrap_or("python3".into()))
        .args([
            "-c",
            "import sys,urllib.request as u; r=u.Request(sys.argv[1], data=sys.argv[2].encode(), method='POST', headers={'Authorization':'Bearer '+sys.argv[3],'Content-Type':'application/vnd.api+json'}); print(u.urlopen(r).status)",
            &url,
            &body.to_string(),
            &env.fake.token(),
        ])
        .output()
        .unwrap();
    text(&status.stdout).trim() == "201"
}

/// Kills a `--target varset` setup while each kind of write is in flight, then undoes it
/// straight away: the variable set and the role are gone every time.
#[tokio::test]
async fn kill_at_several_points_then_undo_leaves_nothing_behind() {
    for (i, point) in [
        "create_variable_set",
        "create_variable",
        "attach_variable_set",
    ]
    .iter()
    .enumerate()
    {
        let Some(env) = Env::new(&format!("e2e-kill-{i}")) else {
            return;
        };
        let role = format!("e2e-kill-{i}-role");
        env.fake
            .set_write_latency_after(Duration::from_millis(1200));
        let mut child = env
            .cmd(&[
                "setup",
                "--org",
                "acme",
                "--project",
                "platform",
                "--workspace",
                "edge",
                "--role-name",
                &role,
                "--no-policy",
                "--target",
                "varset",
                "--yes",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let needle = format!("\"type\":\"{point}\"");
        wait_for_line(
            &journal_dir(&env),
            &mut child,
            &["\"event\":\"intent\"", &needle],
        );
        std::thread::sleep(Duration::from_millis(300));
        child.kill().unwrap();
        child.wait().unwrap();
        env.fake.set_write_latency_after(Duration::ZERO);

        let out = env.run(&["undo", "--yes"]);
        assert_success(&out);
        let set = format!("aws-oidc-{role}");
        let left = env.fake.variable_sets("acme");
        assert!(
            !left.iter().any(|s| s["name"] == set.as_str()),
            "{point}: the set is gone: {left:?}"
        );
        assert!(
            iam().await.get_role(&role).await.unwrap().is_none(),
            "{point}: the role is gone"
        );
    }
}
