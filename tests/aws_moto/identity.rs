//! Who the adapter acts as and which keys exist: the caller identity, access keys and their
//! users, and an endpoint where nothing listens.

use aws_sdk_iam::types::StatusType;
use tfc_oidc::aws::IamClient;
use tfc_oidc::core::ports::{AccessKeyStatus, Iam, IamError};

use crate::support::{assert_one_line, moto_client, unique};

/// The status of `key_id` as `ListAccessKeys` shows it, read with the raw SDK.
async fn key_status(raw: &aws_sdk_iam::Client, user: &str, key_id: &str) -> Option<StatusType> {
    let keys = raw.list_access_keys().user_name(user).send().await.unwrap();
    keys.access_key_metadata()
        .iter()
        .find(|k| k.access_key_id() == Some(key_id))
        .and_then(|k| k.status().cloned())
}

#[tokio::test]
async fn caller_identity_is_motos_account() {
    let iam = moto_client!();
    let me = iam.caller_identity().await.unwrap();
    assert_eq!(me.account, "123456789012");
    assert!(me.arn.starts_with("arn:aws:"), "{}", me.arn);
    assert_eq!(me.partition(), "aws");
}

#[tokio::test]
async fn access_keys_user_and_status() {
    let iam = moto_client!();
    let user = unique("u");
    let raw = iam.iam_sdk();
    raw.create_user().user_name(&user).send().await.unwrap();
    let key = raw
        .create_access_key()
        .user_name(&user)
        .send()
        .await
        .unwrap();
    let key_id = key.access_key().unwrap().access_key_id().to_owned();

    let owner = iam
        .access_key_last_used(&key_id)
        .await
        .unwrap()
        .map(|u| u.user);
    assert_eq!(owner.as_deref(), Some(user.as_str()));
    iam.set_access_key_status(&user, &key_id, AccessKeyStatus::Inactive)
        .await
        .unwrap();
    assert_eq!(
        key_status(raw, &user, &key_id).await,
        Some(StatusType::Inactive)
    );
    iam.set_access_key_status(&user, &key_id, AccessKeyStatus::Active)
        .await
        .unwrap();
    assert_eq!(
        key_status(raw, &user, &key_id).await,
        Some(StatusType::Active)
    );

    let unknown = iam
        .access_key_last_used("AKIAXXXXXXXXXXXXXXXX")
        .await
        .unwrap();
    assert_eq!(unknown, None);
    let e = iam
        .set_access_key_status(&unique("nouser"), &key_id, AccessKeyStatus::Inactive)
        .await
        .unwrap_err();
    assert!(matches!(e, IamError::NoSuchEntity(_)), "{e:?}");
}

/// An endpoint where nothing listens: a one-line `Credentials` error naming the endpoint.
#[tokio::test]
async fn unreachable_endpoint_is_a_one_line_error() {
    let _ = moto_client!();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(tfc_oidc::aws::https_client())
        .region(aws_config::Region::from_static("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await;
    let iam = IamClient::new(&sdk);
    let e = iam.caller_identity().await.unwrap_err();
    assert!(
        matches!(e, IamError::Credentials(ref m) if m.contains(&port.to_string())),
        "{e:?}"
    );
    assert_one_line(&e);
}
