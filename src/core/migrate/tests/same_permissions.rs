//! The key's same permissions: what the user and its groups may do goes to the role, users
//! with different permissions get different roles, an unreadable user asks for a flag, and
//! chosen permissions say what the role will lack.

use super::*;
use crate::core::ports::{Iam, IamError};

const S3: &str = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const BOUNDARY: &str = "arn:aws:iam::123456789012:policy/ci-boundary";
const DOC: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#;

/// Project `shop`: `web` and `batch` use keys of users `shop-ci` and `shop-batch` (the same
/// permissions: S3, an inline policy, group `builders` with its own inline policy, a boundary),
/// `api` a key of `shop-reader` (ReadOnlyAccess only).
async fn shop_with_users() -> Sandbox {
    let sb = Sandbox::demo();
    let tfc = &sb.tfc;
    let project = tfc.add_project("acme-corp", "shop").unwrap();
    let keyed = [
        ("web", "shop-ci", "AKIASHOPWEB00001"),
        ("batch", "shop-batch", "AKIASHOPBATCH001"),
        ("api", "shop-reader", "AKIASHOPAPI00001"),
    ];
    for (ws, user, key) in keyed {
        let id = tfc.add_workspace("acme-corp", &project, ws).unwrap();
        tfc.add_workspace_variable(&id, &env("AWS_ACCESS_KEY_ID", key, false))
            .unwrap();
        tfc.add_workspace_variable(&id, &env("AWS_SECRET_ACCESS_KEY", "s", true))
            .unwrap();
        sb.iam.add_access_key(user, key, AccessKeyStatus::Active);
    }
    for user in ["shop-ci", "shop-batch"] {
        sb.iam.attach_user_policy(user, S3);
        sb.iam.put_user_policy(user, "queues", DOC);
        sb.iam.set_user_boundary(user, Some(BOUNDARY));
        sb.iam.add_user_to_group(user, "builders");
    }
    sb.iam.put_group_policy("builders", "build-logs", DOC);
    sb.iam.attach_user_policy("shop-reader", READ_ONLY);
    sb
}

fn same(scope: MigrationScope) -> MigrateRequest {
    MigrateRequest {
        same_permissions: true,
        permissions: Permissions::default(),
        deactivate_keys: false,
        ..request(scope)
    }
}

fn created_roles(m: &Migration) -> Vec<String> {
    let roles = m.plan.changes.iter().filter_map(|c| match &c.change {
        Change::CreateRole(r) => Some(r.name.clone()),
        _ => None,
    });
    roles.collect()
}

#[tokio::test]
async fn each_distinct_permission_set_gets_its_own_role_with_exactly_that() {
    let sb = shop_with_users().await;
    let m = migrate(&sb, &same(MigrationScope::Project("shop".into()))).await;
    assert_eq!(
        created_roles(&m),
        [
            "tfc-acme-corp-shop-shop-batch",
            "tfc-acme-corp-shop-shop-reader"
        ],
        "web and batch share one role, api gets its own: never the union"
    );
    let text: Vec<String> = m.plan.notes.iter().map(|n| n.to_string()).collect();
    let text = text.join("\n");
    assert!(
        text.contains("IAM user shop-ci may do: AmazonS3FullAccess (own), inline queues (own), inline build-logs (group builders); permissions boundary arn:aws:iam::123456789012:policy/ci-boundary"),
        "{text}"
    );
    assert!(
        text.contains(
            "group builders are copied to role tfc-acme-corp-shop-shop-batch, not linked"
        ),
        "{text}"
    );
    let journal = Journal::in_memory();
    apply_plan(&sb, &journal, m).await.unwrap();
    let iam = sb.iam.as_ref();
    let wide = "tfc-acme-corp-shop-shop-batch";
    assert_eq!(iam.list_attached_policies(wide).await.unwrap(), [S3]);
    let mut inline = iam.list_inline_policies(wide).await.unwrap();
    inline.sort();
    assert_eq!(
        inline,
        ["group-builders-build-logs", "user-shop-batch-queues"]
    );
    assert_eq!(sb.iam.role_boundary(wide).as_deref(), Some(BOUNDARY));
    let narrow = "tfc-acme-corp-shop-shop-reader";
    assert_eq!(
        iam.list_attached_policies(narrow).await.unwrap(),
        [READ_ONLY]
    );
    assert!(iam.list_inline_policies(narrow).await.unwrap().is_empty());
    assert_eq!(sb.iam.role_boundary(narrow), None);
    let web = run_keys(&sb, "web").await;
    assert!(web.contains(&(
        "TFC_AWS_RUN_ROLE_ARN".into(),
        Some(format!("arn:aws:iam::123456789012:role/{wide}"))
    )));
}

#[tokio::test]
async fn one_permission_set_keeps_the_project_role_name() {
    let sb = shop_with_users().await;
    let m = migrate(&sb, &same(names(&["web", "batch"]))).await;
    assert_eq!(created_roles(&m), ["tfc-acme-corp-shop"]);
}

#[tokio::test]
async fn a_user_that_cannot_be_read_asks_for_a_permissions_flag() {
    let sb = shop_with_users().await;
    sb.iam.fail_on(
        "list_groups_for_user",
        1,
        IamError::AccessDenied("iam:ListGroupsForUser".into()),
    );
    let req = same(names(&["api"]));
    let err = plan_migration(&req, sb.iam.as_ref(), sb.tfc.as_ref(), &[], &|_| {})
        .await
        .unwrap_err();
    assert!(err.is_usage());
    let text = err.to_string();
    assert!(text.starts_with("workspace 'api': the permissions of its key cannot be read (user shop-reader: access denied"), "{text}");
    assert!(
        text.ends_with("--policy-arn, --policy-file or --no-policy"),
        "{text}"
    );
}

#[tokio::test]
async fn chosen_permissions_say_what_the_role_will_lack_and_user_variables_are_named() {
    let sb = shop_with_users().await;
    let m = migrate(&sb, &request(names(&["web"]))).await;
    let text: Vec<String> = m.plan.notes.iter().map(|n| n.to_string()).collect();
    let text = text.join("\n");
    assert!(
        text.contains("warning: role tfc-acme-corp-shop gets the chosen permissions, not the key's: it will lack AmazonS3FullAccess (own), inline queues (own) and inline build-logs (group builders) of user shop-ci"),
        "{text}"
    );
    sb.iam.put_user_policy(
        "shop-ci",
        "self",
        r#"{"Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#,
    );
    for i in 0..10 {
        sb.iam.attach_group_policy(
            "builders",
            &format!("arn:aws:iam::123456789012:policy/p{i}"),
        );
    }
    let m = migrate(&sb, &same(names(&["web"]))).await;
    let text: Vec<String> = m.plan.notes.iter().map(|n| n.to_string()).collect();
    let text = text.join("\n");
    assert!(
        text.contains("inline policy self (own) of user shop-ci uses aws:username"),
        "{text}"
    );
    assert!(
        text.contains("user shop-ci has 11 managed policies"),
        "{text}"
    );
}

#[tokio::test]
async fn a_reused_role_keeps_its_boundary_and_says_so() {
    let sb = shop_with_users().await;
    let journal = Journal::in_memory();
    let first = migrate(&sb, &same(names(&["web"]))).await;
    apply_plan(&sb, &journal, first).await.unwrap();
    let again = migrate(&sb, &same(names(&["batch"]))).await;
    let text: Vec<String> = again.plan.notes.iter().map(|n| n.to_string()).collect();
    assert!(
        text.contains(&format!("warning: role tfc-acme-corp-shop exists: its permissions boundary is left as it is, not set to {BOUNDARY}")),
        "{text:?}"
    );
}

#[tokio::test]
async fn the_demo_key_user_has_policies_to_copy() {
    let sb = Sandbox::demo();
    let m = migrate(&sb, &same(MigrationScope::All)).await;
    let text: Vec<String> = m.plan.notes.iter().map(|n| n.to_string()).collect();
    let text = text.join("\n");
    assert!(
        text.contains("IAM user ci-deployer may do: AmazonS3FullAccess (own), PowerUserAccess (group deployers), inline terraform-state (own), inline own-access-keys (group deployers)"),
        "{text}"
    );
    assert!(
        text.contains(
            "inline policy own-access-keys (group deployers) of user ci-deployer uses aws:username"
        ),
        "{text}"
    );
    let puts = m.plan.changes.iter().filter(|c| {
        matches!(&c.change, Change::PutRolePolicy(p) if p.policy_name == "group-deployers-own-access-keys")
    });
    assert_eq!(puts.count(), 3, "one copy per project's role");
}
