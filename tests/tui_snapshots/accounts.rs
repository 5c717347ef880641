//! Snapshots of "add another AWS account": the screen (profiles, a tag checked as typed), and
//! Done with two configurations and the Terraform they need.

use super::*;

/// The enter path to Done, then `a`.
async fn to_add_account(h: &mut Harness) {
    to_review(h).await;
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
    h.press(Char('a')).await;
    assert_eq!(h.session.app.step, Step::AddAccount);
}

#[tokio::test]
async fn add_another_aws_account() {
    let mut h = Harness::demo(80, 24);
    to_add_account(&mut h).await;
    assert_snapshot!("21_add_account", shot(&mut h));
    for c in "bad-tag".chars() {
        h.press(Char(c)).await;
    }
    assert_snapshot!("21_add_account_bad_tag", shot(&mut h));
    for _ in 0..7 {
        h.press(Backspace).await;
    }
    for c in "ANALYTICS".chars() {
        h.press(Char(c)).await;
    }
    assert_snapshot!("21_add_account_tag", shot(&mut h));
    h.keys(&[Enter, Enter, Enter]).await;
    assert_eq!(h.session.app.step, Step::Done);
    assert_snapshot!("22_done_two_accounts", shot(&mut h));
    for _ in 0..14 {
        h.press(Down).await;
    }
    assert_snapshot!("22_done_two_accounts_terraform", shot(&mut h));
    assert_snapshot!("22_exit_summary_two_accounts", exit_summary(&mut h).await);
}
