//! Printing plans and results: a diff-like text for people, JSON for programs.

use crate::core::apply::ApplyReport;
use crate::core::change::CreateVariable;
use crate::core::plan::{Change, Plan, PlannedVariable, Side, VariableTarget, Verb};
use crate::core::trust::subject::for_stack;
use serde_json::{json, Value};
use std::io::IsTerminal;

/// Server text with control characters escaped so it cannot drive the terminal (see
/// [`crate::core::text::escape_control`]); every command's text output goes through it.
pub fn escape(s: &str) -> String {
    crate::core::text::escape_control(s).into_owned()
}

/// Whether to colour stdout: a terminal, and no `NO_COLOR`.
pub fn colour_enabled() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `text` in the SGR style `code` (`"1"` bold, `"31"` red…) when `colour`, else as it is.
pub fn paint(text: &str, code: &str, colour: bool) -> String {
    if colour {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// A change in its verb's colour: green to create, yellow to update, red to delete.
fn paint_change(text: &str, verb: Verb, colour: bool) -> String {
    let code = match verb {
        Verb::Create => "32",
        Verb::Update => "33",
        Verb::Delete => "31",
    };
    paint(text, code, colour)
}

fn bold(text: &str, colour: bool) -> String {
    paint(text, "1", colour)
}

/// The plan as a diff, grouped by service.
pub fn plan_text(plan: &Plan, colour: bool) -> String {
    plan_text_or(
        plan,
        colour,
        "Nothing to change: everything is already in place.",
    )
}

/// [`plan_text`] with the sentence an empty plan shows (undo has nothing to revert, rather than
/// everything in place).
pub fn plan_text_or(plan: &Plan, colour: bool, when_empty: &str) -> String {
    let mut out = String::new();
    let scope = plan.scope();
    out.push_str(&bold(
        &format!(
            "Plan for {} on {} (AWS account {})",
            escape(&scope),
            plan.host,
            plan.account
        ),
        colour,
    ));
    out.push('\n');
    if plan.is_empty() {
        out.push_str(&format!("\n{when_empty}\n"));
    }
    for (side, title) in [(Side::Aws, "AWS"), (Side::Tfc, "HCP Terraform")] {
        let changes: Vec<_> = plan
            .changes
            .iter()
            .filter(|c| c.change.side() == side)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(&bold(title, colour));
        out.push('\n');
        for planned in changes {
            let change = &planned.change;
            let verb = change.verb();
            // A change of another account than the plan's says which.
            let place = match &planned.account {
                Some(a) => format!(" (in AWS account {a})"),
                None => String::new(),
            };
            out.push_str(&paint_change(
                &format!("  {} {}{place}", verb.symbol(), escape(&change.summary())),
                verb,
                colour,
            ));
            out.push('\n');
            for detail in change.details() {
                out.push_str(&format!("      {}\n", escape(&detail.to_string())));
            }
        }
    }
    if !plan.notes.is_empty() {
        out.push_str("\nNotes\n");
        for note in &plan.notes {
            out.push_str(&format!("  {}\n", escape(&note.to_string())));
        }
    }
    if !plan.is_empty() {
        out.push_str(&format!(
            "\n{} (AWS {}, HCP Terraform {}).\n",
            plan.tally(),
            plan.count(Side::Aws),
            plan.count(Side::Tfc),
        ));
    }
    out
}

/// What a finished setup leads to: roles, subjects, variables and what to do next.
pub fn summary_text(plan: &Plan, colour: bool) -> String {
    let mut out = String::new();
    out.push_str(&bold("Done.", colour));
    out.push('\n');
    for role in &plan.roles {
        let label = role.phase.role_label(for_stack(&role.subjects));
        out.push_str(&format!("\nRole ({label}): {}\n", role.arn));
        for s in &role.subjects {
            out.push_str(&format!("  trusts {}\n", escape(s)));
        }
    }
    if !plan.variables.is_empty() {
        out.push_str("\nVariables (env, not sensitive):\n");
        for v in &plan.variables {
            let line = format!("{} = {} on {}", v.key, v.value, v.target);
            out.push_str(&format!("  {}\n", escape(&line)));
        }
    }
    let mut tags: Vec<String> = plan
        .variables
        .iter()
        .filter_map(|v| crate::core::variables::dynamic_vars::parse(&v.key).and_then(|(_, t)| t))
        .collect();
    tags.sort();
    tags.dedup();
    if !tags.is_empty() {
        out.push_str(
            "\nThe Terraform configuration of these workspaces needs (HCP Terraform fills in the variable):\n\n",
        );
        out.push_str(&crate::core::variables::dynamic_vars::terraform_for_tags(
            &tags,
        ));
    }
    if let Some(config) = &plan.deployment_config {
        out.push_str(
            "\nThe Stack's deployment configuration (.tfdeploy.hcl) needs, with an\n\
             assume_role_with_web_identity block in its AWS provider taking both inputs:\n\n",
        );
        out.push_str(config);
        return out;
    }
    let first = plan
        .workspaces
        .first()
        .map_or("a workspace".to_string(), |w| {
            format!("workspace {}", w.name)
        });
    out.push_str(&format!(
        "\nNext: queue a plan in {first}; its AWS provider now authenticates through {}.\n\
         AWS CloudTrail records each run as an AssumeRoleWithWebIdentity event.\n",
        crate::core::text::and_list(
            &plan
                .roles
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
        ),
    ));
    out
}

fn target_string(target: &VariableTarget) -> String {
    match target {
        VariableTarget::Workspace(ws) => format!("workspace:{}", ws.name),
        VariableTarget::VariableSet(set) => format!("varset:{}", set.name),
    }
}

/// One change for JSON output: its fields, its summary and what it waits for.
pub fn change_json(plan: &Plan, index: usize) -> Value {
    let planned = &plan.changes[index];
    let mut v = serde_json::to_value(planned).unwrap_or(Value::Null);
    if let Some(obj) = v.as_object_mut() {
        // Key ids stay whole here (`access_key_id`, an `AWS_ACCESS_KEY_ID`'s `expected_value`):
        // programs match them against IAM; they are ids, not secrets. The summary, for people,
        // shows them shortened.
        obj.insert("summary".into(), Value::String(planned.change.summary()));
    }
    v
}

/// Variable ids after an apply: created ids from the report, else what existed.
fn variable_ids(
    plan: &Plan,
    report: Option<&ApplyReport>,
) -> Vec<(PlannedVariable, Option<String>)> {
    plan.variables
        .iter()
        .map(|v| {
            let created = report.and_then(|r| {
                plan.changes
                    .iter()
                    .zip(&r.outcomes)
                    .find_map(|(c, o)| match &c.change {
                        Change::CreateVariable(CreateVariable { target, key, .. })
                            if target_eq(target, &v.target) && key == &v.key =>
                        {
                            o.id.clone()
                        }
                        _ => None,
                    })
            });
            (v.clone(), created.or_else(|| v.id.clone()))
        })
        .collect()
}

fn target_eq(a: &VariableTarget, b: &VariableTarget) -> bool {
    match (a, b) {
        (VariableTarget::Workspace(x), VariableTarget::Workspace(y)) => x.id == y.id,
        (VariableTarget::VariableSet(x), VariableTarget::VariableSet(y)) => x.name == y.name,
        _ => false,
    }
}

/// The JSON document of `setup --format json` (and the base of `migrate`'s).
pub fn setup_json(plan: &Plan, report: Option<&ApplyReport>, applied: bool) -> Value {
    json!({
        "plan": (0..plan.changes.len()).map(|i| change_json(plan, i)).collect::<Vec<_>>(),
        "applied": applied,
        "provider_arn": plan.provider_arn,
        "roles": plan.roles.iter().map(|r| json!({"name": r.name, "arn": r.arn, "phase": r.phase})).collect::<Vec<_>>(),
        "variables": variable_ids(plan, report)
            .into_iter()
            .map(|(v, id)| json!({"target": target_string(&v.target), "key": v.key, "id": id}))
            .collect::<Vec<_>>(),
        "notes": plan.note_lines(),
        "deployment_config": plan.deployment_config,
    })
}
