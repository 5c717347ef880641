//! Several AWS accounts in one workspace (`--alias`, two moto accounts side by side) and Stacks
//! (`--stack`, the trust, the printed `.tfdeploy.hcl`, the 127-character subject limit).

use tfc_oidc::core::ports::Iam;

use crate::support::{assert_success, iam, text, Env};

/// The second AWS account: moto serves another account to the credentials of a role assumed in
/// it.
const SECOND_ACCOUNT: &str = "210987654321";

/// (access key id, secret, session token) valid in [`SECOND_ACCOUNT`].
async fn second_account() -> (String, String, String) {
    let conf = tfc_oidc::aws::load_sdk_config(None, None).await;
    let sts = aws_sdk_sts::Client::new(&conf);
    let out = sts
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{SECOND_ACCOUNT}:role/e2e-cross-account"
        ))
        .role_session_name("e2e-alias")
        .send()
        .await
        .expect("moto assumes a role in another account");
    let c = out.credentials().expect("credentials");
    (
        c.access_key_id().to_string(),
        c.secret_access_key().to_string(),
        c.session_token().to_string(),
    )
}

fn in_account(cmd: &mut std::process::Command, creds: &(String, String, String)) {
    cmd.env("AWS_ACCESS_KEY_ID", &creds.0)
        .env("AWS_SECRET_ACCESS_KEY", &creds.1)
        .env("AWS_SESSION_TOKEN", &creds.2);
}

fn tagged_setup(
    env: &Env,
    role: &str,
    alias: Option<&str>,
    creds: Option<&(String, String, String)>,
) -> std::process::Output {
    let mut args = vec![
        "setup",
        "--org",
        "acme",
        "--project",
        "platform",
        "--workspace",
        "edge",
        "--role-name",
        role,
        "--no-policy",
        "--yes",
    ];
    if let Some(a) = alias {
        args.extend(["--alias", a]);
    }
    let mut cmd = env.cmd(&args);
    if let Some(creds) = creds {
        in_account(&mut cmd, creds);
    }
    cmd.output().unwrap()
}

#[tokio::test]
async fn two_accounts_side_by_side_and_undo_of_one_leaves_the_other() {
    let Some(env) = Env::new("e2e-alias") else {
        return;
    };
    let out = tagged_setup(&env, "e2e-alias-role", None, None);
    assert_success(&out);
    let creds = second_account().await;
    let out = tagged_setup(&env, "e2e-alias-role", Some("STAGING"), Some(&creds));
    assert_success(&out);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("variable \"tfc_aws_dynamic_credentials\""),
        "{shown}"
    );
    assert!(shown.contains(r#"aliases["STAGING"]"#), "{shown}");
    let vars = env.env_vars("edge");
    let value = |k: &str| {
        vars.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(value("TFC_AWS_PROVIDER_AUTH").as_deref(), Some("true"));
    assert_eq!(
        value("TFC_AWS_PROVIDER_AUTH_STAGING").as_deref(),
        Some("true")
    );
    assert!(value("TFC_AWS_RUN_ROLE_ARN")
        .unwrap()
        .contains(":123456789012:"));
    assert!(value("TFC_AWS_RUN_ROLE_ARN_STAGING")
        .unwrap()
        .contains(&format!(":{SECOND_ACCOUNT}:")));

    // Undo of the tagged apply runs in the second account and leaves the default untouched.
    let mut undo = env.cmd(&["undo", "--yes"]);
    in_account(&mut undo, &creds);
    assert_success(&undo.output().unwrap());
    let vars = env.env_vars("edge");
    assert!(vars.iter().any(|(k, _)| k == "TFC_AWS_RUN_ROLE_ARN"));
    assert!(
        !vars.iter().any(|(k, _)| k.ends_with("_STAGING")),
        "{vars:?}"
    );
    assert!(iam()
        .await
        .get_role("e2e-alias-role")
        .await
        .unwrap()
        .is_some());
}

#[test]
fn a_bad_tag_is_a_usage_error() {
    let Some(env) = Env::new("e2e-alias-bad") else {
        return;
    };
    for tag in ["TYPE", "with-dash"] {
        let out = tagged_setup(&env, "e2e-alias-bad-role", Some(tag), None);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("alias tag"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[tokio::test]
async fn a_stack_is_trusted_per_deployment_and_gets_its_deployment_config() {
    let Some(env) = Env::new("e2e-stack") else {
        return;
    };
    env.fake
        .add_stack("acme", "platform", "net-stack", &["staging", "production"])
        .unwrap();
    let out = env.setup(
        "e2e-stack-role",
        &[
            "--stack",
            "net-stack",
            "--deployment",
            "staging",
            "--no-policy",
            "--yes",
        ],
    );
    assert_success(&out);
    let shown = text(&out.stdout);
    assert!(shown.contains(r#"identity_token "aws""#), "{shown}");
    assert!(shown.contains(r#"deployment "staging""#), "{shown}");
    assert!(!shown.contains(r#"deployment "production""#), "{shown}");
    let body = shown
        .split_once("taking both inputs:\n\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    let parsed = hcl::parse(body);
    assert!(parsed.is_ok(), "the printed HCL parses: {body}");
    let trust = iam()
        .await
        .get_role("e2e-stack-role")
        .await
        .unwrap()
        .unwrap()
        .trust_policy;
    assert!(
        trust.contains(
            "organization:acme:project:platform:stack:net-stack:deployment:staging:operation:*"
        ),
        "{trust}"
    );
    assert!(env
        .env_vars("network")
        .iter()
        .all(|(k, _)| !k.starts_with("TFC_")));

    let unknown = env.run(&[
        "setup",
        "--org",
        "acme",
        "--project",
        "platform",
        "--stack",
        "nope",
        "--no-policy",
        "--dry-run",
    ]);
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "an unknown name is a usage error"
    );
    assert!(
        text(&unknown.stderr).contains("net-stack"),
        "{}",
        text(&unknown.stderr)
    );
}

#[test]
fn a_stack_subject_over_127_characters_is_refused_with_its_length() {
    let Some(env) = Env::new("e2e-stack-long") else {
        return;
    };
    let long = "d".repeat(80);
    let out = env.run(&[
        "setup",
        "--org",
        "acme",
        "--project",
        "platform",
        "--stack",
        "net-stack",
        "--deployment",
        &long,
        "--no-policy",
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("characters") && err.contains("127"), "{err}");
}
