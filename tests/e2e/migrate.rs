//! `migrate` end to end: a real IAM user and access key made in moto, its id put as a readable
//! `AWS_ACCESS_KEY_ID` in a workspace of the fake HCP Terraform; the migration sets up OIDC,
//! removes the key variables, marks the key Inactive (`--deactivate-keys`), plans nothing the
//! second time, and `undo` makes the key Active again. A failure part way keeps the keys of the
//! workspace it did not reach and exits 3; the same command finishes.

use aws_sdk_iam::types::StatusType;
use fake_tfc::{Fault, Seed, SeedVar};

use crate::support::{assert_success, iam, json, text, Env};

/// A name no earlier run against the same moto used.
fn unique(tag: &str) -> String {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros();
    format!("e2e-{tag}-{stamp}")
}

/// A new IAM user in moto with one access key; returns (user, key id).
pub(crate) async fn moto_key(tag: &str) -> (String, String) {
    let raw = iam().await;
    let raw = raw.iam_sdk();
    let user = unique(tag);
    raw.create_user().user_name(&user).send().await.unwrap();
    let key = raw
        .create_access_key()
        .user_name(&user)
        .send()
        .await
        .unwrap();
    (user, key.access_key().unwrap().access_key_id().to_owned())
}

async fn key_status(user: &str, key_id: &str) -> Option<StatusType> {
    let client = iam().await;
    let keys = client
        .iam_sdk()
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .unwrap();
    keys.access_key_metadata()
        .iter()
        .find(|k| k.access_key_id() == Some(key_id))
        .and_then(|k| k.status().cloned())
}

/// The example seed with the moto key on workspace `edge` (readable id, sensitive secret).
pub(crate) fn seed_with_key(key_id: &str) -> Seed {
    let mut seed = Seed::example();
    let platform = &mut seed.organizations[0].projects[1];
    let edge = platform
        .workspaces
        .iter_mut()
        .find(|w| w.name == "edge")
        .unwrap();
    edge.vars = vec![
        SeedVar::env("AWS_ACCESS_KEY_ID", key_id, false),
        SeedVar::env("AWS_SECRET_ACCESS_KEY", "not-the-real-secret", true),
        SeedVar::env("AWS_REGION", "eu-west-1", false),
    ];
    seed
}

fn keys_of(env: &Env, ws: &str) -> Vec<String> {
    env.env_vars(ws).into_iter().map(|(k, _)| k).collect()
}

#[tokio::test]
async fn keys_are_removed_then_deactivated_and_undo_reactivates() {
    let (user, key_id) = moto_key("migrate").await;
    let Some(env) = Env::with_seed("e2e-migrate", seed_with_key(&key_id)) else {
        return;
    };
    let role = unique("migrate-role");
    let args = [
        "migrate",
        "--org",
        "acme",
        "--workspace",
        "edge",
        "--role-name",
        &role,
        "--no-policy",
        "--deactivate-keys",
    ];
    let dry = env.run(&[&args[..], &["--dry-run", "--format", "json"]].concat());
    assert_success(&dry);
    let doc = json(&dry);
    let source = &doc["discovered"][0]["sources"][0];
    assert_eq!(source["kind"], "workspace");
    assert_eq!(source["key"]["user"], user.as_str());
    assert_eq!(source["key"]["owner"], "this_account");
    assert_eq!(
        source["key"]["id"],
        key_id.as_str(),
        "JSON carries the whole key id"
    );
    assert_eq!(doc["applied"], false);

    let out = env.run(&[&args[..], &["--yes"]].concat());
    assert_success(&out);
    let shown = text(&out.stdout);
    assert!(shown.contains(&user) && shown.contains("edge"), "{shown}");
    assert!(!shown.contains(&key_id), "{shown}");
    let keys = keys_of(&env, "edge");
    assert!(!keys
        .iter()
        .any(|k| k == "AWS_ACCESS_KEY_ID" || k == "AWS_SECRET_ACCESS_KEY"));
    assert!(keys.iter().any(|k| k == "TFC_AWS_RUN_ROLE_ARN"));
    assert!(
        keys.iter().any(|k| k == "AWS_REGION"),
        "other variables stay"
    );
    assert_eq!(key_status(&user, &key_id).await, Some(StatusType::Inactive));

    let again = env.run(&[&args[..], &["--yes"]].concat());
    assert_success(&again);
    assert!(text(&again.stdout).contains("Nothing to change"));

    let undo = env.run(&["undo", "--yes"]);
    assert_success(&undo);
    assert!(
        text(&undo.stdout).contains("keeping the OIDC setup"),
        "{}",
        text(&undo.stdout)
    );
    assert_eq!(key_status(&user, &key_id).await, Some(StatusType::Active));
    assert!(keys_of(&env, "edge")
        .iter()
        .any(|k| k == "TFC_AWS_RUN_ROLE_ARN"));
}

#[tokio::test]
async fn a_failure_part_way_keeps_keys_and_the_same_command_finishes() {
    let (user, key_id) = moto_key("resume").await;
    let Some(env) = Env::with_seed("e2e-migrate-resume", seed_with_key(&key_id)) else {
        return;
    };
    // `dns` gets its keys from legacy-aws-keys (attached to it alone): the set is emptied.
    let secret = env
        .fake
        .workspace_variables("acme", "edge")
        .into_iter()
        .find(|v| v["key"] == "AWS_SECRET_ACCESS_KEY")
        .unwrap();
    // 422: refused, not retried (a 500 on an idempotent DELETE would be retried).
    env.fake.inject(Fault::FailWrite {
        path_contains: format!("/vars/{}", secret["id"].as_str().unwrap()),
        status: 422,
        count: 1,
    });
    let role = unique("resume-role");
    let args = [
        "migrate",
        "--org",
        "acme",
        "--workspace",
        "edge",
        "--workspace",
        "dns",
        "--role-name",
        &role,
        "--no-policy",
        "--deactivate-keys",
        "--yes",
    ];
    let out = env.run(&args);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(key_status(&user, &key_id).await, Some(StatusType::Active));
    let edge = keys_of(&env, "edge");
    assert!(edge.iter().any(|k| k == "TFC_AWS_RUN_ROLE_ARN"), "{edge:?}");

    let out = env.run(&args);
    assert_success(&out);
    assert!(!keys_of(&env, "edge")
        .iter()
        .any(|k| k.starts_with("AWS_") && k != "AWS_REGION"));
    let set = env.variable_set("legacy-aws-keys");
    assert_eq!(set["vars"].as_array().unwrap().len(), 0, "{set}");
    assert_eq!(key_status(&user, &key_id).await, Some(StatusType::Inactive));
}

/// `legacy-aws-keys` (keys only) is attached to `dns` and `sandbox`: migrating `dns` detaches it
/// from `dns` through the API and leaves it on `sandbox`.
#[tokio::test]
async fn a_shared_keys_only_set_is_detached_from_the_migrated_workspace() {
    let mut seed = Seed::example();
    seed.organizations[0].variable_sets[0]
        .workspaces
        .push("sandbox".into());
    let Some(env) = Env::with_seed("e2e-migrate-detach", seed) else {
        return;
    };
    let role = unique("detach-role");
    let out = env.run(&[
        "migrate",
        "--org",
        "acme",
        "--workspace",
        "dns",
        "--role-name",
        &role,
        "--no-policy",
        "--yes",
        "--format",
        "json",
    ]);
    assert_success(&out);
    let doc = json(&out);
    let kinds: Vec<&str> = doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"detach_variable_set"), "{kinds:?}");
    assert!(!kinds.contains(&"delete_variable"), "{kinds:?}");
    assert_eq!(doc["still_receiving"].as_array().unwrap().len(), 0);
    let set = env.variable_set("legacy-aws-keys");
    assert_eq!(
        set["workspace-names"],
        serde_json::json!(["sandbox"]),
        "{set}"
    );
    assert_eq!(set["vars"].as_array().unwrap().len(), 2);
}
