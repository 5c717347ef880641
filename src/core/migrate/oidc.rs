//! Whether a keyed workspace already authenticates through OIDC on its own: its variables name a
//! role whose trust policy admits the workspace's plan and apply tokens through the HOST
//! provider, with an audience the provider accepts. Such a workspace keeps its role; the
//! migration only removes its keys (pointing it at another role would change its permissions).

use super::discover::KeyedWorkspace;
use crate::core::inventory::access::RunPhase;
use crate::core::inventory::{AwsInventory, Inventory};
use crate::core::policy::{evaluate, Claims};
use crate::core::subject::RunSubject;

/// The role ARN(s) of a working OIDC configuration, `None` when setup is needed.
pub(super) fn working_roles(
    inv: &Inventory,
    aws: &AwsInventory,
    ws: &KeyedWorkspace,
) -> Option<Vec<String>> {
    let config = ws.oidc.as_ref().filter(|c| c.is_complete())?;
    let audience = config.audience_value();
    let audience = audience.as_str();
    if !aws
        .host_provider()?
        .client_ids
        .iter()
        .any(|c| c == audience)
    {
        return None;
    }
    let mut roles = Vec::new();
    for phase in RunPhase::BOTH {
        // A sensitive role ARN cannot be read, so it cannot be shown to work.
        let role_arn = config.role_for(phase)?.value.as_deref()?;
        let role = aws.role(role_arn)?;
        let trust = role.trust.as_ref().ok()?;
        let subject = RunSubject::Workspace {
            organization: inv.organization.clone(),
            project: ws.project.clone(),
            workspace: ws.name.clone(),
            phase: phase.as_str().into(),
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
