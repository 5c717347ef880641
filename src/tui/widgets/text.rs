//! Text helpers: word wrapping with a hanging indent (long ARNs and subjects stay readable at 80
//! columns), the spinner, and the lines most screens start with (and where they go).

use crate::tui::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Braille spinner frames, one column wide each.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The spinner's frame for a tick count.
pub fn spinner(tick: usize) -> &'static str {
    SPINNER[tick % SPINNER.len()]
}

/// Splits `text` into lines of at most `width` columns, breaking at spaces only: a word longer
/// than a line (an ARN, a run id, a command's argument) stands whole on a line of its own and
/// overflows it, so text meant to be copied is never cut inside a token. Lines after the first
/// are meant to be indented by the caller, so they get `width - indent` columns.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let max = if lines.is_empty() {
            width.max(4)
        } else {
            width.saturating_sub(indent).max(4)
        };
        let used = current.chars().count();
        if used > 0 && used + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// The indent for a continuation line of `len` columns that wants `indent`: less when the line
/// would not fit `width` otherwise, so a long token is shown whole instead of cut off.
pub fn fitting_indent(indent: usize, len: usize, width: usize) -> usize {
    indent.min(width.saturating_sub(len))
}

/// Wraps a trust subject (`organization:…:run_phase:*`) after its `:` separators only: project
/// names may hold spaces, and a break there would read as two subjects.
pub fn wrap_subject(subject: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for part in subject.split_inclusive(':') {
        let mut part: Vec<char> = part.chars().collect();
        loop {
            let max = if lines.is_empty() {
                width.max(4)
            } else {
                width.saturating_sub(indent).max(4)
            };
            let used = current.chars().count();
            if used + part.len() <= max {
                current.extend(part.iter());
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            let rest = part.split_off(max);
            lines.push(part.iter().collect());
            part = rest;
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// `prefix` then a subject wrapped at its separators, continuation lines under the subject.
pub fn subject_lines(
    prefix: &str,
    subject: &str,
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    let indent = prefix.chars().count();
    wrap_subject(subject, width.saturating_sub(indent), 0)
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let lead = if i == 0 {
                prefix.to_string()
            } else {
                " ".repeat(indent)
            };
            Line::from(vec![Span::styled(lead, style), Span::styled(chunk, style)])
        })
        .collect()
}

/// `prefix` then `text` wrapped to `width` at spaces, continuation lines indented to the
/// prefix's width. A long token (an ARN) moves left to fit rather than being cut; only one wider
/// than the whole screen, which no row could show whole, is cut at the screen's edge instead of
/// being hidden by it.
pub fn wrapped(
    prefix: Span<'static>,
    text: &str,
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    let indent = prefix.content.chars().count();
    let blank_prefix = prefix.content.trim().is_empty();
    let mut lines = Vec::new();
    for (i, chunk) in wrap(text, width.saturating_sub(indent), 0)
        .into_iter()
        .enumerate()
    {
        let len = chunk.chars().count();
        let lead = if i == 0 && !blank_prefix {
            prefix.clone()
        } else {
            let spaces = " ".repeat(fitting_indent(indent, len, width));
            Span::styled(
                spaces,
                if i == 0 {
                    prefix.style
                } else {
                    Style::default()
                },
            )
        };
        let room = width.saturating_sub(lead.content.chars().count()).max(1);
        let chars: Vec<char> = chunk.chars().collect();
        for (j, piece) in chars.chunks(room).enumerate() {
            let piece: String = piece.iter().collect();
            match j {
                0 => lines.push(Line::from(vec![lead.clone(), Span::styled(piece, style)])),
                _ => lines.push(Line::from(Span::styled(piece, style))),
            }
        }
        if chars.is_empty() {
            lines.push(Line::from(vec![lead, Span::styled(String::new(), style)]));
        }
    }
    lines
}

/// Plain text wrapped to `width` with an indent of `indent` on every line.
pub fn paragraph(text: &str, style: Style, width: usize, indent: usize) -> Vec<Line<'static>> {
    wrapped(Span::raw(" ".repeat(indent)), text, style, width)
}

/// A screen's question, in bold.
pub fn heading(text: &str, theme: Theme) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme.bold()))
}

/// A screen's question and a dim explanation wrapped to `width`, then a blank line.
pub fn intro(title: &str, subtitle: &str, theme: Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![heading(title, theme)];
    lines.extend(paragraph(subtitle, theme.dim(), width, 0));
    lines.push(Line::raw(""));
    lines
}

/// Draws `intro` at the top of `area` and splits the rest into a body and `bottom` lines under
/// it (a list screen's status line, the apply screen's error and advice).
pub fn draw_intro(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    intro: Vec<Line<'static>>,
    bottom: u16,
) -> [ratatui::layout::Rect; 2] {
    use ratatui::layout::{Constraint, Layout};
    let [top, body, below] = Layout::vertical([
        Constraint::Length(intro.len() as u16),
        Constraint::Fill(1),
        Constraint::Length(bottom),
    ])
    .areas(area);
    frame.render_widget(ratatui::widgets::Paragraph::new(intro), top);
    [body, below]
}

/// `KEY = value`, or when it does not fit, the value on the next line further indented.
pub fn key_value(key: &str, value: &str, width: usize) -> Vec<Line<'static>> {
    let one = format!("{key} = {value}");
    if one.chars().count() + 2 <= width {
        return vec![Line::raw(format!("  {one}"))];
    }
    let mut lines = vec![Line::raw(format!("  {key} ="))];
    lines.extend(paragraph(value, Style::default(), width, 6));
    lines
}

/// "⠋ Loading projects…".
pub fn loading(text: &str, spinner: &'static str, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{spinner} "), theme.accent()),
        Span::raw(text.to_string()),
    ])
}

/// An error and what to do about it.
pub fn problem(error: &str, advice: &str, theme: Theme, width: usize) -> Vec<Line<'static>> {
    problem_at(0, error, advice, theme, width)
}

/// [`problem`], indented by `indent` columns.
pub fn problem_at(
    indent: usize,
    error: &str,
    advice: &str,
    theme: Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let lead = format!("{}✗ ", " ".repeat(indent));
    let mut lines = wrapped(
        Span::styled(lead, theme.error()),
        error,
        theme.error(),
        width,
    );
    if !advice.is_empty() {
        lines.extend(paragraph(advice, Style::default(), width, indent + 2));
    }
    lines
}

/// The page of `lines` that fits `height` rows from `scroll` on; when more follows, the last row
/// says how many lines are below, so a long plan never looks complete when it is not.
pub fn page_of(
    lines: Vec<Line<'static>>,
    scroll: usize,
    height: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let scroll = scroll.min(lines.len().saturating_sub(height));
    let below = lines.len().saturating_sub(scroll + height);
    let mut shown: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    if below > 0 && !shown.is_empty() {
        shown.pop();
        shown.push(Line::styled(
            format!("↓ {} more lines (↓/PgDn)", below + 1),
            theme.accent(),
        ));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_never_inside_a_word() {
        assert_eq!(wrap("a bb ccc", 4, 0), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghijkl", 8, 2), ["abcdefghijkl"]);
        assert_eq!(wrap("", 10, 0), [""]);
        let arn = "arn:aws:iam::123456789012:role/tfc-acme-corp-platform-network-production";
        let sentence = format!("the role {arn} now trusts run-AbCdEfGhIjKlMnOp of network");
        let lines = wrap(&sentence, 40, 2);
        assert_eq!(
            lines,
            [
                "the role",
                arn,
                "now trusts run-AbCdEfGhIjKlMnOp of",
                "network"
            ]
        );
        assert_eq!(lines.join(" "), sentence);
        let long = "x ".repeat(30);
        assert!(wrap(long.trim(), 20, 4)
            .iter()
            .skip(1)
            .all(|l| l.chars().count() <= 16));
    }

    #[test]
    fn a_long_token_keeps_whole_and_moves_left_to_fit() {
        let arn = "arn:aws:iam::123456789012:role/tfc-acme-corp-platform";
        let text = format!("role {arn}");
        let lines = wrapped(Span::raw("    "), &text, Style::default(), arn.len() + 4);
        let text_of = |lines: Vec<Line>| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert_eq!(text_of(lines), ["    role", &format!("    {arn}")]);
        // Two columns narrower: the ARN moves two columns left instead of losing its end.
        let narrow = wrapped(Span::raw("    "), &text, Style::default(), arn.len() + 2);
        assert_eq!(text_of(narrow), ["    role", &format!("  {arn}")]);
        assert_eq!(fitting_indent(6, 90, 80), 0);
        // Alone after a blank prefix, it moves left too.
        let alone = wrapped(Span::raw("  "), arn, Style::default(), arn.len() + 1);
        assert_eq!(text_of(alone), [format!(" {arn}")]);
        // Wider than the screen: cut at its edge, nothing hidden past it.
        let cut = wrapped(Span::raw("  "), arn, Style::default(), 40);
        assert_eq!(text_of(cut).concat(), arn);
    }

    #[test]
    fn subjects_break_after_separators_only() {
        let s = "organization:acme:project:Default Project:workspace:sandbox:run_phase:*";
        assert_eq!(
            wrap_subject(s, 50, 0),
            [
                "organization:acme:project:Default Project:",
                "workspace:sandbox:run_phase:*"
            ]
        );
        assert_eq!(wrap_subject(s, 100, 0).concat(), s);
    }
}
