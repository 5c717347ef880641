//! The role screen's permission choices: split roles ask for the apply and the plan role's
//! permissions separately (the plan role read-only unless changed), a policy ARN is typed and
//! checked as it is typed, and a role that exists can keep what it has.

use super::*;
use crossterm::event::KeyCode::Left;

#[tokio::test]
async fn split_roles_ask_for_the_plan_role_permissions_separately() {
    let mut h = Harness::demo(80, 30);
    h.settle().await;
    h.go_to(Step::Role).await;
    // Permissions: PowerUserAccess; split; the plan role: a policy ARN typed in.
    h.keys(&[Down, Down, Right, Down, Char(' '), Down]).await;
    assert_snapshot!("05_role_split_permissions", shot(&mut h));
    h.keys(&[Left, Left, Down]).await;
    assert!(h.session.app.text_mode(), "the ARN field has the focus");
    h.type_text("arn:aws:iam::12:policy/x").await;
    assert_snapshot!("05_role_split_plan_arn_invalid", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(
        h.session.app.step,
        Step::Role,
        "an invalid ARN keeps the step"
    );
    h.press_with(Char('u'), KeyModifiers::CONTROL).await;
    h.type_text("arn:aws:iam::123456789012:policy/plan-reader")
        .await;
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    let screen = h.screen();
    for line in [
        "+ attach policy arn:aws:iam::123456789012:policy/plan-reader to role",
        "+ attach policy PowerUserAccess to role tfc-acme-corp-default-project-apply",
    ] {
        assert!(screen.contains(line), "{screen}");
    }
    assert!(!screen.contains("ReadOnlyAccess"), "{screen}");
}

#[tokio::test]
async fn split_roles_keep_the_plan_role_read_only_by_default() {
    let mut h = Harness::demo(80, 30);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.keys(&[Down, Down, Right, Down, Char(' '), Enter, Enter])
        .await;
    assert_eq!(h.session.app.step, Step::Review);
    assert_snapshot!("07_review_split_permissions", shot(&mut h));
}

#[tokio::test]
async fn a_role_that_exists_can_keep_what_it_has() {
    use tfc_oidc::core::ports::{Iam, NewOidcProvider, NewRole};
    use tfc_oidc::tui::connector::SandboxConnector;
    let sandbox = Sandbox::demo_without_review_roles();
    let provider = NewOidcProvider {
        url: "https://app.terraform.io".into(),
        client_ids: vec!["aws.workload.identity".into()],
        thumbprints: vec![],
        tags: vec![],
    };
    let provider = sandbox.iam.create_oidc_provider(&provider).await.unwrap();
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"app.terraform.io:aud":"aws.workload.identity"}},"StringLike":{{"app.terraform.io:sub":["organization:acme-corp:project:data:workspace:warehouse:run_phase:*"]}}}}}}]}}"#
    );
    let role = NewRole {
        name: "data-team".into(),
        trust_policy: trust,
        description: String::new(),
        tags: vec![],
        permissions_boundary: None,
    };
    sandbox.iam.create_role(&role).await.unwrap();
    sandbox
        .iam
        .attach_policy(
            "data-team",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        )
        .await
        .unwrap();
    let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
    let mut h = Harness::with(sandbox, connector, true, 80, 24);
    h.settle().await;
    h.keys(&[
        Enter, Enter, Enter, Enter, Right, Down, Down, Left, Left, Left,
    ])
    .await;
    assert_snapshot!("05_role_existing_keep", shot(&mut h));
    h.press(Char('t')).await;
    assert_snapshot!("05_role_existing_details", shot(&mut h));
    h.press(Char('t')).await;
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    let screen = h.screen();
    assert!(!screen.contains("attach policy"), "{screen}");
    assert!(
        screen.contains("~ extend trust policy of role data-team"),
        "{screen}"
    );
}

#[tokio::test]
async fn t_shows_what_each_role_trusts_and_may_do() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.keys(&[Down, Down, Right, Down, Char(' '), Char('t')])
        .await;
    assert_snapshot!("05_role_details_split", shot(&mut h));
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Role, "Esc closes the view first");
    assert!(!h.session.app.role.show_details);
}
