//! The Done screen after a migration: the proof before deactivation. Each migrated workspace's
//! plan-only run (authenticated, or why not and the fix), then which held keys would be
//! deactivated and which stay active and why (`d` deactivates the proven ones, journaled),
//! then what is left to do for each IAM user. The steps are the core's (`core::migrate::proof`).

use crate::core::change::mask_key_id;
use crate::core::migrate::deactivation::{self, Deactivations, KeptReason};
use crate::core::migrate::leftovers::UserLeft;
use crate::core::migrate::proof::Held;
use crate::core::migrate::verification::Verified;
use crate::core::plan::Plan;
use crate::tui::effects::Effect;
use crate::tui::failure::ApplyFailure;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{paragraph, wrapped};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Where the proof is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProofPhase {
    /// The plan-only runs are queued and followed.
    #[default]
    Verifying,
    /// Verified and decided: the proven keys wait for `d`.
    Proven,
    /// The proven keys' deactivation is being applied.
    Deactivating,
    /// The proven keys are deactivated.
    Deactivated,
    /// The verification or the deactivation failed (one line why; no key was deactivated, or
    /// the journal keeps what was).
    Failed(String),
}

/// The proof shown on Done after a migration.
#[derive(Debug, Clone, Default)]
pub struct MigrationProof {
    pub phase: ProofPhase,
    /// How many migrated workspaces are verified.
    pub workspaces: usize,
    pub verified: Vec<Verified>,
    pub decided: Option<Deactivations>,
    pub left: Vec<UserLeft>,
    /// What the deactivation needs to say what is left afterwards.
    held: Option<Held>,
}

impl MigrationProof {
    /// The proof of `workspaces` migrated workspaces, started.
    pub fn verifying(workspaces: usize) -> MigrationProof {
        MigrationProof {
            workspaces,
            ..MigrationProof::default()
        }
    }

    /// The verification ended and the held keys are decided.
    pub fn on_proven(
        &mut self,
        verified: Vec<Verified>,
        decided: Option<Deactivations>,
        left: Vec<UserLeft>,
        held: Held,
    ) {
        self.verified = verified;
        self.decided = decided;
        self.left = left;
        self.held = Some(held);
        self.phase = ProofPhase::Proven;
    }

    /// The proof could not be made or applied.
    pub fn on_failed(&mut self, why: String) {
        self.phase = ProofPhase::Failed(why);
    }

    /// Keys are proven and wait for `d`.
    pub fn can_deactivate(&self) -> bool {
        self.phase == ProofPhase::Proven
            && self
                .decided
                .as_ref()
                .is_some_and(|d| !d.deactivate.is_empty())
    }

    /// Work is in flight.
    pub fn busy(&self) -> bool {
        matches!(self.phase, ProofPhase::Verifying | ProofPhase::Deactivating)
    }

    /// `d`: the proven keys' deactivation, as a second plan of `base`'s.
    pub fn start_deactivation(&mut self, base: &Plan) -> Option<Effect> {
        if !self.can_deactivate() {
            return None;
        }
        let decided = self.decided.clone()?;
        let held = self.held.clone()?;
        self.phase = ProofPhase::Deactivating;
        Some(Effect::DeactivateProven {
            plan: Box::new(deactivation::second_plan(base, &decided)),
            held: Box::new(held),
            decided: Box::new(decided),
        })
    }

    /// The deactivation ended (what is left, read again after it).
    pub fn on_deactivated(
        &mut self,
        result: Result<crate::core::apply::ApplyReport, ApplyFailure>,
        left: Vec<UserLeft>,
    ) {
        if !left.is_empty() {
            self.left = left;
        }
        self.phase = match result {
            Ok(_) => ProofPhase::Deactivated,
            Err(e) => ProofPhase::Failed(format!(
                "The deactivation failed: {e} ('tfc-oidc undo' reverts what was done)"
            )),
        };
    }

    /// The proof's lines on Done.
    pub fn lines(&self, w: usize, t: Theme, spinner: &str) -> Vec<Line<'static>> {
        let mut out = vec![
            Line::raw(""),
            Line::styled(
                "Verification (a plan-only run each, never applied)",
                t.bold(),
            ),
        ];
        if self.phase == ProofPhase::Verifying {
            let text = format!(
                "{spinner} Verifying {} migrated workspace{}…",
                self.workspaces,
                if self.workspaces == 1 { "" } else { "s" }
            );
            out.extend(paragraph(&text, t.dim(), w, 2));
            out.extend(paragraph(
                "Keys are deactivated only once their workspaces authenticated.",
                Style::default(),
                w,
                2,
            ));
            return out;
        }
        out.extend(self.verified.iter().flat_map(|v| verified_lines(v, w, t)));
        if self.verified.is_empty() {
            out.extend(paragraph("No migrated workspace to verify.", t.dim(), w, 2));
        }
        if let ProofPhase::Failed(why) = &self.phase {
            out.extend(paragraph(why, t.error(), w, 2));
        }
        if let Some(d) = &self.decided {
            out.extend(self.key_lines(d, w, t));
        }
        out.extend(left_lines(&self.left, w, t));
        out
    }

    /// Each held key: deactivated (or would be, with `d`), or stays active and why.
    fn key_lines(&self, d: &Deactivations, w: usize, t: Theme) -> Vec<Line<'static>> {
        let mut out = vec![Line::raw(""), Line::styled("Access keys", t.bold())];
        for planned in &d.deactivate {
            let key = match &planned.change {
                crate::core::plan::Change::SetAccessKeyStatus(s) => s,
                _ => continue,
            };
            let (text, style) = match self.phase {
                ProofPhase::Deactivated => (
                    "deactivated: every workspace that used it authenticated ('tfc-oidc undo' reactivates it)",
                    t.ok(),
                ),
                ProofPhase::Deactivating => ("being deactivated…", t.dim()),
                _ => (
                    "every workspace that used it authenticated: press d to deactivate it",
                    t.accent(),
                ),
            };
            let line = format!(
                "{} of user {}: {text}",
                mask_key_id(&key.access_key_id),
                key.user
            );
            out.extend(wrapped(Span::raw("  "), &line, style, w));
        }
        for kept in &d.kept {
            let why: Vec<String> = kept
                .reasons
                .iter()
                .map(|r| kept_text(d, &kept.key_id, r))
                .collect();
            let line = format!(
                "{} of user {}: stays active: {}",
                mask_key_id(&kept.key_id),
                kept.user,
                why.join("; ")
            );
            out.extend(wrapped(Span::raw("  "), &line, t.warn(), w));
        }
        out
    }
}

/// "✓ etl (data): authenticated through OIDC", or why not with the fix.
fn verified_lines(v: &Verified, w: usize, t: Theme) -> Vec<Line<'static>> {
    let ws = format!("{} ({})", v.workspace, v.project);
    if v.authenticated {
        let text = format!("{ws}: authenticated through OIDC");
        return wrapped(Span::styled("  ✓ ", t.ok()), &text, Style::default(), w);
    }
    let mut text = format!("{ws}: did not authenticate");
    if let Some(why) = &v.why {
        text.push_str(&format!(": {why}"));
    }
    if let Some(fix) = &v.fix {
        text.push_str(&format!(". Fix: {fix}"));
    }
    wrapped(Span::styled("  ✗ ", t.error()), &text, t.warn(), w)
}

fn kept_text(d: &Deactivations, key: &str, reason: &KeptReason) -> String {
    match reason {
        KeptReason::NotAuthenticated { workspace, why } => {
            format!("workspace {workspace} did not authenticate ({why})")
        }
        KeptReason::UsedElsewhere => deactivation::used_text(d.uses.get(key)),
        KeptReason::NoWorkspaceVerified => deactivation::NOT_VERIFIED.into(),
    }
}

/// What is left for each IAM user, one line each.
fn left_lines(left: &[UserLeft], w: usize, t: Theme) -> Vec<Line<'static>> {
    if left.is_empty() {
        return Vec::new();
    }
    let mut out = vec![
        Line::raw(""),
        Line::styled("Left to do (tfc-oidc deletes nothing)", t.bold()),
    ];
    for u in left {
        out.extend(wrapped(Span::raw("  - "), &u.todo, Style::default(), w));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::migrate::deactivation::KeptActive;

    fn text(proof: &MigrationProof) -> Vec<String> {
        let lines = proof.lines(200, Theme::plain(), "*");
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_workspace_that_did_not_authenticate_says_why_and_keeps_its_key() {
        let failed = Verified {
            workspace: "etl".into(),
            project: "data".into(),
            authenticated: false,
            why: Some("the role refuses the run's token".into()),
            fix: Some("extend the role's trust".into()),
            report: None,
        };
        let decided = Deactivations {
            kept: vec![KeptActive {
                key_id: "AKIAEXAMPLE00000001".into(),
                user: "ci-deployer".into(),
                reasons: vec![KeptReason::NotAuthenticated {
                    workspace: "etl".into(),
                    why: "the role refuses the run's token".into(),
                }],
            }],
            ..Deactivations::default()
        };
        let mut proof = MigrationProof::verifying(1);
        assert!(text(&proof)
            .iter()
            .any(|l| l.contains("* Verifying 1 migrated workspace…")));
        let held = Held {
            held: vec![],
            decided: None,
            key_workspaces: Default::default(),
            to_verify: vec![],
            by_user: Default::default(),
            user_accounts: Default::default(),
            still_received: Default::default(),
        };
        proof.on_proven(vec![failed], Some(decided), vec![], held);
        let lines = text(&proof);
        assert!(lines.contains(&"  ✗ etl (data): did not authenticate: the role refuses the run's token. Fix: extend the role's trust".to_string()), "{lines:#?}");
        assert!(lines.contains(&"  AKIA…0001 of user ci-deployer: stays active: workspace etl did not authenticate (the role refuses the run's token)".to_string()), "{lines:#?}");
        assert!(!proof.can_deactivate(), "no key is proven");
    }
}
