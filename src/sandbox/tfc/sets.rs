//! Variable sets: listing, creation, attachments and the variables they give a workspace, as a
//! second `impl` of the HCP Terraform sandbox state.

use super::state::{TfcState, VarsetState, WorkspaceState};
use super::vars::{holds, not_found, rejected, views, StoredVar};
use crate::core::ports::{NewVariable, NewVariableSet, TfcError, Variable, VariableSet};
use std::collections::HashSet;

impl TfcState {
    /// Sorted by name; `filter` picks which sets of the organization.
    pub(crate) fn sets_where(
        &self,
        org: &str,
        filter: impl Fn(&VariableSet) -> bool,
    ) -> Vec<VariableSet> {
        let mut list: Vec<VariableSet> = (self.varsets.values())
            .filter(|s| s.org == org && filter(&s.set))
            .map(|s| s.set.clone())
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    }

    pub(crate) fn workspace_sets(&self, ws_id: &str) -> Result<Vec<VariableSet>, TfcError> {
        let w = self.ws(ws_id)?;
        Ok(self.sets_where(&w.org, |s| reaches(s, w)))
    }

    /// What a run of the workspace gets (`/all-vars`): one variable per key and category, the
    /// first found in precedence order. That order is the workspace's own variables, then sets
    /// attached to the workspace, to its project, global ones; a priority set comes before the
    /// workspace's own variables (in the same scope order), and within a scope sets go by name.
    pub(crate) fn effective_vars(&self, ws_id: &str) -> Result<Vec<Variable>, TfcError> {
        let w = self.ws(ws_id)?;
        let rank = |s: &VariableSet| {
            let scope = if s.workspace_ids.contains(&w.id) {
                0
            } else if s.project_ids.contains(&w.project_id) {
                1
            } else {
                2
            };
            if s.priority {
                scope
            } else {
                4 + scope
            }
        };
        let sets = (self.varsets.values()).filter(|s| s.org == w.org && reaches(&s.set, w));
        let mut sources: Vec<(u8, &str, &[StoredVar])> = vec![(3, "", &w.vars)];
        sources.extend(sets.map(|s| (rank(&s.set), s.set.name.as_str(), s.vars.as_slice())));
        sources.sort_by_key(|(rank, name, _)| (*rank, *name));
        let mut seen = HashSet::new();
        let vars = sources.into_iter().flat_map(|(_, _, vars)| views(vars));
        Ok(vars
            .filter(|v| seen.insert((v.key.clone(), v.category)))
            .collect())
    }

    pub(crate) fn create_set(
        &mut self,
        org: &str,
        new: &NewVariableSet,
        global: bool,
    ) -> Result<VariableSet, TfcError> {
        self.org(org)?;
        if new.name.trim().is_empty() {
            return Err(rejected("Name can't be blank"));
        }
        if self
            .varsets
            .values()
            .any(|s| s.org == org && s.set.name == new.name)
        {
            return Err(rejected("Name has already been taken"));
        }
        let set = VariableSet {
            id: self.new_id("varset"),
            name: new.name.clone(),
            description: Some(new.description.clone()).filter(|d| !d.is_empty()),
            global,
            priority: false,
            workspace_ids: Vec::new(),
            project_ids: Vec::new(),
        };
        let state = VarsetState {
            org: org.to_string(),
            set: set.clone(),
            vars: Vec::new(),
        };
        self.varsets.insert(set.id.clone(), state);
        Ok(set)
    }

    /// 422 when `set_id` is global and another global set of its organization holds `var`'s
    /// key in its category (the API keeps global sets from contradicting each other).
    pub(crate) fn global_clash(&self, set_id: &str, var: &NewVariable) -> Result<(), TfcError> {
        let set = self.set(set_id)?;
        if !set.set.global {
            return Ok(());
        }
        let clash = self.varsets.values().any(|other| {
            other.org == set.org
                && other.set.global
                && other.set.id != set_id
                && holds(&other.vars, &var.key, var.category)
        });
        if clash {
            return Err(rejected(
                "Variable conflicts with a variable in another global variable set",
            ));
        }
        Ok(())
    }

    /// Attaches (or with `attach == false` detaches) a set to workspaces (`projects == false`)
    /// or projects. Every id must exist in the set's organization, else nothing changes.
    pub(crate) fn link(
        &mut self,
        set_id: &str,
        ids: &[String],
        projects: bool,
        attach: bool,
    ) -> Result<(), TfcError> {
        // Nothing to attach: nothing is asked (the client sends no request either).
        if ids.is_empty() {
            return Ok(());
        }
        let set = self.set(set_id)?;
        if set.set.global {
            let kind = if projects { "projects" } else { "workspaces" };
            return Err(rejected(&format!(
                "Global variable sets cannot be assigned to specific {kind}"
            )));
        }
        let org = set.org.clone();
        for id in ids {
            let found = match projects {
                true => self.projects.get(id).map(|p| &p.org),
                false => self.workspaces.get(id).map(|w| &w.org),
            };
            if found != Some(&org) {
                let kind = if projects { "project" } else { "workspace" };
                return Err(not_found(format!("{kind} '{id}' in organization '{org}'")));
            }
        }
        let set = &mut self.set_mut(set_id)?.set;
        let list = if projects {
            &mut set.project_ids
        } else {
            &mut set.workspace_ids
        };
        for id in ids {
            list.retain(|x| x != id);
            if attach {
                list.push(id.clone());
            }
        }
        Ok(())
    }
}

/// Whether a set's variables reach the workspace: global, or attached to it or to its project.
fn reaches(set: &VariableSet, w: &WorkspaceState) -> bool {
    set.global || set.workspace_ids.contains(&w.id) || set.project_ids.contains(&w.project_id)
}
