//! Flags clap accepts but that would change nothing, or that cannot name anything: each is
//! refused with its reason (exit 2) before any call, so no flag is ever silently ignored.
//!
//! clap's own `requires` is not enough: clap waives it when the required flag conflicts with one
//! that is present, so `setup --workspace w --deployment d` (`--deployment` requires `--stack`,
//! which conflicts with `--workspace`) parsed cleanly and planned as if `--deployment` were not
//! there. Those relations are checked here.

use crate::cli::args::{
    ActivityArgs, Cli, Command, ExplainArgs, GlobalArgs, MigrateArgs, SetupArgs,
};
use crate::cli::error::CliError;
use crate::core::names;
use crate::sandbox::DEMO_SECOND_PROFILE;

/// Refuses (exit 2) the first flag of `cli` that would be ignored or names nothing.
pub fn check(cli: &Cli) -> Result<(), CliError> {
    check_demo(&cli.global)?;
    match &cli.command {
        Some(Command::Setup(args)) => check_stack_flags(&args.choices),
        Some(Command::Export(args)) => {
            check_stack_flags(&args.choices)?;
            check_export(&args.choices)
        }
        Some(Command::Explain(args)) => check_explain(args),
        Some(Command::Activity(args)) => check_activity(args),
        Some(Command::Migrate(args)) => check_migrate(args),
        _ => Ok(()),
    }
}

/// `--demo` runs against the sandbox: a profile (but the demo second account's), host, API
/// address or region would not be used.
fn check_demo(global: &GlobalArgs) -> Result<(), CliError> {
    if !global.demo {
        return Ok(());
    }
    let given: Vec<&str> = [
        ("--hostname", global.hostname.is_some()),
        ("--api-url", global.api_url.is_some()),
        // The demo's second account has a profile of its own.
        (
            "--profile",
            global
                .profile
                .as_deref()
                .is_some_and(|p| p != DEMO_SECOND_PROFILE),
        ),
        ("--region", global.region.is_some()),
    ]
    .into_iter()
    .filter_map(|(flag, set)| set.then_some(flag))
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    let flags = crate::core::text::and_list(&given);
    Err(CliError::usage(format!(
        "--demo runs against the built-in sandbox, where {flags} {} no effect: drop {flags}, or drop --demo to use the real services",
        if given.len() == 1 { "has" } else { "have" },
    )))
}

/// `--deployment` only means something for a Stack, `--alias` (a suffix for variables) only for
/// workspaces: a Stack writes no variables.
fn check_stack_flags(args: &SetupArgs) -> Result<(), CliError> {
    if args.stack.is_none() && !args.deployments.is_empty() {
        return Err(CliError::usage(
            "--deployment needs --stack NAME (deployments belong to a Stack; workspaces have none)",
        ));
    }
    if args.stack.is_some() && args.role.alias.is_some() {
        return Err(CliError::usage(
            "--alias does not apply to --stack: a Stack writes no variables to tag (its deployment configuration names the role)",
        ));
    }
    Ok(())
}

/// `migrate --deactivate-used-keys` is a consent about deactivating: without
/// `--deactivate-keys` nothing is deactivated.
fn check_migrate(args: &MigrateArgs) -> Result<(), CliError> {
    if args.deactivate_used_keys && !args.deactivate_keys {
        return Err(CliError::usage(
            "--deactivate-used-keys only lets --deactivate-keys deactivate keys used outside HCP Terraform: add --deactivate-keys, or drop --deactivate-used-keys",
        ));
    }
    Ok(())
}

/// `export` creates nothing: the consent to re-arm dormant roles belongs to the run that creates
/// the OIDC provider.
fn check_export(args: &SetupArgs) -> Result<(), CliError> {
    if args.role.allow_dormant_trust {
        return Err(CliError::usage(
            "--allow-dormant-trust applies to setup and migrate, which create the OIDC provider; export only writes code",
        ));
    }
    Ok(())
}

/// `explain`: the Stack flags need `--stack`, and `--role-arn` must be a role ARN.
fn check_explain(args: &ExplainArgs) -> Result<(), CliError> {
    if args.stack.is_none() {
        let stack_only = [
            ("--deployment", args.deployment.is_some()),
            ("--operation", args.operation.is_some()),
            ("--audience", args.audience.is_some()),
        ];
        if let Some((flag, _)) = stack_only.iter().find(|(_, set)| *set) {
            return Err(CliError::usage(format!(
                "{flag} needs --stack NAME (it describes a Stack deployment; for a workspace use --workspace and --phase)"
            )));
        }
    }
    if let Some(arn) = &args.role_arn {
        names::validate_role_arn(arn).map_err(|e| CliError::flag("--role-arn", e))?;
    }
    Ok(())
}

/// `activity --role` takes a role name or a role ARN; anything else could never match.
fn check_activity(args: &ActivityArgs) -> Result<(), CliError> {
    let Some(role) = &args.role else {
        return Ok(());
    };
    let checked = if role.starts_with("arn:") {
        names::validate_role_arn(role)
    } else {
        names::validate_role_name(role)
    };
    checked.map_err(|e| CliError::flag("--role", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::error::code;
    use clap::Parser;

    /// Why the command line is refused (by clap or by [`check`], always exit 2), if it is.
    fn refusal(args: &[&str]) -> Option<String> {
        let line = std::iter::once("tfc-oidc").chain(args.iter().copied());
        let cli = match Cli::try_parse_from(line) {
            Ok(cli) => cli,
            Err(e) => {
                assert_eq!(e.exit_code(), i32::from(code::USAGE), "{e}");
                return Some(e.to_string());
            }
        };
        check(&cli).err().map(|e| {
            assert_eq!(e.code(), code::USAGE, "{}", e.message);
            e.message
        })
    }

    const SETUP: [&str; 8] = [
        "setup",
        "--org",
        "o",
        "--project",
        "p",
        "--workspace",
        "w",
        "--no-policy",
    ];

    #[test]
    fn deployment_without_stack_is_refused() {
        let mut args = SETUP.to_vec();
        assert_eq!(refusal(&args), None);
        args.extend(["--deployment", "prod"]);
        assert!(refusal(&args)
            .unwrap()
            .contains("--deployment needs --stack"));
        args[0] = "export";
        assert!(refusal(&args).is_some());
        let stack = [
            "setup",
            "--org",
            "o",
            "--project",
            "p",
            "--stack",
            "s",
            "--deployment",
            "prod",
            "--no-policy",
        ];
        assert_eq!(refusal(&stack), None);
        let tagged: Vec<&str> = stack.into_iter().chain(["--alias", "STAGING"]).collect();
        assert!(refusal(&tagged)
            .unwrap()
            .contains("--alias does not apply to --stack"));
    }

    #[test]
    fn demo_refuses_flags_it_would_not_use() {
        let mut args = vec!["--demo", "--profile", "prod"];
        args.extend(SETUP);
        let message = refusal(&args).unwrap();
        assert!(message.contains("drop --profile,") || message.contains("drop --profile "));
        let both = [
            "--demo",
            "--hostname",
            "h.example",
            "--region",
            "eu-west-1",
            "review",
        ];
        let both: Vec<&str> = both.into_iter().chain(["--org", "o"]).collect();
        assert!(refusal(&both)
            .unwrap()
            .contains("drop --hostname and --region"));
        assert_eq!(refusal(&["--demo", "review", "--org", "o"]), None);
        let second = [
            "--demo",
            "--profile",
            "demo-analytics",
            "review",
            "--org",
            "o",
        ];
        assert_eq!(refusal(&second), None, "the demo's second account");
        assert_eq!(refusal(&["--profile", "x", "review", "--org", "o"]), None);
    }

    #[test]
    fn explain_checks_stack_flags_and_the_role_arn() {
        let ws = [
            "explain",
            "--org",
            "o",
            "--project",
            "p",
            "--workspace",
            "w",
            "--phase",
            "plan",
        ];
        assert_eq!(refusal(&ws), None);
        for extra in [["--deployment", "d"], ["--audience", "a"]] {
            let args: Vec<&str> = ws.iter().copied().chain(extra).collect();
            assert!(refusal(&args).unwrap().contains("--stack"), "{extra:?}");
        }
        let bad: Vec<&str> = ws
            .iter()
            .copied()
            .chain(["--role-arn", "garbage"])
            .collect();
        assert!(refusal(&bad)
            .unwrap()
            .starts_with("--role-arn: role ARN 'garbage'"));
        let good = "arn:aws:iam::123456789012:role/r";
        let ok: Vec<&str> = ws.iter().copied().chain(["--role-arn", good]).collect();
        assert_eq!(refusal(&ok), None);
    }

    #[test]
    fn activity_role_must_be_a_role_name_or_arn() {
        assert_eq!(refusal(&["activity", "--role", "deploy"]), None);
        assert_eq!(
            refusal(&["activity", "--role", "arn:aws:iam::123456789012:role/r"]),
            None
        );
        assert!(refusal(&["activity", "--role", "not a role"]).is_some());
        assert!(refusal(&["activity", "--role", "arn:aws:iam::1:role/r"]).is_some());
    }

    #[test]
    fn migrate_proof_flags_need_what_they_qualify() {
        let base = ["migrate", "--org", "o", "--workspace", "w"];
        let with = |extra: &[&'static str]| -> Vec<&str> {
            base.iter().copied().chain(extra.iter().copied()).collect()
        };
        assert_eq!(refusal(&with(&["--verify", "--deactivate-keys"])), None);
        let used = with(&["--verify", "--deactivate-keys", "--deactivate-used-keys"]);
        assert_eq!(refusal(&used), None);
        assert!(refusal(&with(&["--deactivate-used-keys"]))
            .unwrap()
            .contains("add --deactivate-keys"));
        assert!(refusal(&with(&["--timeout", "5m"])).is_some());
        assert_eq!(refusal(&with(&["--verify", "--timeout", "5m"])), None);
    }
}
