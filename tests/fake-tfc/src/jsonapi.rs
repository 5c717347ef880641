//! JSON:API plumbing shared by all routes: documents and error objects,
//! request context (query parameters, absolute base URL), body parsing and
//! pagination (`page[number]`, `page[size]`, `links`, `meta.pagination`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Query};
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::server::Shared;

pub(crate) const MEDIA_TYPE: &str = "application/vnd.api+json";

/// An error document, boxed to keep `Result`s small.
pub(crate) struct ApiErr(Box<Response>);

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// Handlers return `Err` for any error document so `?` works.
pub(crate) type HResult = Result<Response, ApiErr>;

/// A JSON:API document response.
pub(crate) fn doc(status: StatusCode, body: Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    r
}

pub(crate) fn ok(body: Value) -> HResult {
    Ok(doc(StatusCode::OK, body))
}

pub(crate) fn no_content() -> HResult {
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// An error document with one error object (`status` as a string).
pub(crate) fn error(status: StatusCode, title: &str, detail: Option<&str>) -> ApiErr {
    let mut e = json!({ "status": status.as_u16().to_string(), "title": title });
    if let Some(d) = detail {
        e["detail"] = json!(d);
    }
    ApiErr(Box::new(doc(status, json!({ "errors": [e] }))))
}

pub(crate) fn not_found() -> ApiErr {
    error(StatusCode::NOT_FOUND, "not found", None)
}

pub(crate) fn unauthorized() -> ApiErr {
    error(StatusCode::UNAUTHORIZED, "unauthorized", None)
}

pub(crate) fn bad_request(detail: &str) -> ApiErr {
    error(StatusCode::BAD_REQUEST, "bad request", Some(detail))
}

/// 422 `invalid attribute` with a `source.pointer`.
pub(crate) fn invalid(detail: &str, pointer: &str) -> ApiErr {
    let body = json!({ "errors": [{
        "status": "422",
        "title": "invalid attribute",
        "detail": detail,
        "source": { "pointer": pointer },
    }]});
    ApiErr(Box::new(doc(StatusCode::UNPROCESSABLE_ENTITY, body)))
}

/// The documented 429 body (numeric `status`) plus `X-RateLimit-Reset`.
pub(crate) fn rate_limited(reset: &str) -> ApiErr {
    let body = json!({ "errors": [{
        "detail": "You have exceeded the API's rate limit.",
        "status": 429,
        "title": "Too many requests",
    }]});
    let mut r = doc(StatusCode::TOO_MANY_REQUESTS, body);
    if let Ok(v) = HeaderValue::from_str(reset) {
        r.headers_mut().insert("x-ratelimit-reset", v);
    }
    ApiErr(Box::new(r))
}

/// An error document for an arbitrary status code.
pub(crate) fn status_error(code: u16) -> ApiErr {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let title = status
        .canonical_reason()
        .unwrap_or("error")
        .to_ascii_lowercase();
    error(status, &title, None)
}

/// Parses a request body as JSON (any content type is accepted).
pub(crate) fn parse_body(body: &Bytes) -> Result<Value, ApiErr> {
    serde_json::from_slice(body)
        .map_err(|e| bad_request(&format!("The request body is not valid JSON: {e}")))
}

/// The top-level `data` object of a document.
pub(crate) fn data_object(body: &Value) -> Result<&Map<String, Value>, ApiErr> {
    body.get("data")
        .and_then(Value::as_object)
        .ok_or_else(|| bad_request("param is missing or the value is empty: data"))
}

/// `data.attributes` (an empty map when absent).
pub(crate) fn attributes(data: &Map<String, Value>) -> Result<Map<String, Value>, ApiErr> {
    match data.get("attributes") {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(_) => Err(invalid("attributes must be an object", "/data/attributes")),
    }
}

/// The `data` array of a relationship document: `[(type, id), ...]`.
pub(crate) fn linkage_list(body: &Value) -> Result<Vec<(String, String)>, ApiErr> {
    let arr = body
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| bad_request("param is missing or the value is empty: data"))?;
    linkage_items(arr, "/data")
}

/// `[{type, id}, ...]` → pairs; anything malformed is a 422.
pub(crate) fn linkage_items(arr: &[Value], pointer: &str) -> Result<Vec<(String, String)>, ApiErr> {
    arr.iter()
        .map(|v| {
            let t = v.get("type").and_then(Value::as_str);
            let id = v.get("id").and_then(Value::as_str);
            match (t, id) {
                (Some(t), Some(id)) => Ok((t.to_string(), id.to_string())),
                _ => Err(invalid(
                    "Resource identifier must have type and id",
                    pointer,
                )),
            }
        })
        .collect()
}

/// Per-request context: decoded query parameters and the absolute base URL.
pub(crate) struct Req {
    pub query: Vec<(String, String)>,
    pub base: String,
}

impl FromRequestParts<Arc<Shared>> for Req {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        sh: &Arc<Shared>,
    ) -> Result<Req, Self::Rejection> {
        let query = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map(|q| q.0)
            .unwrap_or_default();
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(|| sh.addr.to_string());
        Ok(Req {
            query,
            base: format!("http://{host}"),
        })
    }
}

impl Req {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The comma-separated `include` parameter.
    pub fn includes(&self, what: &str) -> bool {
        self.get("include")
            .is_some_and(|v| v.split(',').any(|s| s.trim() == what))
    }

    pub fn paging_requested(&self) -> bool {
        self.get("page[number]").is_some() || self.get("page[size]").is_some()
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn page_param(req: &Req, key: &str) -> Option<usize> {
    req.get(key)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
}

/// A paginated list document: `data`, `links` and `meta.pagination`.
pub(crate) fn paginate(req: &Req, path: &str, items: Vec<Value>, max: usize) -> Map<String, Value> {
    let number = page_param(req, "page[number]").unwrap_or(1);
    let size = page_param(req, "page[size]").unwrap_or(20).min(max.max(1));
    let total = items.len();
    let pages = total.div_ceil(size).max(1);
    let data: Vec<Value> = items
        .into_iter()
        .skip(number.saturating_sub(1).saturating_mul(size))
        .take(size)
        .collect();
    let others: String = req
        .query
        .iter()
        .filter(|(k, _)| k != "page[number]" && k != "page[size]")
        .map(|(k, v)| format!("{}={}&", encode(k), encode(v)))
        .collect();
    let link = |n: usize| {
        json!(format!(
            "{}{path}?{others}page%5Bnumber%5D={n}&page%5Bsize%5D={size}",
            req.base
        ))
    };
    let prev = (number > 1).then(|| number - 1);
    let next = (number < pages).then(|| number + 1);
    let mut m = Map::new();
    m.insert("data".into(), Value::Array(data));
    m.insert(
        "links".into(),
        json!({
            "self": link(number),
            "first": link(1),
            "prev": prev.map(link),
            "next": next.map(link),
            "last": link(pages),
        }),
    );
    m.insert(
        "meta".into(),
        json!({ "pagination": {
            "current-page": number,
            "page-size": size,
            "prev-page": prev,
            "next-page": next,
            "total-pages": pages,
            "total-count": total,
        }}),
    );
    m
}

/// Case-insensitive substring match used by `q` / `search[name]`.
pub(crate) fn fuzzy(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}
