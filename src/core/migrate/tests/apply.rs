//! Applying a migration: a failure part way and the re-run, undo.

use super::*;

#[tokio::test]
async fn a_failure_part_way_keeps_keys_and_a_re_run_finishes() {
    let sb = Sandbox::demo();
    let journal_dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(journal_dir.path());
    let req = request(MigrationScope::All);
    sb.tfc.fail_on(
        "delete_workspace_variable",
        1,
        TfcError::Server {
            status: 500,
            detail: "boom".into(),
        },
    );
    let m = migrate(&sb, &req).await;
    let err = apply_plan(&sb, &journal, m).await.unwrap_err();
    assert!(err.contains("apply stopped part way"), "{err}");
    // Every workspace has working credentials: its keys, or OIDC.
    for ws in ["etl", "payments-worker", "network-staging"] {
        let keys = run_keys(&sb, ws).await;
        let has_keys = has(&keys, "AWS_ACCESS_KEY_ID") && has(&keys, "AWS_SECRET_ACCESS_KEY");
        assert!(
            has_keys || has(&keys, "TFC_AWS_RUN_ROLE_ARN"),
            "{ws}: {keys:?}"
        );
    }
    assert_eq!(
        sb.iam.access_key_status(DEMO_ACCESS_KEY_ID),
        Some(AccessKeyStatus::Active)
    );
    let record = journal.records().pop().unwrap();
    let resumed: Vec<Change> = record.done().into_iter().map(|(c, _)| c.clone()).collect();
    let m = plan_migration(&req, sb.iam.as_ref(), sb.tfc.as_ref(), &resumed, &|_| {})
        .await
        .unwrap();
    assert!(!m.plan.is_empty());
    apply_plan(&sb, &journal, m).await.unwrap();
    assert_eq!(
        journal.records().len(),
        1,
        "the re-run continued the record"
    );
    assert_eq!(
        sb.iam.access_key_status(DEMO_ACCESS_KEY_ID),
        Some(AccessKeyStatus::Inactive)
    );
    assert!(migrate(&sb, &req).await.plan.is_empty());
}

#[tokio::test]
async fn undo_reactivates_keys_and_keeps_oidc_where_keys_were_deleted() {
    let sb = Sandbox::demo();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path());
    let m = migrate(&sb, &request(MigrationScope::All)).await;
    apply_plan(&sb, &journal, m).await.unwrap();
    let record = journal.last_apply().unwrap();
    let undo = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let kinds: Vec<String> = undo.changes.iter().map(|c| c.change.summary()).collect();
    assert_eq!(
        kinds,
        ["mark access key AKIA…0001 of user ci-deployer Active"],
        "only the deactivation is reverted"
    );
    assert!(undo
        .notes
        .iter()
        .any(|n| n.text.starts_with("keeping the OIDC setup")));
    let mut w = journal.begin(&undo, RecordKind::Undo).unwrap();
    apply(undo, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &|_| {})
        .await
        .unwrap();
    assert_eq!(
        sb.iam.access_key_status(DEMO_ACCESS_KEY_ID),
        Some(AccessKeyStatus::Active)
    );
    assert!(has(&run_keys(&sb, "etl").await, "TFC_AWS_RUN_ROLE_ARN"));
}

#[tokio::test]
async fn undo_of_a_detach_only_migration_reverts_everything() {
    let sb = shop(false, false).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path());
    let m = migrate(&sb, &request(names(&["web"]))).await;
    apply_plan(&sb, &journal, m).await.unwrap();
    assert!(!has(&run_keys(&sb, "web").await, "AWS_ACCESS_KEY_ID"));
    let record = journal.last_apply().unwrap();
    let undo = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let mut w = journal.begin(&undo, RecordKind::Undo).unwrap();
    apply(undo, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &|_| {})
        .await
        .unwrap();
    let keys = run_keys(&sb, "web").await;
    assert!(has(&keys, "AWS_ACCESS_KEY_ID") && !has(&keys, "TFC_AWS_RUN_ROLE_ARN"));
    assert_eq!(
        sb.iam.access_key_status("AKIASHOP00000001"),
        Some(AccessKeyStatus::Active)
    );
}
