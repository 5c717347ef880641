//! After a Stack is chosen on the workspaces step: which of its deployments the role trusts (the
//! wizard's `setup --stack NAME --deployment D`). The first row, "every deployment", is checked
//! at first: the role trusts `deployment:*`, today's deployments and future ones. Space on a
//! deployment unchecks it (and the first row), Space on the first row checks every one again;
//! Enter continues with what is checked.

use crate::core::answers::WorkspaceSelection;
use crate::core::ports::Stack;
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::keymap::{pick_many_hints, Action, Hint, Input};
use crate::tui::steps::Screen;
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::widgets::filter_list::{FilterList, ListEvent, Match};
use crate::tui::widgets::text::{draw_intro, intro};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::BTreeSet;

/// The first row of the list.
const EVERY: &str = "Every deployment of this Stack";

/// The deployments step's state.
#[derive(Debug, Clone, Default)]
pub struct DeploymentsStep {
    /// Row 0 is [`EVERY`], row `i + 1` is `names[i]`.
    pub list: FilterList,
    /// The Stack the list is for.
    stack: String,
    names: Vec<String>,
    /// The first row is checked: every deployment, present and future (`deployment:*`).
    every: bool,
    /// The deployments checked (indexes into `names`); all of them while `every` is set.
    selected: BTreeSet<usize>,
}

impl DeploymentsStep {
    /// Shows `stack`'s deployments; choices made for the same Stack before are kept.
    pub fn enter(&mut self, stack: &Stack) {
        if self.stack == stack.name && self.names == stack.deployment_names {
            return;
        }
        let mut list = FilterList::new(false);
        list.set_uncounted(1);
        let mut items = vec![EVERY.to_string()];
        items.extend(stack.deployment_names.iter().cloned());
        list.set_items(items);
        *self = DeploymentsStep {
            list,
            stack: stack.name.clone(),
            names: stack.deployment_names.clone(),
            every: true,
            selected: (0..stack.deployment_names.len()).collect(),
        };
    }

    /// The Stack the step was last shown for.
    pub fn stack(&self) -> &str {
        &self.stack
    }

    /// The deployments the role trusts: empty for every deployment (`deployment:*`).
    pub fn chosen(&self) -> Vec<String> {
        if self.every {
            return vec![];
        }
        self.selected
            .iter()
            .map(|i| self.names[*i].clone())
            .collect()
    }

    fn toggle(&mut self, row: usize) {
        if row == 0 {
            self.every = !self.every;
            if self.every {
                self.selected = (0..self.names.len()).collect();
            }
            return;
        }
        self.every = false;
        if !self.selected.remove(&(row - 1)) {
            self.selected.insert(row - 1);
        }
    }

    /// What Enter does, in words.
    fn summary(&self) -> String {
        let stack = &self.stack;
        match self.chosen().as_slice() {
            [] if self.every => {
                format!("Enter trusts every deployment of Stack {stack}, present and future.")
            }
            [] => "Nothing is checked: Space checks a deployment.".to_string(),
            [one] => format!("Enter trusts deployment {one} of Stack {stack} only."),
            many => format!(
                "Enter trusts {} deployments of Stack {stack}: {}.",
                many.len(),
                many.join(", ")
            ),
        }
    }

    fn row(&self, m: &Match, highlighted: bool, v: &ViewCtx) -> Line<'static> {
        let t = v.theme;
        let marker = if highlighted { " › " } else { "   " };
        let (check, style) = match m.index {
            0 => (self.every, Style::default()),
            _ if self.every => (true, t.dim()),
            i => (self.selected.contains(&(i - 1)), Style::default()),
        };
        let mut spans = vec![
            Span::raw(marker),
            Span::styled(if check { "[x] " } else { "[ ] " }, style),
        ];
        spans.extend(self.list.label_spans(m, t));
        if m.index == 0 {
            let n = self.names.len();
            spans.push(Span::styled(
                format!(" ({n} now, and future ones)"),
                t.dim(),
            ));
        }
        Line::from(spans)
    }
}

impl Screen for DeploymentsStep {
    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        match self.list.handle(&input) {
            ListEvent::Toggle(row) => self.toggle(row),
            ListEvent::Accept(_) if !self.every && self.selected.is_empty() => {
                return Reaction::refuse(
                    "Check at least one deployment with Space (the first row checks every one)",
                )
            }
            ListEvent::Accept(_) => return Reaction::next(),
            ListEvent::Unhandled if input == Input::Action(Action::Back) => {
                return Reaction::back()
            }
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        pick_many_hints(self.list.filtering(), &[])
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let sub = format!(
            "Stack {}: the role trusts the runs of the deployments checked.",
            self.stack
        );
        let intro = intro(
            "Which deployments should use the role?",
            &sub,
            t,
            area.width as usize,
        );
        let [body, bottom] = draw_intro(frame, area, intro, 1);
        self.list
            .render(frame, body, t, ("deployment", "deployments"), |m, hl| {
                self.row(m, hl, v)
            });
        let style = if !self.every && self.selected.is_empty() {
            t.warn()
        } else {
            t.accent()
        };
        frame.render_widget(Paragraph::new(Line::styled(self.summary(), style)), bottom);
    }

    fn text_mode(&self) -> bool {
        self.list.filtering()
    }

    /// The deployments of the Stack the workspaces step chose.
    fn arrive(app: &mut App) -> Vec<Effect> {
        let stack = match &app.workspaces.chosen {
            Some(WorkspaceSelection::Stack { name, .. }) => app.workspaces.stack(name).cloned(),
            _ => None,
        };
        if let Some(stack) = stack {
            app.deployments.enter(&stack);
        }
        vec![]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack() -> Stack {
        Stack {
            id: "st-1".into(),
            name: "network-stack".into(),
            project_id: "prj-1".into(),
            deployment_names: vec!["staging".into(), "production".into()],
        }
    }

    fn key(action: Action) -> Input {
        Input::Action(action)
    }

    #[test]
    fn every_deployment_at_first_then_the_ones_left_checked() {
        let mut step = DeploymentsStep::default();
        step.enter(&stack());
        assert_eq!(step.chosen(), Vec::<String>::new(), "deployment:*");
        assert!(step.summary().contains("present and future"));
        // Space on staging: production alone is left.
        step.handle(key(Action::Down), (78, 19));
        step.handle(key(Action::Toggle), (78, 19));
        assert_eq!(step.chosen(), ["production"]);
        assert_eq!(
            step.summary(),
            "Enter trusts deployment production of Stack network-stack only."
        );
        step.handle(key(Action::Toggle), (78, 19));
        assert_eq!(step.chosen(), ["staging", "production"], "not future ones");
        // Nothing checked: Enter is refused.
        step.handle(key(Action::Toggle), (78, 19));
        step.handle(key(Action::Down), (78, 19));
        step.handle(key(Action::Toggle), (78, 19));
        assert!(step.chosen().is_empty());
        assert!(step
            .handle(key(Action::Accept), (78, 19))
            .flash
            .is_some_and(|f| f.error));
        // The first row checks every one again; Enter goes on.
        step.handle(key(Action::Up), (78, 19));
        step.handle(key(Action::Up), (78, 19));
        step.handle(key(Action::Toggle), (78, 19));
        assert_eq!(step.chosen(), Vec::<String>::new());
        assert_eq!(
            step.handle(key(Action::Accept), (78, 19)).flow,
            crate::tui::steps::Navigation::Next
        );
    }

    #[test]
    fn choices_stay_for_the_same_stack_only() {
        let mut step = DeploymentsStep::default();
        step.enter(&stack());
        step.handle(key(Action::Down), (78, 19));
        step.handle(key(Action::Toggle), (78, 19));
        step.enter(&stack());
        assert_eq!(step.chosen(), ["production"]);
        let other = Stack {
            name: "edge-stack".into(),
            ..stack()
        };
        step.enter(&other);
        assert_eq!(step.stack(), "edge-stack");
        assert!(step.chosen().is_empty(), "every deployment of a new Stack");
    }
}
