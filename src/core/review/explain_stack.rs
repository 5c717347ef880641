//! Would a Stack deployment's `plan` or `apply` operation get AWS credentials? The claims HCP
//! Terraform would send (`organization:O:project:P:stack:S:deployment:D:operation:X`), IAM's
//! evaluation of the role's trust policy, and what else STS checks. Stacks take their role from
//! the deployment's `role_arn` input, not from variables, so the role is always given.

use super::explain::{check_subject, ExplainError, RunCheck};
use crate::core::inventory::Inventory;
use crate::core::names::account_of;
use crate::core::ports::Role;
use crate::core::trust::subject::{RunSubject, STACK_SUBJECT_MAX};
use crate::core::trust::Phase;
use serde::Serialize;

/// Which Stack operation to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackRun<'a> {
    pub project: &'a str,
    pub stack: &'a str,
    pub deployment: &'a str,
    pub operation: Phase,
    pub role_arn: &'a str,
    /// The `audience` of the Stack's `identity_token` block.
    pub audience: &'a str,
}

/// What `explain --stack` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackExplanation {
    /// `org/stack`.
    pub stack: String,
    pub project: String,
    pub deployment: String,
    pub operation: Phase,
    /// Always `--role-arn`: Stacks take the role from their deployment configuration.
    pub role_source: String,
    /// What the inventory says about the Stack beside the verdict (an unknown deployment, a
    /// subject longer than HCP Terraform issues).
    pub notes: Vec<String>,
    #[serde(flatten)]
    pub check: RunCheck,
}

impl StackExplanation {
    pub fn allowed(&self) -> bool {
        self.check.allowed()
    }
}

/// Why `explain --stack` cannot say allow or deny (beyond [`ExplainError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StackExplainError {
    #[error("Stack '{stack}' not found in project '{project}' of organization '{organization}' (Stacks there: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    NoStack {
        organization: String,
        project: String,
        stack: String,
        known: Vec<String>,
    },
    #[error(transparent)]
    Explain(#[from] ExplainError),
}

impl StackExplainError {
    /// Whether the error is a name the user gave that does not exist (exit 2), not a failure.
    pub fn is_usage(&self) -> bool {
        match self {
            StackExplainError::NoStack { .. } => true,
            StackExplainError::Explain(e) => e.is_usage(),
        }
    }
}

/// Explains `run` against the inventory (read with AWS). `extra` is the role read separately
/// when it does not trust the provider (so it is not in the inventory).
pub fn explain_stack(
    inv: &Inventory,
    run: &StackRun,
    extra: Option<&Role>,
) -> Result<StackExplanation, StackExplainError> {
    let aws = inv.aws.as_ref().ok_or(ExplainError::NoAws)?;
    let mut notes = Vec::new();
    let project = inv.projects.iter().find(|p| p.name == run.project);
    match (project, inv.stacks.as_deref()) {
        (Some(project), Some(stacks)) => {
            let in_project: Vec<_> = stacks
                .iter()
                .filter(|s| s.project_id == project.id)
                .collect();
            let found = in_project
                .iter()
                .find(|s| s.name == run.stack)
                .ok_or_else(|| StackExplainError::NoStack {
                    organization: inv.organization.clone(),
                    project: run.project.into(),
                    stack: run.stack.into(),
                    known: in_project.iter().map(|s| s.name.clone()).collect(),
                })?;
            let names = &found.deployment_names;
            if !names.is_empty() && !names.iter().any(|d| d == run.deployment) {
                notes.push(format!(
                    "Stack {} has no deployment {} (deployments: {}): the verdict is for a deployment of that name",
                    run.stack,
                    run.deployment,
                    names.join(", ")
                ));
            }
        }
        (_, None) => notes.push(
            "the organization's Stacks could not be listed: the Stack's existence was not checked"
                .into(),
        ),
        // The inventory read (scoped to the project) has already refused an unknown project.
        (None, Some(_)) => {}
    }
    if let Some(account) = account_of(run.role_arn).filter(|a| *a != aws.caller.account) {
        return Err(ExplainError::OtherAccount {
            arn: run.role_arn.into(),
            account: account.into(),
            caller: aws.caller.account.clone(),
        }
        .into());
    }
    let subject = RunSubject::Stack {
        organization: inv.organization.clone(),
        project: run.project.into(),
        stack: run.stack.into(),
        deployment: run.deployment.into(),
        operation: run.operation.as_str().into(),
    };
    let length = subject.to_sub().chars().count();
    if length > STACK_SUBJECT_MAX {
        notes.push(format!(
            "the subject is {length} characters, over the {STACK_SUBJECT_MAX} HCP Terraform issues for a Stack: its runs cannot authenticate"
        ));
    }
    let check = check_subject(inv, aws, &subject, run.audience, run.role_arn, extra);
    Ok(StackExplanation {
        stack: format!("{}/{}", inv.organization, run.stack),
        project: run.project.into(),
        deployment: run.deployment.into(),
        operation: run.operation,
        role_source: "--role-arn".into(),
        notes,
        check,
    })
}
