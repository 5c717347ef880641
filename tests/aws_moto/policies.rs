//! Permissions of a role: managed policies (customer- and AWS-managed), inline policies, and the
//! validation of malformed policy documents.

use tfc_oidc::core::ports::{Iam, IamError};

use crate::support::{assert_one_line, moto_client, new_role, unique, READ_ONLY};

#[tokio::test]
async fn managed_policies_attach_list_detach() {
    let iam = moto_client!();
    let name = unique("m");
    iam.create_role(&new_role(&name)).await.unwrap();
    assert!(iam.list_attached_policies(&name).await.unwrap().is_empty());

    // A customer-managed policy always exists; AWS-managed ones only when moto loads them
    // (MOTO_IAM_LOAD_MANAGED_POLICIES=true).
    let own = iam
        .iam_sdk()
        .create_policy()
        .policy_name(unique("pol"))
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .policy()
        .and_then(|p| p.arn())
        .unwrap()
        .to_owned();
    let aws_managed = iam
        .iam_sdk()
        .get_policy()
        .policy_arn(READ_ONLY)
        .send()
        .await
        .is_ok();
    let mut expected = vec![own.clone()];
    if aws_managed {
        expected.push(READ_ONLY.to_owned());
    } else {
        eprintln!("note: moto has no AWS-managed policies (MOTO_IAM_LOAD_MANAGED_POLICIES unset)");
    }
    for arn in &expected {
        iam.attach_policy(&name, arn).await.unwrap();
    }
    let mut listed = iam.list_attached_policies(&name).await.unwrap();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);

    let missing = "arn:aws:iam::aws:policy/NoSuchPolicyAtAll";
    let e = iam.attach_policy(&name, missing).await.unwrap_err();
    assert!(
        matches!(e, IamError::NoSuchEntity(_) | IamError::InvalidInput(_)),
        "{e:?}"
    );

    for arn in &expected {
        iam.detach_policy(&name, arn).await.unwrap();
    }
    assert!(iam.list_attached_policies(&name).await.unwrap().is_empty());
    let e = iam.detach_policy(&name, &own).await.unwrap_err();
    assert!(matches!(e, IamError::NoSuchEntity(_)), "{e:?}");
    let e = iam
        .list_attached_policies(&unique("none"))
        .await
        .unwrap_err();
    assert!(matches!(e, IamError::NoSuchEntity(_)), "{e:?}");
    iam.delete_role(&name).await.unwrap();
}

#[tokio::test]
async fn inline_policies_put_get_delete() {
    let iam = moto_client!();
    let name = unique("i");
    iam.create_role(&new_role(&name)).await.unwrap();
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::bucket/a b+c%/*"}]}"#;
    assert_eq!(iam.get_inline_policy(&name, "perms").await.unwrap(), None);
    iam.put_inline_policy(&name, "perms", doc).await.unwrap();
    assert_eq!(
        iam.list_inline_policies(&name).await.unwrap(),
        vec!["perms".to_owned()]
    );
    assert_eq!(
        iam.get_inline_policy(&name, "perms")
            .await
            .unwrap()
            .as_deref(),
        Some(doc)
    );

    iam.delete_inline_policy(&name, "perms").await.unwrap();
    assert!(iam.list_inline_policies(&name).await.unwrap().is_empty());
    assert_eq!(iam.get_inline_policy(&name, "perms").await.unwrap(), None);
    let e = iam.delete_inline_policy(&name, "perms").await.unwrap_err();
    assert!(matches!(e, IamError::NoSuchEntity(_)), "{e:?}");
    iam.delete_role(&name).await.unwrap();
}

/// moto validates inline policies (PutRolePolicy) and trust policies on UpdateAssumeRolePolicy,
/// but not the trust policy given to CreateRole (IAM does: MalformedPolicyDocument).
#[tokio::test]
async fn malformed_policies_are_invalid_input() {
    let iam = moto_client!();
    let name = unique("x");
    let mut bad = new_role(&name);
    bad.trust_policy = "this is not json".into();
    match iam.create_role(&bad).await {
        Err(e) => {
            assert!(matches!(e, IamError::InvalidInput(_)), "{e:?}");
            assert_one_line(&e);
            iam.create_role(&new_role(&name)).await.unwrap();
        }
        Ok(_) => {
            // moto accepted it; put a valid document back for the rest of the test.
            iam.update_trust_policy(&name, &new_role(&name).trust_policy)
                .await
                .unwrap();
        }
    }
    let e = iam
        .put_inline_policy(&name, "p", r#"{"Version":"2012-10-17","Statement":"nope"}"#)
        .await
        .unwrap_err();
    assert!(
        matches!(e, IamError::InvalidInput(ref m) if m.contains("MalformedPolicyDocument")),
        "{e:?}"
    );
    assert_one_line(&e);
    let e = iam.update_trust_policy(&name, "{").await.unwrap_err();
    assert!(matches!(e, IamError::InvalidInput(_)), "{e:?}");
    assert_one_line(&e);
    iam.delete_role(&name).await.unwrap();
}

/// `get_managed_policy_document` reads the default version (GetPolicy → GetPolicyVersion) and
/// decodes it; a policy that does not exist is `None`.
#[tokio::test]
async fn customer_managed_policy_documents_are_read_back_decoded() {
    let iam = moto_client!();
    let name = unique("c");
    iam.create_role(&new_role(&name)).await.unwrap();
    let first =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    // Spaces, `+`, `%` and `/` all come back percent-encoded from IAM (and moto).
    let second = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "state", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bucket/a b+c%/*"}]}"#;
    let sdk = iam.iam_sdk();
    let arn = sdk
        .create_policy()
        .policy_name(unique("pol"))
        .policy_document(first)
        .send()
        .await
        .unwrap()
        .policy()
        .and_then(|p| p.arn())
        .unwrap()
        .to_owned();
    iam.attach_policy(&name, &arn).await.unwrap();
    assert_eq!(
        iam.list_attached_policies(&name).await.unwrap(),
        std::slice::from_ref(&arn)
    );
    assert_eq!(
        iam.get_managed_policy_document(&arn)
            .await
            .unwrap()
            .as_deref(),
        Some(first)
    );

    // A new default version is what is read.
    sdk.create_policy_version()
        .policy_arn(&arn)
        .policy_document(second)
        .set_as_default(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.get_managed_policy_document(&arn)
            .await
            .unwrap()
            .as_deref(),
        Some(second)
    );

    let account = arn.split(':').nth(4).unwrap();
    let missing = format!("arn:aws:iam::{account}:policy/{}", unique("none"));
    assert_eq!(
        iam.get_managed_policy_document(&missing).await.unwrap(),
        None
    );

    iam.detach_policy(&name, &arn).await.unwrap();
    iam.delete_role(&name).await.unwrap();
}

/// `GetPolicy` through the port: what the planner asks before it plans an attach.
#[tokio::test]
async fn managed_policy_exists_answers_get_policy() {
    let iam = moto_client!();
    let own = iam
        .iam_sdk()
        .create_policy()
        .policy_name(unique("exists"))
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .policy()
        .and_then(|p| p.arn())
        .unwrap()
        .to_owned();
    assert!(iam.managed_policy_exists(&own).await.unwrap());
    let account = own.split(':').nth(4).unwrap();
    let missing = format!("arn:aws:iam::{account}:policy/{}", unique("never-made"));
    assert!(!iam.managed_policy_exists(&missing).await.unwrap());
    assert!(!iam
        .managed_policy_exists("arn:aws:iam::aws:policy/NoSuchPolicyAtAll")
        .await
        .unwrap());
}
