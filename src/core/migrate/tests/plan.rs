//! What a migration plans: discovery, removals, order, notes.

use super::*;
use crate::core::change::{CreateVariable, DeleteVariable};

#[tokio::test]
async fn the_demo_migrates_whole_and_a_second_run_plans_nothing() {
    // Without the provider (and the review roles that trust it), so the plan creates it once.
    let sb = Sandbox::demo_without_review_roles();
    let m = migrate(&sb, &request(MigrationScope::All)).await;
    let found: Vec<&str> = m.workspaces.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        found,
        ["etl", "warehouse", "payments-worker", "network-staging"]
    );
    // warehouse's key is the second account's, which this run cannot reach: left alone.
    assert_eq!(m.unreachable.len(), 1);
    assert_eq!(m.unreachable[0].workspaces, ["warehouse"]);
    assert!(m.plan.workspaces.iter().all(|w| w.name != "warehouse"));
    let etl = &m.workspaces[0];
    assert!(matches!(
        &etl.sources[0].source,
        crate::core::variables::VariableSource::VariableSet { name, .. } if name == "legacy-aws-keys"
    ));
    assert_eq!(m.keys[DEMO_ACCESS_KEY_ID].user(), Some("ci-deployer"));
    assert_eq!(m.plan.projects, ["data", "payments", "platform"]);
    let providers = m
        .plan
        .changes
        .iter()
        .filter(|c| matches!(c.change, Change::CreateOidcProvider(_)))
        .count();
    assert_eq!(providers, 1, "one provider for three projects");
    assert_eq!(m.plan.roles.len(), 3);
    assert!(m.still_receiving.is_empty());

    // Order: each removal waits for the OIDC variables of the workspaces it affects (the set
    // reaches etl); the key's deactivation waits for every removal.
    let oidc_vars_of = |ws: &str| -> Vec<usize> {
        let on = |c: &Change| matches!(c, Change::CreateVariable(CreateVariable { target: VariableTarget::Workspace(w), .. }) if w.name == ws);
        (0..m.plan.changes.len())
            .filter(|j| on(&m.plan.changes[*j].change))
            .collect()
    };
    let removals: Vec<usize> = (0..m.plan.changes.len())
        .filter(|i| matches!(m.plan.changes[*i].change, Change::DeleteVariable(_)))
        .collect();
    assert_eq!(removals.len(), 6);
    for &i in &removals {
        let Change::DeleteVariable(DeleteVariable { target, .. }) = &m.plan.changes[i].change
        else {
            unreachable!()
        };
        let ws = match target {
            VariableTarget::Workspace(w) => w.name.clone(),
            VariableTarget::VariableSet(_) => "etl".into(),
        };
        let before = ancestors(&m, i);
        let vars = oidc_vars_of(&ws);
        assert_eq!(vars.len(), 2, "{ws}");
        assert!(vars.iter().all(|j| before.contains(j)), "{ws}: {before:?}");
    }
    let deactivate = m
        .plan
        .changes
        .iter()
        .position(|c| matches!(c.change, Change::SetAccessKeyStatus(_)))
        .unwrap();
    let before = ancestors(&m, deactivate);
    assert!(removals.iter().all(|j| before.contains(j)));

    let journal = Journal::in_memory();
    apply_plan(&sb, &journal, m).await.unwrap();
    for ws in ["etl", "payments-worker", "network-staging"] {
        let keys = run_keys(&sb, ws).await;
        assert!(!has(&keys, "AWS_ACCESS_KEY_ID"), "{ws}: {keys:?}");
        assert!(!has(&keys, "AWS_SECRET_ACCESS_KEY"), "{ws}: {keys:?}");
        assert!(has(&keys, "TFC_AWS_RUN_ROLE_ARN") && has(&keys, "AWS_REGION"));
    }
    assert_eq!(
        sb.iam.access_key_status(DEMO_ACCESS_KEY_ID),
        Some(AccessKeyStatus::Inactive)
    );
    let again = migrate(&sb, &request(MigrationScope::All)).await;
    assert!(again.plan.is_empty(), "{:?}", again.plan.changes);
    // Only warehouse, whose key's account this run cannot reach, still receives keys.
    let left: Vec<&str> = again.workspaces.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(left, ["warehouse"]);
}

#[tokio::test]
async fn a_set_reaching_only_migrated_workspaces_is_emptied_and_nothing_else_is_touched() {
    let sb = Sandbox::demo();
    let m = migrate(&sb, &request(names(&["etl"]))).await;
    let removed: Vec<(String, String)> = m
        .plan
        .changes
        .iter()
        .filter_map(|c| match &c.change {
            Change::DeleteVariable(DeleteVariable { target, key, .. }) => {
                Some((target.to_string(), key.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        removed,
        [
            (
                "variable set legacy-aws-keys".into(),
                "AWS_ACCESS_KEY_ID".into()
            ),
            (
                "variable set legacy-aws-keys".into(),
                "AWS_SECRET_ACCESS_KEY".into()
            ),
        ]
    );
    // Two other workspaces still use the key: it stays active.
    assert!(!m
        .plan
        .changes
        .iter()
        .any(|c| matches!(c.change, Change::SetAccessKeyStatus(_))));
    assert!(m
        .plan
        .notes
        .iter()
        .any(|n| n.text.contains("stays active") && n.text.contains("network-staging")));
}

#[tokio::test]
async fn a_set_attached_to_the_workspace_is_detached_from_it() {
    let sb = shop(false, false).await;
    let m = migrate(&sb, &request(names(&["web"]))).await;
    let detach: Vec<String> = m
        .plan
        .changes
        .iter()
        .filter(|c| matches!(c.change, Change::DetachVariableSet(_)))
        .map(|c| c.change.summary())
        .collect();
    assert_eq!(detach, ["detach variable set shop-keys from workspace web"]);
    assert!(!m
        .plan
        .changes
        .iter()
        .any(|c| matches!(c.change, Change::DeleteVariable(_))));
    assert!(m.still_receiving.is_empty());
    apply_plan(&sb, &Journal::in_memory(), m).await.unwrap();
    assert!(!has(&run_keys(&sb, "web").await, "AWS_ACCESS_KEY_ID"));
    assert!(has(&run_keys(&sb, "api").await, "AWS_ACCESS_KEY_ID"));
    assert_eq!(
        sb.iam.access_key_status("AKIASHOP00000001"),
        Some(AccessKeyStatus::Active),
        "api still uses it"
    );
}

#[tokio::test]
async fn a_shared_set_that_holds_more_or_reaches_through_a_project_is_left_alone() {
    for (project, extra) in [(true, false), (false, true)] {
        let sb = shop(project, extra).await;
        let m = migrate(&sb, &request(names(&["web"]))).await;
        assert!(!m.plan.changes.iter().any(|c| matches!(
            c.change,
            Change::DetachVariableSet(_) | Change::DeleteVariable(_)
        )));
        assert_eq!(m.still_receiving.len(), 1);
        assert_eq!(m.still_receiving[0].workspace, "web");
        let note = m
            .plan
            .notes
            .iter()
            .find(|n| n.resource == "variable set shop-keys")
            .expect("a note on the set");
        assert!(note.text.contains("also reaches api"), "{}", note.text);
        assert!(note.is_warning());
    }
}

#[tokio::test]
async fn own_keys_stay_when_a_shared_set_would_give_a_different_key() {
    let sb = shop(true, false).await;
    let web = sb.tfc.workspace("acme-corp", "web").await.unwrap();
    sb.tfc
        .add_workspace_variable(
            &web.id,
            &env("AWS_ACCESS_KEY_ID", "AKIAWEB000000001", false),
        )
        .unwrap();
    let m = migrate(&sb, &request(names(&["web"]))).await;
    assert!(!m
        .plan
        .changes
        .iter()
        .any(|c| matches!(c.change, Change::DeleteVariable(_))));
    assert!(m.plan.notes.iter().any(|n| n
        .text
        .starts_with("workspace web keeps its own static keys")));
    let from: Vec<&LeftReason> = m.still_receiving[0].from.iter().map(|l| &l.why).collect();
    assert_eq!(from.len(), 2, "{from:?}");
}

#[tokio::test]
async fn keys_of_another_account_are_reported_not_deactivated() {
    let sb = shop(false, false).await;
    sb.iam
        .add_foreign_access_key("AKIAFOREIGN00001", "999999999999");
    let api = sb.tfc.workspace("acme-corp", "api").await.unwrap();
    sb.tfc
        .add_workspace_variable(
            &api.id,
            &env("AWS_ACCESS_KEY_ID", "AKIAFOREIGN00001", false),
        )
        .unwrap();
    let m = migrate(&sb, &request(names(&["api"]))).await;
    assert_eq!(
        m.keys["AKIAFOREIGN00001"],
        KeyOwner::OtherAccount {
            account: Some("999999999999".into())
        }
    );
    assert!(m.plan.notes.iter().any(|n| {
        n.text
        == "access key AKIA…0001 belongs to another AWS account (999999999999): deactivate it there"
    }));
}

#[tokio::test]
async fn role_name_needs_one_project_and_unknown_names_fail() {
    let sb = Sandbox::demo();
    let mut req = request(MigrationScope::All);
    req.role_name = Some("one-role".into());
    let err = plan_migration(&req, sb.iam.as_ref(), sb.tfc.as_ref(), &[], &|_| {})
        .await
        .unwrap_err();
    assert!(
        err.is_usage() && err.to_string().contains("3 projects"),
        "{err}"
    );
    let req = request(names(&["nope"]));
    let err = plan_migration(&req, sb.iam.as_ref(), sb.tfc.as_ref(), &[], &|_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, MigrateError::UnknownWorkspace { .. }));
    let m = migrate(&sb, &request(names(&["network-prod"]))).await;
    assert!(m.plan.is_empty());
    assert!(m.plan.notes[0].text.contains("receives no static AWS keys"));
}

#[tokio::test]
async fn keys_stay_where_the_oidc_variables_would_not_take_effect() {
    // A priority set setting the role ARN beats the workspace's own variables.
    let sb = shop(false, false).await;
    let web = sb.tfc.workspace("acme-corp", "web").await.unwrap();
    let set = NewVariableSet {
        name: "forced-role".into(),
        description: String::new(),
    };
    let set = sb.tfc.add_variable_set("acme-corp", &set, false).unwrap();
    sb.tfc
        .add_variable_set_variable(
            &set.id,
            &env("TFC_AWS_RUN_ROLE_ARN", "arn:aws:iam::1:role/x", false),
        )
        .unwrap();
    sb.tfc.set_variable_set_priority(&set.id, true).unwrap();
    sb.tfc
        .attach_variable_set(&set.id, std::slice::from_ref(&web.id), &[])
        .unwrap();
    let m = migrate(&sb, &request(names(&["web"]))).await;
    assert!(!m.plan.changes.iter().any(|c| matches!(
        c.change,
        Change::DetachVariableSet(_) | Change::DeleteVariable(_)
    )));
    assert!(m.plan.notes.iter().any(|n| n.text.starts_with(
        "workspace web keeps its static keys: variable set forced-role (attached to the workspace) sets TFC_AWS_RUN_ROLE_ARN"
    )), "{:?}", m.plan.notes);
    assert_eq!(m.still_receiving[0].workspace, "web");

    // With --target varset, the workspace's own role variable beats the new set.
    let sb = shop(false, false).await;
    let web = sb.tfc.workspace("acme-corp", "web").await.unwrap();
    sb.tfc
        .add_workspace_variable(
            &web.id,
            &env("TFC_AWS_RUN_ROLE_ARN", "arn:aws:iam::1:role/x", false),
        )
        .unwrap();
    let mut req = request(names(&["web"]));
    req.varset = true;
    let m = migrate(&sb, &req).await;
    assert!(m.plan.notes.iter().any(|n| n
        .text
        .contains("the workspace itself sets TFC_AWS_RUN_ROLE_ARN")));
}

#[tokio::test]
async fn a_workspace_already_on_a_working_role_only_loses_its_keys() {
    let sb = Sandbox::demo();
    let mut a = crate::core::answers::Answers::new(
        DEMO_HOST,
        "acme-corp",
        "platform",
        crate::core::answers::WorkspaceSelection::Named(vec!["network-staging".into()]),
    );
    a.role_name = "their-own-role".into();
    a.permissions.none = true;
    let setup = crate::core::planner::plan(&a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let mut w = Journal::in_memory()
        .begin(&setup, RecordKind::Apply)
        .unwrap();
    apply(setup, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &|_| {})
        .await
        .unwrap();
    let m = migrate(&sb, &request(names(&["network-staging"]))).await;
    let kinds: Vec<String> = m.plan.changes.iter().map(|c| c.change.summary()).collect();
    assert_eq!(
        kinds,
        [
            "delete AWS_ACCESS_KEY_ID from workspace network-staging",
            "delete AWS_SECRET_ACCESS_KEY from workspace network-staging",
        ]
    );
    assert!(m.plan.notes.iter().any(|n| n.text.starts_with(
        "workspace network-staging already authenticates through arn:aws:iam::123456789012:role/their-own-role"
    )));
}

#[tokio::test]
async fn split_roles_split_permissions_and_keys_go_only_once_the_roles_are_ready() {
    let sb = Sandbox::demo();
    let mut req = request(names(&["network-staging"]));
    req.split_roles = true;
    req.permissions = Permissions {
        managed_policy_arns: vec!["arn:aws:iam::aws:policy/PowerUserAccess".into()],
        ..Permissions::default()
    };
    let m = migrate(&sb, &req).await;
    let attaches: Vec<(usize, String, String)> = (0..m.plan.changes.len())
        .filter_map(|i| match &m.plan.changes[i].change {
            Change::AttachRolePolicy(a) => Some((i, a.role_name.clone(), a.policy_arn.clone())),
            _ => None,
        })
        .collect();
    let pairs: Vec<(&str, &str)> = attaches
        .iter()
        .map(|(_, role, arn)| (role.as_str(), arn.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            (
                "tfc-acme-corp-platform-plan",
                "arn:aws:iam::aws:policy/ReadOnlyAccess"
            ),
            (
                "tfc-acme-corp-platform-apply",
                "arn:aws:iam::aws:policy/PowerUserAccess"
            ),
        ]
    );
    let removals: Vec<usize> = (0..m.plan.changes.len())
        .filter(|i| matches!(m.plan.changes[*i].change, Change::DeleteVariable(_)))
        .collect();
    assert!(!removals.is_empty());
    for i in removals {
        let before = ancestors(&m, i);
        assert!(
            attaches.iter().all(|(j, ..)| before.contains(j)),
            "{before:?}"
        );
    }
}

/// A project with more workspaces than one role's trust policy can name (IAM: 2,048
/// characters) gets as few roles as fit, each trusting its share by name (never a
/// project-wide subject), and every workspace's variables name the role that trusts it.
#[tokio::test]
async fn a_project_too_big_for_one_trust_is_split_over_roles_that_fit() {
    let sb = Sandbox::demo();
    let tfc = &sb.tfc;
    let project = tfc.add_project("acme-corp", "fleet").unwrap();
    let key = "AKIAFLEET0000001";
    sb.iam
        .add_access_key("fleet-ci", key, AccessKeyStatus::Active);
    for i in 0..40 {
        let ws = tfc
            .add_workspace("acme-corp", &project, &format!("service-{i:02}"))
            .unwrap();
        tfc.add_workspace_variable(&ws, &env("AWS_ACCESS_KEY_ID", key, false))
            .unwrap();
    }
    let mut req = request(MigrationScope::Project("fleet".into()));
    req.deactivate_keys = false;
    let m = migrate(&sb, &req).await;
    let roles: Vec<&crate::core::plan::PlannedRole> = m.plan.roles.iter().collect();
    assert!(roles.len() > 1, "{roles:?}");
    assert!(roles
        .iter()
        .all(|r| r.name.starts_with("tfc-acme-corp-fleet-")));
    let mut trusted = 0;
    for role in &roles {
        assert!(
            role.subjects.iter().all(|s| !s.contains("workspace:*")),
            "{role:?}"
        );
        trusted += role.subjects.len();
    }
    assert_eq!(trusted, 40, "each workspace trusted once");
    for v in m
        .plan
        .variables
        .iter()
        .filter(|v| v.key == "TFC_AWS_RUN_ROLE_ARN")
    {
        let role = roles
            .iter()
            .find(|r| r.arn == v.value)
            .expect("a planned role");
        let ws = v.target.to_string();
        assert!(
            role.subjects
                .iter()
                .any(|s| ws.contains(s.split(':').nth(5).unwrap())),
            "{ws} is trusted by {}",
            role.name
        );
    }
    let notes = m.plan.note_lines().join("\n");
    assert!(
        notes.contains("the 40 workspaces of project fleet get"),
        "{notes}"
    );
}
