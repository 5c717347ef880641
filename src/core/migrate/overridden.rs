//! Whether the OIDC variables a project plan writes will be what a workspace's runs get. HCP
//! Terraform's precedence can hide them: a priority variable set carrying the same keys beats the
//! workspace's own variables, and the workspace's own variables beat a (non-priority) set. Where
//! that happens, removing the keys would leave the workspace without working credentials, so the
//! migration keeps them and says which set or variable is in the way.

use super::discover::KeyedWorkspace;
use super::notes;
use super::removals::{Left, LeftReason, Removals};
use crate::core::inventory::Inventory;
use crate::core::plan::{Note, Plan, PlannedVariable, VariableTarget};
use crate::core::ports::{Variable, VariableCategory, VariableSet};
use crate::core::variables::{effective_variables, VariableSource};
use std::collections::BTreeMap;

/// The id the planned variable set gets in the simulation (real ids start with `varset-`).
const PLANNED_SET: &str = "planned-set";

fn planned_var(v: &PlannedVariable) -> Variable {
    Variable {
        id: format!("planned-{}", v.key),
        key: v.key.clone(),
        value: Some(v.value.clone()),
        description: None,
        category: VariableCategory::Env,
        sensitive: false,
        hcl: false,
    }
}

/// What hides the planned OIDC variables of `ws` (a description), `None` when they take effect.
pub(super) fn hidden_by(
    inv: &Inventory,
    ws: &KeyedWorkspace,
    planned: &[PlannedVariable],
) -> Option<String> {
    let entry = inv.workspaces.iter().find(|w| w.workspace.id == ws.id)?;
    let mine: Vec<&PlannedVariable> = planned
        .iter()
        .filter(|v| match &v.target {
            VariableTarget::Workspace(w) => w.id == ws.id,
            VariableTarget::VariableSet(_) => true,
        })
        .collect();
    if mine.is_empty() {
        return None;
    }
    let mut own = entry.variables.clone();
    let mut sets: Vec<(VariableSet, Vec<Variable>)> = inv
        .variable_sets
        .iter()
        .map(|s| (s.set.clone(), s.variables.clone()))
        .collect();
    let to_set: Vec<Variable> = mine
        .iter()
        .filter(|v| matches!(v.target, VariableTarget::VariableSet(_)))
        .map(|v| planned_var(v))
        .collect();
    if let Some(name) = mine.iter().find_map(|v| match &v.target {
        VariableTarget::VariableSet(s) => Some(s.name.clone()),
        _ => None,
    }) {
        // The planned set may exist already: simulate it with its planned variables.
        sets.retain(|(s, _)| s.name != name);
        let set = VariableSet {
            id: PLANNED_SET.into(),
            name,
            description: None,
            global: false,
            priority: false,
            workspace_ids: vec![ws.id.clone()],
            project_ids: Vec::new(),
        };
        sets.push((set, to_set));
    }
    for v in mine
        .iter()
        .filter(|v| matches!(v.target, VariableTarget::Workspace(_)))
    {
        own.retain(|o| !(o.key == v.key && o.category == VariableCategory::Env));
        own.push(planned_var(v));
    }
    let effective = effective_variables(
        &ws.id,
        &ws.project_id,
        &own,
        sets.iter().map(|(s, v)| (s, v.as_slice())),
    );
    for v in &mine {
        let winner = effective
            .iter()
            .find(|e| e.variable.key == v.key && e.variable.category == VariableCategory::Env)?;
        let ours = winner.variable.id.starts_with("planned-");
        if !ours {
            return Some(format!(
                "{} sets {} on it and takes precedence over the OIDC variables",
                match &winner.source {
                    VariableSource::Workspace => "the workspace itself".to_string(),
                    s => s.describe(),
                },
                v.key
            ));
        }
    }
    None
}

/// The keyed workspaces whose runs would not get their project plan's OIDC variables (id → what
/// hides them), each said in `notes`.
pub(super) fn hidden_workspaces(
    inv: &Inventory,
    keyed: &[KeyedWorkspace],
    project_plans: &[(String, Plan)],
    notes: &mut Vec<Note>,
) -> BTreeMap<String, String> {
    let mut hidden = BTreeMap::new();
    for ws in keyed {
        let planned = project_plans.iter().find(|(p, plan)| {
            p == &ws.project && plan.workspaces.iter().any(|w| w.name == ws.name)
        });
        let by = planned.and_then(|(_, plan)| hidden_by(inv, ws, &plan.variables));
        if let Some(by) = by {
            notes.push(notes::oidc_hidden(&ws.name, &by));
            hidden.insert(ws.id.clone(), by);
        }
    }
    hidden
}

/// Leaves every key source of the `hidden` workspaces in place, saying what hides their OIDC
/// variables.
pub(super) fn leave_hidden(
    keyed: &[KeyedWorkspace],
    hidden: &BTreeMap<String, String>,
    removals: &mut Removals,
) {
    for ws in keyed.iter().filter(|w| hidden.contains_key(&w.id)) {
        let left = ws.sources.iter().map(|s| Left {
            source: s.source.clone(),
            why: LeftReason::OidcHidden {
                by: hidden[&ws.id].clone(),
            },
        });
        removals.left.insert(ws.id.clone(), left.collect());
    }
}
