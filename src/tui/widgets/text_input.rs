//! A one-line text field, optionally masked (for the API token): the value, a cursor, and the
//! editing keys. Rendering returns the line and where the terminal cursor goes.

use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};

/// A text field's state.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Cursor position in characters.
    cursor: usize,
    masked: bool,
}

impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A masked field may hold a token: never print it.
        let shown = if self.masked {
            "***"
        } else {
            self.value.as_str()
        };
        f.debug_struct("TextInput")
            .field("value", &shown)
            .field("cursor", &self.cursor)
            .finish()
    }
}

impl TextInput {
    /// A field holding `value`, cursor at the end.
    pub fn new(value: impl Into<String>) -> TextInput {
        let value = value.into();
        TextInput {
            cursor: value.chars().count(),
            value,
            masked: false,
        }
    }

    /// An empty field whose characters are shown as dots.
    pub fn masked() -> TextInput {
        TextInput {
            masked: true,
            ..TextInput::default()
        }
    }

    /// The text.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Replaces the value, cursor at the end.
    pub fn set(&mut self, value: impl Into<String>) {
        *self = TextInput {
            masked: self.masked,
            ..TextInput::new(value)
        };
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.value
            .char_indices()
            .nth(char_index)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Applies an editing key; returns whether the value changed.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let len = self.value.chars().count();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let changed = !self.value.is_empty();
                self.set(String::new());
                changed
            }
            KeyCode::Char('w') if ctrl => {
                let before: Vec<char> = self.value.chars().take(self.cursor).collect();
                let mut start = self.cursor;
                while start > 0 && before[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && before[start - 1] != ' ' {
                    start -= 1;
                }
                let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
                self.value.replace_range(from..to, "");
                let changed = start != self.cursor;
                self.cursor = start;
                changed
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                let at = self.byte_at(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.value.remove(at);
                self.cursor -= 1;
                true
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
                true
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            KeyCode::Home => {
                self.cursor = 0;
                false
            }
            KeyCode::End => {
                self.cursor = len;
                false
            }
            _ => false,
        }
    }

    /// The field as a line `width` characters wide (scrolled so the cursor shows), and the
    /// cursor's column within it when `focused`.
    pub fn render(
        &self,
        width: usize,
        focused: bool,
        theme: Theme,
    ) -> (Line<'static>, Option<u16>) {
        let width = width.max(2);
        let chars: Vec<char> = if self.masked {
            vec!['•'; self.value.chars().count()]
        } else {
            self.value.chars().collect()
        };
        // Keep one column free for the cursor after the last character.
        let start = (self.cursor + 1).saturating_sub(width);
        let shown: String = chars.iter().skip(start).take(width).collect();
        let pad = width.saturating_sub(shown.chars().count());
        let style = if focused {
            theme.field()
        } else {
            theme.field().patch(theme.dim())
        };
        let line = Line::from(vec![Span::styled(
            format!("{shown}{}", " ".repeat(pad)),
            style,
        )]);
        let cursor = focused.then(|| (self.cursor - start) as u16);
        (line, cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(input: &mut TextInput, code: KeyCode) {
        input.handle(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    #[test]
    fn edits_and_masks() {
        let mut t = TextInput::new("ab");
        press(&mut t, KeyCode::Left);
        press(&mut t, KeyCode::Char('é'));
        assert_eq!(t.value(), "aéb");
        press(&mut t, KeyCode::Backspace);
        press(&mut t, KeyCode::Delete);
        assert_eq!(t.value(), "a");
        t.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(t.value(), "");
        let mut m = TextInput::masked();
        press(&mut m, KeyCode::Char('Z'));
        let (line, cursor) = m.render(5, true, Theme::plain());
        assert_eq!(line.to_string(), "•    ");
        assert_eq!(cursor, Some(1));
        assert!(!format!("{m:?}").contains('Z'));
    }

    #[test]
    fn scrolls_to_the_cursor() {
        let t = TextInput::new("abcdefgh");
        let (line, cursor) = t.render(4, true, Theme::plain());
        assert_eq!(line.to_string(), "fgh ");
        assert_eq!(cursor, Some(3));
    }
}
