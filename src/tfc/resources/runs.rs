//! Runs, plans and the workspace's current configuration version, for `verify`.
//!
//! Shapes from HashiCorp's API reference: `POST /runs` takes `attributes.plan-only` and the
//! `workspace` relationship (no `configuration-version`: the run uses the workspace's latest);
//! `GET /runs/:id` has `attributes.status` and `relationships.plan`; `GET /plans/:id` has
//! `attributes.log-read-url`, an archive URL on another host. The log is read with a request of
//! its own that carries no `Authorization` header: the URL is the credential, and the API token
//! must never leave for another host.

use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use crate::core::ports::{ConfigurationVersion, CurrentConfiguration, PlanInfo, RunInfo, TfcError};
use crate::tfc::client::TfcClient;
use crate::tfc::endpoint::is_loopback;
use crate::tfc::jsonapi::{one_line, Resource};

/// The most of a plan log read (a plan log that trips authentication is a few kilobytes).
const MAX_LOG_BYTES: usize = 8 * 1024 * 1024;

/// `runs` attributes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RunAttributes {
    status: String,
    #[serde(default)]
    plan_only: Option<bool>,
    #[serde(default)]
    position_in_queue: Option<u64>,
}

/// `plans` attributes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct PlanAttributes {
    status: String,
    #[serde(default)]
    log_read_url: Option<String>,
}

pub(super) fn run_info(r: Resource<RunAttributes>) -> RunInfo {
    RunInfo {
        plan_id: r.related_ids("plan").into_iter().next(),
        id: r.id,
        status: r.attributes.status,
        plan_only: r.attributes.plan_only.unwrap_or(false),
        position_in_queue: r.attributes.position_in_queue,
    }
}

/// What a workspace document says of its current configuration version: `data: null` is none,
/// a missing relationship (or one without `data`) is unknown.
pub(super) fn current_configuration(doc: &Value) -> CurrentConfiguration {
    let rel = &doc["data"]["relationships"]["current-configuration-version"];
    let Some(data) = rel.as_object().and_then(|r| r.get("data")) else {
        return CurrentConfiguration::Unknown;
    };
    if data.is_null() {
        return CurrentConfiguration::None;
    }
    let Some(id) = data["id"].as_str().filter(|id| !id.is_empty()) else {
        return CurrentConfiguration::Unknown;
    };
    let status = doc["included"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|inc| inc["type"] == "configuration-versions" && inc["id"] == id)
        .and_then(|inc| inc["attributes"]["status"].as_str())
        .map(str::to_owned);
    CurrentConfiguration::Version(ConfigurationVersion {
        id: id.to_owned(),
        status,
    })
}

/// The request document of a plan-only run on a workspace.
pub(crate) fn plan_only_run_body(workspace_id: &str, message: &str) -> Value {
    json!({
        "data": {
            "type": "runs",
            "attributes": { "plan-only": true, "message": message },
            "relationships": {
                "workspace": { "data": { "type": "workspaces", "id": workspace_id } }
            }
        }
    })
}

/// A plan as the port gives it (an empty log URL is none).
pub(super) fn plan_info(plan: Resource<PlanAttributes>) -> PlanInfo {
    PlanInfo {
        id: plan.id,
        status: plan.attributes.status,
        log_read_url: plan.attributes.log_read_url.filter(|u| !u.is_empty()),
    }
}

impl TfcClient {
    /// GETs the plan log's archive URL with a plain request: no `Authorization`, no redirects
    /// (the client follows none), https only (http for loopback stand-ins).
    pub(super) async fn download_plan_log(&self, raw: &str) -> Result<String, TfcError> {
        let url = self.log_url(raw)?;
        let shown = format!(
            "{}://{}{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port().map(|p| format!(":{p}")).unwrap_or_default()
        );
        let transport = |e: reqwest::Error| TfcError::Transport {
            url: shown.clone(),
            detail: one_line(&e.without_url().to_string(), 200),
        };
        let response = self
            .transport
            .http
            .get(url.clone())
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if !status.is_success() {
            return Err(TfcError::Rejected {
                status: status.as_u16(),
                detail: format!("the plan log archive at {shown} refused the request"),
            });
        }
        let body = response.bytes().await.map_err(transport)?;
        let body = &body[..body.len().min(MAX_LOG_BYTES)];
        Ok(String::from_utf8_lossy(body).into_owned())
    }

    /// The log URL, resolved against the API's origin when relative, and checked.
    fn log_url(&self, raw: &str) -> Result<Url, TfcError> {
        let url = Url::parse(raw)
            .or_else(|_| self.endpoint.api_base().join(raw))
            .map_err(|e| {
                TfcError::Protocol(format!("the plan's log-read-url is not a URL: {e}"))
            })?;
        let ok = match url.scheme() {
            "https" => true,
            "http" => is_loopback(&url),
            _ => false,
        };
        if !ok || !url.username().is_empty() {
            return Err(TfcError::Protocol(format!(
                "refusing to read the plan log from {}://{}: only https (or http on a loopback address) is allowed",
                url.scheme(),
                url.host_str().unwrap_or_default()
            )));
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfc::jsonapi::Document;

    #[test]
    fn run_documents_read_as_the_docs_show_them() {
        let doc: Document<Resource<RunAttributes>> = serde_json::from_str(
            r#"{"data":{"id":"run-CZcmD7eagjhyX0vN","type":"runs","attributes":{"status":"pending","plan-only":true,
                "status-timestamps":{"plan-queueable-at":"2021-05-24T07:38:04+00:00"}},
                "relationships":{"plan":{"data":{"id":"plan-8F5JFydVYAmtTjET","type":"plans"}},
                "workspace":{"data":{"id":"ws-1","type":"workspaces"}}}}}"#,
        )
        .unwrap();
        let run = run_info(doc.data);
        assert_eq!(run.status, "pending");
        assert!(run.plan_only);
        assert_eq!(run.plan_id.as_deref(), Some("plan-8F5JFydVYAmtTjET"));
        let body = plan_only_run_body("ws-1", "m");
        assert_eq!(body["data"]["attributes"]["plan-only"], true);
        assert_eq!(
            body["data"]["relationships"]["workspace"]["data"]["id"],
            "ws-1"
        );
        assert!(body["data"]["relationships"]
            .get("configuration-version")
            .is_none());
    }

    #[test]
    fn configuration_versions() {
        let with = json!({"data":{"relationships":{"current-configuration-version":{"data":{"id":"cv-1","type":"configuration-versions"}}}},
            "included":[{"id":"cv-1","type":"configuration-versions","attributes":{"status":"uploaded"}}]});
        assert_eq!(
            current_configuration(&with),
            CurrentConfiguration::Version(ConfigurationVersion {
                id: "cv-1".into(),
                status: Some("uploaded".into())
            })
        );
        let none =
            json!({"data":{"relationships":{"current-configuration-version":{"data":null}}}});
        assert_eq!(current_configuration(&none), CurrentConfiguration::None);
        let unknown = json!({"data":{"relationships":{}}});
        assert_eq!(
            current_configuration(&unknown),
            CurrentConfiguration::Unknown
        );
    }
}
