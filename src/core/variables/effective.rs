//! What a run of a workspace gets: HCP Terraform's variable precedence, computed from the
//! workspace's own variables and the organization's variable sets (no per-workspace call).
//!
//! From HashiCorp's "Variables" page ("Precedence"), highest first:
//! 1. priority variable sets, the more specific reach first (workspace, project, global) —
//!    they override even workspace variables;
//! 2. the workspace's own variables;
//! 3. variable sets attached to the workspace, then those attached to its project, then global
//!    ones (non-global sets always beat global sets).
//!
//! Within one of these tiers, when two sets carry the same key, the set whose name comes first in
//! lexical order wins ("A_Variable_Set" over "B_Variable_Set").

use crate::core::ports::{Variable, VariableCategory, VariableSet};
use serde::Serialize;

/// How a variable set reaches a workspace (the most specific way, when there are several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Attached to the workspace itself.
    Workspace,
    /// Attached to the workspace's project.
    Project,
    /// A global set: every workspace of the organization.
    Global,
}

/// Where an effective variable comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum VariableSource {
    Workspace,
    VariableSet {
        id: String,
        name: String,
        reach: Reach,
        priority: bool,
    },
}

impl VariableSource {
    /// `workspace` or `variable set NAME`, for messages.
    pub fn describe(&self) -> String {
        match self {
            VariableSource::Workspace => "the workspace".into(),
            VariableSource::VariableSet { name, reach, .. } => {
                let how = match reach {
                    Reach::Workspace => "attached to the workspace",
                    Reach::Project => "attached to its project",
                    Reach::Global => "global",
                };
                format!("variable set {name} ({how})")
            }
        }
    }

    pub fn set_id(&self) -> Option<&str> {
        match self {
            VariableSource::Workspace => None,
            VariableSource::VariableSet { id, .. } => Some(id),
        }
    }
}

/// A variable a run gets, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveVariable {
    pub variable: Variable,
    pub source: VariableSource,
}

/// How a set reaches a workspace in `project_id`, if it does.
pub fn reach_of(set: &VariableSet, workspace_id: &str, project_id: &str) -> Option<Reach> {
    if set.workspace_ids.iter().any(|w| w == workspace_id) {
        Some(Reach::Workspace)
    } else if set.project_ids.iter().any(|p| p == project_id) {
        Some(Reach::Project)
    } else if set.global {
        Some(Reach::Global)
    } else {
        None
    }
}

/// Ordering key: lower wins.
fn rank(source: &VariableSource) -> (u8, String) {
    match source {
        VariableSource::Workspace => (3, String::new()),
        VariableSource::VariableSet {
            name,
            reach,
            priority,
            ..
        } => {
            let tier = match (priority, reach) {
                (true, Reach::Workspace) => 0,
                (true, Reach::Project) => 1,
                (true, Reach::Global) => 2,
                (false, Reach::Workspace) => 4,
                (false, Reach::Project) => 5,
                (false, Reach::Global) => 6,
            };
            (tier, name.clone())
        }
    }
}

/// The effective variables of a workspace in `project_id`: its own `variables`, and the
/// variables of every set in `sets` that reaches it; one per key and category.
pub fn effective_variables<'a>(
    workspace_id: &str,
    project_id: &str,
    variables: &[Variable],
    sets: impl IntoIterator<Item = (&'a VariableSet, &'a [Variable])>,
) -> Vec<EffectiveVariable> {
    let mut candidates: Vec<EffectiveVariable> = variables
        .iter()
        .map(|v| EffectiveVariable {
            variable: v.clone(),
            source: VariableSource::Workspace,
        })
        .collect();
    for (set, vars) in sets {
        let Some(reach) = reach_of(set, workspace_id, project_id) else {
            continue;
        };
        candidates.extend(vars.iter().map(|v| EffectiveVariable {
            variable: v.clone(),
            source: VariableSource::VariableSet {
                id: set.id.clone(),
                name: set.name.clone(),
                reach,
                priority: set.priority,
            },
        }));
    }
    candidates.sort_by_key(|a| rank(&a.source));
    let mut seen: Vec<(String, VariableCategory)> = Vec::new();
    let mut out = Vec::new();
    for c in candidates {
        let k = (c.variable.key.clone(), c.variable.category);
        if !seen.contains(&k) {
            seen.push(k);
            out.push(c);
        }
    }
    out.sort_by(|a, b| a.variable.key.cmp(&b.variable.key));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(id: &str, key: &str, value: &str) -> Variable {
        Variable {
            id: id.into(),
            key: key.into(),
            value: Some(value.into()),
            description: None,
            category: VariableCategory::Env,
            sensitive: false,
            hcl: false,
        }
    }

    fn set(
        id: &str,
        name: &str,
        global: bool,
        priority: bool,
        ws: &[&str],
        prj: &[&str],
    ) -> VariableSet {
        VariableSet {
            id: id.into(),
            name: name.into(),
            description: None,
            global,
            priority,
            workspace_ids: ws.iter().map(|s| s.to_string()).collect(),
            project_ids: prj.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn winner(own: &[Variable], sets: &[(VariableSet, Vec<Variable>)]) -> String {
        let eff = effective_variables(
            "ws-1",
            "prj-1",
            own,
            sets.iter().map(|(s, v)| (s, v.as_slice())),
        );
        eff.iter()
            .find(|e| e.variable.key == "K")
            .map(|e| e.variable.value.clone().unwrap())
            .unwrap_or_default()
    }

    #[test]
    fn precedence_order() {
        let g = (
            set("s1", "global", true, false, &[], &[]),
            vec![var("v1", "K", "global")],
        );
        let p = (
            set("s2", "proj", false, false, &[], &["prj-1"]),
            vec![var("v2", "K", "project")],
        );
        let w = (
            set("s3", "wsset", false, false, &["ws-1"], &[]),
            vec![var("v3", "K", "wsset")],
        );
        let own = vec![var("v0", "K", "own")];
        assert_eq!(winner(&[], std::slice::from_ref(&g)), "global");
        assert_eq!(winner(&[], &[g.clone(), p.clone()]), "project");
        assert_eq!(winner(&[], &[g.clone(), p.clone(), w.clone()]), "wsset");
        assert_eq!(winner(&own, &[g.clone(), p.clone(), w.clone()]), "own");
        let prio_global = (
            set("s4", "zz", true, true, &[], &[]),
            vec![var("v4", "K", "prio-global")],
        );
        assert_eq!(
            winner(&own, &[g.clone(), w.clone(), prio_global.clone()]),
            "prio-global"
        );
        let prio_proj = (
            set("s5", "zz2", false, true, &[], &["prj-1"]),
            vec![var("v5", "K", "prio-project")],
        );
        assert_eq!(winner(&own, &[prio_global, prio_proj]), "prio-project");
    }

    #[test]
    fn lexical_order_within_a_tier_and_unrelated_sets() {
        let a = (
            set("s1", "A_set", false, false, &["ws-1"], &[]),
            vec![var("v1", "K", "a")],
        );
        let b = (
            set("s2", "B_set", false, false, &["ws-1"], &[]),
            vec![var("v2", "K", "b")],
        );
        assert_eq!(winner(&[], &[b.clone(), a.clone()]), "a");
        let elsewhere = (
            set("s3", "A0", false, false, &["ws-2"], &["prj-2"]),
            vec![var("v3", "K", "x")],
        );
        assert_eq!(winner(&[], &[elsewhere, b]), "b");
    }

    #[test]
    fn categories_are_separate_and_source_is_kept() {
        let mut tf = var("v9", "K", "tf");
        tf.category = VariableCategory::Terraform;
        let s = (
            set("s1", "keys", false, false, &[], &["prj-1"]),
            vec![var("v1", "K", "env")],
        );
        let eff = effective_variables("ws-1", "prj-1", &[tf], [(&s.0, s.1.as_slice())]);
        assert_eq!(eff.len(), 2);
        let env = eff
            .iter()
            .find(|e| e.variable.category == VariableCategory::Env)
            .unwrap();
        assert_eq!(env.source.set_id(), Some("s1"));
        assert!(env.source.describe().contains("attached to its project"));
    }
}
