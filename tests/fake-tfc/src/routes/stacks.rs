//! `GET /organizations/:organization_name/stacks` (paging, `sort`; also
//! `filter[project][id]` and `search[name]`), `GET /stacks/:stack_id` and
//! `GET /stacks/:stack_id/stack-deployments`, shaped as HashiCorp's Stacks API
//! and Stack deployments API references describe the generally available API:
//! the Stack object carries no deployment names (the beta `deployment-names`
//! attribute is gone), they come from the deployments list.

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
        .route("/api/v2/stacks/{id}/stack-deployments", get(deployments))
}

fn stack_json(s: &Stack) -> Value {
    json!({
        "id": s.id,
        "type": "stacks",
        "attributes": {
            "name": s.name,
            "description": null,
            "vcs-repo": null,
            "speculative-enabled": false,
            "linked-stack-connections": {
                "upstream-count": 0,
                "downstream-count": 0,
                "inputs-count": 0,
                "outputs-count": 0,
            },
            "created-at": s.created_at,
            "updated-at": s.created_at,
        },
        "relationships": {
            "project": { "data": { "id": s.project_id, "type": "projects" } },
            "agent-pool": { "data": null },
            "latest-stack-configuration": { "data": null },
            "stack-configurations": {
                "links": { "related": format!("/api/v2/stacks/{}/stack-configurations", s.id) },
            },
        },
        "links": { "self": format!("/api/v2/stacks/{}", s.id) },
        "meta": { "beta": false },
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

/// The Stack with this id, or the API's 404.
fn find<'a>(st: &'a crate::state::State, id: &str) -> Result<&'a Stack, crate::jsonapi::ApiErr> {
    st.stacks.iter().find(|s| s.id == id).ok_or_else(not_found)
}

async fn show(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> HResult {
    let st = sh.st();
    ok(json!({ "data": stack_json(find(&st, &id)?) }))
}

/// One deployment as the list shows it: id `<stack id>-std-<name>`.
fn deployment_json(s: &Stack, name: &str) -> Value {
    let self_link = format!("/api/v2/stacks/{}/stack-deployments/{name}", s.id);
    json!({
        "id": format!("{}-std-{name}", s.id),
        "type": "stack-deployments",
        "attributes": { "name": name },
        "relationships": {
            "stack": { "data": { "id": s.id, "type": "stacks" } },
            "latest-deployment-run": { "data": null },
        },
        "links": {
            "self": self_link,
            "stack-deployment-runs": format!("{self_link}/stack-deployment-runs"),
        },
    })
}

async fn deployments(State(sh): State<Arc<Shared>>, Path(id): Path<String>, req: Req) -> HResult {
    let st = sh.st();
    let s = find(&st, &id)?;
    let items = s
        .deployment_names
        .iter()
        .map(|d| deployment_json(s, d))
        .collect();
    let path = format!("/api/v2/stacks/{id}/stack-deployments");
    ok(Value::Object(paginate(
        &req,
        &path,
        items,
        st.page_size_limit,
    )))
}
