//! `tfc-oidc setup`: the wizard's non-interactive twin.

use crate::cli::args::{Format, GlobalArgs, SetupArgs, SetupCommand, Target};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::flow::{confirm_and_apply, Flow, FlowOptions};
use crate::cli::output;
use crate::core::answers::{Answers, Permissions, TargetChoice, WorkspaceSelection};
use crate::core::names;
use crate::core::permission_policy::check_permission_policy;
use crate::core::plan::Plan;
use crate::core::planner;
use std::path::Path;

/// Turns the flags into answers (host from the connected HCP Terraform).
pub async fn answers_from(args: &SetupArgs, host: &str) -> Result<Answers, CliError> {
    let selection = if let Some(name) = &args.stack {
        WorkspaceSelection::Stack {
            name: name.clone(),
            deployments: args.deployments.clone(),
        }
    } else if args.all_workspaces {
        WorkspaceSelection::All
    } else {
        WorkspaceSelection::Named(args.workspaces.clone())
    };
    let mut answers = Answers::new(host, &args.org, &args.project, selection);
    if let Some(name) = &args.role.role_name {
        answers.role_name = name.clone();
    }
    answers.split_roles = args.role.split_roles;
    answers.adopt_role = args.role.adopt_role;
    answers.allow_admin = args.role.allow_admin;
    answers.allow_dormant_trust = args.role.allow_dormant_trust;
    answers.alias = args.role.alias.clone();
    answers.permissions = Permissions {
        managed_policy_arns: args.role.policy_arns.clone(),
        inline_policy: policy_file(args.role.policy_file.as_deref())?,
        none: args.role.no_policy,
        ..Permissions::default()
    };
    let plan = Permissions {
        managed_policy_arns: args.role.plan_policy_arns.clone(),
        inline_policy: policy_file(args.role.plan_policy_file.as_deref())?,
        none: false,
        ..Permissions::default()
    };
    answers.plan_permissions = (!plan.is_empty()).then_some(plan);
    answers.audience = args.role.audience.clone();
    if args.role.target == Target::Varset {
        let name = args
            .varset_name
            .clone()
            .unwrap_or_else(|| Answers::default_varset_name(&answers.role_name));
        answers.target = TargetChoice::VariableSet { name };
    } else if args.varset_name.is_some() {
        return Err(CliError::usage("--varset-name needs --target varset"));
    }
    if let Some(t) = &args.role.thumbprint {
        let t = crate::aws::validate_thumbprint(t)?;
        answers.thumbprints = vec![t];
    }
    answers.validate()?;
    if args.role.compute_thumbprint {
        let t = crate::aws::compute_thumbprint(&format!("https://{host}"), None)
            .await
            .map_err(|e| {
                CliError::failure(format!(
                    "cannot compute the thumbprint of https://{host}: {e}"
                ))
            })?;
        answers.thumbprints = vec![t];
    }
    Ok(answers)
}

/// Reads and checks a policy file; a problem is one line naming the file and the position
/// (`deploy.json:4:15: …`), never the file's content.
fn policy_file(path: Option<&Path>) -> Result<Option<String>, CliError> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::input_file(&format!("policy file {}", path.display()), e))?;
    check_permission_policy(&text, names::INLINE_POLICY_MAX)
        .map_err(|p| CliError::usage(format!("policy file {}:{p}", path.display())))?;
    Ok(Some(text))
}

/// Runs `setup`.
pub async fn run(global: &GlobalArgs, args: &SetupCommand) -> Result<(), CliError> {
    let ports = Ports::connect(global).await?;
    let result = setup(&ports, args).await;
    ports.finish()?;
    result
}

async fn setup(ports: &Ports, args: &SetupCommand) -> Result<(), CliError> {
    let answers = answers_from(&args.choices, ports.tfc.host()).await?;
    let _lock = match args.dry_run {
        true => None,
        false => Some(crate::cli::run_apply::lock(ports).await?),
    };
    let plan = planner::plan(&answers, ports.iam.as_ref(), ports.tfc.as_ref()).await?;
    let colour = output::colour_enabled();
    let json = args.format == Format::Json;
    let opts = FlowOptions::apply(args.dry_run, args.yes, json);
    let show = |plan: &Plan| print!("{}", output::plan_text(plan, colour));
    match confirm_and_apply(plan, ports, opts, &show).await? {
        Flow::DryRun(plan) if json => println!("{}", output::setup_json(&plan, None, false)),
        Flow::DryRun(plan) => show(&plan),
        Flow::NothingToDo(plan) if json => println!("{}", output::setup_json(&plan, None, true)),
        Flow::NothingToDo(plan) => {
            show(&plan);
            print!("\n{}", output::summary_text(&plan, colour));
        }
        Flow::Cancelled => {}
        Flow::Applied { report, .. } if json => {
            println!("{}", output::setup_json(&report.plan, Some(&report), true))
        }
        Flow::Applied { report, .. } => print!("\n{}", output::summary_text(&report.plan, colour)),
    }
    Ok(())
}
