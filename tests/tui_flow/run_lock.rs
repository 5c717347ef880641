//! The run lock in the wizard: taken before planning (as the CLI takes it), held while the plan
//! is reviewed, let go when the wizard leaves Review.

use super::*;
use tfc_oidc::core::journal::Journal;

/// Whether another run could take the lock right now.
fn free(journal: &Journal) -> bool {
    journal.lock(Duration::ZERO, &|| {}).is_ok()
}

#[tokio::test]
async fn the_wizard_locks_before_planning_and_lets_go_when_leaving_review() {
    let dir = tempfile::tempdir().unwrap();
    let (state, journal_dir) = (dir.path().join("sandbox.json"), dir.path().join("journal"));
    let journal = Journal::at(journal_dir.clone());
    let mut h = Harness::demo_persisted(&state, &journal_dir, 80, 24).unwrap();
    h.settle().await;
    h.go_to(Step::Variables).await;

    // Another run holds the lock: the wizard waits for it before planning.
    let other = journal.lock(Duration::ZERO, &|| {}).unwrap();
    let _ = h.session.press(Enter);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(h.session.app.step, Step::Review);
    assert!(
        h.session.app.review.plan.is_none(),
        "planned under another run's lock"
    );
    drop(other);
    h.settle().await;
    assert!(h.session.app.review.plan.is_some());

    // Reviewing holds it; going back lets it go.
    assert!(!free(&journal), "the reviewed plan is not under the lock");
    h.press(Esc).await;
    assert_eq!(h.session.app.step, Step::Variables);
    assert!(free(&journal));

    // Leaving Review while still waiting gives up the wait: the lock is not taken late.
    let other = journal.lock(Duration::ZERO, &|| {}).unwrap();
    let _ = h.session.press(Enter);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = h.session.press(Esc);
    drop(other);
    tokio::time::sleep(Duration::from_millis(500)).await;
    h.settle().await;
    assert_eq!(h.session.app.step, Step::Variables);
    assert!(free(&journal), "a plan given up took the lock");

    // Planned again and applied: the lock goes when the apply ends.
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert!(free(&journal));
}
