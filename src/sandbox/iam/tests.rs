//! Tests of [`super::SandboxIam`] through the `Iam` port.

use super::*;
use AccessKeyStatus::*;
use IamError::*;

const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";

fn role(name: &str, policy: &str) -> NewRole {
    let (description, tags) = ("made by a test".to_string(), vec![]);
    NewRole {
        name: name.into(),
        trust_policy: policy.into(),
        description,
        tags,
        permissions_boundary: None,
    }
}

fn provider(url: &str) -> NewOidcProvider {
    let client_ids = vec!["aws.workload.identity".to_string()];
    NewOidcProvider {
        url: url.into(),
        client_ids,
        thumbprints: vec![],
        tags: vec![],
    }
}

#[tokio::test]
async fn oidc_providers() {
    let iam = SandboxIam::new();
    let arn = iam
        .create_oidc_provider(&provider("https://app.terraform.io"))
        .await
        .unwrap();
    assert_eq!(arn, ARN);
    let again = iam
        .create_oidc_provider(&provider("https://app.terraform.io/"))
        .await;
    assert!(matches!(again, Err(AlreadyExists(_))));
    assert!(iam
        .create_oidc_provider(&provider("app.terraform.io"))
        .await
        .is_err());
    iam.add_client_id(ARN, "other").await.unwrap();
    iam.add_client_id(ARN, "other").await.unwrap();
    iam.remove_client_id(ARN, "missing").await.unwrap();
    let p = iam.get_oidc_provider(ARN).await.unwrap().unwrap();
    assert_eq!(
        (p.url.as_str(), p.client_ids.len()),
        ("app.terraform.io", 2)
    );
    assert_eq!(
        iam.list_oidc_providers().await.unwrap(),
        vec![ARN.to_string()]
    );
    let bad_arn = "arn:aws:iam::123456789012:oidc-provider/nope";
    assert!(matches!(
        iam.add_client_id(bad_arn, "x").await,
        Err(NoSuchEntity(_))
    ));
    iam.delete_oidc_provider(ARN).await.unwrap();
    iam.delete_oidc_provider(ARN).await.unwrap();
    assert_eq!(iam.get_oidc_provider(ARN).await.unwrap(), None);
}

#[tokio::test]
async fn roles_and_policies() {
    let iam = SandboxIam::new();
    let r = iam
        .create_role(&role("Deploy", "{\"Version\":\"2012-10-17\"}"))
        .await
        .unwrap();
    assert_eq!(r.arn, "arn:aws:iam::123456789012:role/Deploy");
    assert!(matches!(
        iam.create_role(&role("deploy", "{}")).await,
        Err(AlreadyExists(_))
    ));
    let malformed = iam.create_role(&role("x", "{nope")).await;
    assert!(matches!(malformed, Err(InvalidInput(m)) if m.starts_with("MalformedPolicyDocument")));
    assert_eq!(
        iam.get_role("DEPLOY").await.unwrap().unwrap().name,
        "Deploy"
    );
    assert!(iam.update_trust_policy("deploy", "[").await.is_err());
    iam.update_trust_policy("deploy", "{\"a\":1}")
        .await
        .unwrap();
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    iam.attach_policy("Deploy", admin).await.unwrap();
    iam.attach_policy("Deploy", admin).await.unwrap();
    let unknown = iam
        .attach_policy("Deploy", "arn:aws:iam::aws:policy/Nope")
        .await;
    assert!(matches!(unknown, Err(NoSuchEntity(_))));
    iam.put_inline_policy("Deploy", "inline", "{}")
        .await
        .unwrap();
    let conflict = Err(InvalidInput("DeleteConflict: detach policies first".into()));
    assert_eq!(iam.delete_role("Deploy").await, conflict);
    assert_eq!(
        iam.list_attached_policies("Deploy").await.unwrap(),
        vec![admin]
    );
    iam.detach_policy("Deploy", admin).await.unwrap();
    assert!(matches!(
        iam.detach_policy("Deploy", admin).await,
        Err(NoSuchEntity(_))
    ));
    assert_eq!(iam.delete_role("Deploy").await, conflict);
    assert_eq!(
        iam.get_inline_policy("Deploy", "inline")
            .await
            .unwrap()
            .unwrap(),
        "{}"
    );
    assert_eq!(
        iam.list_inline_policies("Deploy").await.unwrap(),
        vec!["inline"]
    );
    iam.delete_inline_policy("Deploy", "inline").await.unwrap();
    assert!(iam.delete_inline_policy("Deploy", "inline").await.is_err());
    iam.delete_role("Deploy").await.unwrap();
    assert!(matches!(
        iam.delete_role("Deploy").await,
        Err(NoSuchEntity(_))
    ));
    assert_eq!(
        iam.get_inline_policy("Deploy", "inline").await.unwrap(),
        None
    );
    assert!(iam.list_roles().await.unwrap().is_empty());
}

#[tokio::test]
async fn access_keys() {
    let iam = SandboxIam::new();
    iam.add_access_key("ci-deployer", "AKIA1", Active);
    let user = |key: &'static str| {
        let iam = &iam;
        async move { iam.access_key_last_used(key).await.unwrap().map(|u| u.user) }
    };
    assert_eq!(user("AKIA1").await.as_deref(), Some("ci-deployer"));
    assert_eq!(user("AKIA2").await, None);
    iam.set_access_key_status("ci-deployer", "AKIA1", Inactive)
        .await
        .unwrap();
    assert_eq!(iam.access_key_status("AKIA1"), Some(Inactive));
    let wrong_user = iam.set_access_key_status("bob", "AKIA1", Active).await;
    assert!(matches!(wrong_user, Err(NoSuchEntity(_))));
}

#[tokio::test]
async fn access_key_facts_and_foreign_keys() {
    let iam = SandboxIam::new();
    iam.add_access_key("ci-deployer", "AKIA1", Active);
    let when = Some(("2025-01-02T03:04:05Z", "s3", "us-east-1"));
    iam.set_access_key_use("AKIA1", Some("2024-01-01T00:00:00Z"), when);
    let used = iam.access_key_last_used("AKIA1").await.unwrap().unwrap();
    assert_eq!(used.user, "ci-deployer");
    assert_eq!(used.last_used.as_deref(), Some("2025-01-02T03:04:05Z"));
    assert_eq!(used.service.as_deref(), Some("s3"));
    let keys = iam.list_access_keys("ci-deployer").await.unwrap();
    assert_eq!(keys[0].created.as_deref(), Some("2024-01-01T00:00:00Z"));
    assert!(iam.list_access_keys("nobody").await.unwrap().is_empty());
    assert_eq!(iam.access_key_last_used("AKIA2").await.unwrap(), None);
    assert_eq!(iam.access_key_account("AKIA2").await.unwrap(), None);
    iam.add_foreign_access_key("AKIA9", "999999999999");
    let refused = iam.access_key_last_used("AKIA9").await;
    assert!(matches!(refused, Err(AccessDenied(_))));
    let owner = iam.access_key_account("AKIA9").await.unwrap();
    assert_eq!(owner.as_deref(), Some("999999999999"));
    let own = iam.access_key_account("AKIA1").await.unwrap();
    assert_eq!(own.as_deref(), Some("123456789012"));
}

#[tokio::test]
async fn fault_injection_and_call_log() {
    let iam = SandboxIam::new();
    iam.fail_on("create_role", 2, Throttled("slow down".into()));
    iam.create_role(&role("a", "{}")).await.unwrap();
    let failed = iam.create_role(&role("b", "{}")).await;
    assert_eq!(failed, Err(Throttled("slow down".into())));
    assert_eq!(iam.get_role("b").await.unwrap(), None);
    iam.create_role(&role("b", "{}")).await.unwrap();
    let ops: Vec<_> = iam
        .calls()
        .iter()
        .map(|c| (c.op, c.write, c.target.clone()))
        .collect();
    assert_eq!(ops[1], ("create_role", true, "b".to_string()));
    assert_eq!((ops.len(), iam.write_count()), (4, 3));
    iam.clear_calls();
    assert_eq!(iam.write_count(), 0);
}

#[tokio::test]
async fn state_round_trip() {
    let iam = SandboxIam::new();
    iam.add_access_key("u", "AKIA1", Active);
    iam.create_role(&role("a", "{}")).await.unwrap();
    iam.set_role_last_used("A", Some("2024-01-01T00:00:00Z"))
        .unwrap();
    iam.create_oidc_provider(&provider("https://app.terraform.io"))
        .await
        .unwrap();
    let back = SandboxIam::from_state_json(&iam.state_json()).unwrap();
    assert_eq!(back.state_json(), iam.state_json());
    let a = back.get_role("a").await.unwrap().unwrap();
    assert_eq!(a.last_used.as_deref(), Some("2024-01-01T00:00:00Z"));
    assert!(SandboxIam::from_state_json("{}").is_err());
}
