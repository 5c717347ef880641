//! Flows of "add another AWS account" (`a` on Done) over the demo sandbox.

use super::*;

/// `a` on Done adds the demo's second AWS account as a tagged configuration of the same
/// workspace: a role there, `TFC_AWS_*_ANALYTICS` variables, and Done shows both.
#[tokio::test]
async fn done_adds_another_aws_account() {
    use tfc_oidc::tui::connector::{DEMO_SECOND_ACCOUNT, DEMO_SECOND_PROFILE};
    use tfc_oidc::tui::steps::Task;
    let sandbox = Sandbox::demo();
    let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
    let second = connector.second_account();
    let mut h = Harness::with(sandbox, connector, true, 80, 24);
    h.settle().await;
    h.go_to(Step::Done).await;
    assert!(h.screen().contains("a add account"), "{}", h.screen());
    h.press(Char('a')).await;
    assert_eq!(h.session.app.step, Step::AddAccount);
    assert_eq!(h.session.app.task, Task::AddAccount);
    assert!(h.screen().contains(DEMO_SECOND_PROFILE));
    // A bad tag is refused as typed and on Enter.
    h.keys(&[Char('a'), Char('-')]).await;
    assert!(h.screen().contains("use letters, digits"), "{}", h.screen());
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::AddAccount);
    h.press(KeyCode::Backspace).await;
    h.keys(&[Char('N'), Char('A'), Char('L'), Char('Y'), Char('T')])
        .await;
    h.keys(&[Char('I'), Char('C'), Char('S')]).await;
    // Esc goes back to Done, and `a` opens the screen afresh.
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Done);
    h.press(Char('a')).await;
    for c in "ANALYTICS".chars() {
        h.press(Char(c)).await;
    }
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Role);
    assert_eq!(h.session.app.context().account, DEMO_SECOND_ACCOUNT);
    // Role, review, apply.
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert!(second.get_role(ROLE).await.unwrap().is_some());
    let ws = h
        .sandbox
        .tfc
        .workspace("acme-corp", "sandbox")
        .await
        .unwrap();
    let vars = h.sandbox.tfc.workspace_variables(&ws.id).await.unwrap();
    let value = |key: &str| {
        vars.iter()
            .find(|v| v.key == key)
            .and_then(|v| v.value.clone())
    };
    assert_eq!(
        value("TFC_AWS_PROVIDER_AUTH_ANALYTICS").as_deref(),
        Some("true")
    );
    assert_eq!(
        value("TFC_AWS_RUN_ROLE_ARN_ANALYTICS"),
        Some(format!("arn:aws:iam::{DEMO_SECOND_ACCOUNT}:role/{ROLE}"))
    );
    // The default configuration is untouched.
    assert_set_up(&h.sandbox).await;
    let done = &h.session.app.done;
    assert_eq!(done.earlier.len(), 1);
    assert_eq!(done.alias.as_deref(), Some("ANALYTICS"));
    let screen = h.screen();
    assert!(screen.contains("ANALYTICS"), "{screen}");
    assert!(screen.contains(DEMO_SECOND_ACCOUNT), "{screen}");
    // The exit summary lists both configurations, not only the last.
    let Some(WizardEnd::Applied(report)) = h.press(Char('q')).await else {
        panic!("expected an applied outcome");
    };
    let text = report.text(false, 100);
    for expected in [
        "default configuration",
        "ANALYTICS configuration",
        &format!("arn:aws:iam::123456789012:role/{ROLE}"),
        &format!("arn:aws:iam::{DEMO_SECOND_ACCOUNT}:role/{ROLE}"),
        "trusts organization:acme-corp:project:Default Project:workspace:sandbox:run_phase:*",
        &format!("TFC_AWS_RUN_ROLE_ARN = arn:aws:iam::123456789012:role/{ROLE}"),
        &format!("TFC_AWS_RUN_ROLE_ARN_ANALYTICS = arn:aws:iam::{DEMO_SECOND_ACCOUNT}:role/{ROLE}"),
        "TFC_AWS_PROVIDER_AUTH = true",
        "TFC_AWS_PROVIDER_AUTH_ANALYTICS = true",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
}

/// Adds the demo's second account under `tag`, through to Done.
async fn add_account(h: &mut Harness, tag: &str) {
    add_account_until_apply(h, tag).await;
    assert_eq!(h.session.app.step, Step::Done);
}

/// Two accounts added, and `a` then Esc once: the exit summary has the three configurations,
/// each once, in the order set up.
#[tokio::test]
async fn the_exit_summary_lists_every_configuration_once() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Done).await;
    add_account(&mut h, "ANALYTICS").await;
    add_account(&mut h, "BACKUP").await;
    h.press(Char('a')).await;
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_eq!(h.session.app.done.earlier.len(), 2);
    let Some(WizardEnd::Applied(report)) = h.press(Char('q')).await else {
        panic!("expected an applied outcome");
    };
    let tags: Vec<Option<&str>> = report.all().map(|c| c.alias.as_deref()).collect();
    assert_eq!(tags, [None, Some("ANALYTICS"), Some("BACKUP")]);
    let text = report.text(false, 100);
    for heading in [
        "default configuration",
        "ANALYTICS configuration",
        "BACKUP configuration",
    ] {
        assert_eq!(text.matches(heading).count(), 1, "{heading}:\n{text}");
    }
    assert!(text.contains("TFC_AWS_RUN_ROLE_ARN_BACKUP = "), "{text}");
    assert!(text.contains("alias               = \"BACKUP\""), "{text}");
}

/// Leaving the add-account path before its apply still reports the default configuration.
#[tokio::test]
async fn leaving_an_added_account_early_reports_the_first() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Done).await;
    h.press(Char('a')).await;
    for c in "ANALYTICS".chars() {
        h.press(Char(c)).await;
    }
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Role);
    let Some(WizardEnd::Applied(report)) = h.press(Char('q')).await else {
        panic!("expected the first configuration's outcome");
    };
    assert!(report.earlier.is_empty());
    assert_eq!(report.last.alias, None);
    assert_eq!(report.plan().roles[0].name, ROLE);
}

/// The added account's apply stops part way: quitting reports it as partial, with the default
/// configuration (applied before) kept for the shell.
#[tokio::test]
async fn a_partial_added_account_still_reports_the_first() {
    use tfc_oidc::core::ports::IamError;
    let sandbox = Sandbox::demo();
    let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
    let denied = IamError::AccessDenied("not authorized to perform iam:CreateRole".into());
    connector.second_account().fail_on("create_role", 1, denied);
    let mut h = Harness::with(sandbox, connector, true, 80, 24);
    h.settle().await;
    h.go_to(Step::Done).await;
    add_account_until_apply(&mut h, "ANALYTICS").await;
    assert_eq!(h.session.app.step, Step::Apply);
    match h.press(Char('q')).await {
        Some(WizardEnd::Partial {
            message,
            earlier: Some(report),
        }) => {
            assert!(message.contains("CreateRole"), "{message}");
            assert!(report.earlier.is_empty());
            assert_eq!(report.last.alias, None);
            assert!(report.text(false, 100).contains("TFC_AWS_RUN_ROLE_ARN = "));
        }
        other => panic!("expected a partial outcome with the first configuration, got {other:?}"),
    }
}

/// `a`, the tag, then Enter to connect the demo's second profile, keep the role and apply.
async fn add_account_until_apply(h: &mut Harness, tag: &str) {
    h.press(Char('a')).await;
    assert_eq!(h.session.app.step, Step::AddAccount);
    for c in tag.chars() {
        h.press(Char(c)).await;
    }
    h.keys(&[Enter, Enter, Enter]).await;
}
