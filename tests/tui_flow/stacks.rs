//! A Stack chosen on the workspaces step (the demo's `network-stack` in acme-corp/platform):
//! no variables step, a role trusting its deployments, Done showing the `.tfdeploy.hcl` text.

use super::*;

#[tokio::test]
async fn a_stack_is_set_up_beside_workspaces() {
    use tfc_oidc::core::answers::WorkspaceSelection;
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    // Connect, organization, project platform (fourth), then the Stack row after the workspaces.
    h.keys(&[
        Enter,
        Enter,
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Down,
        Enter,
    ])
    .await;
    assert_eq!(h.session.app.step, Step::Workspaces);
    assert!(h.screen().contains("network-stack"), "{}", h.screen());
    h.keys(&[KeyCode::Down, KeyCode::Down, KeyCode::Down]).await;
    // Space on a Stack row is refused: a Stack is set up on its own.
    h.press(Char(' ')).await;
    assert!(h.screen().contains("A Stack is set up on its own"));
    h.press(Enter).await;
    assert_eq!(
        h.session.app.workspaces.chosen,
        Some(WorkspaceSelection::Stack {
            name: "network-stack".into(),
            deployments: vec![],
        })
    );
    assert_eq!(h.session.app.step, Step::Role);
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Review, "no variables step");
    // Esc from Review goes back to the role, past the variables step.
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Role);
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Done);
    let plan = h.session.app.done.plan.clone().unwrap();
    let config = plan
        .deployment_config
        .expect("a Stack's plan has its configuration");
    assert!(config.contains("deployment \"staging\""), "{config}");
    assert!(plan.variables.is_empty(), "a Stack takes no variables");
    let role = h
        .sandbox
        .iam
        .get_role("tfc-acme-corp-platform")
        .await
        .unwrap()
        .expect("the role exists");
    assert!(
        role.trust_policy.contains("stack:network-stack"),
        "{}",
        role.trust_policy
    );
    let screen = h.screen();
    assert!(screen.contains(".tfdeploy.hcl"), "{screen}");
    assert!(!screen.contains("a add account"), "{screen}");
}
