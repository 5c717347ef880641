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
    #[error("the trust policy of role {role} would be {size} characters, over IAM's limit of {max}: trust the whole project with --all-workspaces (one workspace:* pattern), or split the workspaces across roles")]
    TrustPolicyTooLarge {
        role: String,
        size: usize,
        max: usize,
    },
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
        matches!(self, PlanError::Answers(_))
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
    #[error("apply stopped part way: {done} of {total} changes done; '{failed}' failed: {error}")]
    Partial {
        done: usize,
        total: usize,
        failed: String,
        error: ChangeError,
    },
    #[error("could not write the journal at {path}: {detail}")]
    Journal { path: String, detail: String },
}
