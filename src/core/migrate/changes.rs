//! Assembling the migration's one change list: each project's setup plan merged in (the OIDC
//! provider created once, however many projects need it), then the removals, each waiting for
//! every setup change of the projects whose workspaces it affects, then the deactivations, each
//! waiting for the removals that took its key away.

use super::discover::{is_static_key, key_sources, readable_key_id, KeyedWorkspace, ACCESS_KEY_ID};
use super::keys::KeyOwner;
use super::notes;
use super::removals::Removals;
use crate::core::change::{
    AddOidcAudience, CreateOidcProvider, DeleteVariable, DetachVariableSet, SetAccessKeyStatus,
};
use crate::core::inventory::Inventory;
use crate::core::plan::{
    AttachScope, Change, Note, Plan, PlannedChange, PlannedRole, PlannedVariable, VariableTarget,
    VarsetRef, WorkspaceRef,
};
use crate::core::ports::AccessKeyStatus;
use crate::core::variables::VariableSource;
use std::collections::{BTreeMap, BTreeSet};

/// The plan being put together.
#[derive(Debug, Default)]
pub(super) struct Assembly {
    pub(super) changes: Vec<PlannedChange>,
    pub(super) roles: Vec<PlannedRole>,
    pub(super) variables: Vec<PlannedVariable>,
    pub(super) notes: Vec<Note>,
    /// Project name → indices of its setup changes.
    project_changes: BTreeMap<String, Vec<usize>>,
    /// (access key id, index of a removal that takes it away from a workspace).
    key_removals: Vec<(String, usize)>,
}

fn ws_ref(ws: &KeyedWorkspace) -> WorkspaceRef {
    WorkspaceRef {
        id: ws.id.clone(),
        name: ws.name.clone(),
    }
}

/// The removal of one static key variable. Only the key id (never a secret) is checked before
/// deleting: a key changed since the plan is left alone.
fn delete_key(
    target: VariableTarget,
    (id, key, sensitive): (&str, &str, bool),
    key_id: &Option<String>,
) -> Change {
    let access_key_id = key_id.clone().filter(|_| key == ACCESS_KEY_ID);
    Change::DeleteVariable(DeleteVariable {
        target,
        variable_id: id.to_string(),
        key: key.to_string(),
        sensitive,
        expected_value: access_key_id.clone(),
        access_key_id,
    })
}

impl Assembly {
    fn push(&mut self, change: Change, depends_on: Vec<usize>) -> usize {
        self.push_in(None, change, depends_on)
    }

    /// A change acting in `account` (`None`: the default credentials' account).
    fn push_in(
        &mut self,
        account: Option<String>,
        change: Change,
        depends_on: Vec<usize>,
    ) -> usize {
        self.changes.push(PlannedChange {
            change,
            depends_on,
            account,
        });
        self.changes.len() - 1
    }

    /// A change another project's plan already has (the shared OIDC provider).
    fn shared(&self, change: &Change) -> Option<usize> {
        self.changes.iter().position(|c| match (&c.change, change) {
            (
                Change::CreateOidcProvider(CreateOidcProvider { arn: a, .. }),
                Change::CreateOidcProvider(CreateOidcProvider { arn: b, .. }),
            ) => a == b,
            (
                Change::AddOidcAudience(AddOidcAudience {
                    provider_arn: a,
                    audience: x,
                }),
                Change::AddOidcAudience(AddOidcAudience {
                    provider_arn: b,
                    audience: y,
                }),
            ) => a == b && x == y,
            _ => false,
        })
    }

    /// Merges setup's plan for `project`, renumbering its dependencies.
    pub(super) fn add_project_plan(&mut self, project: &str, plan: Plan) {
        let mut index = Vec::with_capacity(plan.changes.len());
        for planned in plan.changes {
            let at = match self.shared(&planned.change) {
                Some(j) => j,
                None => {
                    let deps = planned.depends_on.iter().map(|d| index[*d]).collect();
                    self.push_in(planned.account, planned.change, deps)
                }
            };
            index.push(at);
        }
        self.project_changes
            .entry(project.to_string())
            .or_default()
            .extend(index);
        self.roles.extend(plan.roles);
        self.variables.extend(plan.variables);
        self.notes.extend(plan.notes);
    }

    /// Every setup change of these projects: a removal waits for all of them, so the keys go
    /// only once the role, its permissions and the OIDC variables are in place.
    fn setup_of<'a>(&self, projects: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        let mut deps: BTreeSet<usize> = BTreeSet::new();
        for p in projects {
            deps.extend(self.project_changes.get(p).into_iter().flatten());
        }
        deps.into_iter().collect()
    }

    /// The removals `removals` decided, as changes.
    pub(super) fn add_removals(
        &mut self,
        inv: &Inventory,
        keyed: &[KeyedWorkspace],
        removals: &Removals,
    ) {
        for ws in keyed.iter().filter(|w| removals.own.contains(&w.id)) {
            let Some(own) = ws
                .sources
                .iter()
                .find(|s| s.source == VariableSource::Workspace)
            else {
                continue;
            };
            let deps = self.setup_of([ws.project.as_str()]);
            for v in &own.variables {
                let target = VariableTarget::Workspace(ws_ref(ws));
                let change = delete_key(target, (&v.id, &v.key, v.sensitive), &own.key_id);
                let at = self.push(change, deps.clone());
                self.key_removals
                    .extend(own.key_id.clone().map(|k| (k, at)));
            }
        }
        let reached_by = |set_id: &str| -> Vec<&KeyedWorkspace> {
            keyed
                .iter()
                .filter(|w| w.sources.iter().any(|s| s.set_id() == Some(set_id)))
                .collect()
        };
        for set_id in &removals.emptied {
            let Some(entry) = inv.varset(set_id) else {
                continue;
            };
            let deps = self.setup_of(reached_by(set_id).iter().map(|w| w.project.as_str()));
            let key_id = readable_key_id(&entry.variables);
            for v in entry.variables.iter().filter(|v| is_static_key(v)) {
                let target = VariableTarget::VariableSet(VarsetRef {
                    id: Some(entry.set.id.clone()),
                    name: entry.set.name.clone(),
                });
                let change = delete_key(target, (&v.id, &v.key, v.sensitive), &key_id);
                let at = self.push(change, deps.clone());
                self.key_removals.extend(key_id.clone().map(|k| (k, at)));
            }
        }
        for (set_id, ws_ids) in &removals.detached {
            let Some(entry) = inv.varset(set_id) else {
                continue;
            };
            let from: Vec<&KeyedWorkspace> =
                keyed.iter().filter(|w| ws_ids.contains(&w.id)).collect();
            let deps = self.setup_of(from.iter().map(|w| w.project.as_str()));
            let change = Change::DetachVariableSet(DetachVariableSet {
                set: VarsetRef {
                    id: Some(entry.set.id.clone()),
                    name: entry.set.name.clone(),
                },
                scope: AttachScope::Workspaces {
                    workspaces: from.iter().map(|w| ws_ref(w)).collect(),
                },
            });
            let at = self.push(change, deps);
            self.key_removals
                .extend(readable_key_id(&entry.variables).map(|k| (k, at)));
        }
    }
}

/// `SetAccessKeyStatus Inactive` for each key of this account that no workspace receives once
/// the removals are done; a note for every key that stays active, and why.
pub(super) fn add_deactivations(
    asm: &mut Assembly,
    inv: &Inventory,
    removals: &Removals,
    owners: &BTreeMap<String, KeyOwner>,
) {
    // Who still receives which key once the plan is applied, across the whole organization.
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unreadable: BTreeSet<String> = BTreeSet::new();
    for entry in &inv.workspaces {
        for source in key_sources(inv, entry) {
            if removals.removes(&entry.workspace.id, &source.source)
                || source.key_id_variable().is_none()
            {
                continue;
            }
            let name = entry.workspace.name.clone();
            match &source.key_id {
                Some(k) => {
                    users.entry(k.clone()).or_default().insert(name);
                }
                None => {
                    unreadable.insert(name);
                }
            }
        }
    }
    for (key_id, owner) in owners {
        let KeyOwner::ThisAccount { user, status, .. } = owner else {
            asm.notes.push(notes::cannot_deactivate(key_id, owner));
            continue;
        };
        if *status == AccessKeyStatus::Inactive {
            continue;
        }
        if let Some(still) = users.get(key_id) {
            asm.notes.push(notes::key_still_used(key_id, user, still));
            continue;
        }
        if !unreadable.is_empty() {
            asm.notes
                .push(notes::key_maybe_used(key_id, user, &unreadable));
            continue;
        }
        let deps: BTreeSet<usize> = asm
            .key_removals
            .iter()
            .filter(|(k, _)| k == key_id)
            .map(|(_, i)| *i)
            .collect();
        let change = Change::SetAccessKeyStatus(SetAccessKeyStatus {
            user: user.clone(),
            access_key_id: key_id.clone(),
            status: AccessKeyStatus::Inactive,
        });
        let account = owner.account().map(String::from);
        asm.push_in(account, change, deps.into_iter().collect());
    }
}
