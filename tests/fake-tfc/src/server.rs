//! The HTTP server: shared state, the request gate (recording, latency,
//! injected faults, rate limiting, bearer auth, response normalisation) and
//! the background thread running its own tokio runtime.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::oneshot;

use crate::faults::{FaultQueue, Limiter, Triggered};
use crate::jsonapi::{self, ApiErr, MEDIA_TYPE};
use crate::state::State as Model;
use crate::RequestRecord;

/// Everything the handlers and the [`crate::FakeTfc`] handle share.
pub(crate) struct Shared {
    pub addr: SocketAddr,
    pub state: Mutex<Model>,
    pub log: Mutex<Vec<RequestRecord>>,
    pub faults: Mutex<FaultQueue>,
    pub latency: Mutex<Duration>,
    pub limiter: Mutex<Limiter>,
    /// 429s answered (by the limiter or an injected fault).
    pub too_many: AtomicUsize,
}

/// Locks a mutex, ignoring poisoning (a panicking test must not wedge the fake).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn st(&self) -> MutexGuard<'_, Model> {
        lock(&self.state)
    }
}

/// Paths that answer without a token.
fn is_public(path: &str) -> bool {
    path == "/api/v2/ping" || path == "/.well-known/terraform.json"
}

fn bearer(req: &Request) -> Option<String> {
    let h = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = h.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

async fn gate(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    lock(&sh.log).push(RequestRecord {
        method: method.clone(),
        path: path.clone(),
        query: req.uri().query().unwrap_or("").to_string(),
    });
    let latency = *lock(&sh.latency);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let resp = match admit(&sh, &req, &method, &path) {
        Some(short) => short.into_response(),
        None => next.run(req).await,
    };
    if resp.status() == StatusCode::TOO_MANY_REQUESTS {
        sh.too_many.fetch_add(1, Ordering::Relaxed);
    }
    finish(resp)
}

/// Faults, the rate limiter and auth; `Some` short-circuits the request.
fn admit(sh: &Shared, req: &Request, method: &str, path: &str) -> Option<ApiErr> {
    if let Some(t) = lock(&sh.faults).take(method, path) {
        return Some(match t {
            Triggered::RateLimit(secs) => jsonapi::rate_limited(&format!("{secs}")),
            Triggered::ServerError => jsonapi::status_error(500),
            Triggered::Status(code) => jsonapi::status_error(code),
        });
    }
    let token = bearer(req);
    let key = token.clone().unwrap_or_else(|| "anonymous".into());
    if let Err(wait) = lock(&sh.limiter).check(&key, Instant::now()) {
        return Some(jsonapi::rate_limited(&format!("{wait:.3}")));
    }
    if is_public(path) || !path.starts_with("/api/v2") {
        return None;
    }
    let valid = token.is_some_and(|t| !t.is_empty() && t == sh.st().token);
    (!valid).then(jsonapi::unauthorized)
}

/// Adds `X-RateLimit-Limit` and turns any non-JSON:API error (extractor
/// rejections, 405s, body limits) into an error document.
fn finish(resp: Response) -> Response {
    let status = resp.status();
    let is_doc = resp
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == MEDIA_TYPE.as_bytes());
    let mut resp = if status.is_client_error() || status.is_server_error() {
        if is_doc {
            resp
        } else if status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::BAD_REQUEST {
            // 405: unknown method on a known path; 400: a path parameter that
            // cannot be decoded (no such resource can exist).
            jsonapi::not_found().into_response()
        } else {
            jsonapi::status_error(status.as_u16()).into_response()
        }
    } else {
        resp
    };
    resp.headers_mut()
        .insert("x-ratelimit-limit", HeaderValue::from_static("30"));
    resp
}

pub(crate) fn app(sh: Arc<Shared>) -> Router {
    crate::routes::router()
        .fallback(|| async { jsonapi::not_found() })
        .method_not_allowed_fallback(|| async { jsonapi::not_found() })
        .layer(middleware::from_fn_with_state(sh.clone(), gate))
        .with_state(sh)
}

/// Serves `sh` on `listener` in a new thread until `stop` fires.
pub(crate) fn spawn(
    listener: std::net::TcpListener,
    sh: Arc<Shared>,
    stop: oneshot::Receiver<()>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    listener.set_nonblocking(true)?;
    std::thread::Builder::new()
        .name("fake-tfc".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return eprintln!("fake-tfc: cannot build a tokio runtime: {e}"),
            };
            rt.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let serve = axum::serve(listener, app(sh));
                tokio::select! {
                    _ = serve => {}
                    _ = stop => {}
                }
            });
            rt.shutdown_timeout(Duration::from_millis(200));
        })
}
