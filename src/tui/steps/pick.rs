//! A step that picks one item from a list loaded asynchronously, with a fuzzy filter. The
//! organization and the project steps are this one piece of code, told apart by the [`Choice`]
//! their items implement (nouns, question, how to load them).

use crate::core::ports::TfcError;
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::steps::Screen;
use crate::tui::steps::{Context, Reaction, ViewCtx};
use crate::tui::widgets::filter_list::{FilterList, ListEvent};
use crate::tui::widgets::text::{intro, loading, problem};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What a [`PickStep`] lists, and what it says about it.
pub trait Choice: Clone + std::fmt::Debug {
    /// Singular and plural: `("organization", "organizations")`.
    const NOUNS: (&'static str, &'static str);
    /// The question heading the screen.
    const QUESTION: &'static str;
    /// What to do when loading failed.
    const RETRY_ADVICE: &'static str;

    /// The name the list shows (and a remembered choice matches).
    fn name(&self) -> &str;
    /// The line under the question.
    fn subtitle(cx: &Context) -> String;
    /// The effect that loads the items of `scope` (what the list belongs to).
    fn load(scope: &str) -> Effect;
    /// The problem and the advice shown instead of an empty list, if the list is never empty
    /// in a working setup.
    fn when_empty(_cx: &Context) -> Option<(String, String)> {
        None
    }
    /// The wizard moved to the step picking these: shows (and loads) the list of its scope.
    fn arrive(app: &mut App) -> Vec<Effect>;
}

/// The state of a step picking one `T`.
#[derive(Debug, Clone)]
pub struct PickStep<T> {
    pub list: FilterList,
    items: Vec<T>,
    /// The scope the list belongs to (loaded or loading).
    loaded_for: Option<String>,
    pub loading: bool,
    error: Option<TfcError>,
    /// The item chosen (kept when going back).
    pub chosen: Option<T>,
    /// Last run's choice, highlighted when it is in the list.
    remembered: Option<String>,
}

impl<T: Choice> PickStep<T> {
    /// The step, highlighting `remembered` when it is listed.
    pub fn new(remembered: Option<String>) -> PickStep<T> {
        PickStep {
            list: FilterList::new(true),
            items: Vec::new(),
            loaded_for: None,
            loading: false,
            error: None,
            chosen: None,
            remembered,
        }
    }

    /// Highlights `name` (now, or when the list arrives) and forgets the choice made.
    pub fn prefer(&mut self, name: &str) {
        self.remembered = Some(name.to_string());
        self.chosen = None;
        self.list.highlight_text(name);
    }

    /// Shows the items of `scope`, loading them unless they are already there (a new scope
    /// forgets the old list and choice).
    pub(super) fn show(&mut self, scope: &str) -> Vec<Effect> {
        if self.loaded_for.as_deref() == Some(scope) && self.error.is_none() {
            return vec![];
        }
        if self.loaded_for.as_deref() != Some(scope) {
            self.chosen = None;
            self.items.clear();
            self.list.set_items(vec![]);
        }
        self.loaded_for = Some(scope.to_string());
        self.loading = true;
        self.error = None;
        vec![T::load(scope)]
    }

    /// The items of `scope` arrived (or failed); those of a scope no longer shown are dropped.
    pub(super) fn arrived(&mut self, scope: &str, result: Result<Vec<T>, TfcError>) {
        if self.loaded_for.as_deref() != Some(scope) {
            return;
        }
        self.loading = false;
        match result {
            Ok(items) => {
                self.list
                    .set_items(items.iter().map(|i| i.name().to_string()).collect());
                self.items = items;
                let name = self.chosen.as_ref().map(|c| c.name().to_string());
                if let Some(name) = name.or_else(|| self.remembered.clone()) {
                    self.list.highlight_text(&name);
                }
            }
            Err(e) => self.error = Some(e),
        }
    }
}

impl<T: Choice> Screen for PickStep<T> {
    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        if self.error.is_some() && input == Input::Action(Action::Retry) {
            let scope = self.loaded_for.clone().unwrap_or_default();
            return Reaction {
                effects: self.show(&scope),
                ..Reaction::stay()
            };
        }
        match self.list.handle(&input) {
            ListEvent::Accept(i) => {
                self.chosen = Some(self.items[i].clone());
                Reaction::next()
            }
            ListEvent::Unhandled if input == Input::Action(Action::Back) => Reaction::back(),
            ListEvent::Unhandled if input == Input::Action(Action::Accept) && self.loading => {
                Reaction::info(format!("Still loading the {}…", T::NOUNS.1))
            }
            _ => Reaction::stay(),
        }
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        if self.error.is_some() {
            return vec![hint(Action::Retry, "retry"), hint(Action::Back, "back")];
        }
        if self.list.filtering() {
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

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let intro = intro(T::QUESTION, &T::subtitle(v.cx), t, area.width as usize);
        let [top, body] =
            Layout::vertical([Constraint::Length(intro.len() as u16), Constraint::Fill(1)])
                .areas(area);
        frame.render_widget(Paragraph::new(intro), top);
        let width = body.width as usize;
        // Past the loading and error cases, a scope means its list arrived.
        let empty = self.items.is_empty() && self.loaded_for.is_some();
        if self.loading {
            let text = format!("Loading {}…", T::NOUNS.1);
            frame.render_widget(Paragraph::new(loading(&text, v.spinner, t)), body);
        } else if let Some(e) = &self.error {
            let lines = problem(&e.to_string(), T::RETRY_ADVICE, t, width);
            frame.render_widget(Paragraph::new(lines), body);
        } else if let Some((what, advice)) = T::when_empty(v.cx).filter(|_| empty) {
            frame.render_widget(Paragraph::new(problem(&what, &advice, t, width)), body);
        } else {
            self.list.render(frame, body, t, T::NOUNS, |m, hl| {
                let mut spans = vec![Span::raw(if hl { " › " } else { "   " })];
                spans.extend(self.list.label_spans(m, t));
                Line::from(spans)
            });
        }
    }

    fn busy(&self) -> bool {
        self.loading
    }

    fn text_mode(&self) -> bool {
        self.list.filtering()
    }

    fn arrive(app: &mut App) -> Vec<Effect> {
        T::arrive(app)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::Project;
    use crate::tui::keymap::Action;

    fn project(name: &str) -> Project {
        Project {
            id: format!("prj-{name}"),
            name: name.into(),
        }
    }

    fn loads(effects: &[Effect]) -> Vec<String> {
        let org = |e: &Effect| match e {
            Effect::LoadProjects { org } => Some(org.clone()),
            _ => None,
        };
        effects.iter().filter_map(org).collect()
    }

    #[test]
    fn a_list_is_loaded_once_per_scope_and_a_new_scope_forgets_the_choice() {
        let mut step = PickStep::<Project>::new(Some("b".into()));
        assert_eq!(loads(&step.show("o1")), ["o1"]);
        assert!(step.show("o1").is_empty(), "already loading");
        step.arrived("o1", Ok(vec![project("a"), project("b")]));
        assert_eq!(step.list.highlighted(), Some(1), "the remembered one");
        step.handle(Input::Action(Action::Accept), (78, 19));
        assert_eq!(step.chosen, Some(project("b")));
        assert!(step.show("o1").is_empty(), "kept when coming back");

        assert_eq!(loads(&step.show("o2")), ["o2"]);
        assert_eq!((step.chosen.as_ref(), step.list.items().len()), (None, 0));
        step.arrived("o1", Ok(vec![project("late")]));
        assert!(step.list.items().is_empty(), "a late list of o1 is dropped");
    }

    #[test]
    fn a_failed_load_is_retried_with_r() {
        let mut step = PickStep::<Project>::new(None);
        step.show("o");
        let down = TfcError::Server {
            status: 502,
            detail: "bad gateway".into(),
        };
        step.arrived("o", Err(down));
        assert_eq!(step.hints().len(), 2, "retry and back only");
        let retry = step.handle(Input::Action(Action::Retry), (78, 19));
        assert_eq!(loads(&retry.effects), ["o"]);
        assert!(step.loading);
    }
}
