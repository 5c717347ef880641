//! The last step, "Done": the role ARNs, the subjects they trust, the variables set, and what to
//! do next (verify with `v`, which queues a plan-only run on the first workspace and shows a live
//! status line; `tfc-oidc activity`; static keys that still reach the workspaces, on each
//! workspace or through which variable set, with `m` to migrate them). After a migration it
//! lists the keys removed and which migrated workspaces still receive keys, and why.

use crate::core::migrate::StillReceiving;
use crate::core::plan::Plan;
use crate::core::text::hints_for;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::msg::{KeyOrigin, VerifyUpdate};
use crate::tui::report::Configured;
pub use crate::tui::steps::verify_status::VerifyState;
use crate::tui::steps::{Navigation, Reaction, Task, ViewCtx};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::page_of;
use migration::migration_lines;

pub(crate) mod accounts;
pub(crate) mod migration;
pub mod proof;
pub(crate) mod sections;
use crate::tui::steps::Screen;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The done step's state.
#[derive(Debug, Clone, Default)]
pub struct DoneStep {
    pub plan: Option<Plan>,
    /// Changes applied (0 when everything was already in place).
    pub applied: usize,
    /// Chosen workspaces whose runs still get static AWS keys, and where the keys come from.
    pub static_keys: Vec<(String, KeyOrigin)>,
    /// The verification started with `v`.
    pub verify: VerifyState,
    /// On the migrate path: the migrated workspaces that still receive keys, and why.
    pub still_receiving: Option<Vec<StillReceiving>>,
    /// The configurations set up before this one on the same workspaces (tag, plan), from
    /// "add another AWS account" (`a`).
    pub earlier: Vec<(Option<String>, Plan)>,
    /// This configuration's tag (`None`: the default configuration).
    pub alias: Option<String>,
    /// The `--demo` sandbox: suggested commands carry `--demo`.
    pub demo: bool,
    /// On the migrate path: migrated workspaces left on their static keys (an account that
    /// cannot be reached), one sentence each.
    pub left_on_keys: Vec<String>,
    /// On the migrate path: the proof before deactivation.
    pub proof: Option<proof::MigrationProof>,
    scroll: usize,
}

impl DoneStep {
    /// The summary of `plan` after `applied` changes.
    pub fn new(plan: Plan, applied: usize, static_keys: Vec<(String, KeyOrigin)>) -> DoneStep {
        DoneStep {
            plan: Some(plan),
            applied,
            static_keys,
            verify: VerifyState::Idle,
            still_receiving: None,
            earlier: Vec::new(),
            alias: None,
            demo: false,
            left_on_keys: Vec::new(),
            proof: None,
            scroll: 0,
        }
    }

    /// A verification is in flight.
    pub fn verifying(&self) -> bool {
        self.verify.running()
    }

    /// The workspace `v` verifies: the first one set up.
    fn verify_target(&self) -> Option<(String, String)> {
        // A tagged configuration is used only by the provider blocks that name its alias: a
        // plain plan-only run would not exercise it (and the ports now reach the other account).
        if self.alias.is_some() {
            return None;
        }
        let plan = self.plan.as_ref()?;
        let ws = plan.workspaces.first()?;
        Some((plan.organization.clone(), ws.name.clone()))
    }

    fn start_verify(&mut self) -> Reaction {
        let Some((org, workspace)) = self.verify_target() else {
            return Reaction::refuse("No workspace was set up, so there is nothing to verify");
        };
        self.verify.start(org, workspace)
    }

    /// `d`: the proven keys' deactivation.
    fn start_deactivation(&mut self) -> Reaction {
        let (Some(proof), Some(plan)) = (self.proof.as_mut(), self.plan.as_ref()) else {
            return Reaction::stay();
        };
        match proof.start_deactivation(plan) {
            Some(effect) => Reaction::effect(effect),
            None => Reaction::refuse("No proven key waits for deactivation"),
        }
    }

    /// The proven keys' deactivation is being applied: quitting waits for it.
    pub fn deactivating(&self) -> bool {
        self.proof
            .as_ref()
            .is_some_and(|p| p.phase == proof::ProofPhase::Deactivating)
    }

    /// News from the verification.
    pub fn on_verify(&mut self, update: VerifyUpdate) {
        self.verify.on_update(update);
    }

    /// What this screen shows, for the session's report (`None` before anything finished).
    pub fn configured(&self) -> Option<Configured> {
        Some(Configured {
            alias: self.alias.clone(),
            plan: self.plan.clone()?,
            applied: self.applied,
            static_keys: self.static_keys.clone(),
            still_receiving: self.still_receiving.clone(),
            left_on_keys: self.left_on_keys.clone(),
        })
    }

    /// The setup path set up workspaces (no Stack, no migration): `a` adds another AWS account.
    pub fn offers_add_account(&self) -> bool {
        self.still_receiving.is_none()
            && self.plan.as_ref().is_some_and(|p| !p.workspaces.is_empty())
    }

    /// Every tag in use on these workspaces, in the order set up.
    fn tags(&self) -> Vec<String> {
        let earlier = self.earlier.iter().filter_map(|(t, _)| t.clone());
        earlier.chain(self.alias.clone()).collect()
    }

    /// The setup path set up workspaces that still hold static keys: `m` moves them off.
    pub fn offers_migration(&self) -> bool {
        self.still_receiving.is_none() && !self.static_keys.is_empty()
    }

    /// The screen's lines; in the demo, suggested commands carry `--demo`.
    fn lines(&self, w: usize, t: Theme, spinner: &str) -> Vec<Line<'static>> {
        let demo = self.demo;
        let Some(plan) = &self.plan else {
            return vec![];
        };
        let migrated = self.still_receiving.is_some();
        let mut out = sections::headline(plan, self.applied, migrated, w, t);
        if let Some(still) = &self.still_receiving {
            out.extend(migration_lines(
                &plan.changes,
                still,
                &self.left_on_keys,
                w,
                t,
            ));
        }
        if let Some(proof) = &self.proof {
            out.extend(proof.lines(w, t, spinner));
        }
        if !self.earlier.is_empty() {
            let all: Vec<(Option<&str>, &Plan)> = self
                .earlier
                .iter()
                .map(|(tag, plan)| (tag.as_deref(), plan))
                .chain([(self.alias.as_deref(), plan)])
                .collect();
            out.extend(accounts::configuration_lines(&all, w, t));
        }
        let verify = self.verify.lines(w, t, spinner, demo);
        if !verify.is_empty() {
            out.push(Line::raw(""));
            out.extend(verify);
        }
        out.extend(sections::plan_lines(plan, w, t));
        if let Some(config) = &plan.deployment_config {
            out.extend(accounts::stack_lines(config, w, t, demo));
            return out;
        }
        out.extend(accounts::terraform_lines(&self.tags(), w, t));
        let first = sections::first_workspace(plan);
        let step1 = match &self.alias {
            Some(tag) => sections::alias_text(&first, tag, &plan.account),
            None => sections::verify_text("Press v", &first),
        };
        let activity = hints_for(demo, sections::ACTIVITY_TEXT);
        let mut items = vec![(step1, false), (activity, false)];
        items.extend(self.static_key_advice().into_iter().map(|a| (a, true)));
        out.extend(sections::next_lines(&items, w, t));
        out
    }

    /// One piece of advice per place static keys still come from, in the order first met.
    fn static_key_advice(&self) -> Vec<String> {
        sections::static_key_advice(&self.static_keys, "press m to migrate them")
    }
}

impl Screen for DoneStep {
    /// Handles a key.
    fn handle(&mut self, input: Input, body: (u16, u16)) -> Reaction {
        let total = self.lines(body.0 as usize, Theme::plain(), "").len();
        let max = total.saturating_sub(body.1 as usize);
        match input {
            Input::Action(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Input::Action(Action::Down) => self.scroll = (self.scroll + 1).min(max),
            Input::Action(Action::PageUp) => {
                self.scroll = self.scroll.saturating_sub(body.1 as usize)
            }
            Input::Action(Action::PageDown) => {
                self.scroll = (self.scroll + body.1 as usize).min(max)
            }
            Input::Action(Action::Verify) => return self.start_verify(),
            Input::Action(Action::Deactivate) => return self.start_deactivation(),
            Input::Action(Action::Migrate) if self.offers_migration() => {
                return Reaction {
                    flow: Navigation::Start(Task::Migrate),
                    ..Reaction::stay()
                }
            }
            Input::Action(Action::AddAccount) if self.offers_add_account() => {
                return Reaction {
                    flow: Navigation::Start(Task::AddAccount),
                    ..Reaction::stay()
                }
            }
            Input::Action(Action::Back) => {
                return Reaction::refuse(
                    "The changes are made: there is no going back ('tfc-oidc undo' reverts them)",
                )
            }
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        let mut h = vec![
            hint(Action::Quit, "quit"),
            hints2(Action::Up, Action::Down, "scroll"),
        ];
        if !self.verifying() && self.verify_target().is_some() {
            h.push(hint(Action::Verify, "verify"));
        }
        if self.proof.as_ref().is_some_and(|p| p.can_deactivate()) {
            h.push(hint(Action::Deactivate, "deactivate proven keys"));
        }
        h.push(hint(Action::Export, "export"));
        if self.offers_migration() {
            h.push(hint(Action::Migrate, "migrate keys"));
        }
        if self.offers_add_account() {
            h.push(hint(Action::AddAccount, "add account"));
        }
        h
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let lines = self.lines(area.width as usize, v.theme, v.spinner);
        let shown = page_of(lines, self.scroll, area.height as usize, v.theme);
        frame.render_widget(Paragraph::new(shown), area);
    }

    fn busy(&self) -> bool {
        self.verifying() || self.proof.as_ref().is_some_and(|p| p.busy())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::migrate::{Left, LeftReason};
    use crate::core::variables::VariableSource;

    fn done(keys: &[(&str, KeyOrigin)]) -> DoneStep {
        DoneStep {
            static_keys: keys
                .iter()
                .map(|(w, s)| (w.to_string(), s.clone()))
                .collect(),
            ..DoneStep::default()
        }
    }

    #[test]
    fn static_key_advice_names_where_the_keys_are() {
        let legacy = KeyOrigin::VariableSet("legacy-aws-keys".into());
        let step = done(&[
            ("etl", legacy.clone()),
            ("web", KeyOrigin::Workspace),
            ("batch", legacy),
            ("api", KeyOrigin::VariableSet("team-keys".into())),
            ("db", KeyOrigin::Workspace),
        ]);
        assert_eq!(
            step.static_key_advice(),
            [
                "Static AWS keys still reach etl, batch through variable set legacy-aws-keys: remove them there (press m to migrate them) so runs use OIDC only.",
                "Static AWS keys are still set on web, db: delete them (press m to migrate them) so runs use OIDC only.",
                "Static AWS keys still reach api through variable set team-keys: remove them there (press m to migrate them) so runs use OIDC only.",
            ]
        );
        assert!(done(&[]).static_key_advice().is_empty());
    }

    #[test]
    fn after_a_migration_done_says_what_still_receives_keys_and_why() {
        let shared = VariableSource::VariableSet {
            id: "varset-1".into(),
            name: "team-keys".into(),
            reach: crate::core::variables::Reach::Workspace,
            priority: false,
        };
        let step = DoneStep {
            still_receiving: Some(vec![StillReceiving {
                workspace: "etl".into(),
                project: "data".into(),
                from: vec![Left {
                    source: shared,
                    why: LeftReason::SharedSet {
                        others: vec!["billing".into()],
                    },
                }],
            }]),
            static_keys: vec![("etl".into(), KeyOrigin::Workspace)],
            ..DoneStep::default()
        };
        let text: Vec<String> = step
            .still_receiving
            .as_deref()
            .map(|still| migration_lines(&[], still, &[], 80, Theme::plain()))
            .unwrap()
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(text[1], "Still receiving static AWS keys");
        assert_eq!(
            text[2],
            "  etl (data): variable set team-keys (it also reaches billing)"
        );
        assert!(!step.offers_migration(), "no m after a migration");
        assert!(migration_lines(&[], &[], &[], 80, Theme::plain())[1]
            .to_string()
            .contains("No migrated workspace receives static AWS keys"));
    }
}
