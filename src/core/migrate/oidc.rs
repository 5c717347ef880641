//! Whether a keyed workspace already authenticates through OIDC on its own: its variables name a
//! role whose trust policy admits the workspace's plan and apply tokens through the HOST
//! provider, with an audience the provider accepts. Such a workspace keeps its role; the
//! migration only removes its keys (pointing it at another role would change its permissions).

use super::discover::KeyedWorkspace;
use crate::core::inventory::{AwsInventory, Inventory};
use crate::core::review::explain::check_run;
use crate::core::trust::Phase;

/// The role ARN(s) of a working OIDC configuration, `None` when setup is needed.
pub(super) fn working_roles(
    inv: &Inventory,
    aws: &AwsInventory,
    ws: &KeyedWorkspace,
) -> Option<Vec<String>> {
    let config = ws.oidc.as_ref().filter(|c| c.is_complete())?;
    let entry = inv.workspaces.iter().find(|w| w.workspace.id == ws.id)?;
    let audience = config.audience_value();
    let mut roles = Vec::new();
    for phase in Phase::TOKEN_PHASES {
        // A sensitive role ARN cannot be read, so it cannot be shown to work.
        let role_arn = config.role_for(phase)?.value.as_deref()?;
        // The role exists, its trust admits this phase's token, the provider lists the audience:
        // the same check `review` (TFCOIDC007/003) and `explain` make.
        if !check_run(inv, aws, entry, &audience, phase, role_arn, None).allowed() {
            return None;
        }
        let arn = aws.role(role_arn)?.role.arn.clone();
        if !roles.contains(&arn) {
            roles.push(arn);
        }
    }
    Some(roles)
}
