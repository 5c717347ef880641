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

mod changes;
pub mod deactivation;
pub mod discover;
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

pub use discover::{KeySource, KeyedWorkspace};
pub use keys::KeyOwner;
pub use plan::{discover_keys, plan_migration};
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
    #[error("the trust policy of role {role} would be {size} characters, over IAM's limit of {max}: migrate fewer workspaces at a time (--workspace)")]
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
            | MigrateError::PermissionsUnknown { .. } => true,
            MigrateError::Plan(e) => e.is_usage(),
            MigrateError::Inventory(e) => e.is_usage(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
