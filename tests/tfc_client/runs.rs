//! Runs, plans and plan logs through the real adapter: the run document as the docs shape it,
//! the workspace's configuration version, and the archive read without the API token (a client
//! that sent it would be refused with 403 and counted by the fake).

use fake_tfc::{FakeTfc, LogFormat, RunOutcome, Seed};
use tfc_oidc::core::ports::{CurrentConfiguration, Tfc, TfcError};

use crate::support::{client, requests_to, ws_id};

#[tokio::test]
async fn a_plan_only_run_and_its_log() {
    let fake = FakeTfc::start(Seed::example());
    fake.script_run(
        "acme",
        "network",
        RunOutcome::AccessDenied,
        LogFormat::JsonLines,
    );
    let c = client(&fake);
    let ws = ws_id(&fake, "acme", "network");
    match c.current_configuration(&ws).await.unwrap() {
        CurrentConfiguration::Version(cv) => {
            assert!(cv.id.starts_with("cv-"));
            assert_eq!(cv.status.as_deref(), Some("uploaded"));
        }
        other => panic!("{other:?}"),
    }
    let run = c.create_plan_only_run(&ws, "check").await.unwrap();
    assert_eq!(run.status, "pending");
    assert!(run.plan_only);
    let posted = requests_to(&fake, "POST", "/api/v2/runs");
    assert_eq!(posted.len(), 1);
    let mut last = run.clone();
    for _ in 0..3 {
        last = c.run(&run.id).await.unwrap();
    }
    assert_eq!(last.status, "errored");
    let plan = c.plan(last.plan_id.as_deref().unwrap()).await.unwrap();
    assert_eq!(plan.status, "errored");
    assert!(plan
        .log_read_url
        .as_deref()
        .unwrap()
        .contains("/_archivist/"));
    let log = c.plan_log(&plan).await.unwrap();
    assert!(log.contains("api error AccessDenied"), "{log}");
    assert_eq!(fake.archive_requests_with_authorization(), 0);
    let archive: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/_archivist/"))
        .collect();
    assert_eq!(archive.len(), 1);
    assert!(!archive[0].authorization);
}

#[tokio::test]
async fn no_configuration_version_and_refused_log_urls() {
    let fake = FakeTfc::start(Seed::example());
    let c = client(&fake);
    let ws = ws_id(&fake, "acme", "warehouse");
    assert_eq!(
        c.current_configuration(&ws).await.unwrap(),
        CurrentConfiguration::None
    );
    match c.create_plan_only_run(&ws, "check").await {
        Err(TfcError::Rejected {
            status: 422,
            detail,
        }) => {
            assert!(detail.contains("Configuration version"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    let plan = tfc_oidc::core::ports::PlanInfo {
        id: "plan-x".into(),
        status: "finished".into(),
        log_read_url: Some("http://archivist.example.com/v1/object/abc".into()),
    };
    match c.plan_log(&plan).await {
        Err(TfcError::Protocol(m)) => assert!(m.contains("only https"), "{m}"),
        other => panic!("{other:?}"),
    }
}
