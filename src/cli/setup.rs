//! `tfc-oidc setup`: the wizard's non-interactive twin.

use crate::cli::args::{Format, GlobalArgs, SetupArgs, Target};
use crate::cli::confirm::{confirm_or_refuse, Decision};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::output;
use crate::cli::run_apply::run_apply;
use crate::core::answers::{Answers, TargetChoice, WorkspaceSelection};
use crate::core::journal::RecordKind;
use crate::core::names;
use crate::core::planner;

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
    if let Some(name) = &args.role_name {
        answers.role_name = name.clone();
    }
    answers.split_roles = args.split_roles;
    answers.adopt_role = args.adopt_role;
    answers.allow_admin = args.allow_admin;
    answers.alias = args.alias.clone();
    answers.permissions.managed_policy_arns = args.policy_arns.clone();
    answers.permissions.none = args.no_policy;
    if let Some(path) = &args.policy_file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!("cannot read policy file {}: {e}", path.display()))
        })?;
        names::validate_policy_document("policy file", &text, names::INLINE_POLICY_MAX)
            .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?;
        answers.permissions.inline_policy = Some(text);
    }
    answers.audience = args.audience.clone();
    if args.target == Target::Varset {
        let name = args
            .varset_name
            .clone()
            .unwrap_or_else(|| Answers::default_varset_name(&answers.role_name));
        answers.target = TargetChoice::VariableSet { name };
    } else if args.varset_name.is_some() {
        return Err(CliError::usage("--varset-name needs --target varset"));
    }
    if let Some(t) = &args.thumbprint {
        let t = crate::aws::validate_thumbprint(t).map_err(|e| CliError::usage(e.to_string()))?;
        answers.thumbprints = vec![t];
    }
    answers.validate()?;
    if args.compute_thumbprint {
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

/// Runs `setup`.
pub async fn run(global: &GlobalArgs, args: &SetupArgs) -> Result<(), CliError> {
    let ports = Ports::connect(global).await?;
    let result = setup(&ports, args).await;
    ports.finish()?;
    result
}

async fn setup(ports: &Ports, args: &SetupArgs) -> Result<(), CliError> {
    let answers = answers_from(args, ports.tfc.host()).await?;
    let _lock = match args.dry_run {
        true => None,
        false => Some(crate::cli::run_apply::lock(ports).await?),
    };
    let plan = planner::plan(&answers, ports.iam.as_ref(), ports.tfc.as_ref()).await?;
    let colour = output::colour_enabled();
    let json = args.format == Format::Json;
    if args.dry_run {
        if json {
            println!("{}", output::setup_json(&plan, None, false));
        } else {
            print!("{}", output::plan_text(&plan, colour));
        }
        return Ok(());
    }
    if plan.is_empty() {
        if json {
            println!("{}", output::setup_json(&plan, None, true));
        } else {
            print!("{}", output::plan_text(&plan, colour));
            print!("\n{}", output::summary_text(&plan, colour));
        }
        return Ok(());
    }
    if !json {
        print!("{}", output::plan_text(&plan, colour));
    }
    if confirm_or_refuse(args.yes, plan.changes.len())? == Decision::Cancelled {
        println!("Nothing was changed.");
        return Ok(());
    }
    let mut journal = ports.journal.begin(&plan, RecordKind::Apply)?;
    let report = run_apply(plan, ports, &mut journal, json).await;
    match report {
        Ok(report) => {
            if json {
                println!("{}", output::setup_json(&report.plan, Some(&report), true));
            } else {
                print!("\n{}", output::summary_text(&report.plan, colour));
            }
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
