//! What a trusting role may do and whether it is used: administrator permissions on a role
//! trusted broadly (TFCOIDC010) and roles unused for 90 days (TFCOIDC013).
//!
//! Administrator permissions come from AWS-managed policies (known by name) or from a document
//! the role carries: an inline policy or a customer-managed policy, read once per ARN by the
//! inventory. A customer-managed policy that could not be read is never taken for administrator
//! access; [`unchecked_policies`] lists it so the review can say what it did not check.

use super::{Finding, FindingId, ResourceRef};
use crate::core::inventory::{is_aws_managed, AwsInventory, Inventory, ManagedPolicy, RoleEntry};
use crate::core::trust::subject::{admits_many_workspaces, admits_plan, workspace_key};
use crate::core::trust::{action_matches, Actions, Effect, PolicyDocument};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// How long a role may go unused before TFCOIDC013.
pub const UNUSED_AFTER_DAYS: i64 = 90;

pub(super) fn check(inv: &Inventory, now: OffsetDateTime) -> Vec<Finding> {
    let Some(aws) = &inv.aws else {
        return Vec::new();
    };
    let mut out = admin_check(inv);
    for role in &aws.roles {
        let resource = ResourceRef::Role {
            arn: role.role.arn.clone(),
            name: role.role.name.clone(),
        };
        if let Some(detail) = unused(role, now) {
            out.push(
                Finding::new(FindingId::UnusedRole, resource, detail).with_fix(format!(
                "delete role {} if nothing needs it any more (undo removes the roles tfc-oidc made)",
                role.role.name
            )),
            );
        }
    }
    out
}

/// TFCOIDC010 on every role of the inventory.
pub(super) fn admin_check(inv: &Inventory) -> Vec<Finding> {
    let Some(aws) = &inv.aws else {
        return Vec::new();
    };
    let role_findings = aws.roles.iter().filter_map(|role| {
        let resource = ResourceRef::Role {
            arn: role.role.arn.clone(),
            name: role.role.name.clone(),
        };
        admin_for_many(inv, aws, role, &resource)
    });
    role_findings.collect()
}

fn aws_managed(arn: &str, name: &str) -> bool {
    is_aws_managed(arn) && arn.ends_with(&format!(":policy/{name}"))
}

/// IAM actions that let a holder of PowerUserAccess give itself (or a new principal) more.
const IAM_WRITES: [&str; 4] = [
    "iam:CreateRole",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:CreateUser",
];

/// The raw `Resource` of statement `index` of an identity policy, as strings.
fn resources(doc: &PolicyDocument, index: usize) -> Vec<String> {
    let stmt = match doc.as_value().get("Statement") {
        Some(Value::Array(list)) => list.get(index),
        Some(one @ Value::Object(_)) if index == 0 => Some(one),
        _ => None,
    };
    match stmt.and_then(|s| s.get("Resource")) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether an identity policy allows Action `*` on Resource `*`.
fn allows_everything(doc: &PolicyDocument) -> bool {
    doc.statements()
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .any(|s| {
            let all_actions = matches!(&s.actions, Actions::Action(a) if a.iter().any(|x| x == "*" || x == "*:*"));
            all_actions && resources(doc, s.index).iter().any(|r| r == "*")
        })
}

/// Whether an identity policy allows one of [`IAM_WRITES`].
fn allows_iam_writes(doc: &PolicyDocument) -> bool {
    doc.statements().iter().any(|s| {
        s.effect == Effect::Allow && IAM_WRITES.iter().any(|a| action_matches(&s.actions, a))
    })
}

/// The role's identity policy documents that could be read, each with how a finding names it:
/// its inline policies, then its customer-managed ones (read once per ARN by the inventory).
fn documents<'a>(
    aws: &'a AwsInventory,
    role: &'a RoleEntry,
) -> Vec<(String, Cow<'a, PolicyDocument>)> {
    let inline = role.inline_documents.iter().filter_map(|(name, text)| {
        let doc = PolicyDocument::parse(text).ok()?;
        Some((format!("inline policy {name}"), Cow::Owned(doc)))
    });
    let managed = role.attached_policies.iter().filter_map(|arn| {
        let Some(ManagedPolicy::Document(doc)) = aws.managed_policies.get(arn) else {
            return None;
        };
        Some((format!("customer-managed policy {arn}"), Cow::Borrowed(doc)))
    });
    inline.chain(managed).collect()
}

/// What in the role's permissions amounts to administrator access, if anything: AWS-managed
/// AdministratorAccess, an inline or customer-managed policy allowing Action * on Resource *, or
/// PowerUserAccess with IAMFullAccess or with an inline or customer-managed policy allowing IAM
/// writes.
fn admin_grant(aws: &AwsInventory, role: &RoleEntry) -> Option<String> {
    if let Some(arn) = role
        .attached_policies
        .iter()
        .find(|a| aws_managed(a, "AdministratorAccess"))
    {
        return Some(format!("{arn} is attached"));
    }
    let docs = documents(aws, role);
    if let Some((what, _)) = docs.iter().find(|(_, doc)| allows_everything(doc)) {
        return Some(format!("{what} allows Action * on Resource *"));
    }
    let power = role
        .attached_policies
        .iter()
        .find(|a| aws_managed(a, "PowerUserAccess"))?;
    let iam_managed = role
        .attached_policies
        .iter()
        .find(|a| aws_managed(a, "IAMFullAccess"));
    if let Some(iam) = iam_managed {
        return Some(format!("{power} and {iam} are attached"));
    }
    let iam_writes = docs.iter().find(|(_, doc)| allows_iam_writes(doc));
    iam_writes.map(|(what, _)| format!("{power} is attached and {what} grants IAM permissions"))
}

/// Why the role's trust is broad enough for TFCOIDC010 (more than one workspace, plan runs, or
/// both), if it is.
fn broad_trust(inv: &Inventory, provider_arn: &str, role: &RoleEntry) -> Option<&'static str> {
    let (many, plans) = trust_reach(inv, provider_arn, role)?;
    match (many, plans) {
        (true, true) => Some("more than one workspace and plan runs"),
        (true, false) => Some("more than one workspace"),
        (false, true) => Some("plan runs"),
        (false, false) => None,
    }
}

/// Whether the role holds administrator permissions and is trusted for more than one
/// workspace: the TFCOIDC010 case setup will not re-arm without consent (the admin guard's
/// rule for the roles it writes).
pub fn admin_for_many_workspaces(inv: &Inventory, role: &RoleEntry) -> bool {
    let Some(aws) = &inv.aws else {
        return false;
    };
    let many = trust_reach(inv, &aws.host_provider_arn, role).is_some_and(|(many, _)| many);
    many && admin_grant(aws, role).is_some()
}

/// Whether the role's trust admits more than one workspace, and whether it admits plan runs.
fn trust_reach(inv: &Inventory, provider_arn: &str, role: &RoleEntry) -> Option<(bool, bool)> {
    let doc = role.trust.as_ref().ok()?;
    let mut patterns: Vec<String> = Vec::new();
    let mut unconditioned = None;
    for s in doc.web_identity_statements(provider_arn) {
        if !s.tests_claim(&inv.host, "sub") {
            unconditioned.get_or_insert(s.index);
        }
        for c in &s.conditions {
            if c.is_claim(&inv.host, "sub")
                && matches!(c.operator.base.as_str(), "StringLike" | "StringEquals")
            {
                patterns.extend(c.values.iter().cloned());
            }
        }
    }
    let mut keys: Vec<String> = patterns.iter().map(|p| workspace_key(p)).collect();
    keys.sort();
    keys.dedup();
    let many = unconditioned.is_some()
        || keys.len() > 1
        || patterns.iter().any(|p| admits_many_workspaces(p));
    let plans = unconditioned.is_some() || patterns.iter().any(|p| admits_plan(p));
    Some((many, plans))
}

/// TFCOIDC010: administrator permissions on a role trusted for several workspaces or for plans.
fn admin_for_many(
    inv: &Inventory,
    aws: &AwsInventory,
    role: &RoleEntry,
    resource: &ResourceRef,
) -> Option<Finding> {
    let why = broad_trust(inv, &aws.host_provider_arn, role)?;
    let grant = admin_grant(aws, role)?;
    let detail = format!("{grant}, and the role is trusted for {why}");
    let fix = format!(
        "replace the administrator permissions of {} with least-privilege policies, or split it per workspace into plan and apply roles (setup's --split-roles makes them)",
        role.role.name
    );
    Some(Finding::new(FindingId::AdminForMany, resource.clone(), detail).with_fix(fix))
}

/// A customer-managed policy whose document could not be read, on a role trusted broadly
/// enough for TFCOIDC010 that nothing else showed administrator access: what it grants was not
/// checked, so the review says so rather than guessing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UncheckedPolicy {
    pub role_arn: String,
    pub policy_arn: String,
    /// Why it could not be read (one line).
    pub reason: String,
}

/// Every [`UncheckedPolicy`] of the inventory, by role then policy.
pub fn unchecked_policies(inv: &Inventory) -> Vec<UncheckedPolicy> {
    let Some(aws) = &inv.aws else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for role in &aws.roles {
        if broad_trust(inv, &aws.host_provider_arn, role).is_none()
            || admin_grant(aws, role).is_some()
        {
            continue;
        }
        for arn in &role.attached_policies {
            if let Some(ManagedPolicy::Unreadable(reason)) = aws.managed_policies.get(arn) {
                out.push(UncheckedPolicy {
                    role_arn: role.role.arn.clone(),
                    policy_arn: arn.clone(),
                    reason: reason.clone(),
                });
            }
        }
    }
    out
}

fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

fn day(t: OffsetDateTime) -> String {
    format!("{}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// TFCOIDC013: why the role counts as unused, if it does.
fn unused(role: &RoleEntry, now: OffsetDateTime) -> Option<String> {
    let limit = Duration::days(UNUSED_AFTER_DAYS);
    match role.role.last_used.as_deref().and_then(parse_time) {
        Some(used) if now - used > limit => Some(format!(
            "last used on {} ({} days ago)",
            day(used),
            (now - used).whole_days()
        )),
        Some(_) => None,
        None => {
            let created = role.role.created.as_deref().and_then(parse_time)?;
            (now - created > limit).then(|| {
                format!(
                    "never used since it was created on {} ({} days ago)",
                    day(created),
                    (now - created).whole_days()
                )
            })
        }
    }
}
