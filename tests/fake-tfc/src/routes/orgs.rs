//! `GET /organizations` (paginated only when a page parameter is given, as
//! documented) and `GET /organizations/:organization_name`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::jsonapi::{fuzzy, not_found, ok, paginate, HResult, Req};
use crate::server::Shared;
use crate::state::{Org, State as Model};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v2/organizations", get(list))
        .route("/api/v2/organizations/{org}", get(show))
}

pub(crate) fn org_json(st: &Model, o: &Org) -> Value {
    let email = format!("{}@example.com", st.username);
    let mut rels = json!({
        "entitlement-set": {
            "data": { "id": o.external_id, "type": "entitlement-sets" },
            "links": { "related": format!("/api/v2/organizations/{}/entitlement-set", o.name) }
        },
        "oauth-tokens": { "links": { "related": format!("/api/v2/organizations/{}/oauth-tokens", o.name) } },
        "authentication-token": { "links": { "related": format!("/api/v2/organizations/{}/authentication-token", o.name) } },
        "default-agent-pool": { "data": null },
    });
    if let Some(p) = st.project_by_name(&o.name, "Default Project") {
        rels["default-project"] = json!({ "data": { "id": p.id, "type": "projects" } });
    }
    let perms = json!({
        "can-update": true,
        "can-destroy": true,
        "can-access-via-teams": true,
        "can-create-module": true,
        "can-create-team": true,
        "can-create-workspace": true,
        "can-create-project": true,
        "can-manage-users": true,
        "can-manage-subscription": true,
        "can-manage-sso": true,
        "can-update-oauth": true,
        "can-update-sentinel": true,
        "can-update-ssh-keys": true,
        "can-update-api-token": true,
        "can-traverse": true,
        "can-start-trial": false,
        "can-update-agent-pools": true,
        "can-manage-tags": true,
        "can-manage-varsets": true,
        "can-read-varsets": true,
        "can-manage-public-providers": true,
        "can-create-provider": true,
        "can-manage-public-modules": true,
        "can-manage-custom-providers": true,
        "can-manage-run-tasks": true,
        "can-read-run-tasks": true,
    });
    json!({
        "id": o.name,
        "type": "organizations",
        "attributes": {
            "name": o.name,
            "external-id": o.external_id,
            "email": email,
            "created-at": o.created_at,
            "session-timeout": null,
            "session-remember": null,
            "collaborator-auth-policy": "password",
            "plan-expired": false,
            "plan-expires-at": null,
            "plan-is-trial": false,
            "plan-is-enterprise": false,
            "plan-identifier": "free",
            "cost-estimation-enabled": false,
            "send-passing-statuses-for-untriggered-speculative-plans": false,
            "allow-force-delete-workspaces": false,
            "default-execution-mode": "remote",
            "saml-enabled": false,
            "two-factor-conformant": false,
            "assessments-enforced": false,
            "permissions": perms,
        },
        "relationships": rels,
        "links": { "self": format!("/api/v2/organizations/{}", o.name) },
    })
}

async fn list(State(sh): State<Arc<Shared>>, req: Req) -> HResult {
    let st = sh.st();
    let q = req.get("q").or(req.get("q[name]")).unwrap_or("");
    let items: Vec<Value> = st
        .orgs
        .iter()
        .filter(|o| q.is_empty() || fuzzy(&o.name, q))
        .map(|o| org_json(&st, o))
        .collect();
    if !req.paging_requested() {
        // Documented quirk: without page parameters the whole list comes
        // back with no pagination metadata.
        return ok(json!({ "data": items }));
    }
    ok(Value::Object(paginate(
        &req,
        "/api/v2/organizations",
        items,
        st.page_size_limit,
    )))
}

async fn show(State(sh): State<Arc<Shared>>, Path(org): Path<String>) -> HResult {
    let st = sh.st();
    let o = st.org(&org).ok_or_else(not_found)?;
    ok(json!({ "data": org_json(&st, o) }))
}
