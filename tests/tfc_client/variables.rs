//! Variables, read and written: workspace variables, effective variables (with those of variable
//! sets), and variable sets with their variables and attachments.

use fake_tfc::{FakeTfc, Seed};
use tfc_oidc::core::ports::{NewVariable, NewVariableSet, Tfc, TfcError, VariableCategory};

use crate::support::{client, env_var, requests_to, ws_id};

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
