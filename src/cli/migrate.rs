//! `tfc-oidc migrate`: find the workspaces that receive static AWS keys, set up OIDC for them and
//! remove the keys, through the same plan → confirm → journal → apply flow as `setup`.

use crate::cli::account_ports::profiles_by_account;
use crate::cli::account_ports::{connect_accounts, offered_flags, profile_accounts};
use crate::cli::args::{Format, GlobalArgs, MigrateArgs, RoleArgs, SetupArgs, Target};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::flow::{confirm_and_apply, Flow, FlowOptions};
use crate::cli::migrate_output as out;
use crate::cli::migrate_proof as proof;
use crate::cli::output;
use crate::core::journal::{Journal, RecordKind};
use crate::core::migrate::UnreachableAccount;
use crate::core::migrate::{plan_migration_in, MigrateRequest, Migration, MigrationScope};
use crate::core::plan::{Change, Plan};

/// Runs `migrate`.
pub async fn run(global: &GlobalArgs, args: &MigrateArgs) -> Result<(), CliError> {
    let profiles = profiles_by_account(&args.account_profiles)?;
    let mut ports = Ports::connect(global).await?;
    let region = global.region.as_deref();
    ports.accounts = connect_accounts(&profiles, region, ports.sandbox()).await?;
    let result = migrate(global, &ports, args).await;
    ports.finish()?;
    result
}

/// Setup's flags for the role, so setup's reading and checking of them (policy file, thumbprint,
/// audience) is the one used. The project and workspace are placeholders: migrate fills them in
/// per project.
fn role_flags(args: &MigrateArgs) -> SetupArgs {
    SetupArgs {
        org: args.org.clone(),
        project: "Default Project".into(),
        workspaces: vec!["placeholder".into()],
        all_workspaces: false,
        stack: None,
        deployments: Vec::new(),
        role: RoleArgs {
            // The key's user's permissions replace setup's choice (read once the keys are).
            no_policy: args.role.no_policy || same_permissions(args),
            ..args.role.clone()
        },
        varset_name: None,
    }
}

/// `--same-permissions`, or no permissions flag at all: the key's user's permissions are the
/// default (a user that cannot be read then asks for a flag).
fn same_permissions(args: &MigrateArgs) -> bool {
    let role = &args.role;
    let chosen = !role.policy_arns.is_empty() || role.policy_file.is_some() || role.no_policy;
    args.same_permissions || !chosen
}

/// Turns the flags into the core's request (host from the connected HCP Terraform).
pub async fn request_from(args: &MigrateArgs, host: &str) -> Result<MigrateRequest, CliError> {
    let answers = crate::cli::setup::answers_from(&role_flags(args), host).await?;
    let scope = match (&args.project, args.all) {
        (Some(p), _) => MigrationScope::Project(p.clone()),
        (None, true) => MigrationScope::All,
        (None, false) => {
            let mut names: Vec<String> = Vec::new();
            for n in &args.workspaces {
                if !names.contains(n) {
                    names.push(n.clone());
                }
            }
            MigrationScope::Workspaces(names)
        }
    };
    Ok(MigrateRequest {
        host: host.to_string(),
        organization: args.org.clone(),
        scope,
        role_name: args.role.role_name.clone(),
        split_roles: answers.split_roles,
        permissions: answers.permissions,
        plan_permissions: answers.plan_permissions,
        audience: answers.audience,
        varset: args.role.target == Target::Varset,
        thumbprints: answers.thumbprints,
        adopt_role: answers.adopt_role,
        allow_admin: answers.allow_admin,
        allow_dormant_trust: answers.allow_dormant_trust,
        alias: answers.alias,
        deactivate_keys: args.deactivate_keys,
        same_permissions: same_permissions(args),
    })
}

/// The changes an interrupted apply of the same request made: the newest record, unfinished,
/// with this fingerprint (the re-run continues it).
fn resumed(journal: &Journal, fingerprint: &str) -> Vec<Change> {
    let Some(last) = journal.records().pop() else {
        return Vec::new();
    };
    let same = last.kind() == Some(RecordKind::Apply) && last.fingerprint() == Some(fingerprint);
    if !same || last.is_complete() || last.is_reverted() {
        return Vec::new();
    }
    last.done().into_iter().map(|(c, _)| c.clone()).collect()
}

async fn migrate(global: &GlobalArgs, ports: &Ports, args: &MigrateArgs) -> Result<(), CliError> {
    let req = request_from(args, ports.tfc.host()).await?;
    let _lock = match args.dry_run {
        true => None,
        false => Some(crate::cli::run_apply::lock(ports).await?),
    };
    let earlier = resumed(&ports.journal, &req.fingerprint());
    let mut migration = plan_migration_in(
        &req,
        (ports.iam.as_ref(), &ports.accounts),
        ports.tfc.as_ref(),
        &earlier,
        &|_| {},
    )
    .await?;
    let pending = proof::prepare(ports, args, &mut migration).await;
    // The SDK's region, for asking profiles their account when one is unreachable.
    let region = global.region.as_deref();
    let colour = output::colour_enabled();
    let json = args.format == Format::Json;
    let now = time::OffsetDateTime::now_utc();
    let Migration {
        workspaces,
        keys,
        plan,
        still_receiving,
        users,
        unreachable,
    } = migration;
    let unreachable = with_offered_flags(unreachable, ports, region).await;
    let found = out::Found {
        workspaces: &workspaces,
        keys: &keys,
        users: &users,
        unreachable: &unreachable,
        now,
    };
    let show = |plan: &Plan| {
        print!("{}", out::discovery_text(&found, &plan.organization));
        print!("\n{}", output::plan_text(plan, colour));
    };
    let document = |plan: &Plan, report, applied| {
        out::migrate_json(plan, report, applied, &found, &still_receiving)
    };
    let opts = FlowOptions::apply(args.dry_run, args.yes, json);
    match confirm_and_apply(plan, ports, opts, &show).await? {
        Flow::DryRun(plan) if json => println!("{}", document(&plan, None, false)),
        Flow::DryRun(plan) => show(&plan),
        Flow::NothingToDo(plan) if json && pending.held.is_empty() => {
            println!("{}", document(&plan, None, true))
        }
        Flow::NothingToDo(plan) if pending.held.is_empty() => {
            show(&plan);
            print!("\n{}", out::after_text(&plan, &still_receiving, colour));
        }
        // Only held deactivations (a resumed apply): they still get their proof, never dropped.
        Flow::NothingToDo(plan) => {
            if !json {
                show(&plan);
            }
            let doc = json.then(|| document(&plan, None, true));
            return proof::prove_and_print(ports, args, &plan, pending, now, doc).await;
        }
        Flow::Cancelled => {}
        Flow::Applied { report, .. } => {
            let plan = &report.plan;
            if !json {
                print!("\n{}", out::after_text(plan, &still_receiving, colour));
            }
            let doc = json.then(|| document(plan, Some(&report), true));
            return proof::prove_and_print(ports, args, plan, pending, now, doc).await;
        }
    }
    Ok(())
}

/// The accounts no profile reaches, each with the `--account-profile` flags that would (from
/// the profiles configured on this machine).
async fn with_offered_flags(
    unreachable: Vec<UnreachableAccount>,
    ports: &Ports,
    region: Option<&str>,
) -> Vec<out::Unreachable> {
    let profiles = match unreachable.is_empty() {
        true => Vec::new(),
        false => profile_accounts(ports.sandbox().is_some(), region).await,
    };
    unreachable
        .into_iter()
        .map(|account| out::Unreachable {
            flags: offered_flags(&account.account, &profiles),
            account,
        })
        .collect()
}
