//! The proof before deactivation, in the order every front runs it:
//!
//! 1. [`hold_deactivations`] before the plan is shown: the key deactivations are taken out of
//!    the migration plan and either decided at once (no `--verify`: use elsewhere looked for,
//!    put back with the unproven warning) or held for the proof;
//! 2. after the apply, the front verifies [`Held::to_verify`] (see [`super::verification`]);
//! 3. [`decide_after_verification`] decides the held keys; the front confirms and applies
//!    [`super::deactivation::second_plan`] like any plan (journaled, so `undo` reactivates);
//! 4. [`left_to_do`] says what is left for each key's IAM user.
//!
//! Fronts show the results from the core types: [`super::verification::Verified`],
//! [`Deactivations`] and [`super::leftovers::UserLeft`].

use super::deactivation::{self, Deactivations, Proof};
use super::key_use::look_for_uses;
use super::leftovers::{migrated_keys_by_user, user_accounts, what_is_left, UserLeft};
use super::verification::{to_verify, Verified};
use super::Migration;
use crate::core::accounts::AwsReach;
use crate::core::plan::PlannedChange;
use std::collections::{BTreeMap, BTreeSet};
use time::OffsetDateTime;

/// The user's choices about the proof.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProofChoices {
    /// `--verify`: prove the workspaces before any key is deactivated.
    pub verify: bool,
    /// `--deactivate-used-keys`.
    pub deactivate_used: bool,
}

/// What the apply leaves for the proof.
#[derive(Debug, Clone)]
pub struct Held {
    /// With `--verify`: the deactivations held back until the workspaces are proven.
    pub held: Vec<PlannedChange>,
    /// Without `--verify`: what was decided before the apply.
    pub decided: Option<Deactivations>,
    /// Key id → the migrated workspaces that received it.
    pub key_workspaces: BTreeMap<String, BTreeSet<String>>,
    /// The workspaces to verify, as (name, project).
    pub to_verify: Vec<(String, String)>,
    /// The migrated keys, by IAM user.
    pub by_user: BTreeMap<String, BTreeSet<String>>,
    /// The account of each of those users (`None`: the default credentials').
    pub user_accounts: BTreeMap<String, Option<String>>,
    /// Keys a workspace still receives after the plan.
    pub still_received: BTreeSet<String>,
}

/// Step 1: takes the deactivations out of `migration.plan`; without `--verify` decides them at
/// once (looking for use elsewhere) and puts the allowed ones back with the notes.
pub async fn hold_deactivations(
    reach: AwsReach<'_>,
    choices: ProofChoices,
    migration: &mut Migration,
) -> Held {
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
    let mut held = Held {
        held: Vec::new(),
        decided: None,
        to_verify: to_verify(migration),
        by_user: migrated_keys_by_user(&migration.keys),
        user_accounts: user_accounts(&migration.keys),
        key_workspaces,
        still_received,
    };
    if choices.verify {
        let note = deactivation::deferred_note(&candidates);
        migration.plan.notes.extend(note);
        held.held = candidates;
    } else if !candidates.is_empty() {
        let keys = deactivation::candidate_keys(&candidates);
        let now = OffsetDateTime::now_utc();
        let uses = look_for_uses(reach, &keys, now, None).await;
        let proof = Proof {
            key_workspaces: &held.key_workspaces,
            verified: None,
            uses,
            deactivate_used: choices.deactivate_used,
        };
        let decided = deactivation::decide(candidates, proof);
        deactivation::put_back(&mut migration.plan, &decided);
        held.decided = Some(decided);
    }
    held
}

/// Step 3: decides the held deactivations from the verification and the keys' use since
/// `removed_at` (when the apply began). `None` when nothing was held.
pub async fn decide_after_verification(
    reach: AwsReach<'_>,
    held: &mut Held,
    verified: &[Verified],
    removed_at: OffsetDateTime,
    deactivate_used: bool,
) -> Option<Deactivations> {
    if held.held.is_empty() {
        return None;
    }
    let candidates = std::mem::take(&mut held.held);
    let keys = deactivation::candidate_keys(&candidates);
    let now = OffsetDateTime::now_utc();
    let uses = look_for_uses(reach, &keys, now, Some(removed_at)).await;
    let proof = Proof {
        key_workspaces: &held.key_workspaces,
        verified: Some(verified),
        uses,
        deactivate_used,
    };
    Some(deactivation::decide(candidates, proof))
}

/// Step 4: what is left for each migrated key's IAM user (`decided`: the deactivation decision,
/// whose kept keys are still in use).
pub async fn left_to_do(
    reach: AwsReach<'_>,
    held: &Held,
    decided: Option<&Deactivations>,
) -> Vec<UserLeft> {
    let mut still_used = held.still_received.clone();
    still_used.extend(
        decided
            .iter()
            .flat_map(|d| d.kept.iter().map(|k| k.key_id.clone())),
    );
    what_is_left(reach, (&held.by_user, &held.user_accounts), &still_used).await
}
