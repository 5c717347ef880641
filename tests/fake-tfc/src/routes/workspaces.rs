//! `GET /organizations/:org/workspaces` (`search[name]`,
//! `search[wildcard-name]`, `filter[project][id]`, `sort`, paging),
//! `GET /organizations/:org/workspaces/:name` and `GET /workspaces/:id`,
//! all with `include=project` / `include=organization`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};

use super::orgs::org_json;
use super::projects::project_json;
use crate::jsonapi::{fuzzy, not_found, ok, paginate, HResult, Req};
use crate::server::Shared;
use crate::state::{State as Model, Workspace};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v2/organizations/{org}/workspaces", get(list))
        .route(
            "/api/v2/organizations/{org}/workspaces/{name}",
            get(show_by_name),
        )
        .route("/api/v2/workspaces/{id}", get(show_by_id))
}

pub(crate) fn workspace_json(w: &Workspace) -> Value {
    let vars: Vec<Value> = w
        .vars
        .iter()
        .map(|v| json!({ "id": v.id, "type": "vars" }))
        .collect();
    let selfl = format!("/api/v2/organizations/{}/workspaces/{}", w.org, w.name);
    let perms = json!({
        "can-update": true,
        "can-destroy": true,
        "can-queue-run": true,
        "can-read-run": true,
        "can-read-variable": true,
        "can-update-variable": true,
        "can-read-state-versions": true,
        "can-read-state-outputs": true,
        "can-create-state-versions": true,
        "can-queue-apply": true,
        "can-lock": true,
        "can-unlock": true,
        "can-force-unlock": true,
        "can-read-settings": true,
        "can-manage-tags": true,
        "can-manage-run-tasks": true,
        "can-force-delete": true,
        "can-manage-assessments": true,
        "can-read-assessments": true,
        "can-queue-destroy": true,
    });
    json!({
        "id": w.id,
        "type": "workspaces",
        "attributes": {
            "name": w.name,
            "description": null,
            "environment": "default",
            "execution-mode": "remote",
            "operations": true,
            "terraform-version": "1.9.8",
            "working-directory": "",
            "auto-apply": false,
            "auto-apply-run-trigger": false,
            "allow-destroy-plan": true,
            "assessments-enabled": false,
            "file-triggers-enabled": true,
            "global-remote-state": false,
            "queue-all-runs": false,
            "speculative-enabled": true,
            "structured-run-output-enabled": true,
            "locked": false,
            "resource-count": 0,
            "source": "tfe-api",
            "source-name": null,
            "source-url": null,
            "tag-names": [],
            "trigger-prefixes": [],
            "trigger-patterns": [],
            "vcs-repo": null,
            "vcs-repo-identifier": null,
            "created-at": w.created_at,
            "updated-at": w.created_at,
            "latest-change-at": w.created_at,
            "auto-destroy-at": null,
            "setting-overwrites": { "execution-mode": false, "agent-pool": false },
            "actions": { "is-destroyable": true },
            "permissions": perms,
        },
        "relationships": {
            "organization": { "data": { "id": w.org, "type": "organizations" } },
            "project": { "data": { "id": w.project_id, "type": "projects" } },
            "vars": { "data": vars },
            "current-run": { "data": null },
            "latest-run": { "data": null },
            "current-state-version": { "data": null },
            "current-configuration-version": match &w.cv_id {
                Some(cv) => json!({
                    "data": { "id": cv, "type": "configuration-versions" },
                    "links": { "related": format!("/api/v2/configuration-versions/{cv}") },
                }),
                None => json!({ "data": null }),
            },
            "agent-pool": { "data": null },
            "locked-by": { "data": null },
            "outputs": { "data": [] },
            "readme": { "data": null },
        },
        "links": {
            "self": selfl,
            "self-html": format!("/app/{}/workspaces/{}", w.org, w.name),
        },
    })
}

/// `included` resources for the requested `include` values.
fn included(st: &Model, req: &Req, wss: &[&Workspace]) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for w in wss {
        if req.includes("project") && !seen.contains(&w.project_id) {
            if let Some(p) = st.project(&w.project_id) {
                seen.push(p.id.clone());
                out.push(project_json(st, p));
            }
        }
        if req.includes("current_configuration_version") {
            if let Some(cv) = w.cv_id.as_ref().filter(|cv| !seen.contains(cv)) {
                seen.push(cv.clone());
                out.push(super::runs::configuration_version_json(cv, &w.created_at));
            }
        }
        if req.includes("organization") && !seen.contains(&w.org) {
            if let Some(o) = st.org(&w.org) {
                seen.push(o.name.clone());
                out.push(org_json(st, o));
            }
        }
    }
    (req.includes("project")
        || req.includes("organization")
        || req.includes("current_configuration_version"))
    .then_some(out)
}

fn wildcard(name: &str, pattern: &str) -> bool {
    let (pre, suf) = (pattern.starts_with('*'), pattern.ends_with('*'));
    let core = pattern.trim_matches('*');
    match (pre, suf) {
        (true, true) => name.contains(core),
        (true, false) => name.ends_with(core),
        (false, true) => name.starts_with(core),
        (false, false) => name == core,
    }
}

async fn list(State(sh): State<Arc<Shared>>, Path(org): Path<String>, req: Req) -> HResult {
    let st = sh.st();
    st.org(&org).ok_or_else(not_found)?;
    let mut wss: Vec<&Workspace> = st
        .workspaces
        .iter()
        .filter(|w| w.org == org)
        .filter(|w| req.get("search[name]").is_none_or(|q| fuzzy(&w.name, q)))
        .filter(|w| {
            req.get("search[wildcard-name]")
                .is_none_or(|p| wildcard(&w.name, p))
        })
        .filter(|w| {
            req.get("filter[project][id]")
                .is_none_or(|p| w.project_id == p)
        })
        .collect();
    wss.sort_by_key(|w| w.name.to_lowercase());
    if req.get("sort") == Some("-name") {
        wss.reverse();
    }
    let items = wss.iter().map(|w| workspace_json(w)).collect();
    let path = format!("/api/v2/organizations/{org}/workspaces");
    let mut docu: Map<String, Value> = paginate(&req, &path, items, st.page_size_limit);
    let on_page: Vec<&Workspace> = docu["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["id"].as_str().and_then(|id| st.workspace(id)))
                .collect()
        })
        .unwrap_or_default();
    if let Some(inc) = included(&st, &req, &on_page) {
        docu.insert("included".into(), Value::Array(inc));
    }
    ok(Value::Object(docu))
}

fn single(st: &Model, req: &Req, w: &Workspace) -> HResult {
    let mut docu = json!({ "data": workspace_json(w) });
    if let Some(inc) = included(st, req, &[w]) {
        docu["included"] = Value::Array(inc);
    }
    ok(docu)
}

async fn show_by_name(
    State(sh): State<Arc<Shared>>,
    Path((org, name)): Path<(String, String)>,
    req: Req,
) -> HResult {
    let st = sh.st();
    let w = st.workspace_by_name(&org, &name).ok_or_else(not_found)?;
    single(&st, &req, w)
}

async fn show_by_id(State(sh): State<Arc<Shared>>, Path(id): Path<String>, req: Req) -> HResult {
    let st = sh.st();
    let w = st.workspace(&id).ok_or_else(not_found)?;
    single(&st, &req, w)
}
