//! Roles made by HashiCorp's own AWS setup for dynamic credentials, which setup adopts with a
//! note instead of asking for `--adopt-role`.
//!
//! HCP Terraform has no flow of its own that writes to AWS; HashiCorp's published setup is the
//! `aws` configuration of `hashicorp/terraform-dynamic-credentials-setup-examples` (linked from
//! the dynamic-credentials docs). It names the role `tfc-role`, puts no tags on it, and trusts
//! the HOST provider with `StringEquals HOST:aud` and `StringLike HOST:sub` on the workspace's
//! two subject forms, `organization:ORG:project:PROJECT:workspace:WS:run_phase:*` and the
//! pre-project `organization:ORG:workspace:WS:run_phase:*`. A role is recognised only when all
//! of that holds for this organization and project, so it cannot be another team's role.

use crate::core::ports::Role;
use crate::core::trust::{Effect, PolicyDocument};

/// The role name HashiCorp's setup example gives.
pub const HASHICORP_EXAMPLE_ROLE: &str = "tfc-role";

/// Whether `role` (whose trust is `doc`) is the one HashiCorp's setup example makes for a
/// workspace of `organization` / `project` through `host`.
pub fn made_by_hashicorp_setup(
    role: &Role,
    doc: &PolicyDocument,
    host: &str,
    organization: &str,
    project: &str,
) -> bool {
    let claimed = role.tags.iter().any(|t| t.key == "managed-by");
    if role.name != HASHICORP_EXAMPLE_ROLE || claimed {
        return false;
    }
    let with_project = format!("organization:{organization}:project:{project}:workspace:");
    let without_project = format!("organization:{organization}:workspace:");
    let ours = |sub: &str| sub.starts_with(&with_project) || sub.starts_with(&without_project);
    let statements = doc.statements();
    !statements.is_empty()
        && statements.iter().all(|s| {
            let subs = s.claim_values(host, "sub", "StringLike");
            s.effect == Effect::Allow
                && s.claim_values(host, "aud", "StringEquals").len() == 1
                && !subs.is_empty()
                && subs.iter().all(|sub| ours(sub))
        })
}
