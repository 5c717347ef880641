//! Snapshots of the migrate and review paths.

use super::*;

/// The migrate path at 80×24: the pick screen with the demo's keyed workspaces (none checked),
/// the review of the migration of `etl` and its typed `yes`, and Done saying what still
/// receives keys.
#[tokio::test]
async fn the_migrate_path() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Down]).await;
    assert_snapshot!("13_start_migrate", shot(&mut h));
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::MigratePick);
    assert_snapshot!("14_migrate_pick", shot(&mut h));
    h.keys(&[Down, Char(' '), Enter]).await;
    assert_eq!(h.session.app.step, Step::Role);
    assert_snapshot!("15_migrate_role", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Review);
    assert_snapshot!("16_migrate_review", shot(&mut h));
    h.press(Enter).await;
    h.type_text("ye").await;
    assert_snapshot!("16_migrate_review_typed_yes", shot(&mut h));
    h.type_text("s").await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_snapshot!("17_migrate_done", shot(&mut h));
    assert_snapshot!("17_migrate_exit_summary", exit_summary(&mut h).await);
}

/// The review path at 80×24: the progress while reading, then the findings with a trust
/// finding selected (its decisive statement in the detail pane), and the severity filter.
#[tokio::test]
async fn the_review_path() {
    use tfc_oidc::core::inventory::ReadProgress;
    use tfc_oidc::core::review::FindingId;
    use tfc_oidc::tui::msg::Msg;
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Down, Down, Enter]).await;
    // Enter on the organization starts the read; its results wait until the session settles.
    h.session.press(Enter);
    assert_eq!(h.session.app.step, Step::Findings);
    h.session
        .dispatch(Msg::InventoryProgress(ReadProgress { done: 9, total: 24 }));
    assert_snapshot!("18_review_reading", shot(&mut h));
    h.settle().await;
    let trust = h
        .session
        .app
        .findings
        .visible()
        .iter()
        .position(|f| f.statement.is_some())
        .expect("the demo has a trust finding with a decisive statement");
    for _ in 0..trust {
        h.press(Down).await;
    }
    assert_snapshot!("19_review_findings", shot(&mut h));
    h.press(Char('s')).await;
    h.press(Char('s')).await;
    assert_snapshot!("20_review_high_only", shot(&mut h));
    // f on a static keys finding starts the migrate path with that workspace picked.
    let keys = h
        .session
        .app
        .findings
        .visible()
        .iter()
        .position(|f| f.id == FindingId::StaticKeys)
        .expect("a high static keys finding");
    for _ in 0..keys {
        h.press(Down).await;
    }
    let ws = match &h.session.app.findings.selected().unwrap().resource_ref {
        tfc_oidc::core::review::ResourceRef::Workspace { workspace, .. } => workspace.clone(),
        other => panic!("{other:?}"),
    };
    h.press(Char('f')).await;
    assert_eq!(h.session.app.step, Step::MigratePick);
    h.press(Enter).await;
    assert_eq!(h.session.app.migrate_pick.chosen, Some(vec![ws]));
}

/// Done after migrating every keyed workspace with "deactivate keys" at 80×24, scrolled to the
/// proof: each migrated workspace verified, the proven key waiting for `d`, what is left per
/// user; then after `d`, the keys deactivated (warehouse's in the demo's second account, which
/// the wizard reaches through its profile).
#[tokio::test]
async fn the_migrate_path_proves_before_deactivating() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Down, Enter, Enter, Char(' '), Char('d'), Enter, Enter])
        .await;
    assert_eq!(h.session.app.step, Step::Review);
    h.press(Enter).await;
    h.type_text("yes").await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_snapshot!("18_migrate_done_verified", shot(&mut h));
    scroll_until(&mut h, Down, "Left to do").await;
    h.keys(&[Down, Down, Down]).await;
    assert_snapshot!("18_migrate_done_proven", shot(&mut h));
    h.press(Char('d')).await;
    scroll_until(&mut h, Up, "Verification").await;
    scroll_until(&mut h, Down, "Left to do").await;
    h.keys(&[Down, Down, Down]).await;
    assert_snapshot!("18_migrate_done_deactivated", shot(&mut h));
}

/// Scrolls with `key` until the screen shows `text` (at most 60 presses).
async fn scroll_until(h: &mut Harness, key: KeyCode, text: &str) {
    for _ in 0..60 {
        if h.screen().contains(text) {
            return;
        }
        h.press(key).await;
    }
    panic!("{text:?} never showed:\n{}", h.screen());
}
