//! `GET /account/details`, `GET /ping` and service discovery
//! (`/.well-known/terraform.json`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::jsonapi::{ok, HResult};
use crate::server::Shared;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v2/account/details", get(details))
        .route("/api/v2/ping", get(ping))
        .route("/.well-known/terraform.json", get(discovery))
}

async fn details(State(sh): State<Arc<Shared>>) -> HResult {
    let st = sh.st();
    let id = &st.user_id;
    ok(json!({ "data": {
        "id": id,
        "type": "users",
        "attributes": {
            "username": st.username,
            "is-service-account": false,
            "auth-method": "tfc",
            "avatar-url": "https://www.gravatar.com/avatar/00000000000000000000000000000000?s=100&d=mm",
            "v2-only": false,
            "is-site-admin": false,
            "is-sso-login": false,
            "email": format!("{}@example.com", st.username),
            "unconfirmed-email": null,
            "two-factor": { "enabled": false, "verified": false },
            "permissions": {
                "can-create-organizations": true,
                "can-change-email": true,
                "can-change-username": true,
                "can-manage-user-tokens": true,
                "can-view2fa-settings": true,
                "can-manage-hcp-account": false,
            },
        },
        "relationships": {
            "authentication-tokens": {
                "links": { "related": format!("/api/v2/users/{id}/authentication-tokens") }
            },
            "authenticated-resource": {
                "data": { "id": id, "type": "users" },
                "links": { "related": format!("/api/v2/users/{id}") }
            },
        },
        "links": { "self": format!("/api/v2/users/{id}") },
    }}))
}

async fn ping() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    h.insert("tfp-api-version", HeaderValue::from_static("2.6"));
    h.insert("tfp-appname", HeaderValue::from_static("HCP Terraform"));
    r
}

async fn discovery() -> Response {
    Json(json!({
        "modules.v1": "/api/registry/v1/modules/",
        "motd.v1": "/api/terraform/motd",
        "state.v2": "/api/v2/",
        "tfe.v2": "/api/v2/",
        "tfe.v2.1": "/api/v2/",
        "tfe.v2.2": "/api/v2/",
    }))
    .into_response()
}
