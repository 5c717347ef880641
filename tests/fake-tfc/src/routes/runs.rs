//! `POST /runs`, `GET /runs/:id`, `GET /plans/:id`, `GET /configuration-versions/:id`, and the
//! archive path the plans' `log-read-url` points at (`/_archivist/v1/object/:token`), which
//! answers 403 — and counts it — when a request carries an `Authorization` header.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::jsonapi::{
    attributes, data_object, doc, invalid, not_found, ok, parse_body, HResult, Req,
};
use crate::runs::Run;
use crate::server::{lock, Shared};
use crate::state::now_iso;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v2/runs", post(create))
        .route("/api/v2/runs/{id}", get(show))
        .route("/api/v2/plans/{id}", get(show_plan))
        .route("/api/v2/configuration-versions/{id}", get(show_cv))
        .route("/_archivist/v1/object/{token}", get(archive))
}

/// A configuration version as `GET /configuration-versions/:id` shows it.
pub(crate) fn configuration_version_json(id: &str, created_at: &str) -> Value {
    json!({
        "id": id,
        "type": "configuration-versions",
        "attributes": {
            "auto-queue-runs": true, "error": null, "error-message": null, "source": "tfe-api",
            "speculative": false, "provisional": false, "status": "uploaded",
            "status-timestamps": { "uploaded-at": created_at }, "changed-files": [],
        },
        "relationships": { "ingress-attributes": { "data": null } },
        "links": {
            "self": format!("/api/v2/configuration-versions/{id}"),
            "download": format!("/api/v2/configuration-versions/{id}/download"),
        },
    })
}

fn run_json(r: &Run) -> Value {
    let status = r.status();
    let finished = matches!(status, "planned_and_finished" | "errored");
    json!({
        "id": r.id,
        "type": "runs",
        "attributes": {
            "actions": { "is-cancelable": !finished, "is-confirmable": false,
                         "is-discardable": status == "pending", "is-force-cancelable": false },
            "canceled-at": null,
            "created-at": r.created_at,
            "has-changes": false,
            "auto-apply": false,
            "allow-empty-apply": false,
            "allow-config-generation": false,
            "is-destroy": false,
            "message": r.message,
            "plan-only": r.plan_only,
            "source": "tfe-api",
            "status-timestamps": { "plan-queueable-at": r.created_at },
            "status": status,
            "trigger-reason": "manual",
            "target-addrs": null,
            "permissions": { "can-apply": true, "can-cancel": true, "can-comment": true,
                             "can-discard": true, "can-force-execute": true,
                             "can-force-cancel": true, "can-override-policy-check": true },
            "refresh": true,
            "refresh-only": false,
            "replace-addrs": null,
            "save-plan": false,
            "variables": [],
        },
        "relationships": {
            "apply": { "data": { "id": r.apply_id, "type": "applies" } },
            "configuration-version": { "data": { "id": r.cv_id, "type": "configuration-versions" } },
            "plan": { "data": { "id": r.plan_id, "type": "plans" } },
            "workspace": { "data": { "id": r.workspace_id, "type": "workspaces" } },
            "cost-estimate": { "data": null },
            "run-events": { "data": [] },
            "policy-checks": { "data": [] },
        },
        "links": { "self": format!("/api/v2/runs/{}", r.id) },
    })
}

fn plan_json(r: &Run, base: &str) -> Value {
    json!({
        "id": r.plan_id,
        "type": "plans",
        "attributes": {
            "execution-details": { "mode": "remote" },
            "generated-configuration": false,
            "has-changes": false,
            "resource-additions": 0,
            "resource-changes": 0,
            "resource-destructions": 0,
            "resource-imports": 0,
            "status": r.plan_status(),
            "status-timestamps": { "queued-at": r.created_at },
            "log-read-url": format!("{base}/_archivist/v1/object/{}", r.log_token()),
        },
        "relationships": { "state-versions": { "data": [] } },
        "links": {
            "self": format!("/api/v2/plans/{}", r.plan_id),
            "json-output": format!("/api/v2/plans/{}/json-output", r.plan_id),
        },
    })
}

async fn create(State(sh): State<Arc<Shared>>, body: Bytes) -> HResult {
    let body = parse_body(&body)?;
    let data = data_object(&body)?;
    let attrs = attributes(data)?;
    let ws_id = data
        .get("relationships")
        .and_then(|r| r.get("workspace"))
        .and_then(|w| w.get("data"))
        .and_then(|d| d.get("id"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            invalid(
                "Workspace relationship is required",
                "/data/relationships/workspace",
            )
        })?
        .to_string();
    let mut st = sh.st();
    let ws = st.workspace(&ws_id).ok_or_else(not_found)?;
    let cv_id = ws.cv_id.clone().ok_or_else(|| {
        invalid(
            "Configuration version is required: the workspace has no configuration version",
            "/data/relationships/configuration-version",
        )
    })?;
    let (outcome, format) = st
        .scripts
        .get(&ws_id)
        .cloned()
        .unwrap_or((crate::RunOutcome::Succeed, crate::LogFormat::JsonLines));
    let id = st.next_id("run-");
    let plan_id = st.next_id("plan-");
    let apply_id = st.next_id("apply-");
    let run = Run {
        id,
        plan_id,
        apply_id,
        workspace_id: ws_id,
        cv_id,
        plan_only: attrs
            .get("plan-only")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        message: attrs
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("Queued manually via the Terraform Enterprise API")
            .to_string(),
        created_at: now_iso(),
        step: 0,
        outcome,
        format,
    };
    let out = json!({ "data": run_json(&run) });
    st.runs.push(run);
    Ok(doc(StatusCode::CREATED, out))
}

async fn show(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> HResult {
    let mut st = sh.st();
    let run = st
        .runs
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(not_found)?;
    // Each look moves the run one status further.
    run.step += 1;
    ok(json!({ "data": run_json(run) }))
}

async fn show_plan(State(sh): State<Arc<Shared>>, Path(id): Path<String>, req: Req) -> HResult {
    let st = sh.st();
    let run = st
        .runs
        .iter()
        .find(|r| r.plan_id == id)
        .ok_or_else(not_found)?;
    ok(json!({ "data": plan_json(run, &req.base) }))
}

async fn show_cv(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> HResult {
    let st = sh.st();
    let ws = st
        .workspaces
        .iter()
        .find(|w| w.cv_id.as_deref() == Some(id.as_str()))
        .ok_or_else(not_found)?;
    ok(json!({ "data": configuration_version_json(&id, &ws.created_at) }))
}

/// The archive: plain text, no JSON:API, and never an `Authorization` header.
async fn archive(
    State(sh): State<Arc<Shared>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    if headers.contains_key(AUTHORIZATION) {
        *lock(&sh.archive_with_authorization) += 1;
        return (
            StatusCode::FORBIDDEN,
            "the archive takes no Authorization header: the URL is the credential",
        )
            .into_response();
    }
    let st = sh.st();
    match st.runs.iter().find(|r| r.log_token() == token) {
        Some(run) => {
            let mut resp = (StatusCode::OK, run.log()).into_response();
            resp.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            resp
        }
        None => (StatusCode::NOT_FOUND, "no such object").into_response(),
    }
}
