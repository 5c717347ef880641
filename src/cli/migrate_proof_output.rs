//! What `migrate` prints after the apply about the proof: each workspace's verification, which
//! keys were deactivated and which stay active and why (with where a key was used outside HCP
//! Terraform), and what is left to do for each key's IAM user — as text (key ids masked, server
//! text escaped) and as JSON fields (`verification`, `deactivation`, `left_to_do`).

use crate::cli::migrate_proof::Proven;
use crate::cli::output::escape;
use crate::core::migrate::deactivation::{self, Deactivations, KeptReason};
use crate::core::migrate::leftovers::UserLeft;
use crate::core::migrate::verification::Verified;
use crate::core::plan::mask_key_id;
use serde_json::{json, Value};

/// Each verified workspace: authenticated, or why not and what to do.
pub fn verification_text(verified: &[Verified]) -> String {
    if verified.is_empty() {
        return "Verification: no migrated workspace to verify.\n".into();
    }
    let mut out = String::from("Verification (a plan-only run on each migrated workspace):\n");
    for v in verified {
        let ws = format!("{} ({})", escape(&v.workspace), escape(&v.project));
        if v.authenticated {
            out.push_str(&format!("  {ws}: authenticated through OIDC\n"));
            continue;
        }
        let why = v
            .why
            .as_deref()
            .map_or_else(String::new, |w| format!(": {}", escape(w)));
        out.push_str(&format!("  {ws}: did NOT authenticate{why}\n"));
        if let Some(fix) = &v.fix {
            out.push_str(&format!("      fix: {}\n", escape(fix)));
        }
        if let Some(run) = v.report.as_ref().and_then(|r| r.run.as_ref()) {
            out.push_str(&format!("      run: {}\n", run.url));
        }
    }
    out
}

fn kept_reasons(d: &Deactivations, key: &str, reasons: &[KeptReason]) -> Vec<String> {
    reasons
        .iter()
        .map(|r| match r {
            KeptReason::NotAuthenticated { workspace, why } => format!(
                "workspace {} did not authenticate ({})",
                escape(workspace),
                escape(why)
            ),
            KeptReason::UsedElsewhere => escape(&deactivation::used_text(d.uses.get(key))),
            KeptReason::NoWorkspaceVerified => deactivation::NOT_VERIFIED.into(),
        })
        .collect()
}

fn deactivation_text(d: &Deactivations, applied: bool) -> String {
    let mut out = String::from("\nAccess keys:\n");
    for key in d.key_ids() {
        let how = match (d.unproven, applied) {
            (true, _) => "deactivated unproven (no --verify)",
            (false, true) => "deactivated: every workspace that used it authenticated",
            (false, false) => "not deactivated: the deactivation was not applied",
        };
        out.push_str(&format!("  {}: {how}\n", mask_key_id(&key)));
    }
    for kept in &d.kept {
        out.push_str(&format!(
            "  {} of user {}: stays active: {}\n",
            mask_key_id(&kept.key_id),
            escape(&kept.user),
            kept_reasons(d, &kept.key_id, &kept.reasons).join("; ")
        ));
    }
    for u in d.uses.values().filter(|u| u.trail_unread.is_some()) {
        if d.key_ids().contains(&u.key_id) {
            out.push_str(&format!(
                "  {}: CloudTrail's event history could not be read ({}): only IAM's last use was checked\n",
                mask_key_id(&u.key_id),
                escape(u.trail_unread.as_deref().unwrap_or_default())
            ));
        }
    }
    out
}

fn left_text(left: &[UserLeft]) -> String {
    if left.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nLeft to do (tfc-oidc deletes nothing):\n");
    for u in left {
        out.push_str(&format!("  {}\n", escape(&u.todo)));
        for k in &u.keys {
            out.push_str(&format!(
                "    {} ({:?}): {}\n",
                mask_key_id(&k.key_id),
                k.status,
                k.todo
            ));
        }
        for what in &u.unread {
            out.push_str(&format!("    could not read {}\n", escape(what)));
        }
    }
    out
}

/// The whole proof report in text (verification was printed as it ended).
pub fn proven_text(p: &Proven) -> String {
    let mut out = String::new();
    if let Some(d) = &p.decided {
        if !d.deactivate.is_empty() || !d.kept.is_empty() {
            out.push_str(&deactivation_text(d, p.deactivated_after_proof));
        }
    }
    out.push_str(&left_text(&p.left));
    out
}

fn verified_json(v: &Verified) -> Value {
    let run = v.report.as_ref().and_then(|r| r.run.as_ref());
    json!({
        "workspace": v.workspace, "project": v.project, "authenticated": v.authenticated,
        "why": v.why, "fix": v.fix,
        "run_id": run.map(|r| &r.id), "url": run.map(|r| &r.url), "status": run.map(|r| &r.status),
        "cause": v.report.as_ref().and_then(|r| r.cause()).filter(|_| !v.authenticated)
            .map(|c| json!({"code": c.code, "summary": c.summary, "fix": c.fix})),
    })
}

fn deactivation_json(d: &Deactivations, applied: bool) -> Value {
    let kept: Vec<Value> = d
        .kept
        .iter()
        .map(|k| {
            json!({
                "key_id": k.key_id, "user": k.user, "reasons": k.reasons,
                "why": kept_reasons(d, &k.key_id, &k.reasons),
            })
        })
        .collect();
    json!({
        "unproven": d.unproven,
        "applied": applied || d.unproven,
        "deactivated": d.key_ids(),
        "kept_active": kept,
        "key_use": d.uses.values().collect::<Vec<_>>(),
    })
}

/// Adds `verification`, `deactivation` and `left_to_do` to the migrate document.
pub fn add_proven_json(doc: &mut Value, p: &Proven) {
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    let verification = p
        .verified
        .as_ref()
        .map(|v| Value::Array(v.iter().map(verified_json).collect()));
    obj.insert("verification".into(), verification.unwrap_or(Value::Null));
    let deactivation = p
        .decided
        .as_ref()
        .map(|d| deactivation_json(d, p.deactivated_after_proof));
    obj.insert("deactivation".into(), deactivation.unwrap_or(Value::Null));
    obj.insert("left_to_do".into(), json!(p.left));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::migrate::key_use::{KeyUse, UseElsewhere};
    use crate::core::migrate::leftovers::KeyLeft;
    use crate::core::plan::{Change, PlannedChange};
    use crate::core::ports::AccessKeyStatus;

    fn proven() -> Proven {
        let deactivate = PlannedChange {
            change: Change::SetAccessKeyStatus(crate::core::change::SetAccessKeyStatus {
                user: "web-ci".into(),
                access_key_id: "AKIAWEB000000001".into(),
                status: AccessKeyStatus::Inactive,
            }),
            depends_on: vec![],
            account: None,
        };
        let used = KeyUse {
            key_id: "AKIABATCH0000001".into(),
            elsewhere: vec![UseElsewhere {
                time: "2026-12-01T10:00:00Z".into(),
                event_source: "s3.amazonaws.com".into(),
                event_name: "ListBuckets".into(),
                source_ip: "203.0.113.7".into(),
                user_agent: "aws-cli/2.15.0".into(),
                region: "eu-west-1".into(),
            }],
            elsewhere_count: 3,
            ..KeyUse::default()
        };
        let decided = Deactivations {
            deactivate: vec![deactivate],
            kept: vec![
                crate::core::migrate::deactivation::KeptActive {
                    key_id: "AKIAAPI000000001".into(),
                    user: "api-ci".into(),
                    reasons: vec![KeptReason::NotAuthenticated {
                        workspace: "api\u{1b}[31m".into(),
                        why: "STS refused".into(),
                    }],
                },
                crate::core::migrate::deactivation::KeptActive {
                    key_id: "AKIABATCH0000001".into(),
                    user: "batch-ci".into(),
                    reasons: vec![KeptReason::UsedElsewhere],
                },
            ],
            uses: [("AKIABATCH0000001".to_string(), used)].into(),
            unproven: false,
        };
        let left = UserLeft {
            user: "web-ci".into(),
            keys: vec![KeyLeft {
                key_id: "AKIAWEB000000001".into(),
                status: AccessKeyStatus::Inactive,
                migrated: true,
                todo: "inactive: delete it".into(),
            }],
            console_password: Some(false),
            removable: true,
            todo: "user web-ci has no other credentials".into(),
            unread: vec![],
        };
        Proven {
            verified: Some(vec![]),
            decided: Some(decided),
            deactivated_after_proof: true,
            left: vec![left],
        }
    }

    #[test]
    fn text_masks_keys_escapes_names_and_says_where_a_key_was_used() {
        let text = proven_text(&proven());
        assert!(
            text.contains("AKIA…0001: deactivated: every workspace that used it authenticated"),
            "{text}"
        );
        assert!(
            text.contains("workspace api\\u{1b}[31m did not authenticate (STS refused)"),
            "{text}"
        );
        assert!(text.contains("s3.amazonaws.com ListBuckets from 203.0.113.7 (aws-cli/2.15.0) at 2026-12-01T10:00:00Z, 3 calls"), "{text}");
        assert!(text.contains("Left to do (tfc-oidc deletes nothing):\n  user web-ci has no other credentials\n    AKIA…0001 (Inactive)"), "{text}");
        assert!(
            !text.contains("AKIAWEB000000001") && !text.contains('\u{1b}'),
            "{text}"
        );
    }

    #[test]
    fn json_carries_whole_ids_and_typed_reasons() {
        let mut doc = json!({});
        add_proven_json(&mut doc, &proven());
        assert_eq!(
            doc["deactivation"]["deactivated"],
            json!(["AKIAWEB000000001"])
        );
        let kept = &doc["deactivation"]["kept_active"];
        assert_eq!(kept[0]["reasons"][0]["reason"], "not_authenticated");
        assert_eq!(kept[1]["reasons"][0]["reason"], "used_elsewhere");
        assert_eq!(
            doc["deactivation"]["key_use"][0]["elsewhere"][0]["source_ip"],
            "203.0.113.7"
        );
        assert_eq!(doc["left_to_do"][0]["removable"], true);
        assert_eq!(doc["verification"], json!([]));
    }
}
