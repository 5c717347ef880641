//! Reads: account, organizations, projects, workspaces, variables and variable sets as seeded,
//! and the effective variables of a workspace as the core computes them from what the port
//! reads (the precedence HCP Terraform's `/all-vars` documents).

use std::collections::BTreeMap;

use tfc_oidc::core::inventory::{read, InventoryScope};
use tfc_oidc::core::ports::{NewVariable, NewVariableSet, Tfc, TfcError, VariableCategory};

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

pub fn not_found<T: std::fmt::Debug>(result: Result<T, TfcError>) {
    assert!(
        matches!(result, Err(TfcError::NotFound { .. })),
        "{result:?}"
    );
}

pub fn rejected<T: std::fmt::Debug>(result: Result<T, TfcError>) {
    assert!(
        matches!(result, Err(TfcError::Rejected { status: 422, .. })),
        "{result:?}"
    );
}

pub async fn id_of(tfc: &dyn Tfc, workspace: &str) -> String {
    tfc.workspace("acme", workspace).await.unwrap().id
}

pub async fn project_id_of(tfc: &dyn Tfc, name: &str) -> String {
    let projects = tfc.projects("acme").await.unwrap();
    projects.into_iter().find(|p| p.name == name).unwrap().id
}

pub async fn set_id_of(tfc: &dyn Tfc, name: &str) -> String {
    let sets = tfc.variable_sets("acme").await.unwrap();
    sets.into_iter().find(|s| s.name == name).unwrap().id
}

pub async fn account_and_organizations(tfc: &dyn Tfc) {
    assert_eq!(tfc.host(), "app.terraform.io");
    assert_eq!(tfc.account().await.unwrap().username, "alice");
    let orgs = tfc.organizations().await.unwrap();
    let names = sorted(orgs.into_iter().map(|o| o.name).collect());
    assert_eq!(names, ["acme", "globex"]);
    let acme = tfc.organization("acme").await.unwrap();
    assert_eq!(acme.name, "acme");
    assert!(acme.external_id.unwrap().starts_with("org-"));
    not_found(tfc.organization("nope").await);
}

pub async fn projects_and_workspaces(tfc: &dyn Tfc) {
    let projects = tfc.projects("acme").await.unwrap();
    let names = sorted(projects.iter().map(|p| p.name.clone()).collect());
    assert_eq!(names, ["Default Project", "data", "platform"]);
    let platform = projects.iter().find(|p| p.name == "platform").unwrap();
    assert_eq!(&tfc.project(&platform.id).await.unwrap(), platform);
    not_found(tfc.project("prj-doesnotexist0000").await);
    not_found(tfc.projects("nope").await);

    let all = tfc.workspaces("acme", None).await.unwrap();
    let names = sorted(all.iter().map(|w| w.name.clone()).collect());
    assert_eq!(names, ["dns", "edge", "network", "sandbox", "warehouse"]);
    for w in &all {
        let project = projects.iter().find(|p| p.id == w.project_id).unwrap();
        assert_eq!(w.project_name.as_deref(), Some(project.name.as_str()));
        assert_eq!(w.organization.as_deref(), Some("acme"));
    }
    let in_platform = tfc.workspaces("acme", Some(&platform.id)).await.unwrap();
    let names = sorted(in_platform.iter().map(|w| w.name.clone()).collect());
    assert_eq!(names, ["dns", "edge", "network"]);
    assert!(tfc
        .workspaces("acme", Some("prj-doesnotexist0000"))
        .await
        .unwrap()
        .is_empty());
    not_found(tfc.workspaces("nope", None).await);

    let network = tfc.workspace("acme", "network").await.unwrap();
    assert_eq!(Some(&network), all.iter().find(|w| w.name == "network"));
    not_found(tfc.workspace("acme", "nope").await);
    not_found(tfc.workspace("nope", "network").await);
}

pub async fn stacks_by_project(tfc: &dyn Tfc) {
    let platform = project_id_of(tfc, "platform").await;
    let all = tfc.stacks("acme", None).await.unwrap();
    let names = sorted(all.iter().map(|s| s.name.clone()).collect());
    assert_eq!(names, ["lake", "networking"]);
    let in_platform = tfc.stacks("acme", Some(&platform)).await.unwrap();
    assert_eq!(in_platform.len(), 1);
    let networking = &in_platform[0];
    assert_eq!(
        (networking.name.as_str(), networking.project_id.as_str()),
        ("networking", platform.as_str())
    );
    assert!(networking.id.starts_with("st-"), "{}", networking.id);
    assert_eq!(
        sorted(networking.deployment_names.clone()),
        ["production", "staging"]
    );
    assert!(tfc.stacks("globex", None).await.unwrap().is_empty());
}

pub async fn workspace_variables_as_seeded(tfc: &dyn Tfc) {
    let network = id_of(tfc, "network").await;
    let vars = tfc.workspace_variables(&network).await.unwrap();
    let by_key: BTreeMap<_, _> = vars.iter().map(|v| (v.key.as_str(), v)).collect();
    assert_eq!(by_key.len(), 3);
    let key_id = by_key["AWS_ACCESS_KEY_ID"];
    assert_eq!(key_id.value.as_deref(), Some("AKIAEXAMPLE0000001"));
    assert_eq!(key_id.category, VariableCategory::Env);
    assert!(!key_id.sensitive && !key_id.hcl);
    let secret = by_key["AWS_SECRET_ACCESS_KEY"];
    assert!(secret.sensitive && secret.value.is_none());
    assert_eq!(by_key["region"].category, VariableCategory::Terraform);
    assert!(tfc
        .workspace_variables(&id_of(tfc, "edge").await)
        .await
        .unwrap()
        .is_empty());
    not_found(tfc.workspace_variables("ws-doesnotexist0000").await);
}

pub async fn variable_sets_as_seeded(tfc: &dyn Tfc) {
    let dns = id_of(tfc, "dns").await;
    let sets = tfc.variable_sets("acme").await.unwrap();
    let names = sorted(sets.iter().map(|s| s.name.clone()).collect());
    assert_eq!(names, ["acme-defaults", "acme-tags", "legacy-aws-keys"]);
    let legacy = sets.iter().find(|s| s.name == "legacy-aws-keys").unwrap();
    assert_eq!(legacy.workspace_ids, std::slice::from_ref(&dns));
    assert!(legacy.project_ids.is_empty() && !legacy.global && !legacy.priority);
    let defaults = sets.iter().find(|s| s.name == "acme-defaults").unwrap();
    assert!(defaults.global && defaults.workspace_ids.is_empty());
    let vars = tfc.variable_set_variables(&legacy.id).await.unwrap();
    let keys = sorted(vars.iter().map(|v| v.key.clone()).collect());
    assert_eq!(keys, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    assert!(vars.iter().all(|v| v.sensitive == v.value.is_none()));
    not_found(tfc.variable_sets("nope").await);

    let reaching = |ws: String| async move {
        let sets = tfc.workspace_variable_sets(&ws).await.unwrap();
        sorted(sets.into_iter().map(|s| s.name).collect())
    };
    assert_eq!(
        reaching(dns).await,
        ["acme-defaults", "acme-tags", "legacy-aws-keys"]
    );
    assert_eq!(
        reaching(id_of(tfc, "edge").await).await,
        ["acme-defaults", "acme-tags"]
    );
    not_found(tfc.workspace_variable_sets("ws-doesnotexist0000").await);
}

fn env(key: &str, value: &str) -> NewVariable {
    NewVariable {
        key: key.into(),
        value: value.into(),
        description: String::new(),
        category: VariableCategory::Env,
        sensitive: false,
    }
}

/// Workspace over workspace-attached sets (by name within a tier) over project-attached sets
/// over global sets; one variable per key and category.
pub async fn effective_variables_follow_precedence(tfc: &dyn Tfc) {
    let dns = id_of(tfc, "dns").await;
    let platform = project_id_of(tfc, "platform").await;
    tfc.create_workspace_variable(&dns, &env("AWS_ACCESS_KEY_ID", "AKIAOWN"))
        .await
        .unwrap();
    let make = |name: &'static str| async move {
        let new = NewVariableSet {
            name: name.into(),
            description: String::new(),
        };
        tfc.create_variable_set("acme", &new).await.unwrap().id
    };
    let (on_project, on_ws_b, on_ws_a) = (
        make("p-set").await,
        make("b-set").await,
        make("a-set").await,
    );
    tfc.create_variable_set_variable(&on_project, &env("AWS_REGION", "eu-west-1"))
        .await
        .unwrap();
    tfc.create_variable_set_variable(&on_project, &env("LEVEL", "project"))
        .await
        .unwrap();
    tfc.attach_variable_set_to_projects(&on_project, std::slice::from_ref(&platform))
        .await
        .unwrap();
    for (set, level) in [(&on_ws_b, "ws-b"), (&on_ws_a, "ws-a")] {
        tfc.create_variable_set_variable(set, &env("LEVEL", level))
            .await
            .unwrap();
        tfc.attach_variable_set_to_workspaces(set, std::slice::from_ref(&dns))
            .await
            .unwrap();
    }

    let scope = InventoryScope {
        host: "app.terraform.io".into(),
        organization: "acme".into(),
        project: Some("platform".into()),
    };
    let inventory = read(&scope, tfc, None, &|_| {}).await.unwrap();
    let effective = &inventory.workspace("dns").unwrap().effective;
    let value = |key: &str| {
        let found: Vec<_> = effective.iter().filter(|e| e.variable.key == key).collect();
        assert_eq!(found.len(), 1, "{key}: {effective:?}");
        found[0].variable.value.clone()
    };
    assert_eq!(value("AWS_ACCESS_KEY_ID").as_deref(), Some("AKIAOWN"));
    assert_eq!(value("AWS_SECRET_ACCESS_KEY"), None);
    assert_eq!(value("AWS_REGION").as_deref(), Some("eu-west-1"));
    assert_eq!(value("LEVEL").as_deref(), Some("ws-a"));
    assert_eq!(value("team").as_deref(), Some("platform"));
    assert_eq!(effective.len(), 5);
}
