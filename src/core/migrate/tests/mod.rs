//! The migration on the sandbox: discovery, the shared set emptied, detached or left alone, the
//! order of changes, a failure part way that keeps keys and a re-run that finishes, a second run
//! that plans nothing, and undo restoring what it can (keys reactivated). This file holds the
//! scenarios' builders; the tests are in `plan.rs` (what is planned) and `apply.rs` (what
//! applying, failing, resuming and undoing do).

mod accounts;
mod apply;
mod plan;
mod proof;
mod same_permissions;

use super::*;
use crate::core::apply::apply;
use crate::core::journal::{Journal, RecordKind};
use crate::core::plan::{Change, VariableTarget};
use crate::core::ports::{
    AccessKeyStatus, NewVariable, NewVariableSet, Tfc, TfcError, VariableCategory,
};
use crate::core::undo::plan_undo;
use crate::sandbox::{Sandbox, DEMO_ACCESS_KEY_ID, DEMO_HOST};
use std::collections::BTreeSet;

pub(super) fn request(scope: MigrationScope) -> MigrateRequest {
    MigrateRequest {
        permissions: Permissions {
            none: true,
            ..Permissions::default()
        },
        deactivate_keys: true,
        ..MigrateRequest::new(DEMO_HOST, "acme-corp", scope)
    }
}

pub(super) fn names(list: &[&str]) -> MigrationScope {
    MigrationScope::Workspaces(list.iter().map(|s| s.to_string()).collect())
}

pub(super) async fn migrate(sb: &Sandbox, req: &MigrateRequest) -> Migration {
    let before = (sb.iam.write_count(), sb.tfc.write_count());
    let m = plan_migration(req, sb.iam.as_ref(), sb.tfc.as_ref(), &[], &|_| {})
        .await
        .expect("plan");
    assert_eq!(
        (sb.iam.write_count(), sb.tfc.write_count()),
        before,
        "planning must not write"
    );
    m
}

pub(super) async fn apply_plan(
    sb: &Sandbox,
    journal: &Journal,
    m: Migration,
) -> Result<(), String> {
    let mut w = journal.begin(&m.plan, RecordKind::Apply).unwrap();
    apply(m.plan, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &|_| {})
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

pub(super) fn env(key: &str, value: &str, sensitive: bool) -> NewVariable {
    NewVariable {
        key: key.into(),
        value: value.into(),
        description: String::new(),
        category: VariableCategory::Env,
        sensitive,
    }
}

/// The env keys a run of `ws` gets.
pub(super) async fn run_keys(sb: &Sandbox, ws: &str) -> Vec<(String, Option<String>)> {
    let w = sb.tfc.workspace("acme-corp", ws).await.unwrap();
    let vars = sb.tfc.effective_variables(&w.id).await.unwrap();
    vars.into_iter()
        .filter(|v| v.key.starts_with("AWS_") || v.key.starts_with("TFC_AWS"))
        .map(|v| (v.key, v.value))
        .collect()
}

pub(super) fn has(keys: &[(String, Option<String>)], key: &str) -> bool {
    keys.iter().any(|(k, _)| k == key)
}

/// Every change that must be done before `i`, transitively.
pub(super) fn ancestors(m: &Migration, i: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut todo = m.plan.changes[i].depends_on.clone();
    while let Some(d) = todo.pop() {
        if seen.insert(d) {
            todo.extend(m.plan.changes[d].depends_on.iter().copied());
        }
    }
    seen
}

/// Organization `acme-corp` of the demo plus project `shop` with workspaces `web` and `api`, a
/// keys-only set `shop-keys` attached as `attach` says, and key `AKIASHOP00000001`.
pub(super) async fn shop(attach_to_project: bool, extra_var: bool) -> Sandbox {
    let sb = Sandbox::demo();
    let tfc = &sb.tfc;
    let project = tfc.add_project("acme-corp", "shop").unwrap();
    let web = tfc.add_workspace("acme-corp", &project, "web").unwrap();
    let api = tfc.add_workspace("acme-corp", &project, "api").unwrap();
    let set = NewVariableSet {
        name: "shop-keys".into(),
        description: String::new(),
    };
    let set = tfc.add_variable_set("acme-corp", &set, false).unwrap();
    let key = "AKIASHOP00000001";
    tfc.add_variable_set_variable(&set.id, &env("AWS_ACCESS_KEY_ID", key, false))
        .unwrap();
    tfc.add_variable_set_variable(&set.id, &env("AWS_SECRET_ACCESS_KEY", "s", true))
        .unwrap();
    if extra_var {
        tfc.add_variable_set_variable(&set.id, &env("AWS_REGION", "us-east-1", false))
            .unwrap();
    }
    if attach_to_project {
        tfc.attach_variable_set(&set.id, &[], &[project]).unwrap();
    } else {
        tfc.attach_variable_set(&set.id, &[web, api], &[]).unwrap();
    }
    sb.iam
        .add_access_key("shop-ci", key, AccessKeyStatus::Active);
    sb
}
