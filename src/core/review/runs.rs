//! Would each configured workspace's runs be admitted? For every enabled configuration and each
//! phase: the role the variables name, the claims HCP Terraform would send, IAM's evaluation of
//! the trust policy (TFCOIDC007, naming the failing condition) and the provider's audiences
//! (TFCOIDC003).

use super::explain::{check_run, in_account, Problem, RunCheck};
use super::{shell_word, tfc_oidc, Finding, FindingId, ResourceRef};
use crate::core::inventory::{AwsInventory, Inventory, WorkspaceEntry};
use crate::core::names::role_name_of;
use crate::core::planner::made_for;
use crate::core::trust::Phase;
use crate::core::variables::access::{aws_access, OidcConfiguration as AwsConfig};
use crate::core::variables::dynamic_vars::VarKind;

pub(super) fn check(inv: &Inventory) -> Vec<Finding> {
    let Some(aws) = &inv.aws else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ws in &inv.workspaces {
        for c in aws_access(ws).configurations.iter().filter(|c| c.enabled()) {
            out.extend(config_findings(inv, aws, ws, c));
        }
    }
    out
}

/// A problem TFCOIDC007 reports: the role, its trust, or a missing provider.
fn refuses(p: &Problem) -> bool {
    p.is_role_problem() || matches!(p, Problem::NoProvider { .. })
}

/// One phase's role variable and its check.
struct PhaseCheck {
    phase: Phase,
    key: String,
    source: String,
    check: RunCheck,
}

fn config_findings(
    inv: &Inventory,
    aws: &AwsInventory,
    ws: &WorkspaceEntry,
    c: &AwsConfig,
) -> Vec<Finding> {
    let checks = phase_checks(inv, aws, ws, c);
    let mut out = refused_runs(inv, aws, ws, c, &checks);
    out.extend(unlisted_audience(inv, ws, c, &checks));
    out
}

/// Each phase whose role variable names a readable role of this account, checked.
fn phase_checks(
    inv: &Inventory,
    aws: &AwsInventory,
    ws: &WorkspaceEntry,
    c: &AwsConfig,
) -> Vec<PhaseCheck> {
    let aud = c.audience_value();
    let mut checks: Vec<PhaseCheck> = Vec::new();
    for phase in Phase::TOKEN_PHASES {
        let Some(var) = c.role_for(phase) else {
            continue;
        };
        // A sensitive ARN cannot be read; a role of another account cannot be checked here.
        let Some(arn) = var.value.as_deref().map(str::trim) else {
            continue;
        };
        if !in_account(aws, arn) {
            continue;
        }
        checks.push(PhaseCheck {
            phase,
            key: var.key.clone(),
            source: var.source.describe(),
            check: check_run(inv, aws, ws, &aud, phase, arn, None),
        });
    }
    checks
}

/// TFCOIDC007: phases refused by the same role, grouped into one finding per role.
fn refused_runs(
    inv: &Inventory,
    aws: &AwsInventory,
    ws: &WorkspaceEntry,
    c: &AwsConfig,
    checks: &[PhaseCheck],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let resource = ResourceRef::workspace(inv, ws);
    let mut done: Vec<&str> = Vec::new();
    for pc in checks {
        let arn = pc.check.role_arn.as_str();
        if done.contains(&arn) {
            continue;
        }
        let failing: Vec<&PhaseCheck> = checks
            .iter()
            .filter(|o| o.check.role_arn == arn && o.check.problems.iter().any(refuses))
            .collect();
        let Some(first) = failing.first() else {
            continue;
        };
        done.push(arn);
        let phases: Vec<&str> = failing.iter().map(|f| f.phase.as_str()).collect();
        let detail = format!(
            "{} (from {}) names {arn}; {} runs{} are refused: {}",
            first.key,
            first.source,
            crate::core::text::and_list(&phases),
            c.label(),
            refusal_reasons(inv, first, arn).join("; ")
        );
        let (setup, explain) = fix_commands(inv, aws, ws, c, arn, first.phase);
        let fix = format!(
            "trust this workspace in the role ({setup}), or correct {}; {explain} shows the evaluation",
            first.key,
        );
        let mut f = Finding::new(FindingId::RoleRefusesRun, resource.clone(), detail)
            .with_fix(fix)
            .suggesting(setup)
            .suggesting(explain);
        if let Some(i) = first.check.decisive_statement() {
            f = f.at_statement(i);
        }
        out.push(f);
    }
    out
}

/// Why a phase's run is refused, one reason per problem (the audience has its own finding).
fn refusal_reasons(inv: &Inventory, check: &PhaseCheck, arn: &str) -> Vec<String> {
    check
        .check
        .problems
        .iter()
        .filter(|p| !matches!(p, Problem::AudienceNotListed { .. }))
        .map(|p| match p {
            Problem::RoleMissing { .. } => format!(
                "role {} does not exist, or does not trust the OIDC provider of {}",
                role_name_of(arn).unwrap_or(arn),
                inv.host
            ),
            other => other.describe(),
        })
        .collect()
}

/// TFCOIDC003: the provider exists but does not list the audience the workspace sends.
fn unlisted_audience(
    inv: &Inventory,
    ws: &WorkspaceEntry,
    c: &AwsConfig,
    checks: &[PhaseCheck],
) -> Option<Finding> {
    let Some(Problem::AudienceNotListed { aud, client_ids }) = checks
        .iter()
        .flat_map(|pc| pc.check.problems.iter())
        .find(|p| matches!(p, Problem::AudienceNotListed { .. }))
    else {
        return None;
    };
    let from = c.audience.as_ref().map_or_else(
        || "the default".to_string(),
        |v| format!("{} from {}", v.key, v.source.describe()),
    );
    let detail = format!(
        "runs{} send aud {aud} ({from}), which the OIDC provider for {} does not list (client IDs: {}): STS refuses the token",
        c.label(),
        inv.host,
        client_ids.join(", ")
    );
    let fix = format!(
        "add {aud} to the provider's client IDs (tfc-oidc setup adds it), or change {}",
        c.key(VarKind::Audience)
    );
    let resource = ResourceRef::workspace(inv, ws);
    Some(Finding::new(FindingId::Audience, resource, detail).with_fix(fix))
}

/// TFCOIDC007's commands, runnable as printed: `setup` trusting the workspace in the role it
/// names (`--adopt-role` unless tfc-oidc made the role for this project, `--no-policy` so its
/// permissions stay as they are, `--alias` for a tagged configuration), and `explain`.
fn fix_commands(
    inv: &Inventory,
    aws: &AwsInventory,
    ws: &WorkspaceEntry,
    c: &AwsConfig,
    arn: &str,
    phase: Phase,
) -> (String, String) {
    let (cmd, org, project, name) = (
        tfc_oidc(&inv.host),
        shell_word(&inv.organization),
        shell_word(&ws.project_name),
        shell_word(&ws.workspace.name),
    );
    let role = shell_word(role_name_of(arn).unwrap_or(arn));
    let alias = c
        .tag
        .as_ref()
        .map_or_else(String::new, |t| format!(" --alias {}", shell_word(t)));
    let ours = aws.roles.iter().any(|r| {
        r.role.arn == arn && made_for(&r.role.tags, &inv.organization, &ws.project_name).is_ok()
    });
    let adopt = if ours { "" } else { " --adopt-role" };
    let setup = format!(
        "{cmd} setup --org {org} --project {project} --workspace {name} --role-name {role}{adopt} --no-policy{alias}"
    );
    let explain = format!(
        "{cmd} explain --org {org} --project {project} --workspace {name} --phase {phase}{alias}"
    );
    (setup, explain)
}
