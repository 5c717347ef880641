//! Tests of [`super::SandboxTfc`] through the `Tfc` port.

use super::*;
use crate::core::ports::VariableCategory;
use crate::core::ports::VariableCategory::{Env, Terraform};

fn nv(key: &str, value: &str, category: VariableCategory, sensitive: bool) -> NewVariable {
    let (key, value, description) = (key.into(), value.into(), String::new());
    NewVariable {
        key,
        value,
        description,
        category,
        sensitive,
    }
}

/// A variable set as the state holds it (the port reads sets only in lists).
fn fetched_set(tfc: &SandboxTfc, id: &str) -> Result<VariableSet, TfcError> {
    tfc.st().set(id).map(|s| s.set.clone())
}

fn set(name: &str) -> NewVariableSet {
    NewVariableSet {
        name: name.into(),
        description: "d".into(),
    }
}

fn unprocessable(detail: &str) -> TfcError {
    TfcError::Rejected {
        status: 422,
        detail: detail.into(),
    }
}

fn not_found(what: &str) -> TfcError {
    TfcError::NotFound { what: what.into() }
}

/// Organization `o`, projects `p1` (workspaces `a`, `b`) and `p2` (workspace `c`).
fn fixture() -> (SandboxTfc, [String; 5]) {
    let tfc = SandboxTfc::new("tfe.example.com");
    tfc.add_organization("o");
    let p1 = tfc.add_project("o", "p1").unwrap();
    let p2 = tfc.add_project("o", "p2").unwrap();
    let a = tfc.add_workspace("o", &p1, "a").unwrap();
    let b = tfc.add_workspace("o", &p1, "b").unwrap();
    let c = tfc.add_workspace("o", &p2, "c").unwrap();
    (tfc, [p1, p2, a, b, c])
}

#[tokio::test]
async fn lookups_and_not_found() {
    let (tfc, [p1, _, a, b, _]) = fixture();
    assert_eq!(tfc.host(), "tfe.example.com");
    assert_eq!(tfc.account().await.unwrap().username, "demo-user");
    assert!(tfc
        .organization("o")
        .await
        .unwrap()
        .external_id
        .unwrap()
        .starts_with("org-"));
    assert_eq!(
        tfc.organization("x").await,
        Err(not_found("organization 'x'"))
    );
    assert_eq!(tfc.projects("x").await, Err(not_found("organization 'x'")));
    assert_eq!(tfc.project(&p1).await.unwrap().name, "p1");
    let in_p1 = tfc.workspaces("o", Some(&p1)).await.unwrap();
    assert_eq!(in_p1.iter().map(|w| &w.id).collect::<Vec<_>>(), [&a, &b]);
    assert_eq!(tfc.workspaces("o", None).await.unwrap().len(), 3);
    let w = tfc.workspace("o", "a").await.unwrap();
    assert_eq!((w.id, w.project_name), (a, Some("p1".into())));
    let missing = tfc.workspace("o", "zz").await;
    assert_eq!(
        missing,
        Err(not_found("workspace 'zz' in organization 'o'"))
    );
    let no_ws = tfc.workspace_variables("ws-nope").await;
    assert_eq!(no_ws, Err(not_found("workspace 'ws-nope'")));
}

#[tokio::test]
async fn workspace_variables() {
    let (tfc, [_, _, a, _, _]) = fixture();
    let new = nv("AWS_REGION", "us-east-1", Env, false);
    let region = tfc.create_workspace_variable(&a, &new).await.unwrap();
    assert!(region.id.starts_with("var-") && region.value.as_deref() == Some("us-east-1"));
    let dup = tfc
        .create_workspace_variable(&a, &nv("AWS_REGION", "x", Env, false))
        .await;
    assert_eq!(dup, Err(unprocessable("Key has already been taken")));
    let other_category = nv("AWS_REGION", "x", Terraform, false);
    tfc.create_workspace_variable(&a, &other_category)
        .await
        .unwrap();
    let blank = tfc
        .create_workspace_variable(&a, &nv(" ", "x", Env, false))
        .await;
    assert_eq!(blank, Err(unprocessable("Key can't be blank")));
    let secret = nv("AWS_SECRET_ACCESS_KEY", "s3cret", Env, true);
    let secret = tfc.create_workspace_variable(&a, &secret).await.unwrap();
    assert_eq!((secret.value, secret.sensitive), (None, true));
    let vars = tfc.workspace_variables(&a).await.unwrap();
    assert_eq!(
        vars.iter().map(|v| v.key.as_str()).collect::<Vec<_>>()[0],
        "AWS_REGION"
    );
    assert!(
        !tfc.state_json().contains("s3cret"),
        "sensitive values are never kept"
    );

    let new = nv("AWS_REGION", "eu-west-1", Env, false);
    let updated = tfc
        .update_workspace_variable(&a, &region.id, &new)
        .await
        .unwrap();
    assert_eq!(updated.value.as_deref(), Some("eu-west-1"));
    let clash = nv("AWS_SECRET_ACCESS_KEY", "x", Env, true);
    let clash = tfc.update_workspace_variable(&a, &region.id, &clash).await;
    assert_eq!(clash, Err(unprocessable("Key has already been taken")));
    let unhide = nv("AWS_SECRET_ACCESS_KEY", "x", Env, false);
    let unhide = tfc.update_workspace_variable(&a, &secret.id, &unhide).await;
    assert!(matches!(
        unhide,
        Err(TfcError::Rejected { status: 422, .. })
    ));
    tfc.delete_workspace_variable(&a, &region.id).await.unwrap();
    let gone = tfc.delete_workspace_variable(&a, &region.id).await;
    let what = format!("variable '{}' on workspace '{a}'", region.id);
    assert_eq!(gone, Err(TfcError::NotFound { what }));
    assert_eq!(tfc.workspace_variables(&a).await.unwrap().len(), 2);
}

#[tokio::test]
async fn variable_sets_reach_workspaces() {
    let (tfc, [p1, p2, a, b, c]) = fixture();
    let direct = tfc.create_variable_set("o", &set("direct")).await.unwrap();
    assert_eq!(
        tfc.create_variable_set("o", &set("direct"))
            .await
            .unwrap_err(),
        { unprocessable("Name has already been taken") }
    );
    let by_project = tfc
        .create_variable_set("o", &set("by-project"))
        .await
        .unwrap();
    let global = tfc.add_variable_set("o", &set("global"), true).unwrap();
    tfc.attach_variable_set_to_workspaces(&direct.id, std::slice::from_ref(&a))
        .await
        .unwrap();
    tfc.attach_variable_set_to_workspaces(&direct.id, std::slice::from_ref(&a))
        .await
        .unwrap();
    tfc.attach_variable_set_to_projects(&by_project.id, std::slice::from_ref(&p1))
        .await
        .unwrap();
    let bad = tfc
        .attach_variable_set_to_projects(&by_project.id, &["prj-x".into()])
        .await;
    assert_eq!(bad, Err(not_found("project 'prj-x' in organization 'o'")));
    let names = |sets: Vec<VariableSet>| sets.into_iter().map(|s| s.name).collect::<Vec<_>>();
    let reach_a = names(tfc.workspace_variable_sets(&a).await.unwrap());
    assert_eq!(reach_a, ["by-project", "direct", "global"]);
    assert_eq!(
        names(tfc.workspace_variable_sets(&b).await.unwrap()),
        ["by-project", "global"]
    );
    assert_eq!(
        names(tfc.workspace_variable_sets(&c).await.unwrap()),
        ["global"]
    );
    let fetched = fetched_set(&tfc, &direct.id).unwrap();
    assert_eq!(
        (fetched.workspace_ids, fetched.global),
        (vec![a.clone()], false)
    );
    assert!(fetched_set(&tfc, &global.id).unwrap().global);

    tfc.detach_variable_set_from_workspaces(&direct.id, std::slice::from_ref(&a))
        .await
        .unwrap();
    tfc.detach_variable_set_from_projects(&by_project.id, &[p1, p2])
        .await
        .unwrap();
    assert_eq!(
        names(tfc.workspace_variable_sets(&a).await.unwrap()),
        ["global"]
    );

    let key = nv("AWS_ACCESS_KEY_ID", "AKIA", Env, false);
    let v = tfc
        .create_variable_set_variable(&direct.id, &key)
        .await
        .unwrap();
    let dup = tfc.create_variable_set_variable(&direct.id, &key).await;
    assert_eq!(dup, Err(unprocessable("Key has already been taken")));
    let moved = nv("AWS_ACCESS_KEY_ID", "AKIB", Env, false);
    tfc.update_variable_set_variable(&direct.id, &v.id, &moved)
        .await
        .unwrap();
    let vars = tfc.variable_set_variables(&direct.id).await.unwrap();
    assert_eq!(vars[0].value.as_deref(), Some("AKIB"));
    tfc.delete_variable_set_variable(&direct.id, &v.id)
        .await
        .unwrap();
    assert!(tfc
        .delete_variable_set_variable(&direct.id, &v.id)
        .await
        .is_err());
    assert_eq!(tfc.variable_sets("o").await.unwrap().len(), 3);
    tfc.delete_variable_set(&direct.id).await.unwrap();
    let gone = fetched_set(&tfc, &direct.id);
    assert_eq!(
        gone,
        Err(not_found(&format!("variable set '{}'", direct.id)))
    );
}

#[tokio::test]
async fn effective_variables_follow_the_precedence_of_the_api() {
    let (tfc, [p1, _, a, _, c]) = fixture();
    let add = |set: &str, key: &str, value: &str, category| {
        let var = nv(key, value, category, false);
        tfc.add_variable_set_variable(set, &var).unwrap();
    };
    tfc.add_workspace_variable(&a, &nv("K1", "workspace", Env, false))
        .unwrap();
    // Created in reverse name order: within a scope the first by name wins, not the oldest.
    for name in ["on-ws-b", "on-ws-a"] {
        let s = tfc.add_variable_set("o", &set(name), false).unwrap();
        tfc.attach_variable_set(&s.id, std::slice::from_ref(&a), &[])
            .unwrap();
        add(&s.id, "K1", name, Env);
        add(&s.id, "K2", name, Env);
    }
    let on_project = tfc
        .add_variable_set("o", &set("on-project"), false)
        .unwrap();
    tfc.attach_variable_set(&on_project.id, &[], std::slice::from_ref(&p1))
        .unwrap();
    add(&on_project.id, "K2", "on-project", Env);
    add(&on_project.id, "K3", "on-project", Env);
    let global = tfc.add_variable_set("o", &set("global"), true).unwrap();
    add(&global.id, "K3", "global", Env);
    add(&global.id, "K4", "global", Env);
    add(&global.id, "K1", "global", Terraform);

    let effective = |ws: String| {
        let tfc = &tfc;
        async move {
            let vars = tfc.effective_variables(&ws).await.unwrap();
            let row = |v: Variable| (v.key, v.category, v.value.unwrap_or_default());
            vars.into_iter().map(row).collect::<Vec<_>>()
        }
    };
    let row = |key: &str, category, value: &str| (key.to_owned(), category, value.to_owned());
    assert_eq!(
        effective(a.clone()).await,
        [
            row("K1", Env, "workspace"),
            row("K2", Env, "on-ws-a"),
            row("K3", Env, "on-project"),
            row("K4", Env, "global"),
            row("K1", Terraform, "global"),
        ]
    );
    assert_eq!(
        effective(c.clone()).await,
        [
            row("K3", Env, "global"),
            row("K4", Env, "global"),
            row("K1", Terraform, "global"),
        ]
    );
    // A priority set overrides even the workspace's own variables.
    tfc.st().set_mut(&on_project.id).unwrap().set.priority = true;
    let vars = effective(a.clone()).await;
    assert_eq!(
        vars[..2],
        [row("K2", Env, "on-project"), row("K3", Env, "on-project")]
    );
    assert!(vars.contains(&row("K1", Env, "workspace")), "{vars:?}");
    assert_eq!(
        tfc.effective_variables("ws-none").await,
        Err(not_found("workspace 'ws-none'"))
    );
}

#[tokio::test]
async fn renamed_and_deleted_workspaces() {
    let (tfc, [_, _, a, b, _]) = fixture();
    let s = tfc.add_variable_set("o", &set("s"), false).unwrap();
    tfc.attach_variable_set(&s.id, &[a.clone(), b.clone()], &[])
        .unwrap();
    tfc.rename_workspace(&a, "a2").unwrap();
    assert_eq!(tfc.workspace("o", "a2").await.unwrap().id, a);
    tfc.delete_workspace(&b).unwrap();
    assert_eq!(fetched_set(&tfc, &s.id).unwrap().workspace_ids, vec![a]);
    assert!(tfc.delete_workspace(&b).is_err());
}

#[tokio::test]
async fn fault_injection_and_call_log() {
    let (tfc, [_, _, a, _, _]) = fixture();
    let five_hundred = TfcError::Server {
        status: 502,
        detail: "bad gateway".into(),
    };
    tfc.fail_on("create_workspace_variable", 1, five_hundred.clone());
    let var = nv("TFC_AWS_PROVIDER_AUTH", "true", Env, false);
    assert_eq!(
        tfc.create_workspace_variable(&a, &var).await,
        Err(five_hundred)
    );
    assert!(tfc.workspace_variables(&a).await.unwrap().is_empty());
    tfc.create_workspace_variable(&a, &var).await.unwrap();
    let calls = tfc.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        (calls[0].op, calls[0].write, &calls[0].target),
        ("create_workspace_variable", true, &a)
    );
    assert_eq!(tfc.write_count(), 2);
    tfc.clear_calls();
    assert!(tfc.calls().is_empty());
}

#[tokio::test]
async fn state_round_trip() {
    let (tfc, [_, _, a, _, _]) = fixture();
    tfc.create_workspace_variable(&a, &nv("k", "v", Terraform, true))
        .await
        .unwrap();
    let back = SandboxTfc::from_state_json(&tfc.state_json()).unwrap();
    assert_eq!(back.state_json(), tfc.state_json());
    assert_eq!(back.host(), "tfe.example.com");
    let next = back
        .create_workspace_variable(&a, &nv("k2", "v", Env, false))
        .await
        .unwrap();
    let expected = tfc
        .create_workspace_variable(&a, &nv("k2", "v", Env, false))
        .await
        .unwrap();
    assert_eq!(next.id, expected.id);
}
