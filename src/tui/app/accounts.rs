//! "Add another AWS account" (`a` on Done): opening its screen with what Done showed kept,
//! going back to that Done screen, and moving on to the role once the profile is connected.

use super::App;
use crate::tui::effects::Effect;
use crate::tui::steps::review::ReviewStep;
use crate::tui::steps::{Flash, Step, Task};

impl App {
    /// `a` on Done: keep what Done shows, and ask for another AWS account's profile and tag.
    pub(super) fn start_add_account(&mut self) -> Vec<Effect> {
        let Some(plan) = self.done.plan.clone() else {
            return vec![];
        };
        self.finished.extend(self.done.configured());
        self.configurations.push((self.done.alias.clone(), plan));
        self.previous_done = Some(std::mem::take(&mut self.done));
        self.review = ReviewStep::default();
        self.apply = Default::default();
        self.task = Task::AddAccount;
        let (step, effects) = crate::tui::steps::add_account::AddAccountStep::enter();
        self.add_account = step;
        self.step = Step::AddAccount;
        effects
    }

    /// Esc on the add-account screen: back to the Done screen it was opened from.
    pub(super) fn leave_add_account(&mut self) {
        if let Some(done) = self.previous_done.take() {
            self.done = done;
            self.configurations.pop();
            // That Done screen is the current one again, not an earlier path.
            self.finished.pop();
        }
        self.task = if self.configurations.is_empty() {
            Task::Setup
        } else {
            Task::AddAccount
        };
        self.step = Step::Done;
    }

    /// The other account's profile connected (on to its role), or not (say why).
    pub(super) fn on_aws_connected(
        &mut self,
        profile: String,
        result: Result<crate::core::ports::CallerIdentity, crate::tui::failure::AwsConnectFailure>,
    ) -> Vec<Effect> {
        let first = self.connect.caller().map(|c| c.account.clone());
        let same = matches!(&result, Ok(c) if Some(&c.account) == first.as_ref());
        if !self.add_account.on_connected(profile, result) || self.step != Step::AddAccount {
            return vec![];
        }
        if same {
            self.flash = Some(Flash {
                text: "That profile reaches the same AWS account: a tag is for another account"
                    .into(),
                error: false,
            });
        }
        // Another account: its roles, and a role chosen afresh there.
        self.role = crate::tui::steps::role::RoleStep::new();
        self.go(Step::Role)
    }
}
