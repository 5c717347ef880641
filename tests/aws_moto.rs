//! `IamClient` (the real AWS adapter) against moto.
//!
//! `scripts/test` starts `moto_server` on a free loopback port and exports
//! `AWS_ENDPOINT_URL=http://127.0.0.1:PORT`, test credentials, `AWS_REGION=us-east-1` and
//! `TFC_OIDC_REQUIRE_MOTO=1`. Without `AWS_ENDPOINT_URL` these tests skip (or fail when moto is
//! required). moto's state is shared by every test of this binary (and by earlier runs against the
//! same server), so each test uses its own unique names.
//!
//! What moto (5.2) lacks or does differently from IAM, checked against its source:
//! - `AddClientIDToOpenIDConnectProvider` and `RemoveClientIDFromOpenIDConnectProvider` are not
//!   implemented: moto answers HTTP 500 with an HTML page. The test below only checks that the
//!   adapter turns that into a one-line `IamError`; adding/removing audiences is covered by the
//!   in-memory sandbox's tests instead.
//! - `GetOpenIDConnectProvider` and friends work; moto stores the URL without the scheme, as IAM.
//! - moto never records `RoleLastUsed`, so `last_used` stays `None` here.
//! - `ListRoles` pages by 100 like IAM; moto also returns tags in ListRoles (IAM does not).
//! - Policy validation: moto checks inline policies (`PutRolePolicy`) and trust policies on
//!   `UpdateAssumeRolePolicy` for JSON shape and grammar (`MalformedPolicyDocument`), but not the
//!   trust policy given to `CreateRole`, and never that principals, actions or ARNs exist.
//! - AWS-managed policies (`arn:aws:iam::aws:policy/ReadOnlyAccess`...) exist only when moto is
//!   started with `MOTO_IAM_LOAD_MANAGED_POLICIES=true`; the test attaches a customer-managed
//!   policy it creates, and ReadOnlyAccess too when moto has it.
//! - `GetAccessKeyLastUsed` for an unknown key: moto answers `NoSuchEntity` (real IAM may answer
//!   `AccessDenied` for keys of other accounts).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use tfc_oidc::aws::{load_sdk_config, IamClient};
use tfc_oidc::core::ports::{AccessKeyStatus, Iam, IamError, NewOidcProvider, NewRole, Tag};

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// The adapter pointed at moto, or `None` (test skipped) when moto is not running.
async fn client() -> Option<IamClient> {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => {}
        _ => {
            if std::env::var("TFC_OIDC_REQUIRE_MOTO").as_deref() == Ok("1") {
                panic!(
                    "TFC_OIDC_REQUIRE_MOTO=1 but AWS_ENDPOINT_URL is not set: moto is not running"
                );
            }
            eprintln!("skipped: moto not running (run scripts/test)");
            return None;
        }
    }
    let sdk = load_sdk_config(None, None).await;
    Some(IamClient::new(&sdk))
}

macro_rules! moto_client {
    () => {
        match client().await {
            Some(c) => c,
            None => return,
        }
    };
}

/// A name no other test (or earlier run against the same moto) uses: `t<tag>-<stamp>-<n>`.
fn unique(tag: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros()
        % 1_000_000_000_000;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("t{tag}-{stamp}-{}-{n}", std::process::id())
}

fn tags(org: &str) -> Vec<Tag> {
    vec![
        Tag {
            key: "managed-by".into(),
            value: "tfc-oidc".into(),
        },
        Tag {
            key: "tfc-oidc:organization".into(),
            value: org.into(),
        },
    ]
}

fn trust_policy(host: &str, pattern: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::123456789012:oidc-provider/{host}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{host}:aud":"aws.workload.identity"}},"StringLike":{{"{host}:sub":["{pattern}"]}}}}}}]}}"#
    )
}

fn new_role(name: &str) -> NewRole {
    NewRole {
        name: name.to_owned(),
        trust_policy: trust_policy(
            "app.terraform.io",
            "organization:acme:project:p:workspace:w:run_phase:*",
        ),
        description: "test role".into(),
        tags: tags("acme"),
    }
}

fn assert_one_line(e: &IamError) {
    let s = e.to_string();
    assert!(!s.contains('\n') && !s.is_empty(), "not one line: {s:?}");
    assert!(!s.contains("testing"), "message echoes credentials: {s}");
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
async fn oidc_provider_lifecycle() {
    let iam = moto_client!();
    let host = format!("{}.example.com", unique("p"));
    let arn = iam
        .create_oidc_provider(&NewOidcProvider {
            url: format!("https://{host}"),
            client_ids: vec!["aws.workload.identity".into()],
            thumbprints: vec![],
            tags: tags("acme"),
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
        url: format!("https://{host}"),
        client_ids: vec![],
        thumbprints: vec![],
        tags: vec![],
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
    let host = format!("{}.example.com", unique("t"));
    let thumb = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280".to_owned();
    let arn = iam
        .create_oidc_provider(&NewOidcProvider {
            url: format!("https://{host}"),
            client_ids: vec!["aws.workload.identity".into()],
            thumbprints: vec![thumb.clone()],
            tags: vec![],
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
    let host = format!("{}.example.com", unique("c"));
    let new = NewOidcProvider {
        url: format!("https://{host}"),
        client_ids: vec!["aws.workload.identity".into()],
        thumbprints: vec![],
        tags: vec![],
    };
    let arn = iam.create_oidc_provider(&new).await.unwrap();
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

#[tokio::test]
async fn role_round_trip_keeps_the_trust_policy() {
    let iam = moto_client!();
    let name = unique("r");
    let spec = new_role(&name);
    let created = iam.create_role(&spec).await.unwrap();
    assert_eq!(created.name, name);
    assert_eq!(
        created.arn,
        format!("arn:aws:iam::123456789012:role/{name}")
    );
    assert_eq!(created.path, "/");
    assert_eq!(created.trust_policy, spec.trust_policy);

    let got = iam.get_role(&name).await.unwrap().expect("role exists");
    assert_eq!(
        got.trust_policy, spec.trust_policy,
        "decoded document identical to what was sent"
    );
    assert_eq!(got.description.as_deref(), Some("test role"));
    assert_eq!(got.tags, tags("acme"));
    assert_eq!(got.last_used, None);

    let wider = trust_policy(
        "app.terraform.io",
        "organization:acme:project:p:workspace:*",
    );
    iam.update_trust_policy(&name, &wider).await.unwrap();
    assert_eq!(
        iam.get_role(&name).await.unwrap().unwrap().trust_policy,
        wider
    );

    iam.delete_role(&name).await.unwrap();
    assert_eq!(iam.get_role(&name).await.unwrap(), None);
}

#[tokio::test]
async fn absent_and_duplicate_roles() {
    let iam = moto_client!();
    let name = unique("d");
    assert_eq!(iam.get_role(&name).await.unwrap(), None);
    let e = iam.delete_role(&name).await.unwrap_err();
    assert!(
        matches!(e, IamError::NoSuchEntity(ref w) if w.contains(&name)),
        "{e:?}"
    );
    let e = iam
        .update_trust_policy(&name, &new_role(&name).trust_policy)
        .await
        .unwrap_err();
    assert!(matches!(e, IamError::NoSuchEntity(_)), "{e:?}");

    iam.create_role(&new_role(&name)).await.unwrap();
    let e = iam.create_role(&new_role(&name)).await.unwrap_err();
    assert!(
        matches!(e, IamError::AlreadyExists(ref w) if w.contains(&name)),
        "{e:?}"
    );
    assert_one_line(&e);
    iam.delete_role(&name).await.unwrap();
}

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

#[tokio::test]
async fn list_roles_follows_every_page() {
    let iam = moto_client!();
    let prefix = unique("l");
    let names: Vec<String> = (0..105).map(|i| format!("{prefix}-{i:03}")).collect();
    for chunk in names.chunks(15) {
        let creates = chunk.iter().map(|n| {
            let iam = &iam;
            async move { iam.create_role(&new_role(n)).await }
        });
        for r in futures::future::join_all(creates).await {
            r.unwrap();
        }
    }
    let all = iam.list_roles().await.unwrap();
    assert!(all.len() >= 105, "only {} roles listed", all.len());
    let ours: Vec<_> = all
        .iter()
        .filter(|r| r.name.starts_with(&format!("{prefix}-")))
        .collect();
    assert_eq!(ours.len(), 105);
    let sample = ours.iter().find(|r| r.name == names[104]).unwrap();
    assert_eq!(sample.trust_policy, new_role(&names[104]).trust_policy);
    assert_eq!(sample.path, "/");
    for n in &names {
        iam.delete_role(n).await.unwrap();
    }
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

    assert_eq!(
        iam.access_key_user(&key_id).await.unwrap().as_deref(),
        Some(user.as_str())
    );
    iam.set_access_key_status(&user, &key_id, AccessKeyStatus::Inactive)
        .await
        .unwrap();
    let status = |keys: &aws_sdk_iam::operation::list_access_keys::ListAccessKeysOutput| {
        keys.access_key_metadata()
            .iter()
            .find(|k| k.access_key_id() == Some(key_id.as_str()))
            .and_then(|k| k.status().cloned())
    };
    let keys = raw
        .list_access_keys()
        .user_name(&user)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status(&keys),
        Some(aws_sdk_iam::types::StatusType::Inactive)
    );
    iam.set_access_key_status(&user, &key_id, AccessKeyStatus::Active)
        .await
        .unwrap();
    let keys = raw
        .list_access_keys()
        .user_name(&user)
        .send()
        .await
        .unwrap();
    assert_eq!(status(&keys), Some(aws_sdk_iam::types::StatusType::Active));

    assert_eq!(
        iam.access_key_user("AKIAXXXXXXXXXXXXXXXX").await.unwrap(),
        None
    );
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
