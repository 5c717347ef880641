//! Validation and parsing for variable set writes: relationship linkage,
//! name rules, the global key+category conflict rule and inline variables.

use serde_json::{Map, Value};

use super::vars::{build, check, parse_attrs};
use crate::jsonapi::{invalid, linkage_items, not_found, ApiErr};
use crate::state::{State as Model, Var};

/// Resolves `relationships.<kind>.data` to ids of that kind in `org`
/// (`None` when the relationship was not sent).
pub(crate) fn resolve(
    st: &Model,
    org: &str,
    kind: &str,
    ids: &[(String, String)],
) -> Result<Vec<String>, ApiErr> {
    let mut out: Vec<String> = Vec::new();
    for (t, id) in ids {
        if t != kind {
            return Err(invalid(&format!("type must be {kind}"), "/data"));
        }
        let found = match kind {
            "workspaces" => st.workspace(id).is_some_and(|w| w.org == org),
            _ => st.project(id).is_some_and(|p| p.org == org),
        };
        if !found {
            return Err(not_found());
        }
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

pub(super) fn rel_ids(
    st: &Model,
    org: &str,
    rels: &Map<String, Value>,
    kind: &str,
) -> Result<Option<Vec<String>>, ApiErr> {
    let Some(rel) = rels.get(kind) else {
        return Ok(None);
    };
    let arr = rel.get("data").and_then(Value::as_array).ok_or_else(|| {
        invalid(
            "data must be an array",
            &format!("/data/relationships/{kind}"),
        )
    })?;
    resolve(
        st,
        org,
        kind,
        &linkage_items(arr, &format!("/data/relationships/{kind}"))?,
    )
    .map(Some)
}

/// Global sets may not share a key+category with other global sets.
pub(crate) fn global_conflict(
    st: &Model,
    org: &str,
    except: &str,
    vars: &[Var],
) -> Result<(), ApiErr> {
    let clash = st
        .varsets
        .iter()
        .filter(|o| o.org == org && o.global && o.id != except)
        .any(|o| {
            o.vars.iter().any(|a| {
                vars.iter()
                    .any(|b| a.key == b.key && a.category == b.category)
            })
        });
    if clash {
        return Err(invalid(
            "Variable conflicts with a variable in another global variable set",
            "/data/attributes/key",
        ));
    }
    Ok(())
}

/// Builds the new variables of `relationships.vars` (validated against
/// `existing` and each other).
pub(super) fn new_vars(
    st: &mut Model,
    rels: &Map<String, Value>,
    existing: &[Var],
) -> Result<Vec<Var>, ApiErr> {
    let Some(arr) = rels
        .get("vars")
        .and_then(|r| r.get("data"))
        .and_then(Value::as_array)
    else {
        return Ok(Vec::new());
    };
    let mut all: Vec<Var> = existing.to_vec();
    let mut out = Vec::new();
    for item in arr {
        let a = parse_attrs(
            item.get("attributes")
                .and_then(Value::as_object)
                .unwrap_or(&Map::new()),
        )?;
        check(
            a.key.as_deref().unwrap_or(""),
            a.category.as_deref().unwrap_or(""),
            &all,
            None,
        )?;
        let v = build(st, a);
        all.push(v.clone());
        out.push(v);
    }
    Ok(out)
}

pub(super) fn name_check(st: &Model, org: &str, name: &str, except: &str) -> Result<(), ApiErr> {
    if name.trim().is_empty() {
        return Err(invalid("Name can't be blank", "/data/attributes/name"));
    }
    if st
        .varsets
        .iter()
        .any(|v| v.org == org && v.id != except && v.name == name)
    {
        return Err(invalid(
            "Name has already been taken",
            "/data/attributes/name",
        ));
    }
    Ok(())
}

pub(super) fn attr_bool(a: &Map<String, Value>, k: &str) -> Result<Option<bool>, ApiErr> {
    match a.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(invalid(
            &format!("{k} must be a boolean"),
            &format!("/data/attributes/{k}"),
        )),
    }
}

pub(super) fn attr_str(a: &Map<String, Value>, k: &str) -> Result<Option<String>, ApiErr> {
    match a.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(
            &format!("{k} must be a string"),
            &format!("/data/attributes/{k}"),
        )),
    }
}
