//! Whole-wizard flows over the demo sandbox: the Enter-Enter-… path ends on Done with the role
//! and variables in place; leaving before the apply writes nothing; quitting is refused while
//! applying; answers survive going back; existing roles and policy files; a remembered role name
//! pattern prefills the next run (more flows in `tui_flow/`). The event loop: `tui_event_loop.rs`.

use crossterm::event::KeyCode::{Char, Enter, Esc};
use crossterm::event::{KeyCode, KeyModifiers};
use std::sync::Arc;
use std::time::Duration;
use tfc_oidc::core::ports::{Iam, Tfc};
use tfc_oidc::sandbox::Sandbox;
use tfc_oidc::tui::connector::SandboxConnector;
use tfc_oidc::tui::harness::Harness;
use tfc_oidc::tui::msg::WizardEnd;
use tfc_oidc::tui::steps::{Screen, Step};

const ROLE: &str = "tfc-acme-corp-default-project";

fn writes(sandbox: &Sandbox) -> usize {
    sandbox.iam.write_count() + sandbox.tfc.write_count()
}

async fn assert_set_up(sandbox: &Sandbox) {
    let role = sandbox
        .iam
        .get_role(ROLE)
        .await
        .unwrap()
        .expect("the role exists");
    assert!(role
        .trust_policy
        .contains("organization:acme-corp:project:Default Project:workspace:sandbox:run_phase:*"));
    let policies = sandbox.iam.list_attached_policies(ROLE).await.unwrap();
    assert_eq!(policies, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    let ws = sandbox.tfc.workspace("acme-corp", "sandbox").await.unwrap();
    let vars = sandbox.tfc.workspace_variables(&ws.id).await.unwrap();
    let value = |key: &str| {
        vars.iter()
            .find(|v| v.key == key)
            .and_then(|v| v.value.clone())
    };
    assert_eq!(value("TFC_AWS_PROVIDER_AUTH").as_deref(), Some("true"));
    assert_eq!(
        value("TFC_AWS_RUN_ROLE_ARN"),
        Some(format!("arn:aws:iam::123456789012:role/{ROLE}"))
    );
}

#[tokio::test]
async fn the_enter_path_sets_up_the_first_workspace() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Done).await;
    assert_set_up(&h.sandbox).await;
    match h.press(Char('q')).await {
        Some(WizardEnd::Applied(report)) => assert_eq!(report.plan().roles[0].name, ROLE),
        other => panic!("expected an applied outcome, got {other:?}"),
    }
}

#[tokio::test]
async fn leaving_before_the_apply_writes_nothing() {
    for leave in [
        vec![Esc, Char('q')],
        vec![Char('q')],
        vec![Esc, Esc, Esc, Esc, Esc, Esc, Char('q')],
    ] {
        let mut h = Harness::demo(80, 24);
        h.settle().await;
        h.go_to(Step::Review).await;
        assert!(
            h.session
                .app
                .review
                .plan
                .as_ref()
                .is_some_and(|p| !p.is_empty()),
            "a plan was computed"
        );
        assert_eq!(
            h.keys(&leave).await,
            Some(WizardEnd::Cancelled),
            "keys {leave:?}"
        );
        assert_eq!(
            writes(&h.sandbox),
            0,
            "planning and leaving wrote nothing ({leave:?})"
        );
    }
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Review).await;
    let outcome = h
        .press_with(KeyCode::Char('c'), KeyModifiers::CONTROL)
        .await;
    assert_eq!(outcome, Some(WizardEnd::Cancelled));
    assert_eq!(writes(&h.sandbox), 0);
}

#[tokio::test]
async fn esc_keeps_the_answers() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.press(KeyCode::Down).await;
    h.type_text("-x").await;
    h.keys(&[Enter, Esc, Esc, Esc]).await;
    assert_eq!(h.session.app.step, Step::Project);
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Role);
    assert_eq!(
        h.session.app.role.role_name(),
        format!("{ROLE}-x"),
        "the edited name survives going back"
    );
}

#[tokio::test]
async fn quitting_is_refused_while_applying() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Review).await;
    h.sandbox.iam.set_latency(Duration::from_millis(150));
    assert_eq!(h.session.press(Enter), None);
    assert_eq!(h.session.app.step, Step::Apply);
    assert_eq!(
        h.session.press(Char('q')),
        None,
        "q is refused during the apply"
    );
    assert!(h
        .session
        .app
        .flash
        .as_ref()
        .is_some_and(|f| f.text.contains("refused")));
    assert_eq!(
        h.session
            .press_with(KeyCode::Char('c'), KeyModifiers::CONTROL),
        None,
        "so is Ctrl-C"
    );
    assert!(
        h.session.app.animating(),
        "the spinner turns while applying"
    );
    assert_eq!(h.settle().await, None);
    assert_eq!(h.session.app.step, Step::Done);
    assert_set_up(&h.sandbox).await;
}

#[tokio::test]
async fn an_existing_role_that_trusts_the_issuer_is_extended() {
    use tfc_oidc::core::ports::{NewOidcProvider, NewRole};
    // Only the roles made here trust the issuer, not the demo's review roles.
    let sandbox = Sandbox::demo_without_review_roles();
    let provider = sandbox
        .iam
        .create_oidc_provider(&NewOidcProvider {
            url: "https://app.terraform.io".into(),
            client_ids: vec!["aws.workload.identity".into()],
            thumbprints: vec![],
            tags: vec![],
        })
        .await
        .unwrap();
    let trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": provider},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"app.terraform.io:aud": "aws.workload.identity"},
                "StringLike": {"app.terraform.io:sub": ["organization:acme-corp:project:data:workspace:warehouse:run_phase:*"]}
            }
        }]
    });
    let role = NewRole {
        name: "data-team".into(),
        trust_policy: trust.to_string(),
        description: String::new(),
        tags: vec![],
        permissions_boundary: None,
    };
    sandbox.iam.create_role(&role).await.unwrap();
    let unrelated = NewRole {
        name: "ci".into(),
        trust_policy: r#"{"Statement":[]}"#.into(),
        description: String::new(),
        tags: vec![],
        permissions_boundary: None,
    };
    sandbox.iam.create_role(&unrelated).await.unwrap();
    sandbox.iam.clear_calls();

    let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
    let mut h = Harness::with(sandbox.clone(), connector, true, 80, 24);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.press(KeyCode::Right).await;
    assert_eq!(
        h.session.app.role.trusting.len(),
        1,
        "only roles trusting the issuer are offered"
    );
    assert_eq!(h.session.app.role.role_name(), "data-team");
    h.keys(&[Enter, Enter]).await;
    let screen = h.screen();
    assert!(
        screen.contains("~ extend trust policy of role data-team (+1 subject)"),
        "{screen}"
    );
    assert!(
        screen.contains("+ trusts organization:acme-corp:project:Default Project:workspace:"),
        "{screen}"
    );
    assert!(
        !screen.contains("create OIDC provider"),
        "the provider is reused:\n{screen}"
    );
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    let after = sandbox.iam.get_role("data-team").await.unwrap().unwrap();
    assert!(
        after.trust_policy.contains("workspace:warehouse")
            && after.trust_policy.contains("workspace:sandbox")
    );
}

#[tokio::test]
async fn a_policy_file_is_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("policy.json");
    std::fs::write(&good, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "not json").unwrap();

    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.keys(&[KeyCode::Down, KeyCode::Down, KeyCode::Left, KeyCode::Down])
        .await;
    assert!(h.session.app.text_mode(), "the path field has the focus");
    h.type_text(bad.to_str().unwrap()).await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Role);
    assert!(
        h.session
            .app
            .flash
            .as_ref()
            .is_some_and(|f| f.error && f.text.contains("not JSON")),
        "{:?}",
        h.session.app.flash
    );
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .await;
    h.type_text(good.to_str().unwrap()).await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Variables);
    h.keys(&[Enter]).await;
    let screen = h.screen();
    assert!(
        screen.contains("+ put inline policy tfc-oidc on role tfc-acme-corp-default-project"),
        "{screen}"
    );
    let missing = dir.path().join("missing.json");
    h.keys(&[Esc, Esc]).await;
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .await;
    h.type_text(missing.to_str().unwrap()).await;
    h.press(Enter).await;
    assert!(
        h.session
            .app
            .flash
            .as_ref()
            .is_some_and(|f| f.text.contains("cannot read")),
        "{:?}",
        h.session.app.flash
    );
}

/// A role named after a custom pattern is remembered as that pattern, and the next run prefills
/// the name from it for the organization and project chosen then.
#[tokio::test]
async fn a_custom_role_name_prefills_the_next_run() {
    use tfc_oidc::tui::defaults::Remembered;
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.press(KeyCode::Down).await;
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .await;
    h.type_text("oidc-acme-corp-default-project-runner").await;
    h.keys(&[Enter, Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Done);
    let outcome = h.press(Char('q')).await.expect("the wizard ends");
    assert_eq!(
        Remembered::after(true, &outcome),
        None,
        "nothing from --demo"
    );
    let remembered = Remembered::after(false, &outcome).expect("a setup to remember");
    assert_eq!(
        remembered.role_pattern.as_deref(),
        Some("oidc-{org}-{project}-runner")
    );

    let mut h = Harness::demo(80, 24);
    h.session.app.role_pattern = remembered.role_pattern;
    h.settle().await;
    h.keys(&[Enter, Enter, KeyCode::Down, Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Role);
    assert_eq!(h.session.app.role.role_name(), "oidc-acme-corp-data-runner");
    h.keys(&[Esc, Esc, KeyCode::Up, Enter, Enter]).await;
    assert_eq!(
        h.session.app.role.role_name(),
        "oidc-acme-corp-default-project-runner",
        "an untouched name follows the project"
    );
}

mod accounts;
mod choices;
mod paths;
mod permissions;
mod proof;
mod run_lock;
mod stacks;
