//! [`TfcClient`]: the HCP Terraform API v2 client. This file holds construction, URL building
//! and the JSON:API document helpers (one resource, every page of a list, writes); sending with
//! retries is in `transport`, and the `Tfc` methods are in `resources/`.

use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Method;
use secrecy::zeroize::Zeroizing;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::endpoint::Endpoint;
use super::jsonapi::{self, Document, Resource};
use super::limiter::{RateLimit, RateLimiter};
use super::token::ApiToken;
use super::transport::{RetryPolicy, Transport};
use crate::core::ports::TfcError;

/// Largest page the API serves; fewer pages means fewer requests against the rate limit.
const PAGE_SIZE: &str = "100";

/// A guard against a server whose `next-page` never ends.
const MAX_PAGES: u32 = 10_000;

/// The HCP Terraform API client. Cheap to clone (the reqwest client and the rate limiter are
/// shared by the clones).
#[derive(Clone)]
pub struct TfcClient {
    pub(super) endpoint: Endpoint,
    pub(super) transport: Transport,
}

impl std::fmt::Debug for TfcClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TfcClient")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl TfcClient {
    /// A client for `endpoint` authenticating with `token`, sending through `http` (build one
    /// with [`TfcClient::http_client`], or pass a test client).
    pub fn new(endpoint: Endpoint, token: ApiToken, http: reqwest::Client) -> TfcClient {
        // The formatted copy is wiped on drop; the header value lives as long as the client and
        // is marked sensitive (kept out of Debug output). ApiToken only admits visible ASCII, so
        // from_str cannot fail; if it ever did, the server's 401 would say to fix the token.
        let bearer = Zeroizing::new(format!("Bearer {}", token.expose()));
        let mut auth =
            HeaderValue::from_str(&bearer).unwrap_or_else(|_| HeaderValue::from_static("Bearer -"));
        auth.set_sensitive(true);
        let transport = Transport {
            host: endpoint.host().to_owned(),
            auth,
            http,
            retry: RetryPolicy::default(),
            limiter: RateLimiter::new(RateLimit::default()),
        };
        TfcClient {
            endpoint,
            transport,
        }
    }

    /// Replaces the rate limit (default: 30 requests per second, 16 in flight). The new
    /// limiter is shared by the clones made from here on.
    pub fn with_rate_limit(mut self, limit: RateLimit) -> TfcClient {
        self.transport.limiter = RateLimiter::new(limit);
        self
    }

    /// Replaces the retry policy (tests use short waits).
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> TfcClient {
        self.transport.retry = retry;
        self
    }

    /// The reqwest client tfc-oidc uses for HCP Terraform: rustls, 10 s connect and 30 s
    /// request timeouts, `User-Agent: tfc-oidc/<version>`, no redirects (a redirect would be a
    /// misconfigured address, and following it could carry the token elsewhere).
    pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
        // reqwest is built without a crypto provider of its own: it uses the process default,
        // ring (the AWS SDK's too). Installing fails only when one is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .user_agent(concat!("tfc-oidc/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
    }

    /// Where this client connects.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// `api_base` + path segments, each percent-encoded (names may hold spaces or slashes).
    pub(super) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.endpoint.api_base().clone();
        // Endpoint only holds http(s) URLs, which always have path segments.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// GETs one resource.
    pub(super) async fn get_one<A: DeserializeOwned>(
        &self,
        url: Url,
        what: &str,
    ) -> Result<Document<Resource<A>>, TfcError> {
        let body = self.transport.send(Method::GET, url, None, what).await?;
        jsonapi::parse(&body, what)
    }

    /// GETs every page of a list (`page[size]=100`, following `next-page`), returning the
    /// resources and everything `included` alongside them.
    pub(super) async fn get_all<A: DeserializeOwned>(
        &self,
        url: Url,
        what: &str,
    ) -> Result<(Vec<Resource<A>>, Vec<Resource<Value>>), TfcError> {
        let mut data = Vec::new();
        let mut included = Vec::new();
        let mut page = 1;
        loop {
            let mut page_url = url.clone();
            page_url
                .query_pairs_mut()
                .append_pair("page[number]", &page.to_string())
                .append_pair("page[size]", PAGE_SIZE);
            let body = self
                .transport
                .send(Method::GET, page_url, None, what)
                .await?;
            let doc: Document<Vec<Resource<A>>> = jsonapi::parse(&body, what)?;
            let next = doc.next_page();
            data.extend(doc.data);
            included.extend(doc.included);
            match next {
                None => return Ok((data, included)),
                Some(n) if n > page && n <= MAX_PAGES => page = n,
                Some(n) => {
                    return Err(TfcError::Protocol(format!(
                        "paging went from page {page} to page {n} while listing {what}"
                    )))
                }
            }
        }
    }

    /// Sends `body` with `method` and reads back one resource.
    pub(super) async fn write_one<A: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: &Value,
        what: &str,
    ) -> Result<Resource<A>, TfcError> {
        let reply = self.transport.send(method, url, Some(body), what).await?;
        Ok(jsonapi::parse::<Document<Resource<A>>>(&reply, what)?.data)
    }

    /// Sends a request whose answer carries nothing we need (204 No Content).
    pub(super) async fn write_empty(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        what: &str,
    ) -> Result<(), TfcError> {
        self.transport.send(method, url, body, what).await.map(drop)
    }
}
