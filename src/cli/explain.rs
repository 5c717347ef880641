//! `tfc-oidc explain`: would a run of this workspace get AWS credentials? Reads the project and
//! the AWS account into the inventory, takes the role the workspace names for the phase (or
//! `--role-arn`), evaluates its trust policy against the claims HCP Terraform would send, and
//! prints allow or deny with every failing condition. Exit 0 for allow, 1 for deny.

use crate::cli::args::{ExplainArgs, Format, GlobalArgs, PhaseArg};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::output::escape;
use crate::cli::review::{read_inventory, usable_aws};
use crate::core::inventory::{Inventory, InventoryScope};
use crate::core::names::role_name_of;
use crate::core::review::explain::{explain, Explanation, Problem, RunCheck};
use crate::core::trust::Phase;
use serde_json::json;

/// Runs `explain`.
pub async fn run(global: &GlobalArgs, args: &ExplainArgs) -> Result<(), CliError> {
    let ports = Ports::connect(global).await?;
    let result = explain_command(&ports, args).await;
    ports.finish()?;
    result
}

async fn explain_command(ports: &Ports, args: &ExplainArgs) -> Result<(), CliError> {
    let (iam, reason) = usable_aws(ports.iam.as_ref()).await?;
    let Some(iam) = iam else {
        return Err(CliError::failure(format!(
            "explain reads the role's trust policy and needs AWS credentials: {}",
            reason.unwrap_or_default()
        )));
    };
    if let Some(stack) = &args.stack {
        return crate::cli::explain_stack::explain_stack_command(ports, iam, args, stack).await;
    }
    let (Some(workspace), Some(phase)) = (&args.workspace, args.phase) else {
        return Err(CliError::usage(
            "explain needs --workspace and --phase, or --stack",
        ));
    };
    let phase = run_phase(phase);
    let (inv, project) = read_project(ports, iam, args).await?;
    let run = |extra: Option<&crate::core::ports::Role>| {
        explain(
            &inv,
            &project,
            workspace,
            phase,
            args.alias.as_deref(),
            args.role_arn.as_deref(),
            extra,
        )
        .map_err(CliError::from)
    };
    let first = run(None)?;
    let explanation = with_unlisted_role(iam, first, run).await?;
    let allowed = explanation.allowed();
    report(
        args.format,
        allowed,
        || text(&explanation),
        || json_of(&explanation),
    )
}

/// Roles that do not trust the provider are not in the inventory: when the check says the role
/// is missing, read it, so a role that does not exist is told from one whose trust policy does
/// not name the provider (`again` explains with the role read).
pub(crate) async fn with_unlisted_role<T: Checked>(
    iam: &dyn crate::core::ports::Iam,
    first: T,
    again: impl Fn(Option<&crate::core::ports::Role>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let c = first.check();
    let missing = c
        .problems
        .iter()
        .any(|p| matches!(p, Problem::RoleMissing { .. }));
    let Some(name) = role_name_of(&c.role_arn).filter(|_| missing) else {
        return Ok(first);
    };
    let role = iam
        .get_role(name)
        .await
        .map_err(|e| CliError::service(&format!("cannot read role {name}"), e))?;
    match role {
        Some(role) => again(Some(&role)),
        None => Ok(first),
    }
}

/// The inventory of `--org`/`--project` and the project's name as HCP Terraform spells it:
/// tokens carry that spelling, and the user may have typed another case.
pub(crate) async fn read_project(
    ports: &Ports,
    iam: &dyn crate::core::ports::Iam,
    args: &ExplainArgs,
) -> Result<(Inventory, String), CliError> {
    let scope = InventoryScope {
        host: ports.tfc.host().to_string(),
        organization: args.org.clone(),
        project: Some(args.project.clone()),
    };
    let inv = read_inventory(ports, &scope, Some(iam)).await?;
    let named = |exact: bool| {
        inv.projects.iter().find(|p| match exact {
            true => p.name == args.project,
            false => p.name.eq_ignore_ascii_case(&args.project),
        })
    };
    let project = named(true)
        .or_else(|| named(false))
        .map_or(args.project.clone(), |p| p.name.clone());
    Ok((inv, project))
}

/// An explanation built on a [`RunCheck`] (a workspace run's or a Stack deployment's).
pub(crate) trait Checked {
    fn check(&self) -> &RunCheck;
}

impl Checked for Explanation {
    fn check(&self) -> &RunCheck {
        &self.check
    }
}

impl Checked for crate::core::review::explain_stack::StackExplanation {
    fn check(&self) -> &RunCheck {
        &self.check
    }
}

/// Prints the explanation as asked; a deny exits 1 without an `error:` line.
pub(crate) fn report(
    format: Format,
    allowed: bool,
    text: impl FnOnce() -> String,
    json: impl FnOnce() -> serde_json::Value,
) -> Result<(), CliError> {
    match format {
        Format::Text => print!("{}", text()),
        Format::Json => println!("{}", json()),
    }
    if allowed {
        Ok(())
    } else {
        Err(CliError::answer_no())
    }
}

/// The evaluator's phase for a `--phase`/`--operation` value.
pub(crate) fn run_phase(phase: PhaseArg) -> Phase {
    match phase {
        PhaseArg::Plan => Phase::Plan,
        PhaseArg::Apply => Phase::Apply,
    }
}

/// Each reason a checked token would be refused, one `deny: …` line each.
pub(crate) fn check_deny_lines(check: &RunCheck) -> Vec<String> {
    check
        .problems
        .iter()
        .map(|p| match p {
            Problem::TrustDenies { explanation, .. } => explanation.clone(),
            other => format!("deny: {}", other.describe()),
        })
        .collect()
}

fn text(e: &Explanation) -> String {
    let admits = format!("{} runs of {}", e.phase, e.workspace);
    let mut out = verdict_text(&e.check, &e.role_source, &admits);
    if e.provider_auth_off {
        out.push_str("note: TFC_AWS_PROVIDER_AUTH is not true on this workspace: its runs do not ask for AWS credentials yet\n");
    }
    out
}

/// The verdict (`allow …: role R admits ADMITS`, or one `deny: …` line per reason), the claims
/// and the deciding statement, as both forms of `explain` print them.
pub(crate) fn verdict_text(check: &RunCheck, role_source: &str, admits: &str) -> String {
    let mut out = String::new();
    if check.allowed() {
        let how = check
            .decision
            .as_ref()
            .map_or_else(|| "allow".to_string(), |d| d.explain());
        out.push_str(&escape(&format!(
            "{how}: role {} admits {admits}",
            check.role_arn
        )));
        out.push('\n');
    } else {
        for line in check_deny_lines(check) {
            out.push_str(&escape(&line));
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "  role  {} ({})\n  aud   {}\n  sub   {}\n",
        escape(&check.role_arn),
        escape(role_source),
        escape(&check.claims.aud),
        escape(&check.claims.sub)
    ));
    if let Some(i) = check.decisive_statement() {
        out.push_str(&format!("  decisive statement: {}\n", i + 1));
    }
    out
}

/// The explanation with `allowed`, `result`, `reasons` and the 1-based decisive `statement`,
/// for both forms of `explain`.
pub(crate) fn json_of<T: serde::Serialize + Checked>(e: &T) -> serde_json::Value {
    let check = e.check();
    let mut v = serde_json::to_value(e).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("allowed".into(), json!(check.allowed()));
        obj.insert(
            "result".into(),
            json!(if check.allowed() { "allow" } else { "deny" }),
        );
        obj.insert("reasons".into(), json!(check_deny_lines(check)));
        obj.insert(
            "statement".into(),
            json!(check.decisive_statement().map(|i| i + 1)),
        );
    }
    v
}
