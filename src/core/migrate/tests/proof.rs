//! Proof before deactivation on the sandbox: the deactivations are held out of the migration
//! plan, the migrated workspaces are verified with plan-only runs, only the key whose workspaces
//! all authenticated (and that nobody used elsewhere) is deactivated, in a second journaled plan
//! that undo reverts; and what is left of each key's user is said.

use super::*;
use crate::core::accounts::{Accounts, AwsReach};
use crate::core::migrate::deactivation::{self, Deactivations, KeptReason, Proof};
use crate::core::migrate::key_use::look_for_uses;
use crate::core::migrate::proof::{self, Held, ProofChoices};
use crate::core::migrate::verification::{verify_migrated, Verified};
use crate::core::verify::follow::FollowOptions;
use std::time::Duration;

const WEB_KEY: &str = "AKIAPROOFWEB00001";
const API_KEY: &str = "AKIAPROOFAPI00001";
const BATCH_KEY: &str = "AKIAPROOFBATCH001";

/// The demo plus project `proof` with workspaces `web`, `api` and `batch`, each with its own
/// key of its own user; `api` has no configuration version (its run cannot start) and `batch`'s
/// key was used by the AWS CLI two hours ago.
async fn proof_org() -> Sandbox {
    let sb = Sandbox::demo();
    let tfc = &sb.tfc;
    let project = tfc.add_project("acme-corp", "proof").unwrap();
    for (ws, key, user) in [
        ("web", WEB_KEY, "web-ci"),
        ("api", API_KEY, "api-ci"),
        ("batch", BATCH_KEY, "batch-ci"),
    ] {
        let id = tfc.add_workspace("acme-corp", &project, ws).unwrap();
        tfc.add_workspace_variable(&id, &env("AWS_ACCESS_KEY_ID", key, false))
            .unwrap();
        tfc.add_workspace_variable(&id, &env("AWS_SECRET_ACCESS_KEY", "s", true))
            .unwrap();
        sb.iam.add_access_key(user, key, AccessKeyStatus::Active);
        if ws == "api" {
            tfc.set_no_configuration(&id).unwrap();
        }
    }
    sb.iam.add_login_profile("batch-ci");
    let cli = "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22";
    sb.iam.record_key_use(
        BATCH_KEY,
        ("s3.amazonaws.com", "ListBuckets"),
        ("203.0.113.7", cli),
        2,
    );
    sb
}

fn fast() -> FollowOptions {
    FollowOptions {
        timeout: Duration::from_secs(5),
        first_interval: Duration::from_millis(1),
        max_interval: Duration::from_millis(5),
    }
}

/// The deactivations are out of the plan (dependencies still in range), with the note saying
/// they wait for the proof.
fn assert_held_out(m: &Migration, held: &Held) {
    let keys: Vec<String> = deactivation::candidate_keys(&held.held)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, [API_KEY, BATCH_KEY, WEB_KEY]);
    assert!(m
        .plan
        .changes
        .iter()
        .all(|c| !matches!(c.change, Change::SetAccessKeyStatus(_))));
    assert!(m
        .plan
        .changes
        .iter()
        .all(|c| c.depends_on.iter().all(|d| *d < m.plan.changes.len())));
    assert!(m.plan.notes.iter().any(|n| n
        .text
        .contains("will be deactivated only after the verification runs")));
}

/// `api` (no configuration version) fails its verification; `batch` and `web` authenticate.
async fn verify_api_fails(sb: &Sandbox, held: &Held) -> Vec<Verified> {
    let verified = verify_migrated(
        sb.tfc.as_ref(),
        sb.iam.as_ref(),
        "acme-corp",
        &held.to_verify,
        fast(),
        &|_, _| {},
    )
    .await;
    let ok: Vec<(&str, bool)> = verified
        .iter()
        .map(|v| (v.workspace.as_str(), v.authenticated))
        .collect();
    assert_eq!(ok, [("api", false), ("batch", true), ("web", true)]);
    assert!(verified[0]
        .why
        .as_deref()
        .unwrap()
        .contains("no configuration version"));

    verified
}

/// Only `web`'s key goes: `api`'s workspace did not authenticate, `batch`'s key was used by
/// the AWS CLI (named in the note, key id masked).
fn assert_only_web_is_deactivated(decided: &Deactivations) {
    assert_eq!(decided.key_ids(), [WEB_KEY]);
    let reasons: Vec<(&str, &[KeptReason])> = decided
        .kept
        .iter()
        .map(|k| (k.key_id.as_str(), k.reasons.as_slice()))
        .collect();
    assert!(
        matches!(reasons[0], (API_KEY, [KeptReason::NotAuthenticated { workspace, .. }]) if workspace == "api")
    );
    assert_eq!(reasons[1], (BATCH_KEY, &[KeptReason::UsedElsewhere][..]));
    let notes = deactivation::notes(decided);
    let batch = notes.iter().find(|n| n.text.contains("batch-ci")).unwrap();
    assert!(
        batch
            .text
            .contains("s3.amazonaws.com ListBuckets from 203.0.113.7 (aws-cli/2.15.0"),
        "{}",
        batch.text
    );
    assert!(
        !notes.iter().any(|n| n.text.contains(BATCH_KEY)),
        "key ids are masked"
    );
}

#[tokio::test]
async fn only_a_proven_unused_key_is_deactivated_and_undo_reactivates_it() {
    let sb = proof_org().await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path());
    let mut m = migrate(&sb, &request(MigrationScope::Project("proof".into()))).await;
    let trail = sb.iam.as_ref() as &dyn crate::core::ports::AuditTrail;
    let none = Accounts::none();
    let choices = ProofChoices {
        verify: true,
        deactivate_used: false,
    };
    let mut held = proof::hold_deactivations(reach(&sb, trail, &none), choices, &mut m).await;
    assert_held_out(&m, &held);
    let base = m.plan.clone();
    let removed_at = time::OffsetDateTime::now_utc();
    apply_plan(&sb, &journal, m).await.unwrap();
    for key in [WEB_KEY, API_KEY, BATCH_KEY] {
        assert_eq!(
            sb.iam.access_key_status(key),
            Some(AccessKeyStatus::Active),
            "nothing is deactivated before the proof"
        );
    }

    let verified = verify_api_fails(&sb, &held).await;

    let decided = proof::decide_after_verification(
        reach(&sb, trail, &none),
        &mut held,
        &verified,
        removed_at,
        false,
    )
    .await
    .expect("keys were held");
    assert_only_web_is_deactivated(&decided);

    let second = deactivation::second_plan(&base, &decided);
    assert_eq!(second.changes.len(), 1);
    let mut w = journal.begin(&second, RecordKind::Apply).unwrap();
    apply(second, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &|_| {})
        .await
        .unwrap();
    let statuses: Vec<_> = [WEB_KEY, API_KEY, BATCH_KEY]
        .iter()
        .map(|k| sb.iam.access_key_status(k).unwrap())
        .collect();
    use AccessKeyStatus::{Active, Inactive};
    assert_eq!(statuses, [Inactive, Active, Active]);

    let left = proof::left_to_do(reach(&sb, trail, &none), &held, Some(&decided)).await;
    let todo: Vec<(&str, bool)> = left
        .iter()
        .map(|u| (u.user.as_str(), u.removable))
        .collect();
    assert_eq!(
        todo,
        [("api-ci", true), ("batch-ci", false), ("web-ci", true)]
    );
    assert!(left[1].todo.contains("console password"));
    assert!(left[2].keys[0].todo.starts_with("inactive: delete it"));

    // The deactivation is its own record: undo reactivates the key, and the migration stays.
    let record = journal.last_apply().unwrap();
    let undo = plan_undo(&record, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap();
    let mut w = journal.begin(&undo, RecordKind::Undo).unwrap();
    apply(undo, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &|_| {})
        .await
        .unwrap();
    assert_eq!(sb.iam.access_key_status(WEB_KEY), Some(Active));
    assert!(has(&run_keys(&sb, "web").await, "TFC_AWS_RUN_ROLE_ARN"));
}

#[tokio::test]
async fn without_verify_the_plan_says_unproven_and_a_used_key_needs_the_flag() {
    let sb = proof_org().await;
    let mut m = migrate(&sb, &request(names(&["web", "batch"]))).await;
    let held = deactivation::take_deactivations(&mut m.plan);
    let key_workspaces = deactivation::key_workspaces(&m);
    let keys = deactivation::candidate_keys(&held);
    let now = time::OffsetDateTime::now_utc();
    let trail = sb.iam.as_ref() as &dyn crate::core::ports::AuditTrail;
    let none = Accounts::none();
    let plan_for = |deactivate_used: bool, uses| {
        let mut plan = m.plan.clone();
        let proof = Proof {
            key_workspaces: &key_workspaces,
            verified: None,
            uses,
            deactivate_used,
        };
        deactivation::put_back(&mut plan, &deactivation::decide(held.clone(), proof));
        plan
    };
    let uses = look_for_uses(reach(&sb, trail, &none), &keys, now, None).await;
    let plan = plan_for(false, uses.clone());
    let deactivated: Vec<String> = plan
        .changes
        .iter()
        .filter_map(|c| match &c.change {
            Change::SetAccessKeyStatus(s) => Some(s.access_key_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(deactivated, [WEB_KEY]);
    let unproven = plan
        .notes
        .iter()
        .find(|n| n.text.contains("deactivated unproven"))
        .expect("the unproven note");
    assert!(unproven.is_warning());
    assert!(plan.notes.iter().any(|n| n
        .text
        .contains("--deactivate-used-keys deactivates it anyway")));
    let forced = plan_for(true, uses);
    assert_eq!(
        forced
            .changes
            .iter()
            .filter(|c| matches!(c.change, Change::SetAccessKeyStatus(_)))
            .count(),
        2
    );
}

/// The sandbox's one account, with its CloudTrail.
fn reach<'a>(
    sb: &'a crate::sandbox::Sandbox,
    trail: &'a dyn crate::core::ports::AuditTrail,
    none: &'a Accounts,
) -> AwsReach<'a> {
    AwsReach {
        iam: sb.iam.as_ref(),
        trail: Some(trail),
        accounts: none,
    }
}
