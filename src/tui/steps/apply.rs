//! Step 8: applying the plan, one line per change (spinner, then ✓ or ✗ with the error). On a
//! failure: retry (re-plans and applies again; the journal resumes) or quit (the journal keeps
//! what was done). Quitting is refused while changes are being made.

use crate::core::apply::{ApplyReport, Progress};
use crate::core::error::PlanError;
use crate::core::plan::Plan;
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::failure::ApplyFailure;
use crate::tui::keymap::{hint, Action, Hint};
use crate::tui::steps::Screen;
use crate::tui::steps::Step;
use crate::tui::steps::ViewCtx;
use crate::tui::widgets::progress::{done_count, lines, Status};
use crate::tui::widgets::text::{draw_intro, intro, loading, paragraph};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The apply step's state.
#[derive(Debug, Clone, Default)]
pub struct ApplyStep {
    summaries: Vec<String>,
    pub statuses: Vec<Status>,
    /// Changes are being made.
    pub running: bool,
    /// A retry is re-planning.
    pub replanning: bool,
    /// Why the last attempt stopped.
    pub failure: Option<String>,
    /// How many changes earlier attempts completed (a retry plans only what is left).
    pub done_before: usize,
    account: String,
    host: String,
}

impl ApplyStep {
    /// Starts applying `plan`.
    pub fn start(&mut self, plan: Plan) -> Vec<Effect> {
        self.done_before += done_count(&self.statuses);
        self.summaries = plan.changes.iter().map(|c| c.change.summary()).collect();
        self.statuses = vec![Status::Pending; plan.changes.len()];
        self.running = true;
        self.replanning = false;
        self.failure = None;
        self.account = plan.account.clone();
        self.host = plan.host.clone();
        vec![Effect::Apply {
            plan: Box::new(plan),
        }]
    }

    /// One change started, finished, failed or was skipped.
    pub fn on_progress(&mut self, p: Progress) {
        let (i, status) = match p {
            Progress::Started { index } => (index, Status::Running),
            Progress::Done { index } => (index, Status::Done),
            Progress::Failed { index, error } => (index, Status::Failed(error)),
            Progress::Skipped { index } => (index, Status::Skipped),
        };
        if let Some(s) = self.statuses.get_mut(i) {
            *s = status;
        }
    }

    /// The apply ended; the report when it succeeded.
    pub fn on_applied(&mut self, result: Result<ApplyReport, ApplyFailure>) -> Option<ApplyReport> {
        self.running = false;
        match result {
            Ok(report) => Some(report),
            Err(e) => {
                self.failure = Some(e.to_string());
                None
            }
        }
    }

    /// Retry: the plan is computed again first.
    pub fn replan(&mut self) {
        self.replanning = true;
    }

    /// The retry could not be planned.
    pub fn on_replan_failed(&mut self, e: PlanError) {
        self.on_replan_text(e.to_string());
    }

    /// The retry could not be planned: why, as text.
    pub fn on_replan_text(&mut self, e: String) {
        self.replanning = false;
        self.failure = Some(format!("planning the retry failed: {e}"));
    }

    /// Changes applied over every attempt.
    pub fn applied(&self) -> usize {
        self.done_before + done_count(&self.statuses)
    }
}

impl Screen for ApplyStep {
    /// Something is in flight on this step.
    fn busy(&self) -> bool {
        self.running || self.replanning
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        if self.busy() {
            return vec![];
        }
        vec![hint(Action::Retry, "retry"), hint(Action::Quit, "quit")]
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let w = area.width as usize;
        let (title, sub) = if self.failure.is_some() {
            (
                "Apply stopped",
                format!(
                    "AWS account {} and {}: some changes were not made.",
                    self.account, self.host
                ),
            )
        } else {
            (
                "Applying",
                format!(
                    "AWS account {} and {}: quitting waits until this ends.",
                    self.account, self.host
                ),
            )
        };
        let intro = intro(title, &sub, t, w);
        let mut tail = vec![Line::raw(format!(
            "{} of {} done.",
            done_count(&self.statuses),
            crate::core::text::counted(self.statuses.len(), "change", "changes")
        ))];
        if let Some(e) = &self.failure {
            // A failed change shows its own error; anything else (the journal) is said here.
            if !self.statuses.iter().any(|s| matches!(s, Status::Failed(_))) {
                tail.extend(paragraph(e, t.error(), w, 0));
            }
            tail.extend(paragraph(
                &crate::core::text::hints_for(v.cx.demo, "r retries: it plans again and applies what is left (the journal resumes). q quits: the journal keeps what was done ('tfc-oidc undo' reverts it)."),
                Style::default(),
                w,
                0,
            ));
        }
        let [body, bottom] = draw_intro(frame, area, intro, tail.len() as u16);
        if self.replanning {
            frame.render_widget(
                Paragraph::new(loading(
                    "Planning again: reading what is in place now…",
                    v.spinner,
                    t,
                )),
                body,
            );
            return;
        }
        let (all, focus) = lines(&self.summaries, &self.statuses, v.spinner, t, w);
        let page = body.height as usize;
        let offset = focus
            .saturating_sub(page / 2)
            .min(all.len().saturating_sub(page));
        frame.render_widget(
            Paragraph::new(all.into_iter().skip(offset).take(page).collect::<Vec<_>>()),
            body,
        );
        frame.render_widget(Paragraph::new(tail), bottom);
    }

    /// Applies the reviewed plan (an empty one goes straight to Done; none stays on Review).
    fn arrive(app: &mut App) -> Vec<Effect> {
        match app.review.plan.clone() {
            Some(plan) if plan.is_empty() => app.finish(plan),
            Some(plan) => app.apply.start(plan),
            None => {
                app.step = Step::Review;
                vec![]
            }
        }
    }
}
