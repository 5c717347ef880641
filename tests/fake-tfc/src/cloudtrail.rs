//! [`FakeCloudTrail`]: a stand-in for CloudTrail's `LookupEvents`, which moto lacks. It speaks
//! the AWS JSON 1.1 protocol (`POST /`, `X-Amz-Target: CloudTrail_20131101.LookupEvents` — the
//! form aws-sdk-cloudtrail sends; the `com.amazonaws.cloudtrail.v20131101.` prefixed form is
//! accepted too), filters recorded events by `LookupAttributes` (`EventName`, `EventId`, or
//! `AccessKeyId`, matched against the record's `userIdentity.accessKeyId`) and
//! `StartTime`/`EndTime` (epoch seconds), returns them newest first and pages with `NextToken`.
//! Reach it with `AWS_ENDPOINT_URL_CLOUDTRAIL`. Request signatures are not checked.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::oneshot;

use crate::server::lock;

const TARGET: &str = "CloudTrail_20131101.LookupEvents";
const JSON_11: &str = "application/x-amz-json-1.1";

/// One `LookupEvents` request as the stand-in received it.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupRequest {
    pub target: String,
    /// `(AttributeKey, AttributeValue)` pairs.
    pub attributes: Vec<(String, String)>,
    pub start_time: Option<f64>,
    pub end_time: Option<f64>,
    pub max_results: Option<u64>,
    pub next_token: Option<String>,
}

struct Shared {
    /// CloudTrail records (the JSON each `CloudTrailEvent` carries).
    records: Vec<Value>,
    page_size: usize,
    requests: Mutex<Vec<LookupRequest>>,
}

/// A running stand-in. Dropping it stops the server.
pub struct FakeCloudTrail {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeCloudTrail {
    /// Serves `records` (CloudTrail event records, e.g. `{"eventName":"AssumeRoleWithWebIdentity",
    /// "eventTime":"2026-11-29T08:00:00Z",…}`), `page_size` events a page at most.
    ///
    /// # Panics
    /// If no local port can be bound.
    pub fn start(records: Vec<Value>, page_size: usize) -> FakeCloudTrail {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("fake cloudtrail: bind");
        let addr = listener.local_addr().expect("fake cloudtrail: address");
        listener
            .set_nonblocking(true)
            .expect("fake cloudtrail: non-blocking");
        let shared = Arc::new(Shared {
            records,
            page_size: page_size.max(1),
            requests: Mutex::new(Vec::new()),
        });
        let (tx, rx) = oneshot::channel::<()>();
        let app = Router::new()
            .route("/", post(lookup))
            .with_state(shared.clone());
        let thread = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = rx => {}
                }
            });
            rt.shutdown_timeout(Duration::from_millis(200));
        });
        FakeCloudTrail {
            addr,
            shared,
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_CLOUDTRAIL`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<LookupRequest> {
        lock(&self.shared.requests).clone()
    }
}

impl Drop for FakeCloudTrail {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn error(code: &str, message: &str) -> Response {
    let mut r = (
        StatusCode::BAD_REQUEST,
        json!({ "__type": code, "message": message }).to_string(),
    )
        .into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_11));
    r
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
fn epoch(rfc3339: &str) -> Option<f64> {
    let b = rfc3339.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| rfc3339.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hh * 3600 + mm * 60 + ss) as f64)
}

fn request_of(target: &str, body: &Value) -> LookupRequest {
    let attributes = body["LookupAttributes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            (
                a["AttributeKey"].as_str().unwrap_or_default().to_string(),
                a["AttributeValue"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    LookupRequest {
        target: target.to_string(),
        attributes,
        start_time: body["StartTime"].as_f64(),
        end_time: body["EndTime"].as_f64(),
        max_results: body["MaxResults"].as_u64(),
        next_token: body["NextToken"].as_str().map(str::to_string),
    }
}

fn event_of(record: &Value) -> Value {
    let time = record["eventTime"].as_str().and_then(epoch).unwrap_or(0.0);
    let role = record["requestParameters"]["roleArn"].as_str();
    json!({
        "EventId": record["eventID"],
        "EventName": record["eventName"],
        "ReadOnly": "false",
        "AccessKeyId": record["userIdentity"]["accessKeyId"].as_str().unwrap_or_default(),
        "EventTime": time,
        "EventSource": record["eventSource"],
        "Username": record["userIdentity"]["userName"],
        "Resources": role.map(|r| vec![json!({"ResourceType": "AWS::IAM::Role", "ResourceName": r})]).unwrap_or_default(),
        "CloudTrailEvent": record.to_string(),
    })
}

async fn lookup(State(sh): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if target != TARGET && target != format!("com.amazonaws.cloudtrail.v20131101.{TARGET}") {
        return error(
            "UnknownOperationException",
            &format!("unknown target {target:?}"),
        );
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error("SerializationException", "the body is not JSON");
    };
    let req = request_of(&target, &body);
    lock(&sh.requests).push(req.clone());
    if req.attributes.len() > 1 {
        return error(
            "InvalidLookupAttributesException",
            "You cannot specify more than one lookup attribute.",
        );
    }
    let mut matching: Vec<&Value> = sh
        .records
        .iter()
        .filter(|r| {
            req.attributes.iter().all(|(k, v)| match k.as_str() {
                "EventName" => r["eventName"].as_str() == Some(v.as_str()),
                "EventId" => r["eventID"].as_str() == Some(v.as_str()),
                "AccessKeyId" => r["userIdentity"]["accessKeyId"].as_str() == Some(v.as_str()),
                _ => true,
            })
        })
        .filter(|r| {
            let t = r["eventTime"].as_str().and_then(epoch).unwrap_or(0.0);
            req.start_time.is_none_or(|s| t >= s) && req.end_time.is_none_or(|e| t <= e)
        })
        .collect();
    matching.sort_by(|a, b| {
        let t = |v: &Value| v["eventTime"].as_str().and_then(epoch).unwrap_or(0.0);
        t(b).total_cmp(&t(a))
    });
    let offset = match &req.next_token {
        None => 0,
        Some(tok) => match tok.strip_prefix("page-after-").and_then(|n| n.parse().ok()) {
            Some(n) => n,
            None => return error("InvalidNextTokenException", "Invalid NextToken"),
        },
    };
    let size = req
        .max_results
        .map_or(sh.page_size, |m| (m as usize).clamp(1, sh.page_size));
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(size)
        .map(|r| event_of(r))
        .collect();
    let mut out = json!({ "Events": page });
    if offset + size < matching.len() {
        out["NextToken"] = json!(format!("page-after-{}", offset + size));
    }
    let mut r = (StatusCode::OK, out.to_string()).into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_11));
    r
}

#[cfg(test)]
mod tests {
    use super::epoch;

    #[test]
    fn epochs() {
        assert_eq!(epoch("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(epoch("2026-11-29T08:00:00Z"), Some(1_795_939_200.0));
        assert_eq!(epoch("bad"), None);
    }
}
