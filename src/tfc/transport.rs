//! Sending one API request with retries (backon) and turning the answer into a body or a
//! [`TfcError`]. Every attempt first waits for the client's rate limiter (`limiter`); a 429 that
//! still happens is retried for every method, after the server's `X-RateLimit-Reset` (or
//! `Retry-After`); 5xx and transport failures only where repeating cannot duplicate a write.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tracing::debug;
use url::Url;

use super::jsonapi::{describe_errors, one_line};
use super::limiter::RateLimiter;
use crate::core::ports::TfcError;
use reqwest::header::HeaderValue;

const JSON_API: &str = "application/vnd.api+json";

/// How hard to retry. The defaults suit the real service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// First wait of the exponential backoff (doubled each retry, with jitter).
    pub base_delay: Duration,
    /// Cap on any single wait, including server-requested ones.
    pub max_wait: Duration,
    /// Retries after 429 before giving up with [`TfcError::RateLimited`].
    pub rate_limit_retries: u32,
    /// Retries after 5xx or a transport failure (idempotent requests only).
    pub server_retries: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_delay: Duration::from_millis(200),
            max_wait: Duration::from_secs(60),
            rate_limit_retries: 8,
            server_retries: 3,
        }
    }
}

/// A failed attempt that may be worth repeating.
#[derive(Debug)]
enum Failure {
    RateLimited {
        wait: Option<Duration>,
    },
    Server {
        status: StatusCode,
        body: Vec<u8>,
    },
    /// `connect` means the request never left, so even a POST may be repeated.
    Transport {
        connect: bool,
        detail: String,
    },
}

/// What sends requests to one API: the reqwest client, the `Authorization` header, the retry
/// policy and the rate limiter, shared by every clone of a [`super::TfcClient`]. It knows
/// nothing of resources; the client above it builds URLs and reads documents.
#[derive(Clone)]
pub(crate) struct Transport {
    /// The host, for the 401 message.
    pub(crate) host: String,
    pub(crate) auth: HeaderValue,
    pub(crate) http: reqwest::Client,
    pub(crate) retry: RetryPolicy,
    pub(crate) limiter: RateLimiter,
}

impl Transport {
    /// Sends a request (JSON:API `body` if any) and returns the body of a 2xx answer.
    /// `what` names the addressed thing for [`TfcError::NotFound`].
    pub(crate) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        what: &str,
    ) -> Result<Vec<u8>, TfcError> {
        let payload = body.map(Value::to_string);
        // POST creates; repeating one after a 5xx or a lost answer could create twice.
        // Our PUT/PATCH/DELETE set absolute state, so repeating them is harmless.
        let repeatable = method != Method::POST;
        let policy = self.retry;
        let mut rate_limited = 0u32;
        let mut failed = 0u32;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(policy.base_delay)
            .with_max_delay(policy.max_wait)
            .without_max_times()
            .with_jitter()
            .with_jitter_seed(RandomState::new().hash_one(Instant::now()));

        let outcome = (|| self.attempt(&method, &url, payload.as_deref()))
            .retry(backoff)
            .when(|f: &Failure| match f {
                Failure::RateLimited { .. } => true,
                Failure::Server { .. } => repeatable,
                Failure::Transport { connect, .. } => repeatable || *connect,
            })
            .adjust(|f, next| match f {
                Failure::RateLimited { wait } => {
                    rate_limited += 1;
                    let wait = wait.or(next)?.min(policy.max_wait);
                    (rate_limited <= policy.rate_limit_retries).then_some(wait)
                }
                _ => {
                    failed += 1;
                    (failed <= policy.server_retries).then_some(next?)
                }
            })
            .notify(|f, wait| {
                debug!(
                    ?wait,
                    failure = failure_kind(f),
                    "retrying HCP Terraform request"
                )
            })
            .await;

        match outcome {
            Ok((status, body)) => self.classify(status, body, what),
            Err(Failure::RateLimited { .. }) => Err(TfcError::RateLimited {
                retries: policy.rate_limit_retries,
            }),
            Err(Failure::Server { status, body }) => Err(TfcError::Server {
                status: status.as_u16(),
                detail: describe_errors(&body, status.canonical_reason().unwrap_or("server error")),
            }),
            Err(Failure::Transport { detail, .. }) => Err(TfcError::Transport {
                url: shown_url(&url),
                detail,
            }),
        }
    }

    /// One request. Answers other than 429 and 5xx come back as `Ok` for [`Self::classify`].
    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        payload: Option<&str>,
    ) -> Result<(StatusCode, Vec<u8>), Failure> {
        // Held until the whole answer is read: the limiter counts a request until then.
        let _permit = self.limiter.acquire().await;
        let started = Instant::now();
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, JSON_API);
        if let Some(payload) = payload {
            request = request
                .header(CONTENT_TYPE, JSON_API)
                .body(payload.to_owned());
        }
        let response = request.send().await.map_err(transport_failure)?;
        let status = response.status();
        let wait = rate_limit_wait(response.headers());
        let body = response.bytes().await.map_err(transport_failure)?.to_vec();
        debug!(
            method = %method,
            path = url.path(),
            status = status.as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "HCP Terraform request"
        );
        if status == StatusCode::TOO_MANY_REQUESTS {
            // Everyone waits, not just this request: the others would only collect 429s too.
            if let Some(wait) = wait {
                self.limiter.hold_off(wait.min(self.retry.max_wait));
            }
            Err(Failure::RateLimited { wait })
        } else if status.is_server_error() {
            Err(Failure::Server { status, body })
        } else {
            Ok((status, body))
        }
    }

    /// Maps a final (non-retryable) answer to its body or an error.
    fn classify(&self, status: StatusCode, body: Vec<u8>, what: &str) -> Result<Vec<u8>, TfcError> {
        let reason = status.canonical_reason().unwrap_or("unexpected status");
        match status.as_u16() {
            200..=299 => Ok(body),
            401 => Err(TfcError::Unauthorized {
                host: self.host.clone(),
            }),
            404 => Err(TfcError::NotFound {
                what: what.to_owned(),
            }),
            300..=399 => Err(TfcError::Protocol(format!(
                "the API answered with a redirect ({status}); check --api-url / TFE_ADDRESS"
            ))),
            code => Err(TfcError::Rejected {
                status: code,
                detail: describe_errors(&body, reason),
            }),
        }
    }
}

/// How long the server asked us to wait: `X-RateLimit-Reset` (float seconds, what HCP
/// Terraform sends), else `Retry-After` (integer seconds).
fn rate_limit_wait(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    header("x-ratelimit-reset")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|secs| secs.is_finite() && *secs >= 0.0)
        .map(|secs| Duration::from_secs_f64(secs.min(3600.0)))
        .or_else(|| {
            header("retry-after")?
                .parse::<u64>()
                .ok()
                .map(Duration::from_secs)
        })
}

/// A one-line description of a reqwest failure: its cause chain, without the URL (reported
/// separately) and without headers (which hold the token).
fn transport_failure(error: reqwest::Error) -> Failure {
    let connect = error.is_connect();
    let detail = if error.is_timeout() {
        "timed out".to_owned()
    } else {
        let error = error.without_url();
        let mut parts = vec![error.to_string()];
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !parts.iter().any(|p| p.contains(&text)) {
                parts.push(text);
            }
            source = cause.source();
        }
        one_line(&parts.join(": "), 300)
    };
    Failure::Transport { connect, detail }
}

/// The URL as shown in errors: scheme, host and path (queries only carry paging).
fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.to_string()
}

fn failure_kind(f: &Failure) -> &'static str {
    match f {
        Failure::RateLimited { .. } => "rate limited (429)",
        Failure::Server { .. } => "server error",
        Failure::Transport { .. } => "transport",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn rate_limit_headers() {
        let mut h = HeaderMap::new();
        assert_eq!(rate_limit_wait(&h), None);
        h.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(rate_limit_wait(&h), Some(Duration::from_secs(2)));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("0.123"));
        assert_eq!(rate_limit_wait(&h), Some(Duration::from_millis(123)));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("NaN"));
        assert_eq!(rate_limit_wait(&h), Some(Duration::from_secs(2)));
    }
}
