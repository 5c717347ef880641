//! Done's lines when the workspaces have more than one AWS configuration ("add another AWS
//! account"): each configuration's tag, account and role, and the Terraform the configuration
//! needs to use the tagged ones (`terraform_for_tags`); and for a Stack, the `.tfdeploy.hcl`
//! text its deployments need.

use crate::core::plan::Plan;
use crate::core::variables::dynamic_vars::terraform_for_tags;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::wrapped;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// One line per configuration, in the order set up (tag `None` = the default).
pub(crate) fn configuration_lines(
    all: &[(Option<&str>, &Plan)],
    w: usize,
    t: Theme,
) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::raw(""),
        Line::styled("AWS configurations of these workspaces", t.bold()),
    ];
    for (tag, plan) in all {
        let role = plan
            .roles
            .iter()
            .map(|r| r.arn.rsplit('/').next().unwrap_or(&r.arn).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let lead = format!("  {:<10} ", tag.unwrap_or("default"));
        let text = format!("account {}, role {role}", plan.account);
        out.extend(wrapped(
            Span::styled(lead, t.accent()),
            &text,
            Style::default(),
            w,
        ));
    }
    out
}

/// "Terraform the configuration needs", and the Terraform, when a tag is in use.
pub(crate) fn terraform_lines(tags: &[String], w: usize, t: Theme) -> Vec<Line<'static>> {
    if tags.is_empty() {
        return vec![];
    }
    let mut out = vec![
        Line::raw(""),
        Line::styled(
            "Terraform the configuration needs (provider blocks per account)",
            t.bold(),
        ),
    ];
    // Long lines wrap rather than being cut: every character of the code stays on screen.
    for line in terraform_for_tags(tags).lines() {
        let chars: Vec<char> = format!("  {line}").chars().collect();
        for part in chars.chunks(w.max(10)) {
            out.push(Line::raw(part.iter().collect::<String>()));
        }
    }
    out
}

/// A Stack's deployment configuration and what to do with it.
pub(crate) fn stack_lines(config: &str, w: usize, t: Theme, demo: bool) -> Vec<Line<'static>> {
    let mut out = stack_config_lines(config, w, t);
    out.extend(stack_next_lines(w, t, demo));
    out
}

/// A Stack's deployment configuration, lines longer than `w` cut (never dropped).
pub(crate) fn stack_config_lines(config: &str, w: usize, t: Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::raw(""),
        Line::styled(
            "Deployment configuration (add to the Stack's .tfdeploy.hcl)",
            t.bold(),
        ),
    ];
    for line in config.lines() {
        let chars: Vec<char> = format!("  {line}").chars().collect();
        if chars.is_empty() {
            out.push(Line::raw(""));
        }
        for part in chars.chunks(w.max(10)) {
            out.push(Line::raw(part.iter().collect::<String>()));
        }
    }
    out
}

/// What to do with a Stack's deployment configuration.
pub(crate) fn stack_next_lines(w: usize, t: Theme, demo: bool) -> Vec<Line<'static>> {
    let mut out = vec![Line::raw(""), Line::styled("Next", t.bold())];
    out.extend(wrapped(
        Span::raw("  1. "),
        "Commit the configuration above to the Stack's repository: each deployment's runs then assume the role (a Stack takes no variables).",
        Style::default(),
        w,
    ));
    out.extend(wrapped(
        Span::raw("  2. "),
        &crate::core::text::hints_for(
            demo,
            "'tfc-oidc activity' lists each run assuming the role.",
        ),
        Style::default(),
        w,
    ));
    out
}
