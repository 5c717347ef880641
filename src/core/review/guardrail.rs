//! Whether an AWS Organizations resource control policy (RCP) guards the account against other
//! organizations' HCP Terraform runs: one attached to the account, an OU above it or the root
//! whose content denies `AssumeRoleWithWebIdentity` through the review's issuer to a stranger's
//! token. The content is judged by the trust evaluator (`core::trust`), not by its shape, so
//! `tfc-oidc guardrail`'s policy and equivalent hand-written ones are both recognised.
//!
//! Reading Organizations is best effort: without access (not in an organization, not the
//! management or a delegated administrator account, no `organizations:*` permission) the review
//! says it could not tell, never fails.

use crate::core::ports::{IamError, OrgNode, OrgNodeKind, OrgPolicy, Organizations};
use crate::core::trust::{evaluate, Claims, PolicyDocument};
use serde::Serialize;

/// OUs nest at most five deep under the root: the parent chain is never longer than this.
const MAX_DEPTH: usize = 8;

/// What `review` found out about the guardrail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum GuardrailCoverage {
    /// An RCP that denies a stranger's token is attached to `target` (the account, an OU above
    /// it or the root).
    Covered {
        policy_id: String,
        policy_name: String,
        target: String,
    },
    /// Every RCP was read; none attached above the account denies a stranger's token.
    NotCovered { policies: usize },
    /// Organizations could not be read (or AWS was not): why.
    Unknown { reason: String },
}

impl GuardrailCoverage {
    /// One line for the review's summary.
    pub fn summary(&self, host: &str) -> String {
        match self {
            GuardrailCoverage::Covered {
                policy_id,
                policy_name,
                target,
            } => format!(
                "guardrail: resource control policy {policy_name} ({policy_id}) on {target} denies other organizations' runs through {host}"
            ),
            GuardrailCoverage::NotCovered { policies } => format!(
                "guardrail: none of the organization's {policies} resource control policies attached to this account denies other organizations' runs through {host} (see 'tfc-oidc guardrail')"
            ),
            GuardrailCoverage::Unknown { reason } => {
                format!("guardrail: could not tell whether a resource control policy covers this account ({reason})")
            }
        }
    }
}

/// The claims of a run of an organization that is not `organization` but whose name starts
/// with it: a guardrail that admits `organization:ORG*` does not keep it out.
fn stranger(host: &str, account: &str, organization: &str) -> Claims {
    Claims {
        host: host.to_string(),
        provider_arn: format!("arn:aws:iam::{account}:oidc-provider/{host}"),
        aud: "aws.workload.identity".into(),
        sub: format!(
            "organization:{organization}-stranger:project:Default Project:workspace:probe:run_phase:apply"
        ),
    }
}

/// Whether `content` (an RCP document) denies the stranger's token. A document the evaluator
/// cannot parse denies nothing we can vouch for.
fn denies_stranger(content: &str, claims: &Claims) -> bool {
    PolicyDocument::parse(content).is_ok_and(|doc| evaluate(&doc, claims).denied_by().is_some())
}

/// Does a guardrail cover `account` for runs through `host`? `organization` is the reviewed
/// organization (the stranger is named after it).
pub async fn coverage(
    orgs: &dyn Organizations,
    host: &str,
    account: &str,
    organization: &str,
) -> GuardrailCoverage {
    match read_coverage(orgs, host, account, organization).await {
        Ok(c) => c,
        Err(e) => GuardrailCoverage::Unknown {
            reason: format!("could not read AWS Organizations: {e}"),
        },
    }
}

async fn read_coverage(
    orgs: &dyn Organizations,
    host: &str,
    account: &str,
    organization: &str,
) -> Result<GuardrailCoverage, IamError> {
    let policies = orgs.resource_control_policies().await?;
    let claims = stranger(host, account, organization);
    let mut chain: Option<Vec<OrgNode>> = None;
    for OrgPolicy { id, name } in &policies {
        if !denies_stranger(&orgs.policy_content(id).await?, &claims) {
            continue;
        }
        // The parent chain is read only once a policy is worth placing.
        if chain.is_none() {
            chain = Some(ancestry(orgs, account).await?);
        }
        let chain = chain.as_deref().unwrap_or_default();
        let targets = orgs.policy_targets(id).await?;
        if let Some(node) = chain.iter().find(|n| targets.iter().any(|t| t.id == n.id)) {
            return Ok(GuardrailCoverage::Covered {
                policy_id: id.clone(),
                policy_name: name.clone(),
                target: describe(node),
            });
        }
    }
    Ok(GuardrailCoverage::NotCovered {
        policies: policies.len(),
    })
}

/// The account, then each OU above it, then the root.
async fn ancestry(orgs: &dyn Organizations, account: &str) -> Result<Vec<OrgNode>, IamError> {
    let mut chain = vec![OrgNode {
        id: account.to_string(),
        kind: OrgNodeKind::Account,
    }];
    for _ in 0..MAX_DEPTH {
        let last = chain.last().map(|n| n.id.clone()).unwrap_or_default();
        let Some(parent) = orgs.parents(&last).await?.into_iter().next() else {
            break;
        };
        let root = parent.kind == OrgNodeKind::Root;
        chain.push(parent);
        if root {
            break;
        }
    }
    Ok(chain)
}

fn describe(node: &OrgNode) -> String {
    match node.kind {
        OrgNodeKind::Account => format!("the account {}", node.id),
        OrgNodeKind::OrganizationalUnit => format!("the organizational unit {}", node.id),
        OrgNodeKind::Root => format!("the organization root {}", node.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::guardrail::resource_control_policy;
    use crate::sandbox::{Sandbox, ACCOUNT_ID};

    const HOST: &str = "app.terraform.io";

    fn rcp(hosts: &[&str], orgs: &[&str]) -> String {
        let hosts: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
        let orgs: Vec<String> = orgs.iter().map(|o| o.to_string()).collect();
        resource_control_policy(&hosts, &orgs).unwrap().to_string()
    }

    /// The demo account in an organization: root `r-sand`, OU `ou-sand-apps` above the account.
    fn in_organization() -> Sandbox {
        let sb = Sandbox::demo();
        sb.iam.join_organization(&["r-sand", "ou-sand-apps"]);
        sb
    }

    async fn check(sb: &Sandbox) -> GuardrailCoverage {
        coverage(sb.iam.as_ref(), HOST, ACCOUNT_ID, "acme-corp").await
    }

    #[tokio::test]
    async fn the_demo_account_is_in_no_organization_so_it_cannot_tell() {
        let c = check(&Sandbox::demo()).await;
        let GuardrailCoverage::Unknown { reason } = &c else {
            panic!("{c:?}")
        };
        assert!(
            reason.contains("AWSOrganizationsNotInUseException"),
            "{reason}"
        );
        assert!(c.summary(HOST).starts_with("guardrail: could not tell"));
    }

    #[tokio::test]
    async fn our_guardrail_on_an_ou_above_the_account_covers_it() {
        let sb = in_organization();
        let full = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
        sb.iam
            .add_resource_control_policy("RCPFullAWSAccess", full, &["r-sand"]);
        let ours = rcp(&[HOST], &["acme-corp"]);
        sb.iam
            .add_resource_control_policy("tfc-oidc-guardrail", &ours, &["ou-sand-apps"]);
        let c = check(&sb).await;
        assert_eq!(
            c,
            GuardrailCoverage::Covered {
                policy_id: "p-sandbox0002".into(),
                policy_name: "tfc-oidc-guardrail".into(),
                target: "the organizational unit ou-sand-apps".into(),
            }
        );
        assert_eq!(
            c.summary(HOST),
            "guardrail: resource control policy tfc-oidc-guardrail (p-sandbox0002) on the organizational unit ou-sand-apps denies other organizations' runs through app.terraform.io"
        );
    }

    #[tokio::test]
    async fn an_equivalent_hand_written_policy_on_the_root_covers_it() {
        let sb = in_organization();
        let hand = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",
            "Action":"sts:AssumeRoleWithWebIdentity","Resource":"*",
            "Condition":{"StringNotLike":{"app.terraform.io:sub":"organization:acme-corp:*"}}}]}"#;
        sb.iam
            .add_resource_control_policy("hand", hand, &["r-sand"]);
        let c = check(&sb).await;
        assert!(
            matches!(&c, GuardrailCoverage::Covered { target, .. } if target == "the organization root r-sand"),
            "{c:?}"
        );
    }

    #[tokio::test]
    async fn a_look_alike_wildcard_another_host_or_another_ou_do_not_cover_it() {
        let sb = in_organization();
        let wildcard = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",
            "Action":"sts:AssumeRoleWithWebIdentity","Resource":"*",
            "Condition":{"StringNotLike":{"app.terraform.io:sub":"organization:acme-corp*"}}}]}"#;
        sb.iam
            .add_resource_control_policy("wildcard", wildcard, &["r-sand"]);
        let eu = rcp(&["app.eu.terraform.io"], &["acme-corp"]);
        sb.iam.add_resource_control_policy("eu", &eu, &["r-sand"]);
        let ours = rcp(&[HOST], &["acme-corp"]);
        sb.iam
            .add_resource_control_policy("elsewhere", &ours, &["ou-sand-other"]);
        let c = check(&sb).await;
        assert_eq!(c, GuardrailCoverage::NotCovered { policies: 3 });
        assert!(c.summary(HOST).contains("'tfc-oidc guardrail'"));
    }

    #[tokio::test]
    async fn parents_are_read_only_for_a_policy_worth_placing_and_errors_mean_cannot_tell() {
        let sb = in_organization();
        let full = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
        sb.iam
            .add_resource_control_policy("full", full, &["r-sand"]);
        sb.iam.clear_calls();
        assert_eq!(
            check(&sb).await,
            GuardrailCoverage::NotCovered { policies: 1 }
        );
        let ops: Vec<&str> = sb.iam.calls().iter().map(|c| c.op).collect();
        assert_eq!(ops, ["resource_control_policies", "policy_content"]);

        let ours = rcp(&[HOST], &["acme-corp"]);
        sb.iam
            .add_resource_control_policy("ours", &ours, &["r-sand"]);
        let denied =
            IamError::AccessDenied("not authorized to perform organizations:ListParents".into());
        sb.iam.fail_on("org_parents", 1, denied);
        let c = check(&sb).await;
        assert!(
            matches!(&c, GuardrailCoverage::Unknown { reason } if reason.contains("organizations:ListParents")),
            "{c:?}"
        );
    }
}
