//! The Review screen's typed `yes` for a plan that takes something away (migrate's removal of
//! key variables, IAM keys marked Inactive): Enter opens a field on the screen's last line, and
//! only `yes` typed there applies, as the CLI asks. A plan that only adds or updates applies on
//! Enter alone.

use crate::core::plan::{approves, Change, Plan};
use crate::core::text::counted;
use crate::tui::keymap::{hint, Action, Hint, Input};
use crate::tui::steps::Reaction;
use crate::tui::theme::Theme;
use crate::tui::widgets::text_input::TextInput;
use ratatui::text::{Line, Span};

/// The field's state: closed until Enter on a plan that removes something.
#[derive(Debug, Clone, Default)]
pub struct DeleteConfirm {
    pub open: bool,
    input: TextInput,
}

/// What the field asks before the answer.
const QUESTION: &str = "Type yes to apply these removals: ";

impl DeleteConfirm {
    /// Opens an empty field.
    pub fn open(&mut self) {
        self.open = true;
        self.input = TextInput::default();
    }

    /// Closes the field, forgetting what was typed.
    pub fn close(&mut self) {
        *self = DeleteConfirm::default();
    }

    /// A key while the field is open: `yes` and Enter go on, anything else and Enter stays (and
    /// says why), Esc closes the field.
    pub fn handle(&mut self, input: Input) -> Reaction {
        match input {
            Input::Edit(key) => {
                self.input.handle(&key);
                Reaction::stay()
            }
            Input::Action(Action::Back) => {
                self.close();
                Reaction::info("Nothing applied: Enter asks again, Esc goes back.")
            }
            Input::Action(Action::Accept) if approves(self.input.value()) => {
                self.close();
                Reaction::next()
            }
            Input::Action(Action::Accept) => {
                self.input = TextInput::default();
                Reaction::refuse("Only yes applies this plan: type yes, or Esc to cancel.")
            }
            Input::Action(_) => Reaction::stay(),
        }
    }

    /// The keys the field offers.
    pub fn hints(&self) -> Vec<Hint> {
        vec![hint(Action::Accept, "apply"), hint(Action::Back, "cancel")]
    }

    /// The field as a line, and the cursor's column in it.
    pub fn line(&self, width: usize, theme: Theme) -> (Line<'static>, u16) {
        let room = width.saturating_sub(QUESTION.chars().count() + 1).min(8);
        let (field, cursor) = self.input.render(room, true, theme);
        let mut spans = vec![Span::styled(QUESTION, theme.warn().patch(theme.bold()))];
        spans.extend(field.spans);
        let column = QUESTION.chars().count() as u16 + cursor.unwrap_or(0);
        (Line::from(spans), column)
    }
}

/// What the plan takes away, in a sentence ("This plan deletes 2 variables and marks 1 IAM key
/// Inactive."), or `None` when it only adds and updates.
pub fn removal_text(plan: &Plan) -> Option<String> {
    let removals = plan.removals();
    if removals.is_empty() {
        return None;
    }
    let count = |f: fn(&Change) -> bool| removals.iter().filter(|c| f(c)).count();
    let variables = count(|c| matches!(c, Change::DeleteVariable(_)));
    let keys = count(|c| matches!(c, Change::SetAccessKeyStatus(_)));
    let others = removals.len() - variables - keys;
    let mut parts = Vec::new();
    if variables > 0 {
        parts.push(format!(
            "deletes {}",
            counted(variables, "variable", "variables")
        ));
    }
    if keys > 0 {
        parts.push(format!(
            "marks {} Inactive",
            counted(keys, "IAM key", "IAM keys")
        ));
    }
    if others > 0 {
        let (one, many) = if parts.is_empty() {
            ("thing", "things")
        } else {
            ("other thing", "other things")
        };
        parts.push(format!(
            "removes {} (the - lines)",
            counted(others, one, many)
        ));
    }
    Some(format!("This plan {}.", joined(&parts)))
}

/// "a", "a and b", "a, b and c".
fn joined(parts: &[String]) -> String {
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_a_sentence() {
        let parts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(joined(&parts(&["a"])), "a");
        assert_eq!(joined(&parts(&["a", "b"])), "a and b");
        assert_eq!(joined(&parts(&["a", "b", "c"])), "a, b and c");
    }
}
