//! `migrate`: moving workspaces off static AWS keys. It reads the [`inventory`] once, finds the
//! workspaces of the scope that receive keys ([`discover`]), looks the readable key ids up in
//! IAM ([`keys`]), and builds ONE [`Plan`]: setup's plan for each project (the existing planner,
//! one role per project), then the removal of the key variables ([`removals`]), each removal
//! depending on the OIDC changes of the workspaces it affects, then (optionally) the
//! deactivation of keys nobody uses any more. The plan goes through the same confirm → journal
//! → apply path as setup's. With `--verify` the workspaces are then proven ([`verification`])
//! before any key is deactivated ([`deactivation`], after a look for its use elsewhere:
//! [`key_use`]), and what is left of the keys' users is said ([`leftovers`]).
//!
//! [`inventory`]: crate::core::inventory

mod accounts;
mod changes;
pub mod deactivation;
pub mod discover;
mod fitting;
pub mod key_use;
pub mod keys;
pub mod leftovers;
mod notes;
mod oidc;
mod overridden;
mod permission_notes;
mod plan;
pub mod proof;
pub mod removals;
mod role_groups;
pub mod user_permissions;
pub mod verification;

use crate::core::answers::{AnswerError, Permissions};
use crate::core::error::PlanError;
use crate::core::inventory::InventoryError;
use crate::core::plan::Plan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use accounts::UnreachableAccount;
pub use discover::{KeySource, KeyedWorkspace};
pub use keys::KeyOwner;
pub use plan::{
    discover_keys, discover_keys_in, plan_migration, plan_migration_in, reach_accounts,
};
pub use removals::{Left, LeftReason};

/// Which workspaces a migration covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationScope {
    /// These workspaces, by name.
    Workspaces(Vec<String>),
    /// Every workspace of this project.
    Project(String),
    /// Every workspace of the organization.
    All,
}

/// What the user asked for: the scope and setup's role choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrateRequest {
    /// The HCP Terraform host, also the OIDC issuer's host.
    pub host: String,
    pub organization: String,
    pub scope: MigrationScope,
    /// One role name for all (only when every workspace is in one project); by default each
    /// project gets `tfc-<org>-<project>` as setup would name it.
    pub role_name: Option<String>,
    pub split_roles: bool,
    pub permissions: Permissions,
    /// Setup's plan-role permissions (`--plan-policy-arn`, `--plan-policy-file`); skipped when
    /// `None`, so the fingerprint of an earlier request's journal still matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_permissions: Option<Permissions>,
    pub audience: String,
    /// The OIDC variables go in a variable set per project (setup's `--target varset`).
    pub varset: bool,
    pub thumbprints: Vec<String>,
    /// Setup's `--adopt-role`: reuse a role tfc-oidc did not create.
    #[serde(default)]
    pub adopt_role: bool,
    /// Setup's `--allow-admin`.
    #[serde(default)]
    pub allow_admin: bool,
    /// Setup's `--allow-dormant-trust` (left out of the JSON when false, as in the answers).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_dormant_trust: bool,
    /// Setup's `--alias TAG`: tagged variables for another AWS account.
    #[serde(default)]
    pub alias: Option<String>,
    /// Mark the IAM access keys nobody uses any more `Inactive`.
    pub deactivate_keys: bool,
    /// Give each role what its workspaces' key's IAM user may do (`--same-permissions`, and
    /// the default when no permissions flag is given), instead of `permissions`. Left out of
    /// the JSON when false, so earlier requests' fingerprints stay what they were.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub same_permissions: bool,
}

impl MigrateRequest {
    /// A request for `scope` with every choice at its default: no role name, no permissions
    /// chosen, the default audience, variables on the workspaces, nothing deactivated.
    pub fn new(host: &str, organization: &str, scope: MigrationScope) -> MigrateRequest {
        MigrateRequest {
            host: host.to_string(),
            organization: organization.to_string(),
            scope,
            role_name: None,
            split_roles: false,
            permissions: Permissions::default(),
            plan_permissions: None,
            audience: crate::core::answers::DEFAULT_AUDIENCE.into(),
            varset: false,
            thumbprints: Vec::new(),
            adopt_role: false,
            allow_admin: false,
            allow_dormant_trust: false,
            alias: None,
            deactivate_keys: false,
            same_permissions: false,
        }
    }

    /// Ties a journal to this request, so a re-run of the same command resumes its record.
    pub fn fingerprint(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        crate::core::answers::digest(&format!("migrate:{text}"))
    }
}

/// A migrated workspace that still receives static keys after the plan, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StillReceiving {
    pub workspace: String,
    pub project: String,
    pub from: Vec<Left>,
}

/// What [`discover_keys`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    /// The organization's name as HCP Terraform spells it.
    pub organization: String,
    /// Workspaces of the scope that receive static keys, by project then name.
    pub workspaces: Vec<KeyedWorkspace>,
    /// What IAM says about each readable key id.
    pub keys: BTreeMap<String, KeyOwner>,
    /// What each IAM user of those keys may do (the wizard offers "same as the key's user"),
    /// or why it could not be read, by user name.
    pub users: BTreeMap<String, Result<user_permissions::UserPermissions, String>>,
}

/// The IAM user of a key some chosen workspaces receive, with what it may do.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyUser<'a> {
    /// The user, or `None` when the key's user is unknown (the workspace says which).
    pub user: Option<String>,
    /// The AWS account of a user outside the default credentials' account (its role is made
    /// there).
    pub account: Option<String>,
    /// The first chosen workspace receiving the key.
    pub workspace: String,
    /// What the user may do, or why that is unknown.
    pub permissions: Result<&'a user_permissions::UserPermissions, String>,
}

impl Discovery {
    /// The IAM users of the keys of workspaces `names`, each once, with what each may do or
    /// why that is unknown (a sensitive key id, another account's key, a denied read).
    pub fn key_users_of(&self, names: &[String]) -> Vec<KeyUser<'_>> {
        let mut out: Vec<KeyUser<'_>> = Vec::new();
        for ws in self.workspaces.iter().filter(|w| names.contains(&w.name)) {
            let (user, permissions) = match role_groups::key_user(ws, &self.keys) {
                Ok(u) if out.iter().any(|k| k.user.as_deref() == Some(u)) => continue,
                Ok(u) => {
                    let read = match self.users.get(u) {
                        Some(Ok(p)) => Ok(p),
                        Some(Err(e)) => Err(e.clone()),
                        None => Err("not read".to_string()),
                    };
                    (Some(u.to_string()), read)
                }
                Err(why) => (None, Err(why)),
            };
            let key_id = ws.effective().and_then(|s| s.key_id.as_deref());
            let account = key_id
                .and_then(|k| self.keys.get(k))
                .and_then(KeyOwner::account);
            out.push(KeyUser {
                user,
                account: account.map(String::from),
                workspace: ws.name.clone(),
                permissions,
            });
        }
        out
    }
}

/// What [`plan_migration`] found and plans.
#[derive(Debug, Clone, PartialEq)]
pub struct Migration {
    /// Workspaces of the scope that receive static keys (the ones migrated).
    pub workspaces: Vec<KeyedWorkspace>,
    /// What IAM says about each readable key id.
    pub keys: BTreeMap<String, KeyOwner>,
    /// The plan: OIDC first, then the removals, then deactivations.
    pub plan: Plan,
    /// Migrated workspaces that will still receive keys once the plan is applied.
    pub still_receiving: Vec<StillReceiving>,
    /// What the IAM users of the keys of the workspaces set up may do (those that could be
    /// read), by user name.
    pub users: BTreeMap<String, user_permissions::UserPermissions>,
    /// Accounts holding keys of workspaces of the scope that cannot be reached (those
    /// workspaces are left on their keys).
    pub unreachable: Vec<UnreachableAccount>,
}

/// Why a migration cannot be planned. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Answers(#[from] AnswerError),
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("workspace '{workspace}' not found in organization '{organization}'")]
    UnknownWorkspace {
        organization: String,
        workspace: String,
    },
    #[error("project '{project}' not found in organization '{organization}' (projects: {})", known.join(", "))]
    UnknownProject {
        organization: String,
        project: String,
        known: Vec<String>,
    },
    #[error("--role-name names one role, but the workspaces to migrate are in {} projects ({}): migrate one project at a time (--project), or leave --role-name out for one role per project", projects.len(), projects.join(", "))]
    RoleNameNeedsOneProject { projects: Vec<String> },
    #[error("projects '{first}' and '{second}' would both get the role {role}: migrate them one at a time with --project and --role-name")]
    RoleNameClash {
        role: String,
        first: String,
        second: String,
    },
    #[error("workspace '{workspace}': the permissions of its key cannot be read ({reason}): choose the role's permissions with --policy-arn, --policy-file or --no-policy")]
    PermissionsUnknown { workspace: String, reason: String },
    #[error("the workspaces of project '{project}' use keys of AWS accounts {}: --target varset gives the project one variable set, which can name one account's role; migrate one account's workspaces at a time (--workspace), or leave --target varset out", accounts.join(" and "))]
    VarsetSpansAccounts {
        project: String,
        accounts: Vec<String>,
    },
    #[error("the trust policy of role {role} would be {size} characters, over IAM's limit of {max}, even for one workspace: shorten the names")]
    TrustPolicyTooLarge {
        role: String,
        size: usize,
        max: usize,
    },
}

impl MigrateError {
    /// Whether the error is the user's input (exit 2) rather than a failure (exit 1).
    pub fn is_usage(&self) -> bool {
        match self {
            MigrateError::Answers(_)
            | MigrateError::UnknownWorkspace { .. }
            | MigrateError::UnknownProject { .. }
            | MigrateError::RoleNameNeedsOneProject { .. }
            | MigrateError::RoleNameClash { .. }
            | MigrateError::VarsetSpansAccounts { .. }
            | MigrateError::PermissionsUnknown { .. } => true,
            MigrateError::Plan(e) => e.is_usage(),
            MigrateError::Inventory(e) => e.is_usage(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
