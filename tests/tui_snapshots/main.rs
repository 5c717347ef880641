//! Snapshots of every wizard screen on ratatui's TestBackend (80×24 unless said otherwise),
//! driven by scripted keys over the demo sandbox. Spinner frames and service ids are redacted.

use crossterm::event::KeyCode::{self, Backspace, Char, Down, Enter, Esc, Right, Up};
use crossterm::event::KeyModifiers;
use insta::assert_snapshot;
use ratatui::style::Color;
use std::sync::Arc;
use tfc_oidc::core::ports::{IamError, TfcError};
use tfc_oidc::sandbox::Sandbox;
use tfc_oidc::tfc::ApiToken;
use tfc_oidc::tui::connector::{ConnectError, Connection, Connector};
use tfc_oidc::tui::harness::{redact, Harness};
use tfc_oidc::tui::steps::Step;
use tfc_oidc::tui::theme::Theme;

fn shot(h: &mut Harness) -> String {
    redact(&h.screen())
}

/// `q` on Done: the summary printed in the shell (without colours).
async fn exit_summary(h: &mut Harness) -> String {
    match h.press(Char('q')).await {
        Some(tfc_oidc::tui::msg::WizardEnd::Applied(report)) => report.text(false, 80),
        other => panic!("expected an applied outcome, got {other:?}"),
    }
}

/// Connect → … → Review, with Enter on every screen.
async fn to_review(h: &mut Harness) {
    h.settle().await;
    h.go_to(Step::Review).await;
}

#[tokio::test]
async fn every_step_of_the_enter_path() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    assert_snapshot!("01_connect", shot(&mut h));
    let names = [
        "02_organization",
        "03_project",
        "04_workspaces",
        "05_role",
        "06_variables",
        "07_review",
    ];
    for name in names {
        h.press(Enter).await;
        assert_snapshot!(name, shot(&mut h));
    }
    h.press(Char('t')).await;
    assert_snapshot!("07_review_trust_policy", shot(&mut h));
    h.press(Char('t')).await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_snapshot!("09_done", shot(&mut h));
    assert_snapshot!("09_exit_summary", exit_summary(&mut h).await);
}

#[tokio::test]
async fn workspaces_badges_multi_select_and_filter() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Enter, Enter, Down, Down, Down, Enter]).await;
    assert_snapshot!("04_workspaces_badges", shot(&mut h));
    h.keys(&[Char(' '), Down, Char(' ')]).await;
    assert_snapshot!("04_workspaces_two_selected", shot(&mut h));
    h.press(Char('/')).await;
    h.type_text("nstg").await;
    assert_snapshot!("04_workspaces_filtered", shot(&mut h));
    h.keys(&[Esc, Up, Up, Char(' ')]).await;
    assert_snapshot!("04_workspaces_every", shot(&mut h));
}

/// `etl` gets its static keys from variable set `legacy-aws-keys`, not from its own variables.
#[tokio::test]
async fn workspaces_badges_see_variable_sets() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Enter, Enter, Down, Enter]).await;
    assert_snapshot!("04_workspaces_varset_keys", shot(&mut h));
}

/// Done says where static keys still come from: variable set `legacy-aws-keys` for `etl`, the
/// workspace itself for `payments-worker`.
#[tokio::test]
async fn done_names_where_static_keys_still_come_from() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Enter, Enter, Down, Enter]).await;
    h.go_to(Step::Done).await;
    assert_snapshot!("09_done_varset_keys", shot(&mut h));
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Enter, Enter, Down, Down, Enter, Down]).await;
    h.go_to(Step::Done).await;
    assert_snapshot!("09_done_workspace_keys", shot(&mut h));
}

#[tokio::test]
async fn role_form_validation_admin_split_and_existing() {
    // An account no role trusts the issuer in yet: the demo without its review roles.
    let sandbox = Sandbox::demo_without_review_roles();
    let connector = Arc::new(tfc_oidc::tui::connector::SandboxConnector::new(
        sandbox.clone(),
    ));
    let mut h = Harness::with(sandbox, connector, true, 80, 24);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.press(Down).await;
    h.type_text(" x").await;
    h.press(Enter).await;
    assert_eq!(
        h.session.app.step,
        Step::Role,
        "an invalid name keeps the step"
    );
    assert_snapshot!("05_role_invalid_name", shot(&mut h));
    h.keys(&[Backspace, Backspace, Down, Right, Right, Down, Char(' ')])
        .await;
    assert_snapshot!("05_role_admin_split", shot(&mut h));
    h.keys(&[Up, Up, Up, Right]).await;
    assert_snapshot!("05_role_existing_none", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Role, "no existing role to choose");
}

#[tokio::test]
async fn variables_on_sets_and_the_varset_plan() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Variables).await;
    h.press(Down).await;
    assert_snapshot!("06_variables_new_set", shot(&mut h));
    h.keys(&[Down, Right]).await;
    assert_snapshot!("06_variables_existing_set", shot(&mut h));
    h.keys(&[Up, Enter]).await;
    assert_snapshot!("07_review_new_varset", shot(&mut h));
}

#[tokio::test]
async fn apply_failure_then_retry() {
    let mut h = Harness::demo(80, 24);
    let denied = IamError::AccessDenied("not authorized to perform iam:CreateRole".into());
    h.sandbox.iam.fail_on("create_role", 1, denied);
    to_review(&mut h).await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Apply);
    assert_snapshot!("08_apply_failed", shot(&mut h));
    h.press(Char('r')).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_snapshot!("09_done_after_retry", shot(&mut h));
}

#[tokio::test]
async fn help_overlay_comes_from_the_keymap() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Enter, Enter, Enter]).await;
    h.press(Char('?')).await;
    assert_snapshot!("10_help_workspaces", shot(&mut h));
    h.press(Char('x')).await;
    assert!(!h.session.app.help, "any key closes the help");
}

#[tokio::test]
async fn wide_terminal_and_resize() {
    let mut h = Harness::demo(120, 40);
    to_review(&mut h).await;
    assert_snapshot!("11_review_120x40", shot(&mut h));
    h.resize(80, 24);
    let screen = shot(&mut h);
    assert!(
        screen.contains("Connect › Org › Project"),
        "short trail at 80 columns:\n{screen}"
    );
    h.resize(50, 12);
    assert!(shot(&mut h).contains("too small"));
}

/// A live-like connector: no token anywhere until one is typed.
struct PromptConnector {
    sandbox: Sandbox,
}

#[async_trait::async_trait]
impl Connector for PromptConnector {
    fn host(&self) -> String {
        "app.terraform.io".into()
    }

    fn is_demo(&self) -> bool {
        false
    }

    async fn connect(&self, token: Option<ApiToken>) -> Result<Connection, ConnectError> {
        match token {
            None => Err(ConnectError::NoToken { host: self.host() }),
            Some(_) => Ok(Connection {
                iam: self.sandbox.iam.clone(),
                tfc: self.sandbox.tfc.clone(),
                trail: Some(self.sandbox.iam.clone()),
                organizations: self.sandbox.iam.clone(),
                token_source: "the token you entered (kept for this session only)".into(),
            }),
        }
    }
}

#[tokio::test]
async fn connect_prompts_for_a_token_masked() {
    let sandbox = Sandbox::demo();
    let connector = Arc::new(PromptConnector {
        sandbox: sandbox.clone(),
    });
    let mut h = Harness::with(sandbox, connector, false, 80, 24);
    h.settle().await;
    h.type_text("s3cr3t.q").await;
    assert_eq!(h.session.app.step, Step::Connect, "q is typed, not quit");
    let screen = shot(&mut h);
    assert!(!screen.contains("s3cr3t"), "the token is masked");
    assert_snapshot!("01_connect_token_prompt", screen);
    h.press(Enter).await;
    let screen = shot(&mut h);
    assert!(
        screen.contains("signed in as demo-user") && screen.contains("the token you entered"),
        "{screen}"
    );
}

#[tokio::test]
async fn connect_errors_say_what_to_do() {
    let mut h = Harness::demo(80, 24);
    let unreachable = TfcError::Transport {
        url: "https://app.terraform.io/api/v2/account/details".into(),
        detail: "connection refused".into(),
    };
    h.sandbox.tfc.fail_on("account", 1, unreachable);
    let expired = IamError::Credentials("the AWS session has expired: refresh your credentials (run 'aws sso login --profile dev', or new temporary keys)".into());
    h.sandbox.iam.fail_on("caller_identity", 1, expired);
    h.settle().await;
    assert_snapshot!("01_connect_errors", shot(&mut h));
    h.press(Enter).await;
    assert!(
        h.session.app.connect.connected().is_some(),
        "r/Enter retries"
    );
    h.sandbox.tfc.fail_on(
        "account",
        1,
        TfcError::Unauthorized {
            host: "app.terraform.io".into(),
        },
    );
    h.press(Char('r')).await;
    h.press(Enter).await;
    h.press(Char('r')).await;
    let screen = shot(&mut h);
    assert!(
        screen.contains("rejected the token") && screen.contains("Token:"),
        "{screen}"
    );
}

#[tokio::test]
async fn no_color_means_no_colour_at_all() {
    let mut h = Harness::demo(80, 24);
    to_review(&mut h).await;
    h.screen();
    let coloured = |h: &Harness| {
        h.buffer()
            .content
            .iter()
            .any(|c| !matches!(c.fg, Color::Reset) || !matches!(c.bg, Color::Reset))
    };
    assert!(!coloured(&h), "Theme::plain uses no colour");
    h.session.app.theme = Theme { colour: true };
    h.screen();
    assert!(coloured(&h), "with colours, + lines are green");
    assert!(
        h.buffer()
            .content
            .iter()
            .all(|c| matches!(c.bg, Color::Reset)),
        "backgrounds stay the terminal's"
    );
}

#[tokio::test]
async fn ctrl_c_quits_even_while_typing() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Enter, Enter, Enter, Enter, Down]).await;
    assert!(h.session.app.text_mode());
    let outcome = h
        .press_with(KeyCode::Char('c'), KeyModifiers::CONTROL)
        .await;
    assert_eq!(outcome, Some(tfc_oidc::tui::msg::WizardEnd::Cancelled));
}

#[tokio::test]
async fn apply_in_progress() {
    use tfc_oidc::core::apply::Progress;
    use tfc_oidc::tui::msg::Msg;
    let mut h = Harness::demo(80, 24);
    to_review(&mut h).await;
    let plan = h.session.app.review.plan.clone().unwrap();
    // Drive the apply screen by hand so the frame is deterministic.
    let _effect = h.session.app.apply.start(plan);
    h.session.app.step = Step::Apply;
    for p in [
        Progress::Started { index: 0 },
        Progress::Done { index: 0 },
        Progress::Started { index: 1 },
        Progress::Done { index: 1 },
        Progress::Started { index: 2 },
    ] {
        h.session.dispatch(Msg::Progress(p));
    }
    h.session.press(Char('q'));
    assert!(
        h.session.outcome().is_none(),
        "quitting is refused while applying"
    );
    assert_snapshot!("08_apply_in_progress", shot(&mut h));
}

#[tokio::test]
async fn an_existing_role_and_its_trust_update() {
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
    let subject = "organization:acme-corp:project:data:workspace:warehouse:run_phase:*";
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"app.terraform.io:aud":"aws.workload.identity"}},"StringLike":{{"app.terraform.io:sub":["{subject}"]}}}}}}]}}"#
    );
    for name in ["data-team", "tfc-acme-corp-data"] {
        let role = NewRole {
            name: name.into(),
            trust_policy: trust.clone(),
            description: String::new(),
            tags: vec![],
            permissions_boundary: None,
        };
        sandbox.iam.create_role(&role).await.unwrap();
    }
    let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
    let mut h = Harness::with(sandbox, connector, true, 80, 24);
    h.settle().await;
    h.keys(&[Enter, Enter, Enter, Enter, Right, Down, Right])
        .await;
    assert_snapshot!("05_role_existing", shot(&mut h));
    h.keys(&[Enter, Enter]).await;
    assert_snapshot!("07_review_existing_role", shot(&mut h));
}

/// `e` on Review and Done opens the export prompt on the last line of the screen; Tab switches
/// Terraform and CloudFormation; Enter writes the file (never over an existing one).
#[tokio::test]
async fn export_prompt_on_review_and_done() {
    let mut h = Harness::demo(80, 24);
    to_review(&mut h).await;
    h.press(Char('e')).await;
    assert_snapshot!("07_review_export_prompt", shot(&mut h));
    h.press(KeyCode::Tab).await;
    assert_snapshot!("07_review_export_prompt_cloudformation", shot(&mut h));
    h.press(Char('x')).await;
    h.press(Enter).await;
    assert_snapshot!("07_review_export_prompt_refused", shot(&mut h));
    h.press(Esc).await;
    assert_eq!(
        h.session.app.step,
        Step::Review,
        "Esc closes the prompt only"
    );
    assert!(!h.session.app.export.open);

    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    h.press(Char('e')).await;
    assert_snapshot!("09_done_export_prompt", shot(&mut h));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("oidc.tf");
    h.press_with(Char('u'), KeyModifiers::CONTROL).await;
    h.type_text(path.to_str().unwrap()).await;
    h.press(Enter).await;
    let flash = h.session.app.flash.clone().expect("a status line");
    assert!(!flash.error, "{}", flash.text);
    assert_eq!(
        flash.text,
        format!("Wrote the Terraform export to {}", path.display())
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("resource \"aws_iam_role\" \"run\""), "{text}");
    assert!(
        text.contains("\"organization:${var.organization}:project:${var.project}:workspace:${workspace}:run_phase:*\""),
        "{text}"
    );

    h.press(Char('e')).await;
    h.press_with(Char('u'), KeyModifiers::CONTROL).await;
    h.type_text(path.to_str().unwrap()).await;
    h.press(Enter).await;
    let flash = h.session.app.flash.clone().expect("a status line");
    assert!(flash.error);
    assert!(
        flash
            .text
            .ends_with("oidc.tf exists already: choose another name"),
        "{}",
        flash.text
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "never overwritten"
    );
}

mod accounts;
mod choices;
mod dormant;
mod paths;
mod permissions;
mod stacks;
