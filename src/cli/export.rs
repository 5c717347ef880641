//! `tfc-oidc export`: the choices `setup` takes, written as a CloudFormation template or a
//! Terraform configuration. It reads what exists (a read-only plan, as `setup --dry-run` does)
//! to refer to an existing OIDC provider and spell the names as HCP Terraform does; when the
//! services cannot be read it says so in one line and writes the export from the flags alone.

use crate::cli::args::{ExportArgs, ExportFormat as FormatArg, GlobalArgs};
use crate::cli::connect::Ports;
use crate::cli::error::{CliError, ErrorKind};
use crate::cli::setup::answers_from;
use crate::export::{read_facts, render, ExportError, ExportFormat, Facts};
use crate::tfc::Endpoint;
use std::path::Path;

fn env(key: &str) -> Option<String> {
    std::env::var(key).ok()
}

/// The format: the flag, else the output file's extension.
fn format_of(args: &ExportArgs) -> Result<ExportFormat, CliError> {
    match (args.format, &args.output) {
        (Some(FormatArg::Cloudformation), _) => Ok(ExportFormat::CloudFormation),
        (Some(FormatArg::Terraform), _) => Ok(ExportFormat::Terraform),
        (None, Some(path)) => ExportFormat::from_path(path).ok_or_else(|| {
            CliError::usage(format!(
                "cannot tell the format from {}: pass --format cloudformation or --format terraform",
                path.display()
            ))
        }),
        (None, None) => Err(CliError::usage(
            "choose the code to write: --format cloudformation or --format terraform",
        )),
    }
}

fn exists_error(path: &Path) -> CliError {
    CliError::usage(format!(
        "{} exists already: pass --force to overwrite it",
        path.display()
    ))
}

/// Writes `text` to `path`; without `force` an existing file is never touched.
fn write(path: &Path, text: &str, force: bool) -> Result<(), CliError> {
    crate::export::write_file(path, text, force).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists_error(path),
        _ => CliError::failure(format!("cannot write {}: {e}", path.display())),
    })
}

/// Runs `export`.
pub async fn run(global: &GlobalArgs, args: &ExportArgs) -> Result<(), CliError> {
    let format = format_of(args)?;
    if let Some(path) = &args.output {
        if !args.force && path.exists() {
            return Err(exists_error(path));
        }
    }
    let (answers, facts) = match Ports::connect(global).await {
        Ok(ports) => {
            let answers = answers_from(&args.choices, ports.tfc.host()).await?;
            let facts = read_facts(&answers, ports.iam.as_ref(), ports.tfc.as_ref()).await?;
            (answers, facts)
        }
        Err(e) if e.kind == ErrorKind::Failure => {
            let endpoint =
                Endpoint::resolve(global.hostname.as_deref(), global.api_url.as_deref(), &env)?;
            let answers = answers_from(&args.choices, endpoint.host()).await?;
            let facts = Facts::unread(&answers, e.message);
            (answers, facts)
        }
        Err(e) => return Err(e),
    };
    if let Some(why) = &facts.unread {
        eprintln!(
            "warning: AWS and HCP Terraform were not read ({why}); the export is written from the flags alone and creates the OIDC provider"
        );
    }
    let text = render(format, &answers, &facts).map_err(|e| match e {
        ExportError::Plan(p) => CliError::from(p),
        other => CliError::failure(other.to_string()),
    })?;
    match &args.output {
        Some(path) => {
            write(path, &text, args.force)?;
            println!("Wrote the {} export to {}.", format.name(), path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
