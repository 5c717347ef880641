//! [`CloudTrailClient`]: CloudTrail's event history (`LookupEvents`) behind the core's
//! [`AuditTrail`] port. One lookup attribute (`EventName=AssumeRoleWithWebIdentity`, or
//! `AccessKeyId=AKIA…` for where a static key was used), a time range, 50 events a page,
//! following `NextToken` up to [`MAX_PAGES`] pages. The region is the SDK config's (event history is regional); the endpoint may be overridden with
//! `AWS_ENDPOINT_URL_CLOUDTRAIL` or `AWS_ENDPOINT_URL`, as aws-config reads them.

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_cloudtrail::config::retry::RetryConfig;
use aws_sdk_cloudtrail::primitives::{DateTime, DateTimeFormat};
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use time::OffsetDateTime;

use super::errors::{classify, ErrorContext};
use crate::core::ports::{AuditTrail, IamError, TrailEvent, TrailEvents};

/// LookupEvents' largest page.
const PAGE_SIZE: i32 = 50;
/// At most this many pages (2,500 events) per read: CloudTrail allows 2 lookups a second.
pub const MAX_PAGES: usize = 50;

/// The event the trail is searched for.
pub const EVENT_NAME: &str = "AssumeRoleWithWebIdentity";

/// CloudTrail through the official SDK.
#[derive(Debug, Clone)]
pub struct CloudTrailClient {
    client: aws_sdk_cloudtrail::Client,
    region: Option<String>,
    ctx: ErrorContext,
}

impl CloudTrailClient {
    /// A client from a loaded SDK config (standard retries, which back off on throttling).
    pub fn new(sdk: &SdkConfig) -> Self {
        CloudTrailClient::with_attempts(sdk, 5)
    }

    /// A client that makes at most `attempts` attempts per page: `review` reads CloudTrail on
    /// the side and would rather skip it than wait out five backoffs of a failing endpoint.
    pub fn with_attempts(sdk: &SdkConfig, attempts: u32) -> Self {
        let conf = aws_sdk_cloudtrail::config::Builder::from(sdk)
            .retry_config(RetryConfig::standard().with_max_attempts(attempts.max(1)))
            .build();
        let endpoint = std::env::var("AWS_ENDPOINT_URL_CLOUDTRAIL")
            .ok()
            .filter(|e| !e.is_empty())
            .or_else(|| sdk.endpoint_url().map(str::to_owned));
        CloudTrailClient {
            client: aws_sdk_cloudtrail::Client::from_conf(conf),
            region: sdk.region().map(|r| r.to_string()),
            ctx: ErrorContext {
                profile: std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()),
                endpoint,
            },
        }
    }
}

fn sdk_time(t: OffsetDateTime) -> DateTime {
    DateTime::from_secs(t.unix_timestamp())
}

impl CloudTrailClient {
    /// Every page of `LookupEvents` for one lookup attribute between `start` and `end`, up to
    /// [`MAX_PAGES`].
    async fn lookup(
        &self,
        key: LookupAttributeKey,
        value: &str,
        start: OffsetDateTime,
        end: OffsetDateTime,
    ) -> Result<TrailEvents, IamError> {
        let attribute = LookupAttribute::builder()
            .attribute_key(key)
            .attribute_value(value)
            .build()
            .map_err(|e| IamError::Other(e.to_string()))?;
        let mut events = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = self
                .client
                .lookup_events()
                .lookup_attributes(attribute.clone())
                .start_time(sdk_time(start))
                .end_time(sdk_time(end))
                .max_results(PAGE_SIZE)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| classify(e, "CloudTrail's event history", &self.ctx))?;
            for e in page.events() {
                let time = e
                    .event_time()
                    .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
                    .unwrap_or_default();
                events.push(TrailEvent {
                    event_id: e.event_id().unwrap_or_default().to_owned(),
                    event_time: time,
                    cloudtrail_event: e.cloud_trail_event().unwrap_or("{}").to_owned(),
                });
            }
            match page.next_token().filter(|t| !t.is_empty()) {
                Some(next) => token = Some(next.to_owned()),
                None => {
                    return Ok(TrailEvents {
                        events,
                        truncated: false,
                        region: self.region.clone(),
                    })
                }
            }
        }
        Ok(TrailEvents {
            events,
            truncated: true,
            region: self.region.clone(),
        })
    }
}

#[async_trait]
impl AuditTrail for CloudTrailClient {
    async fn web_identity_events(
        &self,
        start: OffsetDateTime,
        end: OffsetDateTime,
    ) -> Result<TrailEvents, IamError> {
        self.lookup(LookupAttributeKey::EventName, EVENT_NAME, start, end)
            .await
    }

    async fn access_key_events(
        &self,
        access_key_id: &str,
        start: OffsetDateTime,
        end: OffsetDateTime,
    ) -> Result<TrailEvents, IamError> {
        self.lookup(LookupAttributeKey::AccessKeyId, access_key_id, start, end)
            .await
    }
}
