//! Clients pointed at the fake, and the small builders the tests share.

use std::time::Duration;

use fake_tfc::{FakeTfc, RequestRecord};
use tfc_oidc::core::ports::{NewVariable, VariableCategory};
use tfc_oidc::tfc::{ApiToken, Endpoint, RetryPolicy, TfcClient};

pub const HOST: &str = "app.terraform.io";

/// Short waits so retry tests stay fast; the limits are the production ones.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_wait: Duration::from_secs(2),
        ..RetryPolicy::default()
    }
}

/// A client for the API at `api_url` (the `--api-url` of the CLI) with `token`.
pub fn client_at(api_url: &str, token: &str) -> TfcClient {
    let endpoint = Endpoint::resolve(None, Some(api_url), &|_| None).unwrap();
    let http = TfcClient::http_client().unwrap();
    TfcClient::new(endpoint, ApiToken::new(token).unwrap(), http).with_retry_policy(fast_retries())
}

pub fn client_with_token(fake: &FakeTfc, token: &str) -> TfcClient {
    client_at(&fake.base_url(), token)
}

pub fn client(fake: &FakeTfc) -> TfcClient {
    client_with_token(fake, &fake.token())
}

pub fn env_var(key: &str, value: &str) -> NewVariable {
    NewVariable {
        key: key.into(),
        value: value.into(),
        description: "Managed by tfc-oidc".into(),
        category: VariableCategory::Env,
        sensitive: false,
    }
}

pub fn requests_to(fake: &FakeTfc, method: &str, path: &str) -> Vec<RequestRecord> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path == path)
        .collect()
}

pub fn ws_id(fake: &FakeTfc, org: &str, name: &str) -> String {
    fake.workspace_id(org, name).unwrap()
}
