//! `migrate`'s proof before deactivation: the key deactivations are taken out of the plan before
//! it is shown, looked at for use outside HCP Terraform, and either put back (no `--verify`,
//! with a warning that they are unproven) or held until `--verify`'s runs prove every workspace
//! of a key authenticates, then applied as a second, journaled plan. After the apply, what is
//! left to do for each key's IAM user is read and said.

use crate::cli::args::{GlobalArgs, MigrateArgs};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::flow::{confirm_and_apply, Flow, FlowOptions};
use crate::cli::output;
use crate::cli::output::escape;
use crate::core::migrate::deactivation::{self, Deactivations, Proof};
use crate::core::migrate::key_use::look_for_uses;
use crate::core::migrate::leftovers::{migrated_keys_by_user, what_is_left, UserLeft};
use crate::core::migrate::verification::{to_verify, verify_migrated, Verified};
use crate::core::migrate::Migration;
use crate::core::plan::{Plan, PlannedChange};
use crate::core::ports::AuditTrail;
use crate::core::verify::follow::FollowOptions;
use crate::core::verify::VerifyEvent;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// Attempts per CloudTrail page: one retry, then the look for use goes on without it.
const TRAIL_ATTEMPTS: u32 = 2;

/// CloudTrail of the account (the sandbox's in `--demo`).
pub async fn trail(global: &GlobalArgs, ports: &Ports) -> Arc<dyn AuditTrail> {
    match ports.sandbox() {
        Some(sb) => sb.iam.clone(),
        None => {
            let sdk =
                crate::aws::load_sdk_config(global.profile.as_deref(), global.region.as_deref())
                    .await;
            Arc::new(crate::aws::CloudTrailClient::with_attempts(
                &sdk,
                TRAIL_ATTEMPTS,
            ))
        }
    }
}

/// What the apply leaves for the proof.
pub struct Pending {
    /// With `--verify`: the deactivations held back until the workspaces are proven.
    held: Vec<PlannedChange>,
    /// Without `--verify`: what was decided before the apply.
    decided: Option<Deactivations>,
    key_workspaces: BTreeMap<String, BTreeSet<String>>,
    to_verify: Vec<(String, String)>,
    by_user: BTreeMap<String, BTreeSet<String>>,
    /// Keys a workspace still receives after the plan.
    still_received: BTreeSet<String>,
}

/// Before the plan is shown: the deactivations looked at and put back, or held for the proof.
pub async fn prepare(
    ports: &Ports,
    trail: &dyn AuditTrail,
    args: &MigrateArgs,
    migration: &mut Migration,
) -> Pending {
    let candidates = deactivation::take_deactivations(&mut migration.plan);
    let key_workspaces = deactivation::key_workspaces(migration);
    let still: BTreeSet<&str> = migration
        .still_receiving
        .iter()
        .map(|s| s.workspace.as_str())
        .collect();
    let still_received = key_workspaces
        .iter()
        .filter(|(_, ws)| ws.iter().any(|w| still.contains(w.as_str())))
        .map(|(k, _)| k.clone())
        .collect();
    let mut pending = Pending {
        held: Vec::new(),
        decided: None,
        to_verify: to_verify(migration),
        by_user: migrated_keys_by_user(&migration.keys),
        key_workspaces,
        still_received,
    };
    if args.verify {
        migration
            .plan
            .notes
            .extend(deactivation::deferred_note(&candidates));
        pending.held = candidates;
    } else if !candidates.is_empty() {
        let keys = deactivation::candidate_keys(&candidates);
        let now = OffsetDateTime::now_utc();
        let uses = look_for_uses(ports.iam.as_ref(), Some(trail), &keys, now, None).await;
        let proof = Proof {
            key_workspaces: &pending.key_workspaces,
            verified: None,
            uses,
            deactivate_used: args.deactivate_used_keys,
        };
        let decided = deactivation::decide(candidates, proof);
        deactivation::put_back(&mut migration.plan, &decided);
        pending.decided = Some(decided);
    }
    pending
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
pub async fn after_apply(
    ports: &Ports,
    trail: &dyn AuditTrail,
    args: &MigrateArgs,
    base: &Plan,
    pending: Pending,
    removed_at: OffsetDateTime,
) -> Result<Proven, CliError> {
    let json = args.format == crate::cli::args::Format::Json;
    let verified = match args.verify {
        true => Some(verify_all(ports, args, &pending.to_verify, json).await),
        false => None,
    };
    if let (Some(v), false) = (&verified, json) {
        print!(
            "\n{}",
            crate::cli::migrate_proof_output::verification_text(v)
        );
    }
    let mut decided = pending.decided;
    let mut deactivated_after_proof = false;
    if let (Some(v), false) = (&verified, pending.held.is_empty()) {
        let keys = deactivation::candidate_keys(&pending.held);
        let now = OffsetDateTime::now_utc();
        let iam = ports.iam.as_ref();
        let uses = look_for_uses(iam, Some(trail), &keys, now, Some(removed_at)).await;
        let proof = Proof {
            key_workspaces: &pending.key_workspaces,
            verified: Some(v),
            uses,
            deactivate_used: args.deactivate_used_keys,
        };
        let d = deactivation::decide(pending.held, proof);
        let plan = deactivation::second_plan(base, &d);
        let colour = output::colour_enabled();
        let show = |p: &Plan| print!("\n{}", output::plan_text(p, colour));
        let opts = FlowOptions::apply(false, args.yes, json);
        deactivated_after_proof = matches!(
            confirm_and_apply(plan, ports, opts, &show).await?,
            Flow::Applied { .. }
        );
        decided = Some(d);
    }
    let mut still_used = pending.still_received;
    still_used.extend(
        decided
            .iter()
            .flat_map(|d| d.kept.iter().map(|k| k.key_id.clone())),
    );
    let left = what_is_left(ports.iam.as_ref(), &pending.by_user, &still_used).await;
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
