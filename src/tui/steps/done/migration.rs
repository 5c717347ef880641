//! The Done screen after a migration: the key variables removed, sets detached and keys
//! deactivated, then the migrated workspaces that still receive keys (or were left on them: an
//! account that cannot be reached), and why.

use crate::core::migrate::{Left, LeftReason, StillReceiving};
use crate::core::plan::{Change, PlannedChange};
use crate::core::variables::VariableSource;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{paragraph, wrapped};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The lines for the migration's `changes` and what `still` receives keys.
pub(crate) fn migration_lines(
    changes: &[PlannedChange],
    still: &[StillReceiving],
    left_on_keys: &[String],
    w: usize,
    t: Theme,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::raw("")];
    let removed: Vec<String> = changes
        .iter()
        .filter(|c| {
            matches!(
                c.change,
                Change::DeleteVariable(_)
                    | Change::DetachVariableSet(_)
                    | Change::SetAccessKeyStatus(_)
            )
        })
        .map(|c| c.change.summary())
        .collect();
    if !removed.is_empty() {
        out.push(Line::styled("Static keys removed", t.bold()));
        for text in removed {
            out.extend(wrapped(Span::raw("  - "), &text, Style::default(), w));
        }
        out.push(Line::raw(""));
    }
    if still.is_empty() && left_on_keys.is_empty() {
        out.extend(paragraph(
            "No migrated workspace receives static AWS keys any more.",
            t.ok(),
            w,
            0,
        ));
        return out;
    }
    out.push(Line::styled("Still receiving static AWS keys", t.bold()));
    for s in still {
        let from: Vec<String> = s.from.iter().map(left_text).collect();
        let text = format!("{} ({}): {}", s.workspace, s.project, from.join("; "));
        out.extend(wrapped(Span::raw("  "), &text, t.warn(), w));
    }
    for text in left_on_keys {
        out.extend(wrapped(Span::raw("  "), text, t.warn(), w));
    }
    out
}

/// "variable set legacy-aws-keys (it also reaches billing)".
fn left_text(left: &Left) -> String {
    let from = match &left.source {
        VariableSource::Workspace => "its own variables".to_string(),
        VariableSource::VariableSet { name, .. } => format!("variable set {name}"),
    };
    let why = match &left.why {
        LeftReason::SharedSet { others } => format!("it also reaches {}", others.join(", ")),
        LeftReason::WouldSwitchKey { to } => {
            format!("removing it would switch runs to a different key from {to}")
        }
        LeftReason::KeptFor { workspaces } => format!("kept for {}", workspaces.join(", ")),
        LeftReason::OidcHidden { by } => by.clone(),
    };
    format!("{from} ({why})")
}
