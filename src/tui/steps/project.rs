//! Step 3: the project, from the chosen organization's projects (loaded asynchronously).

use crate::core::ports::{Project, TfcError};
use crate::tui::effects::Effect;
use crate::tui::keymap::{Action, Hint, Input};
use crate::tui::steps::organization::list_hints;
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::widgets::filter_list::{FilterList, ListEvent};
use crate::tui::widgets::text::{intro, loading, problem};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The project step's state.
#[derive(Debug, Clone, Default)]
pub struct ProjectStep {
    pub list: FilterList,
    projects: Vec<Project>,
    /// The organization the list belongs to.
    loaded_for: Option<String>,
    pub loading: bool,
    error: Option<TfcError>,
    pub chosen: Option<Project>,
    remembered: Option<String>,
}

impl ProjectStep {
    /// The step, highlighting `remembered` when it is listed.
    pub fn new(remembered: Option<String>) -> ProjectStep {
        ProjectStep {
            list: FilterList::new(true),
            remembered,
            ..ProjectStep::default()
        }
    }

    /// Shows the projects of `org`, loading them unless they are already there.
    pub fn enter(&mut self, org: &str) -> Vec<Effect> {
        if self.loaded_for.as_deref() == Some(org) && self.error.is_none() {
            return vec![];
        }
        if self.loaded_for.as_deref() != Some(org) {
            self.chosen = None;
            self.projects.clear();
            self.list.set_items(vec![]);
        }
        self.loaded_for = Some(org.to_string());
        self.loading = true;
        self.error = None;
        vec![Effect::LoadProjects {
            org: org.to_string(),
        }]
    }

    /// The list arrived (or failed).
    pub fn on_loaded(&mut self, org: &str, result: Result<Vec<Project>, TfcError>) {
        if self.loaded_for.as_deref() != Some(org) {
            return;
        }
        self.loading = false;
        match result {
            Ok(projects) => {
                self.list
                    .set_items(projects.iter().map(|p| p.name.clone()).collect());
                self.projects = projects;
                if let Some(name) = self.remembered.clone() {
                    self.list.highlight_text(&name);
                }
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Handles a key.
    pub fn handle(&mut self, input: Input) -> Reaction {
        if self.error.is_some() && input == Input::Action(Action::Retry) {
            let org = self.loaded_for.clone().unwrap_or_default();
            return Reaction {
                effects: self.enter(&org),
                ..Reaction::stay()
            };
        }
        match self.list.handle(&input) {
            ListEvent::Accept(i) => {
                self.chosen = Some(self.projects[i].clone());
                Reaction::next()
            }
            ListEvent::Unhandled if input == Input::Action(Action::Back) => Reaction::back(),
            ListEvent::Unhandled if input == Input::Action(Action::Accept) && self.loading => {
                Reaction::info("Still loading the projects…")
            }
            _ => Reaction::stay(),
        }
    }

    /// The keys this screen offers now.
    pub fn hints(&self) -> Vec<Hint> {
        list_hints(&self.list, self.error.is_some())
    }

    /// Draws the step into `area`.
    pub fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let sub = format!(
            "Projects of organization {}. The trust is scoped to one project.",
            v.cx.organization
        );
        let intro = intro("Which project?", &sub, t, area.width as usize);
        let [top, body] =
            Layout::vertical([Constraint::Length(intro.len() as u16), Constraint::Fill(1)])
                .areas(area);
        frame.render_widget(Paragraph::new(intro), top);
        if self.loading {
            frame.render_widget(
                Paragraph::new(loading("Loading projects…", v.spinner, t)),
                body,
            );
        } else if let Some(e) = &self.error {
            let lines = problem(
                &e.to_string(),
                "Press r to retry, Esc to choose another organization.",
                t,
                body.width as usize,
            );
            frame.render_widget(Paragraph::new(lines), body);
        } else {
            self.list
                .render(frame, body, t, ("project", "projects"), |m, hl| {
                    let mut spans = vec![Span::raw(if hl { " › " } else { "   " })];
                    spans.extend(self.list.label_spans(m, t));
                    Line::from(spans)
                });
        }
    }
}
