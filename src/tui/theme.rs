//! Styles for the wizard. The terminal's own foreground and background stay in charge (so dark
//! and light themes both read well); colour is only an accent, and `NO_COLOR` turns it off.

use ratatui::style::{Color, Modifier, Style};

/// The few styles every screen uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours may be used at all.
    pub colour: bool,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Theme {
        Theme {
            colour: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// A theme without any colour (modifiers only).
    pub fn plain() -> Theme {
        Theme { colour: false }
    }

    fn fg(self, colour: Color) -> Style {
        if self.colour {
            Style::new().fg(colour)
        } else {
            Style::new()
        }
    }

    /// Success, creations.
    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }

    /// Warnings, updates.
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Failures, deletions.
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Keys, links and other things to notice.
    pub fn accent(self) -> Style {
        self.fg(Color::Cyan)
    }

    /// Headings and labels.
    pub fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Secondary text.
    pub fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    /// The highlighted row or choice.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A text field's editable area.
    pub fn field(self) -> Style {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }

    /// A key name in the footer and the help.
    pub fn key(self) -> Style {
        self.accent().add_modifier(Modifier::BOLD)
    }
}
