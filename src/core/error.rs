//! Errors of the core, each saying which step, which resource and which call failed.

use crate::core::answers::AnswerError;
use crate::core::ports::{IamError, TfcError};

/// Why a plan could not be computed. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Answers(#[from] AnswerError),
    #[error("could not {action}: {source}")]
    Aws {
        action: &'static str,
        source: IamError,
    },
    #[error("{source}")]
    Tfc {
        action: &'static str,
        source: TfcError,
    },
    #[error("workspace '{workspace}' is in project '{actual}', not '{expected}': use --project '{actual}' (a trust for the wrong project would never match)")]
    WrongProject {
        workspace: String,
        expected: String,
        actual: String,
    },
    /// The run lock could not be taken (another run held it too long), in one line.
    #[error("{0}")]
    Locked(String),
    #[error("the trust policy of role {role} would be {size} characters, over IAM's limit of {max}: trust the whole project with --all-workspaces (one workspace:* pattern), or split the workspaces across roles")]
    TrustPolicyTooLarge {
        role: String,
        size: usize,
        max: usize,
    },
    #[error("the trust policy of role {role} does not parse ({reason}); tfc-oidc never replaces a policy it cannot read: fix it in IAM or choose another --role-name")]
    UnreadableTrust { role: String, reason: String },
    #[error("refusing to use role {role}: {reason}, so any HCP Terraform organization could assume it ({finding}); narrow its trust first, or choose another --role-name")]
    BroadTrust {
        role: String,
        reason: String,
        finding: &'static str,
    },
    #[error("role {role} already exists and {why}; tfc-oidc would extend its trust and give it permissions: pass --adopt-role to do so (it trusts: {trusts}; policies: {policies})")]
    ForeignRole {
        role: String,
        why: String,
        trusts: String,
        policies: String,
    },
    #[error("AdministratorAccess on role {role}, which is trusted for {scope}: pass --allow-admin if that is really wanted (split plan and apply roles with --split-roles, or use a narrower policy)")]
    AdminNeedsFlag { role: String, scope: String },
    #[error("creating the OIDC provider for {host} would let roles that already trust it be assumed again, and these admit too much: {roles}; narrow their trust (a StringLike condition on {host}:sub naming organization, project, workspace and run phase; no administrator permissions on a role trusted for several workspaces) or delete them (their findings: {review} review --org {organization}), or pass --allow-dormant-trust to accept the risk")]
    DormantTrust {
        host: String,
        roles: String,
        review: String,
        organization: String,
    },
    #[error("variable set {set} also reaches {others}: writing the role ARN there would point them at a role that does not trust them; choose another --varset-name")]
    VarsetReachesOthers { set: String, others: String },
    #[error("Stack '{stack}' not found in project '{project}' (Stacks: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    UnknownStack {
        project: String,
        stack: String,
        known: Vec<String>,
    },
    #[error("Stack '{stack}' has no deployment '{deployment}' (deployments: {})", known.join(", "))]
    UnknownDeployment {
        stack: String,
        deployment: String,
        known: Vec<String>,
    },
    #[error("managed policy {arn} does not exist: check the ARN (AWS-managed policies are arn:aws:iam::aws:policy/NAME, the account's own arn:aws:iam::ACCOUNT:policy/NAME)")]
    UnknownPolicy { arn: String },
    #[error("project '{project}' not found in organization '{organization}' (projects: {})", known.join(", "))]
    UnknownProject {
        organization: String,
        project: String,
        known: Vec<String>,
    },
}

impl PlanError {
    /// Wraps an IAM error with what the planner was doing.
    pub fn aws(action: &'static str) -> impl Fn(IamError) -> PlanError {
        move |source| PlanError::Aws { action, source }
    }

    /// Wraps an HCP Terraform error with what the planner was doing.
    pub fn tfc(action: &'static str) -> impl Fn(TfcError) -> PlanError {
        move |source| PlanError::Tfc { action, source }
    }

    /// Whether the error is the user's input (exit 2) rather than a failure (exit 1).
    pub fn is_usage(&self) -> bool {
        match self {
            PlanError::Answers(_)
            | PlanError::UnknownPolicy { .. }
            | PlanError::ForeignRole { .. }
            | PlanError::AdminNeedsFlag { .. }
            | PlanError::DormantTrust { .. }
            | PlanError::WrongProject { .. }
            | PlanError::UnknownStack { .. }
            | PlanError::UnknownDeployment { .. }
            | PlanError::UnknownProject { .. } => true,
            PlanError::Tfc { source, .. } => source.is_not_found(),
            _ => false,
        }
    }
}

/// Why one change failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Aws(#[from] IamError),
    #[error(transparent)]
    Tfc(#[from] TfcError),
    #[error("{0}")]
    Internal(String),
}

/// Why an apply did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Some changes were applied, one failed, the rest did not start. The journal has the details.
    #[error("apply stopped part way: {done} of {} done; '{failed}' failed: {error}", crate::core::text::counted(*total, "change", "changes"))]
    Partial {
        done: usize,
        total: usize,
        failed: String,
        error: ChangeError,
    },
    /// Ctrl-C: the calls in flight finished and were journaled, nothing new started.
    #[error("interrupted: {done} of {} done{}", crate::core::text::counted(*total, "change", "changes"), if done < total { ", the rest not started" } else { "" })]
    Interrupted { done: usize, total: usize },
    /// Another tfc-oidc run holds the lock on the journal.
    #[error("another tfc-oidc run is applying changes (lock {path} held); wait for it to finish and try again")]
    Locked { path: String },
    #[error("could not write the journal at {path}: {detail}")]
    Journal { path: String, detail: String },
}
