//! A dormant trust end to end: a role that trusts the issuer's provider with no `sub` condition
//! and AdministratorAccess, made before the provider exists. `setup` refuses to create the
//! provider (exit 2, nothing written) and names the role; with `--allow-dormant-trust` it
//! proceeds, and `explain` shows the role turn from deny to allow; `undo` deletes the provider
//! again, and the role is denied once more.

use serde_json::json;
use tfc_oidc::core::ports::Iam;

use crate::review::{role_arn, trusting_role};
use crate::support::{assert_success, iam, json, text, Env};

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

#[tokio::test]
async fn setup_refuses_to_re_arm_a_broad_dormant_role_unless_told_to() {
    let Some(env) = Env::new("e2e-dormant") else {
        return;
    };
    let dormant = "e2e-dormant-ci";
    let aud = format!("{}:aud", env.host());
    trusting_role(
        &env,
        dormant,
        json!({"StringEquals":{aud:"aws.workload.identity"}}),
    )
    .await;
    let iam = iam().await;
    iam.attach_policy(dormant, ADMIN).await.unwrap();
    let provider = format!("arn:aws:iam::123456789012:oidc-provider/{}", env.host());
    let explain = [
        "explain",
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        "network",
        "--phase",
        "apply",
        "--role-arn",
        &role_arn(dormant),
    ];
    let before = env.run(&explain);
    assert_eq!(before.status.code(), Some(1), "{}", text(&before.stdout));

    let role = "e2e-dormant-new";
    let flags = ["--workspace", "edge", "--no-policy", "--yes"];
    let refused = env.setup(role, &flags);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    let err = text(&refused.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(&format!("{dormant} (TFCOIDC001 critical")),
        "{err}"
    );
    assert!(err.contains("--allow-dormant-trust"), "{err}");
    // Nothing written: no provider, no role, no variable.
    assert!(iam.get_oidc_provider(&provider).await.unwrap().is_none());
    assert!(iam.get_role(role).await.unwrap().is_none());
    assert!(env
        .env_vars("edge")
        .iter()
        .all(|(k, _)| !k.starts_with("TFC_")));

    // The dry run shows the role under the provider's creation, in text and JSON.
    let dry = env.setup(
        role,
        &[
            "--workspace",
            "edge",
            "--no-policy",
            "--dry-run",
            "--allow-dormant-trust",
        ],
    );
    assert_success(&dry);
    let shown = text(&dry.stdout);
    assert!(
        shown.contains(&format!("re-arms role {dormant} (TFCOIDC001 critical")),
        "{shown}"
    );
    let as_json = env.setup(
        role,
        &[
            "--workspace",
            "edge",
            "--no-policy",
            "--dry-run",
            "--allow-dormant-trust",
            "--format",
            "json",
        ],
    );
    let doc = json(&as_json);
    let create = &doc["plan"][0];
    assert_eq!(create["type"], "create_oidc_provider");
    assert_eq!(create["dormant_roles"][0]["name"], dormant);
    assert_eq!(create["dormant_roles"][0]["broad"], true);
    let notes = doc["notes"].to_string();
    assert!(notes.contains("although they admit too much"), "{notes}");

    let accepted = env.setup(role, &[&flags[..], &["--allow-dormant-trust"]].concat());
    assert_success(&accepted);
    assert!(iam.get_oidc_provider(&provider).await.unwrap().is_some());
    let after = env.run(&explain);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stdout));

    // Undo: the provider goes again, so no token is accepted, as before the apply.
    assert_success(&env.run(&["undo", "--yes"]));
    assert!(iam.get_oidc_provider(&provider).await.unwrap().is_none());
    let undone = env.run(&explain);
    assert_eq!(undone.status.code(), Some(1), "{}", text(&undone.stdout));
}

/// Export creates nothing, so the consent to re-arm roles has no place there: refused, exit 2.
#[test]
fn export_refuses_allow_dormant_trust() {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tfc-oidc"))
        .args([
            "--demo",
            "export",
            "--format",
            "terraform",
            "--org",
            "acme-corp",
        ])
        .args([
            "--project",
            "platform",
            "--workspace",
            "network-prod",
            "--no-policy",
        ])
        .arg("--allow-dormant-trust")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("applies to setup and migrate"));
}
