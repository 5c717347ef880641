//! The notes about a key's user's permissions: what the user may do (by name), what cannot
//! carry over to a role, and, when the role gets other permissions, which of the user's it
//! will lack.

use super::user_permissions::{PolicyOrigin, UserPermissions};
use crate::core::answers::Permissions;
use crate::core::plan::Note;
use crate::core::text::and_list;

/// IAM's default quota of managed policies per role.
pub(super) const MANAGED_POLICIES_PER_ROLE: usize = 10;

/// Policy variables and condition keys that describe an IAM user: a role session has none of
/// them, so a statement using them allows or requires something else for the role.
const USER_ONLY_KEYS: &[&str] = &["aws:username", "aws:userid"];

fn resource(user: &str) -> String {
    format!("user {user}")
}

/// `IAM user ci-deployer may do: …` — every policy by name, and the boundary.
pub(super) fn user_policies(p: &UserPermissions) -> Note {
    let names = p.policy_names();
    let what = match names.is_empty() {
        true => "nothing (no policies)".to_string(),
        false => names.join(", "),
    };
    let boundary = p
        .boundary
        .as_ref()
        .map(|b| format!("; permissions boundary {b}"))
        .unwrap_or_default();
    Note::info(
        resource(&p.user),
        format!("IAM user {} may do: {what}{boundary}", p.user),
    )
}

/// What the copy to `role` cannot carry over: user-only variables and conditions, more managed
/// policies than a role may hold, group policies copied rather than linked.
pub(super) fn cannot_carry_over(p: &UserPermissions, role: &str) -> Vec<Note> {
    let mut notes = Vec::new();
    for inline in &p.inline {
        let doc = inline.policy.document.to_ascii_lowercase();
        let used: Vec<&str> = USER_ONLY_KEYS
            .iter()
            .copied()
            .filter(|k| doc.contains(k))
            .collect();
        if !used.is_empty() {
            notes.push(Note::warning(
                resource(&p.user),
                format!(
                    "inline policy {} ({}) of user {} uses {}: a role's session has no IAM user, so on role {role} those statements do not match as they did for the user",
                    inline.policy.name,
                    inline.origin.label(),
                    p.user,
                    and_list(&used)
                ),
            ));
        }
    }
    let managed = p.managed_arns().len();
    if managed > MANAGED_POLICIES_PER_ROLE {
        notes.push(Note::warning(
            resource(&p.user),
            format!("user {} has {managed} managed policies (its own and its groups'), more than a role may hold ({MANAGED_POLICIES_PER_ROLE} by default): role {role} cannot get them all unless the account's quota was raised", p.user),
        ));
    }
    let groups: Vec<String> = p
        .inline
        .iter()
        .filter_map(|i| match &i.origin {
            PolicyOrigin::Group(g) => Some(g.clone()),
            PolicyOrigin::User => None,
        })
        .fold(Vec::new(), |mut seen, g| {
            if !seen.contains(&g) {
                seen.push(g);
            }
            seen
        });
    if !groups.is_empty() {
        notes.push(Note::info(
            resource(&p.user),
            format!(
                "the inline policies of group {} are copied to role {role}, not linked: a later change to the group does not reach the role",
                and_list(&groups)
            ),
        ));
    }
    notes
}

/// With other permissions than the user's: which of the user's policies the role will lack.
pub(super) fn lacks(p: &UserPermissions, chosen: &Permissions, role: &str) -> Option<Note> {
    // AdministratorAccess lacks nothing the user could do.
    let admin = chosen
        .managed_policy_arns
        .iter()
        .any(|a| a.ends_with(":policy/AdministratorAccess"));
    if admin {
        return None;
    }
    let mut missing: Vec<String> = Vec::new();
    for (arn, origin) in &p.managed {
        if !chosen.managed_policy_arns.contains(arn) {
            let name = arn.rsplit('/').next().unwrap_or(arn);
            let entry = format!("{name} ({})", origin.label());
            if !missing.contains(&entry) {
                missing.push(entry);
            }
        }
    }
    let same_doc = |doc: &str| {
        let parse = |d: &str| serde_json::from_str::<serde_json::Value>(d).ok();
        chosen.inline_policy.as_deref().and_then(parse) == parse(doc)
    };
    for inline in p.inline.iter().filter(|i| !same_doc(&i.policy.document)) {
        missing.push(format!(
            "inline {} ({})",
            inline.policy.name,
            inline.origin.label()
        ));
    }
    (!missing.is_empty()).then(|| {
        Note::warning(
            resource(&p.user),
            format!(
                "role {role} gets the chosen permissions, not the key's: it will lack {} of user {} (--same-permissions gives it what the key could do)",
                and_list(&missing),
                p.user
            ),
        )
    })
}
