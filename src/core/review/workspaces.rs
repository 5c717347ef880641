//! Findings read from HCP Terraform alone: static keys (TFCOIDC004), keys beside OIDC (005),
//! OIDC without a role (006), role ARNs in global sets (011), half-set tagged configurations (014).

use super::{shell_word, tfc_oidc, Finding, FindingId, ResourceRef};
use crate::core::inventory::{Inventory, WorkspaceEntry};
use crate::core::plan::mask_key_id;
use crate::core::ports::VariableCategory;
use crate::core::text::and_list;
use crate::core::trust::Phase;
use crate::core::variables::access::{
    aws_access, is_static_key, OidcConfiguration as AwsConfig, Setting, StaticKey,
};
use crate::core::variables::dynamic_vars::{
    self, VarKind, PROVIDER_AUTH, RUN_ROLE_ARN, STATIC_KEYS,
};
use crate::core::variables::VariableSource;
use std::collections::BTreeMap;

pub(super) fn check(inv: &Inventory) -> Vec<Finding> {
    let mut out = static_key_findings(inv);
    for ws in &inv.workspaces {
        let access = aws_access(ws);
        out.extend(keys_and_oidc(
            inv,
            ws,
            &access.configurations,
            &access.static_keys,
        ));
        for c in &access.configurations {
            out.extend(missing_role(inv, ws, c));
            out.extend(half_set(inv, ws, c));
        }
    }
    out.extend(global_role_arns(inv));
    out
}

/// `AWS_ACCESS_KEY_ID (AKIA…0001)`, never the whole key id, never a secret.
fn describe_key(key: &str, value: Option<&str>) -> String {
    match value {
        Some(id) if key == STATIC_KEYS[0] => format!("{key} ({})", mask_key_id(id)),
        _ => key.to_string(),
    }
}

/// Said after a suggested command that gives a new role `--no-policy`: the command runs as
/// printed, and the permissions are the user's choice.
const NO_POLICY_HINT: &str =
    " (--no-policy keeps the command runnable as printed: replace it with --policy-arn ARN for the permissions the runs need)";

/// `migrate` for these workspaces, runnable as printed.
fn migrate_command(inv: &Inventory, workspaces: &[&str]) -> String {
    let (host, org) = (&inv.host, &inv.organization);
    let mut cmd = format!("{} migrate --org {}", tfc_oidc(host), shell_word(org));
    if workspaces.len() > 3 {
        cmd.push_str(" --all");
    } else {
        for ws in workspaces {
            cmd.push_str(&format!(" --workspace {}", shell_word(ws)));
        }
    }
    cmd.push_str(" --no-policy");
    cmd
}

/// TFCOIDC004: one finding per workspace holding keys itself, one per set whose keys reach
/// workspaces (naming them), so a set reaching hundreds of workspaces is one finding.
fn static_key_findings(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut by_set: BTreeMap<(String, String), Vec<&WorkspaceEntry>> = BTreeMap::new();
    for ws in &inv.workspaces {
        let keys = aws_access(ws).static_keys;
        out.extend(own_keys_finding(inv, ws, &keys));
        for k in &keys {
            if let VariableSource::VariableSet { id, name, .. } = &k.source {
                let list = by_set.entry((id.clone(), name.clone())).or_default();
                if !list.iter().any(|w| w.workspace.id == ws.workspace.id) {
                    list.push(ws);
                }
            }
        }
    }
    for ((id, name), workspaces) in by_set {
        out.push(set_keys_finding(inv, id, name, &workspaces));
    }
    out
}

/// The keys a workspace holds itself, if any.
fn own_keys_finding(
    inv: &Inventory,
    ws: &WorkspaceEntry,
    keys: &[crate::core::variables::access::StaticKey],
) -> Option<Finding> {
    let own: Vec<String> = keys
        .iter()
        .filter(|k| k.source == VariableSource::Workspace)
        .map(|k| describe_key(&k.key, k.value.as_deref()))
        .collect();
    if own.is_empty() {
        return None;
    }
    let detail = format!(
        "{} {} set on the workspace itself",
        and_list(&own),
        if own.len() == 1 { "is" } else { "are" }
    );
    let cmd = migrate_command(inv, &[&ws.workspace.name]);
    let key_id = keys
        .iter()
        .find(|k| k.source == VariableSource::Workspace && k.key == STATIC_KEYS[0])
        .and_then(|k| k.value.clone());
    let resource = ResourceRef::workspace(inv, ws);
    Some(
        Finding::new(FindingId::StaticKeys, resource, detail)
            .with_fix(format!("{cmd}{NO_POLICY_HINT}"))
            .suggesting(cmd)
            .with_access_key_id(key_id),
    )
}

/// A variable set's keys and the workspaces they reach (the first five named).
fn set_keys_finding(
    inv: &Inventory,
    id: String,
    name: String,
    workspaces: &[&WorkspaceEntry],
) -> Finding {
    let set_keys: Vec<_> = inv
        .varset(&id)
        .map(|s| s.variables.iter().filter(|v| is_static_key(v)).collect())
        .unwrap_or_default();
    let keys: Vec<String> = set_keys
        .iter()
        .map(|v| describe_key(&v.key, v.value.as_deref()))
        .collect();
    let key_id = set_keys
        .iter()
        .find(|v| v.key == STATIC_KEYS[0])
        .and_then(|v| v.value.clone());
    let names: Vec<&str> = workspaces
        .iter()
        .map(|w| w.workspace.name.as_str())
        .collect();
    let shown: Vec<String> = names.iter().take(5).map(|n| n.to_string()).collect();
    let more = names.len().saturating_sub(shown.len());
    let detail = format!(
        "{} reach{} {} workspace{}: {}{}",
        and_list(&keys),
        if keys.len() == 1 { "es" } else { "" },
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    );
    let resource = ResourceRef::VariableSet {
        organization: inv.organization.clone(),
        id,
        name,
    };
    let cmd = migrate_command(inv, &names);
    Finding::new(FindingId::StaticKeys, resource, detail)
        .with_fix(format!("{cmd}{NO_POLICY_HINT}"))
        .suggesting(cmd)
        .with_access_key_id(key_id)
}

fn from(source: &VariableSource) -> String {
    format!("from {}", source.describe())
}

/// TFCOIDC005: the default configuration is on and static keys reach the workspace too.
fn keys_and_oidc(
    inv: &Inventory,
    ws: &WorkspaceEntry,
    configs: &[AwsConfig],
    keys: &[StaticKey],
) -> Option<Finding> {
    let default = configs.iter().find(|c| c.tag.is_none() && c.enabled())?;
    let key = keys.first()?;
    let auth = default.provider_auth.as_ref()?;
    let detail = format!(
        "{PROVIDER_AUTH}=true ({}) and {} ({}): the run may keep using the static keys",
        from(&auth.source),
        key.key,
        from(&key.source)
    );
    let cmd = migrate_command(inv, &[&ws.workspace.name]);
    Some(
        Finding::new(
            FindingId::KeysAndOidc,
            ResourceRef::workspace(inv, ws),
            detail,
        )
        .with_fix(format!(
            "remove the static key variables: {cmd}{NO_POLICY_HINT}"
        ))
        .suggesting(cmd),
    )
}

/// The phases of an enabled configuration that have no role.
fn phases_without_role(c: &AwsConfig) -> Vec<Phase> {
    Phase::TOKEN_PHASES
        .into_iter()
        .filter(|p| c.role_for(*p).is_none())
        .collect()
}

fn setup_command(inv: &Inventory, ws: &WorkspaceEntry) -> String {
    format!(
        "{} setup --org {} --project {} --workspace {} --no-policy",
        tfc_oidc(&inv.host),
        shell_word(&inv.organization),
        shell_word(&ws.project_name),
        shell_word(&ws.workspace.name)
    )
}

/// TFCOIDC006: the default configuration is on but a phase has no role ARN.
fn missing_role(inv: &Inventory, ws: &WorkspaceEntry, c: &AwsConfig) -> Option<Finding> {
    if c.tag.is_some() || !c.enabled() {
        return None;
    }
    let missing = phases_without_role(c);
    if missing.is_empty() {
        return None;
    }
    let auth = c.provider_auth.as_ref()?;
    let what = if missing.len() == 2 {
        format!(
            "no {RUN_ROLE_ARN} (nor {} and {}) reaches the workspace",
            Phase::Plan.role_arn_variable(),
            Phase::Apply.role_arn_variable()
        )
    } else {
        let phase = missing[0];
        format!(
            "{phase} runs have no role: neither {} nor {RUN_ROLE_ARN} reaches the workspace",
            c.key(phase.role_kind())
        )
    };
    let detail = format!("{PROVIDER_AUTH}=true ({}) but {what}", from(&auth.source));
    let cmd = setup_command(inv, ws);
    let fix = format!("set the role ARN variable: {cmd}{NO_POLICY_HINT}");
    Some(
        Finding::new(
            FindingId::NoRoleArn,
            ResourceRef::workspace(inv, ws),
            detail,
        )
        .with_fix(fix)
        .suggesting(cmd),
    )
}

/// TFCOIDC014: a tagged configuration with a role but no `PROVIDER_AUTH_TAG=true`, or the
/// reverse.
fn half_set(inv: &Inventory, ws: &WorkspaceEntry, c: &AwsConfig) -> Option<Finding> {
    let tag = c.tag.as_ref()?;
    let own_role = [&c.run_role_arn, &c.plan_role_arn, &c.apply_role_arn]
        .into_iter()
        .flatten()
        .find(|v: &&Setting| v.key.ends_with(&format!("_{tag}")));
    let auth_key = c.key(VarKind::ProviderAuth);
    let detail = match (c.enabled(), own_role) {
        (false, Some(role)) => format!(
            "{} is set ({}) but {auth_key} is not true: the {tag} configuration gets no credentials",
            role.key,
            from(&role.source)
        ),
        (true, _) => {
            let missing = phases_without_role(c);
            if missing.is_empty() {
                return None;
            }
            let phases: Vec<&str> = missing.iter().map(|p| p.as_str()).collect();
            format!(
                "{auth_key}=true but no {} reaches the workspace (no role for {} runs)",
                c.key(VarKind::RoleArn(Phase::Run)),
                and_list(&phases)
            )
        }
        (false, None) => return None,
    };
    let fix = format!(
        "set both {auth_key}=true and {} on the workspace, or remove the {tag} variables",
        c.key(VarKind::RoleArn(Phase::Run))
    );
    Some(
        Finding::new(
            FindingId::HalfSetTag,
            ResourceRef::workspace(inv, ws),
            detail,
        )
        .with_fix(fix),
    )
}

/// TFCOIDC011: a global variable set holds a role ARN.
fn global_role_arns(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in inv.variable_sets.iter().filter(|s| s.set.global) {
        let roles: Vec<String> = s
            .variables
            .iter()
            .filter(|v| {
                v.category == VariableCategory::Env && dynamic_vars::is_role_arn_key(&v.key)
            })
            .map(|v| match &v.value {
                Some(value) => format!("{} = {value}", v.key),
                None => format!("{} (sensitive)", v.key),
            })
            .collect();
        if roles.is_empty() {
            continue;
        }
        let detail = format!(
            "global variable set holds {}: every workspace of {} gets it, including new ones",
            and_list(&roles),
            inv.organization
        );
        let resource = ResourceRef::VariableSet {
            organization: inv.organization.clone(),
            id: s.set.id.clone(),
            name: s.set.name.clone(),
        };
        out.push(Finding::new(FindingId::GlobalRoleArn, resource, detail));
    }
    out
}
