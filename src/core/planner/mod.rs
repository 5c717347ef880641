//! Computing a [`Plan`] from the answers and what exists now. Planning only reads: the AWS side
//! and the HCP Terraform side are read concurrently, and nothing is ever written.

mod build;
mod dormant;
mod guard;
pub mod hashicorp_made;
mod read;
mod scratch;
mod variables;

pub use guard::{made_for, ownership, reach_beyond, readable_trust, Beyond, RoleRefusal};
pub use scratch::plan_from_scratch;
pub use variables::STATIC_KEYS_NOTE;

use crate::core::answers::Answers;
use crate::core::error::PlanError;
use crate::core::plan::Plan;
use crate::core::plan::VariableTarget;
use crate::core::ports::{
    CallerIdentity, Iam, OidcProvider, Project, Role, Tfc, Variable, VariableSet, Workspace,
};
use crate::core::trust::Phase;

/// A role as it exists now, with its permissions.
pub(super) struct RoleState {
    pub(super) role: Role,
    pub(super) attached: Vec<String>,
    pub(super) inline: Option<String>,
    /// The documents of the named inline policies the answers want, where the role has them.
    pub(super) named_inline: std::collections::BTreeMap<String, String>,
}

/// What the AWS side looks like.
pub(super) struct AwsState {
    pub(super) caller: CallerIdentity,
    pub(super) provider: Option<OidcProvider>,
    /// When there is no provider: the roles that already name it.
    pub(super) dormant: Vec<crate::core::plan::DormantRole>,
    pub(super) roles: Vec<(String, Phase, Option<RoleState>)>,
    /// Managed policies whose existence IAM would not tell (`iam:GetPolicy` denied).
    pub(super) unchecked_policies: Vec<String>,
}

/// What the HCP Terraform side looks like.
pub(super) struct TfcState {
    /// The organization name as HCP Terraform spells it: `sub` is matched case-sensitively.
    pub(super) organization: String,
    pub(super) project: Project,
    pub(super) workspaces: Vec<Workspace>,
    /// Existing variables per target, in the same order as the targets.
    pub(super) targets: Vec<(VariableTarget, Vec<Variable>)>,
    /// The variable set, when the target is one and it exists.
    pub(super) varset: Option<VariableSet>,
    /// With a variable set as the target, each chosen workspace's own variables: static keys
    /// there still reach its runs (the AWS provider prefers them to OIDC), so the plan warns
    /// about them as it does when the workspaces are the target.
    pub(super) workspace_variables: Vec<(VariableTarget, Vec<Variable>)>,
    /// Every workspace of the project, when the selection is all of it (a set attached to one of
    /// them is inside the selection).
    pub(super) project_workspace_ids: Vec<String>,
    /// The Stack, when the selection is one.
    pub(super) stack: Option<crate::core::ports::Stack>,
    /// Names of the organization's workspaces and projects by id, read only to name what an
    /// existing variable set reaches beyond the selection.
    pub(super) names: Vec<(String, String)>,
}

/// Computes the plan. Reads only.
pub async fn plan(answers: &Answers, iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Plan, PlanError> {
    answers.validate()?;
    let (aws, tfc_state) =
        futures::try_join!(read::read_aws(answers, iam), read::read_tfc(answers, tfc))?;
    let mut plan = build::build(answers, aws, tfc_state)?;
    // A resume continues a journal only for the same answers, account and API.
    plan.fingerprint = crate::core::answers::digest(&format!(
        "{}|{}|{}",
        plan.fingerprint,
        plan.account,
        tfc.api_url()
    ));
    Ok(plan)
}

pub(super) fn provider_arn(caller: &CallerIdentity, host: &str) -> String {
    crate::core::names::oidc_provider_arn(caller.partition(), &caller.account, host)
}

pub(super) fn role_arn(caller: &CallerIdentity, name: &str) -> String {
    format!(
        "arn:{}:iam::{}:role/{name}",
        caller.partition(),
        caller.account
    )
}
