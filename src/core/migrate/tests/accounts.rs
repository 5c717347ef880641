//! Keys of several accounts: each workspace's role made in its key's account through that
//! account's port, one plan and one journal, undo reaching each account again; an account with
//! no way in leaves its workspaces alone.

use super::*;
use crate::core::accounts::Accounts;
use crate::core::apply::apply_in_accounts;
use crate::core::ports::Iam;
use crate::core::undo::plan_undo_in;
use crate::sandbox::{
    SandboxIam, DEMO_SECOND_ACCESS_KEY_ID, DEMO_SECOND_ACCOUNT, DEMO_SECOND_PROFILE,
};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

fn reach_second(sb: &Sandbox) -> Accounts {
    let mut accounts = Accounts::none();
    accounts.add(DEMO_SECOND_ACCOUNT, DEMO_SECOND_PROFILE, sb.second.clone());
    accounts
}

async fn plan_in(sb: &Sandbox, accounts: &Accounts, req: &MigrateRequest) -> Migration {
    let ports = (sb.iam.as_ref() as &dyn Iam, accounts);
    plan_migration_in(req, ports, sb.tfc.as_ref(), &[], &|_| {})
        .await
        .expect("plan")
}

async fn apply_in(sb: &Sandbox, accounts: &Accounts, journal: &Journal, plan: Plan) {
    let mut w = journal.begin(&plan, RecordKind::Apply).unwrap();
    let stop = AtomicBool::new(false);
    let (iam, tfc) = (sb.iam.as_ref(), sb.tfc.as_ref());
    apply_in_accounts(plan, iam, accounts, tfc, &mut w, &|_| {}, &stop)
        .await
        .expect("apply");
}

/// The role ARN a run of `ws` gets.
async fn run_role(sb: &Sandbox, ws: &str) -> Option<String> {
    let keys = run_keys(sb, ws).await;
    let arn = keys.into_iter().find(|(k, _)| k == "TFC_AWS_RUN_ROLE_ARN");
    arn.and_then(|(_, v)| v)
}

#[tokio::test]
async fn each_role_is_made_in_its_keys_account_and_undo_goes_back_there() {
    let sb = Sandbox::demo();
    let accounts = reach_second(&sb);
    let req = MigrateRequest {
        same_permissions: true,
        ..request(names(&["warehouse", "network-staging"]))
    };
    let m = plan_in(&sb, &accounts, &req).await;
    let owner = &m.keys[DEMO_SECOND_ACCESS_KEY_ID];
    assert_eq!(owner.user(), Some("analytics-loader"));
    assert_eq!(owner.account(), Some(DEMO_SECOND_ACCOUNT));
    assert!(m.unreachable.is_empty());
    // The second account's role, provider and key deactivation act there; HCP Terraform's
    // changes and the first account's role name no account.
    let in_second: Vec<String> = (m.plan.changes.iter())
        .filter(|c| c.account.as_deref() == Some(DEMO_SECOND_ACCOUNT))
        .map(|c| c.change.summary())
        .collect();
    let has = |what: &str| in_second.iter().any(|s| s.contains(what));
    assert!(
        has("OIDC provider") && has("role") && has("Inactive"),
        "{in_second:#?}"
    );
    assert!(
        in_second.iter().all(|s| !s.contains("ci-deployer")),
        "{in_second:#?}"
    );
    let user_policies = &m.users["analytics-loader"];
    assert!(user_policies
        .policy_names()
        .iter()
        .any(|p| p.contains("AmazonS3ReadOnlyAccess")));

    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path());
    apply_in(&sb, &accounts, &journal, m.plan).await;
    let warehouse = run_role(&sb, "warehouse").await.unwrap();
    assert!(
        warehouse.starts_with(&format!("arn:aws:iam::{DEMO_SECOND_ACCOUNT}:role/")),
        "{warehouse}"
    );
    let staging = run_role(&sb, "network-staging").await.unwrap();
    assert!(
        staging.starts_with("arn:aws:iam::123456789012:role/"),
        "{staging}"
    );
    let role = warehouse.rsplit('/').next().unwrap();
    assert!(sb.second.get_role(role).await.unwrap().is_some());
    assert!(
        sb.iam.get_role(role).await.unwrap().is_none()
            || role == staging.rsplit('/').next().unwrap()
    );
    assert_eq!(
        sb.second.access_key_status(DEMO_SECOND_ACCESS_KEY_ID),
        Some(AccessKeyStatus::Inactive)
    );
    let record = journal.last_apply().unwrap();
    let profiles = record.account_profiles();
    assert_eq!(
        profiles.get(DEMO_SECOND_ACCOUNT).map(String::as_str),
        Some(DEMO_SECOND_PROFILE)
    );

    // Undo reactivates the key in the account it was deactivated in.
    let undo = plan_undo_in(&record, sb.iam.as_ref(), &accounts, sb.tfc.as_ref())
        .await
        .unwrap();
    let reactivate = undo
        .changes
        .iter()
        .find(|c| matches!(&c.change, Change::SetAccessKeyStatus(s) if s.access_key_id == DEMO_SECOND_ACCESS_KEY_ID))
        .expect("the second account's key is reactivated");
    assert_eq!(reactivate.account.as_deref(), Some(DEMO_SECOND_ACCOUNT));
    let mut w = journal.begin(&undo, RecordKind::Undo).unwrap();
    let stop = AtomicBool::new(false);
    apply_in_accounts(
        undo,
        sb.iam.as_ref(),
        &accounts,
        sb.tfc.as_ref(),
        &mut w,
        &|_| {},
        &stop,
    )
    .await
    .unwrap();
    assert_eq!(
        sb.second.access_key_status(DEMO_SECOND_ACCESS_KEY_ID),
        Some(AccessKeyStatus::Active)
    );
}

#[tokio::test]
async fn an_account_with_no_way_in_leaves_its_workspaces_alone() {
    let sb = Sandbox::demo();
    let m = migrate(&sb, &request(MigrationScope::All)).await;
    assert_eq!(
        m.unreachable,
        [UnreachableAccount {
            account: DEMO_SECOND_ACCOUNT.into(),
            profile: None,
            keys: vec![DEMO_SECOND_ACCESS_KEY_ID.into()],
            workspaces: vec!["warehouse".into()],
        }]
    );
    let touches_warehouse = m.plan.changes.iter().any(|c| {
        let text = serde_json::to_string(&c.change).unwrap();
        text.contains("warehouse") || c.account.is_some()
    });
    assert!(!touches_warehouse, "{:#?}", m.plan.changes);
    let verified = crate::core::migrate::verification::to_verify(&m);
    assert!(
        verified.iter().all(|(w, _)| w != "warehouse"),
        "nothing was set up for warehouse, so it is not verified: {verified:?}"
    );
    let note = m.plan.note_lines().join("\n");
    assert!(
        note.contains("warehouse stays on static keys of AWS account 210987654321")
            && note.contains("--account-profile 210987654321=PROFILE"),
        "{note}"
    );
    let dir = tempfile::tempdir().unwrap();
    apply_plan(&sb, &Journal::at(dir.path()), m).await.unwrap();
    assert!(has(&run_keys(&sb, "warehouse").await, "AWS_ACCESS_KEY_ID"));
}

/// moto answers every key with its own account in `GetAccessKeyInfo`: a key the default
/// account's IAM does not describe is found by asking each reachable account's IAM.
#[tokio::test]
async fn a_key_sts_cannot_place_is_confirmed_through_a_reachable_accounts_iam() {
    let sb = Sandbox::demo();
    let other = Arc::new(SandboxIam::with_account("111122223333"));
    other.add_access_key("remote-ci", "AKIAREMOTE0000001", AccessKeyStatus::Active);
    let ws = sb.tfc.workspace("acme-corp", "sandbox").await.unwrap();
    sb.tfc
        .add_workspace_variable(
            &ws.id,
            &env("AWS_ACCESS_KEY_ID", "AKIAREMOTE0000001", false),
        )
        .unwrap();
    sb.tfc
        .add_workspace_variable(&ws.id, &env("AWS_SECRET_ACCESS_KEY", "s", true))
        .unwrap();
    let mut accounts = Accounts::none();
    accounts.add("111122223333", "remote", other.clone());
    let m = plan_in(&sb, &accounts, &request(names(&["sandbox"]))).await;
    assert_eq!(m.keys["AKIAREMOTE0000001"].account(), Some("111122223333"));
    let role = m
        .plan
        .changes
        .iter()
        .find(|c| matches!(c.change, Change::CreateRole(_)))
        .unwrap();
    assert_eq!(role.account.as_deref(), Some("111122223333"));
}

/// A project's variable set names one role: workspaces of one project with keys of two
/// accounts cannot share it.
#[tokio::test]
async fn a_varset_cannot_name_roles_of_two_accounts() {
    let sb = Sandbox::demo();
    let req = MigrateRequest {
        varset: true,
        ..request(names(&["warehouse", "etl"]))
    };
    let ports = (sb.iam.as_ref() as &dyn Iam, &reach_second(&sb));
    let err = plan_migration_in(&req, ports, sb.tfc.as_ref(), &[], &|_| {})
        .await
        .unwrap_err();
    assert!(err.is_usage());
    assert!(
        err.to_string()
            .contains("project 'data' use keys of AWS accounts"),
        "{err}"
    );
}

/// What the wizard lists before the user picks: the second account's key, its user and age.
#[tokio::test]
async fn discovery_names_the_account_of_a_reachable_key() {
    let sb = Sandbox::demo();
    let accounts = reach_second(&sb);
    let scope = (DEMO_HOST, "acme-corp", MigrationScope::All);
    let ports = (sb.iam.as_ref() as &dyn Iam, &accounts);
    let found = discover_keys_in(scope, ports, sb.tfc.as_ref(), &|_| {})
        .await
        .unwrap();
    let owner = &found.keys[DEMO_SECOND_ACCESS_KEY_ID];
    assert_eq!(owner.account(), Some(DEMO_SECOND_ACCOUNT));
    assert_eq!(owner.user(), Some("analytics-loader"));
    let (iam, tfc) = (sb.iam.as_ref(), sb.tfc.as_ref());
    let alone = discover_keys(
        DEMO_HOST,
        "acme-corp",
        MigrationScope::All,
        iam,
        tfc,
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!(
        alone.keys[DEMO_SECOND_ACCESS_KEY_ID],
        KeyOwner::OtherAccount {
            account: Some(DEMO_SECOND_ACCOUNT.into())
        }
    );
}
