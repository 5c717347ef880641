//! What a trusting role may do and whether it is used: administrator permissions on a role
//! trusted broadly (TFCOIDC010) and roles unused for 90 days (TFCOIDC013).

use super::{Finding, FindingId, ResourceRef};
use crate::core::inventory::{Inventory, RoleEntry};
use crate::core::policy::{action_matches, Actions, Effect, PolicyDocument};
use crate::core::subject::{admits_many_workspaces, admits_plan, workspace_key};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// How long a role may go unused before TFCOIDC013.
pub const UNUSED_AFTER_DAYS: i64 = 90;

pub(super) fn check(inv: &Inventory, now: OffsetDateTime) -> Vec<Finding> {
    let Some(aws) = &inv.aws else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for role in &aws.roles {
        let resource = ResourceRef::Role {
            arn: role.role.arn.clone(),
            name: role.role.name.clone(),
        };
        if let Some(f) = admin_for_many(inv, &aws.host_provider_arn, role, &resource) {
            out.push(f);
        }
        if let Some(detail) = unused(role, now) {
            out.push(
                Finding::new(FindingId::UnusedRole, resource, detail).with_fix(format!(
                "delete role {} if nothing needs it any more (tfc-oidc undo removes roles it made)",
                role.role.name
            )),
            );
        }
    }
    out
}

fn aws_managed(arn: &str, name: &str) -> bool {
    arn.split(':').nth(4) == Some("aws") && arn.ends_with(&format!(":policy/{name}"))
}

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

/// What in the role's permissions amounts to administrator access, if anything.
fn admin_grant(role: &RoleEntry) -> Option<String> {
    if let Some(arn) = role
        .attached_policies
        .iter()
        .find(|a| aws_managed(a, "AdministratorAccess"))
    {
        return Some(format!("{arn} is attached"));
    }
    let docs: Vec<(&str, PolicyDocument)> = role
        .inline_documents
        .iter()
        .filter_map(|(name, text)| PolicyDocument::parse(text).ok().map(|d| (name.as_str(), d)))
        .collect();
    for (name, doc) in &docs {
        for s in doc
            .statements()
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let all_actions = matches!(&s.actions, Actions::Action(a) if a.iter().any(|x| x == "*" || x == "*:*"));
            if all_actions && resources(doc, s.index).iter().any(|r| r == "*") {
                return Some(format!(
                    "inline policy {name} allows Action * on Resource *"
                ));
            }
        }
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
    let iam_inline = docs.iter().find(|(_, doc)| {
        doc.statements().iter().any(|s| {
            s.effect == Effect::Allow
                && [
                    "iam:CreateRole",
                    "iam:AttachRolePolicy",
                    "iam:PutRolePolicy",
                    "iam:CreateUser",
                ]
                .iter()
                .any(|a| action_matches(&s.actions, a))
        })
    });
    iam_inline.map(|(name, _)| {
        format!("{power} is attached and inline policy {name} grants IAM permissions")
    })
}

/// TFCOIDC010: administrator permissions on a role trusted for several workspaces or for plans.
fn admin_for_many(
    inv: &Inventory,
    provider_arn: &str,
    role: &RoleEntry,
    resource: &ResourceRef,
) -> Option<Finding> {
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
    if !many && !plans {
        return None;
    }
    let grant = admin_grant(role)?;
    let why = match (many, plans) {
        (true, true) => "more than one workspace and plan runs",
        (true, false) => "more than one workspace",
        _ => "plan runs",
    };
    let detail = format!("{grant}, and the role is trusted for {why}");
    let fix = format!(
        "replace the administrator permissions of {} with least-privilege policies, or split it per workspace into plan and apply roles (tfc-oidc setup --split-roles)",
        role.role.name
    );
    Some(Finding::new(FindingId::AdminForMany, resource.clone(), detail).with_fix(fix))
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
