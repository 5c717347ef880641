//! Apply progress: one line per change, a spinner while it runs, then ✓ or ✗ with the error.

use crate::tui::theme::Theme;
use crate::tui::widgets::text::wrapped;
use ratatui::text::{Line, Span};

/// Where one change is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pending,
    Running,
    Done,
    Failed(String),
    /// Not started because another change failed.
    Skipped,
}

/// The lines for each change, and the index of the first line of the change to keep in view
/// (the first running or failed one).
pub fn lines(
    summaries: &[String],
    statuses: &[Status],
    spinner: &'static str,
    theme: Theme,
    width: usize,
) -> (Vec<Line<'static>>, usize) {
    let mut out = Vec::new();
    let mut focus = None;
    for (summary, status) in summaries.iter().zip(statuses) {
        let (mark, style) = match status {
            Status::Pending => ("·", theme.dim()),
            Status::Running => (spinner, theme.accent()),
            Status::Done => ("✓", theme.ok()),
            Status::Failed(_) => ("✗", theme.error()),
            Status::Skipped => ("–", theme.dim()),
        };
        if focus.is_none() && matches!(status, Status::Running | Status::Failed(_)) {
            focus = Some(out.len());
        }
        let text_style = if matches!(status, Status::Pending | Status::Skipped) {
            theme.dim()
        } else {
            Default::default()
        };
        let text = if *status == Status::Skipped {
            format!("{summary} (not started)")
        } else {
            summary.clone()
        };
        out.extend(wrapped(
            Span::styled(format!("  {mark} "), style),
            &text,
            text_style,
            width,
        ));
        if let Status::Failed(error) = status {
            out.extend(wrapped(Span::raw("      "), error, theme.error(), width));
        }
    }
    let focus = focus.unwrap_or(out.len());
    (out, focus)
}

/// How many are done, out of how many.
pub fn done_count(statuses: &[Status]) -> usize {
    statuses.iter().filter(|s| **s == Status::Done).count()
}

/// A one-line tally.
pub fn tally(statuses: &[Status]) -> Line<'static> {
    let done = done_count(statuses);
    Line::from(Span::raw(format!(
        "{done} of {} done",
        crate::core::text::counted(statuses.len(), "change", "changes")
    )))
}
