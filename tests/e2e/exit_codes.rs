//! The README's exit code table ("Exit codes"), one test per row, each running the real binary
//! against moto and the fake HCP Terraform: 0 success (and a clean answer), 1 a failure or a
//! "no" answer (findings, deny, a run that did not authenticate), 2 the user's input (a flag that
//! would be ignored, a malformed ARN, a name nobody knows, no `--yes` without a terminal), 3 an
//! apply stopped part way. The wizard's row (q/Ctrl-C before Apply exits 0) is `tests/tui_pty.rs`.

use fake_tfc::{FakeCloudTrail, Fault};
use std::process::{Command, Output, Stdio};

use crate::support::{json, text, Env, READ_ONLY};

#[track_caller]
fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// Exit 2 with one `error:` line containing `needle`.
#[track_caller]
fn assert_usage(out: &Output, needle: &str) {
    assert_code(out, 2);
    let err = text(&out.stderr);
    assert!(err.starts_with("error: ") && err.contains(needle), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
}

fn explain(env: &Env, workspace: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "explain",
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        workspace,
        "--phase",
        "plan",
    ];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn exit_0_success_and_clean_answers() {
    let Some(env) = Env::new("e2e-exit0") else {
        return;
    };
    let out = env.dry_run("acme", "edge").output().unwrap();
    assert_code(&out, 0);
    let role = "e2e-exit0-role";
    let out = env.setup(role, &["--workspace", "edge", "--no-policy", "--yes"]);
    assert_code(&out, 0);
    // explain: allow is 0.
    assert_code(&explain(&env, "edge", &[]), 0);
    // review: findings below --fail-on are 0.
    let out = env.run(&["review", "--org", "acme", "--fail-on", "never"]);
    assert_code(&out, 0);
    // activity --since beyond CloudTrail's 90 days: honoured as 90 days, and said.
    let trail = FakeCloudTrail::start(vec![], 50);
    let out = env
        .cmd(&["activity", "--since", "400d", "--format", "json"])
        .env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url())
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert!(
        doc["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("--since is capped at 90 days")),
        "{doc:#}"
    );
    let requests = trail.requests();
    let span = requests[0].end_time.unwrap() - requests[0].start_time.unwrap();
    assert!(
        (span - 90.0 * 86_400.0).abs() < 5.0,
        "capped at 90 days: {span}"
    );
    assert_code(&env.run(&["undo", "--yes"]), 0);
}

#[test]
fn exit_1_failures_and_no_answers() {
    let Some(env) = Env::new("e2e-exit1") else {
        return;
    };
    let role = "e2e-exit1-role";
    let out = env.setup(role, &["--workspace", "edge", "--no-policy", "--yes"]);
    assert_code(&out, 0);
    // explain: a deny is 1, with the verdict on stdout and no error line.
    let arn = format!("arn:aws:iam::123456789012:role/{role}");
    let out = explain(&env, "dns", &["--role-arn", &arn]);
    assert_code(&out, 1);
    assert!(
        text(&out.stdout).starts_with("deny: "),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
    // explain: one that cannot decide is 1 too, with an error line and nothing on stdout.
    let out = explain(&env, "dns", &[]);
    assert_code(&out, 1);
    assert!(text(&out.stdout).is_empty() && text(&out.stderr).starts_with("error: "));
    // review: findings at or above --fail-on (network's static keys are high).
    assert_code(&env.run(&["review", "--org", "acme"]), 1);
    // A service refusing: a rejected token.
    let out = env
        .dry_run("acme", "network")
        .env("TFE_TOKEN", "wrong.atlasv1.token")
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_code(&env.run(&["undo", "--yes"]), 0);
}

#[test]
fn exit_2_flags_that_would_be_ignored_or_name_nothing() {
    let Some(env) = Env::new("e2e-exit2f") else {
        return;
    };
    let setup = ["--workspace", "edge", "--no-policy", "--dry-run"];
    let out = env.setup("r", &[&setup[..], &["--deployment", "prod"]].concat());
    assert_usage(&out, "--deployment needs --stack");
    let out = env.run(&[
        "export",
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        "edge",
        "--no-policy",
        "--format",
        "terraform",
        "--deployment",
        "prod",
    ]);
    assert_usage(&out, "--deployment needs --stack");
    let out = env.setup(
        "r",
        &[
            "--stack",
            "net-stack",
            "--alias",
            "STAGING",
            "--no-policy",
            "--dry-run",
        ],
    );
    assert_usage(&out, "--alias does not apply to --stack");
    // clap refuses this one itself (its usage text follows the error line).
    assert_code(&explain(&env, "edge", &["--deployment", "prod"]), 2);
    assert_usage(
        &explain(&env, "edge", &["--role-arn", "tfc-acme-platform"]),
        "--role-arn: role ARN 'tfc-acme-platform' is not valid",
    );
    let out = env.run(&["activity", "--role", "not a role"]);
    assert_usage(&out, "--role: role name 'not a role' is not valid");
    // No --yes without a terminal.
    let out = env.setup("e2e-exit2f-role", &["--workspace", "edge", "--no-policy"]);
    assert_usage(&out, "--yes");
    assert_eq!(env.fake.write_count(), 0);
}

#[test]
fn exit_2_demo_refuses_flags_it_would_not_use() {
    let Some(env) = Env::new("e2e-exit2d") else {
        return;
    };
    let home = env.home.path();
    let demo = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tfc-oidc"))
            .args(args)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let review = ["review", "--org", "acme-corp", "--fail-on", "never"];
    assert_code(&demo(&[&["--demo"][..], &review].concat()), 0);
    let out = demo(&[&["--demo", "--profile", "prod"][..], &review].concat());
    assert_usage(&out, "drop --profile");
    let out = demo(&[&["--demo", "--hostname", "tfe.example.com"][..], &review].concat());
    assert_usage(&out, "drop --hostname");
}

#[test]
fn exit_2_unknown_names() {
    let Some(env) = Env::new("e2e-exit2n") else {
        return;
    };
    assert_usage(
        &env.dry_run("nope", "edge").output().unwrap(),
        "organization 'nope'",
    );
    assert_usage(
        &env.dry_run("acme", "ghost").output().unwrap(),
        "workspace 'ghost'",
    );
    let out = env.run(&["review", "--org", "nope"]);
    assert_usage(&out, "organization 'nope'");
    let out = env.run(&["review", "--org", "acme", "--project", "ghost"]);
    assert_usage(&out, "project 'ghost'");
    assert_usage(&explain(&env, "ghost", &[]), "workspace 'ghost'");
    let out = env.run(&["verify", "--org", "acme", "--workspace", "ghost", "--yes"]);
    assert_usage(&out, "workspace 'ghost'");
    let out = env.run(&[
        "migrate",
        "--org",
        "acme",
        "--project",
        "ghost",
        "--no-policy",
        "--dry-run",
    ]);
    assert_usage(&out, "project 'ghost'");
    let trail = FakeCloudTrail::start(vec![], 50);
    let out = env
        .cmd(&["activity", "--role", "e2e-exit2n-no-such-role"])
        .env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url())
        .output()
        .unwrap();
    assert_usage(&out, "--role e2e-exit2n-no-such-role: no role of that name");
    assert_eq!(env.fake.write_count(), 0);
}

#[test]
fn exit_3_apply_stopped_part_way() {
    let Some(env) = Env::new("e2e-exit3") else {
        return;
    };
    env.fake.inject(Fault::FailWrite {
        path_contains: "/vars".into(),
        status: 500,
        count: 1,
    });
    let args = ["--workspace", "edge", "--policy-arn", READ_ONLY, "--yes"];
    let out = env.setup("e2e-exit3-role", &args);
    assert_code(&out, 3);
    assert!(text(&out.stderr).contains("apply stopped part way"));
    assert_code(&env.run(&["undo", "--yes"]), 0);
}
