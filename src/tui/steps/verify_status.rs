//! The live status of a verification (`v`): a plan-only run queued on a workspace, followed to
//! its verdict. Shown on the Done screen and on the review's findings screen.

use crate::core::text::hints_for;
use crate::core::verify::{VerifyEvent, VerifyReport};
use crate::tui::effects::Effect;
use crate::tui::msg::VerifyUpdate;
use crate::tui::steps::Reaction;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{paragraph, wrapped};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Where `v` (verify) is.
#[derive(Debug, Clone, Default)]
pub enum VerifyState {
    #[default]
    Idle,
    Running {
        workspace: String,
        run: Option<String>,
        status: Option<String>,
    },
    Done(Box<VerifyReport>),
    Failed {
        workspace: String,
        error: String,
    },
}

impl VerifyState {
    /// A verification is in flight.
    pub fn running(&self) -> bool {
        matches!(self, VerifyState::Running { .. })
    }

    /// Starts verifying `workspace` of `org`, unless one runs already.
    pub fn start(&mut self, org: String, workspace: String) -> Reaction {
        if self.running() {
            return Reaction::refuse("A verification is already running");
        }
        *self = VerifyState::Running {
            workspace: workspace.clone(),
            run: None,
            status: None,
        };
        Reaction::effect(Effect::Verify { org, workspace })
    }

    /// News from the verification.
    pub fn on_update(&mut self, update: VerifyUpdate) {
        match (update, &mut *self) {
            (VerifyUpdate::Event(e), VerifyState::Running { run, status, .. }) => match e {
                VerifyEvent::Queued(r) => *run = Some(r.id),
                VerifyEvent::Status { status: s, .. } => *status = Some(s),
                VerifyEvent::ReadingLog => *status = Some("reading the plan log".into()),
            },
            (VerifyUpdate::Done(Ok(report)), _) => *self = VerifyState::Done(report),
            (VerifyUpdate::Done(Err(error)), VerifyState::Running { workspace, .. }) => {
                let workspace = workspace.clone();
                let error = error.to_string();
                *self = VerifyState::Failed { workspace, error };
            }
            _ => {}
        }
    }

    /// The live status line (and what follows it) of the verification; with `demo`, suggested
    /// commands carry `--demo`.
    pub fn lines(&self, w: usize, t: Theme, spinner: &str, demo: bool) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        match self {
            VerifyState::Idle => return out,
            VerifyState::Running {
                workspace,
                run,
                status,
            } => {
                let mut text = format!(
                    "{spinner} Verifying workspace {workspace}: {}",
                    status.as_deref().unwrap_or("queueing a plan-only run")
                );
                if let Some(run) = run {
                    text.push_str(&format!(" · {run}"));
                }
                out.extend(paragraph(&text, t.accent(), w, 0));
            }
            VerifyState::Done(r) if r.authenticated => {
                let role = r.role_arn.as_deref().and_then(|a| a.rsplit('/').next());
                let text = format!(
                    "✓ Verified: the plan phase of {} assumed {} through OIDC.",
                    r.workspace,
                    role.unwrap_or("the role")
                );
                out.extend(paragraph(&text, t.ok(), w, 0));
                if let Some(run) = &r.run {
                    out.extend(wrapped(Span::raw("  "), &run.url, Style::default(), w));
                }
            }
            VerifyState::Done(r) => {
                let why = r.cause().map_or_else(
                    || "see 'tfc-oidc verify'".to_string(),
                    |c| c.summary.clone(),
                );
                let text = format!("✗ {} did not authenticate: {why}", r.workspace);
                out.extend(paragraph(&hints_for(demo, &text), t.warn(), w, 0));
                if let Some(fix) = r.cause().and_then(|c| c.fix.clone()) {
                    let fix = hints_for(demo, &fix);
                    out.extend(wrapped(Span::raw("  fix: "), &fix, Style::default(), w));
                }
                if let Some(run) = &r.run {
                    out.extend(wrapped(Span::raw("  "), &run.url, Style::default(), w));
                }
            }
            VerifyState::Failed { workspace, error } => {
                let text = format!("✗ Could not verify {workspace}: {error}");
                out.extend(paragraph(&text, t.warn(), w, 0));
            }
        }
        out
    }
}
