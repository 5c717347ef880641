//! Split roles with a policy file each: both are read and checked before the step completes; a
//! problem in the plan role's file names the file and the position and puts the focus on it.

use super::*;
use tfc_oidc::tui::steps::role::Field;

#[tokio::test]
async fn each_split_role_reads_its_own_policy_file() {
    let dir = tempfile::tempdir().unwrap();
    let apply = dir.path().join("apply.json");
    std::fs::write(&apply, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#).unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, "{\"Statement\": {\"Effect\": \"Maybe\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}").unwrap();

    let mut h = Harness::demo(80, 30);
    h.settle().await;
    h.go_to(Step::Role).await;
    // Permissions: Policy file…, its path; split; the plan role: Policy file…, its path.
    h.keys(&[KeyCode::Down, KeyCode::Down, KeyCode::Left, KeyCode::Down])
        .await;
    h.type_text(apply.to_str().unwrap()).await;
    h.keys(&[
        KeyCode::Down,
        Char(' '),
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Down,
    ])
    .await;
    h.type_text(plan.to_str().unwrap()).await;
    h.press(Enter).await;
    let app = &h.session.app;
    assert_eq!(app.step, Step::Role);
    assert_eq!(app.role.focus, Field::PlanPolicyPath);
    let flash = app
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default();
    assert_eq!(
        flash,
        format!(
            "{}:1:26: Effect must be \"Allow\" or \"Deny\", not \"Maybe\"",
            plan.display()
        )
    );

    std::fs::write(
        &plan,
        r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
    )
    .unwrap();
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .await;
    h.type_text(plan.to_str().unwrap()).await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Variables);
    let answers = h.session.app.answers();
    assert!(answers
        .permissions
        .inline_policy
        .unwrap()
        .contains("s3:PutObject"));
    let plan_role = answers.plan_permissions.unwrap();
    assert!(plan_role.inline_policy.unwrap().contains("s3:GetObject"));
}
