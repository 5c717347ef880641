//! `--demo`: one sandbox state, shared by the CLI's commands and the wizard (run here through its
//! harness on the same state file and journal, as `tfc-oidc --demo` opens them): what one does,
//! the other sees; the review is the same in both; every command the review suggests runs as
//! printed.

use super::review::demo;
use super::support::{assert_success, json, text, READ_ONLY};
use crossterm::event::KeyCode::{Down, Enter};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use tfc_oidc::core::ports::Iam;
use tfc_oidc::tui::harness::Harness;
use tfc_oidc::tui::steps::Step;

/// The `--demo` CLI's setup of `platform/network-prod` that two tests start from.
const SETUP_NETWORK_PROD: [&str; 10] = [
    "setup",
    "--org",
    "acme-corp",
    "--project",
    "platform",
    "--workspace",
    "network-prod",
    "--policy-arn",
    READ_ONLY,
    "--yes",
];

/// Where `--demo` keeps its state and journal under the test's `XDG_DATA_HOME`.
fn demo_files(home: &Path) -> (PathBuf, PathBuf) {
    let dir = home.join("data").join("tfc-oidc").join("demo");
    (dir.join("sandbox.json"), dir.join("journal"))
}

fn wizard(home: &Path) -> Harness {
    let (state, journal) = demo_files(home);
    Harness::demo_persisted(&state, &journal, 100, 30).expect("the demo state loads")
}

#[tokio::test]
async fn a_role_made_by_the_demo_cli_shows_in_the_demo_wizard() {
    let home = tempfile::tempdir().unwrap();
    assert_success(&demo(home.path(), &SETUP_NETWORK_PROD));

    let mut h = wizard(home.path());
    h.settle().await;
    let role = h
        .sandbox
        .iam
        .get_role("tfc-acme-corp-platform")
        .await
        .unwrap();
    assert!(role.is_some(), "the wizard's sandbox has the CLI's role");
    // Setup → acme-corp → platform (the fourth project): the badge says what the CLI did.
    h.keys(&[Enter, Enter, Down, Down, Down, Enter]).await;
    assert_eq!(h.session.app.step, Step::Workspaces);
    let screen = h.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("network-prod"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("OIDC configured"), "{screen}");
}

#[tokio::test]
async fn an_apply_in_the_demo_wizard_is_seen_by_demo_verify_and_undo() {
    let home = tempfile::tempdir().unwrap();
    let mut h = wizard(home.path());
    h.settle().await;
    h.keys(&[Enter; 7]).await;
    assert_eq!(h.session.app.step, Step::Done);

    let verify = demo(
        home.path(),
        &[
            "verify",
            "--org",
            "acme-corp",
            "--workspace",
            "sandbox",
            "--yes",
        ],
    );
    assert_success(&verify);
    let said = text(&verify.stdout);
    assert!(!said.contains("missing"), "{said}");

    let undo = demo(home.path(), &["undo", "--dry-run"]);
    assert_success(&undo);
    let plan = text(&undo.stdout);
    assert!(plan.contains("tfc-acme-corp-default-project"), "{plan}");
    assert!(plan.contains("TFC_AWS_RUN_ROLE_ARN"), "{plan}");
}

#[tokio::test]
async fn the_demo_wizard_reviews_as_the_demo_cli_does() {
    let home = tempfile::tempdir().unwrap();
    let out = demo(
        home.path(),
        &["review", "--org", "acme-corp", "--format", "json"],
    );
    let cli = json(&out);
    let mut h = wizard(home.path());
    h.settle().await;
    h.keys(&[Down, Down, Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Findings);
    let listed = |f: &Value| {
        format!(
            "{} {}",
            f["id"].as_str().unwrap_or_default(),
            f["resource"].as_str().unwrap_or_default()
        )
    };
    let from_cli: Vec<String> = cli["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(listed)
        .collect();
    let from_wizard: Vec<String> = h
        .session
        .app
        .findings
        .findings
        .iter()
        .map(|f| format!("{} {}", f.id.code(), f.resource))
        .collect();
    assert_eq!(from_wizard, from_cli);
    assert!(from_cli.iter().any(|f| f.starts_with("TFCOIDC016")));
    let screen = h.screen();
    let high = cli["summary"]["high"].as_u64().unwrap();
    assert!(screen.contains(&format!("{high} high")), "{screen}");
}

/// Runs `command` as a shell would, `tfc-oidc` being the binary under test, in `home`.
fn run_as_printed(home: &Path, command: &str) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_tfc-oidc");
    let line = command
        .strip_prefix("tfc-oidc ")
        .unwrap_or_else(|| panic!("not a tfc-oidc command: {command}"));
    Command::new("sh")
        .arg("-c")
        .arg(format!("'{bin}' {line}"))
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("TFE_TOKEN")
        .output()
        .unwrap()
}

#[test]
fn every_suggested_command_of_the_demo_review_runs_as_printed() {
    let home = tempfile::tempdir().unwrap();
    let out = demo(
        home.path(),
        &["review", "--org", "acme-corp", "--format", "json"],
    );
    let doc = json(&out);
    let mut ran = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        // Every command the fix's text names is one of its runnable commands.
        let fix = f["fix"].as_str().unwrap();
        let commands: Vec<&str> = f["commands"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (at, _) in fix.match_indices("tfc-oidc --demo ") {
            assert!(
                commands.iter().any(|c| fix[at..].starts_with(c)),
                "{}: a command in the fix is not runnable as printed: {fix}",
                f["id"]
            );
        }
        for command in f["commands"].as_array().into_iter().flatten() {
            let command = command.as_str().unwrap();
            assert!(
                command.starts_with("tfc-oidc --demo "),
                "the demo's hint names the demo: {command}"
            );
            let explain = command.starts_with("tfc-oidc --demo explain ");
            let line = if explain {
                command.to_string()
            } else {
                format!("{command} --dry-run")
            };
            let run = run_as_printed(home.path(), &line);
            // explain answers allow (0) or deny (1); a dry run of a fix plans (0).
            let accepted = match run.status.code() {
                Some(0) => true,
                Some(1) => explain,
                _ => false,
            };
            assert!(
                accepted,
                "{} ({}): {line}\n{}{}",
                f["id"],
                run.status,
                text(&run.stdout),
                text(&run.stderr)
            );
            ran.push(f["id"].as_str().unwrap().to_string());
        }
    }
    for id in ["TFCOIDC004", "TFCOIDC006", "TFCOIDC007", "TFCOIDC016"] {
        assert!(
            ran.iter().any(|r| r == id),
            "no command of {id} ran: {ran:?}"
        );
    }
}

#[test]
fn the_demos_hints_name_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let verify = demo(
        home.path(),
        &[
            "verify",
            "--org",
            "acme-corp",
            "--workspace",
            "etl",
            "--yes",
        ],
    );
    let said = text(&verify.stdout);
    assert!(said.contains("'tfc-oidc --demo migrate'"), "{said}");
    let explain = demo(
        home.path(),
        &[
            "explain",
            "--org",
            "acme-corp",
            "--project",
            "platform",
            "--workspace",
            "dns",
            "--phase",
            "plan",
        ],
    );
    let err = text(&explain.stderr);
    assert!(err.contains("'tfc-oidc --demo setup'"), "{err}");
    let review = demo(home.path(), &["review", "--org", "acme-corp"]);
    let shown = text(&review.stdout);
    assert!(!shown.contains("tfc-oidc setup"), "{shown}");
    assert!(shown.contains("tfc-oidc --demo setup"), "{shown}");
}

#[tokio::test]
async fn a_wizard_open_while_the_demo_cli_writes_keeps_what_the_cli_did() {
    let home = tempfile::tempdir().unwrap();
    let mut h = wizard(home.path());
    h.settle().await;
    assert_success(&demo(home.path(), &SETUP_NETWORK_PROD));
    // The wizard plans after the CLI's apply, from what it kept, and saves both.
    h.keys(&[Enter; 7]).await;
    assert_eq!(h.session.app.step, Step::Done);
    let (state, _) = demo_files(home.path());
    let saved = tfc_oidc::sandbox::Sandbox::load(&state).unwrap();
    for role in ["tfc-acme-corp-platform", "tfc-acme-corp-default-project"] {
        let found = saved.iam.get_role(role).await.unwrap();
        assert!(found.is_some(), "{role} is in the demo state");
    }
}
