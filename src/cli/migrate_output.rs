//! What `migrate` prints besides the plan: the table of workspaces that receive static keys
//! (where from, the key id masked, its user, age and last use), what still receives keys after
//! the apply and why, and the JSON document (setup's, plus `discovered` and `still_receiving`).
//! Names from the servers are printed with control characters escaped.

use crate::cli::output;
use crate::cli::output::escape;
use crate::core::apply::ApplyReport;
use crate::core::migrate::keys::{days_since, days_text};
use crate::core::migrate::user_permissions::{copied_name, UserPermissions};
use crate::core::migrate::UnreachableAccount;
use crate::core::migrate::{KeyOwner, KeySource, KeyedWorkspace, Left, LeftReason, StillReceiving};
use crate::core::plan::{mask_key_id, Plan};
use crate::core::variables::{Reach, VariableSource};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// What discovery found, and the time ages are counted to.
pub struct Found<'a> {
    pub workspaces: &'a [KeyedWorkspace],
    pub keys: &'a BTreeMap<String, KeyOwner>,
    /// What the keys' IAM users may do (the ones read).
    pub users: &'a BTreeMap<String, UserPermissions>,
    /// Accounts holding keys that cannot be reached, with the flags that would reach them.
    pub unreachable: &'a [Unreachable],
    pub now: OffsetDateTime,
}

/// An account with no way in, and the `--account-profile` flags the shared config files offer.
pub struct Unreachable {
    pub account: UnreachableAccount,
    pub flags: Vec<String>,
}

/// What the text report says of an account with no way in.
fn unreachable_text(u: &Unreachable) -> String {
    let a = &u.account;
    let keys: Vec<String> = a.keys.iter().map(|k| mask_key_id(k)).collect();
    let mut out = format!(
        "\nAWS account {} cannot be reached: {} stay{} on static keys ({}).\n",
        a.account,
        escape(&crate::core::text::and_list(&a.workspaces)),
        if a.workspaces.len() == 1 { "s" } else { "" },
        keys.join(", ")
    );
    let how = match (&a.profile, u.flags.as_slice()) {
        (Some(p), _) => format!("  IAM of the account (profile {}) does not describe the keys.\n", escape(p)),
        (None, []) => format!(
            "  Add --account-profile {}=PROFILE with a profile of that account (none in the AWS config files names it).\n",
            a.account
        ),
        (None, flags) => format!("  Add {}\n", escape(&flags.join(" or "))),
    };
    out.push_str(&how);
    out
}

fn unreachable_json(u: &Unreachable) -> Value {
    let a = &u.account;
    json!({
        "account": a.account, "profile": a.profile, "keys": a.keys,
        "workspaces": a.workspaces, "flags": u.flags,
    })
}

/// One key user's permissions for the JSON: every policy by name and where it comes from.
fn user_json(p: &UserPermissions) -> Value {
    let managed: Vec<Value> = p
        .managed
        .iter()
        .map(|(arn, origin)| json!({ "arn": arn, "from": origin.label() }))
        .collect();
    let inline: Vec<Value> = p
        .inline
        .iter()
        .map(|i| json!({ "name": i.policy.name, "from": i.origin.label(), "copied_as": copied_name(&p.user, i) }))
        .collect();
    json!({
        "user": p.user, "groups": p.groups, "managed": managed, "inline": inline,
        "boundary": p.boundary,
    })
}

/// `workspace`, `set NAME (project)`, `set NAME (global, priority)`.
fn source_text(source: &VariableSource) -> String {
    match source {
        VariableSource::Workspace => "workspace".into(),
        VariableSource::VariableSet {
            name,
            reach,
            priority,
            ..
        } => {
            let how = match reach {
                Reach::Workspace => "attached",
                Reach::Project => "project",
                Reach::Global => "global",
            };
            let prio = if *priority { ", priority" } else { "" };
            format!("set {} ({how}{prio})", escape(name))
        }
    }
}

fn oidc_text(ws: &KeyedWorkspace) -> &'static str {
    if ws.oidc_complete() {
        "yes"
    } else if ws.oidc_partial() {
        "partial"
    } else {
        "no"
    }
}

/// USER, AGE and LAST USED for a key.
fn key_columns(source: &KeySource, found: &Found) -> [String; 3] {
    let Some(id) = &source.key_id else {
        return [String::new(), String::new(), String::new()];
    };
    match found.keys.get(id) {
        Some(KeyOwner::ThisAccount {
            user,
            status,
            created,
            last_used,
            service,
            account,
            ..
        }) => {
            let age = created
                .as_deref()
                .and_then(|c| days_since(c, found.now))
                .map_or_else(|| "?".into(), days_text);
            let used = match last_used.as_deref().and_then(|u| days_since(u, found.now)) {
                None => "never".to_string(),
                Some(d) => {
                    let ago = if d == 0 {
                        "today".into()
                    } else {
                        format!("{} ago", days_text(d))
                    };
                    match service {
                        Some(s) => format!("{ago} ({})", escape(s)),
                        None => ago,
                    }
                }
            };
            let inactive = if *status == crate::core::ports::AccessKeyStatus::Inactive {
                " (inactive)"
            } else {
                ""
            };
            let place = account.as_ref().map(|a| format!(" (account {a})"));
            let user = format!("{}{}{inactive}", escape(user), place.unwrap_or_default());
            [user, age, used]
        }
        Some(KeyOwner::OtherAccount { account }) => [
            match account {
                Some(a) => format!("account {a}"),
                None => "another account".into(),
            },
            String::new(),
            String::new(),
        ],
        Some(KeyOwner::Unknown { .. }) | None => ["unknown".into(), String::new(), String::new()],
    }
}

/// The table of workspaces receiving static keys, one row per source (the effective one first).
pub fn discovery_text(found: &Found, organization: &str) -> String {
    let n = found.workspaces.len();
    let mut out = format!(
        "Static AWS keys in {}: {n} workspace{}\n",
        escape(organization),
        if n == 1 { "" } else { "s" }
    );
    for u in found.unreachable {
        out.push_str(&unreachable_text(u));
    }
    if n == 0 {
        return out;
    }
    let mut rows: Vec<[String; 8]> = vec![[
        "WORKSPACE",
        "PROJECT",
        "OIDC",
        "KEYS FROM",
        "KEY ID",
        "USER",
        "AGE",
        "LAST USED",
    ]
    .map(String::from)];
    for ws in found.workspaces {
        for (i, source) in ws.sources.iter().enumerate() {
            let [user, age, used] = key_columns(source, found);
            let first = i == 0;
            rows.push([
                if first {
                    escape(&ws.name)
                } else {
                    String::new()
                },
                if first {
                    escape(&ws.project)
                } else {
                    String::new()
                },
                if first {
                    oidc_text(ws).into()
                } else {
                    String::new()
                },
                format!(
                    "{}{}",
                    if first { "" } else { "+ " },
                    source_text(&source.source)
                ),
                source
                    .key_id
                    .as_deref()
                    .map_or_else(|| "-".into(), mask_key_id),
                user,
                age,
                used,
            ]);
        }
    }
    let widths: Vec<usize> = (0..8)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    out.push('\n');
    for row in rows {
        let mut line = String::from(" ");
        for (c, cell) in row.iter().enumerate() {
            line.push(' ');
            line.push_str(cell);
            if c < 7 {
                line.push_str(&" ".repeat(widths[c] - cell.chars().count() + 1));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn left_text(left: &Left) -> String {
    let from = match &left.source {
        VariableSource::Workspace => "its own variables".to_string(),
        VariableSource::VariableSet { name, .. } => format!("variable set {}", escape(name)),
    };
    let why = match &left.why {
        LeftReason::SharedSet { others } => {
            format!("it also reaches {}", escape(&others.join(", ")))
        }
        LeftReason::WouldSwitchKey { to } => format!(
            "removing it would switch runs to a different key from {}",
            escape(to)
        ),
        LeftReason::KeptFor { workspaces } => {
            format!("kept for {}", escape(&workspaces.join(", ")))
        }
        LeftReason::OidcHidden { by } => escape(by),
    };
    format!("{from} ({why})")
}

/// After the apply: setup's summary when roles were set up, and what still receives keys.
pub fn after_text(plan: &Plan, still: &[StillReceiving], colour: bool) -> String {
    if plan.workspaces.is_empty() {
        return String::new();
    }
    let mut out = if plan.roles.is_empty() {
        "Done.\n".to_string()
    } else {
        output::summary_text(plan, colour)
    };
    if still.is_empty() {
        out.push_str("\nNo migrated workspace receives static AWS keys any more.\n");
        return out;
    }
    out.push_str("\nStill receiving static AWS keys:\n");
    for s in still {
        let from: Vec<String> = s.from.iter().map(left_text).collect();
        out.push_str(&format!(
            "  {} ({}): {}\n",
            escape(&s.workspace),
            escape(&s.project),
            from.join("; ")
        ));
    }
    out
}

/// The key and what IAM says of it; the id whole (the text report shortens it).
fn owner_json(id: &str, owner: Option<&KeyOwner>, now: OffsetDateTime) -> Value {
    match owner {
        Some(KeyOwner::ThisAccount {
            user,
            status,
            created,
            last_used,
            service,
            region,
            account,
        }) => json!({
            "id": id, "owner": if account.is_some() { "reached_account" } else { "this_account" },
            "account": account, "user": user, "status": status,
            "created": created, "age_days": created.as_deref().and_then(|c| days_since(c, now)),
            "last_used": last_used, "service": service, "region": region,
        }),
        Some(KeyOwner::OtherAccount { account }) => {
            json!({"id": id, "owner": "other_account", "account": account})
        }
        Some(KeyOwner::Unknown { reason }) => {
            json!({"id": id, "owner": "unknown", "reason": reason})
        }
        None => json!({"id": id, "owner": "unknown"}),
    }
}

fn source_json(source: &KeySource, found: &Found) -> Value {
    let (kind, name, reach, priority) = match &source.source {
        VariableSource::Workspace => ("workspace", None, None, None),
        VariableSource::VariableSet {
            name,
            reach,
            priority,
            ..
        } => ("variable_set", Some(name), Some(reach), Some(priority)),
    };
    json!({
        "kind": kind, "name": name, "reach": reach, "priority": priority,
        "keys": source.variables.iter().map(|v| v.key.as_str()).collect::<Vec<_>>(),
        "effective": source.effective,
        "key": source.key_id.as_deref().map(|id| owner_json(id, found.keys.get(id), found.now)),
    })
}

/// Setup's JSON document plus `discovered` and `still_receiving`.
pub fn migrate_json(
    plan: &Plan,
    report: Option<&ApplyReport>,
    applied: bool,
    found: &Found,
    still: &[StillReceiving],
) -> Value {
    let mut doc = output::setup_json(plan, report, applied);
    let discovered: Vec<Value> = found
        .workspaces
        .iter()
        .map(|w| {
            json!({
                "workspace": w.name, "project": w.project, "oidc": w.oidc_complete(),
                "sources": w.sources.iter().map(|s| source_json(s, found)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let still: Vec<Value> = still
        .iter()
        .map(|s| {
            json!({
                "workspace": s.workspace, "project": s.project,
                "from": s.from.iter().map(left_text).collect::<Vec<_>>(),
            })
        })
        .collect();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("discovered".into(), Value::Array(discovered));
        obj.insert("still_receiving".into(), Value::Array(still));
        let users = found.users.values().map(user_json).collect();
        obj.insert("key_users".into(), Value::Array(users));
        let unreachable = found.unreachable.iter().map(unreachable_json).collect();
        obj.insert("unreachable_accounts".into(), Value::Array(unreachable));
    }
    doc
}
