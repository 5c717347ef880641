//! The plan as a diff (`+` create, `~` update with old → new, `-` delete), grouped AWS / HCP
//! Terraform, and the exact trust policy documents the plan writes.

use crate::core::change::{CreateRole, Detail, UpdateTrustPolicy};
use crate::core::plan::{Change, Plan, Side, Verb};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{paragraph, subject_lines, wrap, wrapped};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

fn verb_style(verb: Verb, theme: Theme) -> Style {
    match verb {
        Verb::Create => theme.ok(),
        Verb::Update => theme.warn(),
        Verb::Delete => theme.error(),
    }
}

/// The changes under their headings: AWS in the plan's account, AWS in each other account a
/// migration reaches (a key's own account), then HCP Terraform.
fn change_groups(plan: &Plan) -> Vec<(String, Vec<&Change>)> {
    let aws_in = |account: Option<&str>| -> Vec<&Change> {
        let planned = plan.changes.iter();
        let here =
            planned.filter(|c| c.change.side() == Side::Aws && c.account.as_deref() == account);
        here.map(|c| &c.change).collect()
    };
    let mut groups = vec![(format!("AWS · account {}", plan.account), aws_in(None))];
    let mut others: Vec<&str> = plan
        .changes
        .iter()
        .filter_map(|c| c.account.as_deref())
        .collect();
    others.sort_unstable();
    others.dedup();
    for account in others {
        groups.push((format!("AWS · account {account}"), aws_in(Some(account))));
    }
    let tfc = plan.changes_on(Side::Tfc);
    groups.push((format!("HCP Terraform · {}", plan.host), tfc));
    groups
}

/// Every change, grouped by service, then the notes and the counts.
pub fn plan_lines(plan: &Plan, theme: Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if plan.is_empty() {
        lines.push(Line::styled(
            "Nothing to change: everything is already in place.",
            theme.ok(),
        ));
    }
    for (title, changes) in change_groups(plan) {
        if changes.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(title, theme.bold()));
        for change in changes {
            let verb = change.verb();
            let style = verb_style(verb, theme);
            lines.extend(wrapped(
                Span::styled(format!("  {} ", verb.symbol()), style),
                &change.summary(),
                style,
                width,
            ));
            for detail in change.details() {
                // Subjects a trust admits wrap at their `:` separators, under their lead.
                let (lead, subject) = match &detail {
                    Detail::Trusts(subject) => ("      trusts ", subject),
                    Detail::AddsTrust(subject) => ("      + trusts ", subject),
                    other => {
                        let text = other.to_string();
                        lines.extend(paragraph(&text, theme.dim(), width, 6));
                        continue;
                    }
                };
                lines.extend(subject_lines(lead, subject, theme.dim(), width));
            }
        }
    }
    if !plan.notes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Notes", theme.bold()));
        for note in &plan.notes {
            let style = if note.is_warning() {
                theme.warn()
            } else {
                Style::default()
            };
            lines.extend(wrapped(Span::raw("  · "), &note.to_string(), style, width));
        }
    }
    if !plan.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(plan.tally(), theme.bold()));
    }
    lines
}

/// The trust policy of each role the plan creates or extends, pretty-printed.
pub fn trust_lines(plan: &Plan, theme: Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for pc in &plan.changes {
        let (title, doc) = match &pc.change {
            Change::CreateRole(CreateRole {
                name, trust_policy, ..
            }) => (format!("Trust policy of the new role {name}"), trust_policy),
            Change::UpdateTrustPolicy(UpdateTrustPolicy { role_name, new, .. }) => (
                format!("Trust policy of role {role_name} after the update"),
                new,
            ),
            _ => continue,
        };
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(title, theme.bold()));
        let text = serde_json::to_string_pretty(doc).unwrap_or_default();
        for raw in text.lines() {
            let indent = raw.len() - raw.trim_start().len();
            // Continuation lines go deeper than the line they continue.
            let body = wrap(raw.trim_start(), width.saturating_sub(indent + 2), 2);
            for (i, chunk) in body.into_iter().enumerate() {
                let wanted = indent + 2 + if i == 0 { 0 } else { 2 };
                // A long value (an ARN, a subject) moves left rather than being cut off.
                let lead = Span::raw(" ".repeat(wanted));
                lines.extend(wrapped(lead, &chunk, Style::default(), width));
            }
        }
    }
    if lines.is_empty() {
        lines.push(Line::raw(
            "No trust policy changes: the roles already trust these workspaces.",
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::answers::{Answers, WorkspaceSelection};

    #[tokio::test]
    async fn trust_values_stay_whole_at_80_columns() {
        let sb = crate::sandbox::Sandbox::demo();
        let ws = WorkspaceSelection::Named(vec!["network-prod".into()]);
        let mut a = Answers::new("app.terraform.io", "acme-corp", "platform", ws);
        a.permissions.none = true;
        let plan = crate::core::planner::plan(&a, sb.iam.as_ref(), sb.tfc.as_ref())
            .await
            .unwrap();
        let lines: Vec<String> = trust_lines(&plan, Theme { colour: false }, 80)
            .iter()
            .map(|l| l.to_string())
            .collect();
        let subject =
            "\"organization:acme-corp:project:platform:workspace:network-prod:run_phase:*\"";
        let provider = "\"arn:aws:iam::123456789012:oidc-provider/app.terraform.io\"";
        for token in [subject, provider] {
            assert!(
                lines.iter().any(|l| l.contains(token)),
                "{token}: {lines:#?}"
            );
        }
        assert!(lines.iter().all(|l| l.chars().count() <= 80), "{lines:#?}");
    }
}
