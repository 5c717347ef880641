//! The core on the sandbox: plan contents for each choice, idempotence, dry runs write nothing,
//! resume after an injected failure, and undo.

use tfc_oidc::core::answers::{Answers, TargetChoice, WorkspaceSelection};
use tfc_oidc::core::apply::{apply, Progress};
use tfc_oidc::core::change::{AttachVariableSet, CreateRole};
use tfc_oidc::core::error::{ApplyError, PlanError};
use tfc_oidc::core::journal::{Journal, RecordKind};
use tfc_oidc::core::plan::{Change, Plan};
use tfc_oidc::core::planner::plan;
use tfc_oidc::core::ports::{Iam, IamError, Tfc, TfcError};
use tfc_oidc::core::undo::plan_undo;
use tfc_oidc::sandbox::Sandbox;

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

fn answers(workspaces: &[&str]) -> Answers {
    let mut a = Answers::new(
        "app.terraform.io",
        "acme-corp",
        "platform",
        WorkspaceSelection::Named(workspaces.iter().map(|s| s.to_string()).collect()),
    );
    a.permissions.managed_policy_arns.push(READ_ONLY.into());
    a
}

fn kinds(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .map(|c| {
            serde_json::to_value(&c.change).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn quiet(_: Progress) {}

async fn plan_ok(sb: &Sandbox, a: &Answers) -> Plan {
    let before = (sb.iam.write_count(), sb.tfc.write_count());
    let p = plan(a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .expect("plan");
    assert_eq!(
        (sb.iam.write_count(), sb.tfc.write_count()),
        before,
        "planning must not write"
    );
    p
}

async fn apply_ok(sb: &Sandbox, journal: &Journal, p: Plan) {
    let mut w = journal.begin(&p, RecordKind::Apply).unwrap();
    apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .expect("apply");
}

async fn env_value(sb: &Sandbox, ws: &str, key: &str) -> Option<String> {
    let w = sb.tfc.workspace("acme-corp", ws).await.unwrap();
    let vars = sb.tfc.workspace_variables(&w.id).await.unwrap();
    vars.into_iter()
        .find(|v| v.key == key)
        .and_then(|v| v.value)
}

#[tokio::test]
async fn one_workspace_plan_then_idempotent() {
    // An account with no OIDC provider yet (the demo's review roles trust the one it has).
    let sb = Sandbox::demo_without_review_roles();
    let a = answers(&["network-prod"]);
    let p = plan_ok(&sb, &a).await;
    assert_eq!(
        kinds(&p),
        [
            "create_oidc_provider",
            "create_role",
            "attach_role_policy",
            "create_variable",
            "create_variable"
        ]
    );
    let Change::CreateRole(CreateRole { trust_policy, .. }) = &p.changes[1].change else {
        panic!()
    };
    assert_eq!(
        trust_policy["Statement"][0]["Condition"]["StringLike"]["app.terraform.io:sub"][0],
        "organization:acme-corp:project:platform:workspace:network-prod:run_phase:*"
    );
    assert_eq!(p.changes[1].depends_on, vec![0]);
    assert_eq!(
        p.changes[3].depends_on,
        vec![1, 2],
        "variables wait for the role and its policy"
    );
    let journal = Journal::in_memory();
    apply_ok(&sb, &journal, p).await;
    assert_eq!(
        env_value(&sb, "network-prod", "TFC_AWS_RUN_ROLE_ARN")
            .await
            .as_deref(),
        Some("arn:aws:iam::123456789012:role/tfc-acme-corp-platform")
    );
    assert_eq!(
        env_value(&sb, "network-prod", "TFC_AWS_PROVIDER_AUTH")
            .await
            .as_deref(),
        Some("true")
    );

    sb.iam.clear_calls();
    sb.tfc.clear_calls();
    let again = plan_ok(&sb, &a).await;
    assert!(
        again.is_empty(),
        "second run plans nothing: {:?}",
        kinds(&again)
    );
    assert_eq!(sb.iam.write_count() + sb.tfc.write_count(), 0);
}

#[tokio::test]
async fn all_workspaces_uses_one_wildcard_pattern() {
    let sb = Sandbox::demo();
    let mut a = answers(&[]);
    a.workspaces = WorkspaceSelection::All;
    let p = plan_ok(&sb, &a).await;
    assert_eq!(
        p.roles[0].subjects,
        ["organization:acme-corp:project:platform:workspace:*:run_phase:*"]
    );
    // dns already has TFC_AWS_PROVIDER_AUTH=true: only its role ARN is new.
    let creates = kinds(&p).iter().filter(|k| *k == "create_variable").count();
    assert_eq!(creates, 3 * 2 - 1);
}

#[tokio::test]
async fn split_roles_make_two_roles_and_phase_variables() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.split_roles = true;
    let p = plan_ok(&sb, &a).await;
    let names: Vec<_> = p
        .roles
        .iter()
        .map(|r| (r.name.as_str(), r.phase.to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("tfc-acme-corp-platform-plan", "plan".into()),
            ("tfc-acme-corp-platform-apply", "apply".into())
        ]
    );
    assert!(p.roles[0].subjects[0].ends_with("run_phase:plan"));
    let keys: Vec<String> = p.variables.iter().map(|v| v.key.clone()).collect();
    assert_eq!(
        keys,
        [
            "TFC_AWS_PROVIDER_AUTH",
            "TFC_AWS_PLAN_ROLE_ARN",
            "TFC_AWS_APPLY_ROLE_ARN"
        ]
    );
    apply_ok(&sb, &Journal::in_memory(), p).await;
    assert!(plan_ok(&sb, &a).await.is_empty());
}

#[tokio::test]
async fn varset_target_creates_fills_and_attaches_then_reuses() {
    // An account with no OIDC provider yet (the demo's review roles trust the one it has).
    let sb = Sandbox::demo_without_review_roles();
    let mut a = answers(&["network-prod", "network-staging"]);
    a.target = TargetChoice::VariableSet {
        name: "aws-oidc".into(),
    };
    let p = plan_ok(&sb, &a).await;
    let k = kinds(&p);
    assert_eq!(
        &k[3..],
        [
            "create_variable_set",
            "create_variable",
            "create_variable",
            "attach_variable_set"
        ]
    );
    let attach = p.changes.last().unwrap();
    assert!(
        attach.depends_on.contains(&4) && attach.depends_on.contains(&5),
        "attach waits for the variables"
    );
    apply_ok(&sb, &Journal::in_memory(), p).await;
    assert!(plan_ok(&sb, &a).await.is_empty());

    // Reused and completed: a third workspace only needs attaching.
    let mut b = a.clone();
    b.workspaces = WorkspaceSelection::Named(vec![
        "network-prod".into(),
        "network-staging".into(),
        "dns".into(),
    ]);
    let p = plan_ok(&sb, &b).await;
    assert_eq!(kinds(&p), ["update_trust_policy", "attach_variable_set"]);
}

#[tokio::test]
async fn varset_for_all_workspaces_attaches_to_the_project() {
    let sb = Sandbox::demo();
    let mut a = answers(&[]);
    a.workspaces = WorkspaceSelection::All;
    a.target = TargetChoice::VariableSet {
        name: "aws-oidc".into(),
    };
    let p = plan_ok(&sb, &a).await;
    match &p.changes.last().unwrap().change {
        Change::AttachVariableSet(AttachVariableSet { scope, .. }) => {
            assert_eq!(scope.to_string(), "project platform")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn custom_audience_is_added_and_set() {
    let sb = Sandbox::demo();
    apply_ok(
        &sb,
        &Journal::in_memory(),
        plan_ok(&sb, &answers(&["network-prod"])).await,
    )
    .await;
    let mut a = answers(&["network-prod"]);
    a.audience = "my.audience".into();
    let p = plan_ok(&sb, &a).await;
    let k = kinds(&p);
    assert_eq!(k[0], "add_oidc_audience");
    assert!(
        k.contains(&"update_trust_policy".to_string()),
        "new audience needs its own statement: {k:?}"
    );
    assert!(p
        .variables
        .iter()
        .any(|v| v.key == "TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE" && v.value == "my.audience"));
    apply_ok(&sb, &Journal::in_memory(), p).await;
    let role = sb
        .iam
        .get_role("tfc-acme-corp-platform")
        .await
        .unwrap()
        .unwrap();
    assert!(
        role.trust_policy.contains("aws.workload.identity"),
        "old statement kept"
    );
    assert!(role.trust_policy.contains("my.audience"));
}

#[tokio::test]
async fn existing_variable_is_updated_with_old_value_shown() {
    let sb = Sandbox::demo();
    let ws = sb.tfc.workspace("acme-corp", "network-prod").await.unwrap();
    sb.tfc
        .create_workspace_variable(
            &ws.id,
            &tfc_oidc::core::ports::NewVariable {
                key: "TFC_AWS_RUN_ROLE_ARN".into(),
                value: "arn:aws:iam::123456789012:role/old".into(),
                description: String::new(),
                category: tfc_oidc::core::ports::VariableCategory::Env,
                sensitive: false,
            },
        )
        .await
        .unwrap();
    let p = plan_ok(&sb, &answers(&["network-prod"])).await;
    let update = p
        .changes
        .iter()
        .find(|c| matches!(c.change, Change::UpdateVariable(_)))
        .unwrap();
    assert!(update.change.summary().contains("\"arn:aws:iam::123456789012:role/old\" → \"arn:aws:iam::123456789012:role/tfc-acme-corp-platform\""));
}

#[tokio::test]
async fn workspace_in_another_project_is_refused_with_its_project() {
    let sb = Sandbox::demo();
    let err = plan(&answers(&["warehouse"]), sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(matches!(err, PlanError::WrongProject { .. }));
    assert!(err.to_string().contains("is in project 'data'"), "{err}");
}

#[tokio::test]
async fn unknown_workspace_and_invalid_names_fail_before_writing() {
    let sb = Sandbox::demo();
    let err = plan(&answers(&["nope"]), sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
    let mut a = answers(&["network-prod"]);
    a.role_name = "has spaces".into();
    assert!(plan(&a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err()
        .is_usage());
    assert_eq!(sb.iam.write_count() + sb.tfc.write_count(), 0);
}

#[tokio::test]
async fn failure_mid_apply_is_journaled_and_a_rerun_resumes_then_undo_reverts() {
    // Without the demo's review roles, no other role trusts the provider: undo removes it.
    let sb = Sandbox::demo_without_review_roles();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path());
    let a = answers(&["network-prod", "network-staging"]);
    sb.tfc.fail_on(
        "create_workspace_variable",
        2,
        TfcError::Server {
            status: 500,
            detail: "boom".into(),
        },
    );
    let p = plan_ok(&sb, &a).await;
    let total = p.changes.len();
    let mut w = journal.begin(&p, RecordKind::Apply).unwrap();
    let err = apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap_err();
    let ApplyError::Partial { done, total: t, .. } = err else {
        panic!("{err}")
    };
    assert_eq!(t, total);
    assert!(done >= 3 && done < total);
    let record = journal.records().pop().unwrap();
    assert_eq!(record.done().len(), done);
    assert!(!record.is_complete());

    // The re-run plans only what is missing and continues the same record.
    let p = plan_ok(&sb, &a).await;
    assert!(!p.is_empty() && p.changes.len() < total);
    assert!(p
        .changes
        .iter()
        .all(|c| matches!(c.change, Change::CreateVariable(_))));
    apply_ok(&sb, &journal, p).await;
    assert!(plan_ok(&sb, &a).await.is_empty());
    assert_eq!(
        journal.records().len(),
        1,
        "the resume continued the record"
    );
    let record = journal.last_apply().unwrap();
    assert_eq!(record.done().len(), total);

    // Undo removes everything the apply created.
    let undo = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let mut w = journal.begin(&undo, RecordKind::Undo).unwrap();
    apply(undo, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap();
    journal.mark_reverted(&record, w.path().unwrap()).unwrap();
    assert!(sb
        .iam
        .get_role("tfc-acme-corp-platform")
        .await
        .unwrap()
        .is_none());
    assert!(sb.iam.list_oidc_providers().await.unwrap().is_empty());
    assert_eq!(
        env_value(&sb, "network-prod", "TFC_AWS_RUN_ROLE_ARN").await,
        None
    );
    assert!(journal.last_apply().is_none(), "nothing left to undo");
}

#[tokio::test]
async fn undo_keeps_a_provider_other_roles_trust() {
    // An account with no OIDC provider yet (the demo's review roles trust the one it has).
    let sb = Sandbox::demo_without_review_roles();
    let journal = Journal::in_memory();
    let mut w = journal
        .begin(
            &plan_ok(&sb, &answers(&["network-prod"])).await,
            RecordKind::Apply,
        )
        .unwrap();
    let p = plan_ok(&sb, &answers(&["network-prod"])).await;
    apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap();
    // Another role, not ours, trusts the same provider.
    let mut other = answers(&["dns"]);
    other.role_name = "someone-else".into();
    let p = plan_ok(&sb, &other).await;
    apply_ok(&sb, &Journal::in_memory(), p).await;
    let record = tfc_oidc::core::journal::Record {
        path: "mem".into(),
        entries: w.entries().to_vec(),
    };
    let undo = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    assert!(!undo
        .changes
        .iter()
        .any(|c| matches!(c.change, Change::DeleteOidcProvider(_))));
    assert!(undo.notes.iter().any(|n| n.text.contains("someone-else")));
}

#[tokio::test]
async fn inline_policy_is_put_and_not_repeated() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.permissions.managed_policy_arns.clear();
    a.permissions.inline_policy =
        Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#.into());
    let p = plan_ok(&sb, &a).await;
    assert!(kinds(&p).contains(&"put_role_policy".to_string()));
    apply_ok(&sb, &Journal::in_memory(), p).await;
    assert!(plan_ok(&sb, &a).await.is_empty());
}

#[tokio::test]
async fn aws_errors_name_the_step() {
    let sb = Sandbox::demo();
    sb.iam.fail_on(
        "caller_identity",
        1,
        IamError::Credentials("no credentials".into()),
    );
    let err = plan(
        &answers(&["network-prod"]),
        sb.iam.as_ref(),
        sb.tfc.as_ref(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("caller identity"), "{err}");
}

mod edges;
mod inputs;
mod words;
