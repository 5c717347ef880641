//! Snapshots of choices the planner would refuse, marked where they are chosen.

use super::*;

/// The demo's role screen on "Existing role": `terraform-ci` trusts the provider with no `sub`
/// condition, so it is marked as unusable, with the reason, before Review.
#[tokio::test]
async fn a_role_with_a_broad_trust_is_marked() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.go_to(Step::Role).await;
    h.keys(&[Right, Down]).await;
    for _ in 0..h.session.app.role.trusting.len() {
        if h.session.app.role.role_name() == "terraform-ci" {
            break;
        }
        h.press(Right).await;
    }
    assert_eq!(h.session.app.role.role_name(), "terraform-ci");
    assert_snapshot!("05_role_existing_refused", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Role);
    assert_snapshot!("05_role_existing_refused_enter", shot(&mut h));
}
