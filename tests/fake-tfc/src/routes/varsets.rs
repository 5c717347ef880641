//! Variable sets: list (organization / workspace / project, paginated, `q`,
//! `include`), create, show, update (PATCH/PUT) and delete.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};

use super::projects::project_json;
use super::vars::varset_var_json;
use super::varset_input::{attr_bool, attr_str, global_conflict, name_check, new_vars, rel_ids};
use super::workspaces::workspace_json;
use crate::jsonapi::{
    attributes, data_object, fuzzy, invalid, no_content, not_found, ok, paginate, parse_body,
    ApiErr, HResult, Req,
};
use crate::server::Shared;
use crate::state::{now_iso, Parent, State as Model, Var, Varset};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/api/v2/organizations/{org}/varsets",
            get(list_org).post(create),
        )
        .route("/api/v2/workspaces/{id}/varsets", get(list_ws))
        .route("/api/v2/projects/{id}/varsets", get(list_prj))
        .route(
            "/api/v2/varsets/{id}",
            get(show).patch(update).put(update).delete(destroy),
        )
}

fn refs(kind: &str, ids: &[String]) -> Vec<Value> {
    ids.iter()
        .map(|id| json!({ "id": id, "type": kind }))
        .collect()
}

pub(crate) fn varset_json(vs: &Varset) -> Value {
    let var_ids: Vec<String> = vs.vars.iter().map(|v| v.id.clone()).collect();
    let parent = match &vs.parent {
        Parent::Org => json!({ "id": vs.org, "type": "organizations" }),
        Parent::Project(p) => json!({ "id": p, "type": "projects" }),
    };
    json!({
        "id": vs.id,
        "type": "varsets",
        "attributes": {
            "name": vs.name,
            "description": vs.description,
            "global": vs.global,
            "priority": vs.priority,
            "created-at": vs.created_at,
            "updated-at": vs.updated_at,
            "var-count": vs.vars.len(),
            "workspace-count": vs.workspace_ids.len(),
            "project-count": vs.project_ids.len(),
            "stack-count": 0,
        },
        "relationships": {
            "organization": { "data": { "id": vs.org, "type": "organizations" } },
            "vars": { "data": refs("vars", &var_ids) },
            "workspaces": { "data": refs("workspaces", &vs.workspace_ids) },
            "projects": { "data": refs("projects", &vs.project_ids) },
            "stacks": { "data": [] },
            "parent": { "data": parent },
        },
        "links": { "self": format!("/api/v2/varsets/{}", vs.id) },
    })
}

/// `included` for `include=vars,workspaces,projects`.
fn included(st: &Model, req: &Req, sets: &[&Varset]) -> Option<Vec<Value>> {
    let wanted = ["vars", "workspaces", "projects"];
    if !wanted.iter().any(|w| req.includes(w)) {
        return None;
    }
    let mut out: Vec<Value> = Vec::new();
    let mut push = |v: Value| {
        if !out
            .iter()
            .any(|o| o["id"] == v["id"] && o["type"] == v["type"])
        {
            out.push(v);
        }
    };
    for vs in sets {
        if req.includes("vars") {
            vs.vars.iter().for_each(|v| push(varset_var_json(vs, v)));
        }
        if req.includes("workspaces") {
            vs.workspace_ids
                .iter()
                .filter_map(|id| st.workspace(id))
                .for_each(|w| push(workspace_json(w)));
        }
        if req.includes("projects") {
            vs.project_ids
                .iter()
                .filter_map(|id| st.project(id))
                .for_each(|p| push(project_json(st, p)));
        }
    }
    Some(out)
}

/// One page of the variable sets `scope` picks (404 when `scope` finds no
/// owner), filtered by `q`, with `included` when asked for.
fn list_doc(
    sh: &Shared,
    req: &Req,
    path: &str,
    scope: impl for<'a> FnOnce(&'a Model) -> Option<Vec<&'a Varset>>,
) -> HResult {
    let st = sh.st();
    let sets: Vec<&Varset> = scope(&st)
        .ok_or_else(not_found)?
        .into_iter()
        .filter(|v| req.get("q").is_none_or(|q| fuzzy(&v.name, q)))
        .collect();
    let items = sets.iter().map(|v| varset_json(v)).collect();
    let mut docu = paginate(req, path, items, st.page_size_limit);
    let page: Vec<&Varset> = docu["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["id"].as_str().and_then(|id| st.varset(id)))
                .collect()
        })
        .unwrap_or_default();
    if let Some(inc) = included(&st, req, &page) {
        docu.insert("included".into(), Value::Array(inc));
    }
    ok(Value::Object(docu))
}

async fn list_org(State(sh): State<Arc<Shared>>, Path(org): Path<String>, req: Req) -> HResult {
    let path = format!("/api/v2/organizations/{org}/varsets");
    list_doc(&sh, &req, &path, |st| {
        st.org(&org)?;
        Some(st.varsets.iter().filter(|v| v.org == org).collect())
    })
}

async fn list_ws(State(sh): State<Arc<Shared>>, Path(id): Path<String>, req: Req) -> HResult {
    let path = format!("/api/v2/workspaces/{id}/varsets");
    list_doc(&sh, &req, &path, |st| {
        st.workspace(&id).map(|w| st.varsets_for_workspace(w))
    })
}

async fn list_prj(State(sh): State<Arc<Shared>>, Path(id): Path<String>, req: Req) -> HResult {
    let path = format!("/api/v2/projects/{id}/varsets");
    list_doc(&sh, &req, &path, |st| {
        st.project(&id).map(|p| st.varsets_for_project(p))
    })
}

async fn show(State(sh): State<Arc<Shared>>, Path(id): Path<String>, req: Req) -> HResult {
    let st = sh.st();
    let vs = st.varset(&id).ok_or_else(not_found)?;
    let mut docu = json!({ "data": varset_json(vs) });
    if let Some(inc) = included(&st, &req, &[vs]) {
        docu["included"] = Value::Array(inc);
    }
    ok(docu)
}

type JsonObject = Map<String, Value>;

/// The `attributes` and `relationships` (empty when not sent) of a create or
/// update body.
fn write_body(body: &Bytes) -> Result<(JsonObject, JsonObject), ApiErr> {
    let body = parse_body(body)?;
    let data = data_object(&body)?;
    let a = attributes(data)?;
    let rels = data
        .get("relationships")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok((a, rels))
}

fn project_owned_global() -> ApiErr {
    invalid(
        "Global must be false for project-owned variable sets",
        "/data/attributes/global",
    )
}

async fn create(State(sh): State<Arc<Shared>>, Path(org): Path<String>, body: Bytes) -> HResult {
    let (a, rels) = write_body(&body)?;
    let mut st = sh.st();
    st.org(&org).ok_or_else(not_found)?;
    let name = attr_str(&a, "name")?.unwrap_or_default();
    name_check(&st, &org, &name, "")?;
    let global = attr_bool(&a, "global")?.unwrap_or(false);
    let parent = match rels.get("parent").and_then(|p| p.get("data")) {
        Some(p) if p["type"] == "projects" => {
            let id = p["id"].as_str().unwrap_or("");
            if st.project(id).is_none_or(|p| p.org != org) {
                return Err(not_found());
            }
            if global {
                return Err(project_owned_global());
            }
            Parent::Project(id.to_string())
        }
        Some(p) if p["type"] == "organizations" && p["id"] != json!(org) => return Err(not_found()),
        _ => Parent::Org,
    };
    let workspace_ids = rel_ids(&st, &org, &rels, "workspaces")?.unwrap_or_default();
    let project_ids = rel_ids(&st, &org, &rels, "projects")?.unwrap_or_default();
    let vars = new_vars(&mut st, &rels, &[])?;
    if global {
        global_conflict(&st, &org, "", &vars)?;
    }
    let now = now_iso();
    let vs = Varset {
        id: st.next_id("varset-"),
        org,
        name,
        description: attr_str(&a, "description")?.unwrap_or_default(),
        global,
        priority: attr_bool(&a, "priority")?.unwrap_or(false),
        parent,
        workspace_ids,
        project_ids,
        vars,
        created_at: now.clone(),
        updated_at: now,
    };
    let out = json!({ "data": varset_json(&vs) });
    st.varsets.push(vs);
    ok(out)
}

async fn update(State(sh): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> HResult {
    let (a, rels) = write_body(&body)?;
    let mut st = sh.st();
    let vs = st.varset(&id).ok_or_else(not_found)?;
    let (org, existing, was_global) = (vs.org.clone(), vs.vars.clone(), vs.global);
    let is_project_owned = vs.parent != Parent::Org;
    let name = attr_str(&a, "name")?;
    if let Some(n) = &name {
        name_check(&st, &org, n, &id)?;
    }
    let global = attr_bool(&a, "global")?.unwrap_or(was_global);
    if global && is_project_owned {
        return Err(project_owned_global());
    }
    let ws_ids = rel_ids(&st, &org, &rels, "workspaces")?;
    let prj_ids = rel_ids(&st, &org, &rels, "projects")?;
    let added = new_vars(&mut st, &rels, &existing)?;
    if global {
        let all: Vec<Var> = existing.iter().chain(added.iter()).cloned().collect();
        global_conflict(&st, &org, &id, &all)?;
    }
    let description = attr_str(&a, "description")?;
    let priority = attr_bool(&a, "priority")?;
    let vs = st.varset_mut(&id).ok_or_else(not_found)?;
    vs.name = name.unwrap_or(vs.name.clone());
    vs.description = description.unwrap_or(vs.description.clone());
    vs.global = global;
    vs.priority = priority.unwrap_or(vs.priority);
    vs.workspace_ids = ws_ids.unwrap_or(vs.workspace_ids.clone());
    vs.project_ids = prj_ids.unwrap_or(vs.project_ids.clone());
    vs.vars.extend(added);
    vs.updated_at = now_iso();
    ok(json!({ "data": varset_json(vs) }))
}

async fn destroy(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> HResult {
    let mut st = sh.st();
    let i = st
        .varsets
        .iter()
        .position(|v| v.id == id)
        .ok_or_else(not_found)?;
    st.varsets.remove(i);
    no_content()
}
