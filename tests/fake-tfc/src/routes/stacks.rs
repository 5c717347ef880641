//! `GET /organizations/:organization_name/stacks` (`filter[project][id]`,
//! `search[name]`, paging) and `GET /stacks/:stack_id`, shaped as HashiCorp's
//! Stacks API reference and go-tfe's `Stack` describe them.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::jsonapi::{fuzzy, not_found, ok, paginate, HResult, Req};
use crate::server::Shared;
use crate::state::Stack;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v2/organizations/{org}/stacks", get(list))
        .route("/api/v2/stacks/{id}", get(show))
}

fn stack_json(s: &Stack) -> Value {
    json!({
        "id": s.id,
        "type": "stacks",
        "attributes": {
            "name": s.name,
            "description": null,
            "deployment-names": s.deployment_names,
            "vcs-repo": null,
            "errors-count": 0,
            "warnings-count": 0,
            "created-at": s.created_at,
            "updated-at": s.created_at,
        },
        "relationships": {
            "project": { "data": { "id": s.project_id, "type": "projects" } },
            "latest-stack-configuration": { "data": null },
        },
        "links": { "self": format!("/api/v2/stacks/{}", s.id) },
    })
}

async fn list(State(sh): State<Arc<Shared>>, Path(org): Path<String>, req: Req) -> HResult {
    let st = sh.st();
    st.org(&org).ok_or_else(not_found)?;
    let project = req.get("filter[project][id]");
    let name = req.get("search[name]");
    let mut matching: Vec<&Stack> = st
        .stacks
        .iter()
        .filter(|s| s.org == org)
        .filter(|s| project.is_none_or(|p| s.project_id == p))
        .filter(|s| name.is_none_or(|q| fuzzy(&s.name, q)))
        .collect();
    matching.sort_by_key(|s| s.name.to_lowercase());
    let items = matching.iter().map(|s| stack_json(s)).collect();
    let path = format!("/api/v2/organizations/{org}/stacks");
    ok(Value::Object(paginate(
        &req,
        &path,
        items,
        st.page_size_limit,
    )))
}

async fn show(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> HResult {
    let st = sh.st();
    let s = st
        .stacks
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(not_found)?;
    ok(json!({ "data": stack_json(s) }))
}
