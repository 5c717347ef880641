//! Findings from CloudTrail's event history (the `activity` read): a workspace the trust policy
//! names whose runs never assumed the role in the window (TFCOIDC015), and a workspace whose runs
//! were refused credentials with no success since (TFCOIDC016). Pure functions of the inventory
//! and the events; `review` reads the events only when the caller may (`--no-activity` skips).

use super::trusted::{trusted_patterns, Trusted};
use super::{shell_word, tfc_oidc, Finding, FindingId, ResourceRef};
use crate::core::activity::{classify, Activity, RefusalContext};
use crate::core::inventory::Inventory;
use crate::core::trust::subject::{has_wildcard, RunSubject};
use crate::core::trust::subject::{unescape, workspace_pattern};
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// How far back the events are read: all CloudTrail's event history keeps.
pub const ACTIVITY_DAYS: i64 = 90;

/// The events `review` read, newest first or in any order.
#[derive(Debug, Clone, Copy)]
pub struct SeenActivity<'a> {
    pub events: &'a [Activity],
    /// More events matched than were read: "never seen" cannot be told, so TFCOIDC015 is
    /// skipped (TFCOIDC016 still holds for what was read).
    pub truncated: bool,
}

/// TFCOIDC015 and TFCOIDC016 for the inventory, given the events of the last
/// [`ACTIVITY_DAYS`] days before `now`.
pub fn check(inv: &Inventory, seen: SeenActivity, now: OffsetDateTime) -> Vec<Finding> {
    let mut out = Vec::new();
    if !seen.truncated {
        out.extend(unused_subjects(inv, seen.events, now));
    }
    out.extend(refused_runs(inv, seen.events));
    out
}

fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// The `(project, workspace)` a pattern names exactly, when it is a workspace of the inventory.
fn named_workspace(inv: &Inventory, pattern: &str) -> Option<(String, String)> {
    let p = workspace_pattern(pattern)?;
    let project = p.project?;
    if [&p.organization, &project, &p.workspace]
        .into_iter()
        .any(|part| has_wildcard(part))
        || unescape(&p.organization) != inv.organization
    {
        return None;
    }
    let (project, workspace) = (unescape(&project), unescape(&p.workspace));
    inv.workspaces
        .iter()
        .any(|w| w.project_name == project && w.workspace.name == workspace)
        .then_some((project, workspace))
}

/// TFCOIDC015: per role and named workspace, no successful assumption by a subject the role's
/// patterns for that workspace admit.
fn unused_subjects(inv: &Inventory, events: &[Activity], now: OffsetDateTime) -> Vec<Finding> {
    type Key = (String, String, String);
    let mut groups: BTreeMap<Key, (Trusted, bool)> = BTreeMap::new();
    for t in trusted_patterns(inv) {
        let Some((project, workspace)) = named_workspace(inv, t.pattern) else {
            continue;
        };
        let used = events.iter().any(|e| {
            e.succeeded()
                && e.role_arn.as_deref() == Some(t.role.role.arn.as_str())
                && e.subject.as_deref().is_some_and(|s| t.admits(s))
        });
        let key = (t.role.role.arn.clone(), project, workspace);
        groups.entry(key).or_insert((t, false)).1 |= used;
    }
    groups
        .into_iter()
        .filter(|(_, (_, used))| !used)
        .map(|((_, _, workspace), (t, _))| {
            let role = &t.role.role;
            let window = match role.created.as_deref().and_then(parse_time) {
                Some(created) if now - created < Duration::days(ACTIVITY_DAYS) => format!(
                    "in the {} days since the role was created",
                    (now - created).whole_days()
                ),
                _ => format!("in the last {ACTIVITY_DAYS} days"),
            };
            Finding::new(
                FindingId::UnusedSubject,
                ResourceRef::Role {
                    arn: role.arn.clone(),
                    name: role.name.clone(),
                },
                format!(
                    "statement {} trusts {} (workspace {}/{workspace}), but no run of it assumed role {} {window} (CloudTrail)",
                    t.statement + 1,
                    t.pattern,
                    inv.organization,
                    role.name
                ),
            )
            .at_statement(t.statement)
        })
        .collect()
}

/// TFCOIDC016: per workspace of the inventory's scope, the subjects (workspace and phase) whose
/// newest event is a refusal. A later success, with any role, means the runs work again.
fn refused_runs(inv: &Inventory, events: &[Activity]) -> Vec<Finding> {
    // (project, workspace) → subject → events, for this organization's workspace runs.
    type Calls<'a> = BTreeMap<&'a str, Vec<&'a Activity>>;
    let mut by_workspace: BTreeMap<(&str, &str), Calls> = BTreeMap::new();
    for e in events {
        let Some(RunSubject::Workspace {
            organization,
            project,
            workspace,
            ..
        }) = &e.run_subject
        else {
            continue;
        };
        let in_scope = inv.scope_project.as_deref().is_none_or(|p| p == project);
        if !organization.eq_ignore_ascii_case(&inv.organization) || !in_scope {
            continue;
        }
        let Some(sub) = e.subject.as_deref() else {
            continue;
        };
        by_workspace
            .entry((project, workspace))
            .or_default()
            .entry(sub)
            .or_default()
            .push(e);
    }
    let mut out = Vec::new();
    for ((project, workspace), calls) in by_workspace {
        // Subjects whose newest event is a refusal: still failing.
        let mut failing: Vec<(&Activity, usize)> = Vec::new();
        for list in calls.values() {
            let Some(newest) = list.iter().max_by(|a, b| a.time.cmp(&b.time)) else {
                continue;
            };
            if !newest.succeeded() {
                failing.push((newest, list.iter().filter(|e| !e.succeeded()).count()));
            }
        }
        let Some(&(latest, _)) = failing.iter().max_by(|a, b| a.0.time.cmp(&b.0.time)) else {
            continue;
        };
        let refusals: usize = failing.iter().map(|(_, n)| n).sum();
        out.push(refused_finding(inv, project, workspace, latest, refusals));
    }
    out
}

/// What the inventory tells about a refusal: our organization, its workspaces in scope, and the
/// host's provider when AWS was read.
fn refusal_context(inv: &Inventory) -> RefusalContext {
    let provider = inv.aws.as_ref().map(|a| a.host_provider());
    RefusalContext {
        organizations: vec![inv.organization.clone()],
        workspaces: Some(
            inv.workspaces
                .iter()
                .map(|w| (w.project_name.clone(), w.workspace.name.clone()))
                .collect(),
        ),
        audiences: provider.flatten().map(|p| p.client_ids.clone()),
        provider_exists: provider.map(|p| p.is_some()),
    }
}

fn refused_finding(
    inv: &Inventory,
    project: &str,
    workspace: &str,
    latest: &Activity,
    refusals: usize,
) -> Finding {
    let phase = match &latest.run_subject {
        Some(RunSubject::Workspace { phase, .. }) => phase.as_str(),
        _ => "plan",
    };
    let role_arn = latest.role_arn.as_deref().unwrap_or_default();
    let role = latest.role_name.as_deref().unwrap_or(role_arn);
    let error = latest.error_code.as_deref().unwrap_or("refused");
    let resource = ResourceRef::Workspace {
        organization: inv.organization.clone(),
        project: project.to_string(),
        workspace: workspace.to_string(),
    };
    let calls = if refusals == 1 { "call" } else { "calls" };
    let why = classify(latest, &refusal_context(inv))
        .map(|r| format!(" ({})", r.describe()))
        .unwrap_or_default();
    let detail = format!(
        "{refusals} refused AssumeRoleWithWebIdentity {calls} in the last {ACTIVITY_DAYS} days and no success since (CloudTrail); latest {}: {error} for role {role}, {phase} phase{why}",
        latest.time
    );
    let explain = format!(
        "{} explain --org {} --project {} --workspace {} --phase {} --role-arn {}",
        tfc_oidc(&inv.host),
        shell_word(&inv.organization),
        shell_word(project),
        shell_word(workspace),
        shell_word(phase),
        shell_word(role_arn)
    );
    let fix = format!(
        "see which condition refuses it: {explain}; then fix the trust policy or the workspace's variables"
    );
    Finding::new(FindingId::RefusedRuns, resource, detail)
        .with_fix(fix)
        .suggesting(explain)
}
