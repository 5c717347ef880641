//! How failures reach the user: not found, a rejected token, an API validation error, plain
//! http, an unreachable server; and that the token never shows in any of them.

use fake_tfc::{FakeTfc, Fault, Seed};
use tfc_oidc::core::ports::{Tfc, TfcError};
use tfc_oidc::tfc::{Endpoint, EndpointError};

use crate::support::{client, client_at, client_with_token, env_var, ws_id, HOST};

#[tokio::test]
async fn not_found_says_whether_the_organization_or_the_workspace_is_missing() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let err = tfc.workspace("nope", "network").await.unwrap_err();
    assert_eq!(
        err,
        TfcError::NotFound {
            what: "organization 'nope'".into()
        }
    );
    let err = tfc.workspace("acme", "nope").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "workspace 'nope' in organization 'acme' not found, or the token has no access to it (404)"
    );

    // Names are path segments, percent-encoded, never spliced into the path.
    fake.clear_requests();
    let err = tfc.workspace("acme", "a/b c?d").await.unwrap_err();
    assert!(matches!(err, TfcError::NotFound { .. }), "{err:?}");
    assert_eq!(
        fake.requests()[0].path,
        "/api/v2/organizations/acme/workspaces/a%2Fb%20c%3Fd"
    );

    let err = tfc
        .variable_set_variables("varset-missing")
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TfcError::NotFound {
            what: "variable set varset-missing".into()
        }
    );
}

#[tokio::test]
async fn a_rejected_token_gets_the_terraform_login_hint() {
    let fake = FakeTfc::start(Seed::example());
    let wrong = "wrong-token.atlasv1.secret-value";
    let err = client_with_token(&fake, wrong).account().await.unwrap_err();
    assert_eq!(err, TfcError::Unauthorized { host: HOST.into() });
    assert_eq!(
        err.to_string(),
        "HCP Terraform rejected the token for app.terraform.io (401): run 'terraform login app.terraform.io' or set TFE_TOKEN"
    );
    assert!(!err.to_string().contains("secret-value"));
}

#[tokio::test]
async fn a_duplicate_variable_is_rejected_with_the_api_detail() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let network = ws_id(&fake, "acme", "network");
    let err = tfc
        .create_workspace_variable(&network, &env_var("AWS_ACCESS_KEY_ID", "AKIA"))
        .await
        .unwrap_err();
    let TfcError::Rejected { status, detail } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 422);
    assert!(detail.contains("Key has already been taken"), "{detail}");
    assert!(detail.contains("/data/attributes/key"), "{detail}");
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn plain_http_is_refused_unless_loopback() {
    let err = Endpoint::resolve(None, Some("http://tfe.example.com"), &|_| None).unwrap_err();
    assert!(
        matches!(err, EndpointError::InsecureScheme { .. }),
        "{err:?}"
    );
    let env = |k: &str| (k == "TFE_ADDRESS").then(|| "http://tfe.example.com".to_owned());
    let err = Endpoint::resolve(None, None, &env).unwrap_err();
    assert!(err.to_string().contains("TFE_ADDRESS"), "{err}");
    assert!(Endpoint::resolve(None, Some("http://localhost:8080"), &|_| None).is_ok());
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error() {
    // Bind and drop to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tfc = client_at(
        &format!("http://127.0.0.1:{port}"),
        "tok.atlasv1.never-shown",
    );
    let err = tfc.account().await.unwrap_err();
    let TfcError::Transport { url, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        url,
        &format!("http://127.0.0.1:{port}/api/v2/account/details")
    );
    assert!(!err.to_string().contains("never-shown"));
    assert!(!err.to_string().contains('\n'));
}

#[tokio::test]
async fn the_token_never_appears_in_errors() {
    let fake = FakeTfc::start(Seed::example());
    let token = fake.token();
    let tfc = client(&fake);
    let edge = ws_id(&fake, "acme", "edge");
    let mut errors = vec![
        client_with_token(&fake, "x.atlasv1.other")
            .account()
            .await
            .unwrap_err(),
        tfc.workspace("acme", "nope").await.unwrap_err(),
        tfc.create_workspace_variable(
            &ws_id(&fake, "acme", "network"),
            &env_var("AWS_ACCESS_KEY_ID", "x"),
        )
        .await
        .unwrap_err(),
    ];
    fake.inject(Fault::ServerError { count: 4 });
    errors.push(tfc.account().await.unwrap_err());
    fake.inject(Fault::FailWrite {
        path_contains: "/vars".into(),
        status: 403,
        count: 1,
    });
    errors.push(
        tfc.create_workspace_variable(&edge, &env_var("K", "v"))
            .await
            .unwrap_err(),
    );
    for err in errors {
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(&token) && !shown.contains("0123456789"),
            "{shown}"
        );
    }
    assert!(!format!("{tfc:?}").contains(&token));
}
