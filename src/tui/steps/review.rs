//! Step 7: the plan as a diff, grouped AWS / HCP Terraform, with the exact trust policy JSON a
//! key away. Planning runs as an effect; nothing has been written yet, and leaving changes nothing.
//! A plan that takes something away applies only after a typed `yes` (see [`super::review_confirm`]).
//! When the plan creates an OIDC provider that broad roles already trust (they become assumable
//! again), Enter applies only once Space has acknowledged them: the wizard's
//! `--allow-dormant-trust`.

use crate::core::error::PlanError;
use crate::core::plan::{Change, DormantRole, Plan};
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::steps::review_confirm::{removal_text, DeleteConfirm};
use crate::tui::steps::Screen;
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::theme::Theme;
use crate::tui::widgets::plan_diff::{plan_lines, trust_lines};
use crate::tui::widgets::text::{heading, loading, page_of, paragraph, problem};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The review step's state.
#[derive(Debug, Clone, Default)]
pub struct ReviewStep {
    pub planning: bool,
    pub plan: Option<Plan>,
    pub error: Option<(String, bool)>,
    scroll: usize,
    pub show_trust: bool,
    /// The typed `yes` a plan that removes something needs before it applies.
    pub confirm: DeleteConfirm,
    /// Space acknowledged the broad roles the plan's new provider makes assumable again.
    pub dormant_acknowledged: bool,
}

/// The broad roles (any organization, or administrator permissions for several workspaces)
/// that creating the plan's provider makes assumable again.
pub fn broad_dormant_roles(plan: &Plan) -> Vec<&DormantRole> {
    let created = plan.changes.iter().filter_map(|c| match &c.change {
        Change::CreateOidcProvider(p) => Some(&p.dormant_roles),
        _ => None,
    });
    created.flatten().filter(|r| r.broad).collect()
}

/// The warning above the plan, and whether it has been acknowledged.
fn dormant_lines(
    roles: &[&DormantRole],
    acknowledged: bool,
    theme: crate::tui::theme::Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = paragraph(
        "Creating the OIDC provider makes these roles assumable again, and they admit too much (any organization, or administrator permissions for several workspaces):",
        theme.error(),
        width,
        0,
    );
    for role in roles {
        lines.extend(paragraph(
            &format!("· {}", role.label()),
            theme.error(),
            width,
            2,
        ));
    }
    let mark = if acknowledged {
        "[x] acknowledged: Enter applies"
    } else {
        "[ ] Space acknowledges the risk; Enter applies only then"
    };
    lines.push(Line::styled(format!("  {mark}"), theme.warn()));
    lines.push(Line::raw(""));
    lines
}

/// Rows above the scrolled text.
const INTRO: u16 = 3;

impl ReviewStep {
    /// A plan is being computed.
    pub fn start(&mut self) {
        *self = ReviewStep {
            planning: true,
            ..ReviewStep::default()
        };
    }

    /// The plan arrived (or failed).
    pub fn on_planned(&mut self, result: Result<Plan, PlanError>) {
        self.on_plan(result.map_err(|e| (e.to_string(), e.is_usage())));
    }

    /// A plan arrived, or an error: its message and whether it is the user's input.
    pub fn on_plan(&mut self, result: Result<Plan, (String, bool)>) {
        self.planning = false;
        match result {
            Ok(plan) => self.plan = Some(plan),
            Err(e) => self.error = Some(e),
        }
    }

    /// What the plan takes away, when it takes anything.
    fn removals(&self) -> Option<String> {
        self.plan.as_ref().and_then(removal_text)
    }

    /// The lines under the plan of one that removes something: what it removes, then how to
    /// apply it (or the field for the `yes`, with the cursor's column).
    fn removal_lines(&self, width: usize, t: Theme) -> (Vec<Line<'static>>, Option<u16>) {
        let Some(text) = self.removals() else {
            return (Vec::new(), None);
        };
        let mut lines = vec![Line::raw("")];
        lines.extend(paragraph(&text, t.warn(), width, 0));
        if self.confirm.open {
            let (line, column) = self.confirm.line(width, t);
            lines.push(line);
            return (lines, Some(column));
        }
        let how = "Enter asks you to type yes; only yes applies.";
        lines.push(Line::styled(how, t.warn()));
        (lines, None)
    }

    fn lines(&self, v_width: usize, theme: Theme) -> Vec<Line<'static>> {
        match &self.plan {
            Some(plan) if self.show_trust => trust_lines(plan, theme, v_width),
            Some(plan) => {
                let broad = broad_dormant_roles(plan);
                let mut lines = Vec::new();
                if !broad.is_empty() {
                    lines = dormant_lines(&broad, self.dormant_acknowledged, theme, v_width);
                }
                lines.extend(plan_lines(plan, theme, v_width));
                lines
            }
            None => Vec::new(),
        }
    }

    /// Whether Enter must wait for Space: broad roles become assumable and nobody said yes.
    fn needs_acknowledgement(&self) -> bool {
        let broad = self.plan.as_ref().map(broad_dormant_roles);
        broad.is_some_and(|b| !b.is_empty()) && !self.dormant_acknowledged
    }
}

impl Screen for ReviewStep {
    /// A text field has the focus (the typed `yes`).
    fn text_mode(&self) -> bool {
        self.confirm.open
    }

    /// `body` is the size of the step's area, to keep scrolling within the text.
    fn handle(&mut self, input: Input, body: (u16, u16)) -> Reaction {
        // The plan still scrolls while the `yes` is typed, to read what it removes.
        let scrolls = matches!(
            input,
            Input::Action(Action::Up | Action::Down | Action::PageUp | Action::PageDown)
        );
        if self.confirm.open && !scrolls {
            return self.confirm.handle(input);
        }
        let Input::Action(action) = input else {
            return Reaction::stay();
        };
        let below = self.removal_lines(body.0 as usize, Theme::plain()).0.len() as u16;
        let page = body.1.saturating_sub(INTRO + below).max(1) as usize;
        let total = self.lines(body.0 as usize, Theme::plain()).len();
        let max = total.saturating_sub(page);
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(max),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll = (self.scroll + page).min(max),
            Action::TrustPolicy if self.plan.is_some() => {
                self.show_trust = !self.show_trust;
                self.scroll = 0;
            }
            Action::Back => return Reaction::back(),
            Action::Toggle if self.plan.as_ref().is_some_and(|p| !broad_dormant_roles(p).is_empty()) => {
                self.dormant_acknowledged = !self.dormant_acknowledged;
            }
            Action::Accept if self.planning => return Reaction::info("Still planning…"),
            Action::Accept if self.needs_acknowledgement() => {
                return Reaction::refuse(
                    "Roles that admit too much become assumable again: press Space to acknowledge, then Enter",
                )
            }
            Action::Accept if self.removals().is_some() => self.confirm.open(),
            Action::Accept if self.plan.is_some() => return Reaction::next(),
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        if self.confirm.open {
            return self.confirm.hints();
        }
        match (&self.plan, &self.error) {
            (Some(plan), _) => {
                let accept = if plan.is_empty() {
                    "finish"
                } else if self.removals().is_some() {
                    "apply (type yes)"
                } else {
                    "apply"
                };
                let trust = if self.show_trust {
                    "back to the plan"
                } else {
                    "trust policy"
                };
                let mut hints = vec![hint(Action::Accept, accept)];
                if !broad_dormant_roles(plan).is_empty() {
                    let ack = if self.dormant_acknowledged {
                        "withdraw"
                    } else {
                        "acknowledge"
                    };
                    hints.push(hint(Action::Toggle, ack));
                }
                hints.extend([
                    hint(Action::TrustPolicy, trust),
                    hints2(Action::Up, Action::Down, "scroll"),
                    hint(Action::Back, "back"),
                    hint(Action::Export, "export"),
                ]);
                hints
            }
            (None, Some(_)) => vec![hint(Action::Retry, "retry"), hint(Action::Back, "back")],
            _ => vec![hint(Action::Back, "back")],
        }
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let [top, body] =
            Layout::vertical([Constraint::Length(INTRO), Constraint::Fill(1)]).areas(area);
        let w = area.width as usize;
        let (title, sub) = match &self.plan {
            Some(p) if p.is_empty() => (
                "Review: nothing to change",
                "Everything is already in place. Enter shows the summary.",
            ),
            Some(_) if self.show_trust => (
                "Review: trust policy",
                "The exact documents written to IAM (t goes back to the plan).",
            ),
            Some(_) if self.needs_acknowledgement() => (
                "Review the plan",
                "Nothing written yet: press Space to acknowledge the roles below, then Enter.",
            ),
            Some(_) if self.removals().is_some() => (
                "Review the plan",
                "Nothing is written yet: Esc goes back and changes nothing.",
            ),
            Some(_) => (
                "Review the plan",
                "Nothing is written yet: Enter applies, Esc goes back and changes nothing.",
            ),
            None => ("Review the plan", "Nothing has been written yet."),
        };
        frame.render_widget(
            Paragraph::new(vec![heading(title, t), Line::styled(sub, t.dim())]),
            top,
        );
        if self.planning {
            let text = "Planning: reading AWS and HCP Terraform (nothing is written)…";
            frame.render_widget(Paragraph::new(loading(text, v.spinner, t)), body);
            return;
        }
        if let Some((error, usage)) = &self.error {
            let advice = if *usage {
                "Press Esc to go back and change the answer."
            } else {
                "Press r to plan again, or Esc to go back."
            };
            frame.render_widget(Paragraph::new(problem(error, advice, t, w)), body);
            return;
        }
        let (below, cursor) = self.removal_lines(w, t);
        let [body, bottom] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(below.len() as u16)])
                .areas(body);
        let lines = self.lines(w, t);
        let shown = page_of(lines, self.scroll, body.height as usize, t);
        frame.render_widget(Paragraph::new(shown), body);
        if let Some(column) = cursor {
            let row = bottom.y + bottom.height.saturating_sub(1);
            frame.set_cursor_position((bottom.x + column, row));
        }
        frame.render_widget(Paragraph::new(below), bottom);
    }

    fn busy(&self) -> bool {
        self.planning
    }

    /// Plans the answers (the run lock first).
    fn arrive(app: &mut App) -> Vec<Effect> {
        app.start_plan()
    }
}
