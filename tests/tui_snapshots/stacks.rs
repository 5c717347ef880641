//! Snapshots of a Stack beside the workspaces (the demo's `network-stack` in acme-corp/platform):
//! the list with its Stack row, and Done with the `.tfdeploy.hcl` text.

use super::*;

#[tokio::test]
async fn a_stack_row_and_its_done_screen() {
    let mut h = Harness::demo(80, 24);
    h.settle().await;
    h.keys(&[Enter, Enter, Down, Down, Down, Enter, Down, Down, Down])
        .await;
    assert_eq!(h.session.app.step, Step::Workspaces);
    assert_snapshot!("23_workspaces_stack_row", shot(&mut h));
    h.keys(&[Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Review);
    assert_snapshot!("23_review_stack", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_snapshot!("24_done_stack", shot(&mut h));
}
