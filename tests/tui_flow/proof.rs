//! The migrate path's proof before deactivation: with "deactivate keys" the plan holds the
//! deactivation; Done verifies each migrated workspace, then `d` deactivates the proven key
//! (journaled like any apply) and what is left per IAM user is said.

use super::*;
use tfc_oidc::core::plan::Change;
use tfc_oidc::core::ports::AccessKeyStatus;
use tfc_oidc::tui::steps::done::proof::ProofPhase;

async fn key_status(h: &Harness, user: &str) -> Vec<AccessKeyStatus> {
    let keys = h.sandbox.iam.list_access_keys(user).await.unwrap();
    keys.into_iter().map(|k| k.status).collect()
}

#[tokio::test]
async fn done_proves_the_workspaces_before_d_deactivates_the_key() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[KeyCode::Down, Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::MigratePick);
    // Every workspace listed, and the freed keys deactivated.
    h.keys(&[Char(' '), Char('d'), Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    let plan = h.session.app.review.plan.clone().expect("a migration plan");
    assert!(
        !plan
            .changes
            .iter()
            .any(|c| matches!(c.change, Change::SetAccessKeyStatus(_))),
        "the plan holds no deactivation before the proof"
    );
    assert!(plan
        .notes
        .iter()
        .any(|n| n.text.contains("only after the verification runs prove")));
    h.press(Enter).await;
    h.type_text("yes").await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);

    let proof = h.session.app.done.proof.clone().expect("Done proves");
    assert_eq!(proof.phase, ProofPhase::Proven);
    let verified: Vec<(&str, bool)> = proof
        .verified
        .iter()
        .map(|v| (v.workspace.as_str(), v.authenticated))
        .collect();
    assert_eq!(
        verified,
        [
            ("etl", true),
            ("warehouse", true),
            ("payments-worker", true),
            ("network-staging", true)
        ],
        "warehouse's role is in the second account, reached through its profile"
    );
    assert_eq!(proof.decided.as_ref().unwrap().key_ids().len(), 2);
    assert!(proof.can_deactivate());
    assert!(h.screen().contains("d deactivate proven keys"));
    assert_eq!(
        key_status(&h, "ci-deployer").await,
        [AccessKeyStatus::Active]
    );

    // `d` starts the deactivation; quitting waits for it.
    assert!(h.session.press(Char('d')).is_none());
    assert!(h.session.press(Char('q')).is_none(), "quit refused");
    let refusal = h
        .session
        .app
        .flash
        .clone()
        .map(|f| f.text)
        .unwrap_or_default();
    assert!(refusal.contains("being deactivated"), "{refusal}");
    h.settle().await;
    let proof = h.session.app.done.proof.clone().unwrap();
    assert_eq!(proof.phase, ProofPhase::Deactivated);
    assert_eq!(
        key_status(&h, "ci-deployer").await,
        [AccessKeyStatus::Inactive]
    );
    let second = h.sandbox.second.list_access_keys("analytics-loader").await;
    let second: Vec<_> = second.unwrap().into_iter().map(|k| k.status).collect();
    assert_eq!(
        second,
        [AccessKeyStatus::Inactive],
        "deactivated in its own account"
    );
    assert!(!proof.left.is_empty(), "what is left per user is said");
    assert!(!h.screen().contains("deactivate proven keys"));
    // A second d does nothing more.
    h.press(Char('d')).await;
    assert_eq!(
        h.session.app.done.proof.clone().unwrap().phase,
        ProofPhase::Deactivated
    );
}

#[tokio::test]
async fn without_deactivate_keys_done_verifies_and_holds_no_key() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[KeyCode::Down, Enter, Enter, Char(' '), Enter, Enter])
        .await;
    h.press(Enter).await;
    h.type_text("yes").await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    let proof = h.session.app.done.proof.clone().expect("Done verifies");
    assert_eq!(proof.verified.len(), 4);
    assert!(proof.decided.is_none() && !proof.can_deactivate());
    let screen = h.screen();
    assert!(!screen.contains("deactivate proven keys"), "{screen}");
    h.press(Char('d')).await;
    assert_eq!(
        key_status(&h, "ci-deployer").await,
        [AccessKeyStatus::Active]
    );
}
