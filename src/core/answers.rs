//! What the user chose, from flags (CLI) or screens (TUI), and the one validation both use.

use crate::core::names::{self, NameError};
use crate::core::permission_policy::{check_permission_policy, PolicyProblem};
use crate::core::plan::managed_tag;
use crate::core::trust::Phase;
use serde::{Deserialize, Serialize};

/// The audience HCP Terraform puts in AWS tokens unless told otherwise.
pub const DEFAULT_AUDIENCE: &str = "aws.workload.identity";
/// The name of the inline policy tfc-oidc puts on a role from `--policy-file`.
pub const INLINE_POLICY_NAME: &str = "tfc-oidc";
/// The AWS-managed policy a split plan role gets unless told otherwise: plan runs only read.
pub const PLAN_ROLE_DEFAULT_POLICY: &str = "ReadOnlyAccess";

/// The ARN of AWS-managed policy `name` in `partition` (`arn:aws:iam::aws:policy/NAME`).
pub fn aws_managed_policy_arn(partition: &str, name: &str) -> String {
    format!("arn:{partition}:iam::aws:policy/{name}")
}

/// Which workspaces of the project are set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceSelection {
    Named(Vec<String>),
    /// Every workspace in the project; the trust uses one `workspace:*` pattern.
    All,
    /// A Stack of the project: its deployments (all with an empty list) are trusted, and no
    /// variables are written (Stacks take the role from their deployment configuration).
    Stack {
        name: String,
        deployments: Vec<String>,
    },
}

/// What the role may do in AWS.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    pub managed_policy_arns: Vec<String>,
    /// Inline policy JSON (from `--policy-file`).
    pub inline_policy: Option<String>,
    /// The user said `--no-policy`: the role gets no permissions from us.
    pub none: bool,
    /// Inline policies copied from an IAM user and its groups (migrate's same permissions),
    /// each under its own name. Left out of the JSON when empty, so earlier answers' journals
    /// and fingerprints read the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named_inline_policies: Vec<crate::core::ports::InlinePolicy>,
    /// The permissions boundary set on a role this plan creates (an IAM user's, copied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<String>,
}

impl Permissions {
    pub fn is_empty(&self) -> bool {
        self.managed_policy_arns.is_empty()
            && self.inline_policy.is_none()
            && self.named_inline_policies.is_empty()
    }

    /// Checks the choice: exactly one of none or some policies, each ARN well formed, the
    /// inline document IAM's grammar within its size limit.
    fn validate(&self, which: &'static str) -> Result<(), AnswerError> {
        if self.none && !self.is_empty() {
            return Err(AnswerError::ConflictingPermissions);
        }
        if !self.none && self.is_empty() {
            return Err(AnswerError::NoPermissions);
        }
        for arn in &self.managed_policy_arns {
            names::validate_policy_arn(arn)?;
        }
        if let Some(doc) = &self.inline_policy {
            check_permission_policy(doc, names::INLINE_POLICY_MAX)
                .map_err(|problem| AnswerError::InlinePolicy { which, problem })?;
        }
        Ok(())
    }
}

/// Where the variables go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TargetChoice {
    /// Directly on each workspace.
    Workspaces,
    /// A variable set of this name: reused and completed if it exists, created otherwise. It is
    /// attached to the project with [`WorkspaceSelection::All`], else to the chosen workspaces.
    VariableSet { name: String },
}

/// Everything needed to compute a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    /// The HCP Terraform host, also the OIDC issuer's host.
    pub host: String,
    pub organization: String,
    pub project: String,
    pub workspaces: WorkspaceSelection,
    pub role_name: String,
    /// Separate plan and apply roles.
    pub split_roles: bool,
    /// What the role may do; with split roles, the apply role.
    pub permissions: Permissions,
    /// With split roles, what the plan role may do (`--plan-policy-arn`, `--plan-policy-file`).
    /// `None` is the default: ReadOnlyAccess, or nothing when `permissions` is `--no-policy`.
    /// Skipped when `None`, so journals and fingerprints of earlier answers read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_permissions: Option<Permissions>,
    pub audience: String,
    pub target: TargetChoice,
    /// Thumbprints for a new provider; empty lets IAM use its CA library.
    pub thumbprints: Vec<String>,
    /// The user agreed to reuse a role tfc-oidc did not make for this organization and project.
    #[serde(default)]
    pub adopt_role: bool,
    /// The user agreed to AdministratorAccess on a role trusted for plans or several workspaces.
    #[serde(default)]
    pub allow_admin: bool,
    /// The user agreed to create the OIDC provider although roles that already name it admit
    /// any organization or hold administrator permissions for several workspaces. Left out of
    /// the JSON when false, so the fingerprints of earlier answers stay what they were.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_dormant_trust: bool,
    /// A tagged configuration (`--alias TAG`): the variables get HCP Terraform's `_TAG` suffix,
    /// so several AWS accounts serve one workspace side by side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

/// Why answers cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("no workspace chosen: name one with --workspace or use --all-workspaces")]
    NoWorkspace,
    #[error("workspace '{0}' is named twice")]
    DuplicateWorkspace(String),
    #[error("choose the role's permissions: --policy-arn, --policy-file or --no-policy")]
    NoPermissions,
    #[error("--no-policy cannot be combined with --policy-arn or --policy-file")]
    ConflictingPermissions,
    #[error("the {which} is not a valid IAM policy at {problem}")]
    InlinePolicy {
        which: &'static str,
        problem: PolicyProblem,
    },
    #[error("--plan-policy-arn and --plan-policy-file choose the plan role's permissions: they need --split-roles")]
    PlanPermissionsWithoutSplit,
    #[error("the Stack's token subject {subject} is {length} characters, over HCP Terraform's limit of {max}: shorten the organization, project, Stack or deployment name")]
    StackSubjectTooLong {
        subject: String,
        length: usize,
        max: usize,
    },
    #[error("a Stack takes its role from its deployment configuration: --target varset does not apply to --stack")]
    StackWithVariables,
    #[error("a Stack deployment assumes one role for plan and apply: --split-roles does not apply to --stack")]
    StackSplitRoles,
}

/// A Stack token's `sub` may not be longer than HCP Terraform's limit.
pub fn check_stack_subject(sub: &str) -> Result<(), AnswerError> {
    let length = sub.chars().count();
    let max = crate::core::trust::subject::STACK_SUBJECT_MAX;
    if length > max {
        return Err(AnswerError::StackSubjectTooLong {
            subject: sub.to_string(),
            length,
            max,
        });
    }
    Ok(())
}

impl Answers {
    /// Answers with the documented defaults for everything but the scope.
    pub fn new(
        host: &str,
        organization: &str,
        project: &str,
        workspaces: WorkspaceSelection,
    ) -> Answers {
        Answers {
            host: host.to_string(),
            organization: organization.to_string(),
            project: project.to_string(),
            workspaces,
            role_name: names::default_role_name(organization, project),
            split_roles: false,
            permissions: Permissions::default(),
            plan_permissions: None,
            audience: DEFAULT_AUDIENCE.to_string(),
            target: TargetChoice::Workspaces,
            thumbprints: Vec::new(),
            adopt_role: false,
            allow_admin: false,
            allow_dormant_trust: false,
            alias: None,
        }
    }

    /// The default variable set name, `aws-oidc-<role-name>`.
    pub fn default_varset_name(role_name: &str) -> String {
        format!("aws-oidc-{role_name}")
    }

    /// Checks every name and choice; the CLI and the TUI both call this before planning.
    pub fn validate(&self) -> Result<(), AnswerError> {
        names::validate_hostname(&self.host)?;
        names::validate_organization_name(&self.organization)?;
        names::validate_project_name(&self.project)?;
        match &self.workspaces {
            WorkspaceSelection::Named(list) if list.is_empty() => {
                return Err(AnswerError::NoWorkspace)
            }
            WorkspaceSelection::Named(list) => {
                for (i, ws) in list.iter().enumerate() {
                    names::validate_workspace_name(ws)?;
                    if list[..i].contains(ws) {
                        return Err(AnswerError::DuplicateWorkspace(ws.clone()));
                    }
                }
            }
            WorkspaceSelection::All => {}
            WorkspaceSelection::Stack { name, deployments } => {
                names::validate_workspace_name(name)?;
                for d in deployments {
                    names::validate_workspace_name(d)?;
                }
                let longest = deployments.iter().map(String::len).max();
                let sub = crate::core::trust::subject::RunSubject::Stack {
                    organization: self.organization.clone(),
                    project: self.project.clone(),
                    stack: name.clone(),
                    deployment: "x".repeat(longest.unwrap_or(1)),
                    operation: "apply".into(),
                };
                check_stack_subject(&sub.to_sub())?;
                if matches!(self.target, TargetChoice::VariableSet { .. }) {
                    return Err(AnswerError::StackWithVariables);
                }
                if self.split_roles {
                    return Err(AnswerError::StackSplitRoles);
                }
            }
        }
        names::validate_role_name(&self.role_name)?;
        if self.split_roles {
            let (plan, apply) = names::split_role_names(&self.role_name);
            names::validate_role_name(&plan)?;
            names::validate_role_name(&apply)?;
        }
        self.permissions.validate("inline policy")?;
        match (&self.plan_permissions, self.split_roles) {
            (Some(p), true) => p.validate("plan role's inline policy")?,
            (Some(_), false) => return Err(AnswerError::PlanPermissionsWithoutSplit),
            (None, _) => {}
        }
        names::validate_audience(&self.audience)?;
        if let Some(tag) = &self.alias {
            crate::core::variables::dynamic_vars::validate_alias_tag(tag)?;
        }
        if let TargetChoice::VariableSet { name } = &self.target {
            names::validate_varset_name(name)?;
        }
        for t in &self.thumbprints {
            names::validate_thumbprint(t)?;
        }
        for (k, v) in [
            (managed_tag::ORGANIZATION, self.organization.as_str()),
            (managed_tag::PROJECT, self.project.as_str()),
        ] {
            names::validate_tag(k, v)?;
        }
        Ok(())
    }

    /// The role names with their phases.
    pub fn roles(&self) -> Vec<(String, Phase)> {
        if self.split_roles {
            let (plan, apply) = names::split_role_names(&self.role_name);
            vec![(plan, Phase::Plan), (apply, Phase::Apply)]
        } else {
            vec![(self.role_name.clone(), Phase::Run)]
        }
    }

    /// What the role of `phase` may do: with split roles the plan role gets the plan
    /// permissions, by default [`PLAN_ROLE_DEFAULT_POLICY`] (or none after `--no-policy`);
    /// every other role the permissions. `partition` from the caller's ARN.
    pub fn permissions_for(&self, phase: Phase, partition: &str) -> Permissions {
        if phase != Phase::Plan {
            return self.permissions.clone();
        }
        match &self.plan_permissions {
            Some(p) => p.clone(),
            None if self.permissions.none => self.permissions.clone(),
            None => Permissions {
                managed_policy_arns: vec![aws_managed_policy_arn(
                    partition,
                    PLAN_ROLE_DEFAULT_POLICY,
                )],
                ..Permissions::default()
            },
        }
    }

    /// The plan role gets [`PLAN_ROLE_DEFAULT_POLICY`] because nothing else was chosen.
    pub fn plan_role_defaulted(&self) -> bool {
        self.split_roles && self.plan_permissions.is_none() && !self.permissions.none
    }

    /// A short stable digest of the answers: a resumed apply continues the journal of an
    /// interrupted one only when this matches.
    pub fn fingerprint(&self) -> String {
        digest(&serde_json::to_string(self).unwrap_or_default())
    }
}

/// A short stable digest of `text` (FNV-1a: stable across builds and platforms, unlike std's
/// hasher).
pub fn digest(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers() -> Answers {
        let mut a = Answers::new(
            "app.terraform.io",
            "acme",
            "platform",
            WorkspaceSelection::Named(vec!["net".into()]),
        );
        a.permissions
            .managed_policy_arns
            .push("arn:aws:iam::aws:policy/ReadOnlyAccess".into());
        a
    }

    #[test]
    fn defaults() {
        let a = answers();
        assert_eq!(a.role_name, "tfc-acme-platform");
        assert_eq!(a.audience, DEFAULT_AUDIENCE);
        assert!(a.validate().is_ok());
        assert_eq!(
            Answers::default_varset_name(&a.role_name),
            "aws-oidc-tfc-acme-platform"
        );
    }

    #[test]
    fn rejects_bad_input() {
        let mut a = answers();
        a.permissions = Permissions::default();
        assert_eq!(a.validate(), Err(AnswerError::NoPermissions));
        let mut a = answers();
        a.permissions.none = true;
        assert_eq!(a.validate(), Err(AnswerError::ConflictingPermissions));
        let mut a = answers();
        a.workspaces = WorkspaceSelection::Named(vec!["a".into(), "a".into()]);
        assert!(matches!(
            a.validate(),
            Err(AnswerError::DuplicateWorkspace(_))
        ));
        let mut a = answers();
        a.role_name = "bad name".into();
        assert!(a
            .validate()
            .unwrap_err()
            .to_string()
            .contains("role name 'bad name' is not valid"));
        let mut a = answers();
        a.thumbprints.push("xyz".into());
        assert!(a.validate().is_err());
    }

    #[test]
    fn fingerprint_is_stable_and_sensitive() {
        let a = answers();
        assert_eq!(a.fingerprint(), answers().fingerprint());
        let mut b = answers();
        b.split_roles = true;
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
