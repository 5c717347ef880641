//! What `migrate` asks IAM about a static key found in a workspace: its user and last use
//! (`GetAccessKeyLastUsed`), the user's keys with their creation dates (`ListAccessKeys`) and the
//! account a key belongs to (`sts:GetAccessKeyInfo`), for a key of this account and of another;
//! and whether a user has a console password (`GetLoginProfile`).
//!
//! moto differs from IAM here (checked against its source): `GetAccessKeyLastUsed` searches the
//! keys of every account it holds, so a key of another account answers with that account's user
//! name (IAM answers `AccessDenied`); `ListAccessKeys` of that user then finds no such user in
//! this account, which is how the core tells the two apart. `GetAccessKeyInfo` names the owning
//! account (for an unknown key moto names the caller's).

use aws_sdk_iam::config::Credentials;
use tfc_oidc::core::ports::{AccessKeyStatus, Iam};

use crate::support::{moto_client, unique};

/// Another moto account, reached through credentials from `sts:AssumeRole`.
const OTHER_ACCOUNT: &str = "210987654321";

/// A raw IAM client acting in [`OTHER_ACCOUNT`].
async fn other_account_iam() -> aws_sdk_iam::Client {
    let sdk = tfc_oidc::aws::load_sdk_config(None, None).await;
    let sts = aws_sdk_sts::Client::new(&sdk);
    let assumed = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{OTHER_ACCOUNT}:role/cross-account"))
        .role_session_name("migrate-test")
        .send()
        .await
        .unwrap();
    let c = assumed.credentials().unwrap();
    let creds = Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        None,
        "assumed",
    );
    let conf = aws_sdk_iam::config::Builder::from(&sdk)
        .credentials_provider(creds)
        .build();
    aws_sdk_iam::Client::from_conf(conf)
}

#[tokio::test]
async fn a_key_of_this_account_has_a_user_an_age_and_no_use_yet() {
    let iam = moto_client!();
    let raw = iam.iam_sdk();
    let user = unique("key");
    raw.create_user().user_name(&user).send().await.unwrap();
    let made = raw
        .create_access_key()
        .user_name(&user)
        .send()
        .await
        .unwrap();
    let key_id = made.access_key().unwrap().access_key_id().to_owned();

    let used = iam.access_key_last_used(&key_id).await.unwrap().unwrap();
    assert_eq!(used.user, user);
    assert_eq!(used.last_used, None);
    assert_eq!((used.service, used.region), (None, None), "N/A is None");

    let keys = iam.list_access_keys(&user).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].id, key_id);
    assert_eq!(keys[0].status, AccessKeyStatus::Active);
    let created = keys[0].created.as_deref().unwrap();
    assert!(
        created.starts_with("20") && created.contains('T'),
        "{created}"
    );

    let account = iam.access_key_account(&key_id).await.unwrap();
    assert_eq!(account.as_deref(), Some("123456789012"));

    assert!(iam
        .list_access_keys(&unique("nouser"))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        iam.access_key_last_used("AKIAXXXXXXXXXXXXXXXX")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_key_of_another_account_is_not_among_this_accounts_keys() {
    let iam = moto_client!();
    let other = other_account_iam().await;
    let user = unique("foreign");
    other.create_user().user_name(&user).send().await.unwrap();
    let made = other
        .create_access_key()
        .user_name(&user)
        .send()
        .await
        .unwrap();
    let key_id = made.access_key().unwrap().access_key_id().to_owned();

    // moto names the other account's user; IAM would refuse (AccessDenied).
    if let Ok(Some(used)) = iam.access_key_last_used(&key_id).await {
        assert_eq!(used.user, user);
    }
    assert!(iam.list_access_keys(&user).await.unwrap().is_empty());
    let account = iam.access_key_account(&key_id).await.unwrap();
    assert_eq!(account.as_deref(), Some(OTHER_ACCOUNT));
}

/// `GetLoginProfile` through the adapter: `NoSuchEntity` (no console password) is `false`.
#[tokio::test]
async fn a_console_password_is_found_and_its_absence_is_false() {
    let iam = moto_client!();
    let raw = iam.iam_sdk();
    let user = unique("login");
    raw.create_user().user_name(&user).send().await.unwrap();
    assert!(!iam.login_profile_exists(&user).await.unwrap());
    raw.create_login_profile()
        .user_name(&user)
        .password("Not-a-real-password-1!")
        .send()
        .await
        .unwrap();
    assert!(iam.login_profile_exists(&user).await.unwrap());
}
