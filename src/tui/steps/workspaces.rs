//! Step 4: the workspaces to set up: several with Space, or every workspace of the project (one
//! `workspace:*` trust). Each row carries a badge of how the workspace reaches AWS today, from
//! the core's inventory of the project (`core::variables::access`).

use crate::core::answers::WorkspaceSelection;
use crate::core::inventory::InventoryError;
use crate::core::ports::{Stack, TfcError, Workspace};
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, pick_many_hints, Action, Hint, Input};
use crate::tui::msg::{Badge, KeyOrigin};
use crate::tui::steps::Screen;
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::theme::Theme;
use crate::tui::widgets::filter_list::{FilterList, ListEvent, Match};
use crate::tui::widgets::text::{draw_intro, intro, loading, problem};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::{BTreeSet, HashMap};

/// The first row of the list.
const EVERY: &str = "Every workspace in this project";

/// The workspaces step's state.
#[derive(Debug, Clone, Default)]
pub struct WorkspacesStep {
    /// Row 0 is [`EVERY`], row `i + 1` is `workspaces[i]`, then the Stacks: row
    /// `workspaces.len() + 1 + j` is `stacks[j]`.
    pub list: FilterList,
    workspaces: Vec<Workspace>,
    /// The project's Stacks, listed after its workspaces.
    stacks: Vec<Stack>,
    badges: HashMap<String, Badge>,
    loaded_for: Option<String>,
    org: String,
    project: String,
    pub loading: bool,
    error: Option<TfcError>,
    all: bool,
    selected: BTreeSet<usize>,
    pub chosen: Option<WorkspaceSelection>,
    /// A workspace to highlight when the list arrives (a review finding's).
    pub prefer: Option<String>,
}

impl WorkspacesStep {
    /// An empty list, waiting for a project.
    pub fn new() -> WorkspacesStep {
        let mut list = FilterList::new(false);
        list.set_uncounted(1);
        WorkspacesStep {
            list,
            ..WorkspacesStep::default()
        }
    }

    /// Shows the workspaces of the project, loading them unless they are already there.
    pub fn enter(&mut self, org: &str, project: &str, project_id: &str) -> Vec<Effect> {
        if self.loaded_for.as_deref() == Some(project_id) && self.error.is_none() {
            return vec![];
        }
        if self.loaded_for.as_deref() != Some(project_id) {
            let prefer = self.prefer.take();
            *self = WorkspacesStep::new();
            self.prefer = prefer;
        }
        self.loaded_for = Some(project_id.to_string());
        self.org = org.to_string();
        self.project = project.to_string();
        self.loading = true;
        self.error = None;
        vec![Effect::LoadWorkspaces {
            org: org.to_string(),
            project_id: project_id.to_string(),
        }]
    }

    /// The list arrived (or failed).
    pub fn on_loaded(
        &mut self,
        project_id: &str,
        result: Result<Vec<Workspace>, TfcError>,
    ) -> Vec<Effect> {
        if self.loaded_for.as_deref() != Some(project_id) {
            return vec![];
        }
        self.loading = false;
        match result {
            Ok(workspaces) => {
                let mut items = vec![EVERY.to_string()];
                items.extend(workspaces.iter().map(|w| w.name.clone()));
                items.extend(self.stacks.iter().map(|s| s.name.clone()));
                self.list.set_uncounted_tail(self.stacks.len());
                self.list.set_items(items);
                // The first workspace is the natural default; "every" when there is none.
                if !workspaces.is_empty() {
                    self.list.handle(&Input::Action(Action::Down));
                }
                if let Some(name) = self.prefer.take() {
                    self.list.highlight_text(&name);
                }
                self.workspaces = workspaces;
                vec![Effect::LoadBadges {
                    org: self.org.clone(),
                    project: self.project.clone(),
                    project_id: project_id.to_string(),
                }]
            }
            Err(e) => {
                self.error = Some(e);
                vec![]
            }
        }
    }

    /// The project's Stacks arrived (before its workspaces, so the list is built with them).
    pub fn on_stacks(&mut self, project_id: &str, stacks: Vec<Stack>) {
        if self.loaded_for.as_deref() == Some(project_id) {
            self.stacks = stacks;
        }
    }

    /// The Stack of a list row, if the row is one.
    fn stack_of(&self, row: usize) -> Option<&Stack> {
        row.checked_sub(self.workspaces.len() + 1)
            .and_then(|j| self.stacks.get(j))
    }

    /// How the project's workspaces reach AWS arrived: every listed workspace gets a badge (one
    /// the inventory did not see, or all when it could not be read, an unknown one).
    pub fn on_access(
        &mut self,
        project_id: &str,
        result: Result<Vec<(String, Badge)>, InventoryError>,
    ) {
        if self.loaded_for.as_deref() != Some(project_id) {
            return;
        }
        for ws in &self.workspaces {
            let badge = match &result {
                Ok(found) => match found.iter().find(|(id, _)| *id == ws.id) {
                    Some((_, badge)) => badge.clone(),
                    None => Badge::Unknown("not found when its variables were read".into()),
                },
                Err(e) => Badge::Unknown(e.to_string()),
            };
            self.badges.insert(ws.id.clone(), badge);
        }
    }

    /// Some badges are still loading.
    pub fn badges_pending(&self) -> bool {
        !self.loading && self.badges.len() < self.workspaces.len()
    }

    /// Every workspace name of the project.
    pub fn all_names(&self) -> Vec<String> {
        self.workspaces.iter().map(|w| w.name.clone()).collect()
    }

    /// The ids of the workspaces named `names`.
    pub fn ids_of(&self, names: &[String]) -> Vec<String> {
        let named = self.workspaces.iter().filter(|w| names.contains(&w.name));
        named.map(|w| w.id.clone()).collect()
    }

    /// The badge of a workspace, by name.
    pub fn badge(&self, name: &str) -> Option<&Badge> {
        let ws = self.workspaces.iter().find(|w| w.name == name)?;
        self.badges.get(&ws.id)
    }

    /// The project's Stack of this name.
    pub fn stack(&self, name: &str) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// What Enter would choose now.
    pub fn would_choose(&self) -> Option<WorkspaceSelection> {
        if self.all {
            return Some(WorkspaceSelection::All);
        }
        if !self.selected.is_empty() {
            return Some(WorkspaceSelection::Named(
                self.selected
                    .iter()
                    .map(|i| self.workspaces[*i].name.clone())
                    .collect(),
            ));
        }
        match self.list.highlighted()? {
            0 => Some(WorkspaceSelection::All),
            i if self.stack_of(i).is_some() => Some(WorkspaceSelection::Stack {
                name: self.stack_of(i)?.name.clone(),
                deployments: vec![],
            }),
            i => Some(WorkspaceSelection::Named(vec![self.workspaces[i - 1]
                .name
                .clone()])),
        }
    }

    fn row(&self, m: &Match, highlighted: bool, name_width: usize, v: &ViewCtx) -> Line<'static> {
        let t = v.theme;
        let marker = if highlighted { " › " } else { "   " };
        if m.index == 0 {
            let check = if self.all { "[x] " } else { "[ ] " };
            let mut spans = vec![Span::raw(marker), Span::raw(check)];
            spans.extend(self.list.label_spans(m, t));
            let n = self.workspaces.len();
            spans.push(Span::styled(
                format!(" ({n} now, and future ones)"),
                t.dim(),
            ));
            return Line::from(spans);
        }
        if let Some(stack) = self.stack_of(m.index) {
            let mut spans = vec![Span::raw(marker), Span::raw("    ")];
            spans.extend(self.list.label_spans(m, t));
            let pad = name_width.saturating_sub(stack.name.chars().count()) + 2;
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(
                match stack.deployment_names.len() {
                    1 => "Stack · 1 deployment".to_string(),
                    n => format!("Stack · {n} deployments"),
                },
                t.accent(),
            ));
            return Line::from(spans);
        }
        let i = m.index - 1;
        let check = if self.selected.contains(&i) || self.all {
            "[x] "
        } else {
            "[ ] "
        };
        let check_style = if self.all { t.dim() } else { Style::default() };
        let mut spans = vec![Span::raw(marker), Span::styled(check, check_style)];
        spans.extend(self.list.label_spans(m, t));
        let pad = name_width.saturating_sub(self.workspaces[i].name.chars().count()) + 2;
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(badge_span(
            self.badges.get(&self.workspaces[i].id),
            v.spinner,
            t,
        ));
        Line::from(spans)
    }
}

/// The badge text of a workspace's current state.
pub fn badge_span(badge: Option<&Badge>, spinner: &'static str, t: Theme) -> Span<'static> {
    match badge {
        None => Span::styled(spinner, t.dim()),
        Some(Badge::Oidc) => Span::styled("OIDC configured", t.ok()),
        Some(Badge::OidcFailing(code)) => {
            Span::styled(format!("OIDC incomplete ({code})"), t.warn())
        }
        Some(Badge::TaggedOidc(tags)) => {
            Span::styled(format!("OIDC only for alias {}", tags.join(", ")), t.ok())
        }
        Some(Badge::StaticKeys(from)) => Span::styled(keys_text("static keys", from), t.warn()),
        Some(Badge::Both(from)) => Span::styled(keys_text("OIDC + static keys", from), t.warn()),
        Some(Badge::Nothing) => Span::styled("no AWS credentials", t.dim()),
        Some(Badge::Unknown(_)) => Span::styled("? could not read variables", t.dim()),
    }
}

/// `what`, saying which variable set the keys come from when they are not the workspace's own.
fn keys_text(what: &str, from: &KeyOrigin) -> String {
    match from {
        KeyOrigin::Workspace => what.to_string(),
        KeyOrigin::VariableSet(name) => format!("{what} (variable set {name})"),
    }
}

impl Screen for WorkspacesStep {
    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        if self.error.is_some() && input == Input::Action(Action::Retry) {
            let project_id = self.loaded_for.clone().unwrap_or_default();
            let (org, project) = (self.org.clone(), self.project.clone());
            return Reaction {
                effects: self.enter(&org, &project, &project_id),
                ..Reaction::stay()
            };
        }
        match self.list.handle(&input) {
            ListEvent::Toggle(i) if self.stack_of(i).is_some() => {
                return Reaction::refuse(
                    "A Stack is set up on its own: highlight it and press Enter",
                )
            }
            ListEvent::Accept(i)
                if self.stack_of(i).is_some() && (self.all || !self.selected.is_empty()) =>
            {
                return Reaction::refuse(
                    "A Stack is set up on its own: clear the workspaces chosen (Space) first",
                )
            }
            ListEvent::Toggle(0) => {
                self.all = !self.all;
                self.selected.clear();
            }
            ListEvent::Toggle(i) => {
                self.all = false;
                if !self.selected.remove(&(i - 1)) {
                    self.selected.insert(i - 1);
                }
            }
            ListEvent::Accept(_) => {
                self.chosen = self.would_choose();
                return Reaction::next();
            }
            ListEvent::Unhandled if input == Input::Action(Action::Back) => {
                return Reaction::back()
            }
            ListEvent::Unhandled if input == Input::Action(Action::Accept) && self.loading => {
                return Reaction::info("Still loading the workspaces…")
            }
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        if self.error.is_some() {
            return vec![hint(Action::Retry, "retry"), hint(Action::Back, "back")];
        }
        pick_many_hints(self.list.filtering(), &[])
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let sub = format!(
            "Workspaces of project {}; the badge says how each reaches AWS today.",
            v.cx.project
        );
        let intro = intro(
            "Which workspaces should use OIDC?",
            &sub,
            t,
            area.width as usize,
        );
        let [body, bottom] = draw_intro(frame, area, intro, 1);
        if self.loading {
            frame.render_widget(
                Paragraph::new(loading("Loading workspaces…", v.spinner, t)),
                body,
            );
            return;
        }
        if let Some(e) = &self.error {
            let lines = problem(
                &e.to_string(),
                "Press r to retry, Esc to choose another project.",
                t,
                body.width as usize,
            );
            frame.render_widget(Paragraph::new(lines), body);
            return;
        }
        let name_width = self
            .workspaces
            .iter()
            .map(|w| w.name.chars().count())
            .chain(self.stacks.iter().map(|s| s.name.chars().count()))
            .max()
            .unwrap_or(0)
            .min(32);
        self.list
            .render(frame, body, t, ("workspace", "workspaces"), |m, hl| {
                self.row(m, hl, name_width, v)
            });
        let summary = match self.would_choose() {
            Some(WorkspaceSelection::All) => {
                "Enter sets up every workspace of the project, present and future.".to_string()
            }
            Some(WorkspaceSelection::Named(names)) if names.len() == 1 => {
                format!("Enter sets up workspace {}.", names[0])
            }
            Some(WorkspaceSelection::Named(names)) => format!(
                "Enter sets up {} workspaces: {}.",
                names.len(),
                names.join(", ")
            ),
            Some(WorkspaceSelection::Stack { name, .. }) => match self.stack(&name) {
                Some(s) if !s.deployment_names.is_empty() => {
                    format!("Enter sets up Stack {name}: its deployments are next.")
                }
                _ => format!("Enter sets up Stack {name} (every deployment it will have)."),
            },
            None => String::new(),
        };
        frame.render_widget(Paragraph::new(Line::styled(summary, t.accent())), bottom);
    }

    fn busy(&self) -> bool {
        self.loading || self.badges_pending()
    }

    fn text_mode(&self) -> bool {
        self.list.filtering()
    }

    fn arrive(app: &mut App) -> Vec<Effect> {
        let cx = app.context();
        app.workspaces
            .enter(&cx.organization, &cx.project, &cx.project_id)
    }
}

#[cfg(test)]
mod tests;
