//! The real HCP Terraform adapter (`tfc_oidc::tfc::TfcClient`) over real HTTP against the
//! stateful fake API (`fake-tfc`): paging, includes, error mapping, retries and writes.

use std::time::{Duration, Instant};

use fake_tfc::{FakeTfc, Fault, RequestRecord, Seed};
use tfc_oidc::core::ports::{NewVariable, NewVariableSet, Tfc, TfcError, VariableCategory};
use tfc_oidc::tfc::{ApiToken, Endpoint, EndpointError, RetryPolicy, TfcClient};

const HOST: &str = "app.terraform.io";

/// Short waits so retry tests stay fast; the limits are the production ones.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_wait: Duration::from_secs(2),
        ..RetryPolicy::default()
    }
}

fn client_with_token(fake: &FakeTfc, token: &str) -> TfcClient {
    let endpoint = Endpoint::resolve(None, Some(&fake.base_url()), &|_| None).unwrap();
    let http = TfcClient::http_client().unwrap();
    TfcClient::new(endpoint, ApiToken::new(token).unwrap(), http).with_retry_policy(fast_retries())
}

fn client(fake: &FakeTfc) -> TfcClient {
    client_with_token(fake, &fake.token())
}

fn env_var(key: &str, value: &str) -> NewVariable {
    NewVariable {
        key: key.into(),
        value: value.into(),
        description: "Managed by tfc-oidc".into(),
        category: VariableCategory::Env,
        sensitive: false,
    }
}

fn requests_to(fake: &FakeTfc, method: &str, path: &str) -> Vec<RequestRecord> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path == path)
        .collect()
}

fn ws_id(fake: &FakeTfc, org: &str, name: &str) -> String {
    fake.workspace_id(org, name).unwrap()
}

#[tokio::test]
async fn account_and_organizations() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    assert_eq!(tfc.host(), HOST);
    let me = tfc.account().await.unwrap();
    assert_eq!(me.username, "alice");
    assert!(!me.is_service_account);
    let orgs: Vec<String> = tfc
        .organizations()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert!(
        orgs.contains(&"acme".to_owned()) && orgs.contains(&"globex".to_owned()),
        "{orgs:?}"
    );
    assert_eq!(tfc.organization("acme").await.unwrap().name, "acme");
    let projects = tfc.projects("acme").await.unwrap();
    let platform = projects.iter().find(|p| p.name == "platform").unwrap();
    assert_eq!(tfc.project(&platform.id).await.unwrap().name, "platform");
}

#[tokio::test]
async fn lists_follow_every_page_of_100() {
    let fake = FakeTfc::start(Seed::with_many_workspaces(250));
    let tfc = client(&fake);
    fake.clear_requests();
    let all = tfc.workspaces("big", None).await.unwrap();
    assert_eq!(all.len(), 250);
    assert!(all
        .iter()
        .all(|w| w.project_name.as_deref() == Some("many")));
    let pages = requests_to(&fake, "GET", "/api/v2/organizations/big/workspaces");
    assert_eq!(pages.len(), 3, "{pages:?}");
    for (i, page) in pages.iter().enumerate() {
        assert!(page.query.contains("page%5Bsize%5D=100"), "{}", page.query);
        assert!(
            page.query.contains(&format!("page%5Bnumber%5D={}", i + 1)),
            "{}",
            page.query
        );
    }

    let project = fake.project_id("big", "many").unwrap();
    assert_eq!(
        tfc.workspaces("big", Some(&project)).await.unwrap().len(),
        250
    );
    let acme_platform = fake.project_id("acme", "platform").unwrap();
    let mut names: Vec<String> = tfc
        .workspaces("acme", Some(&acme_platform))
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.name)
        .collect();
    names.sort();
    assert_eq!(names, ["dns", "edge", "network"]);
}

#[tokio::test]
async fn workspace_by_name_comes_with_its_project_in_one_request() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    fake.clear_requests();
    let ws = tfc.workspace("acme", "network").await.unwrap();
    assert_eq!(fake.requests().len(), 1, "{:?}", fake.requests());
    assert_eq!(ws.id, ws_id(&fake, "acme", "network"));
    assert_eq!(ws.project_id, fake.project_id("acme", "platform").unwrap());
    assert_eq!(ws.project_name.as_deref(), Some("platform"));
}

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

    let err = tfc.variable_set("varset-missing").await.unwrap_err();
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

#[tokio::test]
async fn workspace_variables_round_trip() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let network = ws_id(&fake, "acme", "network");
    let vars = tfc.workspace_variables(&network).await.unwrap();
    let secret = vars
        .iter()
        .find(|v| v.key == "AWS_SECRET_ACCESS_KEY")
        .unwrap();
    assert!(secret.sensitive && secret.value.is_none());
    let key = vars.iter().find(|v| v.key == "AWS_ACCESS_KEY_ID").unwrap();
    assert_eq!(key.value.as_deref(), Some("AKIAEXAMPLE0000001"));

    let edge = ws_id(&fake, "acme", "edge");
    let created = tfc
        .create_workspace_variable(&edge, &env_var("TFC_AWS_PROVIDER_AUTH", "true"))
        .await
        .unwrap();
    assert_eq!(
        (created.key.as_str(), created.value.as_deref()),
        ("TFC_AWS_PROVIDER_AUTH", Some("true"))
    );
    assert_eq!(created.category, VariableCategory::Env);
    assert_eq!(created.description.as_deref(), Some("Managed by tfc-oidc"));

    let updated = tfc
        .update_workspace_variable(
            &edge,
            &created.id,
            &env_var("TFC_AWS_PROVIDER_AUTH", "false"),
        )
        .await
        .unwrap();
    assert_eq!(updated.value.as_deref(), Some("false"));
    assert_eq!(
        fake.workspace_variables("acme", "edge")[0]["value"],
        "false"
    );

    let hidden = NewVariable {
        sensitive: true,
        ..env_var("SECRET", "s3cr3t")
    };
    let hidden = tfc.create_workspace_variable(&edge, &hidden).await.unwrap();
    assert_eq!(hidden.value, None);

    tfc.delete_workspace_variable(&edge, &created.id)
        .await
        .unwrap();
    tfc.delete_workspace_variable(&edge, &hidden.id)
        .await
        .unwrap();
    assert!(fake.workspace_variables("acme", "edge").is_empty());
    let err = tfc
        .delete_workspace_variable(&edge, &created.id)
        .await
        .unwrap_err();
    assert!(matches!(err, TfcError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn effective_variables_include_those_of_variable_sets() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let dns = ws_id(&fake, "acme", "dns");
    assert!(tfc.workspace_variables(&dns).await.unwrap().is_empty());
    let vars = tfc.effective_variables(&dns).await.unwrap();
    let key = vars.iter().find(|v| v.key == "AWS_ACCESS_KEY_ID").unwrap();
    assert_eq!(key.value.as_deref(), Some("AKIAEXAMPLE0000002"));
    let secret = vars
        .iter()
        .find(|v| v.key == "AWS_SECRET_ACCESS_KEY")
        .unwrap();
    assert!(secret.sensitive && secret.value.is_none());
    let path = format!("/api/v2/workspaces/{dns}/all-vars");
    assert_eq!(requests_to(&fake, "GET", &path).len(), 1);

    // The workspace's own variable wins over the set's, and only one of the two is listed.
    tfc.create_workspace_variable(&dns, &env_var("AWS_ACCESS_KEY_ID", "AKIAOWN"))
        .await
        .unwrap();
    let vars = tfc.effective_variables(&dns).await.unwrap();
    let keys: Vec<_> = vars
        .iter()
        .filter(|v| v.key == "AWS_ACCESS_KEY_ID")
        .map(|v| v.value.as_deref())
        .collect();
    assert_eq!(keys, [Some("AKIAOWN")]);

    let err = tfc.effective_variables("ws-missing").await.unwrap_err();
    assert!(matches!(err, TfcError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn variable_sets_round_trip() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let dns = ws_id(&fake, "acme", "dns");
    let edge = ws_id(&fake, "acme", "edge");
    let data = fake.project_id("acme", "data").unwrap();

    let sets = tfc.variable_sets("acme").await.unwrap();
    let legacy = sets.iter().find(|s| s.name == "legacy-aws-keys").unwrap();
    assert_eq!(legacy.workspace_ids, vec![dns.clone()]);
    let reaching: Vec<String> = tfc
        .workspace_variable_sets(&dns)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(reaching, ["legacy-aws-keys"]);
    let legacy_vars = tfc.variable_set_variables(&legacy.id).await.unwrap();
    assert!(legacy_vars
        .iter()
        .any(|v| v.key == "AWS_SECRET_ACCESS_KEY" && v.value.is_none()));

    let new = NewVariableSet {
        name: "aws-oidc-tfc-acme-data".into(),
        description: "Managed by tfc-oidc".into(),
    };
    let set = tfc.create_variable_set("acme", &new).await.unwrap();
    assert_eq!(
        (set.name.as_str(), set.global),
        ("aws-oidc-tfc-acme-data", false)
    );
    tfc.attach_variable_set_to_workspaces(&set.id, std::slice::from_ref(&edge))
        .await
        .unwrap();
    tfc.attach_variable_set_to_projects(&set.id, std::slice::from_ref(&data))
        .await
        .unwrap();
    let shown = tfc.variable_set(&set.id).await.unwrap();
    assert_eq!(
        (shown.workspace_ids, shown.project_ids),
        (vec![edge.clone()], vec![data.clone()])
    );

    let var = tfc
        .create_variable_set_variable(&set.id, &env_var("TFC_AWS_PROVIDER_AUTH", "true"))
        .await
        .unwrap();
    let var = tfc
        .update_variable_set_variable(&set.id, &var.id, &env_var("TFC_AWS_PROVIDER_AUTH", "false"))
        .await
        .unwrap();
    let listed = tfc.variable_set_variables(&set.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].value.as_deref(), Some("false"));
    tfc.delete_variable_set_variable(&set.id, &var.id)
        .await
        .unwrap();
    assert!(tfc
        .variable_set_variables(&set.id)
        .await
        .unwrap()
        .is_empty());

    tfc.detach_variable_set_from_workspaces(&set.id, std::slice::from_ref(&edge))
        .await
        .unwrap();
    tfc.detach_variable_set_from_projects(&set.id, std::slice::from_ref(&data))
        .await
        .unwrap();
    let shown = tfc.variable_set(&set.id).await.unwrap();
    assert!(shown.workspace_ids.is_empty() && shown.project_ids.is_empty());

    fake.clear_requests();
    tfc.attach_variable_set_to_workspaces(&set.id, &[])
        .await
        .unwrap();
    assert!(fake.requests().is_empty(), "an empty attach sends nothing");

    tfc.delete_variable_set(&set.id).await.unwrap();
    let err = tfc.variable_set(&set.id).await.unwrap_err();
    assert!(matches!(err, TfcError::NotFound { .. }), "{err:?}");
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
    let endpoint =
        Endpoint::resolve(None, Some(&format!("http://127.0.0.1:{port}")), &|_| None).unwrap();
    let token = "tok.atlasv1.never-shown";
    let tfc = TfcClient::new(
        endpoint,
        ApiToken::new(token).unwrap(),
        TfcClient::http_client().unwrap(),
    )
    .with_retry_policy(fast_retries());
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
