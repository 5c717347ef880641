//! Variable set relationships: variables inside a set
//! (`/varsets/:id/relationships/vars[/:var_id]`; one variable's show, create,
//! update and delete live in `var_owner`) and attaching/detaching
//! workspaces and projects (`/varsets/:id/relationships/{workspaces,projects}`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::var_owner;
use super::vars::varset_var_json;
use super::varset_input::resolve;
use crate::jsonapi::{
    invalid, linkage_list, no_content, not_found, ok, paginate, parse_body, HResult, Req,
};
use crate::server::Shared;
use crate::state::{now_iso, Varset};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/api/v2/varsets/{id}/relationships/vars",
            get(list).post(var_owner::create::<Varset>),
        )
        .route(
            "/api/v2/varsets/{id}/relationships/vars/{var_id}",
            get(var_owner::show::<Varset>)
                .patch(var_owner::update::<Varset>)
                .delete(var_owner::destroy::<Varset>),
        )
        .route(
            "/api/v2/varsets/{id}/relationships/workspaces",
            post(attach_ws).delete(detach_ws),
        )
        .route(
            "/api/v2/varsets/{id}/relationships/projects",
            post(attach_prj).delete(detach_prj),
        )
}

/// The variables of a set. The documented sample answers `data` and `links` without
/// `meta`; go-tfe lists them with `page[number]`/`page[size]` and reads `meta.pagination`. So a
/// request with a page parameter gets the standard paginated document, and one without gets
/// every variable with the documented `links` (one page).
async fn list(State(sh): State<Arc<Shared>>, Path(id): Path<String>, req: Req) -> HResult {
    let st = sh.st();
    let vs = st.varset(&id).ok_or_else(not_found)?;
    let data: Vec<Value> = vs.vars.iter().map(|v| varset_var_json(vs, v)).collect();
    let path = format!("/api/v2/varsets/{id}/relationships/vars");
    if req.paging_requested() {
        return ok(Value::Object(paginate(
            &req,
            &path,
            data,
            st.page_size_limit,
        )));
    }
    let url = format!("{}{path}", req.base);
    ok(json!({
        "data": data,
        "links": { "self": url, "first": url, "prev": null, "next": null, "last": url },
    }))
}

/// Shared body of the four attach/detach endpoints.
fn relate(sh: &Shared, id: &str, kind: &str, attach: bool, body: &Bytes) -> HResult {
    let body = parse_body(body)?;
    let mut st = sh.st();
    let vs = st.varset(id).ok_or_else(not_found)?;
    if vs.global {
        return Err(invalid(
            &format!("Global variable sets cannot be assigned to specific {kind}"),
            "/data",
        ));
    }
    let org = vs.org.clone();
    let ids = resolve(&st, &org, kind, &linkage_list(&body)?)?;
    let vs = st.varset_mut(id).ok_or_else(not_found)?;
    let list = if kind == "workspaces" {
        &mut vs.workspace_ids
    } else {
        &mut vs.project_ids
    };
    for i in ids {
        if attach && !list.contains(&i) {
            list.push(i);
        } else if !attach {
            list.retain(|x| *x != i);
        }
    }
    vs.updated_at = now_iso();
    no_content()
}

async fn attach_ws(State(sh): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> HResult {
    relate(&sh, &id, "workspaces", true, &body)
}

async fn detach_ws(State(sh): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> HResult {
    relate(&sh, &id, "workspaces", false, &body)
}

async fn attach_prj(State(sh): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> HResult {
    relate(&sh, &id, "projects", true, &body)
}

async fn detach_prj(State(sh): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> HResult {
    relate(&sh, &id, "projects", false, &body)
}
