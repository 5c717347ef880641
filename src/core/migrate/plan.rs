//! Planning a migration: read, discover, look keys up, run setup's planner per project, merge the
//! project plans into one, then add the removals and deactivations with their dependencies.

use super::changes::{self, Assembly};
use super::discover::{discover, Found, KeyedWorkspace};
use super::keys::{self, KeyOwner};
use super::removals::{self, Removals};
use super::role_groups::{self, RoleGroup};
use super::{accounts, fitting, notes, oidc, overridden, permission_notes, user_permissions};
use super::{Discovery, MigrateError, MigrateRequest, Migration, MigrationScope};
use crate::core::accounts::Accounts;
use crate::core::answers::{Answers, Permissions, TargetChoice, WorkspaceSelection};
use crate::core::change::DeleteVariable;
use crate::core::error::PlanError;
use crate::core::inventory::{self, Inventory, InventoryScope, ReadProgress};
use crate::core::plan::{Change, Note, Plan, Side, WorkspaceRef};
use crate::core::planner::STATIC_KEYS_NOTE;
use crate::core::ports::{Iam, IamError, Tfc};
use std::collections::{BTreeMap, BTreeSet};

/// Setup's answers for the workspaces `names` of `project`, with the request's role choices
/// (the user's permissions instead of the request's for a same-permissions `group`).
pub(super) fn answers_for(
    req: &MigrateRequest,
    project: &str,
    names: Vec<String>,
    group: Option<&RoleGroup>,
) -> Answers {
    let mut a = Answers::new(
        &req.host,
        &req.organization,
        project,
        WorkspaceSelection::Named(names),
    );
    if let Some(name) = &req.role_name {
        a.role_name = name.clone();
    }
    if let Some(suffix) = group.and_then(|g| g.suffix.as_ref()) {
        a.role_name = format!("{}-{suffix}", a.role_name);
    }
    a.split_roles = req.split_roles;
    a.permissions = match group.and_then(|g| g.same_as.as_ref()) {
        Some(user) => user.to_permissions(),
        // Checked before the users are read: their permissions are not known yet.
        None if req.same_permissions => Permissions {
            none: true,
            ..Permissions::default()
        },
        None => req.permissions.clone(),
    };
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
    plan_migration_in(req, (iam, &Accounts::none()), tfc, resumed, progress).await
}

/// [`plan_migration`] across accounts: each workspace's role is made in its key's account,
/// reached through `accounts` (`iam` is the default credentials' account).
pub async fn plan_migration_in(
    req: &MigrateRequest,
    (iam, accounts): (&dyn Iam, &Accounts),
    tfc: &dyn Tfc,
    resumed: &[Change],
    progress: &(dyn Fn(ReadProgress) + Send + Sync),
) -> Result<Migration, MigrateError> {
    // The role choices are checked before anything is read, as setup checks them.
    answers_for(req, "Default Project", vec!["placeholder".into()], None).validate()?;
    let extra: Vec<String> = resumed
        .iter()
        .filter_map(|c| match c {
            Change::DeleteVariable(DeleteVariable { access_key_id, .. }) => access_key_id.clone(),
            _ => None,
        })
        .collect();
    let read = read_and_discover(req, iam, tfc, &extra, progress).await?;
    let (inv, found, mut owners) = (read.inventory, read.found, read.owners);
    accounts::locate(&mut owners, accounts).await;
    let (placed, unreachable) = accounts::place(&found.keyed, &owners, accounts);

    let mut notes: Vec<Note> = found.clean.iter().map(|n| notes::clean(n)).collect();
    notes.extend(unreachable.iter().map(accounts::unreachable_note));
    let to_set_up = to_set_up(&inv, &found.keyed, &placed, &mut notes);
    let read = (found.keyed.as_slice(), &owners);
    let (project_plans, users) = plan_accounts(req, (iam, accounts), tfc, &to_set_up, read).await?;

    // Workspaces whose runs would not get the planned OIDC variables keep their keys.
    let hidden = overridden::hidden_workspaces(&inv, &found.keyed, &project_plans, &mut notes);
    let migrated: Vec<KeyedWorkspace> = found
        .keyed
        .iter()
        .filter(|w| !hidden.contains_key(&w.id) && placed.contains_key(&w.id))
        .cloned()
        .collect();
    let mut removals = removals::decide(&inv, &migrated);
    overridden::leave_hidden(&found.keyed, &hidden, &mut removals);
    let asm = assemble(
        req,
        (&inv, &owners),
        project_plans,
        (&migrated, &removals),
        &mut notes,
    );
    notes.extend(notes::for_removals(&inv, &migrated, &removals));
    notes.extend(notes::for_keys(&found.keyed));
    if found.keyed.is_empty() {
        notes.push(notes::nothing_found(&inv.organization, &req.scope));
    }
    if let Some(tag) = req.alias.as_deref().filter(|_| !asm.changes.is_empty()) {
        notes.push(notes::alias_needs_configuration(tag));
    }
    let covered: Vec<KeyedWorkspace> = (found.keyed.iter())
        .filter(|w| placed.contains_key(&w.id))
        .cloned()
        .collect();
    let plan = finish(req, &inv, &covered, asm, notes);
    let users = users.into_iter().filter_map(|(u, p)| Some((u, p.ok()?)));
    Ok(Migration {
        users: users.collect(),
        still_receiving: removals::still_receiving(&found.keyed, &removals),
        workspaces: found.keyed,
        keys: owners,
        plan,
        unreachable,
    })
}

/// The project plans merged with the removals and, when asked, the deactivations (else a note
/// that the keys stay active).
fn assemble(
    req: &MigrateRequest,
    (inv, owners): (&Inventory, &BTreeMap<String, KeyOwner>),
    project_plans: Vec<(String, Plan)>,
    (migrated, removals): (&[KeyedWorkspace], &Removals),
    notes: &mut Vec<Note>,
) -> Assembly {
    let mut asm = Assembly::default();
    for (project, plan) in project_plans {
        asm.add_project_plan(&project, plan);
    }
    asm.add_removals(inv, migrated, removals);
    if req.deactivate_keys {
        changes::add_deactivations(&mut asm, inv, removals, owners);
    } else if let Some(note) = notes::keys_stay_active(owners) {
        notes.push(note);
    }
    asm
}

/// The workspaces to set up: by account (`None`: the default credentials'), then project.
type ByAccount = BTreeMap<Option<String>, BTreeMap<String, Vec<String>>>;

/// The workspaces to set up, by account and project: not those whose key's account has no way
/// in (left alone), nor those OIDC already works for (a note says which role).
fn to_set_up(
    inv: &Inventory,
    keyed: &[KeyedWorkspace],
    placed: &BTreeMap<String, Option<String>>,
    notes: &mut Vec<Note>,
) -> ByAccount {
    let aws = inv.aws.as_ref().expect("the inventory was read with IAM");
    let mut to_set_up: ByAccount = BTreeMap::new();
    for ws in keyed {
        let Some(account) = placed.get(&ws.id) else {
            continue;
        };
        match oidc::working_roles(inv, aws, ws) {
            Some(roles) => notes.push(notes::keeps_role(&ws.name, &roles)),
            None => to_set_up
                .entry(account.clone())
                .or_default()
                .entry(ws.project.clone())
                .or_default()
                .push(ws.name.clone()),
        }
    }
    to_set_up
}

/// Setup's plans for the workspaces to set up, account by account, each through its account's
/// port, its AWS changes marked with the account; and the key users read, by name.
async fn plan_accounts(
    req: &MigrateRequest,
    (iam, accounts): (&dyn Iam, &Accounts),
    tfc: &dyn Tfc,
    to_set_up: &ByAccount,
    (keyed, owners): (&[KeyedWorkspace], &BTreeMap<String, KeyOwner>),
) -> Result<(Vec<(String, Plan)>, role_groups::Users), MigrateError> {
    if req.varset {
        accounts::one_account_per_varset(to_set_up)?;
    }
    let mut plans = Vec::new();
    let mut users = role_groups::Users::new();
    for (account, projects) in to_set_up {
        let port = accounts
            .iam(iam, account.as_deref())
            .map_err(|e| PlanError::aws("reach the key's account")(IamError::Credentials(e)))?;
        let (groups, read) = group_by_role(req, port, keyed, projects, owners).await?;
        let context = (keyed, owners, &read);
        for (project, mut plan) in plan_projects(req, port, tfc, &groups, context).await? {
            for planned in &mut plan.changes {
                if planned.change.side() == Side::Aws {
                    planned.account = account.clone();
                }
            }
            plans.push((project, plan));
        }
        users.extend(read);
    }
    Ok((plans, users))
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
/// that receive static keys, what IAM says about their keys, and what the keys' users may do.
/// Reads only.
pub async fn discover_keys(
    host: &str,
    organization: &str,
    scope: MigrationScope,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    progress: &(dyn Fn(ReadProgress) + Send + Sync),
) -> Result<Discovery, MigrateError> {
    let none = Accounts::none();
    discover_keys_in((host, organization, scope), (iam, &none), tfc, progress).await
}

/// [`discover_keys`] with the other accounts reachable: keys those accounts' IAM describes
/// name their account ([`KeyOwner::account`]).
pub async fn discover_keys_in(
    (host, organization, scope): (&str, &str, MigrationScope),
    (iam, accounts): (&dyn Iam, &Accounts),
    tfc: &dyn Tfc,
    progress: &(dyn Fn(ReadProgress) + Send + Sync),
) -> Result<Discovery, MigrateError> {
    let req = MigrateRequest::new(host, organization, scope);
    let read = read_and_discover(&req, iam, tfc, &[], progress).await?;
    let mut discovery = Discovery {
        organization: read.inventory.organization,
        workspaces: read.found.keyed,
        keys: read.owners,
        users: BTreeMap::new(),
    };
    accounts::locate(&mut discovery.keys, accounts).await;
    let (keyed, owners) = (&discovery.workspaces, &discovery.keys);
    discovery.users = key_users(keyed.iter(), owners, (iam, accounts)).await;
    Ok(discovery)
}

/// A discovery extended to `accounts` (found after it): the keys their IAM describes take
/// their account, and those keys' users are read there. HCP Terraform is not read again.
pub async fn reach_accounts(discovery: &mut Discovery, (iam, accounts): (&dyn Iam, &Accounts)) {
    accounts::locate(&mut discovery.keys, accounts).await;
    let owners = &discovery.keys;
    let account_of = |w: &&KeyedWorkspace| {
        let key_id = w.effective().and_then(|s| s.key_id.as_deref());
        key_id
            .and_then(|k| owners.get(k))
            .and_then(KeyOwner::account)
            .is_some()
    };
    let moved = discovery.workspaces.iter().filter(account_of);
    let users = key_users(moved, owners, (iam, accounts)).await;
    discovery.users.extend(users);
}

/// What each key's IAM user may do, read through the IAM of the key's own account (a user of
/// an account this run cannot reach is said to be unreadable).
async fn key_users<'a>(
    keyed: impl Iterator<Item = &'a KeyedWorkspace>,
    owners: &BTreeMap<String, KeyOwner>,
    (iam, accounts): (&dyn Iam, &Accounts),
) -> BTreeMap<String, Result<user_permissions::UserPermissions, String>> {
    let mut by_account: BTreeMap<Option<&str>, BTreeSet<String>> = BTreeMap::new();
    for w in keyed {
        let Ok(user) = role_groups::key_user(w, owners) else {
            continue;
        };
        let key_id = w.effective().and_then(|s| s.key_id.as_deref());
        let account = key_id
            .and_then(|k| owners.get(k))
            .and_then(KeyOwner::account);
        by_account
            .entry(account)
            .or_default()
            .insert(user.to_string());
    }
    let mut users = BTreeMap::new();
    for (account, names) in by_account {
        match accounts.iam(iam, account) {
            Ok(port) => users.extend(user_permissions::read_users(port, &names).await),
            Err(why) => users.extend(names.into_iter().map(|u| (u, Err(why.clone())))),
        }
    }
    users
}

/// Reads the IAM users of the keys of the workspaces to set up, then groups those workspaces
/// by the role they get: per project, or per project and distinct permission set.
async fn group_by_role(
    req: &MigrateRequest,
    iam: &dyn Iam,
    keyed: &[KeyedWorkspace],
    to_set_up: &BTreeMap<String, Vec<String>>,
    owners: &BTreeMap<String, KeyOwner>,
) -> Result<(Vec<RoleGroup>, role_groups::Users), MigrateError> {
    let set_up = |w: &&KeyedWorkspace| {
        to_set_up
            .get(&w.project)
            .is_some_and(|n| n.contains(&w.name))
    };
    let needed: BTreeSet<String> = keyed
        .iter()
        .filter(set_up)
        .filter_map(|w| role_groups::key_user(w, owners).ok().map(String::from))
        .collect();
    let users = user_permissions::read_users(iam, &needed).await;
    let groups = match req.same_permissions {
        true => role_groups::per_permission_set(keyed, to_set_up, owners, &users)?,
        false => role_groups::per_project(to_set_up),
    };
    Ok((groups, users))
}

/// What the notes about the key users' permissions need: the keyed workspaces, the key
/// owners, the users read.
type UserContext<'a> = (
    &'a [KeyedWorkspace],
    &'a BTreeMap<String, KeyOwner>,
    &'a role_groups::Users,
);

/// Setup's plan for each group of workspaces (a project, or a project's workspaces whose keys'
/// users have the same permissions), with the notes about those users' permissions.
async fn plan_projects(
    req: &MigrateRequest,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    groups: &[RoleGroup],
    users: UserContext<'_>,
) -> Result<Vec<(String, Plan)>, MigrateError> {
    let projects: BTreeSet<&String> = groups.iter().map(|g| &g.project).collect();
    if req.role_name.is_some() && projects.len() > 1 {
        return Err(MigrateError::RoleNameNeedsOneProject {
            projects: projects.into_iter().cloned().collect(),
        });
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut plans = Vec::new();
    for group in groups {
        let project = &group.project;
        for (group, answers, mut plan) in fitting::plan_fitting(req, iam, tfc, group).await? {
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
            plan.notes.extend(user_notes(&group, &answers, users));
            plans.push((project.clone(), plan));
        }
    }
    Ok(plans)
}

/// For each user whose key a workspace of `group` uses: its policies by name, then what cannot
/// carry over to the role (same permissions) or what the role will lack (chosen permissions).
fn user_notes(
    group: &RoleGroup,
    answers: &Answers,
    (keyed, owners, users): UserContext<'_>,
) -> Vec<Note> {
    let roles: Vec<String> = answers.roles().into_iter().map(|(r, _)| r).collect();
    let role = crate::core::text::and_list(&roles);
    let mut notes = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for ws in keyed.iter().filter(|w| w.project == group.project) {
        if !group.workspaces.contains(&ws.name) {
            continue;
        }
        let Ok(user) = role_groups::key_user(ws, owners) else {
            continue;
        };
        let Some(Ok(p)) = users.get(user) else {
            continue;
        };
        if !seen.insert(user) {
            continue;
        }
        notes.push(permission_notes::user_policies(p));
        match &group.same_as {
            Some(_) => notes.extend(permission_notes::cannot_carry_over(p, &role)),
            None => notes.extend(permission_notes::lacks(p, &answers.permissions, &role)),
        }
    }
    notes
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
