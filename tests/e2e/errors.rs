//! The errors a user meets first, each one clear line with the right exit code: a rejected
//! token, an unknown organization or workspace, bad input refused before any call, and a
//! malformed credentials file.

use crate::support::{assert_stderr_contains, text, Env};

#[test]
fn wrong_token_is_one_clear_line() {
    let Some(env) = Env::new("e2e-token") else {
        return;
    };
    let out = env
        .dry_run("acme", "network")
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
    let out = env.dry_run("nope", "network").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a name nobody knows is the user's input"
    );
    assert_stderr_contains(&out, "organization 'nope'");
    let out = env.dry_run("acme", "ghost").output().unwrap();
    assert_stderr_contains(&out, "workspace 'ghost'");
    let out = env.dry_run("acme", "warehouse").output().unwrap();
    assert_stderr_contains(&out, "is in project 'data'");
}

#[test]
fn bad_input_is_refused_before_any_call() {
    let Some(env) = Env::new("e2e-input") else {
        return;
    };
    let out = env
        .dry_run("acme", "network")
        .args(["--api-url", "http://example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_contains(&out, "refusing plain http://");
    let out = env.setup("bad role name", &["--workspace", "network", "--no-policy"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_contains(&out, "role name 'bad role name' is not valid");
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
        .dry_run("acme", "network")
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
