//! The migrate path's proof before deactivation, on the app's side: what the planning held
//! (the deactivations, the workspaces left on their keys), when the apply began, and the
//! proof's news routed to Done.

use super::App;
use crate::core::migrate::proof::Held;
use crate::core::migrate::UnreachableAccount;
use crate::core::plan::mask_key_id;
use crate::tui::effects::Effect;
use crate::tui::msg::ProofNews;
use crate::tui::steps::done::proof::MigrationProof;
use crate::tui::steps::{Step, Task};
use time::OffsetDateTime;

/// What the migration's planning and apply leave for the proof on Done.
#[derive(Debug, Default)]
pub(crate) struct ProofInputs {
    /// The deactivations held for the proof, and what it verifies.
    pub held: Option<Held>,
    /// Accounts with keys of the scope that cannot be reached: their workspaces are left alone.
    pub unreachable: Vec<UnreachableAccount>,
    /// When the migration's apply began: keys used since then were used outside HCP Terraform.
    pub applied_at: Option<OffsetDateTime>,
}

impl ProofInputs {
    /// One sentence per account left on its keys, for Done's "still receiving" list.
    pub fn left_on_keys(&self) -> Vec<String> {
        self.unreachable
            .iter()
            .map(|u| {
                let keys: Vec<String> = u.keys.iter().map(|k| mask_key_id(k)).collect();
                format!(
                    "{}: left on its keys ({}) of AWS account {}, which this session cannot reach",
                    u.workspaces.join(", "),
                    keys.join(", "),
                    u.account
                )
            })
            .collect()
    }
}

impl App {
    /// The proof's news: what planning held, then Done's verification and deactivation.
    pub(super) fn on_proof(&mut self, news: ProofNews) -> Vec<Effect> {
        let on_done = self.step == Step::Done && self.task == Task::Migrate;
        let proof = self.done.proof.as_mut().filter(|_| on_done);
        match (news, proof) {
            (ProofNews::Held(held), _) => self.proof.held = Some(*held),
            (
                ProofNews::Proven {
                    verified,
                    decided,
                    left,
                    held,
                },
                Some(p),
            ) => p.on_proven(verified, decided, left, *held),
            (ProofNews::NotProven(why), Some(p)) => {
                p.on_failed(format!("The verification could not start: {why}"))
            }
            (ProofNews::Deactivated { result, left }, Some(p)) => p.on_deactivated(result, left),
            // Done was left meanwhile (another path started): nothing shows it any more.
            _ => {}
        }
        vec![]
    }

    /// Done after a migration: the workspaces left on their keys, and the proof started (the
    /// migrated workspaces verified; the workspaces left alone are not).
    pub(super) fn start_proof(&mut self) -> Vec<Effect> {
        self.done.left_on_keys = self.proof.left_on_keys();
        let Some(mut held) = self.proof.held.take() else {
            return vec![];
        };
        let left_alone: Vec<&String> = self
            .proof
            .unreachable
            .iter()
            .flat_map(|u| &u.workspaces)
            .collect();
        held.to_verify.retain(|(ws, _)| !left_alone.contains(&ws));
        let Some(org) = self.done.plan.as_ref().map(|p| p.organization.clone()) else {
            return vec![];
        };
        self.done.proof = Some(MigrationProof::verifying(held.to_verify.len()));
        let since = self.proof.applied_at.take();
        vec![Effect::ProveMigration {
            org,
            held: Box::new(held),
            since: since.unwrap_or_else(OffsetDateTime::now_utc),
        }]
    }
}
