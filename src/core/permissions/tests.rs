//! The table against the code: every port method has a row, and each command's calls on the
//! sandbox stay inside what `permissions` says it needs.

use super::*;
use crate::core::answers::{Answers, WorkspaceSelection};
use crate::core::apply::apply;
use crate::core::inventory::{self, InventoryScope};
use crate::core::journal::{Journal, RecordKind};
use crate::core::planner::plan;
use crate::core::undo::plan_undo;
use crate::sandbox::{Sandbox, RECORDED_OPS};

#[test]
fn every_port_method_has_a_row() {
    for op in RECORDED_OPS.iter().flat_map(|ops| ops.iter()) {
        assert!(port_call(op).is_some(), "no permissions row for {op}");
    }
    for command in COMMANDS {
        for op in command_calls(command).unwrap() {
            assert!(port_call(op).is_some(), "{command} lists unknown call {op}");
        }
    }
}

#[test]
fn review_and_explain_only_read_and_guardrail_needs_nothing() {
    for command in ["review", "explain", "activity"] {
        let r = requirements(command).unwrap();
        assert!(r.read_only, "{command}");
        let text = r.aws_policy.to_string();
        for verb in ["Create", "Update", "Delete", "Put", "Attach", "Tag"] {
            assert!(!text.contains(&format!(":{verb}")), "{command}: {text}");
        }
    }
    assert!(!requirements("setup").unwrap().read_only);
    let guardrail = requirements("guardrail").unwrap();
    assert!(guardrail.aws_policy.is_null() && guardrail.tfc_permissions.is_empty());
    assert!(requirements("wizard").is_none());
}

/// The operations recorded since `from` on both ports.
fn ops_since(sb: &Sandbox, from: (usize, usize)) -> Vec<&'static str> {
    let iam = sb.iam.calls().into_iter().skip(from.0).map(|c| c.op);
    let tfc = sb.tfc.calls().into_iter().skip(from.1).map(|c| c.op);
    iam.chain(tfc).collect()
}

fn marks(sb: &Sandbox) -> (usize, usize) {
    (sb.iam.calls().len(), sb.tfc.calls().len())
}

fn assert_within(command: &str, ops: &[&str]) {
    let allowed = command_calls(command).unwrap();
    for op in ops {
        assert!(
            allowed.contains(op),
            "{command} called {op}, which its row lacks"
        );
    }
}

fn quiet(_: crate::core::apply::Progress) {}

#[tokio::test]
async fn setup_and_undo_stay_inside_their_rows() {
    let sb = Sandbox::demo();
    let mut a = Answers::new(
        "app.terraform.io",
        "acme-corp",
        "Default Project",
        WorkspaceSelection::Named(vec!["sandbox".into()]),
    );
    a.permissions
        .managed_policy_arns
        .push("arn:aws:iam::aws:policy/ReadOnlyAccess".into());
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path());
    let start = marks(&sb);
    let p = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref()).await.unwrap();
    let mut w = journal.begin(&p, RecordKind::Apply).unwrap();
    apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap();
    assert_within("setup", &ops_since(&sb, start));

    let start = marks(&sb);
    let record = journal.last_apply().unwrap();
    let p = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let mut w = journal.begin(&p, RecordKind::Undo).unwrap();
    apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap();
    assert_within("undo", &ops_since(&sb, start));
}

#[tokio::test]
async fn review_reads_stay_inside_its_row() {
    let sb = Sandbox::demo();
    let scope = InventoryScope {
        host: "app.terraform.io".into(),
        organization: "acme-corp".into(),
        project: None,
    };
    let start = marks(&sb);
    let iam: &dyn crate::core::ports::Iam = sb.iam.as_ref();
    inventory::read(&scope, sb.tfc.as_ref(), Some(iam), &|_| {})
        .await
        .unwrap();
    let ops = ops_since(&sb, start);
    assert!(!ops.is_empty());
    assert_within("review", &ops);
    assert_within("explain", &ops);
}

#[tokio::test]
async fn the_guardrail_coverage_read_stays_inside_reviews_row() {
    let sb = Sandbox::demo();
    sb.iam.join_organization(&["r-sand", "ou-sand-apps"]);
    let rcp = crate::core::guardrail::resource_control_policy(
        &["app.terraform.io".to_string()],
        &["acme-corp".to_string()],
    )
    .unwrap();
    sb.iam
        .add_resource_control_policy("guardrail", &rcp.to_string(), &["ou-sand-apps"]);
    let start = marks(&sb);
    let orgs: &dyn crate::core::ports::Organizations = sb.iam.as_ref();
    let c = crate::core::review::guardrail::coverage(
        orgs,
        "app.terraform.io",
        crate::sandbox::ACCOUNT_ID,
        "acme-corp",
    )
    .await;
    assert!(matches!(
        c,
        crate::core::review::guardrail::GuardrailCoverage::Covered { .. }
    ));
    let ops = ops_since(&sb, start);
    // The list, the content, the OU and the root above the account, the targets.
    assert_eq!(ops.len(), 5, "{ops:?}");
    assert_within("review", &ops);
}

#[tokio::test]
async fn a_migration_with_the_keys_permissions_stays_inside_its_row() {
    use crate::core::migrate::{plan_migration, MigrateRequest, MigrationScope};
    let sb = Sandbox::demo();
    let req = MigrateRequest {
        deactivate_keys: true,
        same_permissions: true,
        ..MigrateRequest::new("app.terraform.io", "acme-corp", MigrationScope::All)
    };
    let start = marks(&sb);
    let m = plan_migration(&req, sb.iam.as_ref(), sb.tfc.as_ref(), &[], &|_| {})
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path());
    let mut w = journal.begin(&m.plan, RecordKind::Apply).unwrap();
    apply(m.plan, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap();
    let ops = ops_since(&sb, start);
    assert!(ops.contains(&"set_access_key_status") && ops.contains(&"list_groups_for_user"));
    assert_within("migrate", &ops);
}

#[tokio::test]
async fn verify_stays_inside_its_row() {
    use crate::core::verify::follow::FollowOptions;
    use crate::core::verify::verify_workspace;
    let sb = Sandbox::demo();
    let mut a = Answers::new(
        "app.terraform.io",
        "acme-corp",
        "Default Project",
        WorkspaceSelection::Named(vec!["sandbox".into()]),
    );
    a.permissions.none = true;
    let p = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref()).await.unwrap();
    let mut w = Journal::in_memory().begin(&p, RecordKind::Apply).unwrap();
    apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap();
    let start = marks(&sb);
    let fast = FollowOptions {
        timeout: std::time::Duration::from_secs(5),
        first_interval: std::time::Duration::from_millis(1),
        max_interval: std::time::Duration::from_millis(5),
    };
    let iam: &dyn crate::core::ports::Iam = sb.iam.as_ref();
    verify_workspace(
        sb.tfc.as_ref(),
        Some(iam),
        "acme-corp",
        "sandbox",
        fast,
        &|_| {},
    )
    .await
    .unwrap();
    let ops = ops_since(&sb, start);
    assert!(ops.contains(&"create_plan_only_run"), "{ops:?}");
    assert_within("verify", &ops);
}

#[tokio::test]
async fn activity_stays_inside_its_row() {
    use crate::core::activity::{read_activity, ActivityQuery};
    let sb = Sandbox::demo();
    let now = time::OffsetDateTime::now_utc();
    let query = ActivityQuery {
        host: "app.terraform.io".into(),
        organization: None,
        role: None,
        start: now - time::Duration::days(90),
        end: now,
    };
    let start = marks(&sb);
    let iam: &dyn crate::core::ports::Iam = sb.iam.as_ref();
    read_activity(sb.iam.as_ref(), Some(iam), &query)
        .await
        .unwrap();
    let ops = ops_since(&sb, start);
    assert!(ops.contains(&"web_identity_events"), "{ops:?}");
    assert_within("activity", &ops);
}
