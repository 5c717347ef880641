//! Runs, plans, configuration versions and the plan-log archive, as the docs shape them.

mod common;

use common::{get, post, send};
use fake_tfc::{FakeTfc, LogFormat, RunOutcome, Seed};

fn queue(fake: &FakeTfc, ws: &str) -> common::Resp {
    let id = fake.workspace_id("acme", ws).unwrap();
    let body = serde_json::json!({"data": {"type": "runs", "attributes": {"plan-only": true},
        "relationships": {"workspace": {"data": {"type": "workspaces", "id": id}}}}});
    post(fake.addr(), "/api/v2/runs", &body.to_string())
}

#[test]
fn a_run_moves_on_each_look_and_its_log_needs_no_token() {
    let fake = FakeTfc::start(Seed::example());
    fake.script_run(
        "acme",
        "network",
        RunOutcome::AccessDenied,
        LogFormat::Plain,
    );
    let created = queue(&fake, "network");
    assert_eq!(created.status, 201, "{}", created.body);
    let run = created.json();
    assert_eq!(run["data"]["attributes"]["status"], "pending");
    assert_eq!(run["data"]["attributes"]["plan-only"], true);
    let run_id = run["data"]["id"].as_str().unwrap().to_string();
    let plan_id = run["data"]["relationships"]["plan"]["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let statuses: Vec<String> = (0..4)
        .map(|_| {
            get(fake.addr(), &format!("/api/v2/runs/{run_id}")).json()["data"]["attributes"]
                ["status"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(statuses, ["plan_queued", "planning", "errored", "errored"]);
    let plan = get(fake.addr(), &format!("/api/v2/plans/{plan_id}")).json();
    assert_eq!(plan["data"]["attributes"]["status"], "errored");
    let url = plan["data"]["attributes"]["log-read-url"].as_str().unwrap();
    let path = &url[url.find("/_archivist/").unwrap()..];
    let refused = send(
        fake.addr(),
        "GET",
        path,
        Some("fake-token.atlasv1.0123456789"),
        None,
    );
    assert_eq!(refused.status, 403);
    assert_eq!(fake.archive_requests_with_authorization(), 1);
    let log = send(fake.addr(), "GET", path, None, None);
    assert_eq!(log.status, 200);
    assert!(log.body.starts_with('\u{2}') && log.body.ends_with('\u{3}'));
    assert!(log.body.contains(
        "api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
    ));
}

#[test]
fn configuration_versions_and_the_queue() {
    let fake = FakeTfc::start(Seed::example());
    let ws = get(
        fake.addr(),
        "/api/v2/organizations/acme/workspaces/warehouse",
    )
    .json();
    assert!(ws["data"]["relationships"]["current-configuration-version"]["data"].is_null());
    let refused = queue(&fake, "warehouse");
    assert_eq!(refused.status, 422);
    let id = fake.workspace_id("acme", "network").unwrap();
    let ws = get(
        fake.addr(),
        &format!("/api/v2/workspaces/{id}?include=current_configuration_version"),
    )
    .json();
    let cv = ws["data"]["relationships"]["current-configuration-version"]["data"]["id"]
        .as_str()
        .unwrap();
    assert_eq!(ws["included"][0]["id"], cv);
    assert_eq!(ws["included"][0]["attributes"]["status"], "uploaded");
    let shown = get(fake.addr(), &format!("/api/v2/configuration-versions/{cv}"));
    assert_eq!(shown.status, 200);
    fake.script_run(
        "acme",
        "network",
        RunOutcome::NeverLeavesQueue,
        LogFormat::JsonLines,
    );
    let run_id = queue(&fake, "network").json()["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..5 {
        let r = get(fake.addr(), &format!("/api/v2/runs/{run_id}")).json();
        assert!(matches!(
            r["data"]["attributes"]["status"].as_str(),
            Some("plan_queued")
        ));
    }
}
