//! Reads: the account, organizations and projects, every page of a long list, and a workspace
//! by name with its project included.

use fake_tfc::{FakeTfc, Seed};
use tfc_oidc::core::ports::Tfc;

use crate::support::{client, requests_to, ws_id, HOST};

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
