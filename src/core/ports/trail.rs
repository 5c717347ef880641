//! AWS CloudTrail's event history (`AuditTrail`), read by `activity` and `review`, and by
//! `migrate` for the use of a key before it deactivates it.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::IamError;

/// One CloudTrail management event as `LookupEvents` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailEvent {
    pub event_id: String,
    /// RFC 3339.
    pub event_time: String,
    /// The event's own JSON document (`CloudTrailEvent`), parsed by `core::activity`.
    pub cloudtrail_event: String,
}

/// What one read of the trail found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrailEvents {
    pub events: Vec<TrailEvent>,
    /// More events matched than were read (the reader stops after a fixed number of pages).
    pub truncated: bool,
    /// The region whose event history was read.
    pub region: Option<String>,
}

/// AWS CloudTrail's event history (`LookupEvents`), as much of it as `activity` needs. Errors
/// are classified like IAM's.
#[async_trait]
pub trait AuditTrail: Send + Sync {
    /// `AssumeRoleWithWebIdentity` events between `start` and `end`, newest first, every page
    /// up to the reader's limit.
    async fn web_identity_events(
        &self,
        start: time::OffsetDateTime,
        end: time::OffsetDateTime,
    ) -> Result<TrailEvents, IamError>;

    /// Every event made with access key `access_key_id` (`LookupAttributeKey=AccessKeyId`)
    /// between `start` and `end`, newest first, every page up to the reader's limit: where a
    /// static key was used (migrate, before it deactivates a key).
    async fn access_key_events(
        &self,
        access_key_id: &str,
        start: time::OffsetDateTime,
        end: time::OffsetDateTime,
    ) -> Result<TrailEvents, IamError>;
}
