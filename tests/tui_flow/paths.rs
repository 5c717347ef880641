//! The migrate and review paths, and the ways between them (Done → migrate, a finding → setup).

use super::*;

/// The migrate path on the demo: Down to "Migrate" on the Connect screen, the organization,
/// `payments-worker` alone on the pick screen, the role and review screens, apply, Done. The
/// workspace loses its key variables and gets the OIDC ones; the others keep theirs.
#[tokio::test]
async fn the_migrate_path_moves_a_workspace_off_its_keys() {
    use tfc_oidc::tui::steps::Task;
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[KeyCode::Down, Enter]).await;
    assert_eq!(h.session.app.task, Task::Migrate);
    assert_eq!(h.session.app.step, Step::Organization);
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::MigratePick);
    // Nothing starts checked: down to payments-worker (third keyed workspace), check it.
    let down = KeyCode::Down;
    h.keys(&[down, down, down, Char(' '), Enter]).await;
    assert_eq!(
        h.session.app.migrate_pick.chosen,
        Some(vec!["payments-worker".to_string()])
    );
    assert_eq!(h.session.app.step, Step::Role);
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Review);
    let plan = h.session.app.review.plan.clone().expect("a migration plan");
    assert!(!plan.is_empty());
    assert_eq!(writes(&h.sandbox), 0, "planning wrote nothing");
    // The plan removes the key variables: it applies after a typed yes.
    h.press(Enter).await;
    h.type_text("yes").await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    let screen = h.screen();
    assert!(screen.contains("static keys are removed"), "{screen}");

    let ws = h
        .sandbox
        .tfc
        .workspace("acme-corp", "payments-worker")
        .await
        .unwrap();
    let vars = h.sandbox.tfc.workspace_variables(&ws.id).await.unwrap();
    let has = |key: &str| vars.iter().any(|v| v.key == key);
    assert!(!has("AWS_ACCESS_KEY_ID") && !has("AWS_SECRET_ACCESS_KEY"));
    assert!(has("AWS_REGION"), "other variables are never touched");
    let value = |key: &str| {
        vars.iter()
            .find(|v| v.key == key)
            .and_then(|v| v.value.clone())
    };
    assert_eq!(value("TFC_AWS_PROVIDER_AUTH").as_deref(), Some("true"));
    assert!(
        value("TFC_AWS_RUN_ROLE_ARN").is_some_and(|arn| arn.ends_with("tfc-acme-corp-payments"))
    );
    let staging = h
        .sandbox
        .tfc
        .workspace("acme-corp", "network-staging")
        .await
        .unwrap();
    let staging_vars = h
        .sandbox
        .tfc
        .workspace_variables(&staging.id)
        .await
        .unwrap();
    assert!(
        staging_vars.iter().any(|v| v.key == "AWS_ACCESS_KEY_ID"),
        "a workspace not picked keeps its keys"
    );
    assert!(matches!(
        h.press(Char('q')).await,
        Some(WizardEnd::Applied(_))
    ));
}

/// Setting up `etl` (whose keys come from variable set `legacy-aws-keys`) ends on a Done screen
/// offering `m`: it opens the migrate path with `etl` picked; leaving there still reports the
/// setup's changes; going on removes the keys from the set.
#[tokio::test]
async fn done_continues_into_migration() {
    use tfc_oidc::tui::steps::Task;
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    // Connect, organization, project "data" (second), workspace etl (first), role, vars, review.
    h.keys(&[
        Enter,
        Enter,
        KeyCode::Down,
        Enter,
        Enter,
        Enter,
        Enter,
        Enter,
    ])
    .await;
    assert_eq!(h.session.app.step, Step::Done);
    assert!(h.session.app.done.offers_migration());
    h.press(Char('m')).await;
    assert_eq!(h.session.app.task, Task::Migrate);
    assert_eq!(h.session.app.step, Step::MigratePick);
    h.press(Enter).await;
    assert_eq!(
        h.session.app.migrate_pick.chosen,
        Some(vec!["etl".to_string()])
    );
    h.keys(&[Enter, Enter, Enter]).await;
    h.type_text("yes").await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    let set = h
        .sandbox
        .tfc
        .variable_sets("acme-corp")
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "legacy-aws-keys")
        .unwrap();
    let vars = h.sandbox.tfc.variable_set_variables(&set.id).await.unwrap();
    assert!(
        vars.iter().all(|v| !v.key.starts_with("AWS_")),
        "the set reaching only etl is emptied of its keys: {vars:?}"
    );
    // The exit summary lists both paths: the setup, then the migration.
    match h.press(Char('q')).await {
        Some(WizardEnd::Applied(report)) => {
            assert_eq!(report.earlier.len(), 1);
            let text = report.text(false, 100);
            let setup = text.find("default configuration").expect(&text);
            let migration = text.find("Migration off static keys").expect(&text);
            assert!(setup < migration, "{text}");
            assert!(text.contains("Static keys removed"), "{text}");
            assert!(
                !text.contains("run 'tfc-oidc migrate'"),
                "the keys are gone: no advice to migrate them\n{text}"
            );
        }
        other => panic!("expected an applied outcome, got {other:?}"),
    }

    // Leaving the migrate path before its apply still reports the setup's changes.
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[
        Enter,
        Enter,
        KeyCode::Down,
        Enter,
        Enter,
        Enter,
        Enter,
        Enter,
    ])
    .await;
    h.press(Char('m')).await;
    match h.press(Char('q')).await {
        Some(WizardEnd::Applied(report)) => {
            assert_eq!(report.plan().roles[0].name, "tfc-acme-corp-data")
        }
        other => panic!("expected the setup's outcome, got {other:?}"),
    }
}

/// A review finding that setup fixes (`dns`: OIDC on, no role ARN) opens the setup path on its
/// project with its workspace highlighted.
#[tokio::test]
async fn a_finding_opens_setup_on_its_workspace() {
    use tfc_oidc::core::review::FindingId;
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.review_at(FindingId::NoRoleArn).await;
    assert_eq!(h.session.app.step, Step::Findings);
    h.press(Char('f')).await;
    assert_eq!(h.session.app.step, Step::Project);
    h.press(Enter).await;
    assert_eq!(h.session.app.context().project, "platform");
    h.press(Enter).await;
    assert_eq!(h.session.app.context().workspace_names, ["dns".to_string()]);
    assert_eq!(writes(&h.sandbox), 0, "reviewing wrote nothing");
    // Esc on the first screen of the path goes back to the findings.
    h.keys(&[Esc, Esc]).await;
    assert_eq!(h.session.app.step, Step::Project);
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Findings);
    assert_eq!(h.session.app.task, tfc_oidc::tui::steps::Task::Review);
}

#[tokio::test]
async fn the_varset_review_warns_about_keys_left_on_the_workspace() {
    use crossterm::event::KeyCode::Down;
    let mut h = Harness::demo(100, 40);
    h.settle().await;
    // Setup → acme-corp → platform → network-staging (static keys) → role → a new set.
    h.keys(&[
        Enter, Enter, Down, Down, Down, Enter, Down, Down, Enter, Enter, Down, Enter,
    ])
    .await;
    assert_eq!(h.session.app.step, Step::Review);
    let screen = h.screen();
    let plan = h.session.app.review.plan.as_ref().expect("planned");
    assert!(
        plan.notes.iter().any(|n| n.is_warning()
            && n.text
                .contains("workspace network-staging still holds AWS_ACCESS_KEY_ID")),
        "{:?}\n{screen}",
        plan.notes
    );
}

/// `go_to` reaches a screen of the path chosen on Connect by name (the migrate path's list of
/// static keys comes right after the organization).
#[tokio::test]
async fn go_to_follows_the_chosen_path() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.choose_task(tfc_oidc::tui::steps::Task::Migrate).await;
    h.go_to(Step::MigratePick).await;
    assert!(h.screen().contains("Static keys"));
}

/// When Enter stops moving the wizard on (the findings are a list to read), `go_to` says where
/// it stopped instead of pressing on.
#[tokio::test]
#[should_panic(expected = "Enter stays on Findings, short of Done")]
async fn go_to_names_the_screen_where_enter_stops() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.choose_task(tfc_oidc::tui::steps::Task::Review).await;
    h.go_to(Step::Done).await;
}
