//! Confirmation and choices: the migrate pick starts with nothing checked, a plan that removes
//! anything applies only after a typed `yes`, and choices the planner would refuse (a variable
//! set reaching beyond the chosen workspaces, a role whose trust is too broad) are refused on the
//! screen where they are chosen, with the reason.

use super::*;

/// From the Connect screen to the migrate pick of the demo organization.
async fn to_migrate_pick(h: &mut Harness) {
    h.settle().await;
    h.keys(&[KeyCode::Down, Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::MigratePick);
}

fn flash(h: &Harness) -> String {
    h.session
        .app
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_migrate_pick_starts_unchecked_and_space_unchecks_one() {
    let mut h = Harness::demo(80, 24);
    to_migrate_pick(&mut h).await;
    let screen = h.screen();
    assert!(!screen.contains("[x]"), "nothing starts checked:\n{screen}");
    // Enter with nothing checked (on "every", then on a workspace) stays and says why.
    for _ in 0..2 {
        h.press(Enter).await;
        assert_eq!(h.session.app.step, Step::MigratePick);
        assert!(flash(&h).contains("Space checks"), "{}", flash(&h));
        h.press(KeyCode::Down).await;
    }
    assert_eq!(h.session.app.migrate_pick.chosen, None);
    // "Every" checked, then Space on payments-worker (past etl and warehouse, whose key is the
    // demo's second account's) unchecks it alone.
    h.keys(&[
        KeyCode::Up,
        KeyCode::Up,
        Char(' '),
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Down,
    ])
    .await;
    h.keys(&[Char(' '), Enter]).await;
    assert_eq!(h.session.app.step, Step::Role);
    let chosen = ["etl", "warehouse", "network-staging"].map(String::from);
    assert_eq!(h.session.app.migrate_pick.chosen, Some(chosen.to_vec()));
}

#[tokio::test]
async fn a_migration_applies_only_after_a_typed_yes() {
    let mut h = Harness::demo(80, 24);
    to_migrate_pick(&mut h).await;
    // payments-worker: past etl and warehouse.
    let down = KeyCode::Down;
    h.keys(&[down, down, down, Char(' '), Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    let screen = h.screen();
    assert!(
        screen.contains("This plan deletes 2 variables.")
            && screen.contains("Enter asks you to type yes")
            && screen.contains("Enter apply (type yes)"),
        "{screen}"
    );
    // Enter opens the field; `y`, `Yes` and nothing at all do not apply.
    for answer in ["y", "Yes", ""] {
        h.press(Enter).await;
        assert!(h.session.app.review.text_mode(), "the field is open");
        h.type_text(answer).await;
        h.press(Enter).await;
        assert_eq!(h.session.app.step, Step::Review, "{answer:?} applied");
        assert!(flash(&h).contains("Only yes applies"), "{}", flash(&h));
        assert_eq!(writes(&h.sandbox), 0, "{answer:?} wrote");
        h.press(Esc).await;
        assert!(!h.session.app.review.text_mode(), "Esc closes the field");
        assert_eq!(
            h.session.app.step,
            Step::Review,
            "Esc closes only the field"
        );
    }
    // While the field is open, q is typed, not a quit, and the plan still scrolls.
    h.press(Enter).await;
    h.press(KeyCode::PageDown).await;
    assert!(
        h.session.app.review.text_mode(),
        "scrolling keeps the field"
    );
    assert!(h.screen().contains("Notes"), "{}", h.screen());
    assert!(h.press(Char('q')).await.is_none());
    h.press(KeyCode::Backspace).await;
    h.type_text("yes").await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    let ws = h
        .sandbox
        .tfc
        .workspace("acme-corp", "payments-worker")
        .await
        .unwrap();
    let vars = h.sandbox.tfc.workspace_variables(&ws.id).await.unwrap();
    assert!(
        vars.iter().all(|v| v.key != "AWS_ACCESS_KEY_ID"),
        "{vars:?}"
    );
}

/// With "deactivate keys" the key waits for Done's proof (`d` there confirms it): the plan
/// removes the variables only, and still needs the typed yes.
#[tokio::test]
async fn deactivating_keys_also_needs_the_typed_yes() {
    let mut h = Harness::demo(80, 24);
    to_migrate_pick(&mut h).await;
    // Every workspace, so nothing else uses either key (ci-deployer's, and warehouse's in the
    // second account, reached through the demo-analytics profile) and both can be turned off.
    h.keys(&[Char(' '), Char('d'), Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    let screen = h.screen();
    assert!(
        screen.contains("This plan deletes 8 variables."),
        "{screen}"
    );
    assert!(!screen.contains("Inactive"), "{screen}");
    h.press(Enter).await;
    assert!(h.session.app.review.text_mode());
}

#[tokio::test]
async fn a_set_reaching_beyond_the_workspaces_is_refused_where_it_is_chosen() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    // Workspace sandbox; on the variables screen, the existing sets: acme-defaults (global),
    // legacy-aws-keys (etl) and payments-shared (project payments) all reach beyond it.
    h.go_to(Step::Variables).await;
    h.keys(&[KeyCode::Down, KeyCode::Down]).await;
    for (set, reaches) in [
        ("acme-defaults", "every workspace of the organization"),
        ("legacy-aws-keys", "1 other workspace"),
        ("payments-shared", "1 other project"),
    ] {
        let screen = h.screen();
        assert!(
            screen.contains(set) && screen.contains("✗ Cannot be used: it also reaches"),
            "{screen}"
        );
        h.press(Enter).await;
        assert_eq!(h.session.app.step, Step::Variables, "{set} was accepted");
        assert!(
            screen.contains(&format!("✗ Cannot be used: it also reaches {reaches}")),
            "{screen}"
        );
        let text = flash(&h);
        assert!(
            text.starts_with(&format!("Set {set} cannot be used (why is under it)")),
            "{text}"
        );
        h.press(KeyCode::Right).await;
    }
    // A new set named like an existing one is the existing one: refused the same way.
    h.press(KeyCode::Up).await;
    h.press_with(Char('u'), KeyModifiers::CONTROL).await;
    h.type_text("legacy-aws-keys").await;
    assert!(h.screen().contains("cannot be reused"));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Variables);
    assert_eq!(writes(&h.sandbox), 0);
}

#[tokio::test]
async fn a_role_with_a_broad_trust_is_refused_where_it_is_chosen() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.keys(&[KeyCode::Right, KeyCode::Down]).await;
    let mut refused = Vec::new();
    for _ in 0..h.session.app.role.trusting.len() {
        let name = h.session.app.role.role_name();
        let screen = h.screen();
        h.press(Enter).await;
        if h.session.app.step == Step::Role {
            assert!(screen.contains("✗ Cannot be used"), "{screen}");
            assert!(screen.contains("✗ Cannot be used: its trust"), "{screen}");
            assert!(flash(&h).starts_with(&format!("Role {name} cannot be used (why is under")));
            refused.push(name);
        } else {
            h.press(Esc).await;
            assert_eq!(h.session.app.step, Step::Role);
        }
        h.press(KeyCode::Right).await;
    }
    refused.sort();
    assert_eq!(refused, ["terraform-ci", "tfc-acme-shared"]);
}

#[tokio::test]
async fn the_migrate_role_offers_the_key_users_permissions_first() {
    let mut h = Harness::demo(80, 24);
    to_migrate_pick(&mut h).await;
    // payments-worker (ci-deployer's key), past etl and warehouse.
    let down = KeyCode::Down;
    h.keys(&[down, down, down, Char(' '), Enter]).await;
    assert_eq!(h.session.app.step, Step::Role);
    let screen = h.screen();
    assert!(
        screen.contains("Same as the key's IAM user")
            && screen.contains("ci-deployer")
            && screen.contains("AmazonS3FullAccess (own)"),
        "{screen}"
    );
    assert!(h.session.app.migrate_request().same_permissions);
    // Another choice is a plain migrate with that policy.
    h.keys(&[KeyCode::Down, KeyCode::Down, KeyCode::Right])
        .await;
    assert!(!h.session.app.migrate_request().same_permissions);
}

#[tokio::test]
async fn a_key_of_the_second_account_gets_its_role_there_through_the_profile_that_reaches_it() {
    let mut h = Harness::demo(80, 24);
    to_migrate_pick(&mut h).await;
    // warehouse: its key is analytics-loader's, in the demo's second account.
    let down = KeyCode::Down;
    h.keys(&[down, down, Char(' '), Enter]).await;
    assert_eq!(h.session.app.step, Step::Role);
    let role = h.screen();
    assert!(role.contains("analytics-loader"), "{role}");
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Review);
    let screen = h.screen();
    assert!(
        screen.contains("AWS · account 210987654321") && !screen.contains("account 123456789012"),
        "{screen}"
    );
    h.press(Enter).await;
    h.type_text("yes").await;
    h.press(Enter).await;
    let done = h.screen();
    assert_eq!(h.session.app.step, Step::Done, "{done}");
    let second = h.sandbox.second.list_roles().await.unwrap();
    assert!(
        second.iter().any(|r| r.name == "tfc-acme-corp-data"),
        "the role is made in the key's account"
    );
    let first = h.sandbox.iam.list_roles().await.unwrap();
    assert!(first.iter().all(|r| r.name != "tfc-acme-corp-data"));
}
