//! What AWS says about the role a workspace's plan phase assumes, read through the `Iam` port:
//! the role (or that it is missing, or in another account), the HOST provider of its account,
//! and IAM's evaluation of its trust policy against this workspace's plan-phase claims.

use super::credentials::CredentialConfig;
use crate::core::names::{account_of, iam_role_name_of as role_name_of};
use crate::core::ports::{CallerIdentity, Iam, OidcProvider, Role};
use crate::core::trust::subject::RunSubject;
use crate::core::trust::{evaluate, Claims, Decision, PolicyDocument};

/// What the role lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleLookup {
    Found(Box<Role>),
    Missing,
    /// The role is in another account than the AWS credentials: not readable here.
    OtherAccount {
        account: String,
    },
    Unreadable(String),
}

/// What AWS says about the role this workspace's plan phase assumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsFacts {
    pub caller: CallerIdentity,
    pub role_arn: String,
    pub role: RoleLookup,
    /// The HOST provider's ARN in the role's account.
    pub provider_arn: String,
    /// `Ok(None)`: no such provider; `Err`: could not be read.
    pub provider: Result<Option<OidcProvider>, String>,
    /// The trust policy evaluated against this workspace's plan-phase claims.
    pub decision: Option<Decision>,
    /// The claims used.
    pub claims: Claims,
}

/// Reads what IAM knows about the plan role (`None` when there is no readable role ARN or the
/// caller identity cannot be read; `notes` then says why).
pub async fn gather_aws(
    iam: &dyn Iam,
    host: &str,
    config: &CredentialConfig,
    subject: &RunSubject,
    notes: &mut Vec<String>,
) -> Option<AwsFacts> {
    let role_arn = config.role_arn_value()?.to_string();
    let name = role_name_of(&role_arn)?.to_string();
    let caller = match iam.caller_identity().await {
        Ok(c) => c,
        Err(e) => {
            notes.push(format!("AWS was not checked: {e}"));
            return None;
        }
    };
    let account = account_of(&role_arn).unwrap_or_default().to_string();
    let partition = role_arn.split(':').nth(1).unwrap_or("aws").to_string();
    let provider_arn = crate::core::names::oidc_provider_arn(&partition, &account, host);
    let claims = Claims::for_subject(host, &provider_arn, &config.audience, subject);
    if account != caller.account {
        return Some(AwsFacts {
            role: RoleLookup::OtherAccount { account },
            caller,
            role_arn,
            provider: Err("in another account".into()),
            provider_arn,
            decision: None,
            claims,
        });
    }
    let role = match iam.get_role(&name).await {
        Ok(Some(r)) => RoleLookup::Found(Box::new(r)),
        Ok(None) => RoleLookup::Missing,
        Err(e) => RoleLookup::Unreadable(e.to_string()),
    };
    let provider = iam
        .get_oidc_provider(&provider_arn)
        .await
        .map_err(|e| e.to_string());
    let decision = match &role {
        RoleLookup::Found(r) => match PolicyDocument::parse(&r.trust_policy) {
            Ok(doc) => Some(evaluate(&doc, &claims)),
            Err(e) => {
                notes.push(format!("the trust policy of {name} does not parse: {e}"));
                None
            }
        },
        _ => None,
    };
    Some(AwsFacts {
        caller,
        role_arn,
        role,
        provider_arn,
        provider,
        decision,
        claims,
    })
}
