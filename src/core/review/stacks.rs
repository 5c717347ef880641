//! TFCOIDC009 for Stacks: a trusted `organization:O:project:P:stack:S:deployment:D:operation:X`
//! pattern naming a project, Stack or deployment of this organization that does not exist
//! (renamed or deleted). Workspace patterns are judged in `trust`; parts with a wildcard are
//! not judged (they may admit something that exists).

use super::trusted::{trusted_patterns, Trusted};
use super::{Finding, FindingId, ResourceRef};
use crate::core::inventory::Inventory;
use crate::core::ports::Stack;
use crate::core::trust::subject::unescape;
use crate::core::trust::subject::{has_wildcard, RunSubject};

/// The Stack patterns' findings.
pub(super) fn check(inv: &Inventory) -> Vec<Finding> {
    trusted_patterns(inv)
        .into_iter()
        .filter_map(|t| {
            let reason = stale_stack_reason(inv, t.pattern)?;
            Some(finding(&t, reason))
        })
        .collect()
}

fn finding(t: &Trusted, reason: String) -> Finding {
    let resource = ResourceRef::Role {
        arn: t.role.role.arn.clone(),
        name: t.role.role.name.clone(),
    };
    Finding::new(
        FindingId::StaleSubject,
        resource,
        format!(
            "statement {} trusts {}, but {reason}",
            t.statement + 1,
            t.pattern
        ),
    )
    .with_fix("remove the stale Stack pattern, or update it to the Stack's and deployments' names as they are now")
    .at_statement(t.statement)
}

/// Why a Stack pattern names something that is gone, if it does.
pub(super) fn stale_stack_reason(inv: &Inventory, pattern: &str) -> Option<String> {
    let Some(RunSubject::Stack {
        organization,
        project,
        stack,
        deployment,
        ..
    }) = RunSubject::parse(pattern)
    else {
        return None;
    };
    let org = &inv.organization;
    if has_wildcard(&organization) || unescape(&organization) != *org || has_wildcard(&project) {
        return None;
    }
    let project = unescape(&project);
    let Some(project_id) = inv
        .projects
        .iter()
        .find(|p| p.name == project)
        .map(|p| &p.id)
    else {
        return Some(format!("organization {org} has no project {project}"));
    };
    // Stacks that could not be listed cannot be judged.
    let stacks = inv.stacks.as_deref()?;
    if has_wildcard(&stack) {
        return None;
    }
    let stack = unescape(&stack);
    let Some(found) = stacks
        .iter()
        .find(|s| s.name == stack && s.project_id == *project_id)
    else {
        return Some(format!(
            "project {project} has no Stack {stack}{}",
            elsewhere(inv, stacks, &stack)
        ));
    };
    // A Stack with no configuration yet lists no deployments: nothing to compare with.
    if has_wildcard(&deployment) || found.deployment_names.is_empty() {
        return None;
    }
    let deployment = unescape(&deployment);
    if found.deployment_names.contains(&deployment) {
        return None;
    }
    Some(format!(
        "Stack {stack} has no deployment {deployment} (deployments: {})",
        found.deployment_names.join(", ")
    ))
}

/// ` (a Stack of that name is in project X)`, or nothing.
fn elsewhere(inv: &Inventory, stacks: &[Stack], name: &str) -> String {
    stacks
        .iter()
        .find(|s| s.name == name)
        .map(|s| {
            let project = inv
                .project_by_id(&s.project_id)
                .map_or(s.project_id.as_str(), |p| p.name.as_str());
            format!(" (a Stack of that name is in project {project})")
        })
        .unwrap_or_default()
}
