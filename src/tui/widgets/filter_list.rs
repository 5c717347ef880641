//! A list with a fuzzy filter (nucleo-matcher): `/` starts typing a filter, the list narrows as
//! you type, best matches first, matched letters highlighted. Steps draw each row themselves.

use crate::tui::keymap::{Action, Input};
use crate::tui::theme::Theme;
use crate::tui::widgets::text_input::TextInput;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// A visible item: its index in the full list and the matched character positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub index: usize,
    pub positions: Vec<usize>,
}

/// What a key did to the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEvent {
    /// The list used the key.
    Handled,
    /// Enter on an item (index in the full list).
    Accept(usize),
    /// Space on an item.
    Toggle(usize),
    /// Not a list key: the step decides.
    Unhandled,
}

/// The list's state.
#[derive(Debug, Clone, Default)]
pub struct FilterList {
    items: Vec<String>,
    filter: TextInput,
    filtering: bool,
    visible: Vec<Match>,
    cursor: usize,
    /// Enter while typing the filter accepts the highlighted item (single choice lists); else it
    /// only ends the filter, so several items can be toggled.
    accept_from_filter: bool,
    /// Leading items that are options rather than things of the list ("every workspace"),
    /// left out of the count.
    uncounted: usize,
    /// Trailing items of another kind (a project's Stacks after its workspaces), left out of
    /// the count too.
    uncounted_tail: usize,
}

impl FilterList {
    /// An empty list; see the field for `accept_from_filter`.
    pub fn new(accept_from_filter: bool) -> FilterList {
        FilterList {
            accept_from_filter,
            ..FilterList::default()
        }
    }

    /// Leaves the first `n` items out of the count shown above the list.
    pub fn set_uncounted(&mut self, n: usize) {
        self.uncounted = n;
    }

    /// Leaves the last `n` items out of the count shown above the list.
    pub fn set_uncounted_tail(&mut self, n: usize) {
        self.uncounted_tail = n;
    }

    /// Replaces the items; the filter stays, the cursor goes to the first match.
    pub fn set_items(&mut self, items: Vec<String>) {
        self.items = items;
        self.refilter();
    }

    /// Every item, filtered or not.
    pub fn items(&self) -> &[String] {
        &self.items
    }

    /// The items the filter lets through, best first.
    pub fn visible(&self) -> &[Match] {
        &self.visible
    }

    /// The filter text.
    pub fn filter(&self) -> &str {
        self.filter.value()
    }

    /// Whether the filter is being typed (a text field has the focus).
    pub fn filtering(&self) -> bool {
        self.filtering
    }

    /// The highlighted item's index in the full list.
    pub fn highlighted(&self) -> Option<usize> {
        self.visible.get(self.cursor).map(|m| m.index)
    }

    /// Moves the highlight to the item with this text, if it is visible.
    pub fn highlight_text(&mut self, text: &str) {
        if let Some(pos) = self
            .visible
            .iter()
            .position(|m| self.items[m.index] == text)
        {
            self.cursor = pos;
        }
    }

    fn refilter(&mut self) {
        let pattern = Pattern::parse(
            self.filter.value(),
            CaseMatching::Smart,
            Normalization::Smart,
        );
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, Match)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(index, text)| {
                let mut positions = Vec::new();
                let score =
                    pattern.indices(Utf32Str::new(text, &mut buf), &mut matcher, &mut positions)?;
                positions.sort_unstable();
                positions.dedup();
                Some((
                    score,
                    Match {
                        index,
                        positions: positions.into_iter().map(|p| p as usize).collect(),
                    },
                ))
            })
            .collect();
        // Stable: equal scores keep the service's order.
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        self.visible = scored.into_iter().map(|(_, m)| m).collect();
        self.cursor = 0;
    }

    fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() as isize - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, last) as usize;
    }

    fn clear_filter(&mut self) {
        self.filter.set(String::new());
        self.filtering = false;
        self.refilter();
    }

    /// Handles a key.
    pub fn handle(&mut self, input: &Input) -> ListEvent {
        match input {
            Input::Edit(key) if self.filtering => {
                if self.filter.handle(key) {
                    self.refilter();
                }
                ListEvent::Handled
            }
            Input::Edit(_) => ListEvent::Unhandled,
            Input::Action(action) => self.action(*action),
        }
    }

    fn action(&mut self, action: Action) -> ListEvent {
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-10),
            Action::PageDown => self.move_by(10),
            Action::Filter if !self.filtering => self.filtering = true,
            Action::Back if self.filtering || !self.filter.value().is_empty() => {
                self.clear_filter()
            }
            Action::Accept if self.filtering && !self.accept_from_filter => self.filtering = false,
            Action::Accept => {
                self.filtering = false;
                return self
                    .highlighted()
                    .map_or(ListEvent::Unhandled, ListEvent::Accept);
            }
            Action::Toggle if !self.filtering => {
                return self
                    .highlighted()
                    .map_or(ListEvent::Unhandled, ListEvent::Toggle);
            }
            _ => return ListEvent::Unhandled,
        }
        ListEvent::Handled
    }

    /// The item's text with the matched letters in the accent style.
    pub fn label_spans(&self, m: &Match, theme: Theme) -> Vec<Span<'static>> {
        self.items[m.index]
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let style = if m.positions.contains(&i) {
                    theme.accent().patch(theme.bold())
                } else {
                    Style::default()
                };
                Span::styled(c.to_string(), style)
            })
            .collect()
    }

    /// "3 workspaces", or "1 of 3 workspaces" under a filter (the uncounted options and
    /// trailing Stacks left out), and the noun used.
    fn count_text<'n>(&self, nouns: (&'n str, &'n str)) -> (String, &'n str) {
        let end = self.items.len().saturating_sub(self.uncounted_tail);
        let total = end.saturating_sub(self.uncounted);
        let noun = if total == 1 { nouns.0 } else { nouns.1 };
        let count = if self.filter.value().is_empty() {
            format!("{total} {noun}")
        } else {
            let shown = self
                .visible
                .iter()
                .filter(|m| m.index >= self.uncounted && m.index < end)
                .count();
            format!("{shown} of {total} {noun}")
        };
        (count, noun)
    }

    /// Draws the filter line and the visible rows; `row(match, highlighted)` builds each row.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: Theme,
        nouns: (&str, &str),
        row: impl Fn(&Match, bool) -> Line<'static>,
    ) {
        if area.height == 0 {
            return;
        }
        let (count, noun) = self.count_text(nouns);
        let filter_line = if self.filtering || !self.filter.value().is_empty() {
            let width = (area.width as usize)
                .saturating_sub(10 + count.len())
                .clamp(4, 30);
            let (field, cursor) = self.filter.render(width, self.filtering, theme);
            if let Some(x) = cursor {
                frame.set_cursor_position((area.x + 8 + x, area.y));
            }
            let mut spans = vec![Span::styled("Filter: ", theme.accent())];
            spans.extend(field.spans);
            spans.push(Span::styled(format!("  {count}"), theme.dim()));
            Line::from(spans)
        } else {
            Line::from(Span::styled(format!("{count} · / to filter"), theme.dim()))
        };
        frame.render_widget(Paragraph::new(filter_line), Rect { height: 1, ..area });
        let rows = (area.height - 1) as usize;
        if self.visible.is_empty() {
            let text = if self.items.is_empty() {
                format!("No {noun}.")
            } else {
                "Nothing matches the filter (Esc clears it).".into()
            };
            let line = Line::from(Span::styled(format!("  {text}"), theme.dim()));
            frame.render_widget(
                Paragraph::new(line),
                Rect {
                    y: area.y + 1,
                    height: 1,
                    ..area
                },
            );
            return;
        }
        // Stateless scrolling: the highlight stays on screen, pinned to the bottom when needed.
        let offset = (self.cursor + 1).saturating_sub(rows);
        let lines: Vec<Line> = self
            .visible
            .iter()
            .enumerate()
            .skip(offset)
            .take(rows)
            .map(|(i, m)| {
                let highlighted = i == self.cursor;
                let line = row(m, highlighted);
                if highlighted {
                    line.patch_style(theme.selected())
                } else {
                    line
                }
            })
            .collect();
        let body = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        frame.render_widget(Paragraph::new(lines), body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(c: char) -> Input {
        Input::Edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    #[test]
    fn filters_fuzzily_and_accepts() {
        let mut list = FilterList::new(true);
        list.set_items(vec![
            "network-prod".into(),
            "payments-api".into(),
            "network-staging".into(),
        ]);
        assert_eq!(
            list.handle(&Input::Action(Action::Down)),
            ListEvent::Handled
        );
        assert_eq!(list.highlighted(), Some(1));
        list.handle(&Input::Action(Action::Filter));
        assert!(list.filtering());
        for c in "nstg".chars() {
            list.handle(&typed(c));
        }
        assert_eq!(list.visible().len(), 1);
        assert_eq!(list.highlighted(), Some(2));
        assert_eq!(
            list.handle(&Input::Action(Action::Accept)),
            ListEvent::Accept(2)
        );
        assert!(!list.filtering());
        list.handle(&Input::Action(Action::Back));
        assert_eq!(list.visible().len(), 3);
    }

    #[test]
    fn multi_select_lists_end_the_filter_on_enter() {
        let mut list = FilterList::new(false);
        list.set_items(vec!["a".into(), "b".into()]);
        list.handle(&Input::Action(Action::Filter));
        list.handle(&typed('b'));
        assert_eq!(
            list.handle(&Input::Action(Action::Accept)),
            ListEvent::Handled
        );
        assert_eq!(
            list.handle(&Input::Action(Action::Toggle)),
            ListEvent::Toggle(1)
        );
    }
}
