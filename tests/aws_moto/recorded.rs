//! The permissions table against the real adapter: a private moto server records every request
//! `IamClient` sends for each port call, and each recorded AWS action must be among the actions
//! `core::permissions` lists for that call (so `tfc-oidc permissions` cannot drift from what the
//! adapters really do). moto's recorder is global to a server, so this test starts its own.

use crate::support::{new_provider, new_role, unique, unique_host};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use tfc_oidc::aws::{load_sdk_config, IamClient, OrganizationsClient};
use tfc_oidc::core::permissions::port_call;
use tfc_oidc::core::ports::{AccessKeyStatus, Iam, Organizations};

/// A moto server of this test's own, recording; killed when dropped.
struct RecordingMoto {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for RecordingMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_server() -> Option<PathBuf> {
    let python = std::env::var_os("TFC_OIDC_PYTHON").map(PathBuf::from);
    let found = python
        .and_then(|p| p.parent().map(|d| d.join("moto_server")))
        .filter(|p| p.exists());
    if found.is_none() {
        fake_tfc::ci::tool_missing(
            "moto_server is not next to $TFC_OIDC_PYTHON",
            "run scripts/test",
        );
    }
    found
}

fn start() -> Option<RecordingMoto> {
    let server = moto_server()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("MOTO_ENABLE_RECORDING", "True")
        .env("MOTO_RECORDER_FILEPATH", dir.path().join("recording"))
        .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let moto = RecordingMoto {
        child,
        port,
        _dir: dir,
    };
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(moto);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the recording moto server did not start");
}

impl RecordingMoto {
    /// One plain HTTP/1.0 request to the server's own API; the response body.
    fn call(&self, method: &str, path: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let req =
            format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
        s.write_all(req.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out.split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }

    /// The actions recorded since the last call (`iam:CreateRole`, `sts:GetCallerIdentity`…).
    fn take_actions(&self) -> Vec<String> {
        let text = self.call("GET", "/moto-api/recorder/download-recording");
        self.call("POST", "/moto-api/recorder/reset-recording");
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| action(&serde_json::from_str(l).ok()?))
            .collect()
    }
}

/// `service:Action` of one recorded request: the service from the signature's credential
/// scope, the action from the form body (query protocol) or `X-Amz-Target` (JSON protocol).
fn action(entry: &serde_json::Value) -> Option<String> {
    let headers = entry["headers"].as_object()?;
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
    };
    let scope = header("Authorization")?.split("Credential=").nth(1)?;
    let service = scope.split('/').nth(3)?;
    if let Some(target) = header("X-Amz-Target") {
        return Some(format!("{service}:{}", target.rsplit('.').next()?));
    }
    let body = entry["body"].as_str()?;
    let body = if entry["body_encoded"].as_bool() == Some(true) {
        String::from_utf8(decode_base64(body)).ok()?
    } else {
        body.to_string()
    };
    let action = body.split('&').find_map(|kv| kv.strip_prefix("Action="))?;
    Some(format!("{service}:{action}"))
}

fn decode_base64(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| *c != b'=') {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

/// Checks that what `op` sent is within its row of the permissions table.
fn check(moto: &RecordingMoto, op: &str) {
    let row = port_call(op).unwrap_or_else(|| panic!("no permissions row for {op}"));
    let sent = moto.take_actions();
    assert!(!sent.is_empty(), "{op} sent nothing to record");
    for action in sent {
        assert!(
            row.aws.contains(&action.as_str()),
            "{op} sent {action}, which its permissions row ({:?}) lacks",
            row.aws
        );
    }
}

#[tokio::test]
async fn every_iam_call_sends_only_the_actions_its_permissions_row_lists() {
    if std::env::var("AWS_ENDPOINT_URL").is_err() {
        fake_tfc::ci::tool_missing("moto is not running", "run scripts/test");
        return;
    }
    let Some(moto) = start() else { return };
    // A config of its own (not `to_builder`): the loaded one also carries the environment's
    // endpoint for each service, which would win over this server's.
    let loaded = load_sdk_config(None, None).await;
    let sdk = aws_types::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(loaded.region().cloned())
        .endpoint_url(format!("http://127.0.0.1:{}", moto.port))
        .credentials_provider(loaded.credentials_provider().unwrap())
        .http_client(loaded.http_client().unwrap())
        .sleep_impl(loaded.sleep_impl().unwrap())
        .time_source(loaded.time_source().unwrap())
        .build();
    let iam = IamClient::new(&sdk);
    moto.call("POST", "/moto-api/recorder/start-recording");
    let read_only = crate::support::READ_ONLY;
    let (host, name) = (unique_host("rec"), unique("rec"));
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

    let _ = iam.caller_identity().await;
    check(&moto, "caller_identity");
    let arn = iam
        .create_oidc_provider(&new_provider(&host))
        .await
        .unwrap();
    check(&moto, "create_oidc_provider");
    let _ = iam.list_oidc_providers().await;
    check(&moto, "list_oidc_providers");
    let _ = iam.get_oidc_provider(&arn).await;
    check(&moto, "get_oidc_provider");
    iam.create_role(&new_role(&name)).await.unwrap();
    check(&moto, "create_role");
    let _ = iam.get_role(&name).await;
    check(&moto, "get_role");
    let _ = iam.list_roles().await;
    check(&moto, "list_roles");
    let trust = crate::support::trust_policy("app.terraform.io", "organization:acme:*");
    let _ = iam.update_trust_policy(&name, &trust).await;
    check(&moto, "update_trust_policy");
    let _ = iam.attach_policy(&name, read_only).await;
    check(&moto, "attach_policy");
    let _ = iam.list_attached_policies(&name).await;
    check(&moto, "list_attached_policies");
    let _ = iam.detach_policy(&name, read_only).await;
    check(&moto, "detach_policy");
    let _ = iam.put_inline_policy(&name, "p", doc).await;
    check(&moto, "put_inline_policy");
    let _ = iam.list_inline_policies(&name).await;
    check(&moto, "list_inline_policies");
    let _ = iam.get_inline_policy(&name, "p").await;
    check(&moto, "get_inline_policy");
    let _ = iam.delete_inline_policy(&name, "p").await;
    check(&moto, "delete_inline_policy");
    let _ = iam.managed_policy_exists(read_only).await;
    check(&moto, "managed_policy_exists");
    let _ = iam.get_managed_policy_document(read_only).await;
    check(&moto, "get_managed_policy_document");
    let _ = iam.delete_role(&name).await;
    check(&moto, "delete_role");
    let _ = iam.delete_oidc_provider(&arn).await;
    check(&moto, "delete_oidc_provider");

    let (user, key) = ("no-such-user", "AKIAIOSFODNN7EXAMPLE");
    let _ = iam.access_key_last_used(key).await;
    check(&moto, "access_key_last_used");
    let _ = iam.list_access_keys(user).await;
    check(&moto, "list_access_keys");
    let _ = iam.access_key_account(key).await;
    check(&moto, "access_key_account");
    let _ = iam.login_profile_exists(user).await;
    check(&moto, "login_profile_exists");
    let _ = iam
        .set_access_key_status(user, key, AccessKeyStatus::Inactive)
        .await;
    check(&moto, "set_access_key_status");
    let _ = iam.user_permissions_boundary(user).await;
    check(&moto, "user_permissions_boundary");
    let _ = iam.list_attached_user_policies(user).await;
    check(&moto, "list_attached_user_policies");
    let _ = iam.list_groups_for_user(user).await;
    check(&moto, "list_groups_for_user");
    let _ = iam.list_attached_group_policies("no-such-group").await;
    check(&moto, "list_attached_group_policies");
    let _ = iam.user_inline_policies(user).await;
    check(&moto, "user_inline_policies");
    let _ = iam.group_inline_policies("no-such-group").await;
    check(&moto, "group_inline_policies");

    // Organizations: this server's account is in no organization, so each call is refused, but
    // the request it sends is what counts.
    let org = OrganizationsClient::new(&sdk);
    let _ = org.resource_control_policies().await;
    check(&moto, "resource_control_policies");
    let _ = org.policy_content("p-examplepolicy").await;
    check(&moto, "policy_content");
    let _ = org.policy_targets("p-examplepolicy").await;
    check(&moto, "policy_targets");
    let _ = org.parents("123456789012").await;
    check(&moto, "org_parents");
}
