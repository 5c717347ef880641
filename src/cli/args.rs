//! The command line, as clap sees it.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Move HCP Terraform runs off static AWS keys onto OIDC dynamic credentials.
#[derive(Debug, Parser)]
#[command(name = "tfc-oidc", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Run against the built-in sandbox (an in-memory organization and AWS account); needs no credentials
    #[arg(long, global = true)]
    pub demo: bool,
    /// HCP Terraform or Terraform Enterprise host [env: TFE_HOSTNAME] [default: app.terraform.io]
    #[arg(long, global = true, value_name = "HOST")]
    pub hostname: Option<String>,
    /// API base address; /api/v2 is appended [env: TFE_ADDRESS] [default: https://HOST]
    #[arg(long, global = true, value_name = "URL")]
    pub api_url: Option<String>,
    /// AWS profile from the shared config files
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region for the SDK (IAM itself is global)
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The interactive wizard (the default when no command is given)
    Wizard,
    /// Set up OIDC for workspaces of one project, non-interactively
    Setup(Box<SetupCommand>),
    /// Revert the last apply recorded in the journal
    Undo(UndoArgs),
    /// Print the setup as code: a CloudFormation template or a Terraform configuration
    Export(Box<ExportArgs>),
    /// Print an AWS Organizations resource control policy that only lets the named organizations' runs assume roles
    #[command(after_help = crate::cli::examples::GUARDRAIL)]
    Guardrail(GuardrailArgs),
    /// Print the least IAM policy and HCP Terraform token permissions a command needs
    #[command(after_help = crate::cli::examples::PERMISSIONS)]
    Permissions(PermissionsArgs),
    /// Print a man page (roff), generated from the same definitions as --help
    #[command(after_help = crate::cli::examples::MAN)]
    Man(ManArgs),
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Prove a workspace's runs authenticate: queue a plan-only run and read its log
    Verify(VerifyArgs),
    /// Who assumed what: CloudTrail AssumeRoleWithWebIdentity events for this host's roles
    Activity(ActivityArgs),
    /// Move workspaces off static AWS keys: set up OIDC for them, then remove the key variables
    Migrate(Box<MigrateArgs>),
    /// Audit an organization and the AWS account: findings TFCOIDC001-017
    Review(ReviewArgs),
    /// Would a run of this workspace (or Stack deployment) get AWS credentials? Evaluates the role's trust policy
    Explain(ExplainArgs),
}

/// Text for people, JSON for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// Where the variables go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Target {
    #[default]
    Workspace,
    Varset,
}

#[derive(Debug, Clone, Args)]
pub struct SetupArgs {
    /// HCP Terraform organization
    #[arg(long, value_name = "ORG")]
    pub org: String,
    /// Project holding the workspaces
    #[arg(long, value_name = "PROJECT")]
    pub project: String,
    /// Workspace to set up (repeatable)
    #[arg(
        long = "workspace",
        value_name = "WS",
        required_unless_present_any = ["all_workspaces", "stack"],
        conflicts_with = "all_workspaces"
    )]
    pub workspaces: Vec<String>,
    /// Every workspace in the project (one workspace:* trust pattern)
    #[arg(long)]
    pub all_workspaces: bool,
    /// A Stack of the project instead of workspaces (trusts its deployments, writes no variables)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["workspaces", "all_workspaces"])]
    pub stack: Option<String>,
    /// A deployment of the Stack (repeatable) [default: every deployment]
    #[arg(long = "deployment", value_name = "D", requires = "stack")]
    pub deployments: Vec<String>,
    #[command(flatten)]
    pub role: RoleArgs,
    /// Variable set name with --target varset [default: aws-oidc-<role-name>]
    #[arg(long, value_name = "NAME")]
    pub varset_name: Option<String>,
}

/// The role, its permissions and where its variables go: the same flags for `setup`, `export`
/// and `migrate`.
#[derive(Debug, Clone, Args)]
pub struct RoleArgs {
    /// IAM role name [default: tfc-<org>-<project>, sanitised to IAM's rules]
    #[arg(long, value_name = "NAME")]
    pub role_name: Option<String>,
    /// Managed policy to attach (repeatable)
    #[arg(long = "policy-arn", value_name = "ARN")]
    pub policy_arns: Vec<String>,
    /// Inline policy JSON to put on the role
    #[arg(long, value_name = "FILE")]
    pub policy_file: Option<PathBuf>,
    /// Give the role no permissions
    #[arg(long, conflicts_with_all = ["policy_arns", "policy_file"])]
    pub no_policy: bool,
    /// Separate plan and apply roles (TFC_AWS_PLAN_ROLE_ARN / TFC_AWS_APPLY_ROLE_ARN); the
    /// policies above go to the apply role, the plan role gets ReadOnlyAccess
    #[arg(long)]
    pub split_roles: bool,
    /// With --split-roles: managed policy for the plan role instead of ReadOnlyAccess (repeatable)
    #[arg(long = "plan-policy-arn", value_name = "ARN", requires = "split_roles")]
    pub plan_policy_arns: Vec<String>,
    /// With --split-roles: inline policy JSON for the plan role instead of ReadOnlyAccess
    #[arg(long, value_name = "FILE", requires = "split_roles")]
    pub plan_policy_file: Option<PathBuf>,
    /// Token audience (also set as TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE when not the default)
    #[arg(long, value_name = "AUD", default_value = crate::core::answers::DEFAULT_AUDIENCE)]
    pub audience: String,
    /// Where the variables go: on each workspace, or in a variable set (--varset-name)
    #[arg(long, value_enum, default_value_t = Target::Workspace)]
    pub target: Target,
    /// Thumbprint for a new OIDC provider (40 hex); by default none, IAM uses its CA library
    #[arg(long, value_name = "HEX", conflicts_with = "compute_thumbprint")]
    pub thumbprint: Option<String>,
    /// Fetch the issuer's TLS chain and use the SHA-1 of its top intermediate CA
    #[arg(long)]
    pub compute_thumbprint: bool,
    /// Reuse an existing role that tfc-oidc did not make for this organization and project
    #[arg(long)]
    pub adopt_role: bool,
    /// Allow AdministratorAccess on a role trusted for plan runs or several workspaces
    #[arg(long)]
    pub allow_admin: bool,
    /// Create the OIDC provider although roles that already trust it admit any organization or
    /// hold administrator permissions for several workspaces (they become assumable again)
    #[arg(long)]
    pub allow_dormant_trust: bool,
    /// A tagged configuration for another AWS account (variables get the _TAG suffix)
    #[arg(long, value_name = "TAG")]
    pub alias: Option<String>,
}

/// What `guardrail` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GuardrailFormat {
    /// The policy document
    #[default]
    Json,
    /// An aws_organizations_policy (and a commented attachment)
    Terraform,
    /// A template with an AWS::Organizations::Policy
    Cloudformation,
}

/// `guardrail`.
#[derive(Debug, Clone, Args)]
pub struct GuardrailArgs {
    /// HCP Terraform organization whose runs may assume roles (repeatable)
    #[arg(long = "org", value_name = "ORG", required = true)]
    pub organizations: Vec<String>,
    /// Issuer host to guard (repeatable) [default: the HCP Terraform host: --hostname, TFE_HOSTNAME, app.terraform.io]
    #[arg(long = "host", value_name = "HOST")]
    pub hosts: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = GuardrailFormat::Json)]
    pub format: GuardrailFormat,
}

/// `permissions`.
#[derive(Debug, Clone, Args)]
pub struct PermissionsArgs {
    /// The command: setup, migrate, review, explain, verify, activity, undo or guardrail
    #[arg(value_name = "COMMAND")]
    pub command: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `man`.
#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// The command whose page to print (setup, migrate, review, …) [default: tfc-oidc itself]
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
    /// Write every page (tfc-oidc.1, tfc-oidc-setup.1, …) into DIR instead of printing one
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct UndoArgs {
    /// Print what would be reverted and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Revert without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

// --- setup and export ---

/// `setup`: the choices, and how to go about applying them.
#[derive(Debug, Clone, Args)]
#[command(after_help = crate::cli::examples::SETUP)]
pub struct SetupCommand {
    #[command(flatten)]
    pub choices: SetupArgs,
    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Apply without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The code `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Cloudformation,
    Terraform,
}

/// `export`: the same choices as `setup`, written as code.
#[derive(Debug, Clone, Args)]
#[command(after_help = crate::cli::examples::EXPORT)]
pub struct ExportArgs {
    #[command(flatten)]
    pub choices: SetupArgs,
    /// The code to write [default: from the --output file's extension: .tf, .yaml/.yml]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Write to FILE instead of printing
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the --output file if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
}

// --- verify and activity ---

/// `verify`.
#[derive(Debug, Clone, Args)]
#[command(after_help = crate::cli::examples::VERIFY)]
pub struct VerifyArgs {
    /// HCP Terraform organization
    #[arg(long, value_name = "ORG")]
    pub org: String,
    /// Workspace to verify
    #[arg(long, value_name = "WS")]
    pub workspace: String,
    /// Give up following the run after this long (90s, 10m, 1h)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = crate::cli::duration::parse_duration)]
    pub timeout: std::time::Duration,
    /// Queue the run without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// First wait between two polls of the run (it grows to 10s while nothing changes)
    #[arg(long, value_name = "DURATION", default_value = "1s", hide = true, value_parser = crate::cli::duration::parse_duration)]
    pub poll_interval: std::time::Duration,
}

/// `activity`.
#[derive(Debug, Clone, Args)]
pub struct ActivityArgs {
    /// Only runs of this HCP Terraform organization (from the token's subject)
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// Only this IAM role (name or ARN)
    #[arg(long, value_name = "NAME")]
    pub role: Option<String>,
    /// How far back to look; longer than 90 days is capped at 90 (CloudTrail's event history keeps no more)
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = crate::cli::duration::parse_duration)]
    pub since: std::time::Duration,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

// --- migrate ---

/// `migrate`. The role flags are `setup`'s; their help says what differs here.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("scope").required(true).args(["workspaces", "project", "all"])))]
#[command(after_help = crate::cli::examples::MIGRATE)]
#[command(mut_arg("role_name", |a| a.help(
    "IAM role name [default: tfc-<org>-<project> for each project migrated, sanitised to IAM's rules]"
)))]
#[command(mut_arg("target", |a| a.help(
    "Where the variables go: on each workspace, or in one variable set per project (aws-oidc-<role-name>)"
)))]
pub struct MigrateArgs {
    /// HCP Terraform organization
    #[arg(long, value_name = "ORG")]
    pub org: String,
    /// Workspace to migrate (repeatable)
    #[arg(long = "workspace", value_name = "WS")]
    pub workspaces: Vec<String>,
    /// Every workspace of this project that receives static keys
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,
    /// Every workspace of the organization that receives static keys
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub role: RoleArgs,
    /// Give each role what its workspaces' key's IAM user may do: its own and its groups'
    /// managed policies, their inline policies copied, its permissions boundary; users with
    /// different permissions get different roles [default when no --policy-arn, --policy-file
    /// or --no-policy is given]
    #[arg(long, conflicts_with_all = ["policy_arns", "policy_file", "no_policy"])]
    pub same_permissions: bool,
    /// Also mark the IAM access keys Inactive (never deleted) once no workspace uses them
    #[arg(long)]
    pub deactivate_keys: bool,
    /// Reach AWS account ACCOUNT through profile PROFILE (repeatable): the roles of workspaces
    /// whose keys are that account's are made there
    #[arg(long = "account-profile", value_name = "ACCOUNT=PROFILE", value_parser = crate::cli::account_ports::parse_account_profile)]
    pub account_profiles: Vec<crate::cli::account_ports::AccountProfile>,
    /// After the apply, queue a plan-only run on each migrated workspace (as verify does) and
    /// report whether it authenticated; --deactivate-keys then deactivates only keys all of
    /// whose workspaces did, in a second step
    #[arg(long)]
    pub verify: bool,
    /// Deactivate keys even when CloudTrail or IAM shows them used outside HCP Terraform in the
    /// last 90 days
    #[arg(long)]
    pub deactivate_used_keys: bool,
    /// With --verify: give up following each workspace's run after this long (90s, 10m, 1h)
    #[arg(long, value_name = "DURATION", default_value = "10m", requires = "verify", value_parser = crate::cli::duration::parse_duration)]
    pub timeout: std::time::Duration,
    /// With --verify: first wait between two polls of a run
    #[arg(long, value_name = "DURATION", default_value = "1s", hide = true, requires = "verify", value_parser = crate::cli::duration::parse_duration)]
    pub poll_interval: std::time::Duration,
    /// Print what was found and the plan, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Apply without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

// --- review ---

/// Output of `review`: text for people, JSON for programs, SARIF for code scanning, Markdown
/// for pull-request comments and tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReviewFormat {
    #[default]
    Text,
    Json,
    Sarif,
    Markdown,
}

/// The lowest severity that makes `review` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FailOn {
    Critical,
    #[default]
    High,
    Medium,
    Low,
    Never,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = crate::cli::examples::REVIEW)]
pub struct ReviewArgs {
    /// HCP Terraform organization
    #[arg(long, value_name = "ORG")]
    pub org: String,
    /// Only this project's workspaces (variable sets and roles are still read in full)
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    pub format: ReviewFormat,
    /// Exit 1 when a finding at or above this severity exists
    #[arg(long, value_enum, default_value_t = FailOn::High, value_name = "LEVEL")]
    pub fail_on: FailOn,
    /// Do not read CloudTrail's event history (findings TFCOIDC015 and TFCOIDC016)
    #[arg(long)]
    pub no_activity: bool,
    /// Leave out the findings an earlier `review --format json` output FILE holds (matched by
    /// id and resource); the exit code counts only new findings
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<std::path::PathBuf>,
}

/// A run phase for `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PhaseArg {
    Plan,
    Apply,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = crate::cli::examples::EXPLAIN)]
pub struct ExplainArgs {
    /// HCP Terraform organization
    #[arg(long, value_name = "ORG")]
    pub org: String,
    /// Project of the workspace or Stack
    #[arg(long, value_name = "PROJECT")]
    pub project: String,
    /// Workspace whose run to explain
    #[arg(long, value_name = "WS", required_unless_present = "stack")]
    pub workspace: Option<String>,
    /// Run phase (for a Stack, the same as --operation)
    #[arg(long, value_enum, required_unless_present = "operation")]
    pub phase: Option<PhaseArg>,
    /// Evaluate this role [default: the role the workspace's variables name for the phase;
    /// required with --stack]
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// Use the tagged configuration TAG (TFC_AWS_*_TAG variables) instead of the default one
    #[arg(long, value_name = "TAG", conflicts_with = "stack")]
    pub alias: Option<String>,
    /// A Stack instead of a workspace: explain one of its deployments' operations
    #[arg(long, value_name = "NAME", conflicts_with = "workspace", requires_all = ["deployment", "role_arn"])]
    pub stack: Option<String>,
    /// The Stack's deployment
    #[arg(long, value_name = "D", requires = "stack")]
    pub deployment: Option<String>,
    /// The Stack operation
    #[arg(long, value_enum, requires = "stack", conflicts_with = "phase")]
    pub operation: Option<PhaseArg>,
    /// The audience of the Stack's identity_token block [default: aws.workload.identity]
    #[arg(long, value_name = "AUD", requires = "stack")]
    pub audience: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}
