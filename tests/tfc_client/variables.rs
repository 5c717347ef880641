//! Variables over the wire: what goes out for the port's calls. How the port behaves (round
//! trips, 404s, 422s, precedence) is the `contract` suite's, shared with the sandbox.

use fake_tfc::{FakeTfc, Seed};
use tfc_oidc::core::ports::{NewVariableSet, Tfc};

use crate::support::{client, env_var, ws_id};

#[tokio::test]
async fn an_empty_attach_sends_nothing() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let new = NewVariableSet {
        name: "aws-oidc".into(),
        description: String::new(),
    };
    let set = tfc.create_variable_set("acme", &new).await.unwrap();
    fake.clear_requests();
    tfc.attach_variable_set_to_workspaces(&set.id, &[])
        .await
        .unwrap();
    tfc.detach_variable_set_from_projects(&set.id, &[])
        .await
        .unwrap();
    assert!(fake.requests().is_empty(), "an empty attach sends nothing");
}

#[tokio::test]
async fn writes_land_in_the_server_s_state() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let edge = ws_id(&fake, "acme", "edge");
    let created = tfc
        .create_workspace_variable(&edge, &env_var("TFC_AWS_PROVIDER_AUTH", "true"))
        .await
        .unwrap();
    tfc.update_workspace_variable(
        &edge,
        &created.id,
        &env_var("TFC_AWS_PROVIDER_AUTH", "false"),
    )
    .await
    .unwrap();
    let held = fake.workspace_variables("acme", "edge");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["value"], "false");
    assert_eq!(held[0]["description"], "Managed by tfc-oidc");
    assert_eq!(held[0]["category"], "env");
    assert_eq!(held[0]["sensitive"], false);
}
