//! The one table of keys: it turns key presses into [`Action`]s, and the footer and the `?` help
//! are generated from it, so what the screen says is what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key asks for. Each step decides what an action means on its screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Left,
    Right,
    NextField,
    PrevField,
    Toggle,
    Accept,
    Back,
    Filter,
    Help,
    Quit,
    ForceQuit,
    Retry,
    TrustPolicy,
    Export,
    Verify,
    /// Cycle the severity filter (review findings).
    Severity,
    /// Start the path that fixes the highlighted finding.
    Fix,
    /// Continue into migration (Done of the setup path).
    Migrate,
    /// Also deactivate the IAM keys the migration frees (migrate pick).
    Deactivate,
    /// Add another AWS account to the workspaces just set up (Done).
    AddAccount,
}

/// One key: a code and whether Ctrl is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key { code, ctrl: false }
    }

    const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }

    /// A key that types a character: a text field takes it before the keymap sees it.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl
    }

    fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let same_code = match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                a.eq_ignore_ascii_case(&b) && (self.ctrl || a == b)
            }
            (a, b) => a == b,
        };
        same_code && ctrl == self.ctrl && !event.modifiers.contains(KeyModifiers::ALT)
    }

    /// How the key is written on screen.
    pub fn display(&self) -> String {
        let name = match self.code {
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{name}")
        } else {
            name
        }
    }
}

/// An action, the keys that trigger it, and what it does in general (steps give shorter labels).
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub action: Action,
    pub keys: &'static [Key],
    pub help: &'static str,
}

/// Every key the wizard knows.
pub const KEYMAP: &[Binding] = &[
    Binding {
        action: Action::Up,
        keys: &[Key::plain(KeyCode::Up), Key::char('k')],
        help: "move up",
    },
    Binding {
        action: Action::Down,
        keys: &[Key::plain(KeyCode::Down), Key::char('j')],
        help: "move down",
    },
    Binding {
        action: Action::PageUp,
        keys: &[Key::plain(KeyCode::PageUp)],
        help: "page up",
    },
    Binding {
        action: Action::PageDown,
        keys: &[Key::plain(KeyCode::PageDown)],
        help: "page down",
    },
    Binding {
        action: Action::Left,
        keys: &[Key::plain(KeyCode::Left), Key::char('h')],
        help: "previous choice",
    },
    Binding {
        action: Action::Right,
        keys: &[Key::plain(KeyCode::Right), Key::char('l')],
        help: "next choice",
    },
    Binding {
        action: Action::NextField,
        keys: &[Key::plain(KeyCode::Tab)],
        help: "next field",
    },
    Binding {
        action: Action::PrevField,
        keys: &[Key::plain(KeyCode::BackTab)],
        help: "previous field",
    },
    Binding {
        action: Action::Toggle,
        keys: &[Key::char(' ')],
        help: "select / toggle",
    },
    Binding {
        action: Action::Accept,
        keys: &[Key::plain(KeyCode::Enter)],
        help: "accept and continue",
    },
    Binding {
        action: Action::Back,
        keys: &[Key::plain(KeyCode::Esc)],
        help: "back (answers are kept)",
    },
    Binding {
        action: Action::Filter,
        keys: &[Key::char('/')],
        help: "filter the list (fuzzy)",
    },
    Binding {
        action: Action::TrustPolicy,
        keys: &[Key::char('t')],
        help: "show the trust policy JSON",
    },
    Binding {
        action: Action::Retry,
        keys: &[Key::char('r')],
        help: "retry",
    },
    Binding {
        action: Action::Export,
        keys: &[Key::char('e')],
        help: "export as CloudFormation/Terraform",
    },
    Binding {
        action: Action::Verify,
        keys: &[Key::char('v')],
        help: "verify: queue a plan-only run and see it authenticate",
    },
    Binding {
        action: Action::Severity,
        keys: &[Key::char('s')],
        help: "show only one severity (cycles)",
    },
    Binding {
        action: Action::Fix,
        keys: &[Key::char('f')],
        help: "fix the finding with the wizard",
    },
    Binding {
        action: Action::Migrate,
        keys: &[Key::char('m')],
        help: "migrate the workspaces off static keys",
    },
    Binding {
        action: Action::Deactivate,
        keys: &[Key::char('d')],
        help: "also mark the freed IAM keys Inactive (never deleted)",
    },
    Binding {
        action: Action::AddAccount,
        keys: &[Key::char('a')],
        help: "add another AWS account (a tagged configuration)",
    },
    Binding {
        action: Action::Help,
        keys: &[Key::char('?'), Key::plain(KeyCode::F(1))],
        help: "show the keys",
    },
    Binding {
        action: Action::Quit,
        keys: &[Key::char('q')],
        help: "quit",
    },
    Binding {
        action: Action::ForceQuit,
        keys: &[Key::ctrl('c')],
        help: "quit (also while typing)",
    },
];

/// The action a key press means. In `text_mode` (a text field has the focus) keys that type a
/// character are not actions: `q` types a q, Ctrl-C still quits.
pub fn resolve(event: &KeyEvent, text_mode: bool) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    KEYMAP.iter().find_map(|b| {
        b.keys
            .iter()
            .any(|k| !(text_mode && k.is_text()) && k.matches(event))
            .then_some(b.action)
    })
}

/// The binding of an action.
pub fn binding(action: Action) -> &'static Binding {
    KEYMAP
        .iter()
        .find(|b| b.action == action)
        .expect("every action has a binding")
}

/// The keys of an action as shown on screen (`↑/k`), leaving out typing keys in `text_mode`.
pub fn keys_label(action: Action, text_mode: bool) -> String {
    binding(action)
        .keys
        .iter()
        .filter(|k| !(text_mode && k.is_text()))
        .map(Key::display)
        .collect::<Vec<_>>()
        .join("/")
}

/// The first key of an action usable in this mode, as shown on screen.
pub fn first_key(action: Action, text_mode: bool) -> String {
    binding(action)
        .keys
        .iter()
        .find(|k| !(text_mode && k.is_text()))
        .map(Key::display)
        .unwrap_or_default()
}

/// Keys a text field handles itself (typing, cursor, deleting) when it has the focus.
pub fn is_edit_key(event: &KeyEvent) -> bool {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    match event.code {
        KeyCode::Char('u') | KeyCode::Char('w') if ctrl => true,
        KeyCode::Char(_) => !ctrl && !alt,
        KeyCode::Backspace
        | KeyCode::Delete
        | KeyCode::Left
        | KeyCode::Right
        | KeyCode::Home
        | KeyCode::End => true,
        _ => false,
    }
}

/// A key press as a screen receives it: an action from the keymap, or an editing key for the
/// text field that has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Action(Action),
    Edit(KeyEvent),
}

/// An action a screen offers right now, with what it does there (`Enter` → "apply").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub action: Action,
    /// A second action shown with the first (`↑↓ move`).
    pub pair: Option<Action>,
    pub label: &'static str,
}

/// Shorthand for a [`Hint`].
pub const fn hint(action: Action, label: &'static str) -> Hint {
    Hint {
        action,
        pair: None,
        label,
    }
}

/// A hint for two opposite actions, such as up and down.
pub const fn hints2(first: Action, second: Action, label: &'static str) -> Hint {
    Hint {
        action: second,
        pair: Some(first),
        label,
    }
}

/// The keys of a multi-select list screen: while its filter is typed, and otherwise (with
/// `extra` before "back", such as the migrate screen's "deactivate keys").
pub fn pick_many_hints(filtering: bool, extra: &[Hint]) -> Vec<Hint> {
    if filtering {
        return vec![
            hint(Action::Accept, "end filter"),
            hint(Action::Back, "clear filter"),
            hints2(Action::Up, Action::Down, "move"),
        ];
    }
    let mut hints = vec![
        hints2(Action::Up, Action::Down, "move"),
        hint(Action::Toggle, "select"),
        hint(Action::Filter, "filter"),
        hint(Action::Accept, "continue"),
    ];
    hints.extend_from_slice(extra);
    hints.push(hint(Action::Back, "back"));
    hints
}

/// The keys of a hint for the footer: a pair shows the first key of each (`↑↓`).
pub fn hint_keys(h: &Hint, text_mode: bool, short: bool) -> String {
    match h.pair {
        Some(first) if short => format!(
            "{}{}",
            first_key(first, text_mode),
            first_key(h.action, text_mode)
        ),
        Some(first) => format!(
            "{} {}",
            keys_label(first, text_mode),
            keys_label(h.action, text_mode)
        ),
        None if short => first_key(h.action, text_mode),
        None => keys_label(h.action, text_mode),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn resolves_keys_and_respects_text_mode() {
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(resolve(&q, false), Some(Action::Quit));
        assert_eq!(resolve(&q, true), None);
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(resolve(&ctrl_c, true), Some(Action::ForceQuit));
        let question = key(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(resolve(&question, false), Some(Action::Help));
        assert_eq!(
            resolve(&key(KeyCode::Up, KeyModifiers::NONE), true),
            Some(Action::Up)
        );
        assert_eq!(
            resolve(&key(KeyCode::Char('c'), KeyModifiers::NONE), false),
            None
        );
    }

    #[test]
    fn labels_come_from_the_table() {
        assert_eq!(keys_label(Action::Up, false), "↑/k");
        assert_eq!(keys_label(Action::Up, true), "↑");
        assert_eq!(keys_label(Action::ForceQuit, true), "Ctrl-C");
        assert_eq!(keys_label(Action::Toggle, false), "Space");
        assert!(KEYMAP.iter().all(|b| !b.keys.is_empty()));
        assert_eq!(hint_keys(&hint(Action::Filter, "filter"), false, true), "/");
        assert_eq!(
            hint_keys(&hints2(Action::Up, Action::Down, "move"), false, true),
            "↑↓"
        );
        assert_eq!(hint_keys(&hint(Action::Help, "keys"), true, true), "F1");
    }
}
