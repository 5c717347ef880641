//! Writes: workspace variables and variable sets round trips, the rules the API enforces (422s)
//! and what is missing (404s).

use tfc_oidc::core::ports::{NewVariable, NewVariableSet, Tfc, VariableCategory, VariableSet};

use super::reads::{id_of, not_found, project_id_of, rejected, set_id_of};

/// The organization's variable set `id` as the list shows it, `None` once deleted.
async fn listed_set(tfc: &dyn Tfc, id: &str) -> Option<VariableSet> {
    let sets = tfc.variable_sets("acme").await.unwrap();
    sets.into_iter().find(|s| s.id == id)
}

fn var(key: &str, value: &str, category: VariableCategory, sensitive: bool) -> NewVariable {
    NewVariable {
        key: key.into(),
        value: value.into(),
        description: "Managed by tfc-oidc".into(),
        category,
        sensitive,
    }
}

fn env(key: &str, value: &str) -> NewVariable {
    var(key, value, VariableCategory::Env, false)
}

pub async fn workspace_variables_round_trip(tfc: &dyn Tfc) {
    let edge = id_of(tfc, "edge").await;
    let created = tfc
        .create_workspace_variable(&edge, &env("TFC_AWS_PROVIDER_AUTH", "true"))
        .await
        .unwrap();
    assert_eq!(created.value.as_deref(), Some("true"));
    assert_eq!(created.description.as_deref(), Some("Managed by tfc-oidc"));
    rejected(
        tfc.create_workspace_variable(&edge, &env("TFC_AWS_PROVIDER_AUTH", "x"))
            .await,
    );
    // The same key in the other category is another variable.
    let tf = var(
        "TFC_AWS_PROVIDER_AUTH",
        "x",
        VariableCategory::Terraform,
        false,
    );
    tfc.create_workspace_variable(&edge, &tf).await.unwrap();
    rejected(tfc.create_workspace_variable(&edge, &env(" ", "x")).await);

    let updated = tfc
        .update_workspace_variable(&edge, &created.id, &env("TFC_AWS_PROVIDER_AUTH", "false"))
        .await
        .unwrap();
    assert_eq!(
        (updated.id.as_str(), updated.value.as_deref()),
        (created.id.as_str(), Some("false"))
    );
    let listed = tfc.workspace_variables(&edge).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&updated));

    let secret = var(
        "AWS_SECRET_ACCESS_KEY",
        "s3cr3t",
        VariableCategory::Env,
        true,
    );
    let hidden = tfc.create_workspace_variable(&edge, &secret).await.unwrap();
    assert!(hidden.sensitive && hidden.value.is_none());
    let listed = tfc.workspace_variables(&edge).await.unwrap();
    assert!(listed
        .iter()
        .any(|v| v.id == hidden.id && v.value.is_none()));
    let unhide = var(
        "AWS_SECRET_ACCESS_KEY",
        "s3cr3t",
        VariableCategory::Env,
        false,
    );
    rejected(
        tfc.update_workspace_variable(&edge, &hidden.id, &unhide)
            .await,
    );

    tfc.delete_workspace_variable(&edge, &created.id)
        .await
        .unwrap();
    assert!(!tfc
        .workspace_variables(&edge)
        .await
        .unwrap()
        .iter()
        .any(|v| v.id == created.id));
    not_found(tfc.delete_workspace_variable(&edge, &created.id).await);
    let again = env("TFC_AWS_PROVIDER_AUTH", "true");
    not_found(
        tfc.update_workspace_variable(&edge, &created.id, &again)
            .await,
    );
    not_found(
        tfc.create_workspace_variable("ws-doesnotexist0000", &again)
            .await,
    );
}

pub async fn variable_sets_round_trip(tfc: &dyn Tfc) {
    let edge = id_of(tfc, "edge").await;
    let warehouse = id_of(tfc, "warehouse").await;
    let data = project_id_of(tfc, "data").await;
    let new = NewVariableSet {
        name: "aws-oidc-tfc-acme-data".into(),
        description: "Managed by tfc-oidc".into(),
    };
    let set = tfc.create_variable_set("acme", &new).await.unwrap();
    assert_eq!(set.name, new.name);
    assert_eq!(set.description.as_deref(), Some("Managed by tfc-oidc"));
    assert!(!set.global && !set.priority);
    assert!(set.workspace_ids.is_empty() && set.project_ids.is_empty());
    assert!(tfc.variable_sets("acme").await.unwrap().contains(&set));
    rejected(tfc.create_variable_set("acme", &new).await);
    not_found(tfc.create_variable_set("nope", &new).await);

    let v = tfc
        .create_variable_set_variable(
            &set.id,
            &env("TFC_AWS_RUN_ROLE_ARN", "arn:aws:iam::1:role/a"),
        )
        .await
        .unwrap();
    rejected(
        tfc.create_variable_set_variable(&set.id, &env("TFC_AWS_RUN_ROLE_ARN", "b"))
            .await,
    );
    let v = tfc
        .update_variable_set_variable(
            &set.id,
            &v.id,
            &env("TFC_AWS_RUN_ROLE_ARN", "arn:aws:iam::1:role/b"),
        )
        .await
        .unwrap();
    assert_eq!(
        tfc.variable_set_variables(&set.id).await.unwrap(),
        std::slice::from_ref(&v)
    );

    tfc.attach_variable_set_to_workspaces(&set.id, std::slice::from_ref(&edge))
        .await
        .unwrap();
    tfc.attach_variable_set_to_projects(&set.id, std::slice::from_ref(&data))
        .await
        .unwrap();
    // Attaching twice changes nothing.
    tfc.attach_variable_set_to_workspaces(&set.id, std::slice::from_ref(&edge))
        .await
        .unwrap();
    let shown = listed_set(tfc, &set.id).await.unwrap();
    assert_eq!(
        (shown.workspace_ids, shown.project_ids),
        (vec![edge.clone()], vec![data.clone()])
    );
    for ws in [&edge, &warehouse] {
        let reaching = tfc.workspace_variable_sets(ws).await.unwrap();
        assert!(reaching.iter().any(|s| s.id == set.id), "{ws}");
    }

    tfc.detach_variable_set_from_workspaces(&set.id, std::slice::from_ref(&edge))
        .await
        .unwrap();
    tfc.detach_variable_set_from_projects(&set.id, std::slice::from_ref(&data))
        .await
        .unwrap();
    let shown = listed_set(tfc, &set.id).await.unwrap();
    assert!(shown.workspace_ids.is_empty() && shown.project_ids.is_empty());

    tfc.delete_variable_set_variable(&set.id, &v.id)
        .await
        .unwrap();
    assert!(tfc
        .variable_set_variables(&set.id)
        .await
        .unwrap()
        .is_empty());
    not_found(tfc.delete_variable_set_variable(&set.id, &v.id).await);
    tfc.delete_variable_set(&set.id).await.unwrap();
    assert_eq!(listed_set(tfc, &set.id).await, None);
    not_found(tfc.delete_variable_set(&set.id).await);
}

/// A global set reaches every workspace already: attaching it is refused; two global sets may
/// not hold the same key in the same category.
pub async fn global_sets_refuse_attachments_and_clashing_keys(tfc: &dyn Tfc) {
    let defaults = set_id_of(tfc, "acme-defaults").await;
    let tags = set_id_of(tfc, "acme-tags").await;
    let edge = id_of(tfc, "edge").await;
    let data = project_id_of(tfc, "data").await;
    rejected(
        tfc.attach_variable_set_to_workspaces(&defaults, std::slice::from_ref(&edge))
            .await,
    );
    rejected(
        tfc.attach_variable_set_to_projects(&defaults, std::slice::from_ref(&data))
            .await,
    );
    rejected(
        tfc.create_variable_set_variable(&tags, &env("AWS_REGION", "eu-west-1"))
            .await,
    );
    let other_category = var(
        "AWS_REGION",
        "eu-west-1",
        VariableCategory::Terraform,
        false,
    );
    tfc.create_variable_set_variable(&tags, &other_category)
        .await
        .unwrap();
    let keys = tfc.variable_set_variables(&tags).await.unwrap();
    assert_eq!(keys.len(), 2);
}

pub async fn missing_things_are_not_found(tfc: &dyn Tfc) {
    let edge = id_of(tfc, "edge").await;
    let legacy = set_id_of(tfc, "legacy-aws-keys").await;
    let missing_set = "varset-doesnotexist00";
    not_found(
        tfc.attach_variable_set_to_workspaces(missing_set, std::slice::from_ref(&edge))
            .await,
    );
    not_found(
        tfc.attach_variable_set_to_workspaces(&legacy, &["ws-doesnotexist0000".to_owned()])
            .await,
    );
    not_found(
        tfc.attach_variable_set_to_projects(&legacy, &["prj-doesnotexist0000".to_owned()])
            .await,
    );
    not_found(tfc.variable_set_variables(missing_set).await);
    not_found(
        tfc.create_variable_set_variable(missing_set, &env("K", "v"))
            .await,
    );
    not_found(
        tfc.update_variable_set_variable(&legacy, "var-doesnotexist0000", &env("K", "v"))
            .await,
    );
    // Attaching nothing asks nothing, so it cannot fail.
    tfc.attach_variable_set_to_workspaces(missing_set, &[])
        .await
        .unwrap();
    tfc.detach_variable_set_from_projects(missing_set, &[])
        .await
        .unwrap();
}
