//! `GET /organizations/:organization_name/projects` (`q`, `filter[names]`,
//! `sort`, paging) and `GET /projects/:project_id`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::jsonapi::{fuzzy, not_found, ok, paginate, HResult, Req};
use crate::server::Shared;
use crate::state::{Project, State as Model};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v2/organizations/{org}/projects", get(list))
        .route("/api/v2/projects/{id}", get(show))
}

pub(crate) fn project_json(st: &Model, p: &Project) -> Value {
    let count = st
        .workspaces
        .iter()
        .filter(|w| w.project_id == p.id)
        .count();
    json!({
        "id": p.id,
        "type": "projects",
        "attributes": {
            "name": p.name,
            "description": null,
            "created-at": p.created_at,
            "workspace-count": count,
            "team-count": 0,
            "stack-count": 0,
            "default-execution-mode": "remote",
            "stacks-default-execution-mode": "remote",
            "setting-overwrites": { "default-execution-mode": false, "default-agent-pool": false },
            "auto-destroy-activity-duration": null,
            "permissions": {
                "can-read": true,
                "can-update": true,
                "can-destroy": true,
                "can-create-workspace": true,
                "can-move-workspace": true,
                "can-move-stack": true,
                "can-deploy-no-code-modules": true,
                "can-read-teams": true,
                "can-manage-tags": true,
                "can-manage-teams": true,
                "can-manage-in-hcp": false,
                "can-manage-ephemeral-workspace-for-projects": true,
                "can-manage-varsets": true,
            },
        },
        "relationships": {
            "organization": { "data": { "id": p.org, "type": "organizations" } },
            "default-agent-pool": { "data": null },
            "tag-bindings": { "links": { "related": format!("/api/v2/projects/{}/tag-bindings", p.id) } },
            "effective-tag-bindings": { "links": { "related": format!("/api/v2/projects/{}/effective-tag-bindings", p.id) } },
        },
        "links": { "self": format!("/api/v2/projects/{}", p.id) },
    })
}

async fn list(State(sh): State<Arc<Shared>>, Path(org): Path<String>, req: Req) -> HResult {
    let st = sh.st();
    st.org(&org).ok_or_else(not_found)?;
    let all: Vec<&Project> = st.projects.iter().filter(|p| p.org == org).collect();
    let total = all.len();
    let mut matching: Vec<&Project> = match (req.get("filter[names]"), req.get("q")) {
        (Some(names), _) => {
            let names: Vec<String> = names.split(',').map(|n| n.trim().to_lowercase()).collect();
            all.into_iter()
                .filter(|p| names.contains(&p.name.to_lowercase()))
                .collect()
        }
        (None, Some(q)) => all.into_iter().filter(|p| fuzzy(&p.name, q)).collect(),
        (None, None) => all,
    };
    matching.sort_by_key(|p| p.name.to_lowercase());
    if req.get("sort") == Some("-name") {
        matching.reverse();
    }
    let n = matching.len();
    let items = matching.iter().map(|p| project_json(&st, p)).collect();
    let path = format!("/api/v2/organizations/{org}/projects");
    let mut docu = paginate(&req, &path, items, st.page_size_limit);
    docu["meta"]["status-counts"] = json!({ "total": total, "matching": n });
    ok(Value::Object(docu))
}

async fn show(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> HResult {
    let st = sh.st();
    let p = st.project(&id).ok_or_else(not_found)?;
    ok(json!({ "data": project_json(&st, p) }))
}
