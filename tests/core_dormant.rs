//! Never re-arm a dormant trust, on the sandbox: roles that already name a provider the plan
//! creates are listed with review's verdicts; a broad one stops setup and migrate unless the
//! risk is accepted; undo deletes the provider its apply created unless a role created or
//! changed after the apply trusts it.

use serde_json::json;
use tfc_oidc::core::answers::{Answers, WorkspaceSelection};
use tfc_oidc::core::apply::{apply, Progress};
use tfc_oidc::core::error::PlanError;
use tfc_oidc::core::journal::{Journal, RecordKind};
use tfc_oidc::core::plan::{Change, Plan};
use tfc_oidc::core::planner::plan;
use tfc_oidc::core::ports::{Iam, NewRole};
use tfc_oidc::core::undo::plan_undo;
use tfc_oidc::sandbox::Sandbox;

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const PROVIDER: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";

fn answers() -> Answers {
    let mut a = Answers::new(
        "app.terraform.io",
        "acme-corp",
        "platform",
        WorkspaceSelection::Named(vec!["network-prod".into()]),
    );
    a.permissions.managed_policy_arns.push(READ_ONLY.into());
    a
}

fn quiet(_: Progress) {}

/// A trust through the HOST provider: `sub` patterns under StringLike, or none at all.
fn trust(subjects: Option<&str>) -> String {
    let mut cond = json!({"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"}});
    if let Some(sub) = subjects {
        cond["StringLike"] = json!({ "app.terraform.io:sub": sub });
    }
    json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Federated":PROVIDER},"Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":cond}]})
    .to_string()
}

async fn make_role(sb: &Sandbox, name: &str, subjects: Option<&str>, policies: &[&str]) {
    sb.iam
        .create_role(&NewRole {
            name: name.into(),
            trust_policy: trust(subjects),
            description: String::new(),
            tags: vec![],
            permissions_boundary: None,
        })
        .await
        .unwrap();
    for p in policies {
        sb.iam.attach_policy(name, p).await.unwrap();
    }
}

const NARROW: &str = "organization:acme-corp:project:data:workspace:etl:run_phase:apply";

fn provider_change(p: &Plan) -> &tfc_oidc::core::change::CreateOidcProvider {
    p.changes
        .iter()
        .find_map(|c| match &c.change {
            Change::CreateOidcProvider(c) => Some(c),
            _ => None,
        })
        .expect("the plan creates the provider")
}

async fn setup(sb: &Sandbox, journal: &Journal, a: &Answers) -> Plan {
    let p = plan(a, sb.iam.as_ref(), sb.tfc.as_ref()).await.unwrap();
    let mut w = journal.begin(&p, RecordKind::Apply).unwrap();
    apply(p.clone(), sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .expect("apply");
    p
}

/// Plans and applies the undo of the last apply; returns its plan.
async fn undo(sb: &Sandbox, journal: &Journal) -> Plan {
    let record = journal.last_apply().expect("an apply to undo");
    let p = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let mut w = journal.begin(&p, RecordKind::Undo).unwrap();
    apply(p.clone(), sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .expect("undo");
    journal.mark_reverted(&record, w.path().unwrap()).unwrap();
    p
}

fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal"));
    (dir, journal)
}

#[tokio::test]
async fn a_narrow_dormant_role_is_named_in_a_note() {
    let sb = Sandbox::demo_without_review_roles();
    make_role(&sb, "etl-deploy", Some(NARROW), &[READ_ONLY]).await;
    let p = plan(&answers(), sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .expect("a narrow role does not stop the plan");
    let dormant = &provider_change(&p).dormant_roles;
    assert_eq!(dormant.len(), 1);
    assert_eq!(dormant[0].name, "etl-deploy");
    assert!(!dormant[0].broad);
    assert!(p.note_lines().iter().any(
        |n| n == "warning: creating the provider lets these roles be assumed again: etl-deploy"
    ));
    // The JSON shows it under the provider's change.
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["changes"][0]["dormant_roles"][0]["name"], "etl-deploy");
}

#[tokio::test]
async fn a_broad_dormant_role_refuses_setup_until_the_risk_is_accepted() {
    let sb = Sandbox::demo_without_review_roles();
    make_role(&sb, "terraform-ci", None, &[ADMIN]).await;
    make_role(&sb, "etl-deploy", Some(NARROW), &[]).await;
    let writes = sb.iam.write_count();
    let err = plan(&answers(), sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .expect_err("a role trusting any organization is not re-armed silently");
    assert!(matches!(err, PlanError::DormantTrust { .. }), "{err}");
    assert!(err.is_usage(), "exit 2, as the admin guard");
    let text = err.to_string();
    assert!(text.contains("terraform-ci (TFCOIDC001 critical"), "{text}");
    assert!(text.contains("TFCOIDC010 medium"), "{text}");
    assert!(!text.contains("etl-deploy"), "only the broad ones: {text}");
    assert!(text.contains("--allow-dormant-trust"), "{text}");
    assert_eq!(sb.iam.write_count(), writes, "planning writes nothing");

    let mut a = answers();
    a.allow_dormant_trust = true;
    let p = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref()).await.unwrap();
    let notes = p.note_lines().join("\n");
    assert!(
        notes.contains("although they admit too much (--allow-dormant-trust): terraform-ci"),
        "{notes}"
    );
    assert!(notes.contains("assumed again: etl-deploy"), "{notes}");
    let dormant = &provider_change(&p).dormant_roles;
    assert!(dormant.iter().any(|r| r.name == "terraform-ci" && r.broad));
}

#[tokio::test]
async fn admin_for_one_workspace_is_narrow_but_for_many_is_broad() {
    let sb = Sandbox::demo_without_review_roles();
    make_role(&sb, "one-ws", Some(NARROW), &[ADMIN]).await;
    let p = plan(&answers(), sb.iam.as_ref(), sb.tfc.as_ref()).await;
    assert!(p.is_ok(), "admin for one workspace's applies is not broad");
    let many = "organization:acme-corp:project:data:workspace:*:run_phase:apply";
    make_role(&sb, "many-ws", Some(many), &[ADMIN]).await;
    let err = plan(&answers(), sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("many-ws (TFCOIDC010 medium)"),
        "{err}"
    );
}

#[tokio::test]
async fn a_wildcard_organization_refuses_migrate_too() {
    let sb = Sandbox::demo_without_review_roles();
    let wild = "organization:acme-*:project:*:workspace:*:run_phase:*";
    make_role(&sb, "tfc-acme-shared", Some(wild), &[READ_ONLY]).await;
    let mut req = tfc_oidc::core::migrate::MigrateRequest::new(
        "app.terraform.io",
        "acme-corp",
        tfc_oidc::core::migrate::MigrationScope::All,
    );
    req.permissions.none = true;
    let (iam, tfc) = (sb.iam.as_ref(), sb.tfc.as_ref());
    let err = tfc_oidc::core::migrate::plan_migration(&req, iam, tfc, &[], &|_| {})
        .await
        .expect_err("migrate refuses as setup does");
    assert!(
        err.to_string().contains("tfc-acme-shared (TFCOIDC002"),
        "{err}"
    );
    req.allow_dormant_trust = true;
    let m = tfc_oidc::core::migrate::plan_migration(&req, iam, tfc, &[], &|_| {})
        .await
        .unwrap();
    assert!(m
        .plan
        .note_lines()
        .iter()
        .any(|n| n.contains("tfc-acme-shared")));
}

#[tokio::test]
async fn roles_the_plan_creates_are_not_dormant() {
    let sb = Sandbox::demo_without_review_roles();
    let p = plan(&answers(), sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    assert!(provider_change(&p).dormant_roles.is_empty());
    assert!(!p.note_lines().iter().any(|n| n.contains("assumed again")));
}

#[tokio::test]
async fn undo_deletes_the_provider_it_created_though_a_dormant_role_names_it() {
    let sb = Sandbox::demo_without_review_roles();
    make_role(&sb, "etl-deploy", Some(NARROW), &[]).await;
    let (_dir, journal) = journal();
    setup(&sb, &journal, &answers()).await;
    assert!(sb.iam.get_oidc_provider(PROVIDER).await.unwrap().is_some());
    let u = undo(&sb, &journal).await;
    assert!(
        u.changes
            .iter()
            .any(|c| matches!(c.change, Change::DeleteOidcProvider(_))),
        "{:?}",
        u.note_lines()
    );
    // As before the apply: no provider, so no token is accepted; the role is left as it was.
    assert!(sb.iam.get_oidc_provider(PROVIDER).await.unwrap().is_none());
    assert!(sb.iam.get_role("etl-deploy").await.unwrap().is_some());
}

#[tokio::test]
async fn undo_keeps_the_provider_for_a_role_trusted_after_the_apply_and_names_it() {
    let sb = Sandbox::demo_without_review_roles();
    make_role(&sb, "etl-deploy", Some(NARROW), &[]).await;
    let (_dir, journal) = journal();
    setup(&sb, &journal, &answers()).await;
    // After the apply: a new role, and a change to the dormant one.
    make_role(&sb, "later-role", Some(NARROW), &[]).await;
    let wider = "organization:acme-corp:project:data:workspace:etl:run_phase:*";
    sb.iam
        .update_trust_policy("etl-deploy", &trust(Some(wider)))
        .await
        .unwrap();
    let u = undo(&sb, &journal).await;
    assert!(!u
        .changes
        .iter()
        .any(|c| matches!(c.change, Change::DeleteOidcProvider(_))));
    let notes = u.note_lines().join("\n");
    assert!(
        notes.contains("roles etl-deploy, later-role trust it"),
        "{notes}"
    );
    assert!(sb.iam.get_oidc_provider(PROVIDER).await.unwrap().is_some());
}

#[tokio::test]
async fn undo_deletes_the_provider_when_the_dormant_role_it_extended_is_as_before() {
    use tfc_oidc::core::plan::managed_tags;
    let sb = Sandbox::demo_without_review_roles();
    // tfc-oidc's own role from an earlier setup, whose provider was deleted to revoke it.
    let earlier = "organization:acme-corp:project:platform:workspace:network-staging:run_phase:*";
    sb.iam
        .create_role(&NewRole {
            name: "tfc-acme-corp-platform".into(),
            trust_policy: trust(Some(earlier)),
            description: String::new(),
            tags: managed_tags("acme-corp", "platform"),
            permissions_boundary: None,
        })
        .await
        .unwrap();
    let (_dir, journal) = journal();
    let p = setup(&sb, &journal, &answers()).await;
    assert_eq!(
        provider_change(&p).dormant_roles[0].name,
        "tfc-acme-corp-platform"
    );
    assert!(p
        .changes
        .iter()
        .any(|c| matches!(c.change, Change::UpdateTrustPolicy(_))));
    let u = undo(&sb, &journal).await;
    assert!(
        u.changes
            .iter()
            .any(|c| matches!(c.change, Change::DeleteOidcProvider(_))),
        "{:?}",
        u.note_lines()
    );
    assert!(sb.iam.get_oidc_provider(PROVIDER).await.unwrap().is_none());
}
