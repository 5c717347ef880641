//! The safety rules of the README's "Safety" section on the sandbox: roles tfc-oidc may not
//! reuse, consent for AdministratorAccess, variable sets that reach too far, sensitive variables,
//! trust re-read before writing, undo that removes exactly what the apply added, in-flight
//! changes, the lock.

use serde_json::json;
use std::time::Duration;
use tfc_oidc::core::answers::{Answers, TargetChoice, WorkspaceSelection};
use tfc_oidc::core::apply::{apply, Progress};
use tfc_oidc::core::change::DeleteVariable;
use tfc_oidc::core::error::{ApplyError, PlanError};
use tfc_oidc::core::journal::{Journal, RecordKind};
use tfc_oidc::core::plan::{Change, Plan};
use tfc_oidc::core::planner::plan;
use tfc_oidc::core::ports::{Iam, NewRole, NewVariable, Tag, Tfc, VariableCategory};
use tfc_oidc::core::undo::plan_undo;
use tfc_oidc::sandbox::Sandbox;

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const PROVIDER: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";
const ROLE: &str = "tfc-acme-corp-platform";

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

fn quiet(_: Progress) {}

async fn plan_err(sb: &Sandbox, a: &Answers) -> PlanError {
    plan(a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .expect_err("the plan must be refused")
}

async fn setup(sb: &Sandbox, journal: &Journal, a: &Answers) -> Plan {
    let p = plan(a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .expect("plan");
    let mut w = journal.begin(&p, RecordKind::Apply).unwrap();
    apply(p.clone(), sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .expect("apply");
    p
}

async fn undo(sb: &Sandbox, journal: &Journal) -> Vec<String> {
    let record = journal.last_apply().expect("an apply to undo");
    let p = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let mut w = journal.begin(&p, RecordKind::Undo).unwrap();
    let report = apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .expect("undo");
    journal.mark_reverted(&record, w.path().unwrap()).unwrap();
    report.outcomes.into_iter().filter_map(|o| o.left).collect()
}

fn trust(subjects: serde_json::Value, extra: Option<serde_json::Value>) -> String {
    let mut cond = json!({"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"}});
    if !subjects.is_null() {
        cond["StringLike"] = json!({ "app.terraform.io:sub": subjects });
    }
    let mut list = vec![json!({"Effect":"Allow","Principal":{"Federated":PROVIDER},
        "Action":"sts:AssumeRoleWithWebIdentity","Condition":cond})];
    list.extend(extra);
    json!({"Version":"2012-10-17","Statement":list}).to_string()
}

async fn make_role(sb: &Sandbox, name: &str, trust_policy: String, tags: Vec<Tag>) {
    sb.iam
        .create_role(&NewRole {
            name: name.into(),
            trust_policy,
            description: String::new(),
            tags,
            permissions_boundary: None,
        })
        .await
        .unwrap();
}

fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::at(dir.path().join("journal"));
    (dir, j)
}

#[tokio::test]
async fn a_role_tfc_oidc_did_not_make_needs_adopt_role() {
    let sb = Sandbox::demo();
    let mine = json!(["organization:acme-corp:project:platform:workspace:dns:run_phase:*"]);
    make_role(&sb, ROLE, trust(mine, None), vec![]).await;
    sb.iam.attach_policy(ROLE, READ_ONLY).await.unwrap();
    let err = plan_err(&sb, &answers(&["network-prod"])).await;
    let text = err.to_string();
    assert!(matches!(err, PlanError::ForeignRole { .. }), "{text}");
    assert!(
        text.contains("--adopt-role") && text.contains("ReadOnlyAccess"),
        "{text}"
    );
    assert!(
        text.contains("workspace:dns"),
        "the plan lists its trust: {text}"
    );
    let mut a = answers(&["network-prod"]);
    a.adopt_role = true;
    let p = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref()).await.unwrap();
    assert!(
        p.notes.iter().any(|n| n.text.starts_with("adopting role")),
        "{:?}",
        p.notes
    );
}

/// The role HashiCorp's AWS setup example (`terraform-dynamic-credentials-setup-examples`)
/// makes: `tfc-role`, untagged, both subject forms of one workspace.
fn hashicorp_example_trust(org: &str, project: &str) -> String {
    trust(
        json!([
            format!("organization:{org}:workspace:dns:run_phase:*"),
            format!("organization:{org}:project:{project}:workspace:dns:run_phase:*"),
        ]),
        None,
    )
}

#[tokio::test]
async fn the_role_hashicorps_aws_setup_made_is_adopted_with_a_note() {
    let sb = Sandbox::demo();
    let hashicorp = hashicorp_example_trust("acme-corp", "platform");
    make_role(&sb, "tfc-role", hashicorp, vec![]).await;
    let mut a = answers(&["network-prod"]);
    a.role_name = "tfc-role".into();
    let p = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref()).await.unwrap();
    assert!(
        p.notes.iter().any(|n| n.text.starts_with(
            "adopting role tfc-role: HashiCorp's AWS dynamic-credentials setup made it"
        )),
        "{:?}",
        p.notes
    );

    // Made for another project, or claimed by a tool: not HashiCorp's for this one.
    let sb = Sandbox::demo();
    make_role(
        &sb,
        "tfc-role",
        hashicorp_example_trust("acme-corp", "data"),
        vec![],
    )
    .await;
    let err = plan_err(&sb, &a).await;
    assert!(matches!(err, PlanError::ForeignRole { .. }), "{err}");
    let sb = Sandbox::demo();
    let tag = Tag {
        key: "managed-by".into(),
        value: "other-tool".into(),
    };
    let hashicorp = hashicorp_example_trust("acme-corp", "platform");
    make_role(&sb, "tfc-role", hashicorp, vec![tag]).await;
    let err = plan_err(&sb, &a).await;
    assert!(matches!(err, PlanError::ForeignRole { .. }), "{err}");
}

#[tokio::test]
async fn broad_or_unreadable_trust_is_never_reused() {
    let sb = Sandbox::demo();
    make_role(&sb, ROLE, trust(serde_json::Value::Null, None), vec![]).await;
    let mut a = answers(&["network-prod"]);
    a.adopt_role = true;
    let err = plan_err(&sb, &a).await;
    assert!(err.to_string().contains("TFCOIDC001"), "{err}");
    let sb = Sandbox::demo();
    make_role(
        &sb,
        ROLE,
        trust(json!("organization:*:project:platform:*"), None),
        vec![],
    )
    .await;
    let err = plan_err(&sb, &a).await;
    assert!(err.to_string().contains("TFCOIDC002"), "{err}");
    let sb = Sandbox::demo();
    let odd = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Perhaps","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}]}"#;
    make_role(&sb, ROLE, odd.into(), vec![]).await;
    let err = plan_err(&sb, &a).await;
    assert!(matches!(err, PlanError::UnreadableTrust { .. }), "{err}");
    assert_eq!(
        sb.iam.get_role(ROLE).await.unwrap().unwrap().trust_policy,
        odd
    );
}

#[tokio::test]
async fn projects_whose_names_sanitise_alike_never_share_a_role() {
    let sb = Sandbox::demo();
    let (_d, j) = journal();
    for (project, ws) in [("Data Lake", "lake-a"), ("Data-Lake", "lake-b")] {
        let id = sb.tfc.add_project("acme-corp", project).unwrap();
        sb.tfc.add_workspace("acme-corp", &id, ws).unwrap();
    }
    let mut a = Answers::new(
        "app.terraform.io",
        "acme-corp",
        "Data Lake",
        WorkspaceSelection::Named(vec!["lake-a".into()]),
    );
    a.permissions.none = true;
    setup(&sb, &j, &a).await;
    let mut b = Answers::new(
        "app.terraform.io",
        "acme-corp",
        "Data-Lake",
        WorkspaceSelection::Named(vec!["lake-b".into()]),
    );
    b.permissions.none = true;
    assert_eq!(a.role_name, b.role_name, "the default names collide");
    let err = plan_err(&sb, &b).await;
    assert!(
        err.to_string()
            .contains("for acme-corp/Data Lake, not acme-corp/Data-Lake"),
        "{err}"
    );
}

#[tokio::test]
async fn administrator_access_needs_consent_where_it_reaches_plans() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.permissions.managed_policy_arns = vec![ADMIN.into()];
    let err = plan_err(&sb, &a).await;
    assert!(matches!(err, PlanError::AdminNeedsFlag { .. }), "{err}");
    a.allow_admin = true;
    let p = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref()).await.unwrap();
    assert!(p.notes.iter().any(|n| n.text.contains("--allow-admin")));
    a.allow_admin = false;
    a.workspaces = WorkspaceSelection::All;
    assert!(plan_err(&sb, &a)
        .await
        .to_string()
        .contains("more than one workspace"));
}

#[tokio::test]
async fn a_set_that_reaches_other_workspaces_is_not_written() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.target = TargetChoice::VariableSet {
        name: "legacy-aws-keys".into(),
    };
    let err = plan_err(&sb, &a).await;
    assert!(
        matches!(err, PlanError::VarsetReachesOthers { .. }),
        "{err}"
    );
    assert_eq!(sb.tfc.write_count() + sb.iam.write_count(), 0);
}

#[tokio::test]
async fn a_sensitive_variable_of_the_same_key_is_replaced_and_the_next_run_converges() {
    let sb = Sandbox::demo();
    let (_d, j) = journal();
    let ws = sb.tfc.workspace("acme-corp", "network-prod").await.unwrap();
    sb.tfc
        .create_workspace_variable(
            &ws.id,
            &NewVariable {
                key: "TFC_AWS_RUN_ROLE_ARN".into(),
                value: "arn:aws:iam::123456789012:role/old".into(),
                description: String::new(),
                category: VariableCategory::Env,
                sensitive: true,
            },
        )
        .await
        .unwrap();
    let p = setup(&sb, &j, &answers(&["network-prod"])).await;
    assert!(p.changes.iter().any(|c| matches!(
        &c.change,
        Change::DeleteVariable(DeleteVariable { key, sensitive: true, .. }) if key == "TFC_AWS_RUN_ROLE_ARN"
    )));
    let again = plan(
        &answers(&["network-prod"]),
        sb.iam.as_ref(),
        sb.tfc.as_ref(),
    )
    .await
    .unwrap();
    assert!(again.is_empty(), "{:?}", again.changes);
}

#[tokio::test]
async fn apply_rereads_the_trust_and_keeps_a_change_made_since_the_plan() {
    let sb = Sandbox::demo();
    let (_d, j) = journal();
    setup(&sb, &j, &answers(&["network-prod"])).await;
    let p = plan(
        &answers(&["network-prod", "dns"]),
        sb.iam.as_ref(),
        sb.tfc.as_ref(),
    )
    .await
    .unwrap();
    // Between plan and apply, someone adds a break-glass statement.
    let role = sb.iam.get_role(ROLE).await.unwrap().unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&role.trust_policy).unwrap();
    doc["Statement"]
        .as_array_mut()
        .unwrap()
        .push(json!({"Effect":"Allow",
        "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}));
    sb.iam
        .update_trust_policy(ROLE, &doc.to_string())
        .await
        .unwrap();
    let mut w = j.begin(&p, RecordKind::Apply).unwrap();
    apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap();
    let now = sb.iam.get_role(ROLE).await.unwrap().unwrap().trust_policy;
    assert!(now.contains("arn:aws:iam::123456789012:root"), "{now}");
    assert!(now.contains("workspace:dns"), "{now}");
    // Undo of that apply takes out only dns: the break-glass statement stays.
    let left = undo(&sb, &j).await;
    assert!(left.is_empty(), "{left:?}");
    let now = sb.iam.get_role(ROLE).await.unwrap().unwrap().trust_policy;
    assert!(now.contains("arn:aws:iam::123456789012:root"), "{now}");
    assert!(
        !now.contains("workspace:dns") && now.contains("workspace:network-prod"),
        "{now}"
    );
}

#[tokio::test]
async fn undo_leaves_a_role_someone_else_recreated_or_extended() {
    let sb = Sandbox::demo();
    let (_d, j) = journal();
    setup(&sb, &j, &answers(&["network-prod"])).await;
    let role = sb.iam.get_role(ROLE).await.unwrap().unwrap();
    for p in sb.iam.list_attached_policies(ROLE).await.unwrap() {
        sb.iam.detach_policy(ROLE, &p).await.unwrap();
    }
    sb.iam.delete_role(ROLE).await.unwrap();
    make_role(&sb, ROLE, role.trust_policy.clone(), role.tags.clone()).await;
    let left = undo(&sb, &j).await;
    assert!(left.iter().any(|l| l.contains("re-created")), "{left:?}");
    assert!(sb.iam.get_role(ROLE).await.unwrap().is_some());

    let sb = Sandbox::demo();
    let (_d, j) = journal();
    setup(&sb, &j, &answers(&["network-prod"])).await;
    sb.iam
        .attach_policy(ROLE, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        .await
        .unwrap();
    let left = undo(&sb, &j).await;
    assert!(
        left.iter().any(|l| l.contains("AmazonS3ReadOnlyAccess")),
        "{left:?}"
    );
    assert!(sb.iam.get_role(ROLE).await.unwrap().is_some());
}

#[tokio::test]
async fn undo_keeps_a_variable_changed_since_and_removes_in_flight_creations() {
    let sb = Sandbox::demo();
    let (_d, j) = journal();
    setup(&sb, &j, &answers(&["network-prod"])).await;
    let ws = sb.tfc.workspace("acme-corp", "network-prod").await.unwrap();
    let vars = sb.tfc.workspace_variables(&ws.id).await.unwrap();
    let auth = vars
        .iter()
        .find(|v| v.key == "TFC_AWS_PROVIDER_AUTH")
        .unwrap();
    sb.tfc
        .update_workspace_variable(
            &ws.id,
            &auth.id,
            &NewVariable {
                key: auth.key.clone(),
                value: "false".into(),
                description: String::new(),
                category: VariableCategory::Env,
                sensitive: false,
            },
        )
        .await
        .unwrap();
    let left = undo(&sb, &j).await;
    assert!(
        left.iter().any(|l| l.contains("TFC_AWS_PROVIDER_AUTH")),
        "{left:?}"
    );
    let vars = sb.tfc.workspace_variables(&ws.id).await.unwrap();
    assert!(vars.iter().any(|v| v.key == "TFC_AWS_PROVIDER_AUTH"));
    assert!(!vars.iter().any(|v| v.key == "TFC_AWS_RUN_ROLE_ARN"));

    // A run killed during a variable's creation: the intent is journaled, the outcome is not.
    let sb = Sandbox::demo();
    let (_d, j) = journal();
    let p = plan(&answers(&["dns"]), sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let mut w = j.begin(&p, RecordKind::Apply).unwrap();
    let create = p
        .changes
        .iter()
        .find(|c| matches!(&c.change, Change::CreateVariable(v) if v.key == "TFC_AWS_RUN_ROLE_ARN"))
        .unwrap();
    w.intent(&create.change, None).unwrap();
    create
        .change
        .execute(sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    drop(w);
    let record = j.last_apply().expect("a record with an in-flight change");
    assert_eq!(record.in_flight().len(), 1);
    let u = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    assert!(u.changes.iter().any(|c| matches!(
        &c.change,
        Change::DeleteVariable(DeleteVariable { key, .. }) if key == "TFC_AWS_RUN_ROLE_ARN"
    )));
}

#[test]
fn a_second_run_waits_then_refuses_while_the_lock_is_held() {
    let (_d, j) = journal();
    let held = j.lock(Duration::ZERO, &|| {}).unwrap();
    let waited = std::cell::Cell::new(false);
    let err = j
        .lock(Duration::from_millis(300), &|| waited.set(true))
        .unwrap_err();
    assert!(matches!(err, ApplyError::Locked { .. }));
    assert!(waited.get());
    drop(held);
    j.lock(Duration::ZERO, &|| {}).unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn journal_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::demo();
    let (d, j) = journal();
    setup(&sb, &j, &answers(&["network-prod"])).await;
    let dir = d.path().join("journal");
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for e in std::fs::read_dir(&dir).unwrap() {
        let mode = e.unwrap().metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
