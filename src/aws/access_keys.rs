//! IAM user access key calls of [`IamClient`] for `migrate`: who owns a key and when it was last
//! used (`GetAccessKeyLastUsed`), a user's keys with their age (`ListAccessKeys`), and which
//! account a key belongs to (`sts:GetAccessKeyInfo`), and whether a user has a console password
//! (`GetLoginProfile`).

use aws_sdk_iam::primitives::DateTimeFormat;
use aws_sdk_iam::types::StatusType;

use super::client::{redact_key_id, IamClient};
use super::errors::classify;
use crate::core::ports::{AccessKeyLastUsed, AccessKeyMetadata, AccessKeyStatus, IamError};

/// IAM's placeholder for "never used" in `ServiceName` and `Region`.
const NOT_AVAILABLE: &str = "N/A";

fn known(value: &str) -> Option<String> {
    (!value.is_empty() && value != NOT_AVAILABLE).then(|| value.to_owned())
}

fn rfc3339(date: Option<&aws_sdk_iam::primitives::DateTime>) -> Option<String> {
    date.and_then(|d| d.fmt(DateTimeFormat::DateTime).ok())
}

impl IamClient {
    pub(super) async fn access_key_last_used_impl(
        &self,
        access_key_id: &str,
    ) -> Result<Option<AccessKeyLastUsed>, IamError> {
        let what = format!("access key {}", redact_key_id(access_key_id));
        let out = match self
            .iam
            .get_access_key_last_used()
            .access_key_id(access_key_id)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                return match classify(e, &what, &self.iam_ctx) {
                    IamError::NoSuchEntity(_) => Ok(None),
                    other => Err(other),
                }
            }
        };
        let Some(user) = out.user_name().filter(|u| !u.is_empty()) else {
            return Ok(None);
        };
        let used = out.access_key_last_used();
        Ok(Some(AccessKeyLastUsed {
            user: user.to_owned(),
            last_used: rfc3339(used.and_then(|u| u.last_used_date())),
            service: used.and_then(|u| known(u.service_name())),
            region: used.and_then(|u| known(u.region())),
        }))
    }

    pub(super) async fn list_access_keys_impl(
        &self,
        user: &str,
    ) -> Result<Vec<AccessKeyMetadata>, IamError> {
        let what = format!("the access keys of user '{user}'");
        let listed: Result<Vec<aws_sdk_iam::types::AccessKeyMetadata>, _> = self
            .iam
            .list_access_keys()
            .user_name(user)
            .into_paginator()
            .items()
            .send()
            .collect()
            .await;
        let keys = match listed {
            Ok(keys) => keys,
            Err(e) => {
                return match classify(e, &what, &self.iam_ctx) {
                    IamError::NoSuchEntity(_) => Ok(Vec::new()),
                    other => Err(other),
                }
            }
        };
        Ok(keys
            .iter()
            .filter_map(|k| {
                Some(AccessKeyMetadata {
                    id: k.access_key_id()?.to_owned(),
                    status: match k.status()? {
                        StatusType::Active => AccessKeyStatus::Active,
                        _ => AccessKeyStatus::Inactive,
                    },
                    created: rfc3339(k.create_date()),
                })
            })
            .collect())
    }

    pub(super) async fn access_key_account_impl(
        &self,
        access_key_id: &str,
    ) -> Result<Option<String>, IamError> {
        let what = format!("access key {}", redact_key_id(access_key_id));
        let out = self
            .sts
            .get_access_key_info()
            .access_key_id(access_key_id)
            .send()
            .await
            .map_err(|e| classify(e, &what, &self.sts_ctx))?;
        Ok(out.account().filter(|a| !a.is_empty()).map(str::to_owned))
    }

    pub(super) async fn login_profile_exists_impl(&self, user: &str) -> Result<bool, IamError> {
        let what = format!("the console password of user '{user}'");
        match self.iam.get_login_profile().user_name(user).send().await {
            Ok(_) => Ok(true),
            Err(e) => match classify(e, &what, &self.iam_ctx) {
                IamError::NoSuchEntity(_) => Ok(false),
                other => Err(other),
            },
        }
    }
}
