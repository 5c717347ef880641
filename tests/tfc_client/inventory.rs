//! The inventory read through the real client over HTTP: every list paged (pages of 10 here),
//! the variable sets' reach and variables as the fake holds them, and N + M + pages calls.

use fake_tfc::{FakeTfc, Seed};
use tfc_oidc::core::inventory::{read, InventoryScope};
use tfc_oidc::core::ports::Tfc;
use tfc_oidc::core::variables::VariableSource;

use crate::support::{client, env_var, requests_to};

#[tokio::test]
async fn an_organization_is_read_page_by_page_with_one_call_per_workspace_and_set() {
    let mut seed = Seed::with_scale(45, 12);
    seed.page_size_limit = 10;
    let fake = FakeTfc::start(seed);
    let tfc = client(&fake);
    // One set with more variables than a page holds.
    let sets = tfc.variable_sets("scale").await.unwrap();
    let big = sets.iter().find(|s| s.name == "set-03").unwrap();
    for i in 0..11 {
        tfc.create_variable_set_variable(&big.id, &env_var(&format!("EXTRA_{i:02}"), "x"))
            .await
            .unwrap();
    }
    fake.clear_requests();

    let scope = InventoryScope {
        host: "app.terraform.io".into(),
        organization: "scale".into(),
        project: None,
    };
    let inv = read(&scope, &tfc, None, &|_| {}).await.unwrap();

    assert_eq!(inv.workspaces.len(), 45);
    assert_eq!(inv.projects.len(), 10);
    assert_eq!(inv.variable_sets.len(), 12);
    let truth = fake.variable_sets("scale");
    for set in &inv.variable_sets {
        let held = truth
            .iter()
            .find(|t| t["id"] == set.set.id.as_str())
            .unwrap();
        assert_eq!(set.variables.len(), held["vars"].as_array().unwrap().len());
        assert_eq!(
            set.set.workspace_ids,
            held["workspace-ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            set.set.project_ids.len(),
            held["project-ids"].as_array().unwrap().len()
        );
        // Sensitive values never come back.
        assert!(set
            .variables
            .iter()
            .all(|v| !v.sensitive || v.value.is_none()));
    }
    assert_eq!(inv.varset(&big.id).unwrap().variables.len(), 14);

    // ws-0020 holds its own keys; ws-0002 gets set-01's through its attachment.
    let own = inv.workspace("ws-0020").unwrap();
    assert_eq!(
        own.env("AWS_ACCESS_KEY_ID").unwrap().source,
        VariableSource::Workspace
    );
    let shared = inv.workspace("ws-0002").unwrap();
    let key = shared.env("AWS_ACCESS_KEY_ID").unwrap();
    assert_eq!(
        key.source.set_id(),
        Some(
            sets.iter()
                .find(|s| s.name == "set-01")
                .unwrap()
                .id
                .as_str()
        )
    );

    let pages = |path: &str| requests_to(&fake, "GET", path).len();
    let list_pages = pages("/api/v2/organizations/scale/projects")
        + pages("/api/v2/organizations/scale/workspaces")
        + pages("/api/v2/organizations/scale/varsets");
    assert_eq!(list_pages, 1 + 5 + 2);
    // The organization's Stacks: none here, one page.
    assert_eq!(pages("/api/v2/organizations/scale/stacks"), 1);
    assert_eq!(
        pages(&format!("/api/v2/varsets/{}/relationships/vars", big.id)),
        2
    );
    assert_eq!(fake.requests().len(), 45 + 12 + list_pages + 1 + 1);
    assert_eq!(fake.too_many_requests_count(), 0);
}
