//! What `migrate --same-permissions` asks IAM about a key's user: its permissions boundary
//! (`GetUser`), its own and its groups' managed policies (`ListAttachedUserPolicies`,
//! `ListGroupsForUser`, `ListAttachedGroupPolicies`), the inline policies of both
//! (`ListUserPolicies`/`GetUserPolicy`, `ListGroupPolicies`/`GetGroupPolicy`); and `CreateRole`
//! with a permissions boundary.
//!
//! moto (5.x) has no user permissions boundary (no `PutUserPermissionsBoundary`, and `GetUser`
//! never names one), so the boundary read is only checked to be `None` here; the sandbox's
//! tests cover a user with one. moto does keep a role's boundary from `CreateRole`.

use tfc_oidc::core::ports::{Iam, IamError};

use crate::support::{moto_client, new_role, unique};

const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ListQueues","Resource":"*"}]}"#;

fn same_json(a: &str, b: &str) -> bool {
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    parse(a) == parse(b)
}

#[tokio::test]
async fn a_users_own_and_group_policies_are_read() {
    let iam = moto_client!();
    let raw = iam.iam_sdk();
    let (user, group) = (unique("perm-user"), unique("perm-group"));
    raw.create_user().user_name(&user).send().await.unwrap();
    raw.create_group().group_name(&group).send().await.unwrap();
    raw.add_user_to_group()
        .user_name(&user)
        .group_name(&group)
        .send()
        .await
        .unwrap();
    let made = |name: String| async move {
        let out = raw
            .create_policy()
            .policy_name(name)
            .policy_document(DOC)
            .send()
            .await
            .unwrap();
        out.policy().unwrap().arn().unwrap().to_owned()
    };
    let (own, theirs) = (made(unique("own")).await, made(unique("theirs")).await);
    raw.attach_user_policy()
        .user_name(&user)
        .policy_arn(&own)
        .send()
        .await
        .unwrap();
    raw.attach_group_policy()
        .group_name(&group)
        .policy_arn(&theirs)
        .send()
        .await
        .unwrap();
    raw.put_user_policy()
        .user_name(&user)
        .policy_name("mine")
        .policy_document(DOC)
        .send()
        .await
        .unwrap();
    raw.put_group_policy()
        .group_name(&group)
        .policy_name("ours")
        .policy_document(DOC)
        .send()
        .await
        .unwrap();

    assert_eq!(iam.user_permissions_boundary(&user).await.unwrap(), None);
    assert_eq!(iam.list_attached_user_policies(&user).await.unwrap(), [own]);
    assert_eq!(
        iam.list_groups_for_user(&user).await.unwrap(),
        [group.as_str()]
    );
    assert_eq!(
        iam.list_attached_group_policies(&group).await.unwrap(),
        [theirs]
    );
    let mine = iam.user_inline_policies(&user).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].name, "mine");
    assert!(same_json(&mine[0].document, DOC), "{}", mine[0].document);
    let ours = iam.group_inline_policies(&group).await.unwrap();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].name, "ours");
    assert!(same_json(&ours[0].document, DOC), "{}", ours[0].document);
}

#[tokio::test]
async fn an_unknown_user_is_no_such_entity() {
    let iam = moto_client!();
    let err = iam
        .user_permissions_boundary(&unique("nobody"))
        .await
        .unwrap_err();
    assert!(matches!(err, IamError::NoSuchEntity(_)), "{err:?}");
}

#[tokio::test]
async fn a_role_is_created_with_a_permissions_boundary() {
    let iam = moto_client!();
    let raw = iam.iam_sdk();
    let boundary = raw
        .create_policy()
        .policy_name(unique("boundary"))
        .policy_document(DOC)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    let name = unique("bounded");
    let mut role = new_role(&name);
    role.permissions_boundary = Some(boundary.clone());
    iam.create_role(&role).await.unwrap();
    let got = raw.get_role().role_name(&name).send().await.unwrap();
    let set = got.role().unwrap().permissions_boundary().unwrap();
    assert_eq!(set.permissions_boundary_arn(), Some(boundary.as_str()));
}
