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
    h.keys(&[Enter; 7]).await;
    assert_eq!(h.session.app.step, Step::Done);
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
}
