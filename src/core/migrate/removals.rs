//! Which static key variables a migration removes, and how. Pure: it reads the inventory and
//! the workspaces being migrated.
//!
//! - A workspace's own key variables are deleted.
//! - A variable set holding keys is emptied of them only when every workspace it reaches is
//!   being migrated.
//! - Otherwise, where it is attached to a migrated workspace directly (and reaches it no other
//!   way) and holds nothing but AWS key variables, it is detached from that workspace.
//! - In every other case it is left, and the workspace still receives its keys.
//!
//! One more rule keeps runs working: a removal that would leave the workspace receiving keys
//! from somewhere else *and* switch it to a different key (or one that cannot be read to
//! compare) is not made, since that other key may not have the same permissions.

use super::discover::{is_static_key, KeyedWorkspace, ACCESS_KEY_ID};
use super::StillReceiving;
use crate::core::inventory::{Inventory, VarsetEntry};
use crate::core::ports::{Variable, VariableCategory, VariableSet};
use crate::core::variables::effective::reach_of;
use crate::core::variables::{effective_variables, VariableSource};
use std::collections::{BTreeMap, BTreeSet};

/// Why a source of keys stays in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeftReason {
    /// The set also reaches workspaces outside the migration.
    SharedSet {
        /// Those workspaces (names), or `every workspace` for a global set.
        others: Vec<String>,
    },
    /// Removing it would switch the workspace's runs to another key, from `to`.
    WouldSwitchKey { to: String },
    /// The set stays because these migrated workspaces keep it (each would otherwise switch key).
    KeptFor { workspaces: Vec<String> },
    /// The workspace keeps all its keys: its runs would not get the OIDC variables (`by` says
    /// what takes precedence over them).
    OidcHidden { by: String },
}

/// A source of keys a migrated workspace keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub source: VariableSource,
    pub why: LeftReason,
}

/// What the migration removes, and what it leaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removals {
    /// Workspaces (ids) whose own key variables are deleted.
    pub own: BTreeSet<String>,
    /// Variable sets (ids) emptied of their key variables.
    pub emptied: BTreeSet<String>,
    /// Variable set id → workspace ids it is detached from.
    pub detached: BTreeMap<String, BTreeSet<String>>,
    /// Migrated workspace id → the sources it still receives keys from.
    pub left: BTreeMap<String, Vec<Left>>,
}

impl Removals {
    /// Whether `source` stops giving `ws` keys.
    pub fn removes(&self, ws: &str, source: &VariableSource) -> bool {
        match source {
            VariableSource::Workspace => self.own.contains(ws),
            VariableSource::VariableSet { id, .. } => {
                self.emptied.contains(id) || self.detached.get(id).is_some_and(|w| w.contains(ws))
            }
        }
    }
}

/// Pins: removals the key-switch rule took back.
#[derive(Default)]
struct Pins {
    own: BTreeSet<String>,
    sets: BTreeSet<String>,
    pairs: BTreeSet<(String, String)>,
}

fn only_keys(set: &VarsetEntry) -> bool {
    set.variables.iter().all(is_static_key)
}

/// The set reaches `ws` through its attachment to the workspace alone.
fn attached_only_directly(set: &VariableSet, ws: &str, project: &str) -> bool {
    set.workspace_ids.iter().any(|w| w == ws)
        && !set.global
        && !set.project_ids.iter().any(|p| p == project)
}

/// Decides the removals for the migrated workspaces `keyed`.
pub fn decide(inv: &Inventory, keyed: &[KeyedWorkspace]) -> Removals {
    let mut pins = Pins::default();
    loop {
        let removals = attempt(inv, keyed, &pins);
        let mut pinned = false;
        for ws in keyed {
            if let Some(source) = switched_source(inv, ws, &removals) {
                pinned = true;
                match source {
                    VariableSource::Workspace => {
                        pins.own.insert(ws.id.clone());
                    }
                    VariableSource::VariableSet { id, .. } => {
                        pins.sets.insert(id.clone());
                        pins.pairs.insert((id, ws.id.clone()));
                    }
                }
            }
        }
        if !pinned {
            return removals;
        }
    }
}

/// The removals the rules allow, less those `pins` took back.
fn attempt(inv: &Inventory, keyed: &[KeyedWorkspace], pins: &Pins) -> Removals {
    let mut r = Removals::default();
    for ws in keyed {
        decide_own(inv, ws, pins, &mut r);
    }
    for entry in inv.variable_sets.iter() {
        if entry.variables.iter().any(is_static_key) {
            decide_set(inv, entry, keyed, pins, &mut r);
        }
    }
    r
}

/// A workspace's own key variables: deleted, unless pinned (deleting them would switch its key).
fn decide_own(inv: &Inventory, ws: &KeyedWorkspace, pins: &Pins, r: &mut Removals) {
    let own = VariableSource::Workspace;
    if !ws.sources.iter().any(|s| s.source == own) {
        return;
    }
    if pins.own.contains(&ws.id) {
        let why = LeftReason::WouldSwitchKey {
            to: switch_target(inv, ws, &own),
        };
        let left = Left { source: own, why };
        r.left.entry(ws.id.clone()).or_default().push(left);
    } else {
        r.own.insert(ws.id.clone());
    }
}

/// A variable set holding keys: emptied when every workspace it reaches is migrated (and it is
/// not pinned), else detached from or left for each migrated workspace it reaches.
fn decide_set(
    inv: &Inventory,
    entry: &VarsetEntry,
    keyed: &[KeyedWorkspace],
    pins: &Pins,
    r: &mut Removals,
) {
    let migrated: BTreeSet<&str> = keyed.iter().map(|w| w.id.as_str()).collect();
    let set = &entry.set;
    let reached: Vec<&crate::core::inventory::WorkspaceEntry> = inv
        .workspaces
        .iter()
        .filter(|w| reach_of(set, &w.workspace.id, &w.workspace.project_id).is_some())
        .collect();
    let ours: Vec<&KeyedWorkspace> = keyed
        .iter()
        .filter(|w| reached.iter().any(|e| e.workspace.id == w.id))
        .collect();
    if ours.is_empty() {
        return;
    }
    let others: Vec<String> = reached
        .iter()
        .filter(|w| !migrated.contains(w.workspace.id.as_str()))
        .map(|w| w.workspace.name.clone())
        .collect();
    if others.is_empty() && !pins.sets.contains(&set.id) {
        r.emptied.insert(set.id.clone());
        return;
    }
    for ws in ours {
        let Some(source) = ws
            .sources
            .iter()
            .find(|s| s.set_id() == Some(set.id.as_str()))
            .map(|s| s.source.clone())
        else {
            continue;
        };
        let context = SetContext {
            inv,
            entry,
            keyed,
            others: &others,
            pins,
        };
        match why_set_stays(&context, ws, &source) {
            None => {
                let detached = r.detached.entry(set.id.clone()).or_default();
                detached.insert(ws.id.clone());
            }
            Some(why) => {
                let left = Left { source, why };
                r.left.entry(ws.id.clone()).or_default().push(left);
            }
        }
    }
}

/// What deciding a shared variable set's fate for one workspace looks at.
struct SetContext<'a> {
    inv: &'a Inventory,
    entry: &'a VarsetEntry,
    keyed: &'a [KeyedWorkspace],
    /// The workspaces outside the migration the set reaches (names).
    others: &'a [String],
    pins: &'a Pins,
}

/// Why `ws` keeps receiving keys from the set (reached through `source`), or `None` when the set
/// is detached from it.
fn why_set_stays(
    c: &SetContext,
    ws: &KeyedWorkspace,
    source: &VariableSource,
) -> Option<LeftReason> {
    let set = &c.entry.set;
    if c.pins.pairs.contains(&(set.id.clone(), ws.id.clone())) {
        let to = switch_target(c.inv, ws, source);
        return Some(LeftReason::WouldSwitchKey { to });
    }
    if only_keys(c.entry) && attached_only_directly(set, &ws.id, &ws.project_id) {
        return None;
    }
    if c.others.is_empty() {
        let workspaces = c
            .keyed
            .iter()
            .filter(|w| c.pins.pairs.contains(&(set.id.clone(), w.id.clone())))
            .map(|w| w.name.clone())
            .collect();
        return Some(LeftReason::KeptFor { workspaces });
    }
    let others = if set.global {
        vec!["every workspace of the organization".into()]
    } else {
        c.others.to_vec()
    };
    Some(LeftReason::SharedSet { others })
}

/// The migrated workspaces that keep receiving keys, and from where.
pub(super) fn still_receiving(
    keyed: &[KeyedWorkspace],
    removals: &Removals,
) -> Vec<StillReceiving> {
    keyed
        .iter()
        .filter_map(|w| {
            let from = removals.left.get(&w.id)?.clone();
            Some(StillReceiving {
                workspace: w.name.clone(),
                project: w.project.clone(),
                from,
            })
        })
        .collect()
}

/// Where the workspace's `AWS_ACCESS_KEY_ID` would come from after `removals` (`None`: nowhere),
/// as (source, variable).
fn key_after(
    inv: &Inventory,
    ws: &KeyedWorkspace,
    removals: &Removals,
) -> Option<(VariableSource, Variable)> {
    let entry = inv.workspaces.iter().find(|w| w.workspace.id == ws.id)?;
    let keep = |v: &&Variable| !is_static_key(v);
    let own: Vec<Variable> = if removals.own.contains(&ws.id) {
        entry.variables.iter().filter(keep).cloned().collect()
    } else {
        entry.variables.clone()
    };
    let sets: Vec<(VariableSet, Vec<Variable>)> = inv
        .variable_sets
        .iter()
        .filter(|s| {
            !removals
                .detached
                .get(&s.set.id)
                .is_some_and(|w| w.contains(&ws.id))
        })
        .map(|s| {
            let vars = if removals.emptied.contains(&s.set.id) {
                s.variables.iter().filter(keep).cloned().collect()
            } else {
                s.variables.clone()
            };
            (s.set.clone(), vars)
        })
        .collect();
    let effective = effective_variables(
        &ws.id,
        &ws.project_id,
        &own,
        sets.iter().map(|(s, v)| (s, v.as_slice())),
    );
    effective
        .into_iter()
        .find(|e| e.variable.key == ACCESS_KEY_ID && e.variable.category == VariableCategory::Env)
        .map(|e| (e.source, e.variable))
}

/// When `removals` leave `ws` receiving a different key than today, the source of today's key
/// (whose removal must be taken back).
fn switched_source(
    inv: &Inventory,
    ws: &KeyedWorkspace,
    removals: &Removals,
) -> Option<VariableSource> {
    let entry = inv.workspaces.iter().find(|w| w.workspace.id == ws.id)?;
    let before = entry.env(ACCESS_KEY_ID)?;
    let (_, after) = key_after(inv, ws, removals)?;
    let same_variable = after.id == before.variable.id;
    let same_readable_value = !after.sensitive
        && !before.variable.sensitive
        && after.value.is_some()
        && after.value == before.variable.value;
    (!same_variable && !same_readable_value).then(|| before.source.clone())
}

/// Names the source a workspace would switch to if `source` went.
fn switch_target(inv: &Inventory, ws: &KeyedWorkspace, source: &VariableSource) -> String {
    let mut without = Removals::default();
    match source {
        VariableSource::Workspace => {
            without.own.insert(ws.id.clone());
        }
        VariableSource::VariableSet { id, .. } => {
            without
                .detached
                .entry(id.clone())
                .or_default()
                .insert(ws.id.clone());
        }
    }
    key_after(inv, ws, &without).map_or_else(|| "elsewhere".to_string(), |(s, _)| s.describe())
}
