//! IAM OIDC providers: create, read back, list, duplicate, delete; thumbprints; an absent one;
//! and audience changes, which moto does not implement.

use tfc_oidc::core::ports::{Iam, IamError, NewOidcProvider};

use crate::support::{assert_one_line, moto_client, new_provider, tags, unique, unique_host};

#[tokio::test]
async fn oidc_provider_lifecycle() {
    let iam = moto_client!();
    let host = unique_host("p");
    let arn = iam
        .create_oidc_provider(&NewOidcProvider {
            tags: tags("acme"),
            ..new_provider(&host)
        })
        .await
        .unwrap();
    assert_eq!(
        arn,
        format!("arn:aws:iam::123456789012:oidc-provider/{host}")
    );

    let p = iam
        .get_oidc_provider(&arn)
        .await
        .unwrap()
        .expect("provider exists");
    assert_eq!(p.arn, arn);
    assert_eq!(p.url, host, "IAM returns the URL without https://");
    assert_eq!(p.client_ids, vec!["aws.workload.identity".to_owned()]);
    assert!(p.thumbprints.is_empty());
    assert_eq!(p.tags, tags("acme"));
    assert!(iam.list_oidc_providers().await.unwrap().contains(&arn));

    let again = NewOidcProvider {
        client_ids: vec![],
        ..new_provider(&host)
    };
    let dup = iam.create_oidc_provider(&again).await.unwrap_err();
    assert!(matches!(dup, IamError::AlreadyExists(_)), "{dup:?}");

    iam.delete_oidc_provider(&arn).await.unwrap();
    assert_eq!(iam.get_oidc_provider(&arn).await.unwrap(), None);
    assert!(!iam.list_oidc_providers().await.unwrap().contains(&arn));
}

#[tokio::test]
async fn oidc_provider_with_thumbprint() {
    let iam = moto_client!();
    let host = unique_host("t");
    let thumb = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280".to_owned();
    let arn = iam
        .create_oidc_provider(&NewOidcProvider {
            thumbprints: vec![thumb.clone()],
            ..new_provider(&host)
        })
        .await
        .unwrap();
    let p = iam.get_oidc_provider(&arn).await.unwrap().unwrap();
    assert_eq!(p.thumbprints, vec![thumb]);
    assert!(p.tags.is_empty());
    iam.delete_oidc_provider(&arn).await.unwrap();
}

#[tokio::test]
async fn absent_provider_is_none() {
    let iam = moto_client!();
    let arn = format!(
        "arn:aws:iam::123456789012:oidc-provider/{}.example.com",
        unique("a")
    );
    assert_eq!(iam.get_oidc_provider(&arn).await.unwrap(), None);
}

/// moto does not implement AddClientID/RemoveClientID (HTTP 500): the adapter still reports a
/// one-line error. Real behaviour is covered by the sandbox tests.
#[tokio::test]
async fn client_id_changes_fail_cleanly_on_moto() {
    let iam = moto_client!();
    let arn = iam
        .create_oidc_provider(&new_provider(&unique_host("c")))
        .await
        .unwrap();
    match iam.add_client_id(&arn, "other-audience").await {
        Ok(()) => {
            // A moto that implements it: check the effect, then remove it again.
            let p = iam.get_oidc_provider(&arn).await.unwrap().unwrap();
            assert!(p.client_ids.contains(&"other-audience".to_owned()));
            iam.remove_client_id(&arn, "other-audience").await.unwrap();
            let p = iam.get_oidc_provider(&arn).await.unwrap().unwrap();
            assert!(!p.client_ids.contains(&"other-audience".to_owned()));
        }
        Err(e) => {
            assert!(matches!(e, IamError::Other(_)), "{e:?}");
            assert_one_line(&e);
            let e = iam
                .remove_client_id(&arn, "aws.workload.identity")
                .await
                .unwrap_err();
            assert_one_line(&e);
        }
    }
    iam.delete_oidc_provider(&arn).await.unwrap();
}
