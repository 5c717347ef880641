//! The adapter pointed at moto (or a skip without it), unique names, and the builders and checks
//! the tests share.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use tfc_oidc::aws::{load_sdk_config, IamClient};
use tfc_oidc::core::ports::{IamError, NewOidcProvider, NewRole, Tag};

pub const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// The adapter pointed at moto, or `None` (test skipped) when moto is not running; under
/// `CI=true` or `TFC_OIDC_REQUIRE_MOTO=1` a missing moto fails the test instead.
pub async fn client() -> Option<IamClient> {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => {}
        _ => {
            if std::env::var("TFC_OIDC_REQUIRE_MOTO").as_deref() == Ok("1") {
                panic!(
                    "TFC_OIDC_REQUIRE_MOTO=1 but AWS_ENDPOINT_URL is not set: moto is not running"
                );
            }
            fake_tfc::ci::tool_missing("moto is not running", "run scripts/test");
            return None;
        }
    }
    let sdk = load_sdk_config(None, None).await;
    Some(IamClient::new(&sdk))
}

/// The adapter pointed at moto; returns from the test (skips it) when moto is not running.
macro_rules! moto_client {
    () => {
        match $crate::support::client().await {
            Some(c) => c,
            None => return,
        }
    };
}
pub(crate) use moto_client;

/// A name no other test (or earlier run against the same moto) uses: `t<tag>-<stamp>-<n>`.
pub fn unique(tag: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros()
        % 1_000_000_000_000;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("t{tag}-{stamp}-{}-{n}", std::process::id())
}

/// An issuer host no other test uses: `<unique>.example.com`.
pub fn unique_host(tag: &str) -> String {
    format!("{}.example.com", unique(tag))
}

pub fn tags(org: &str) -> Vec<Tag> {
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

pub fn trust_policy(host: &str, pattern: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::123456789012:oidc-provider/{host}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{host}:aud":"aws.workload.identity"}},"StringLike":{{"{host}:sub":["{pattern}"]}}}}}}]}}"#
    )
}

/// A provider for `https://HOST` with the HCP Terraform audience, no thumbprints and no tags.
pub fn new_provider(host: &str) -> NewOidcProvider {
    NewOidcProvider {
        url: format!("https://{host}"),
        client_ids: vec!["aws.workload.identity".into()],
        thumbprints: vec![],
        tags: vec![],
    }
}

pub fn new_role(name: &str) -> NewRole {
    NewRole {
        name: name.to_owned(),
        trust_policy: trust_policy(
            "app.terraform.io",
            "organization:acme:project:p:workspace:w:run_phase:*",
        ),
        description: "test role".into(),
        tags: tags("acme"),
        permissions_boundary: None,
    }
}

pub fn assert_one_line(e: &IamError) {
    let s = e.to_string();
    assert!(!s.contains('\n') && !s.is_empty(), "not one line: {s:?}");
    assert!(!s.contains("testing"), "message echoes credentials: {s}");
}
