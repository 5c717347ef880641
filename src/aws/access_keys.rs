//! IAM user access keys for `migrate`, as the port gives them: who owns a key and when it was
//! last used (`GetAccessKeyLastUsed`), a user's keys with their age (`ListAccessKeys`), and the
//! status `UpdateAccessKey` sets.

use aws_sdk_iam::operation::get_access_key_last_used::GetAccessKeyLastUsedOutput;
use aws_sdk_iam::primitives::DateTimeFormat;
use aws_sdk_iam::types::StatusType;

use crate::core::ports::{AccessKeyLastUsed, AccessKeyMetadata, AccessKeyStatus};

/// IAM's placeholder for "never used" in `ServiceName` and `Region`.
const NOT_AVAILABLE: &str = "N/A";

fn known(value: &str) -> Option<String> {
    (!value.is_empty() && value != NOT_AVAILABLE).then(|| value.to_owned())
}

fn rfc3339(date: Option<&aws_sdk_iam::primitives::DateTime>) -> Option<String> {
    date.and_then(|d| d.fmt(DateTimeFormat::DateTime).ok())
}

/// What `GetAccessKeyLastUsed` says of a key: its user, and when, where and for what it was
/// last used (`None`: no user named, IAM knows no owner).
pub(super) fn last_used_from_sdk(out: &GetAccessKeyLastUsedOutput) -> Option<AccessKeyLastUsed> {
    let user = out.user_name().filter(|u| !u.is_empty())?;
    let used = out.access_key_last_used();
    Some(AccessKeyLastUsed {
        user: user.to_owned(),
        last_used: rfc3339(used.and_then(|u| u.last_used_date())),
        service: used.and_then(|u| known(u.service_name())),
        region: used.and_then(|u| known(u.region())),
    })
}

/// One key of `ListAccessKeys` (`None`: no id or status, which IAM always sends).
pub(super) fn key_from_sdk(k: &aws_sdk_iam::types::AccessKeyMetadata) -> Option<AccessKeyMetadata> {
    Some(AccessKeyMetadata {
        id: k.access_key_id()?.to_owned(),
        status: match k.status()? {
            StatusType::Active => AccessKeyStatus::Active,
            _ => AccessKeyStatus::Inactive,
        },
        created: rfc3339(k.create_date()),
    })
}

/// The port's key status as `UpdateAccessKey` takes it.
pub(super) fn status_to_sdk(status: AccessKeyStatus) -> StatusType {
    match status {
        AccessKeyStatus::Active => StatusType::Active,
        AccessKeyStatus::Inactive => StatusType::Inactive,
    }
}
