//! `migrate`'s proof before deactivation: the key deactivations are taken out of the plan before
//! it is shown, looked at for use outside HCP Terraform, and either put back (no `--verify`,
//! with a warning that they are unproven) or held until `--verify`'s runs prove every workspace
//! of a key authenticates, then applied as a second, journaled plan. After the apply, what is
//! left to do for each key's IAM user is read and said.

use crate::cli::args::MigrateArgs;
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::flow::{confirm_and_apply, Flow, FlowOptions};
use crate::cli::output;
use crate::cli::output::escape;
use crate::core::accounts::AwsReach;
use crate::core::migrate::deactivation::{self, Deactivations};
use crate::core::migrate::leftovers::UserLeft;
use crate::core::migrate::proof::{self, Held, ProofChoices};
use crate::core::migrate::verification::{verify_migrated, Verified};
use crate::core::migrate::Migration;
use crate::core::plan::Plan;
use crate::core::verify::follow::FollowOptions;
use crate::core::verify::VerifyEvent;
use std::time::Duration;
use time::OffsetDateTime;

/// Every account this run reaches, with its IAM and CloudTrail (the bundle's: two attempts per
/// page, then the look for use goes on without it).
fn reach(ports: &Ports) -> AwsReach<'_> {
    AwsReach {
        iam: ports.iam.as_ref(),
        trail: ports.trail.as_deref(),
        accounts: &ports.accounts,
    }
}

/// Before the plan is shown: the deactivations looked at and put back, or held for the proof.
pub async fn prepare(ports: &Ports, args: &MigrateArgs, migration: &mut Migration) -> Held {
    let choices = ProofChoices {
        verify: args.verify,
        deactivate_used: args.deactivate_used_keys,
    };
    proof::hold_deactivations(reach(ports), choices, migration).await
}

/// What the proof found after the apply.
pub struct Proven {
    /// `None` without `--verify`.
    pub verified: Option<Vec<Verified>>,
    pub decided: Option<Deactivations>,
    /// The second plan (the deactivations after verification) was applied.
    pub deactivated_after_proof: bool,
    pub left: Vec<UserLeft>,
}

impl Proven {
    /// The workspaces that did not authenticate.
    pub fn failed(&self) -> Vec<&Verified> {
        let all = self.verified.iter().flatten();
        all.filter(|v| !v.authenticated).collect()
    }
}

/// After the apply (`removed_at`: when it started): verification, the held deactivations as a
/// second plan (confirmed, journaled and applied like the first), then what is left to do.
async fn after_apply(
    ports: &Ports,
    args: &MigrateArgs,
    base: &Plan,
    mut held: Held,
    removed_at: OffsetDateTime,
) -> Result<Proven, CliError> {
    let json = args.format == crate::cli::args::Format::Json;
    let verified = match args.verify {
        true => Some(verify_all(ports, args, &held.to_verify, json).await),
        false => None,
    };
    if let (Some(v), false) = (&verified, json) {
        print!(
            "\n{}",
            crate::cli::migrate_proof_output::verification_text(v)
        );
    }
    let mut decided = held.decided.take();
    let mut deactivated_after_proof = false;
    if let Some(v) = &verified {
        let used = args.deactivate_used_keys;
        let d = proof::decide_after_verification(reach(ports), &mut held, v, removed_at, used);
        if let Some(d) = d.await {
            let plan = deactivation::second_plan(base, &d);
            let colour = output::colour_enabled();
            let show = |p: &Plan| {
                println!("\nEvery workspace of these keys authenticated: the second step deactivates them.");
                print!("\n{}", output::plan_text(p, colour));
            };
            let opts = FlowOptions::apply(false, args.yes, json);
            deactivated_after_proof = matches!(
                confirm_and_apply(plan, ports, opts, &show).await?,
                Flow::Applied { .. }
            );
            decided = Some(d);
        }
    }
    let left = proof::left_to_do(reach(ports), &held, decided.as_ref()).await;
    Ok(Proven {
        verified,
        decided,
        deactivated_after_proof,
        left,
    })
}

async fn verify_all(
    ports: &Ports,
    args: &MigrateArgs,
    workspaces: &[(String, String)],
    json: bool,
) -> Vec<Verified> {
    if workspaces.is_empty() {
        return Vec::new();
    }
    eprintln!(
        "Verifying {} migrated workspace{}: a plan-only run each (it can never be applied) shows whether runs authenticate through OIDC.",
        workspaces.len(),
        if workspaces.len() == 1 { "" } else { "s" }
    );
    let options = FollowOptions {
        timeout: args.timeout,
        first_interval: args.poll_interval.max(Duration::from_millis(10)),
        ..FollowOptions::default()
    };
    let on_event = |ws: &str, e: VerifyEvent| {
        if let VerifyEvent::Queued(run) = e {
            if !json {
                eprintln!(
                    "  {}: queued run {} — {}",
                    escape(ws),
                    escape(&run.id),
                    run.url
                );
            }
        }
    };
    let tfc = ports.tfc.as_ref();
    verify_migrated(
        tfc,
        ports.iam.as_ref(),
        &args.org,
        workspaces,
        options,
        &on_event,
    )
    .await
}

/// Runs the proof after the apply ([`after_apply`]) and prints it: into `doc` (the migrate
/// JSON document) when there is one, as text otherwise. Exit 1 when a workspace did not
/// authenticate.
pub async fn prove_and_print(
    ports: &Ports,
    args: &MigrateArgs,
    plan: &Plan,
    held: Held,
    removed_at: OffsetDateTime,
    doc: Option<serde_json::Value>,
) -> Result<(), CliError> {
    let proven = after_apply(ports, args, plan, held, removed_at).await?;
    match doc {
        Some(mut doc) => {
            crate::cli::migrate_proof_output::add_proven_json(&mut doc, &proven);
            println!("{doc}");
        }
        None => print!("{}", crate::cli::migrate_proof_output::proven_text(&proven)),
    }
    exit_status(&proven)
}

/// Exit 1 when a migrated workspace did not authenticate: the migration is applied (undo
/// reverts it), but its proof failed and the report says why.
pub fn exit_status(proven: &Proven) -> Result<(), CliError> {
    let failed = proven.failed();
    if failed.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = failed.iter().map(|v| escape(&v.workspace)).collect();
    let total = proven.verified.as_ref().map_or(0, Vec::len);
    Err(CliError::failure(format!(
        "{} of {total} migrated workspace{} did not authenticate through OIDC ({}): their keys stay active; see the report above",
        failed.len(),
        if total == 1 { "" } else { "s" },
        crate::core::text::and_list(&names),
    )))
}
