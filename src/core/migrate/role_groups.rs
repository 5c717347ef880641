//! Which role each workspace to set up gets. With the chosen permissions (`--policy-arn`,
//! `--policy-file`, `--no-policy`) every project gets one role, as setup gives it. With the key's
//! same permissions, workspaces of a project whose keys belong to users with different
//! permissions get one role per distinct permission set, named after the set's alphabetically first user
//! (`tfc-acme-platform-ci-deployer`): permissions of different users are never merged.

use super::discover::KeyedWorkspace;
use super::keys::KeyOwner;
use super::user_permissions::{PermissionSet, UserPermissions};
use super::MigrateError;
use std::collections::BTreeMap;

/// Read users: name → what the user may do, or why it could not be read.
pub(super) type Users = BTreeMap<String, Result<UserPermissions, String>>;

/// The workspaces of one project that share one role (or one pair, with split roles).
#[derive(Debug, Clone)]
pub(super) struct RoleGroup {
    pub(super) project: String,
    pub(super) workspaces: Vec<String>,
    /// The user whose permissions the role copies; `None`: the request's permissions.
    pub(super) same_as: Option<UserPermissions>,
    /// Appended to the role name (`-ci-deployer`) when the project needs several roles.
    pub(super) suffix: Option<String>,
}

/// The IAM user of the key a workspace's runs take today, or why it is not known.
pub(super) fn key_user<'a>(
    ws: &KeyedWorkspace,
    owners: &'a BTreeMap<String, KeyOwner>,
) -> Result<&'a str, String> {
    let effective = ws
        .sources
        .iter()
        .find(|s| s.effective)
        .or(ws.sources.first());
    let Some(key_id) = effective.and_then(|s| s.key_id.as_ref()) else {
        return Err("its AWS_ACCESS_KEY_ID is sensitive, so its key's IAM user is unknown".into());
    };
    match owners.get(key_id) {
        Some(KeyOwner::ThisAccount { user, .. }) => Ok(user),
        Some(KeyOwner::OtherAccount { .. }) => Err("its key belongs to another AWS account".into()),
        Some(KeyOwner::Unknown { reason }) => Err(reason.clone()),
        None => Err("its key was not looked up".into()),
    }
}

/// One group per project with the request's permissions.
pub(super) fn per_project(to_set_up: &BTreeMap<String, Vec<String>>) -> Vec<RoleGroup> {
    to_set_up
        .iter()
        .map(|(project, names)| RoleGroup {
            project: project.clone(),
            workspaces: names.clone(),
            same_as: None,
            suffix: None,
        })
        .collect()
}

/// One group per project and distinct permission set. Fails (a usage error) on the first
/// workspace whose key's user could not be read.
pub(super) fn per_permission_set(
    keyed: &[KeyedWorkspace],
    to_set_up: &BTreeMap<String, Vec<String>>,
    owners: &BTreeMap<String, KeyOwner>,
    users: &Users,
) -> Result<Vec<RoleGroup>, MigrateError> {
    let mut groups = Vec::new();
    for (project, names) in to_set_up {
        let mut sets: BTreeMap<PermissionSet, (UserPermissions, Vec<String>)> = BTreeMap::new();
        for name in names {
            let unknown = |reason: String| MigrateError::PermissionsUnknown {
                workspace: name.clone(),
                reason,
            };
            let ws = keyed
                .iter()
                .find(|w| &w.name == name && &w.project == project);
            let ws = ws.ok_or_else(|| unknown("it was not found".into()))?;
            let user = key_user(ws, owners).map_err(unknown)?;
            let read = users.get(user).cloned();
            let read = read.unwrap_or_else(|| Err(format!("user {user} was not read")));
            let perms = read.map_err(|e| unknown(format!("user {user}: {e}")))?;
            let entry = sets
                .entry(perms.set())
                .or_insert_with(|| (perms, Vec::new()));
            entry.1.push(name.clone());
        }
        let several = sets.len() > 1;
        for (_, (perms, workspaces)) in sets {
            groups.push(RoleGroup {
                project: project.clone(),
                workspaces,
                suffix: several.then(|| perms.user.clone()),
                same_as: Some(perms),
            });
        }
    }
    Ok(groups)
}
