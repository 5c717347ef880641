//! The help footer and the `?` overlay, both generated from the keymap: each hint names an
//! action, and the keys shown are the keys the keymap binds to it.

use crate::tui::keymap::{binding, hint_keys, keys_label, Action, Hint};
use crate::tui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

fn pair(hint: &Hint, text_mode: bool, theme: Theme) -> Vec<Span<'static>> {
    vec![
        Span::styled(hint_keys(hint, text_mode, true), theme.key()),
        Span::raw(format!(" {}", hint.label)),
    ]
}

fn width_of(spans: &[Span]) -> usize {
    spans.iter().map(|s| s.content.chars().count()).sum()
}

/// One line of hints; when they do not fit, the last step hints give way to the global ones.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    hints: &[Hint],
    globals: &[Hint],
    text_mode: bool,
    theme: Theme,
) {
    let width = area.width as usize;
    let global_spans: Vec<Vec<Span>> = globals.iter().map(|h| pair(h, text_mode, theme)).collect();
    let reserved: usize = global_spans.iter().map(|s| width_of(s) + 2).sum();
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for hint in hints {
        let p = pair(hint, text_mode, theme);
        let w = width_of(&p) + 2;
        if used + w + reserved > width {
            break;
        }
        used += w;
        spans.extend(p);
        spans.push(Span::raw("  "));
    }
    for p in global_spans {
        spans.extend(p);
        spans.push(Span::raw("  "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys of this screen and the global ones, in a box over the screen.
pub fn render_help(
    frame: &mut Frame,
    hints: &[Hint],
    globals: &[Hint],
    text_mode: bool,
    theme: Theme,
) {
    let mut rows: Vec<(String, String)> = Vec::new();
    for h in hints.iter().chain(globals) {
        let general = if h.pair.is_some() {
            ""
        } else {
            binding(h.action).help
        };
        let text = if general.is_empty() {
            h.label.to_string()
        } else if general.to_lowercase().contains(&h.label.to_lowercase()) {
            // "show the keys" already says "keys": no need for "keys — show the keys".
            general.to_string()
        } else {
            format!("{} — {general}", h.label)
        };
        rows.push((hint_keys(h, text_mode, false), text));
    }
    for action in [Action::Help, Action::ForceQuit] {
        if !hints.iter().chain(globals).any(|h| h.action == action) {
            rows.push((keys_label(action, false), binding(action).help.to_string()));
        }
    }
    let key_width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(4);
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(k, t)| {
            Line::from(vec![
                Span::styled(format!(" {k:<key_width$}  "), theme.key()),
                Span::raw(t),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " In text fields letters are typed: Ctrl-C quits, F1 helps.",
        theme.dim(),
    ));
    lines.push(Line::styled(" Any key closes this help.", theme.dim()));
    let area = frame.area();
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = (lines.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 3).min(area.width);
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, popup, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(mid);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys ")),
        popup,
    );
}
