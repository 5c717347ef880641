//! The step header: where you are ("Step 3 of 9: Project"), what was chosen so far, and the
//! trail of the path's steps with the current one highlighted. The path is the one the choices
//! so far lead to (a Stack's has no variables step), so the count is of steps the user will see.

use crate::tui::steps::Step;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the three header rows (title, trail, rule) into `area`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    steps: &[Step],
    step: Step,
    context: &str,
    demo: bool,
    theme: Theme,
) {
    let width = area.width as usize;
    let left = format!(
        " tfc-oidc · Step {} of {}: {}",
        step.number_on(steps),
        steps.len(),
        step.title()
    );
    let mut right = context.to_string();
    if demo {
        right = if right.is_empty() {
            "demo".into()
        } else {
            format!("{right} · demo")
        };
    }
    let room = width.saturating_sub(left.chars().count() + 2);
    if right.chars().count() > room {
        right = right
            .chars()
            .take(room.saturating_sub(1))
            .collect::<String>()
            + "…";
        if room == 0 {
            right.clear();
        }
    }
    let gap = width.saturating_sub(left.chars().count() + right.chars().count() + 1);
    let title = Line::from(vec![
        Span::styled(left, theme.bold()),
        Span::raw(" ".repeat(gap)),
        Span::styled(right, theme.accent()),
    ]);

    let full = width >= 96;
    let mut trail = vec![Span::raw(" ")];
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            trail.push(Span::styled(" › ", theme.dim()));
        }
        let name = if full { s.title() } else { s.short() };
        let style = match s.number_on(steps).cmp(&step.number_on(steps)) {
            std::cmp::Ordering::Less => theme.ok(),
            std::cmp::Ordering::Equal => theme.selected().patch(theme.bold()),
            std::cmp::Ordering::Greater => theme.dim(),
        };
        trail.push(Span::styled(name.to_string(), style));
    }
    let rule = Line::from(Span::styled("─".repeat(width), theme.dim()));
    frame.render_widget(Paragraph::new(vec![title, Line::from(trail), rule]), area);
}
