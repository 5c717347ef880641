//! The review path's screen: a progress line while the organization and the AWS account are
//! read, then the findings of [`crate::core::review::assess`] (the CLI's review) as a list (severity in colour,
//! `s` cycles a severity filter) over a detail pane (resource, detail, fix, and the decisive
//! trust statement). For a finding setup or migrate can fix, `f` starts that path with the
//! finding's workspace chosen (the app does the switch; [`FindingsStep::fix`] says what).

use crate::core::inventory::{InventoryError, ReadProgress};
use crate::core::review::{Assessment, Finding, FindingId, ResourceRef, Severity, Summary};
use crate::core::text::counted;
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::steps::Screen;
use crate::tui::steps::{Navigation, Reaction, Task, ViewCtx};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{intro, loading, problem, wrapped};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What `f` on a finding starts: the path, and what to choose on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixRequest {
    pub task: Task,
    pub target: FixTarget,
}

/// What a fix is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixTarget {
    /// One workspace, with its project.
    Workspace { project: String, workspace: String },
    /// Every workspace a variable set holding keys gives them to (by the set's id).
    VariableSet { id: String },
}

/// The findings step's state.
#[derive(Debug, Clone, Default)]
pub struct FindingsStep {
    pub reading: bool,
    pub progress: Option<ReadProgress>,
    pub error: Option<String>,
    pub findings: Vec<Finding>,
    summary: Option<Summary>,
    /// Customer-managed policies TFCOIDC010 could not read (so did not check).
    unchecked: usize,
    /// Only findings of this severity are listed (`None`: all).
    pub filter: Option<Severity>,
    /// The highlighted finding, as an index into the filtered list.
    pub cursor: usize,
    /// The organization the findings are about (reading again only when it changes).
    read_for: Option<String>,
    /// `v` on a workspace's finding: a plan-only run proving (or not) that it authenticates.
    pub verify: crate::tui::steps::verify_status::VerifyState,
}

impl FindingsStep {
    /// Whether `org` must be read (it was not yet, or another organization was).
    pub fn needs_read(&self, org: &str) -> bool {
        self.read_for.as_deref() != Some(org) || self.error.is_some()
    }

    /// Reading `org` started.
    pub fn start(&mut self, org: &str) {
        *self = FindingsStep {
            reading: true,
            read_for: Some(org.to_string()),
            ..FindingsStep::default()
        };
    }

    /// How far the read has got.
    pub fn on_progress(&mut self, p: ReadProgress) {
        if self.reading {
            self.progress = Some(p);
        }
    }

    /// The read ended, reviewed as the CLI's `review` reviews it.
    pub fn on_read(&mut self, result: Result<Box<Assessment>, InventoryError>) {
        self.reading = false;
        match result {
            Ok(assessment) => {
                let Assessment {
                    findings,
                    summary,
                    unchecked,
                } = *assessment;
                self.findings = findings;
                self.summary = Some(summary);
                self.unchecked = unchecked;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// The findings the filter lets through.
    pub fn visible(&self) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| self.filter.is_none_or(|s| f.severity == s))
            .collect()
    }

    /// The highlighted finding.
    pub fn selected(&self) -> Option<&Finding> {
        self.visible().get(self.cursor).copied()
    }

    /// What `f` would start for the highlighted finding, if setup or migrate can fix it.
    pub fn fix(&self) -> Option<FixRequest> {
        let f = self.selected()?;
        let task = match f.id {
            FindingId::StaticKeys | FindingId::KeysAndOidc => Task::Migrate,
            FindingId::NoRoleArn | FindingId::RoleRefusesRun => Task::Setup,
            _ => return None,
        };
        let target = match &f.resource_ref {
            ResourceRef::Workspace {
                project, workspace, ..
            } => FixTarget::Workspace {
                project: project.clone(),
                workspace: workspace.clone(),
            },
            ResourceRef::VariableSet { id, .. } if task == Task::Migrate => {
                FixTarget::VariableSet { id: id.clone() }
            }
            _ => return None,
        };
        Some(FixRequest { task, target })
    }

    fn next_filter(&mut self) {
        self.filter = match self.filter {
            None => Some(Severity::Critical),
            Some(Severity::Critical) => Some(Severity::High),
            Some(Severity::High) => Some(Severity::Medium),
            Some(Severity::Medium) => Some(Severity::Low),
            Some(Severity::Low) => None,
        };
        self.cursor = 0;
    }

    /// The workspace `v` verifies: the highlighted finding's, when it is about one.
    fn verify_target(&self) -> Option<(String, String)> {
        match &self.selected()?.resource_ref {
            ResourceRef::Workspace {
                organization,
                workspace,
                ..
            } => Some((organization.clone(), workspace.clone())),
            _ => None,
        }
    }

    fn summary_line(&self, t: Theme) -> Line<'static> {
        let Some(s) = &self.summary else {
            return Line::raw("");
        };
        let mut spans = Vec::new();
        for (i, sev) in Severity::DESCENDING.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", t.dim()));
            }
            let text = format!("{} {}", s.count(*sev), sev.as_str());
            let style = if self.filter.is_none_or(|f| f == *sev) {
                severity_style(*sev, t)
            } else {
                t.dim()
            };
            spans.push(Span::styled(text, style));
        }
        let roles = s.roles.map_or(String::new(), |r| {
            format!(", {}", counted(r, "role", "roles"))
        });
        let unchecked = match self.unchecked {
            0 => String::new(),
            n => format!("; {} unreadable", counted(n, "policy", "policies")),
        };
        spans.push(Span::styled(
            format!(
                "  (read {}, {}{roles}{unchecked})",
                counted(s.workspaces, "workspace", "workspaces"),
                counted(s.variable_sets, "set", "sets")
            ),
            t.dim(),
        ));
        Line::from(spans)
    }

    fn row(&self, f: &Finding, highlighted: bool, w: usize, t: Theme) -> Line<'static> {
        let marker = if highlighted { " › " } else { "   " };
        let sev = format!("{:<9}", f.severity.as_str());
        let code = format!("{} ", f.id.code());
        // The organization is in the heading and the ARN in the detail pane: the list names
        // the resource short, then as much of the title as fits.
        let short = match &f.resource_ref {
            ResourceRef::Workspace { workspace, .. } => workspace.clone(),
            ResourceRef::VariableSet { name, .. } => format!("set {name}"),
            ResourceRef::Role { name, .. } => format!("role {name}"),
        };
        let short: String = short.chars().take(24).collect();
        let used = 3 + 9 + code.chars().count() + 26;
        let room = w.saturating_sub(used);
        let mut title: String = f.title.chars().take(room).collect();
        if f.title.chars().count() > room && room > 0 {
            title.pop();
            title.push('…');
        }
        let name = if highlighted {
            t.selected()
        } else {
            Style::default()
        };
        Line::from(vec![
            Span::raw(marker),
            Span::styled(sev, severity_style(f.severity, t)),
            Span::styled(code, t.dim()),
            Span::styled(format!("{short:<24}  "), name),
            Span::styled(title, t.dim()),
        ])
    }

    fn detail_lines(&self, f: &Finding, w: usize, t: Theme) -> Vec<Line<'static>> {
        let mut out = vec![Line::styled("─".repeat(w), t.dim())];
        out.extend(wrapped(
            Span::styled(format!("{} ", f.id.code()), severity_style(f.severity, t)),
            f.title,
            t.bold(),
            w,
        ));
        let kind = match &f.resource_ref {
            ResourceRef::Workspace { .. } => "workspace ",
            ResourceRef::VariableSet { .. } => "set       ",
            ResourceRef::Role { .. } => "role      ",
        };
        out.extend(wrapped(
            Span::styled(kind, t.dim()),
            &f.resource,
            Style::default(),
            w,
        ));
        out.extend(wrapped(
            Span::styled("detail    ", t.dim()),
            &f.detail,
            Style::default(),
            w,
        ));
        if let Some(i) = f.statement {
            out.push(Line::from(vec![
                Span::styled("statement ", t.dim()),
                Span::raw(format!("{} of the trust policy decides", i + 1)),
            ]));
        }
        out.extend(wrapped(
            Span::styled("fix       ", t.dim()),
            &f.fix,
            t.ok(),
            w,
        ));
        out
    }

    /// The read in progress: how many calls of how many, as a bar.
    fn reading_lines(&self, title: &str, v: &ViewCtx, w: usize) -> Vec<Line<'static>> {
        let t = v.theme;
        let mut lines = intro(
            title,
            "Reading every workspace, variable set and role trusting HCP Terraform.",
            t,
            w,
        );
        let text = match self.progress {
            Some(p) if p.total > 0 => format!("Reading… {} of {} calls", p.done, p.total),
            _ => "Reading…".to_string(),
        };
        lines.push(loading(&text, v.spinner, t));
        if let Some(p) = self.progress.filter(|p| p.total > 0) {
            let room = w.saturating_sub(2).min(60);
            let filled = (room * p.done.min(p.total)) / p.total;
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled("█".repeat(filled), t.accent()),
                Span::styled("░".repeat(room - filled), t.dim()),
            ]));
        }
        lines
    }

    /// The visible findings from the one scrolled to, in `rows` rows.
    fn list_lines(
        &self,
        visible: &[&Finding],
        rows: usize,
        w: usize,
        t: Theme,
    ) -> Vec<Line<'static>> {
        // When the list does not fit, its last row says how many follow, and the highlighted
        // finding stays within the rows above it.
        let total = visible.len();
        let room = if total > rows {
            rows.saturating_sub(1).max(1)
        } else {
            rows
        };
        let first = self.cursor.saturating_sub(room - 1);
        let mut lines: Vec<Line> = visible
            .iter()
            .enumerate()
            .skip(first)
            .take(room)
            .map(|(i, f)| self.row(f, i == self.cursor, w, t))
            .collect();
        let below = total.saturating_sub(first + room);
        if below > 0 {
            lines.push(Line::styled(format!("   ↓ {below} more"), t.accent()));
        }
        lines
    }
}

/// The colour of a severity.
fn severity_style(s: Severity, t: Theme) -> Style {
    match s {
        Severity::Critical => t.error().patch(t.bold()),
        Severity::High => t.error(),
        Severity::Medium => t.warn(),
        Severity::Low => t.dim(),
    }
}

impl Screen for FindingsStep {
    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        let Input::Action(action) = input else {
            return Reaction::stay();
        };
        let count = self.visible().len();
        match action {
            Action::Back => return Reaction::back(),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(count.saturating_sub(1)),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(5),
            Action::PageDown => self.cursor = (self.cursor + 5).min(count.saturating_sub(1)),
            Action::Severity if !self.reading => self.next_filter(),
            Action::Retry if !self.reading => {
                let org = self.read_for.clone().unwrap_or_default();
                self.start(&org);
                return Reaction::effect(crate::tui::effects::Effect::ReadInventory { org });
            }
            Action::Fix => {
                return match self.fix() {
                    Some(fix) => Reaction {
                        flow: Navigation::Start(fix.task),
                        ..Reaction::stay()
                    },
                    None if self.selected().is_some() => Reaction::refuse(
                        "The wizard cannot fix this finding: its fix says what to do",
                    ),
                    None => Reaction::stay(),
                }
            }
            Action::Verify if !self.reading => {
                return match self.verify_target() {
                    Some((org, ws)) => self.verify.start(org, ws),
                    None => Reaction::refuse("Verify works on a workspace's finding"),
                }
            }
            Action::Accept if self.reading => return Reaction::info("Still reading…"),
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        if self.reading {
            return vec![hint(Action::Back, "back")];
        }
        if self.error.is_some() {
            return vec![
                hint(Action::Retry, "read again"),
                hint(Action::Back, "back"),
            ];
        }
        let mut h = vec![
            hints2(Action::Up, Action::Down, "move"),
            hint(Action::Severity, "severity"),
        ];
        match self.fix().map(|f| f.task) {
            Some(Task::Migrate) => h.push(hint(Action::Fix, "migrate it")),
            Some(_) => h.push(hint(Action::Fix, "set it up")),
            None => {}
        }
        if !self.verify.running() && self.verify_target().is_some() {
            h.push(hint(Action::Verify, "verify"));
        }
        h.push(hint(Action::Retry, "read again"));
        h.push(hint(Action::Back, "back"));
        h
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let w = area.width as usize;
        let title = format!("What is wrong in {}?", v.cx.organization);
        if self.reading {
            frame.render_widget(Paragraph::new(self.reading_lines(&title, v, w)), area);
            return;
        }
        if let Some(e) = &self.error {
            let mut lines = intro(&title, "", t, w);
            lines.extend(problem(
                e,
                "Press Esc to go back, then Enter to read again.",
                t,
                w,
            ));
            frame.render_widget(Paragraph::new(lines), area);
            return;
        }
        let visible = self.visible();
        let mut detail = self
            .selected()
            .map(|f| self.detail_lines(f, w, t))
            .unwrap_or_default();
        detail.extend(self.verify.lines(w, t, v.spinner, v.cx.demo));
        let list_rows = area.height.saturating_sub(2 + detail.len() as u16).max(3);
        let [top, list, pane] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(list_rows),
            Constraint::Fill(1),
        ])
        .areas(area);
        let head = Line::from(vec![
            Span::styled(title, t.bold()),
            Span::styled(
                match self.filter {
                    Some(s) => format!("  ({} only: s for the next)", s.as_str()),
                    None => String::new(),
                },
                t.dim(),
            ),
        ]);
        frame.render_widget(Paragraph::new(vec![head, self.summary_line(t)]), top);
        if visible.is_empty() {
            let text = if self.findings.is_empty() {
                "✓ Nothing to report: no finding in this organization."
            } else {
                "No finding of this severity: press s for the next."
            };
            frame.render_widget(Paragraph::new(Line::styled(text, t.ok())), list);
            return;
        }
        let lines = self.list_lines(&visible, list.height as usize, w, t);
        frame.render_widget(Paragraph::new(lines), list);
        frame.render_widget(Paragraph::new(detail), pane);
    }

    fn busy(&self) -> bool {
        self.reading
    }

    /// Reads the organization, unless its findings are already there.
    fn arrive(app: &mut App) -> Vec<Effect> {
        let org = app.context().organization;
        if !app.findings.needs_read(&org) {
            return vec![];
        }
        app.findings.start(&org);
        vec![Effect::ReadInventory { org }]
    }
}

#[cfg(test)]
mod tests;
