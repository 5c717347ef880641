//! Turning aws-sdk errors into the core's [`IamError`]: one line each, saying what to do, and
//! never carrying secret key material (credential failures get fixed messages, service messages
//! are flattened and cut short).

use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use std::error::Error as StdError;

use crate::core::ports::IamError;

/// Longest service message kept in an error (IAM messages are short; this guards odd proxies).
const MAX_MESSAGE: usize = 300;

/// What the adapter knows about where its credentials come from, to say what to do on failure.
#[derive(Debug, Clone, Default)]
pub(crate) struct ErrorContext {
    /// The profile in use (`--profile` or `AWS_PROFILE`), if any.
    pub profile: Option<String>,
    /// The endpoint override, when one is configured (`AWS_ENDPOINT_URL*`).
    pub endpoint: Option<String>,
}

impl ErrorContext {
    fn sso_login(&self) -> String {
        match &self.profile {
            Some(p) => format!("run 'aws sso login --profile {p}'"),
            None => "run 'aws sso login' (with --profile if you use one)".to_owned(),
        }
    }

    fn where_aws(&self) -> String {
        match &self.endpoint {
            Some(e) => format!("the AWS endpoint {e}"),
            None => "AWS".to_owned(),
        }
    }
}

/// Classifies an SDK error. `what` names the object the call was about (`role 'x'`), used in
/// `NoSuchEntity`/`AlreadyExists` messages.
pub(crate) fn classify<E>(err: SdkError<E>, what: &str, ctx: &ErrorContext) -> IamError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(se) => {
            let code = err.code().unwrap_or_default().to_owned();
            let message = err.message().map(one_line).unwrap_or_default();
            if code.is_empty() && message.is_empty() {
                let status = se.raw().status().as_u16();
                return IamError::Other(format!(
                    "{} answered HTTP {status} with no AWS error for {what} (is this call supported there?)",
                    ctx.where_aws()
                ));
            }
            classify_code(&code, &message, what, ctx)
        }
        SdkError::DispatchFailure(d) => {
            let chain = error_chain(&err);
            if let Some(e) = credentials_problem(&chain, ctx) {
                return e;
            }
            if d.is_io() || d.is_timeout() {
                return IamError::Credentials(format!(
                    "could not reach {}: check the network, proxy settings and AWS_ENDPOINT_URL ({})",
                    ctx.where_aws(),
                    cut(&chain)
                ));
            }
            IamError::Credentials(format!(
                "the request to {} failed before AWS answered: {}",
                ctx.where_aws(),
                cut(&chain)
            ))
        }
        SdkError::TimeoutError(_) => IamError::Credentials(format!(
            "{} did not answer in time: check the network and AWS_ENDPOINT_URL",
            ctx.where_aws()
        )),
        SdkError::ConstructionFailure(_) => {
            let chain = error_chain(&err);
            credentials_problem(&chain, ctx).unwrap_or_else(|| {
                IamError::Other(format!("could not build the AWS request: {}", cut(&chain)))
            })
        }
        SdkError::ResponseError(r) => {
            let status = r.raw().status().as_u16();
            IamError::Other(format!(
                "unexpected response from {} (HTTP {status}) for {what}: {}",
                ctx.where_aws(),
                cut(&error_chain(&err))
            ))
        }
        _ => IamError::Other(cut(&error_chain(&err))),
    }
}

/// Maps an AWS error code (and its message) to an [`IamError`].
pub(crate) fn classify_code(code: &str, message: &str, what: &str, ctx: &ErrorContext) -> IamError {
    let detail = |fallback: &str| {
        if message.is_empty() {
            fallback.to_owned()
        } else {
            cut(message)
        }
    };
    match code {
        "NoSuchEntity" | "NoSuchEntityException" => IamError::NoSuchEntity(what.to_owned()),
        "EntityAlreadyExists" | "EntityAlreadyExistsException" => IamError::AlreadyExists(what.to_owned()),
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" | "UnauthorizedAccess" => {
            IamError::AccessDenied(detail(&format!("not allowed to act on {what}")))
        }
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException" => {
            IamError::Throttled(detail("rate exceeded"))
        }
        "MalformedPolicyDocument" | "MalformedPolicyDocumentException" | "InvalidInput" | "InvalidInputException"
        | "ValidationError" | "LimitExceeded" | "LimitExceededException" | "UnmodifiableEntity"
        | "PolicyNotAttachable" | "DeleteConflict" | "InvalidParameterValue" => {
            IamError::InvalidInput(format!("{code}: {}", detail(what)))
        }
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => IamError::Credentials(format!(
            "the AWS session has expired: refresh your credentials ({}, or new temporary keys)",
            ctx.sso_login()
        )),
        "InvalidClientTokenId" | "UnrecognizedClientException" | "InvalidAccessKeyId" => IamError::Credentials(
            "AWS does not recognise the access key: check AWS_ACCESS_KEY_ID / AWS_PROFILE".to_owned(),
        ),
        "SignatureDoesNotMatch" | "IncompleteSignature" => IamError::Credentials(
            "AWS rejected the request signature: check AWS_SECRET_ACCESS_KEY / the profile's secret key".to_owned(),
        ),
        "" => IamError::Other(format!("AWS refused the request for {what}: {}", detail("no error code"))),
        _ => IamError::Other(format!("AWS error {code} for {what}: {}", detail("no message"))),
    }
}

/// Recognises credential-loading failures (no credentials, expired SSO token) in an error chain.
fn credentials_problem(chain: &str, ctx: &ErrorContext) -> Option<IamError> {
    let lower = chain.to_ascii_lowercase();
    let sso = lower.contains("sso");
    let sso_signs = ["expired", "token", "unauthorized", "/sso/cache", "session"];
    if sso && sso_signs.iter().any(|s| lower.contains(s)) {
        return Some(IamError::Credentials(format!(
            "the AWS SSO session is missing or expired: {}",
            ctx.sso_login()
        )));
    }
    if lower.contains("no providers in chain provided credentials")
        || lower.contains("credential provider was not enabled")
        || lower.contains("credentialsnotloaded")
    {
        return Some(IamError::Credentials(
            "no AWS credentials found: set AWS_PROFILE (or pass --profile) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
                .to_owned(),
        ));
    }
    if lower.contains("expired") {
        return Some(IamError::Credentials(format!(
            "the AWS credentials have expired: refresh them ({})",
            ctx.sso_login()
        )));
    }
    if lower.contains("credential") || lower.contains("profile") {
        return Some(IamError::Credentials(format!(
            "could not load AWS credentials: {} — check AWS_PROFILE and ~/.aws/config",
            cut(chain)
        )));
    }
    None
}

/// The error and its sources, joined on one line.
fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        let s = one_line(&e.to_string());
        if !s.is_empty() && !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// Collapses whitespace (newlines included) to single spaces.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One line, at most [`MAX_MESSAGE`] characters.
fn cut(s: &str) -> String {
    let s = one_line(s);
    if s.chars().count() <= MAX_MESSAGE {
        s
    } else {
        let mut t: String = s.chars().take(MAX_MESSAGE).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ErrorContext {
        ErrorContext {
            profile: Some("dev".into()),
            endpoint: None,
        }
    }

    #[test]
    fn codes_map_to_kinds() {
        let c = ctx();
        assert_eq!(
            classify_code("NoSuchEntity", "x", "role 'a'", &c),
            IamError::NoSuchEntity("role 'a'".into())
        );
        assert_eq!(
            classify_code("EntityAlreadyExists", "x", "role 'a'", &c),
            IamError::AlreadyExists("role 'a'".into())
        );
        assert!(matches!(
            classify_code("AccessDenied", "no", "r", &c),
            IamError::AccessDenied(_)
        ));
        assert!(matches!(
            classify_code("UnauthorizedOperation", "", "r", &c),
            IamError::AccessDenied(_)
        ));
        for t in ["Throttling", "ThrottlingException", "RequestLimitExceeded"] {
            assert!(
                matches!(classify_code(t, "", "r", &c), IamError::Throttled(_)),
                "{t}"
            );
        }
        for t in [
            "MalformedPolicyDocument",
            "InvalidInput",
            "ValidationError",
            "LimitExceeded",
        ] {
            assert!(
                matches!(classify_code(t, "bad", "r", &c), IamError::InvalidInput(_)),
                "{t}"
            );
        }
        assert!(
            matches!(classify_code("ExpiredToken", "", "r", &c), IamError::Credentials(m) if m.contains("--profile dev"))
        );
        assert!(
            matches!(classify_code("Weird", "multi\nline", "r", &c), IamError::Other(m) if !m.contains('\n'))
        );
    }

    #[test]
    fn credential_chains_are_recognised() {
        let c = ctx();
        let e = credentials_problem(
            "dispatch failure: no providers in chain provided credentials",
            &c,
        );
        assert!(matches!(e, Some(IamError::Credentials(m)) if m.contains("AWS_ACCESS_KEY_ID")));
        let e = credentials_problem(
            "failed to load SSO token: the SSO token has expired and cannot be refreshed",
            &c,
        );
        assert!(
            matches!(e, Some(IamError::Credentials(m)) if m.contains("aws sso login --profile dev"))
        );
        let e = credentials_problem(
            "failed to read `/home/u/.aws/sso/cache/abc.json`: No such file",
            &c,
        );
        assert!(
            matches!(e, Some(IamError::Credentials(m)) if m.contains("aws sso login --profile dev"))
        );
        assert!(credentials_problem("connection refused", &c).is_none());
    }

    #[test]
    fn cut_is_single_line_and_bounded() {
        let long = "a\nb ".repeat(400);
        let s = cut(&long);
        assert!(!s.contains('\n'));
        assert!(s.chars().count() <= MAX_MESSAGE + 1);
    }
}
