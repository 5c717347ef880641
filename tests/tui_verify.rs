//! `v` on the Done screen (a plan-only run on the first workspace set up, with a live status
//! line, ending in the verdict; 80×24 snapshots over the demo sandbox) and on the review's
//! findings screen (the highlighted finding's workspace).

use crossterm::event::KeyCode::Char;
use insta::assert_snapshot;
use tfc_oidc::tui::harness::{redact, Harness};
use tfc_oidc::tui::steps::done::VerifyState;
use tfc_oidc::tui::steps::Step;

#[tokio::test]
async fn v_on_done_verifies_the_first_workspace() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Done).await;
    // The key alone: the run is being queued, nothing has come back yet.
    h.session.press(Char('v'));
    assert!(h.session.app.done.verifying());
    assert_snapshot!("12_done_verifying", redact(&h.screen()));
    h.settle().await;
    match &h.session.app.done.verify {
        VerifyState::Done(report) => {
            assert!(report.authenticated, "{report:#?}");
            assert_eq!(report.workspace, "sandbox");
        }
        other => panic!("{other:?}"),
    }
    assert_snapshot!("12_done_verified", redact(&h.screen()));
    // A second `v` verifies again.
    h.press(Char('v')).await;
    assert!(matches!(h.session.app.done.verify, VerifyState::Done(_)));
}

/// `v` on the review's findings screen verifies the highlighted finding's workspace, and the
/// verdict shows under the finding (the demo's `dns` has OIDC on and no role ARN).
#[tokio::test]
async fn v_on_a_finding_verifies_its_workspace() {
    use tfc_oidc::core::review::FindingId;
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.review_at(FindingId::NoRoleArn).await;
    assert_eq!(h.session.app.step, Step::Findings);
    h.press(Char('v')).await;
    h.settle().await;
    match &h.session.app.findings.verify {
        VerifyState::Done(report) => {
            assert!(!report.authenticated, "{report:#?}");
            assert_eq!(report.workspace, "dns");
        }
        other => panic!("{other:?}"),
    }
    assert!(!h.session.app.done.verify.running());
    assert!(
        h.screen().contains("dns did not authenticate"),
        "{}",
        h.screen()
    );
}
