//! What is retried and what is not: 429 always (the request was not processed), 5xx on reads and
//! on PATCH (absolute values), never on a create.

use std::time::{Duration, Instant};

use fake_tfc::{FakeTfc, Fault, Seed};
use tfc_oidc::core::ports::{Tfc, TfcError};

use crate::support::{client, env_var, ws_id};

#[tokio::test]
async fn rate_limits_are_waited_out_then_retried() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    fake.clear_requests();
    fake.inject(Fault::RateLimit {
        count: 2,
        reset_secs: 0.15,
    });
    let started = Instant::now();
    assert_eq!(tfc.account().await.unwrap().username, "alice");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.requests().len(), 3);

    // 429 is retried for POST too: the request was not processed.
    fake.inject(Fault::RateLimit {
        count: 1,
        reset_secs: 0.01,
    });
    let edge = ws_id(&fake, "acme", "edge");
    tfc.create_workspace_variable(&edge, &env_var("TFC_AWS_PROVIDER_AUTH", "true"))
        .await
        .unwrap();
    assert_eq!(fake.workspace_variables("acme", "edge").len(), 1);

    fake.inject(Fault::RateLimit {
        count: 50,
        reset_secs: 0.001,
    });
    let err = tfc.account().await.unwrap_err();
    assert_eq!(err, TfcError::RateLimited { retries: 8 });
}

#[tokio::test]
async fn server_errors_on_reads_are_retried() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    fake.clear_requests();
    fake.inject(Fault::ServerError { count: 2 });
    assert_eq!(tfc.organization("acme").await.unwrap().name, "acme");
    assert_eq!(fake.requests().len(), 3);

    fake.clear_requests();
    fake.inject(Fault::ServerError { count: 10 });
    let err = tfc.organization("acme").await.unwrap_err();
    assert!(
        matches!(err, TfcError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(fake.requests().len(), 4, "one try and three retries");
}

#[tokio::test]
async fn server_errors_on_creates_are_not_retried() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let edge = ws_id(&fake, "acme", "edge");
    fake.clear_requests();
    fake.inject(Fault::ServerError { count: 1 });
    let err = tfc
        .create_workspace_variable(&edge, &env_var("K", "v"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, TfcError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(fake.write_count(), 1);

    // A PATCH sets absolute values, so it is repeated.
    let var = tfc
        .create_workspace_variable(&edge, &env_var("K", "v"))
        .await
        .unwrap();
    fake.inject(Fault::FailWrite {
        path_contains: "/vars/".into(),
        status: 503,
        count: 1,
    });
    tfc.update_workspace_variable(&edge, &var.id, &env_var("K", "w"))
        .await
        .unwrap();
    assert_eq!(fake.workspace_variables("acme", "edge")[0]["value"], "w");
}
