//! Why a run did not authenticate: the AWS side read through the `Iam` port ([`gather_aws`], in
//! `facts.rs`), then one pure function ([`causes`]) that puts together what the log said, what the variables
//! say and what IAM's evaluator says about this workspace's token, most telling cause first.

use super::credentials::CredentialConfig;
use super::follow::RunProgress;
use super::log::{AwsAuthError, LogSummary};
use serde::Serialize;

pub use super::facts::{gather_aws, AwsFacts, RoleLookup};

/// What kind of cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseCode {
    NoConfigurationVersion,
    Variables,
    RoleMissing,
    TrustPolicy,
    OidcProviderMissing,
    AudienceMismatch,
    AccessDenied,
    InvalidIdentityToken,
    StaticKeys,
    NoCredentials,
    RunErrored,
    RunCanceled,
    TimedOut,
}

/// One reason the run did not authenticate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub code: CauseCode,
    /// One sentence.
    pub summary: String,
    /// Supporting lines (the failing condition, the AWS message, …).
    pub details: Vec<String>,
    /// What to do.
    pub fix: Option<String>,
}

impl Cause {
    pub fn new(code: CauseCode, summary: impl Into<String>) -> Cause {
        Cause {
            code,
            summary: summary.into(),
            details: vec![],
            fix: None,
        }
    }

    pub fn detail(mut self, line: impl Into<String>) -> Cause {
        self.details.push(line.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Cause {
        self.fix = Some(fix.into());
        self
    }
}

/// Problems the AWS facts show by themselves, most basic first.
fn fact_causes(facts: &AwsFacts, config: &CredentialConfig) -> Vec<Cause> {
    let mut out = Vec::new();
    let account = &facts.caller.account;
    if matches!(facts.provider, Ok(None)) {
        out.push(
            Cause::new(
                CauseCode::OidcProviderMissing,
                format!(
                    "AWS account {account} has no IAM OIDC provider for https://{}",
                    facts.claims.host
                ),
            )
            .detail(format!("expected {}", facts.provider_arn))
            .fix("create it with 'tfc-oidc setup' (or aws_iam_openid_connect_provider) for this host"),
        );
    }
    if let Ok(Some(p)) = &facts.provider {
        if !p.client_ids.iter().any(|c| c == &config.audience) {
            out.push(
                Cause::new(
                    CauseCode::AudienceMismatch,
                    format!(
                        "the token's audience {:?} is not a client ID of the OIDC provider",
                        config.audience
                    ),
                )
                .detail(format!("client IDs of {}: {}", p.arn, p.client_ids.join(", ")))
                .detail(audience_origin(config))
                .fix(format!(
                    "add {:?} to the provider's client IDs, or set TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE to one of them",
                    config.audience
                )),
            );
        }
    }
    match &facts.role {
        RoleLookup::Missing => out.push(
            Cause::new(
                CauseCode::RoleMissing,
                format!(
                    "role {} does not exist in account {account}",
                    facts.role_arn
                ),
            )
            .detail(role_origin(config))
            .fix("create the role ('tfc-oidc setup') or correct the role ARN variable"),
        ),
        RoleLookup::Found(_) => {
            if let Some(d) = facts.decision.as_ref().filter(|d| !d.allowed) {
                let mut cause = Cause::new(
                    CauseCode::TrustPolicy,
                    format!(
                        "the trust policy of {} does not admit this workspace's plan-phase token",
                        facts.role_arn
                    ),
                )
                .detail(d.explain())
                .detail(format!("the token's sub: {}", facts.claims.sub))
                .detail(format!("the token's aud: {}", facts.claims.aud));
                cause = cause.fix(format!(
                    "add the subject to the role's trust policy ('tfc-oidc setup' for this workspace does), e.g. StringLike {}:sub = {}",
                    facts.claims.host,
                    crate::core::trust::subject::escape(&facts.claims.sub)
                ));
                out.push(cause);
            }
        }
        RoleLookup::OtherAccount { .. } | RoleLookup::Unreadable(_) => {}
    }
    out
}

fn role_origin(config: &CredentialConfig) -> String {
    match &config.role_arn {
        Some(s) => format!("{} comes from {}", s.key, s.source),
        None => "no role ARN variable".into(),
    }
}

fn audience_origin(config: &CredentialConfig) -> String {
    match &config.audience_setting {
        Some(s) => format!("the audience comes from {} ({})", s.key, s.source),
        None => "the audience is the default (no TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE)".into(),
    }
}

/// The cause for one AWS error of the log, using the facts when they explain it.
fn explain_aws_error(
    error: &AwsAuthError,
    facts: Option<&AwsFacts>,
    known: &[Cause],
    config: &CredentialConfig,
) -> Option<Cause> {
    let has = |code: CauseCode| known.iter().find(|c| c.code == code).cloned();
    let said = format!("AWS said: {}", describe_aws_error(error));
    let with_said = |c: Cause| Some(c.detail(said.clone()));
    match error {
        AwsAuthError::NoOidcProvider { issuer } => has(CauseCode::OidcProviderMissing)
            .map(|c| c.detail(said.clone()))
            .or_else(|| {
                let issuer = issuer.clone().unwrap_or_else(|| "the issuer".into());
                with_said(
                    Cause::new(
                        CauseCode::OidcProviderMissing,
                        format!("the role's AWS account has no IAM OIDC provider for {issuer}"),
                    )
                    .fix("create the provider in the account of the role ('tfc-oidc setup')"),
                )
            }),
        AwsAuthError::IncorrectAudience => has(CauseCode::AudienceMismatch)
            .map(|c| c.detail(said.clone()))
            .or_else(|| {
                with_said(
                    Cause::new(
                        CauseCode::AudienceMismatch,
                        format!(
                            "the token's audience {:?} is not a client ID of the OIDC provider",
                            config.audience
                        ),
                    )
                    .detail(audience_origin(config)),
                )
            }),
        AwsAuthError::AccessDenied { .. } => has(CauseCode::RoleMissing)
            .or_else(|| has(CauseCode::TrustPolicy))
            .map(|c| c.detail(said.clone()))
            .or_else(|| with_said(access_denied(facts))),
        AwsAuthError::InvalidIdentityToken { .. } => with_said(Cause::new(
            CauseCode::InvalidIdentityToken,
            "STS rejected the workload identity token",
        )),
        AwsAuthError::NoCredentials => with_said(
            Cause::new(
                CauseCode::NoCredentials,
                "the AWS provider found no credentials",
            )
            .fix(if config.enabled() {
                "dynamic credentials are configured: check that the provider block sets no other credentials (profile, access_key, assume_role) and that the run uses the default AWS configuration"
            } else {
                "set TFC_AWS_PROVIDER_AUTH=true and TFC_AWS_RUN_ROLE_ARN on the workspace (env category)"
            }),
        ),
        AwsAuthError::InvalidStaticKeys => with_said(
            Cause::new(
                CauseCode::StaticKeys,
                "the run used static AWS keys, and AWS rejected them",
            )
            .fix("remove AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY so the run uses dynamic credentials ('tfc-oidc migrate')"),
        ),
    }
}

/// STS refused the role and no known fact says why: what the facts still tell.
fn access_denied(facts: Option<&AwsFacts>) -> Cause {
    let mut c = Cause::new(
        CauseCode::AccessDenied,
        "STS refused AssumeRoleWithWebIdentity for the plan role",
    );
    if let Some(f) = facts {
        if f.decision.as_ref().is_some_and(|d| d.allowed) {
            c = c
                .detail(format!(
                    "tfc-oidc's evaluation of the trust policy of {} admits {}",
                    f.role_arn, f.claims.sub
                ))
                .fix("look for an explicit Deny, a service control policy, or a trust policy changed since the run");
        } else if let RoleLookup::OtherAccount { account } = &f.role {
            c = c.detail(format!(
                "the role is in account {account}; run 'tfc-oidc explain' with credentials for that account"
            ));
        }
    }
    c
}

/// One line for an AWS error.
pub fn describe_aws_error(e: &AwsAuthError) -> String {
    match e {
        AwsAuthError::AccessDenied { message } if !message.is_empty() => {
            format!("AccessDenied: {message}")
        }
        AwsAuthError::AccessDenied { .. } => "AccessDenied".into(),
        AwsAuthError::NoOidcProvider { issuer } => format!(
            "InvalidIdentityToken: No OpenIDConnect provider found in your account for {}",
            issuer.as_deref().unwrap_or("the issuer")
        ),
        AwsAuthError::IncorrectAudience => "InvalidIdentityToken: Incorrect token audience".into(),
        AwsAuthError::InvalidIdentityToken { message } => {
            format!("InvalidIdentityToken: {message}")
        }
        AwsAuthError::NoCredentials => "no valid credential sources found".into(),
        AwsAuthError::InvalidStaticKeys => "InvalidClientTokenId".into(),
    }
}

/// Everything known about one run, for [`causes`].
pub struct Evidence<'a> {
    pub phase: RunProgress,
    pub status: &'a str,
    pub config: &'a CredentialConfig,
    pub log: Option<&'a LogSummary>,
    pub facts: Option<&'a AwsFacts>,
}

/// Whether the run authenticated: its plan finished, the log shows no AWS authentication
/// error, and dynamic credentials were configured.
pub fn authenticated(e: &Evidence) -> bool {
    e.phase == RunProgress::Planned
        && e.config.enabled()
        && e.log.is_none_or(|l| l.aws_errors.is_empty())
}

/// The causes, most telling first (empty when the run authenticated).
pub fn causes(e: &Evidence) -> Vec<Cause> {
    if authenticated(e) {
        return vec![];
    }
    let mut out: Vec<Cause> = Vec::new();
    for p in e.config.problems.iter().filter(|p| p.is_blocking()) {
        out.push(Cause::new(CauseCode::Variables, p.describe()));
    }
    let facts = e
        .facts
        .map(|f| fact_causes(f, e.config))
        .unwrap_or_default();
    let aws_errors = e.log.map(|l| l.aws_errors.as_slice()).unwrap_or_default();
    for err in aws_errors {
        if let Some(c) = explain_aws_error(err, e.facts, &facts, e.config) {
            if !out.iter().any(|o| o.code == c.code) {
                out.push(c);
            }
        }
    }
    for c in facts {
        if !out.iter().any(|o| o.code == c.code) {
            out.push(c);
        }
    }
    if out.is_empty() {
        match e.phase {
            RunProgress::Failed if e.status == "errored" => {
                let mut c = Cause::new(
                    CauseCode::RunErrored,
                    "the run errored, with no AWS authentication error in its log",
                );
                for line in e
                    .log
                    .map(|l| l.errors.as_slice())
                    .unwrap_or_default()
                    .iter()
                    .take(5)
                {
                    c = c.detail(line.clone());
                }
                out.push(c);
            }
            RunProgress::Failed => out.push(Cause::new(
                CauseCode::RunCanceled,
                format!("the run ended as {} before its plan finished", e.status),
            )),
            // Planned, with dynamic credentials and no AWS error: that is authenticated, so
            // this is only reached through a missing-variable problem handled above.
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
