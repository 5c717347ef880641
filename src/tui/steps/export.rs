//! The export prompt Review and Done open with `e`: a file name on the status line, whose
//! extension picks the code (`.tf` Terraform, `.yaml`/`.yml` CloudFormation; Tab switches it),
//! and Enter writes the export of the choices made so far (see [`crate::export`]).

use crate::export::ExportFormat;
use crate::tui::keymap::{hint, Action, Hint, Input};
use crate::tui::theme::Theme;
use crate::tui::widgets::text_input::TextInput;
use ratatui::text::{Line, Span};
use std::path::Path;

/// The prompt's state.
#[derive(Debug, Clone, Default)]
pub struct ExportPrompt {
    pub open: bool,
    input: TextInput,
}

/// What a key did to the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptReaction {
    /// Nothing for the app to do.
    Stay,
    /// Closed without writing.
    Cancelled,
    /// Write the export to `path` in `format`.
    Write { path: String, format: ExportFormat },
    /// Cannot write as it stands: say why.
    Refuse(String),
}

impl ExportPrompt {
    /// Opens the prompt on `default_name`.
    pub fn open(&mut self, default_name: &str) {
        self.open = true;
        self.input = TextInput::new(default_name);
    }

    /// The file name typed so far.
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The format the file name asks for.
    pub fn format(&self) -> Option<ExportFormat> {
        ExportFormat::from_path(Path::new(self.input.value().trim()))
    }

    /// The name with the other format's extension (the name's own, or a new one).
    fn toggled(&self) -> String {
        let name = self.input.value().trim();
        let next = self
            .format()
            .map_or(ExportFormat::Terraform, ExportFormat::other);
        let stem = match (self.format(), name.rsplit_once('.')) {
            (Some(_), Some((stem, _))) => stem,
            _ => name,
        };
        format!("{stem}.{}", next.extension())
    }

    /// Handles a key while open.
    pub fn handle(&mut self, input: Input) -> PromptReaction {
        match input {
            Input::Edit(key) => {
                self.input.handle(&key);
                PromptReaction::Stay
            }
            Input::Action(Action::Back) => {
                self.open = false;
                PromptReaction::Cancelled
            }
            Input::Action(Action::NextField | Action::PrevField) => {
                let name = self.toggled();
                self.input.set(name);
                PromptReaction::Stay
            }
            Input::Action(Action::Accept) => {
                let path = self.input.value().trim().to_string();
                match self.format() {
                    _ if path.is_empty() => PromptReaction::Refuse("Type a file name".into()),
                    Some(format) => {
                        self.open = false;
                        PromptReaction::Write { path, format }
                    }
                    None => PromptReaction::Refuse(
                        "Name the file .tf (Terraform) or .yaml/.yml (CloudFormation)".into(),
                    ),
                }
            }
            Input::Action(_) => PromptReaction::Stay,
        }
    }

    /// The keys the prompt offers.
    pub fn hints(&self) -> Vec<Hint> {
        let other = match self.format() {
            Some(ExportFormat::Terraform) => "CloudFormation",
            _ => "Terraform",
        };
        vec![
            hint(Action::Accept, "write"),
            hint(Action::NextField, other),
            hint(Action::Back, "cancel"),
        ]
    }

    /// The prompt as a status line `width` wide, and the cursor's column in it.
    pub fn line(&self, width: usize, theme: Theme) -> (Line<'static>, u16) {
        let label = match self.format() {
            Some(format) => format!("Export as {} to: ", format.name()),
            None => "Export to: ".to_string(),
        };
        let room = width.saturating_sub(label.chars().count() + 1);
        let (field, cursor) = self.input.render(room, true, theme);
        let mut spans = vec![Span::styled(label.clone(), theme.bold())];
        spans.extend(field.spans);
        let column = label.chars().count() as u16 + cursor.unwrap_or(0);
        (Line::from(spans), column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(p: &mut ExportPrompt, text: &str) {
        for c in text.chars() {
            p.handle(Input::Edit(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
    }

    #[test]
    fn the_extension_picks_the_format_and_tab_switches_it() {
        let mut p = ExportPrompt::default();
        p.open("oidc.tf");
        assert_eq!(p.format(), Some(ExportFormat::Terraform));
        assert_eq!(
            p.handle(Input::Action(Action::NextField)),
            PromptReaction::Stay
        );
        assert_eq!(p.value(), "oidc.yaml");
        p.handle(Input::Action(Action::NextField));
        assert_eq!(p.value(), "oidc.tf");
        typed(&mut p, ".json");
        assert!(matches!(
            p.handle(Input::Action(Action::Accept)),
            PromptReaction::Refuse(_)
        ));
        assert!(p.open);
        p.handle(Input::Action(Action::NextField));
        assert_eq!(p.value(), "oidc.tf.json.tf");
        assert_eq!(
            p.handle(Input::Action(Action::Accept)),
            PromptReaction::Write {
                path: "oidc.tf.json.tf".into(),
                format: ExportFormat::Terraform
            }
        );
        assert!(!p.open);
        p.open("x.yml");
        assert_eq!(
            p.handle(Input::Action(Action::Back)),
            PromptReaction::Cancelled
        );
        assert!(!p.open);
    }
}
