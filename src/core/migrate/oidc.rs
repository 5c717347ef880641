//! Whether a keyed workspace already authenticates through OIDC on its own: its variables name a
//! role whose trust policy admits the workspace's plan and apply tokens through the HOST
//! provider, with an audience the provider accepts. Such a workspace keeps its role; the
//! migration only removes its keys (pointing it at another role would change its permissions).

use super::discover::KeyedWorkspace;
use crate::core::answers::DEFAULT_AUDIENCE;
use crate::core::inventory::{AwsInventory, Inventory};
use crate::core::policy::{evaluate, Claims};
use crate::core::subject::RunSubject;

/// The role ARN(s) of a working OIDC configuration, `None` when setup is needed.
pub(super) fn working_roles(
    inv: &Inventory,
    aws: &AwsInventory,
    ws: &KeyedWorkspace,
) -> Option<Vec<String>> {
    if !ws.oidc.is_complete() {
        return None;
    }
    let audience = ws.oidc.audience.as_deref().unwrap_or(DEFAULT_AUDIENCE);
    if !aws
        .host_provider()?
        .client_ids
        .iter()
        .any(|c| c == audience)
    {
        return None;
    }
    let arn = |key: &str| {
        let found = ws.oidc.role_arns.iter().find(|(k, _)| k == key);
        found.map(|(_, v)| v.as_str())
    };
    let mut roles = Vec::new();
    for (phase, key) in [
        ("plan", "TFC_AWS_PLAN_ROLE_ARN"),
        ("apply", "TFC_AWS_APPLY_ROLE_ARN"),
    ] {
        let role_arn = arn(key).or_else(|| arn("TFC_AWS_RUN_ROLE_ARN"))?;
        let role = aws.role(role_arn)?;
        let trust = role.trust.as_ref().ok()?;
        let subject = RunSubject::Workspace {
            organization: inv.organization.clone(),
            project: ws.project.clone(),
            workspace: ws.name.clone(),
            phase: phase.into(),
        };
        let claims = Claims::for_subject(&inv.host, &aws.host_provider_arn, audience, &subject);
        if !evaluate(trust, &claims).allowed {
            return None;
        }
        if !roles.contains(&role.role.arn) {
            roles.push(role.role.arn.clone());
        }
    }
    Some(roles)
}
