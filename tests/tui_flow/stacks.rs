//! A Stack chosen on the workspaces step (the demo's `network-stack` in acme-corp/platform, with
//! deployments `staging` and `production`): its deployments step (every one by default, or some
//! unchecked with Space), no variables step, a role trusting the chosen deployments, Done and
//! the exit summary showing them, and the header counting the steps of the Stack's path.

use super::*;
use tfc_oidc::core::answers::WorkspaceSelection;

/// Connect, organization, project platform (fourth), then the Stack row after the workspaces.
async fn to_stack_row(h: &mut Harness) {
    h.settle().await;
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
}

/// The header's first line, "Step N of M: Title".
fn header(h: &mut Harness) -> String {
    let screen = h.screen();
    let first = screen.lines().next().unwrap_or_default();
    let start = first.find("Step").unwrap_or(0);
    first[start..]
        .split("  ")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_stack_is_set_up_beside_workspaces() {
    let mut h = Harness::demo(80, 24);
    to_stack_row(&mut h).await;
    // Highlighting the Stack shows its path: deployments, and no variables.
    assert!(
        h.screen()
            .contains("Workspaces › Deploys › Role › Review › Apply › Done"),
        "{}",
        h.screen()
    );
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
    assert_eq!(h.session.app.step, Step::Deployments);
    assert_eq!(header(&mut h), "Step 5 of 9: Deployments");
    assert!(
        h.screen()
            .contains("Enter trusts every deployment of Stack network-stack"),
        "{}",
        h.screen()
    );
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Role);
    assert_eq!(header(&mut h), "Step 6 of 9: AWS role");
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Review, "no variables step");
    assert_eq!(header(&mut h), "Step 7 of 9: Review");
    // Esc from Review goes back to the role, past the variables step, then the deployments.
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Role);
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Deployments);
    h.keys(&[Enter, Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_eq!(header(&mut h), "Step 9 of 9: Done");
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
        role.trust_policy
            .contains("stack:network-stack:deployment:*:operation:*"),
        "{}",
        role.trust_policy
    );
    let screen = h.screen();
    assert!(screen.contains(".tfdeploy.hcl"), "{screen}");
    assert!(!screen.contains("a add account"), "{screen}");
}

/// Unchecking `staging` narrows the role to `production`: the review, the trust policy, Done,
/// the `.tfdeploy.hcl` text and the exit summary all say so.
#[tokio::test]
async fn a_stack_narrowed_to_one_deployment() {
    let mut h = Harness::demo(80, 24);
    to_stack_row(&mut h).await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Deployments);
    // Space on staging leaves production; on production too leaves nothing, which is refused.
    h.keys(&[KeyCode::Down, Char(' '), KeyCode::Down, Char(' ')])
        .await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Deployments);
    assert!(h.screen().contains("Check at least one deployment"));
    // Production only.
    h.press(Char(' ')).await;
    assert!(
        h.screen()
            .contains("Enter trusts deployment production of Stack network-stack only."),
        "{}",
        h.screen()
    );
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    let only = "stack:network-stack:deployment:production:operation:*";
    let review = h.screen();
    assert!(review.contains("deployment:production:"), "{review}");
    assert!(!review.contains("deployment:*"), "{review}");
    assert!(!review.contains("staging"), "{review}");
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    let plan = h.session.app.done.plan.clone().unwrap();
    assert_eq!(plan.roles[0].subjects.len(), 1);
    assert!(plan.roles[0].subjects[0].ends_with(only));
    let config = plan.deployment_config.clone().unwrap();
    assert!(config.contains("deployment \"production\""), "{config}");
    assert!(!config.contains("staging"), "{config}");
    let role = h
        .sandbox
        .iam
        .get_role("tfc-acme-corp-platform")
        .await
        .unwrap()
        .expect("the role exists");
    assert!(role.trust_policy.contains(only), "{}", role.trust_policy);
    assert!(!role.trust_policy.contains("staging"));
    assert!(!role.trust_policy.contains("deployment:*"));
    let done = h.screen();
    assert!(done.contains("deployment:production:"), "{done}");
    match h.press(Char('q')).await {
        Some(WizardEnd::Applied(report)) => {
            let text = report.text(false, 100);
            assert!(text.contains(only), "{text}");
            assert!(!text.contains("staging"), "{text}");
        }
        other => panic!("expected an applied outcome, got {other:?}"),
    }
}

/// A Stack without deployments yet has nothing to narrow: its path is eight steps, the role
/// right after the workspaces.
#[tokio::test]
async fn a_stack_without_deployments_has_no_deployments_step() {
    let sandbox = Sandbox::demo();
    let platform = sandbox.tfc.project_id("acme-corp", "platform").unwrap();
    sandbox
        .tfc
        .add_stack("acme-corp", &platform, "new-stack", &[])
        .unwrap();
    let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
    let mut h = Harness::with(sandbox, connector, true, 80, 24);
    to_stack_row(&mut h).await;
    h.press(KeyCode::Down).await;
    assert!(
        h.screen().contains("Stack · 0 deployments"),
        "{}",
        h.screen()
    );
    assert!(
        h.screen()
            .contains("Workspaces › Role › Review › Apply › Done"),
        "{}",
        h.screen()
    );
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Role);
    assert_eq!(header(&mut h), "Step 5 of 8: AWS role");
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Workspaces);
    // Back on a workspace row, the path is the workspaces' again.
    h.keys(&[KeyCode::Up, KeyCode::Up]).await;
    assert_eq!(header(&mut h), "Step 4 of 9: Workspaces");
}
