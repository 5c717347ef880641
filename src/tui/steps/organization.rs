//! Step 2: the organization, from those the token's user belongs to (loaded asynchronously).

use crate::core::ports::{Organization, TfcError};
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::widgets::filter_list::{FilterList, ListEvent};
use crate::tui::widgets::text::{intro, loading, problem};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The organization step's state.
#[derive(Debug, Clone, Default)]
pub struct OrganizationStep {
    pub list: FilterList,
    orgs: Vec<Organization>,
    loaded: bool,
    pub loading: bool,
    error: Option<TfcError>,
    /// The organization chosen (kept when going back).
    pub chosen: Option<String>,
    /// Last run's organization, highlighted when it is in the list.
    remembered: Option<String>,
}

impl OrganizationStep {
    /// The step, highlighting `remembered` when it is listed.
    pub fn new(remembered: Option<String>) -> OrganizationStep {
        OrganizationStep {
            list: FilterList::new(true),
            remembered,
            ..OrganizationStep::default()
        }
    }

    /// Loads the list the first time the step is shown.
    pub fn enter(&mut self) -> Vec<Effect> {
        if self.loaded || self.loading {
            return vec![];
        }
        self.loading = true;
        self.error = None;
        vec![Effect::LoadOrganizations]
    }

    /// The list arrived (or failed).
    pub fn on_loaded(&mut self, result: Result<Vec<Organization>, TfcError>) {
        self.loading = false;
        match result {
            Ok(orgs) => {
                self.loaded = true;
                self.list
                    .set_items(orgs.iter().map(|o| o.name.clone()).collect());
                self.orgs = orgs;
                if let Some(name) = self.chosen.clone().or_else(|| self.remembered.clone()) {
                    self.list.highlight_text(&name);
                }
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Handles a key.
    pub fn handle(&mut self, input: Input) -> Reaction {
        if self.error.is_some() && input == Input::Action(Action::Retry) {
            return Reaction {
                effects: self.enter(),
                ..Reaction::stay()
            };
        }
        match self.list.handle(&input) {
            ListEvent::Accept(i) => {
                self.chosen = Some(self.orgs[i].name.clone());
                Reaction::next()
            }
            ListEvent::Unhandled if input == Input::Action(Action::Back) => Reaction::back(),
            ListEvent::Unhandled if input == Input::Action(Action::Accept) && self.loading => {
                Reaction::info("Still loading the organizations…")
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
            "Organizations your HCP Terraform user can see on {}.",
            v.cx.host
        );
        let intro = intro("Which organization?", &sub, t, area.width as usize);
        let [top, body] =
            Layout::vertical([Constraint::Length(intro.len() as u16), Constraint::Fill(1)])
                .areas(area);
        frame.render_widget(Paragraph::new(intro), top);
        if self.loading {
            frame.render_widget(
                Paragraph::new(loading("Loading organizations…", v.spinner, t)),
                body,
            );
        } else if let Some(e) = &self.error {
            let lines = problem(&e.to_string(), "Press r to retry.", t, body.width as usize);
            frame.render_widget(Paragraph::new(lines), body);
        } else if self.orgs.is_empty() && self.loaded {
            let lines = problem(
                "This user belongs to no organization.",
                &format!(
                    "Create one at https://{}/app/organizations/new, then come back.",
                    v.cx.host
                ),
                t,
                body.width as usize,
            );
            frame.render_widget(Paragraph::new(lines), body);
        } else {
            self.list.render(
                frame,
                body,
                t,
                ("organization", "organizations"),
                |m, hl| {
                    let mut spans = vec![Span::raw(if hl { " › " } else { "   " })];
                    spans.extend(self.list.label_spans(m, t));
                    Line::from(spans)
                },
            );
        }
    }
}

/// The hints of a single-choice list step.
pub fn list_hints(list: &FilterList, error: bool) -> Vec<Hint> {
    if error {
        return vec![hint(Action::Retry, "retry"), hint(Action::Back, "back")];
    }
    if list.filtering() {
        return vec![
            hint(Action::Accept, "choose"),
            hint(Action::Back, "clear filter"),
            hints2(Action::Up, Action::Down, "move"),
        ];
    }
    vec![
        hints2(Action::Up, Action::Down, "move"),
        hint(Action::Filter, "filter"),
        hint(Action::Accept, "choose"),
        hint(Action::Back, "back"),
    ]
}
