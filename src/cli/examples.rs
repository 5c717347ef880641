//! The `Examples:` section of each command's `--help` (clap's `after_help`). Each line that
//! starts with `tfc-oidc` is parsed by a test as real arguments, so an example can never name a
//! flag that does not exist or a combination clap refuses.

pub const SETUP: &str = "\
Examples:
  # see what would change (reads only)
  tfc-oidc setup --org acme --project platform --workspace network --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess --dry-run
  # every workspace of the project, variables in one variable set, separate plan and apply roles
  tfc-oidc setup --org acme --project platform --all-workspaces --target varset --split-roles --policy-arn arn:aws:iam::aws:policy/PowerUserAccess
  # a Stack's production deployment, with an inline policy
  tfc-oidc setup --org acme --project platform --stack network --deployment production --policy-file policy.json --yes";

pub const MIGRATE: &str = "\
Examples:
  # every workspace of the organization that receives static keys: what was found, the plan
  tfc-oidc migrate --org acme --all --dry-run
  # one project; prove each workspace authenticates, then mark only the proven keys Inactive
  tfc-oidc migrate --org acme --project platform --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess --verify --deactivate-keys
  # two workspaces, into a second AWS account as a tagged configuration
  tfc-oidc migrate --org acme --workspace network --workspace dns --profile analytics --alias ANALYTICS --no-policy";

pub const REVIEW: &str = "\
Examples:
  tfc-oidc review --org acme
  # for code scanning: SARIF, failing only on critical findings
  tfc-oidc review --org acme --format sarif --fail-on critical
  # one project, without reading CloudTrail
  tfc-oidc review --org acme --project platform --no-activity --format json
  # in CI: only findings not in an earlier JSON review, as a Markdown report
  tfc-oidc review --org acme --baseline review-main.json --format markdown";

pub const EXPLAIN: &str = "\
Examples:
  tfc-oidc explain --org acme --project platform --workspace network --phase apply
  # a role other than the one the workspace's variables name
  tfc-oidc explain --org acme --project platform --workspace network --phase plan --role-arn arn:aws:iam::123456789012:role/tfc-acme-platform
  # a Stack deployment's plan operation
  tfc-oidc explain --org acme --project platform --stack network --deployment production --operation plan --role-arn arn:aws:iam::123456789012:role/tfc-acme-platform";

pub const EXPORT: &str = "\
Examples:
  # Terraform, the format taken from the file's extension
  tfc-oidc export --org acme --project platform --workspace network --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess -o oidc.tf
  # CloudFormation on standard output
  tfc-oidc export --org acme --project platform --all-workspaces --split-roles --no-policy --format cloudformation";

pub const VERIFY: &str = "\
Examples:
  tfc-oidc verify --org acme --workspace network
  # in a script: no question, a shorter wait, JSON
  tfc-oidc verify --org acme --workspace network --yes --timeout 5m --format json";

pub const GUARDRAIL: &str = "\
Examples:
  tfc-oidc guardrail --org acme --org acme-labs
  # for the management account's Terraform, covering HCP Terraform's US and EU hosts
  tfc-oidc guardrail --org acme --host app.terraform.io --host app.eu.terraform.io --format terraform
  tfc-oidc guardrail --org acme --format cloudformation > guardrail.yaml";

pub const PERMISSIONS: &str = "\
Examples:
  # the read-only policy for a review in CI
  tfc-oidc permissions review --format json
  tfc-oidc permissions setup";

pub const MAN: &str = "\
Examples:
  tfc-oidc man | man -l -
  tfc-oidc man setup | man -l -
  # install every page for the current user
  tfc-oidc man --dir ~/.local/share/man/man1";

#[cfg(test)]
mod tests {
    use crate::cli::args::Cli;
    use clap::{CommandFactory, Parser};

    /// The commands whose `--help` must teach by example.
    const WITH_EXAMPLES: [&str; 8] = [
        "setup",
        "migrate",
        "review",
        "explain",
        "export",
        "verify",
        "man",
        "guardrail",
    ];

    fn help_of(name: &str) -> String {
        let mut root = Cli::command();
        root.build();
        let sub = root.find_subcommand_mut(name).unwrap();
        sub.render_long_help().to_string()
    }

    /// The command lines of an Examples section, as argument lists (the part before a pipe).
    fn example_lines(help: &str) -> Vec<Vec<String>> {
        let examples = help.split("Examples:").nth(1).expect("an Examples section");
        examples
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("tfc-oidc "))
            .map(|l| {
                // What the shell runs as tfc-oidc: the words before a pipe or a redirection.
                let command = l.split(['|', '>']).next().unwrap();
                command.split_whitespace().map(String::from).collect()
            })
            .collect()
    }

    #[test]
    fn every_example_parses_as_the_command_it_illustrates() {
        for name in WITH_EXAMPLES {
            let lines = example_lines(&help_of(name));
            assert!(lines.len() >= 2, "{name}: {lines:?}");
            for args in lines {
                let cli = Cli::try_parse_from(&args)
                    .unwrap_or_else(|e| panic!("{name}: {}\n{e}", args.join(" ")));
                let parsed = format!("{:?}", cli.command.expect("a command"));
                let variant = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
                assert!(parsed.starts_with(&variant), "{name}: {}", args.join(" "));
            }
        }
    }

    #[test]
    fn setup_and_export_help_speak_of_themselves_not_of_migrate() {
        for name in ["setup", "export"] {
            let help = help_of(name);
            assert!(!help.to_lowercase().contains("migrate"), "{name}:\n{help}");
        }
        assert!(help_of("migrate").contains("for each project migrated"));
    }
}
