//! Workspace variables (`/workspaces/:id/vars[/:var_id]`, `/all-vars`, not
//! paginated) and the variable validation/rendering shared with variable sets.
//! Show, create, update and delete of one variable live in `var_owner`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};

use super::var_owner;
use crate::jsonapi::{
    attributes, data_object, invalid, not_found, ok, parse_body, ApiErr, HResult,
};
use crate::server::Shared;
use crate::state::{now_iso, State as Model, Var, Varset, Workspace};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/api/v2/workspaces/{id}/vars",
            get(list).post(var_owner::create::<Workspace>),
        )
        .route(
            "/api/v2/workspaces/{id}/vars/{var_id}",
            get(var_owner::show::<Workspace>)
                .patch(var_owner::update::<Workspace>)
                .delete(var_owner::destroy::<Workspace>),
        )
        .route("/api/v2/workspaces/{id}/all-vars", get(all_vars))
}

/// Attributes of a variable write; `None` = not sent.
pub(crate) struct VarAttrs {
    pub key: Option<String>,
    pub value: Option<String>,
    pub description: Option<Option<String>>,
    pub category: Option<String>,
    pub hcl: Option<bool>,
    pub sensitive: Option<bool>,
}

fn ptr(name: &str) -> String {
    format!("/data/attributes/{name}")
}

fn string_attr(m: &Map<String, Value>, name: &str, coerce: bool) -> Result<Option<String>, ApiErr> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v @ (Value::Number(_) | Value::Bool(_))) if coerce => Ok(Some(v.to_string())),
        Some(_) => Err(invalid(&format!("{name} must be a string"), &ptr(name))),
    }
}

fn bool_attr(m: &Map<String, Value>, name: &str) -> Result<Option<bool>, ApiErr> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(invalid(&format!("{name} must be a boolean"), &ptr(name))),
    }
}

/// Parses the attributes of a `vars` resource object.
pub(crate) fn parse_attrs(m: &Map<String, Value>) -> Result<VarAttrs, ApiErr> {
    Ok(VarAttrs {
        key: string_attr(m, "key", false)?,
        value: string_attr(m, "value", true)?,
        description: m
            .contains_key("description")
            .then(|| string_attr(m, "description", false))
            .transpose()?,
        category: string_attr(m, "category", false)?,
        hcl: bool_attr(m, "hcl")?,
        sensitive: bool_attr(m, "sensitive")?,
    })
}

/// Parses a `{"data": {"type": "vars", "attributes": {...}}}` body.
pub(crate) fn parse_var_body(body: &Bytes) -> Result<VarAttrs, ApiErr> {
    let body = parse_body(body)?;
    parse_attrs(&attributes(data_object(&body)?)?)
}

/// Key/category validation and the key+category uniqueness rule.
pub(crate) fn check(
    key: &str,
    category: &str,
    existing: &[Var],
    except: Option<&str>,
) -> Result<(), ApiErr> {
    if key.trim().is_empty() {
        return Err(invalid("Key can't be blank", &ptr("key")));
    }
    if !matches!(category, "terraform" | "env") {
        return Err(invalid(
            "Category is not included in the list",
            &ptr("category"),
        ));
    }
    let taken = existing
        .iter()
        .any(|v| Some(v.id.as_str()) != except && v.key == key && v.category == category);
    if taken {
        return Err(invalid("Key has already been taken", &ptr("key")));
    }
    Ok(())
}

/// A new variable from validated attributes.
pub(crate) fn build(st: &mut Model, a: VarAttrs) -> Var {
    Var {
        id: st.next_id("var-"),
        key: a.key.unwrap_or_default(),
        value: a.value.unwrap_or_default(),
        description: a.description.flatten(),
        category: a.category.unwrap_or_default(),
        hcl: a.hcl.unwrap_or(false),
        sensitive: a.sensitive.unwrap_or(false),
        version_id: st.version_id(),
        created_at: now_iso(),
    }
}

/// The variable after applying `a` (validated against `siblings`).
pub(crate) fn updated(
    v: &Var,
    a: VarAttrs,
    siblings: &[Var],
    version_id: String,
) -> Result<Var, ApiErr> {
    let mut n = v.clone();
    if let Some(k) = a.key {
        n.key = k;
    }
    if let Some(c) = a.category {
        n.category = c;
    }
    check(&n.key, &n.category, siblings, Some(&v.id))?;
    if v.sensitive && a.sensitive == Some(false) {
        return Err(invalid(
            "Sensitive variables cannot be made non-sensitive",
            &ptr("sensitive"),
        ));
    }
    n.value = a.value.unwrap_or(n.value);
    n.description = a.description.unwrap_or(n.description);
    n.hcl = a.hcl.unwrap_or(n.hcl);
    n.sensitive = a.sensitive.unwrap_or(n.sensitive);
    n.version_id = version_id;
    Ok(n)
}

/// The `attributes` of a variable as the API shows it (no sensitive values).
pub(crate) fn var_attributes(v: &Var) -> Value {
    json!({
        "key": v.key,
        "value": if v.sensitive { Value::Null } else { json!(v.value) },
        "description": v.description,
        "sensitive": v.sensitive,
        "category": v.category,
        "hcl": v.hcl,
        "created-at": v.created_at,
        "version-id": v.version_id,
    })
}

pub(crate) fn ws_var_json(w: &Workspace, v: &Var) -> Value {
    json!({
        "id": v.id,
        "type": "vars",
        "attributes": var_attributes(v),
        "relationships": { "configurable": {
            "data": { "id": w.id, "type": "workspaces" },
            "links": { "related": format!("/api/v2/organizations/{}/workspaces/{}", w.org, w.name) },
        }},
        "links": { "self": format!("/api/v2/workspaces/{}/vars/{}", w.id, v.id) },
    })
}

pub(crate) fn varset_var_json(vs: &Varset, v: &Var) -> Value {
    json!({
        "id": v.id,
        "type": "vars",
        "attributes": var_attributes(v),
        "relationships": { "varset": {
            "data": { "id": vs.id, "type": "varsets" },
            "links": { "related": format!("/api/v2/varsets/{}", vs.id) },
        }},
        "links": { "self": format!("/api/v2/vars/{}", v.id) },
    })
}

async fn list(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> HResult {
    let st = sh.st();
    let w = st.workspace(&id).ok_or_else(not_found)?;
    let data: Vec<Value> = w.vars.iter().map(|v| ws_var_json(w, v)).collect();
    ok(json!({ "data": data }))
}

/// Effective variables: one per key+category, highest precedence wins
/// (priority sets, then workspace, workspace-scoped sets, project-scoped
/// sets, global sets; within one of these, the set whose name sorts first,
/// as HashiCorp's variable precedence docs say).
async fn all_vars(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> HResult {
    let st = sh.st();
    let w = st.workspace(&id).ok_or_else(not_found)?;
    let mut ranked: Vec<((u8, &str), &Var, Value)> = w
        .vars
        .iter()
        .map(|v| ((11, ""), v, ws_var_json(w, v)))
        .collect();
    for vs in st.varsets_for_workspace(w) {
        let scope = if vs.workspace_ids.contains(&w.id) {
            2
        } else if vs.project_ids.contains(&w.project_id) {
            3
        } else {
            4
        };
        let rank = if vs.priority { scope } else { 10 + scope };
        let key = (rank, vs.name.as_str());
        ranked.extend(vs.vars.iter().map(|v| (key, v, varset_var_json(vs, v))));
    }
    ranked.sort_by_key(|(r, _, _)| *r);
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut data = Vec::new();
    for (_, v, j) in ranked {
        if !seen.contains(&(v.key.as_str(), v.category.as_str())) {
            seen.push((&v.key, &v.category));
            data.push(j);
        }
    }
    ok(json!({ "data": data }))
}
