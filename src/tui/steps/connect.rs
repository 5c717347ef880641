//! Step 1: find the HCP Terraform token and show whose it is; ask STS who the AWS credentials
//! belong to. No token → a masked prompt explaining how to get one. Failures say what to do.
//! Once both sides answered, the screen offers the three tasks (set up, migrate, review): the
//! choice sits here, beside who you are, so no step is added and Enter keeps meaning setup.

use crate::core::ports::{CallerIdentity, IamError, TfcError};
use crate::tfc::ApiToken;
use crate::tui::connector::ConnectError;
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::msg::ConnectReport;
use crate::tui::steps::Screen;
use crate::tui::steps::{Reaction, Task, ViewCtx};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{heading, loading, paragraph, problem, problem_at, wrapped};
use crate::tui::widgets::text_input::TextInput;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Where connecting stands.
#[derive(Debug, Clone)]
pub enum Status {
    Connecting,
    /// No usable token: the prompt is shown, with why.
    NeedToken {
        problem: Option<String>,
    },
    /// Both sides answered (successfully or not).
    Checked(Box<ConnectReport>),
    /// The clients could not even be built.
    Failed(String),
}

/// The connect step's state.
#[derive(Debug, Clone)]
pub struct ConnectStep {
    pub status: Status,
    host: String,
    token: TextInput,
    /// A token typed into the prompt, reused on retry.
    typed: Option<ApiToken>,
    /// The last report, still shown while a new token is asked for.
    last: Option<Box<ConnectReport>>,
    /// The task highlighted in the menu (index in [`Task::ALL`]).
    task: usize,
}

impl ConnectStep {
    /// A connect step for `host`, about to connect.
    pub fn new(host: &str) -> ConnectStep {
        ConnectStep {
            status: Status::Connecting,
            host: host.to_string(),
            token: TextInput::masked(),
            typed: None,
            last: None,
            task: 0,
        }
    }

    /// The task highlighted in the menu (setup unless moved).
    pub fn task(&self) -> Task {
        Task::ALL[self.task]
    }

    /// Highlights `task` in the menu.
    pub fn set_task(&mut self, task: Task) {
        self.task = Task::ALL.iter().position(|t| *t == task).unwrap_or(0);
    }

    /// The first effect of the wizard.
    pub fn start(&mut self) -> Effect {
        self.status = Status::Connecting;
        Effect::Connect {
            token: self.typed.clone(),
        }
    }

    /// Both sides answered: the wizard may go on.
    pub fn connected(&self) -> Option<&ConnectReport> {
        match &self.status {
            Status::Checked(r) if r.user.is_ok() && r.caller.is_ok() => Some(r),
            _ => None,
        }
    }

    /// The AWS identity, once connected.
    pub fn caller(&self) -> Option<&CallerIdentity> {
        self.connected().and_then(|r| r.caller.as_ref().ok())
    }

    /// The connect effect answered.
    pub fn on_result(&mut self, result: Result<ConnectReport, ConnectError>) {
        self.status = match result {
            Ok(report) => {
                if let Err(TfcError::Unauthorized { host }) = &report.user {
                    let why = format!(
                        "HCP Terraform rejected the token from {} for {host} (401).",
                        report.token_source
                    );
                    self.typed = None;
                    self.last = Some(Box::new(report));
                    self.token.set(String::new());
                    Status::NeedToken { problem: Some(why) }
                } else {
                    self.last = None;
                    Status::Checked(Box::new(report))
                }
            }
            Err(ConnectError::NoToken { .. }) => Status::NeedToken { problem: None },
            Err(ConnectError::Token(e)) => Status::NeedToken { problem: Some(e) },
            Err(e) => Status::Failed(e.to_string()),
        };
    }

    /// No token (or a rejected one): where one was looked for, where to make one, the field.
    fn token_lines(
        &self,
        why: Option<&str>,
        frame: &mut Frame,
        area: Rect,
        v: &ViewCtx,
        lines: &mut Vec<Line<'static>>,
    ) {
        let (t, w) = (v.theme, area.width as usize);
        if let Some(report) = &self.last {
            lines.extend(aws_lines(&report.caller, v, w));
            lines.push(Line::raw(""));
        }
        if let Some(why) = why {
            lines.extend(problem(why, "", t, w));
        } else {
            lines.extend(paragraph(
                &format!("No HCP Terraform token found for {}.", self.host),
                t.warn(),
                w,
                0,
            ));
            lines.extend(paragraph(
                &format!("Looked in TFE_TOKEN, TF_TOKEN_{} and the credentials file of 'terraform login'.", self.host.replace('-', "__").replace('.', "_")),
                t.dim(),
                w,
                0,
            ));
        }
        lines.push(Line::raw(""));
        lines.extend(paragraph(
            &format!(
                "Create a user or team API token at https://{}/app/settings/tokens (or run 'terraform login {}' and restart), then paste it here. It is kept for this session only, never stored.",
                self.host, self.host
            ),
            Style::default(),
            w,
            0,
        ));
        lines.push(Line::raw(""));
        let (field, cursor) = self.token.render(w.saturating_sub(8).min(60), true, t);
        if let Some(x) = cursor {
            frame.set_cursor_position((area.x + 7 + x, area.y + lines.len() as u16));
        }
        let mut spans = vec![Span::styled("Token: ", t.bold())];
        spans.extend(field.spans);
        lines.push(Line::from(spans));
    }

    /// The tasks the wizard offers once both sides answered.
    fn task_lines(&self, t: Theme, w: usize) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        lines.push(Line::styled("What would you like to do?", t.bold()));
        for (i, task) in Task::ALL.iter().enumerate() {
            let (marker, style) = if i == self.task {
                (" › ", t.selected().patch(t.bold()))
            } else {
                ("   ", Style::default())
            };
            lines.push(Line::from(vec![
                Span::raw(marker),
                Span::styled(task.label().to_string(), style),
            ]));
            lines.extend(paragraph(task.blurb(), t.dim(), w, 5));
        }
        lines.push(Line::raw(""));
        lines.extend(paragraph(
            "Nothing changes until you confirm a plan on the Review step.",
            t.dim(),
            w,
            0,
        ));
        lines
    }
}

fn tfc_lines(report: &ConnectReport, v: &ViewCtx, w: usize) -> Vec<Line<'static>> {
    let t = v.theme;
    let mut lines = vec![Line::from(vec![
        Span::styled("HCP Terraform  ", t.bold()),
        Span::raw(report.host.clone()),
    ])];
    match &report.user {
        Ok(user) => {
            let kind = if user.is_service_account {
                " (service account)"
            } else {
                ""
            };
            lines.push(Line::from(vec![
                Span::styled("  ✓ ", t.ok()),
                Span::raw(format!("signed in as {}{kind}", user.username)),
            ]));
            lines.push(Line::styled(
                format!("    token from {}", report.token_source),
                t.dim(),
            ));
        }
        Err(e) => {
            let advice = match e {
                TfcError::Transport { .. } => {
                    "Check the network and proxy settings, and the host (--hostname, TFE_HOSTNAME, TFE_ADDRESS)."
                }
                TfcError::Unauthorized { .. } => "Run 'terraform login', or set TFE_TOKEN, then retry.",
                _ => "",
            };
            lines.extend(problem_at(2, &e.to_string(), advice, t, w));
        }
    }
    lines
}

fn aws_lines(
    caller: &Result<CallerIdentity, IamError>,
    v: &ViewCtx,
    w: usize,
) -> Vec<Line<'static>> {
    let t = v.theme;
    let mut lines = vec![Line::styled("AWS", t.bold())];
    match caller {
        Ok(c) => {
            lines.push(Line::from(vec![
                Span::styled("  ✓ ", t.ok()),
                Span::raw(format!("account {}", c.account)),
            ]));
            lines.extend(wrapped(Span::raw("    "), &c.arn, t.dim(), w));
        }
        Err(e) => {
            let advice = match e {
                IamError::Credentials(_) => "",
                IamError::AccessDenied(_) => {
                    "The credentials may not call sts:GetCallerIdentity; check the profile."
                }
                _ => "Check the AWS profile (--profile) and region.",
            };
            lines.extend(problem_at(2, &e.to_string(), advice, t, w));
        }
    }
    lines
}

impl Screen for ConnectStep {
    /// Something is in flight on this step.
    fn busy(&self) -> bool {
        matches!(self.status, Status::Connecting)
    }

    /// A text field has the focus.
    fn text_mode(&self) -> bool {
        matches!(self.status, Status::NeedToken { .. })
    }

    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        match (&self.status, input) {
            (Status::NeedToken { .. }, Input::Edit(key)) => {
                self.token.handle(&key);
                Reaction::stay()
            }
            (Status::NeedToken { .. }, Input::Action(Action::Accept)) => {
                match ApiToken::new(self.token.value()) {
                    Ok(token) => {
                        self.typed = Some(token);
                        self.token.set(String::new());
                        Reaction::effect(self.start())
                    }
                    Err(e) => Reaction::refuse(format!("{e}: paste the token, then press Enter")),
                }
            }
            (Status::Checked(_), Input::Action(Action::Accept)) if self.connected().is_some() => {
                Reaction::next()
            }
            (Status::Checked(_), Input::Action(Action::Up)) if self.connected().is_some() => {
                self.task = self.task.saturating_sub(1);
                Reaction::stay()
            }
            (Status::Checked(_), Input::Action(Action::Down)) if self.connected().is_some() => {
                self.task = (self.task + 1).min(Task::ALL.len() - 1);
                Reaction::stay()
            }
            (
                Status::Checked(_) | Status::Failed(_),
                Input::Action(Action::Retry | Action::Accept),
            ) => Reaction::effect(self.start()),
            _ => Reaction::stay(),
        }
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        match &self.status {
            Status::Connecting => vec![],
            Status::NeedToken { .. } => vec![hint(Action::Accept, "connect")],
            Status::Checked(_) if self.connected().is_some() => {
                vec![
                    hints2(Action::Up, Action::Down, "choose"),
                    hint(Action::Accept, "continue"),
                ]
            }
            _ => vec![hint(Action::Retry, "retry")],
        }
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let w = area.width as usize;
        let mut lines = vec![
            heading("Connect to HCP Terraform and AWS", t),
            Line::raw(""),
        ];
        match &self.status {
            Status::Connecting => lines.push(loading(
                &format!("Connecting to {} and asking AWS who you are…", self.host),
                v.spinner,
                t,
            )),
            Status::Failed(e) => lines.extend(problem(e, "Press r to retry.", t, w)),
            Status::NeedToken { problem: why } => {
                self.token_lines(why.as_deref(), frame, area, v, &mut lines)
            }
            Status::Checked(report) => {
                lines.extend(tfc_lines(report, v, w));
                lines.push(Line::raw(""));
                lines.extend(aws_lines(&report.caller, v, w));
                lines.push(Line::raw(""));
                if self.connected().is_some() {
                    lines.extend(self.task_lines(t, w));
                } else {
                    lines.extend(paragraph(
                        "Fix the problem above, then press r to try again.",
                        Style::default(),
                        w,
                        0,
                    ));
                }
            }
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}
