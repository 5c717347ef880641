//! The notes a migration plan carries: what is left as it is and why, which keys stay active,
//! and what undo can and cannot bring back. Key ids are always masked.

use super::discover::KeyedWorkspace;
use super::keys::KeyOwner;
use super::removals::{LeftReason, Removals};
use super::MigrationScope;
use crate::core::inventory::Inventory;
use crate::core::plan::{mask_key_id, Note};
use crate::core::variables::VariableSource;
use std::collections::{BTreeMap, BTreeSet};

/// At most five names, then `and N more`.
fn list<S: AsRef<str>>(names: &[S]) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(AsRef::as_ref).collect();
    match names.len() {
        n if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
        _ => shown.join(", "),
    }
}

pub(super) fn clean(workspace: &str) -> Note {
    Note::info(
        format!("workspace {workspace}"),
        format!("workspace {workspace} receives no static AWS keys: nothing to migrate"),
    )
}

pub(super) fn nothing_found(organization: &str, scope: &MigrationScope) -> Note {
    let what = match scope {
        MigrationScope::All => format!("organization {organization}"),
        MigrationScope::Project(p) => format!("project {p}"),
        MigrationScope::Workspaces(_) => "the named workspaces".to_string(),
    };
    Note::info(
        organization,
        format!("no workspace of {what} receives static AWS keys"),
    )
}

pub(super) fn oidc_hidden(workspace: &str, by: &str) -> Note {
    Note::warning(
        format!("workspace {workspace}"),
        format!("workspace {workspace} keeps its static keys: {by}; change that, then run migrate again"),
    )
}

/// With `--alias`, the static keys went to the configuration's default AWS provider.
pub(super) fn alias_needs_configuration(tag: &str) -> Note {
    Note::warning(
        format!("alias {tag}"),
        format!("the static keys served the configuration's default AWS provider: with --alias {tag} the OIDC variables are tagged, so map every provider through tfc_aws_dynamic_credentials (printed after the apply) before its next run"),
    )
}

pub(super) fn keeps_role(workspace: &str, roles: &[String]) -> Note {
    Note::info(
        format!("workspace {workspace}"),
        format!(
            "workspace {workspace} already authenticates through {}: it keeps it, only its static keys are removed",
            crate::core::text::and_list(roles)
        ),
    )
}

/// What the removals leave, per source; emptied sets that hold nothing else; what undo can do.
pub(super) fn for_removals(
    inv: &Inventory,
    keyed: &[KeyedWorkspace],
    removals: &Removals,
) -> Vec<Note> {
    let mut notes = Vec::new();
    // (set name, reason) → workspaces that still receive the set's keys for that reason.
    let mut by_set: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for ws in keyed {
        for left in removals.left.get(&ws.id).into_iter().flatten() {
            match (&left.source, &left.why) {
                (VariableSource::Workspace, LeftReason::WouldSwitchKey { to }) => {
                    notes.push(Note::warning(
                        format!("workspace {}", ws.name),
                        format!(
                            "workspace {} keeps its own static keys: without them its runs would take a different key from {to}",
                            ws.name
                        ),
                    ));
                }
                (VariableSource::VariableSet { name, .. }, why) => {
                    let reason = match why {
                        LeftReason::SharedSet { others } => format!(
                            "it also reaches {}, which {} not being migrated",
                            list(others),
                            if others.len() == 1 { "is" } else { "are" }
                        ),
                        LeftReason::WouldSwitchKey { to } => format!(
                            "without it {}'s runs would take a different key from {to}",
                            ws.name
                        ),
                        LeftReason::KeptFor { workspaces } => {
                            format!("{} keep it (see above)", list(workspaces))
                        }
                        LeftReason::OidcHidden { .. } => continue,
                    };
                    by_set
                        .entry((name.clone(), reason))
                        .or_default()
                        .push(ws.name.clone());
                }
                (VariableSource::Workspace, _) => {}
            }
        }
    }
    for ((set, reason), workspaces) in by_set {
        notes.push(Note::warning(
            format!("variable set {set}"),
            format!(
                "variable set {set} is left as it is: {reason}; {} still {} its keys",
                list(&workspaces),
                if workspaces.len() == 1 {
                    "receives"
                } else {
                    "receive"
                }
            ),
        ));
    }
    for set_id in &removals.emptied {
        if let Some(entry) = inv.varset(set_id) {
            if entry.variables.iter().all(super::discover::is_static_key) {
                let name = &entry.set.name;
                notes.push(Note::info(
                    format!("variable set {name}"),
                    format!("variable set {name} holds nothing once its keys are removed: delete it when nothing needs it"),
                ));
            }
        }
    }
    if !removals.own.is_empty() || !removals.emptied.is_empty() {
        notes.push(Note::info(
            "undo",
            "undo cannot put deleted key variables back (their secret values are never read): it keeps those workspaces on OIDC instead",
        ));
    }
    notes
}

/// Secrets stored readable: worth knowing, whatever the migration does.
pub(super) fn for_keys(keyed: &[KeyedWorkspace]) -> Vec<Note> {
    let mut seen = BTreeSet::new();
    let mut notes = Vec::new();
    for ws in keyed {
        for source in &ws.sources {
            let readable_secret = source
                .variables
                .iter()
                .any(|v| v.key == "AWS_SECRET_ACCESS_KEY" && !v.sensitive);
            let place = match &source.source {
                VariableSource::Workspace => format!("workspace {}", ws.name),
                VariableSource::VariableSet { name, .. } => format!("variable set {name}"),
            };
            if readable_secret && seen.insert(place.clone()) {
                notes.push(Note::warning(
                    place.clone(),
                    format!("AWS_SECRET_ACCESS_KEY on {place} is not sensitive: anyone who can read its variables can read it"),
                ));
            }
        }
    }
    notes
}

pub(super) fn cannot_deactivate(key_id: &str, owner: &KeyOwner) -> Note {
    let key = mask_key_id(key_id);
    let text = match owner {
        KeyOwner::OtherAccount { account } => format!(
            "access key {key} belongs to another AWS account{}: deactivate it there",
            account
                .as_ref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default()
        ),
        KeyOwner::Unknown { reason } => {
            format!("access key {key} cannot be deactivated: {reason}")
        }
        KeyOwner::ThisAccount { .. } => format!("access key {key} stays active"),
    };
    Note::warning(format!("access key {key}"), text)
}

pub(super) fn key_still_used(key_id: &str, user: &str, by: &BTreeSet<String>) -> Note {
    let key = mask_key_id(key_id);
    let by: Vec<&String> = by.iter().collect();
    Note::warning(
        format!("access key {key}"),
        format!(
            "access key {key} of user {user} stays active: {} still {} it",
            list(&by),
            if by.len() == 1 { "uses" } else { "use" }
        ),
    )
}

pub(super) fn key_maybe_used(key_id: &str, user: &str, by: &BTreeSet<String>) -> Note {
    let key = mask_key_id(key_id);
    let by: Vec<&String> = by.iter().collect();
    Note::warning(
        format!("access key {key}"),
        format!(
            "access key {key} of user {user} stays active: {} still {} a sensitive AWS_ACCESS_KEY_ID that may be this key",
            list(&by),
            if by.len() == 1 { "receives" } else { "receive" }
        ),
    )
}

/// Without `--deactivate-keys`: the keys of this account stay active, and how to change that.
pub(super) fn keys_stay_active(owners: &BTreeMap<String, KeyOwner>) -> Option<Note> {
    let active: Vec<String> = owners
        .iter()
        .filter(|(_, o)| {
            matches!(o, KeyOwner::ThisAccount { status, .. } if *status == crate::core::ports::AccessKeyStatus::Active)
        })
        .map(|(id, _)| mask_key_id(id))
        .collect();
    (!active.is_empty()).then(|| {
        Note::info(
            "access keys",
            format!(
                "access key{} {} stay{} active in IAM: --deactivate-keys marks keys Inactive once no workspace uses them",
                if active.len() == 1 { "" } else { "s" },
                active.join(", "),
                if active.len() == 1 { "s" } else { "" }
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_kept_read_as_a_list() {
        let roles = ["a".to_string(), "b".into(), "c".into()];
        let note = keeps_role("web", &roles);
        assert!(
            note.text.contains("authenticates through a, b and c:"),
            "{}",
            note.text
        );
    }
}
