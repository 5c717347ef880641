//! Which keys `--deactivate-keys` really deactivates. The migration plan ends with a
//! `SetAccessKeyStatus Inactive` for each key no workspace receives any more; before any is
//! applied they are taken out ([`take_deactivations`]) and decided on ([`decide`]):
//!
//! - with `--verify`, only keys all of whose workspaces authenticated are deactivated, in a
//!   second plan of their own ([`second_plan`]) applied after the verification, so `undo`
//!   reactivates them like any change;
//! - without it, they go back into the plan ([`put_back`]) with a warning that they are being
//!   deactivated unproven;
//! - either way, a key used outside HCP Terraform in the last 90 days stays active unless
//!   `--deactivate-used-keys` says otherwise.

use super::key_use::KeyUse;
use super::verification::Verified;
use super::Migration;
use crate::core::change::SetAccessKeyStatus;
use crate::core::plan::{mask_key_id, Change, Note, Plan, PlannedChange};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Why a key none of whose workspaces this run saw stays active.
pub const NOT_VERIFIED: &str = "no workspace of this run received it, so no run proves it can go: verify its workspaces with 'tfc-oidc verify', then deactivate it";

/// Why a key stays active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum KeptReason {
    /// A workspace that received the key did not authenticate through OIDC (or was not
    /// verified).
    NotAuthenticated { workspace: String, why: String },
    /// The key was used outside HCP Terraform recently (`--deactivate-used-keys` not given).
    UsedElsewhere,
    /// No workspace of this run received the key (an interrupted apply removed it), so no run
    /// proves it can go.
    NoWorkspaceVerified,
}

/// A key the migration would have deactivated, left active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeptActive {
    pub key_id: String,
    pub user: String,
    pub reasons: Vec<KeptReason>,
}

/// What was decided about the keys to deactivate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deactivations {
    /// The deactivations to apply (`SetAccessKeyStatus` changes, with their dependencies in the
    /// migration plan).
    pub deactivate: Vec<PlannedChange>,
    pub kept: Vec<KeptActive>,
    /// What was found about each candidate key's use, by key id.
    pub uses: BTreeMap<String, KeyUse>,
    /// No run proved the workspaces authenticate (no `--verify`).
    pub unproven: bool,
}

impl Deactivations {
    /// The key ids deactivated.
    pub fn key_ids(&self) -> Vec<String> {
        self.deactivate
            .iter()
            .filter_map(|c| key_of(c).map(|k| k.access_key_id.clone()))
            .collect()
    }
}

fn key_of(planned: &PlannedChange) -> Option<&SetAccessKeyStatus> {
    match &planned.change {
        Change::SetAccessKeyStatus(s) => Some(s),
        _ => None,
    }
}

/// Takes the key deactivations out of `plan` (nothing depends on them) and returns them, their
/// dependencies renumbered to the plan left.
pub fn take_deactivations(plan: &mut Plan) -> Vec<PlannedChange> {
    let all = std::mem::take(&mut plan.changes);
    let mut index: Vec<Option<usize>> = Vec::with_capacity(all.len());
    let (mut kept, mut taken) = (Vec::new(), Vec::new());
    for planned in all {
        if key_of(&planned).is_some() {
            index.push(None);
            taken.push(planned);
        } else {
            index.push(Some(kept.len()));
            kept.push(planned);
        }
    }
    let renumber = |deps: &[usize]| deps.iter().filter_map(|d| index[*d]).collect::<Vec<_>>();
    for planned in kept.iter_mut().chain(taken.iter_mut()) {
        planned.depends_on = renumber(&planned.depends_on);
    }
    plan.changes = kept;
    taken
}

/// The ids of the keys `changes` deactivate, with the account each is in.
pub fn candidate_keys(changes: &[PlannedChange]) -> Vec<(String, Option<String>)> {
    changes
        .iter()
        .filter_map(|c| key_of(c).map(|k| (k.access_key_id.clone(), c.account.clone())))
        .collect()
}

/// Key id → the migrated workspaces that received it.
pub fn key_workspaces(migration: &Migration) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_key: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for ws in &migration.workspaces {
        for key in ws.sources.iter().filter_map(|s| s.key_id.clone()) {
            by_key.entry(key).or_default().insert(ws.name.clone());
        }
    }
    by_key
}

/// What the decision rests on.
pub struct Proof<'a> {
    /// Key id → the workspaces that received it.
    pub key_workspaces: &'a BTreeMap<String, BTreeSet<String>>,
    /// The verification of the migrated workspaces; `None` without `--verify`.
    pub verified: Option<&'a [Verified]>,
    /// What was found about each key's use.
    pub uses: BTreeMap<String, KeyUse>,
    /// `--deactivate-used-keys`.
    pub deactivate_used: bool,
}

/// Why the key's workspaces do not prove it can go (empty: they do, or there is no proof to ask
/// for without `--verify`).
fn unproven_workspaces(key: &str, proof: &Proof) -> Vec<KeptReason> {
    let Some(verified) = proof.verified else {
        return Vec::new();
    };
    let Some(workspaces) = proof.key_workspaces.get(key).filter(|w| !w.is_empty()) else {
        return vec![KeptReason::NoWorkspaceVerified];
    };
    workspaces
        .iter()
        .filter_map(|ws| match verified.iter().find(|v| &v.workspace == ws) {
            Some(v) if v.authenticated => None,
            Some(v) => Some(KeptReason::NotAuthenticated {
                workspace: ws.clone(),
                why: v
                    .why
                    .clone()
                    .unwrap_or_else(|| "it did not authenticate".into()),
            }),
            None => Some(KeptReason::NotAuthenticated {
                workspace: ws.clone(),
                why: "it was not verified".into(),
            }),
        })
        .collect()
}

/// Decides which of `candidates` are deactivated.
pub fn decide(candidates: Vec<PlannedChange>, proof: Proof) -> Deactivations {
    let mut out = Deactivations {
        unproven: proof.verified.is_none(),
        ..Deactivations::default()
    };
    for planned in candidates {
        let Some(change) = key_of(&planned) else {
            continue;
        };
        let key = change.access_key_id.clone();
        let mut reasons = unproven_workspaces(&key, &proof);
        let used = proof.uses.get(&key).is_some_and(KeyUse::used_elsewhere);
        if used && !proof.deactivate_used {
            reasons.push(KeptReason::UsedElsewhere);
        }
        if reasons.is_empty() {
            out.deactivate.push(planned);
        } else {
            out.kept.push(KeptActive {
                key_id: key,
                user: change.user.clone(),
                reasons,
            });
        }
    }
    out.uses = proof.uses;
    out
}

/// Without `--verify`: the decided deactivations back at the end of `plan`, with the notes.
pub fn put_back(plan: &mut Plan, decided: &Deactivations) {
    plan.changes.extend(decided.deactivate.iter().cloned());
    plan.notes.extend(notes(decided));
}

/// With `--verify`: the plan of the deactivations alone, applied after the verification.
pub fn second_plan(base: &Plan, decided: &Deactivations) -> Plan {
    let changes = decided.deactivate.iter().map(|c| PlannedChange {
        change: c.change.clone(),
        depends_on: Vec::new(),
        account: c.account.clone(),
    });
    Plan {
        roles: Vec::new(),
        variables: Vec::new(),
        changes: changes.collect(),
        notes: notes(decided),
        fingerprint: format!("{}-deactivate", base.fingerprint),
        deployment_config: None,
        ..base.clone()
    }
}

fn masked(keys: &[String]) -> String {
    let masked: Vec<String> = keys.iter().map(|k| mask_key_id(k)).collect();
    crate::core::text::and_list(&masked)
}

/// With `--verify`: the plan says the keys wait for the proof.
pub fn deferred_note(candidates: &[PlannedChange]) -> Option<Note> {
    let keys: Vec<String> = candidate_keys(candidates)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    (!keys.is_empty()).then(|| {
        Note::info(
            "access keys",
            format!(
                "access key{} {} will be deactivated only after the verification runs prove every workspace that used {} authenticates through OIDC, in a second step",
                if keys.len() == 1 { "" } else { "s" },
                masked(&keys),
                if keys.len() == 1 { "it" } else { "them" },
            ),
        )
    })
}

/// The notes of a decision: the keys deactivated unproven, and each key kept active and why.
pub fn notes(decided: &Deactivations) -> Vec<Note> {
    let mut notes = Vec::new();
    let keys = decided.key_ids();
    if decided.unproven && !keys.is_empty() {
        notes.push(Note::warning(
            "access keys",
            format!(
                "access key{} {} {} being deactivated unproven: no run has shown the workspaces authenticate through OIDC yet (--verify proves it first)",
                if keys.len() == 1 { "" } else { "s" },
                masked(&keys),
                if keys.len() == 1 { "is" } else { "are" },
            ),
        ));
    }
    for key in &keys {
        if let Some(why) = decided.uses.get(key).and_then(|u| u.trail_unread.as_ref()) {
            let key = mask_key_id(key);
            notes.push(Note::warning(
                format!("access key {key}"),
                format!("CloudTrail's event history could not be read for access key {key} ({why}): only IAM's last use was checked for its use outside HCP Terraform"),
            ));
        }
    }
    for kept in &decided.kept {
        let key = mask_key_id(&kept.key_id);
        let why: Vec<String> = kept
            .reasons
            .iter()
            .map(|r| match r {
                KeptReason::NotAuthenticated { workspace, why } => {
                    format!("workspace {workspace} did not authenticate ({why})")
                }
                KeptReason::UsedElsewhere => used_text(decided.uses.get(&kept.key_id)),
                KeptReason::NoWorkspaceVerified => NOT_VERIFIED.into(),
            })
            .collect();
        notes.push(Note::warning(
            format!("access key {key}"),
            format!(
                "access key {key} of user {} stays active: {}",
                kept.user,
                why.join("; ")
            ),
        ));
    }
    notes
}

/// `it was used outside HCP Terraform: s3.amazonaws.com ListBuckets from 203.0.113.9 (aws-cli/2…)
/// at T` — the newest use, and how many there were.
pub fn used_text(found: Option<&KeyUse>) -> String {
    let Some(found) = found else {
        return "it was used outside HCP Terraform".into();
    };
    let mut text = String::from("it was used outside HCP Terraform");
    if let Some(e) = found.elsewhere.first() {
        text.push_str(&format!(
            ": {} {} from {} ({}) at {}",
            e.event_source, e.event_name, e.source_ip, e.user_agent, e.time
        ));
        if found.elsewhere_count > 1 {
            text.push_str(&format!(
                ", {} calls in the last 90 days",
                found.elsewhere_count
            ));
        }
    } else if found.used_after_removal {
        text.push_str(&format!(
            ": IAM saw it used at {} ({}), after its variables were removed",
            found.last_used.as_deref().unwrap_or("?"),
            found.last_service.as_deref().unwrap_or("unknown service"),
        ));
    }
    text.push_str("; --deactivate-used-keys deactivates it anyway");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::AccessKeyStatus;

    fn deactivate(key: &str) -> PlannedChange {
        PlannedChange {
            change: Change::SetAccessKeyStatus(SetAccessKeyStatus {
                user: "ci".into(),
                access_key_id: key.into(),
                status: AccessKeyStatus::Inactive,
            }),
            depends_on: vec![],
            account: None,
        }
    }

    #[test]
    fn with_verify_a_key_no_workspace_of_this_run_received_stays_active() {
        let none = BTreeMap::new();
        let proof = Proof {
            key_workspaces: &none,
            verified: Some(&[]),
            uses: BTreeMap::new(),
            deactivate_used: true,
        };
        let decided = decide(vec![deactivate("AKIARESUMED00001")], proof);
        assert!(decided.deactivate.is_empty());
        assert_eq!(decided.kept[0].reasons, [KeptReason::NoWorkspaceVerified]);
        let proof = Proof {
            key_workspaces: &none,
            verified: None,
            uses: BTreeMap::new(),
            deactivate_used: false,
        };
        let unproven = decide(vec![deactivate("AKIARESUMED00001")], proof);
        assert_eq!(unproven.key_ids(), ["AKIARESUMED00001"]);
        assert!(notes(&unproven)[0].text.contains("deactivated unproven"));
    }
}
