//! Snapshots of a Stack beside the workspaces (the demo's `network-stack` in acme-corp/platform):
//! the list with its Stack row, its deployments (every one, or some), the review, Done with the
//! `.tfdeploy.hcl` text, and the exit summary.

use super::*;

/// Connect, organization, project platform, and the Stack row highlighted.
async fn to_stack_row(h: &mut Harness) {
    h.settle().await;
    h.keys(&[Enter, Enter, Down, Down, Down, Enter, Down, Down, Down])
        .await;
    assert_eq!(h.session.app.step, Step::Workspaces);
}

#[tokio::test]
async fn a_stack_row_and_its_done_screen() {
    let mut h = Harness::demo(80, 24);
    to_stack_row(&mut h).await;
    assert_snapshot!("23_workspaces_stack_row", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Deployments);
    assert_snapshot!("23_deployments", shot(&mut h));
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    assert_snapshot!("23_review_stack", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_snapshot!("24_done_stack", shot(&mut h));
}

/// `staging` unchecked: the role trusts `production` only.
#[tokio::test]
async fn a_stack_narrowed_to_one_deployment() {
    let mut h = Harness::demo(80, 24);
    to_stack_row(&mut h).await;
    h.keys(&[Enter, Down, Char(' ')]).await;
    assert_eq!(h.session.app.step, Step::Deployments);
    assert_snapshot!("23_deployments_narrowed", shot(&mut h));
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    assert_snapshot!("23_review_stack_narrowed", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_snapshot!("24_done_stack_narrowed", shot(&mut h));
    assert_snapshot!("24_exit_summary_stack_narrowed", exit_summary(&mut h).await);
}
