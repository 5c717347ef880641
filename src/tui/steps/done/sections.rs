//! The parts of the Done screen that the summary printed when the wizard exits repeats (see
//! [`crate::tui::report`]): the title, the changes made, each role with the subjects it trusts,
//! the variables written, and the "Next" list. One place for the words, so the screen and the
//! shell say the same thing.

use crate::core::plan::Plan;
use crate::tui::msg::KeyOrigin;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{key_value, paragraph, subject_lines, wrapped};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Done's first line: what runs can do now (`migrated`: after a migration).
pub(crate) fn title(plan: &Plan, migrated: bool) -> &'static str {
    if migrated && plan.workspaces.len() == 1 {
        "Done: the workspace uses OIDC, and its static keys are removed."
    } else if migrated {
        "Done: the workspaces use OIDC, and their static keys are removed."
    } else if plan.roles.len() == 1 {
        "Done: HCP Terraform runs can now assume the role."
    } else {
        "Done: HCP Terraform runs can now assume the roles."
    }
}

/// "5 changes applied in AWS account … and on …", or that nothing had to change.
pub(crate) fn changes_text(plan: &Plan, applied: usize) -> String {
    if applied == 0 {
        return "Nothing had to change: this setup was already in place.".to_string();
    }
    // A migration may act in the keys' own accounts too.
    let mut accounts = vec![plan.account.as_str()];
    accounts.extend(plan.changes.iter().filter_map(|c| c.account.as_deref()));
    accounts.dedup();
    accounts[1..].sort_unstable();
    accounts.dedup();
    format!(
        "{applied} change{} applied in AWS account{} {}{} and on {}.",
        if applied == 1 { "" } else { "s" },
        if accounts.len() == 1 { "" } else { "s" },
        crate::core::text::and_list(&accounts),
        if accounts.len() == 1 { "" } else { "," },
        plan.host
    )
}

/// Each role (its ARN and the subjects it trusts), then the variables written, by target.
pub(crate) fn plan_lines(plan: &Plan, w: usize, t: Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for role in &plan.roles {
        out.push(Line::raw(""));
        let runs = role
            .phase
            .assumed_by(crate::core::trust::subject::for_stack(&role.subjects));
        out.push(Line::styled(format!("Role for {runs}"), t.bold()));
        out.extend(wrapped(Span::raw("  "), &role.arn, t.accent(), w));
        for s in &role.subjects {
            out.extend(subject_lines("  trusts ", s, Style::default(), w));
        }
    }
    let mut targets: Vec<String> = Vec::new();
    for v in &plan.variables {
        let target = v.target.to_string();
        if !targets.contains(&target) {
            targets.push(target);
        }
    }
    for target in targets {
        out.push(Line::raw(""));
        out.push(Line::styled(
            format!("Variables on {target} (env, not sensitive)"),
            t.bold(),
        ));
        for v in plan
            .variables
            .iter()
            .filter(|v| v.target.to_string() == target)
        {
            out.extend(key_value(&v.key, &v.value, w));
        }
    }
    out
}

/// "workspace NAME" for the first workspace set up, else "a workspace of the project".
pub(crate) fn first_workspace(plan: &Plan) -> String {
    plan.workspaces
        .first()
        .map_or("a workspace of the project".to_string(), |ws| {
            format!("workspace {}", ws.name)
        })
}

/// Next step for the default configuration: `how` asks for the verification ("Press v").
pub(crate) fn verify_text(how: &str, first: &str) -> String {
    format!("{how} to verify {first}: a plan-only run (it can never be applied) shows its AWS provider getting credentials through OIDC.")
}

/// Next step for a tagged configuration.
pub(crate) fn alias_text(first: &str, tag: &str, account: &str) -> String {
    format!("Add the provider blocks above to the configuration of {first}: resources with provider = aws.{tag} then use account {account}.")
}

/// Next step: where to see the runs assuming the role.
pub(crate) const ACTIVITY_TEXT: &str =
    "'tfc-oidc activity' lists each run assuming the role (CloudTrail's AssumeRoleWithWebIdentity events).";

/// One piece of advice per place static keys still come from, in the order first met; `how`
/// says how to move them off ("press m to migrate them").
pub(crate) fn static_key_advice(keys: &[(String, KeyOrigin)], how: &str) -> Vec<String> {
    let mut sources: Vec<(&KeyOrigin, Vec<&str>)> = Vec::new();
    for (workspace, source) in keys {
        match sources.iter_mut().find(|(s, _)| *s == source) {
            Some((_, names)) => names.push(workspace),
            None => sources.push((source, vec![workspace])),
        }
    }
    let tail = format!("({how}) so runs use OIDC only.");
    sources
        .into_iter()
        .map(|(source, names)| {
            let names = names.join(", ");
            match source {
                KeyOrigin::Workspace => {
                    format!("Static AWS keys are still set on {names}: delete them {tail}")
                }
                KeyOrigin::VariableSet(set) => format!(
                    "Static AWS keys still reach {names} through variable set {set}: remove them there {tail}"
                ),
            }
        })
        .collect()
}

/// "Next" and the numbered items (`true`: a warning).
pub(crate) fn next_lines(items: &[(String, bool)], w: usize, t: Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::raw(""), Line::styled("Next", t.bold())];
    for (i, (text, warn)) in items.iter().enumerate() {
        let style = if *warn { t.warn() } else { Style::default() };
        let number = Span::raw(format!("  {}. ", i + 1));
        out.extend(wrapped(number, text, style, w));
    }
    out
}

/// Done's title and what changed, as its first lines.
pub(crate) fn headline(
    plan: &Plan,
    applied: usize,
    migrated: bool,
    w: usize,
    t: Theme,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(title(plan, migrated), t.ok().patch(t.bold()))];
    out.extend(paragraph(
        &changes_text(plan, applied),
        Style::default(),
        w,
        0,
    ));
    out
}
