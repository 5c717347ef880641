//! Would a run of this workspace get AWS credentials? The claims HCP Terraform would send for
//! one phase, the role the workspace names (or one given), IAM's evaluation of its trust policy,
//! and what else STS checks (the provider exists and lists the audience). Used by `explain` and
//! by TFCOIDC007/003 in `review`.

use crate::core::inventory::{AwsInventory, Inventory, WorkspaceEntry};
use crate::core::names::{account_of, role_name_of};
use crate::core::ports::Role;
use crate::core::trust::subject::RunSubject;
use crate::core::trust::Phase;
use crate::core::trust::{evaluate, Claims, Decision, Effect, PolicyDocument};
use crate::core::variables::access::{self, aws_access};
use crate::core::variables::dynamic_vars::{self, VarKind};
use serde::Serialize;

/// Why the run would be refused (each one alone is enough).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// No such role in the account (or, in `review`, none that trusts the provider).
    RoleMissing { name: String },
    /// The role's trust policy does not parse.
    TrustUnreadable { reason: String },
    /// The trust policy refuses the claims; `explanation` is [`Decision::explain`].
    TrustDenies {
        explanation: String,
        statement: Option<usize>,
    },
    /// The account has no OIDC provider for the host.
    NoProvider { host: String },
    /// The provider does not list the token's audience among its client IDs.
    AudienceNotListed {
        aud: String,
        client_ids: Vec<String>,
    },
}

impl Problem {
    /// One line.
    pub fn describe(&self) -> String {
        match self {
            Problem::RoleMissing { name } => format!("role {name} does not exist in the account"),
            Problem::TrustUnreadable { reason } => format!("the role's {reason}"),
            Problem::TrustDenies { explanation, .. } => explanation.clone(),
            Problem::NoProvider { host } => format!(
                "the account has no OIDC provider for https://{host}: STS refuses every token"
            ),
            Problem::AudienceNotListed { aud, client_ids } => format!(
                "the OIDC provider does not list the audience {aud} (client IDs: {}): STS refuses the token",
                client_ids.join(", ")
            ),
        }
    }

    /// Whether the role or its trust policy is at fault (TFCOIDC007) rather than the provider.
    pub fn is_role_problem(&self) -> bool {
        matches!(
            self,
            Problem::RoleMissing { .. }
                | Problem::TrustUnreadable { .. }
                | Problem::TrustDenies { .. }
        )
    }
}

/// The outcome of checking one run phase against one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunCheck {
    pub claims: Claims,
    pub role_arn: String,
    /// The trust evaluation, when the role and its policy could be read.
    pub decision: Option<Decision>,
    pub problems: Vec<Problem>,
}

impl RunCheck {
    pub fn allowed(&self) -> bool {
        self.problems.is_empty()
    }

    /// The statement that decided, or for a denial the allow statement that came closest.
    pub fn decisive_statement(&self) -> Option<usize> {
        self.problems.iter().find_map(|p| match p {
            Problem::TrustDenies { statement, .. } => *statement,
            _ => None,
        })
    }
}

/// The subject of a workspace run.
pub fn run_subject(inv: &Inventory, ws: &WorkspaceEntry, phase: Phase) -> RunSubject {
    RunSubject::Workspace {
        organization: inv.organization.clone(),
        project: ws.project_name.clone(),
        workspace: ws.workspace.name.clone(),
        phase: phase.as_str().into(),
    }
}

fn decisive(decision: &Decision) -> Option<usize> {
    if decision.allowed {
        return decision.decided_by;
    }
    if let Some(d) = decision.denied_by() {
        return Some(d.index);
    }
    decision
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && s.relevant())
        .min_by_key(|s| s.failures.len())
        .map(|s| s.index)
}

/// Checks a run of `phase` with audience `aud` against the role `role_arn`. `extra` is a role
/// read separately (one that does not trust the provider is not in the inventory).
pub fn check_run(
    inv: &Inventory,
    aws: &AwsInventory,
    ws: &WorkspaceEntry,
    aud: &str,
    phase: Phase,
    role_arn: &str,
    extra: Option<&Role>,
) -> RunCheck {
    check_subject(inv, aws, &run_subject(inv, ws, phase), aud, role_arn, extra)
}

/// Checks a token for `subject` (a workspace run's or a Stack deployment's) with audience `aud`
/// against the role `role_arn`; `extra` as for [`check_run`].
pub fn check_subject(
    inv: &Inventory,
    aws: &AwsInventory,
    subject: &RunSubject,
    aud: &str,
    role_arn: &str,
    extra: Option<&Role>,
) -> RunCheck {
    let claims = Claims::for_subject(&inv.host, &aws.host_provider_arn, aud, subject);
    let mut problems = Vec::new();
    let mut decision = None;
    let trust = match aws.role(role_arn) {
        Some(entry) => Some(entry.trust.clone()),
        None => extra
            .filter(|r| r.arn == role_arn)
            .map(|r| PolicyDocument::parse(&r.trust_policy)),
    };
    match trust {
        None => problems.push(Problem::RoleMissing {
            name: role_name_of(role_arn).unwrap_or(role_arn).to_string(),
        }),
        Some(Err(e)) => problems.push(Problem::TrustUnreadable {
            reason: e.to_string(),
        }),
        Some(Ok(doc)) => {
            let d = evaluate(&doc, &claims);
            if !d.allowed {
                problems.push(Problem::TrustDenies {
                    explanation: d.explain(),
                    statement: decisive(&d),
                });
            }
            decision = Some(d);
        }
    }
    match aws.host_provider() {
        None => problems.push(Problem::NoProvider {
            host: inv.host.clone(),
        }),
        Some(p) if !p.client_ids.iter().any(|c| c == aud) => {
            problems.push(Problem::AudienceNotListed {
                aud: aud.to_string(),
                client_ids: p.client_ids.clone(),
            })
        }
        Some(_) => {}
    }
    RunCheck {
        claims,
        role_arn: role_arn.to_string(),
        decision,
        problems,
    }
}

/// Whether `role_arn` is in the account that was read (roles elsewhere cannot be checked).
pub fn in_account(aws: &AwsInventory, role_arn: &str) -> bool {
    account_of(role_arn) == Some(aws.caller.account.as_str())
}

/// Why `explain` cannot say allow or deny.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    #[error(
        "workspace '{workspace}' not found in project '{project}' of organization '{organization}'"
    )]
    NoWorkspace {
        organization: String,
        project: String,
        workspace: String,
    },
    #[error("workspace {workspace} has no {phase} role: neither {specific} nor {run} reaches it; pass --role-arn ARN, or run 'tfc-oidc setup'")]
    NoRole {
        workspace: String,
        phase: Phase,
        specific: String,
        run: String,
    },
    #[error("{key} on workspace {workspace} is sensitive, so its value cannot be read; pass --role-arn ARN")]
    SensitiveRoleArn { workspace: String, key: String },
    #[error(
        "the AWS account was not read: AWS credentials are needed to read the role's trust policy"
    )]
    NoAws,
    #[error("role {arn} is in account {account}, not in the account of the AWS credentials ({caller}); use credentials of that account (--profile)")]
    OtherAccount {
        arn: String,
        account: String,
        caller: String,
    },
}

impl ExplainError {
    /// Whether the error is a name the user gave that does not exist (exit 2), not a failure.
    pub fn is_usage(&self) -> bool {
        matches!(self, ExplainError::NoWorkspace { .. })
    }
}

/// What `explain` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// `org/workspace`.
    pub workspace: String,
    pub project: String,
    pub phase: Phase,
    /// Where the role ARN came from: `--role-arn`, or the variable and its source.
    pub role_source: String,
    /// `TFC_AWS_PROVIDER_AUTH` is not true: runs would not ask for credentials at all.
    pub provider_auth_off: bool,
    #[serde(flatten)]
    pub check: RunCheck,
}

impl Explanation {
    pub fn allowed(&self) -> bool {
        self.check.allowed()
    }
}

/// Explains a run of `workspace` in `project`: the role from `role_arn`, else from the
/// workspace's variables for `phase` (the `tag` configuration, or the default one).
pub fn explain(
    inv: &Inventory,
    project: &str,
    workspace: &str,
    phase: Phase,
    tag: Option<&str>,
    role_arn: Option<&str>,
    extra: Option<&Role>,
) -> Result<Explanation, ExplainError> {
    let ws = inv
        .workspaces
        .iter()
        .find(|w| w.workspace.name == workspace && w.project_name == project)
        .ok_or_else(|| ExplainError::NoWorkspace {
            organization: inv.organization.clone(),
            project: project.into(),
            workspace: workspace.into(),
        })?;
    let aws = inv.aws.as_ref().ok_or(ExplainError::NoAws)?;
    let access = aws_access(ws);
    let config = access::configuration(&access, tag);
    let shown = format!("{}/{}", inv.organization, ws.workspace.name);
    let (arn, role_source) = match role_arn {
        Some(arn) => (arn.to_string(), "--role-arn".to_string()),
        None => {
            let missing = || ExplainError::NoRole {
                workspace: shown.clone(),
                phase,
                specific: dynamic_vars::name(phase.role_kind(), tag),
                run: dynamic_vars::name(VarKind::RoleArn(Phase::Run), tag),
            };
            let var = config.and_then(|c| c.role_for(phase)).ok_or_else(missing)?;
            let value = var
                .value
                .clone()
                .ok_or_else(|| ExplainError::SensitiveRoleArn {
                    workspace: shown.clone(),
                    key: var.key.clone(),
                })?;
            let source = format!("{} from {}", var.key, var.source.describe());
            (value.trim().to_string(), source)
        }
    };
    if let Some(account) = account_of(&arn).filter(|a| *a != aws.caller.account) {
        return Err(ExplainError::OtherAccount {
            arn: arn.clone(),
            account: account.into(),
            caller: aws.caller.account.clone(),
        });
    }
    let aud = config.map_or_else(
        || crate::core::answers::DEFAULT_AUDIENCE.to_string(),
        |c| c.audience_value(),
    );
    let check = check_run(inv, aws, ws, &aud, phase, &arn, extra);
    Ok(Explanation {
        workspace: shown,
        project: ws.project_name.clone(),
        phase,
        role_source,
        provider_auth_off: !config.is_some_and(|c| c.enabled()),
        check,
    })
}
