//! `migrate` gives each role what its workspaces' key's IAM user may do, by default (no
//! permissions flag): two moto users — one with its own and a group's managed and inline
//! policies, one narrower — whose keys serve two workspaces of one project get two roles, each
//! with exactly its user's permissions. A key whose user cannot be read asks for a flag (exit 2).
//! moto has no user permissions boundaries (see tests/aws_moto/users.rs): the boundary is
//! covered by the core tests on the sandbox.

use fake_tfc::SeedVar;

use crate::migrate::{moto_key, seed_with_key};
use crate::support::{assert_success, iam, json, text, Env};

const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ListQueues","Resource":"*"}]}"#;

/// A customer-managed policy in moto; returns its ARN.
async fn policy(raw: &aws_sdk_iam::Client, name: &str) -> String {
    let out = raw
        .create_policy()
        .policy_name(name)
        .policy_document(DOC)
        .send()
        .await
        .unwrap();
    out.policy().unwrap().arn().unwrap().to_owned()
}

async fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[tokio::test]
async fn two_users_of_one_project_get_two_roles_each_with_its_users_permissions() {
    let (wide, wide_key) = moto_key("perms-wide").await;
    let (narrow, narrow_key) = moto_key("perms-narrow").await;
    let client = iam().await;
    let raw = client.iam_sdk();
    let group = format!("{wide}-group");
    raw.create_group().group_name(&group).send().await.unwrap();
    raw.add_user_to_group()
        .user_name(&wide)
        .group_name(&group)
        .send()
        .await
        .unwrap();
    let own = policy(raw, &format!("{wide}-own")).await;
    let theirs = policy(raw, &format!("{wide}-group")).await;
    let only = policy(raw, &format!("{narrow}-only")).await;
    let attach = |user: String, arn: String| async move {
        let req = raw.attach_user_policy().user_name(user).policy_arn(arn);
        req.send().await.unwrap();
    };
    attach(wide.clone(), own.clone()).await;
    attach(narrow.clone(), only.clone()).await;
    let req = raw.attach_group_policy().group_name(&group);
    req.policy_arn(&theirs).send().await.unwrap();
    let req = raw.put_user_policy().user_name(&wide).policy_name("mine");
    req.policy_document(DOC).send().await.unwrap();
    let req = raw
        .put_group_policy()
        .group_name(&group)
        .policy_name("ours");
    req.policy_document(DOC).send().await.unwrap();

    let mut seed = seed_with_key(&wide_key);
    let network = &mut seed.organizations[0].projects[1].workspaces[0];
    network.vars = vec![
        SeedVar::env("AWS_ACCESS_KEY_ID", &narrow_key, false),
        SeedVar::env("AWS_SECRET_ACCESS_KEY", "not-the-real-secret", true),
    ];
    let Some(env) = Env::with_seed("e2e-same-permissions", seed) else {
        return;
    };
    let args = ["migrate", "--org", "acme", "--workspace", "edge"];
    let args = [&args[..], &["--workspace", "network"]].concat();
    let dry = env.run(&[&args[..], &["--dry-run", "--format", "json"]].concat());
    assert_success(&dry);
    let doc = json(&dry);
    let users = doc["key_users"].as_array().unwrap();
    let of_wide = users.iter().find(|u| u["user"] == wide.as_str()).unwrap();
    assert_eq!(of_wide["groups"][0], group.as_str());
    assert_eq!(of_wide["managed"].as_array().unwrap().len(), 2);
    let copied: Vec<&str> = of_wide["inline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["copied_as"].as_str())
        .collect();
    assert_eq!(
        copied,
        [format!("user-{wide}-mine"), format!("group-{group}-ours")]
    );
    let out = env.run(&[&args[..], &["--yes"]].concat());
    assert_success(&out);
    let shown = text(&out.stdout);
    assert!(
        shown.contains(&format!("IAM user {wide} may do:")) && shown.contains("inline ours"),
        "{shown}"
    );

    let (wide_role, narrow_role) = (
        format!("tfc-acme-platform-{wide}"),
        format!("tfc-acme-platform-{narrow}"),
    );
    let attached = |role: String| async move {
        let out = raw.list_attached_role_policies().role_name(role);
        let out = out.send().await.unwrap();
        let arns = out.attached_policies().iter();
        sorted(
            arns.filter_map(|p| p.policy_arn().map(String::from))
                .collect(),
        )
        .await
    };
    let inline = |role: String| async move {
        let out = raw
            .list_role_policies()
            .role_name(role)
            .send()
            .await
            .unwrap();
        sorted(out.policy_names().to_vec()).await
    };
    assert_eq!(
        attached(wide_role.clone()).await,
        sorted(vec![own, theirs]).await
    );
    assert_eq!(
        inline(wide_role.clone()).await,
        sorted(vec![
            format!("group-{group}-ours"),
            format!("user-{wide}-mine")
        ])
        .await
    );
    assert_eq!(attached(narrow_role.clone()).await, [only]);
    assert!(inline(narrow_role.clone()).await.is_empty());
    let role_of = |ws: &str| {
        let vars = env.env_vars(ws);
        let arn = vars.into_iter().find(|(k, _)| k == "TFC_AWS_RUN_ROLE_ARN");
        arn.map(|(_, v)| v).unwrap_or_default()
    };
    assert!(role_of("edge").ends_with(&format!(":role/{wide_role}")));
    assert!(role_of("network").ends_with(&format!(":role/{narrow_role}")));
}

#[tokio::test]
async fn a_key_whose_user_cannot_be_read_asks_for_a_permissions_flag() {
    // The example's key id on `network` is no key moto holds.
    let Some(env) = Env::new("e2e-same-permissions-unknown") else {
        return;
    };
    let out = env.run(&[
        "migrate",
        "--org",
        "acme",
        "--workspace",
        "network",
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("workspace 'network': the permissions of its key cannot be read")
            && err.contains("--policy-arn, --policy-file or --no-policy"),
        "{err}"
    );
    let both = [
        "--workspace",
        "network",
        "--no-policy",
        "--same-permissions",
    ];
    let out = env.run(&[&["migrate", "--org", "acme"][..], &both].concat());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let chosen = ["--workspace", "network", "--no-policy", "--dry-run"];
    let out = env.run(&[&["migrate", "--org", "acme"][..], &chosen].concat());
    assert_success(&out);
}
