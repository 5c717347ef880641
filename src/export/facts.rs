//! What an export learns from the live services: the names as HCP Terraform spells them,
//! whether the OIDC provider exists (a data source or parameter then stands for it), and which
//! roles or variable set already exist. It comes from the same read-only plan `setup --dry-run`
//! computes; when the services cannot be read, the export goes on from the answers alone.

use crate::core::answers::Answers;
use crate::core::error::PlanError;
use crate::core::plan::{Change, Plan, VariableTarget};
use crate::core::planner;
use crate::core::ports::{CallerIdentity, Iam, Tfc, TfcError};

/// The IAM OIDC provider for the issuer, as far as the export knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderFact {
    /// AWS could not be read: the export creates the provider (CloudFormation takes the ARN of an
    /// existing one as a parameter).
    Unknown,
    /// There is none: the export creates it.
    Absent,
    /// It exists: the export refers to it instead of creating it.
    Present {
        arn: String,
        /// Whether its client IDs already hold the audience.
        has_audience: bool,
    },
}

/// What exists, or why it is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The organization as HCP Terraform spells it (tokens carry this spelling).
    pub organization: String,
    pub project: String,
    /// The chosen workspaces (every workspace of the project with `--all-workspaces`).
    pub workspaces: Vec<String>,
    /// Who the AWS credentials belong to, when AWS was read.
    pub caller: Option<CallerIdentity>,
    pub provider: ProviderFact,
    /// Roles of the answers that exist already.
    pub existing_roles: Vec<String>,
    /// Whether the variable set of the answers exists already.
    pub existing_varset: bool,
    /// Why the services were not read, when they were not.
    pub unread: Option<String>,
    /// For a Stack, the `.tfdeploy.hcl` text `setup` shows, which names every deployment of the
    /// Stack when none was chosen (a plan from scratch knows only the chosen ones).
    pub deployment_config: Option<String>,
}

impl Facts {
    /// The facts a read-only plan of the same answers shows (the review screen's or `--dry-run`'s).
    pub fn from_plan(plan: &Plan) -> Facts {
        let partition = plan.provider_arn.split(':').nth(1).unwrap_or("aws");
        let creates_provider = plan
            .changes
            .iter()
            .any(|c| matches!(c.change, Change::CreateOidcProvider(_)));
        let adds_audience = plan
            .changes
            .iter()
            .any(|c| matches!(c.change, Change::AddOidcAudience(_)));
        let provider = if creates_provider {
            ProviderFact::Absent
        } else {
            ProviderFact::Present {
                arn: plan.provider_arn.clone(),
                has_audience: !adds_audience,
            }
        };
        Facts {
            organization: plan.organization.clone(),
            project: plan.projects.first().cloned().unwrap_or_default(),
            workspaces: plan.workspaces.iter().map(|w| w.name.clone()).collect(),
            caller: Some(CallerIdentity {
                account: plan.account.clone(),
                arn: format!("arn:{partition}:iam::{}:root", plan.account),
                user_id: String::new(),
            }),
            provider,
            existing_roles: plan
                .roles
                .iter()
                .filter(|r| r.exists)
                .map(|r| r.name.clone())
                .collect(),
            existing_varset: plan
                .variables
                .iter()
                .any(|v| matches!(&v.target, VariableTarget::VariableSet(s) if s.id.is_some())),
            unread: None,
            deployment_config: plan.deployment_config.clone(),
        }
    }

    /// Facts from the answers alone, because the services could not be read (`why`).
    pub fn unread(answers: &Answers, why: impl Into<String>) -> Facts {
        Facts {
            organization: answers.organization.clone(),
            project: answers.project.clone(),
            workspaces: match &answers.workspaces {
                crate::core::answers::WorkspaceSelection::Named(names) => names.clone(),
                crate::core::answers::WorkspaceSelection::All
                | crate::core::answers::WorkspaceSelection::Stack { .. } => Vec::new(),
            },
            caller: None,
            provider: ProviderFact::Unknown,
            existing_roles: Vec::new(),
            existing_varset: false,
            unread: Some(why.into()),
            deployment_config: None,
        }
    }
}

/// Whether a planning error means the services could not be read (credentials, permissions,
/// network), rather than that the answers name something that is not there.
fn is_unreadable(e: &PlanError) -> bool {
    match e {
        PlanError::Aws { .. } => true,
        PlanError::Tfc { source, .. } => matches!(
            source,
            TfcError::Unauthorized { .. }
                | TfcError::RateLimited { .. }
                | TfcError::Server { .. }
                | TfcError::Transport { .. }
        ),
        _ => false,
    }
}

/// Reads what exists through the ports (a read-only plan). Names that are wrong (an unknown
/// project, a workspace of another project) are errors, as for `setup`; services that cannot be
/// read give [`Facts::unread`] with the reason, so the export still works offline.
pub async fn read_facts(
    answers: &Answers,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
) -> Result<Facts, PlanError> {
    match planner::plan(answers, iam, tfc).await {
        Ok(plan) => Ok(Facts::from_plan(&plan)),
        Err(e) if is_unreadable(&e) => Ok(Facts::unread(answers, e.to_string())),
        Err(e) => Err(e),
    }
}
