//! [`IamClient`]: the real AWS adapter behind the core's [`Iam`](crate::core::ports::Iam) port
//! (aws-sdk-iam + aws-sdk-sts): the client and its construction. The port's calls are in
//! `iam.rs`, one method per call under the port's name.

use aws_config::SdkConfig;
use aws_sdk_iam::config::retry::RetryConfig;

use super::errors::ErrorContext;
use crate::core::ports::IamError;

/// Attempts per request (first try + retries) for the SDK's standard retry strategy, which
/// already backs off on throttling and transient errors.
const MAX_ATTEMPTS: u32 = 5;

/// AWS IAM and STS through the official SDK.
#[derive(Debug, Clone)]
pub struct IamClient {
    pub(super) iam: aws_sdk_iam::Client,
    pub(super) sts: aws_sdk_sts::Client,
    pub(super) iam_ctx: ErrorContext,
    pub(super) sts_ctx: ErrorContext,
}

impl IamClient {
    /// Builds the IAM and STS clients from a loaded SDK config (see
    /// [`load_sdk_config`](super::config::load_sdk_config)), with standard retries (5 attempts).
    /// The profile named in error messages is taken from `AWS_PROFILE`; see [`Self::with_profile`].
    pub fn new(sdk: &SdkConfig) -> Self {
        let retry = RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS);
        let iam_conf = aws_sdk_iam::config::Builder::from(sdk)
            .retry_config(retry.clone())
            .build();
        let sts_conf = aws_sdk_sts::config::Builder::from(sdk)
            .retry_config(retry)
            .build();
        let profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
        let endpoint = |service: &str| {
            std::env::var(format!("AWS_ENDPOINT_URL_{service}"))
                .ok()
                .filter(|e| !e.is_empty())
                .or_else(|| sdk.endpoint_url().map(str::to_owned))
        };
        IamClient {
            iam: aws_sdk_iam::Client::from_conf(iam_conf),
            sts: aws_sdk_sts::Client::from_conf(sts_conf),
            iam_ctx: ErrorContext {
                profile: profile.clone(),
                endpoint: endpoint("IAM"),
            },
            sts_ctx: ErrorContext {
                profile,
                endpoint: endpoint("STS"),
            },
        }
    }

    /// Names the profile in use (`--profile`) so credential errors can say
    /// `run 'aws sso login --profile X'`. `None` keeps what `new` found.
    pub fn with_profile(mut self, profile: Option<&str>) -> Self {
        if let Some(p) = profile.filter(|p| !p.is_empty()) {
            self.iam_ctx.profile = Some(p.to_owned());
            self.sts_ctx.profile = Some(p.to_owned());
        }
        self
    }

    /// The underlying IAM client, for calls the port does not cover (tests, diagnostics).
    pub fn iam_sdk(&self) -> &aws_sdk_iam::Client {
        &self.iam
    }
}

/// `Ok(None)` when the entity does not exist: the port's lookups say "absent" that way, so
/// the planner never matches on errors for the common case.
pub(super) fn absent_as_none<T>(result: Result<T, IamError>) -> Result<Option<T>, IamError> {
    match result {
        Ok(found) => Ok(Some(found)),
        Err(IamError::NoSuchEntity(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// An access key ID shortened for messages (`AKIA…WXYZ`): not secret, but no need to echo it all.
pub(super) fn redact_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return id.to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::{absent_as_none, redact_key_id};
    use crate::core::ports::IamError;

    #[test]
    fn a_missing_entity_is_none_and_other_errors_stay() {
        assert_eq!(absent_as_none(Ok::<_, IamError>(1)), Ok(Some(1)));
        let missing = IamError::NoSuchEntity("role 'x'".into());
        assert_eq!(absent_as_none::<u8>(Err(missing)), Ok(None));
        let denied = IamError::AccessDenied("iam:GetRole".into());
        assert_eq!(absent_as_none::<u8>(Err(denied.clone())), Err(denied));
    }

    #[test]
    fn key_ids_are_shortened() {
        assert_eq!(redact_key_id("AKIAABCDEFGHIJKLWXYZ"), "AKIA…WXYZ");
        assert_eq!(redact_key_id("short"), "short");
    }
}
