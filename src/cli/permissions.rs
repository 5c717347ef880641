//! `tfc-oidc permissions COMMAND`: the least IAM policy and HCP Terraform token permissions a
//! command needs, from the one table in `core::permissions`.

use crate::cli::args::{Format, PermissionsArgs};
use crate::cli::error::CliError;
use crate::core::permissions::{requirements, COMMANDS};

pub fn run(args: &PermissionsArgs) -> Result<(), CliError> {
    let needs = requirements(&args.command).ok_or_else(|| {
        CliError::usage(format!(
            "no command '{}' to list permissions for: choose one of {}",
            args.command,
            COMMANDS.join(", ")
        ))
    })?;
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&needs).unwrap_or_default()
        ),
        Format::Text => print!("{}", text(&needs)),
    }
    Ok(())
}

fn text(needs: &crate::core::permissions::Requirements) -> String {
    let mut out = format!(
        "tfc-oidc {} needs{}:\n\n",
        needs.command,
        if needs.read_only {
            " (it only reads)"
        } else {
            ""
        }
    );
    if needs.aws_policy.is_null() {
        out.push_str("AWS: no credentials (it calls no AWS API)\n");
    } else {
        out.push_str("AWS: an IAM policy like this on the credentials it runs with\n");
        out.push_str(&serde_json::to_string_pretty(&needs.aws_policy).unwrap_or_default());
        out.push('\n');
    }
    if needs.tfc_permissions.is_empty() {
        out.push_str("\nHCP Terraform: no token\n");
    } else {
        out.push_str("\nHCP Terraform: a token (user, team or organization) that can\n");
        for p in &needs.tfc_permissions {
            out.push_str(&format!("  - {p}\n"));
        }
    }
    out
}
