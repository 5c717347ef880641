//! What a wizard session applied, and the summary printed in the shell when it exits. A session
//! can finish several paths: the setup, then more AWS accounts added from Done (`a`, tagged
//! configurations), or a migration (`m`). The summary lists every one of them in the words of
//! the Done screen (it reuses Done's sections), without the keys that only work on the screen.

use crate::core::migrate::StillReceiving;
use crate::core::plan::Plan;
use crate::core::review::{shell_word, tfc_oidc};
use crate::tui::msg::KeyOrigin;
use crate::tui::steps::done::accounts::{
    configuration_lines, stack_config_lines, stack_next_lines, terraform_lines,
};
use crate::tui::steps::done::migration::migration_lines;
use crate::tui::steps::done::sections;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::paragraph;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

/// Role ARNs, subjects, variables and code are never wrapped in the shell: they stay whole for
/// copying (the terminal folds them if it must).
const UNWRAPPED: usize = 100_000;

/// Sentences wrap at the terminal's width, up to this many columns.
const MAX_TEXT_WIDTH: usize = 100;

/// One path the session finished on its Done screen: a setup (the default configuration or a
/// tagged one) or a migration.
#[derive(Debug, Clone, PartialEq)]
pub struct Configured {
    /// The tag of a configuration added with "add another AWS account" (`None`: the default).
    pub alias: Option<String>,
    pub plan: Plan,
    /// Changes applied (0 when everything was already in place).
    pub applied: usize,
    /// Workspaces set up that still receive static keys, and from where.
    pub static_keys: Vec<(String, KeyOrigin)>,
    /// After a migration: the migrated workspaces that still receive keys.
    pub still_receiving: Option<Vec<StillReceiving>>,
    /// After a migration: workspaces left on their keys (an account that cannot be reached).
    pub left_on_keys: Vec<String>,
}

impl Configured {
    fn migrated(&self) -> bool {
        self.still_receiving.is_some()
    }

    /// "default configuration", "ANALYTICS configuration", "Migration off static keys".
    fn heading(&self) -> String {
        match (&self.alias, self.migrated()) {
            (_, true) => "Migration off static keys".to_string(),
            (Some(tag), false) => format!("{tag} configuration"),
            (None, false) => "default configuration".to_string(),
        }
    }
}

/// Every path the session finished, in order; the last is the Done screen left on.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub earlier: Vec<Configured>,
    pub last: Configured,
}

impl Report {
    /// The session's paths in order; `None` when there is none.
    pub fn of(mut all: Vec<Configured>) -> Option<Report> {
        let last = all.pop()?;
        Some(Report { earlier: all, last })
    }

    /// The plan of the Done screen the wizard was left on.
    pub fn plan(&self) -> &Plan {
        &self.last.plan
    }

    /// Every path, in order.
    pub fn all(&self) -> impl Iterator<Item = &Configured> {
        self.earlier.iter().chain(std::iter::once(&self.last))
    }

    /// Some path changed something.
    pub fn changed_anything(&self) -> bool {
        self.all().any(|c| c.applied > 0)
    }

    /// The summary for the shell (ANSI bold and colours when `colour`), sentences wrapped to
    /// `width` columns (at most [`MAX_TEXT_WIDTH`]).
    pub fn text(&self, colour: bool, width: usize) -> String {
        let theme = Theme { colour };
        let mut out = String::new();
        for line in self.lines(width.clamp(20, MAX_TEXT_WIDTH), theme) {
            out.push_str(&ansi(&line, colour));
            out.push('\n');
        }
        out
    }

    fn lines(&self, w: usize, t: Theme) -> Vec<Line<'static>> {
        let all: Vec<&Configured> = self.all().collect();
        let several = all.len() > 1;
        let title = match all.iter().find(|c| c.migrated()) {
            Some(migration) => sections::title(&migration.plan, true),
            None if several => "Done: HCP Terraform runs can now assume the roles.",
            None => sections::title(&self.last.plan, false),
        };
        let mut out = vec![Line::styled(title, t.ok().patch(t.bold()))];
        let configurations: Vec<(Option<&str>, &Plan)> = all
            .iter()
            .filter(|c| !c.migrated())
            .map(|c| (c.alias.as_deref(), &c.plan))
            .collect();
        let tags: Vec<String> = all.iter().filter_map(|c| c.alias.clone()).collect();
        if !tags.is_empty() {
            out.extend(configuration_lines(&configurations, w, t));
        }
        for c in &all {
            if several {
                out.push(Line::raw(""));
                out.push(Line::styled(c.heading(), t.bold()));
            }
            out.extend(paragraph(
                &sections::changes_text(&c.plan, c.applied),
                Style::default(),
                w,
                0,
            ));
            if let Some(still) = &c.still_receiving {
                out.extend(migration_lines(
                    &c.plan.changes,
                    still,
                    &c.left_on_keys,
                    w,
                    t,
                ));
            }
            out.extend(sections::plan_lines(&c.plan, UNWRAPPED, t));
            if let Some(config) = &c.plan.deployment_config {
                out.extend(stack_config_lines(config, UNWRAPPED, t));
                // The shell's copy gets `--demo` as a whole (`cli::wizard`).
                out.extend(stack_next_lines(w, t, false));
            }
        }
        if all.iter().any(|c| c.plan.deployment_config.is_some()) {
            // The Stack's lines end with its own next steps.
            return out;
        }
        out.extend(terraform_lines(&tags, UNWRAPPED, t));
        out.extend(sections::next_lines(&self.next_items(&all), w, t));
        out
    }

    /// Done's "Next", with commands where the screen has keys.
    fn next_items(&self, all: &[&Configured]) -> Vec<(String, bool)> {
        let mut items = Vec::new();
        let mut verify = true;
        for c in all {
            let first = sections::first_workspace(&c.plan);
            match (&c.alias, c.plan.workspaces.first()) {
                (Some(tag), _) => {
                    items.push((sections::alias_text(&first, tag, &c.plan.account), false))
                }
                // One verification is enough: the first workspace of the default configuration.
                (None, Some(ws)) if verify => {
                    verify = false;
                    let how = format!(
                        "Run '{} verify --org {} --workspace {}'",
                        tfc_oidc(&c.plan.host),
                        shell_word(&c.plan.organization),
                        shell_word(&ws.name)
                    );
                    items.push((sections::verify_text(&how, &first), false));
                }
                _ => {}
            }
        }
        items.push((sections::ACTIVITY_TEXT.to_string(), false));
        // A migration in the session took the keys the setup found: its own lines say what is
        // left.
        if !all.iter().any(|c| c.migrated()) {
            let keys: Vec<(String, KeyOrigin)> =
                all.iter().flat_map(|c| c.static_keys.clone()).collect();
            let advice = sections::static_key_advice(&keys, "run 'tfc-oidc migrate' to move them");
            items.extend(advice.into_iter().map(|a| (a, true)));
        }
        items
    }
}

/// A line as text: server text with control characters escaped, and bold and colours as ANSI
/// escapes when `colour`.
fn ansi(line: &Line, colour: bool) -> String {
    let mut out = String::new();
    for span in &line.spans {
        let text = crate::core::text::escape_control(&span.content);
        let style = line.style.patch(span.style);
        let codes = if colour { sgr(style) } else { String::new() };
        if codes.is_empty() {
            out.push_str(&text);
        } else {
            out.push_str(&format!("\x1b[{codes}m{text}\x1b[0m"));
        }
    }
    out.trim_end().to_string()
}

/// The SGR codes of the few styles the theme uses.
fn sgr(style: Style) -> String {
    let mut codes: Vec<&str> = Vec::new();
    if style.add_modifier.contains(Modifier::BOLD) {
        codes.push("1");
    }
    if style.add_modifier.contains(Modifier::DIM) {
        codes.push("2");
    }
    codes.push(match style.fg {
        Some(Color::Green) => "32",
        Some(Color::Yellow) => "33",
        Some(Color::Red) => "31",
        Some(Color::Cyan) => "36",
        _ => "",
    });
    codes.retain(|c| !c.is_empty());
    codes.join(";")
}
