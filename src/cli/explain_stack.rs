//! `tfc-oidc explain --stack NAME --deployment D --operation plan|apply --role-arn ARN`: would
//! this Stack deployment's operation get AWS credentials from the role? Stacks take the role from
//! the deployment's `role_arn` input, not from variables, so `--role-arn` is required. Exit 0 for
//! allow, 1 for deny.

use crate::cli::args::ExplainArgs;
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::explain::{
    json_of, read_project, report, run_phase, verdict_text, with_unlisted_role,
};
use crate::cli::output::escape;
use crate::core::ports::Iam;
use crate::core::review::explain_stack::{explain_stack, StackExplanation, StackRun};

/// Explains the Stack operation `args` name; `iam` has working credentials.
pub(crate) async fn explain_stack_command(
    ports: &Ports,
    iam: &dyn Iam,
    args: &ExplainArgs,
    stack: &str,
) -> Result<(), CliError> {
    // clap requires these with --stack; the messages are for callers that build args by hand.
    let deployment = args
        .deployment
        .as_deref()
        .ok_or_else(|| CliError::usage("--stack needs --deployment D"))?;
    let role_arn = args.role_arn.as_deref().ok_or_else(|| {
        CliError::usage("--stack needs --role-arn ARN (Stacks take the role from the deployment's role_arn input)")
    })?;
    let operation = args
        .operation
        .or(args.phase)
        .ok_or_else(|| CliError::usage("--stack needs --operation plan|apply"))?;
    let (inv, project) = read_project(ports, iam, args).await?;
    let run = StackRun {
        project: &project,
        stack,
        deployment,
        operation: run_phase(operation),
        role_arn,
        audience: args
            .audience
            .as_deref()
            .unwrap_or(crate::core::answers::DEFAULT_AUDIENCE),
    };
    let explain = |extra: Option<&crate::core::ports::Role>| {
        explain_stack(&inv, &run, extra).map_err(CliError::from)
    };
    let first = explain(None)?;
    let explanation = with_unlisted_role(iam, first, explain).await?;
    let allowed = explanation.allowed();
    report(
        args.format,
        allowed,
        || text(&explanation),
        || json_of(&explanation),
    )
}

/// The verdict, the claims and any notes, for people.
pub(crate) fn text(e: &StackExplanation) -> String {
    let admits = format!(
        "{} operations of deployment {} of Stack {}",
        e.operation, e.deployment, e.stack
    );
    let mut out = verdict_text(&e.check, &e.role_source, &admits);
    for note in &e.notes {
        out.push_str(&format!("note: {}\n", escape(note)));
    }
    out
}
