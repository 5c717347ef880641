//! Roles that already trust a provider the plan creates. A role can name
//! `oidc-provider/HOST` while no such provider exists (it was deleted to revoke access, or never
//! made); creating it makes every such role assumable at once. Before the plan creates the
//! provider it reads those roles as `review` does and weighs review's verdicts: a broad one
//! (any organization, or administrator permissions for several workspaces) is refused unless
//! the user accepts the risk, the others are named in a note.

use crate::core::answers::Answers;
use crate::core::error::PlanError;
use crate::core::inventory::{self, AwsInventory, Inventory, InventoryError};
use crate::core::plan::{DormantFinding, DormantRole, Note};
use crate::core::ports::{CallerIdentity, Iam, OidcProvider};
use crate::core::review::{self, Finding, FindingId, ResourceRef};

/// The roles that already name `provider_arn`, with review's verdict on each. Reads only.
pub(super) async fn read(
    answers: &Answers,
    iam: &dyn Iam,
    caller: &CallerIdentity,
    provider_arn: &str,
) -> Result<Vec<DormantRole>, PlanError> {
    // The provider as the plan will create it: review's audience check (TFCOIDC003) then
    // weighs each role against the audience it will list.
    let provider = OidcProvider {
        arn: provider_arn.to_string(),
        url: answers.host.clone(),
        client_ids: vec![answers.audience.clone()],
        thumbprints: answers.thumbprints.clone(),
        tags: Vec::new(),
    };
    let aws = inventory::read_dormant(iam, caller, provider)
        .await
        .map_err(|e| match e {
            InventoryError::Aws { action, source } => PlanError::Aws { action, source },
            InventoryError::Tfc { action, source } => PlanError::Tfc { action, source },
            other => PlanError::Aws {
                action: "read the roles that trust the provider",
                source: crate::core::ports::IamError::Other(other.to_string()),
            },
        })?;
    Ok(evaluate(answers, aws))
}

/// Review's verdicts on each role of `aws` (the roles alone: no workspace is read).
fn evaluate(answers: &Answers, aws: AwsInventory) -> Vec<DormantRole> {
    let inv = Inventory {
        host: answers.host.clone(),
        organization: answers.organization.clone(),
        scope_project: None,
        projects: Vec::new(),
        workspaces: Vec::new(),
        variable_sets: Vec::new(),
        stacks: None,
        aws: Some(aws),
    };
    let findings = review::role_verdicts(&inv);
    let roles = inv.aws.as_ref().map_or(&[][..], |a| a.roles.as_slice());
    roles
        .iter()
        .map(|role| {
            let arn = &role.role.arn;
            let own: Vec<&Finding> = findings
                .iter()
                .filter(|f| matches!(&f.resource_ref, ResourceRef::Role { arn: a, .. } if a == arn))
                .collect();
            let any_org = own.iter().any(|f| {
                matches!(
                    f.id,
                    FindingId::NoSubCondition | FindingId::WildcardOrganization
                )
            });
            let admin = own.iter().any(|f| f.id == FindingId::AdminForMany)
                && review::admin_for_many_workspaces(&inv, role);
            DormantRole {
                name: role.role.name.clone(),
                arn: arn.clone(),
                trust: serde_json::from_str(&role.role.trust_policy)
                    .unwrap_or(serde_json::Value::Null),
                findings: own
                    .iter()
                    .map(|f| DormantFinding {
                        code: f.id.code().to_string(),
                        severity: f.severity.to_string(),
                        detail: f.detail.clone(),
                    })
                    .collect(),
                broad: any_org || admin,
            }
        })
        .collect()
}

/// Refuses to re-arm a broad role without `allow_dormant_trust`; otherwise the notes naming
/// the roles creating the provider makes assumable again.
pub(super) fn check(
    answers: &Answers,
    provider_arn: &str,
    dormant: &[DormantRole],
) -> Result<Vec<Note>, PlanError> {
    let labels = |broad: bool| -> Vec<String> {
        let roles = dormant.iter().filter(|r| r.broad == broad);
        roles.map(DormantRole::label).collect()
    };
    let (broad, narrow) = (labels(true), labels(false));
    if !broad.is_empty() && !answers.allow_dormant_trust {
        return Err(PlanError::DormantTrust {
            host: answers.host.clone(),
            roles: broad.join(", "),
            review: review::tfc_oidc(&answers.host),
            organization: review::shell_word(&answers.organization),
        });
    }
    let mut notes = Vec::new();
    if !broad.is_empty() {
        notes.push(Note::warning(
            provider_arn,
            format!(
                "creating the provider lets these roles be assumed again although they admit too much (--allow-dormant-trust): {}",
                broad.join(", ")
            ),
        ));
    }
    if !narrow.is_empty() {
        notes.push(Note::warning(
            provider_arn,
            format!(
                "creating the provider lets these roles be assumed again: {}",
                narrow.join(", ")
            ),
        ));
    }
    Ok(notes)
}
