//! Planning a migration: read, discover, look keys up, run setup's planner per project, merge the
//! project plans into one, then add the removals and deactivations with their dependencies.

use super::changes::{self, Assembly};
use super::discover::{discover, Found, KeyedWorkspace};
use super::keys::{self, KeyOwner};
use super::removals::{self, Removals};
use super::removals::{Left, LeftReason};
use super::{notes, oidc, overridden};
use super::{Discovery, MigrateError, MigrateRequest, Migration, MigrationScope, StillReceiving};
use crate::core::answers::{Answers, TargetChoice, WorkspaceSelection};
use crate::core::change::DeleteVariable;
use crate::core::error::PlanError;
use crate::core::inventory::{self, Inventory, InventoryScope, ReadProgress};
use crate::core::plan::{Change, Note, Plan, WorkspaceRef};
use crate::core::planner::{self, STATIC_KEYS_NOTE};
use crate::core::ports::{Iam, Tfc};
use std::collections::{BTreeMap, BTreeSet};

/// Setup's answers for the workspaces `names` of `project`, with the request's role choices.
fn answers_for(req: &MigrateRequest, project: &str, names: Vec<String>) -> Answers {
    let mut a = Answers::new(
        &req.host,
        &req.organization,
        project,
        WorkspaceSelection::Named(names),
    );
    if let Some(name) = &req.role_name {
        a.role_name = name.clone();
    }
    a.split_roles = req.split_roles;
    a.permissions = req.permissions.clone();
    a.plan_permissions = req.plan_permissions.clone();
    a.audience = req.audience.clone();
    a.thumbprints = req.thumbprints.clone();
    a.adopt_role = req.adopt_role;
    a.allow_admin = req.allow_admin;
    a.allow_dormant_trust = req.allow_dormant_trust;
    a.alias = req.alias.clone();
    if req.varset {
        a.target = TargetChoice::VariableSet {
            name: Answers::default_varset_name(&a.role_name),
        };
    }
    a
}

/// Computes the migration. Reads only. `resumed` are the changes an interrupted apply of the same
/// request already made (from its journal), so key ids it removed can still be deactivated.
pub async fn plan_migration(
    req: &MigrateRequest,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    resumed: &[Change],
    progress: &(dyn Fn(ReadProgress) + Send + Sync),
) -> Result<Migration, MigrateError> {
    // The role choices are checked before anything is read, as setup checks them.
    answers_for(req, "Default Project", vec!["placeholder".into()]).validate()?;
    let extra: Vec<String> = resumed
        .iter()
        .filter_map(|c| match c {
            Change::DeleteVariable(DeleteVariable { access_key_id, .. }) => access_key_id.clone(),
            _ => None,
        })
        .collect();
    let read = read_and_discover(req, iam, tfc, &extra, progress).await?;
    let (inv, found, owners) = (read.inventory, read.found, read.owners);
    let aws = inv.aws.as_ref().expect("the inventory was read with IAM");

    let mut notes: Vec<Note> = found.clean.iter().map(|n| notes::clean(n)).collect();
    let mut to_set_up: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for ws in &found.keyed {
        match oidc::working_roles(&inv, aws, ws) {
            Some(roles) => notes.push(notes::keeps_role(&ws.name, &roles)),
            None => to_set_up
                .entry(ws.project.clone())
                .or_default()
                .push(ws.name.clone()),
        }
    }
    let project_plans = plan_projects(req, iam, tfc, &to_set_up).await?;

    // Workspaces whose runs would not get the planned OIDC variables keep their keys.
    let mut hidden: BTreeMap<String, String> = BTreeMap::new();
    for ws in &found.keyed {
        let planned = project_plans.iter().find(|(p, _)| p == &ws.project);
        let by = planned.and_then(|(_, plan)| overridden::hidden_by(&inv, ws, &plan.variables));
        if let Some(by) = by {
            notes.push(notes::oidc_hidden(&ws.name, &by));
            hidden.insert(ws.id.clone(), by);
        }
    }
    let migrated: Vec<KeyedWorkspace> = found
        .keyed
        .iter()
        .filter(|w| !hidden.contains_key(&w.id))
        .cloned()
        .collect();
    let mut removals = removals::decide(&inv, &migrated);
    for ws in found.keyed.iter().filter(|w| hidden.contains_key(&w.id)) {
        let left = ws.sources.iter().map(|s| Left {
            source: s.source.clone(),
            why: LeftReason::OidcHidden {
                by: hidden[&ws.id].clone(),
            },
        });
        removals.left.insert(ws.id.clone(), left.collect());
    }
    let mut asm = Assembly::default();
    for (project, plan) in project_plans {
        asm.add_project_plan(&project, plan);
    }
    asm.add_removals(&inv, &migrated, &removals);
    if req.deactivate_keys {
        changes::add_deactivations(&mut asm, &inv, &removals, &owners);
    } else if let Some(note) = notes::keys_stay_active(&owners) {
        notes.push(note);
    }
    notes.extend(notes::for_removals(&inv, &migrated, &removals));
    notes.extend(notes::for_keys(&found.keyed));
    if found.keyed.is_empty() {
        notes.push(notes::nothing_found(&inv.organization, &req.scope));
    }
    if let Some(tag) = req.alias.as_deref().filter(|_| !asm.changes.is_empty()) {
        notes.push(notes::alias_needs_configuration(tag));
    }
    let plan = finish(req, &inv, &found.keyed, asm, notes);
    Ok(Migration {
        still_receiving: still_receiving(&found.keyed, &removals),
        workspaces: found.keyed,
        keys: owners,
        plan,
    })
}

/// What one read gives: the inventory, the keyed workspaces of the scope, the key owners.
struct Read {
    inventory: Inventory,
    found: Found,
    owners: BTreeMap<String, KeyOwner>,
}

/// Reads the organization and the AWS account, finds the keyed workspaces of `req.scope` and
/// looks their readable key ids (and `extra_key_ids`) up in IAM.
async fn read_and_discover(
    req: &MigrateRequest,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    extra_key_ids: &[String],
    progress: &(dyn Fn(ReadProgress) + Send + Sync),
) -> Result<Read, MigrateError> {
    let scope = InventoryScope {
        host: req.host.clone(),
        organization: req.organization.clone(),
        project: None,
    };
    let inventory = inventory::read(&scope, tfc, Some(iam), progress).await?;
    let found = discover(&inventory, &req.scope)?;
    let aws = inventory
        .aws
        .as_ref()
        .expect("the inventory was read with IAM");
    let mut key_ids: BTreeSet<String> = found
        .keyed
        .iter()
        .flat_map(|w| w.sources.iter().filter_map(|s| s.key_id.clone()))
        .collect();
    key_ids.extend(extra_key_ids.iter().cloned());
    let key_ids: Vec<String> = key_ids.into_iter().collect();
    let owners = keys::look_up(iam, &aws.caller, &key_ids).await;
    Ok(Read {
        inventory,
        found,
        owners,
    })
}

/// Discovery alone (what the wizard lists before the user picks): the workspaces of `scope`
/// that receive static keys and what IAM says about their keys. Reads only.
pub async fn discover_keys(
    host: &str,
    organization: &str,
    scope: MigrationScope,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    progress: &(dyn Fn(ReadProgress) + Send + Sync),
) -> Result<Discovery, MigrateError> {
    let req = MigrateRequest {
        host: host.to_string(),
        organization: organization.to_string(),
        scope,
        role_name: None,
        split_roles: false,
        permissions: Default::default(),
        plan_permissions: None,
        audience: crate::core::answers::DEFAULT_AUDIENCE.into(),
        varset: false,
        thumbprints: Vec::new(),
        adopt_role: false,
        allow_admin: false,
        allow_dormant_trust: false,
        alias: None,
        deactivate_keys: false,
    };
    let read = read_and_discover(&req, iam, tfc, &[], progress).await?;
    Ok(Discovery {
        organization: read.inventory.organization,
        workspaces: read.found.keyed,
        keys: read.owners,
    })
}

/// Setup's plan for each project that has workspaces to set up.
async fn plan_projects(
    req: &MigrateRequest,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    to_set_up: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<(String, Plan)>, MigrateError> {
    if req.role_name.is_some() && to_set_up.len() > 1 {
        return Err(MigrateError::RoleNameNeedsOneProject {
            projects: to_set_up.keys().cloned().collect(),
        });
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut plans = Vec::new();
    for (project, names) in to_set_up {
        let answers = answers_for(req, project, names.clone());
        answers.validate()?;
        // IAM role names are unique regardless of case.
        for (role, _) in answers.roles() {
            if let Some(first) = seen.insert(role.to_lowercase(), project.clone()) {
                return Err(MigrateError::RoleNameClash {
                    role,
                    first,
                    second: project.clone(),
                });
            }
        }
        let plan = planner::plan(&answers, iam, tfc)
            .await
            .map_err(|e| match e {
                PlanError::TrustPolicyTooLarge { role, size, max } => {
                    MigrateError::TrustPolicyTooLarge { role, size, max }
                }
                other => MigrateError::Plan(other),
            })?;
        plans.push((project.clone(), plan));
    }
    Ok(plans)
}

/// The one plan: the projects' summaries and notes (without setup's warning about the static
/// keys this migration removes), the merged changes, the migration's notes.
fn finish(
    req: &MigrateRequest,
    inv: &Inventory,
    keyed: &[KeyedWorkspace],
    asm: Assembly,
    notes: Vec<Note>,
) -> Plan {
    let aws = inv.aws.as_ref().expect("the inventory was read with IAM");
    let mut all_notes: Vec<Note> = Vec::new();
    for note in asm.notes.into_iter().chain(notes) {
        let setup_key_warning = note.text.ends_with(STATIC_KEYS_NOTE);
        if !setup_key_warning && !all_notes.contains(&note) {
            all_notes.push(note);
        }
    }
    let projects: BTreeSet<String> = keyed.iter().map(|w| w.project.clone()).collect();
    Plan {
        host: inv.host.clone(),
        organization: inv.organization.clone(),
        projects: projects.into_iter().collect(),
        account: aws.caller.account.clone(),
        provider_arn: aws.host_provider_arn.clone(),
        roles: asm.roles,
        variables: asm.variables,
        workspaces: keyed
            .iter()
            .map(|w| WorkspaceRef {
                id: w.id.clone(),
                name: w.name.clone(),
            })
            .collect(),
        changes: asm.changes,
        notes: all_notes,
        fingerprint: req.fingerprint(),
        deployment_config: None,
    }
}

fn still_receiving(keyed: &[KeyedWorkspace], removals: &Removals) -> Vec<StillReceiving> {
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
