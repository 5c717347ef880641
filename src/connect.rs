//! Connecting to the services, shared by every front (the CLI's commands and the wizard): where
//! HCP Terraform is ([`ConnectOptions`] → [`Endpoint`]), which token to use (in the order of the
//! README's "Where it connects", or one typed into the wizard's prompt), and the one builder of
//! the ports the core works through: [`connect_live`] for the real services,
//! [`PortBundle::sandbox`] for `--demo`, [`AwsClients`] / [`iam_for_profile`] for one AWS account
//! reached through a profile. Every front holds the same [`PortBundle`].

use crate::aws::{load_sdk_config, CloudTrailClient, IamClient, OrganizationsClient};
use crate::core::ports::{AuditTrail, Iam, Organizations, Tfc};
use crate::sandbox::Sandbox;
use crate::tfc::{discover_token, ApiToken, Endpoint, EndpointError, TfcClient, TokenSource};
use aws_config::SdkConfig;
use std::sync::Arc;

/// Attempts per CloudTrail page when a review reads the event history: one retry (throttling),
/// then the review goes on without it.
pub const REVIEW_TRAIL_ATTEMPTS: u32 = 2;

/// Attempts per CloudTrail page for `activity`, which reads nothing else: the SDK's standard
/// five, backing off on throttling.
pub const ACTIVITY_TRAIL_ATTEMPTS: u32 = 5;

/// Where to connect, as the user said it (flags, with the environment behind them). Plain data:
/// the fronts fill it from clap or from remembered defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// The built-in sandbox instead of the real services.
    pub demo: bool,
    pub hostname: Option<String>,
    pub api_url: Option<String>,
    pub profile: Option<String>,
    pub region: Option<String>,
}

impl ConnectOptions {
    /// The HCP Terraform endpoint (the README's "Where it connects": flag, `TFE_HOSTNAME`,
    /// `TFE_ADDRESS`, default).
    pub fn endpoint(&self) -> Result<Endpoint, EndpointError> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Endpoint::resolve(self.hostname.as_deref(), self.api_url.as_deref(), &env)
    }
}

/// The ports one front works through, connected: the real services or the sandbox, the same
/// type for the CLI's commands and the wizard.
#[derive(Clone)]
pub struct PortBundle {
    pub iam: Arc<dyn Iam>,
    pub tfc: Arc<dyn Tfc>,
    /// CloudTrail's event history of the same account, for the review's TFCOIDC015/016 (one
    /// retry per page; `None`: not read, and the review says so).
    pub trail: Option<Arc<dyn AuditTrail>>,
    /// AWS Organizations, read by the review for the guardrail's coverage.
    pub organizations: Arc<dyn Organizations>,
    /// Where the HCP Terraform token came from, in words for the connect screen (`TFE_TOKEN`,
    /// `~/.terraform.d/…`, the prompt, or the sandbox's none). Never the token.
    pub token_source: String,
}

impl PortBundle {
    /// The sandbox's ports (`--demo`): its IAM account also keeps the CloudTrail events and
    /// answers for AWS Organizations.
    pub fn sandbox(sandbox: &Sandbox) -> PortBundle {
        PortBundle {
            iam: sandbox.iam.clone(),
            tfc: sandbox.tfc.clone(),
            trail: Some(sandbox.iam.clone()),
            organizations: sandbox.iam.clone(),
            token_source: "the built-in sandbox (--demo): no credentials needed".into(),
        }
    }
}

/// Why the real ports could not be built (before any call was made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// No source had a token for the host.
    NoToken { host: String },
    /// A token source was unusable (malformed credentials file, bad characters…).
    Token(String),
    /// Something else went wrong setting up the clients.
    Setup(String),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::NoToken { host } => write!(
                f,
                "no HCP Terraform token for {host}: run 'terraform login {host}' or set TFE_TOKEN"
            ),
            ConnectError::Token(m) | ConnectError::Setup(m) => f.write_str(m),
        }
    }
}

/// The AWS clients of one account, reached through one profile (or the SDK's default chain):
/// one loaded SDK config, so its credentials (SSO, `credential_process`) are resolved once for
/// every client made from it.
pub struct AwsClients {
    sdk: SdkConfig,
    profile: Option<String>,
}

impl AwsClients {
    /// Loads the SDK config for `profile` and `region` (the SDK chain where `None`).
    pub async fn load(profile: Option<&str>, region: Option<&str>) -> AwsClients {
        AwsClients {
            sdk: load_sdk_config(profile, region).await,
            profile: profile.map(str::to_owned),
        }
    }

    /// IAM and STS; credential errors name the profile.
    pub fn iam(&self) -> Arc<dyn Iam> {
        Arc::new(IamClient::new(&self.sdk).with_profile(self.profile.as_deref()))
    }

    /// CloudTrail's event history, `attempts` attempts per page.
    pub fn trail(&self, attempts: u32) -> Arc<dyn AuditTrail> {
        Arc::new(CloudTrailClient::with_attempts(&self.sdk, attempts))
    }

    /// AWS Organizations.
    pub fn organizations(&self) -> Arc<dyn Organizations> {
        Arc::new(OrganizationsClient::new(&self.sdk))
    }
}

/// The IAM port of the AWS account `profile` reaches: the wizard's "add another AWS account", and
/// any command that works in more than one account.
pub async fn iam_for_profile(profile: &str, region: Option<&str>) -> Arc<dyn Iam> {
    AwsClients::load(Some(profile), region).await.iam()
}

/// CloudTrail of the AWS account `profile` reaches, read as the review reads it.
pub async fn trail_for_profile(profile: &str, region: Option<&str>) -> Arc<dyn AuditTrail> {
    AwsClients::load(Some(profile), region)
        .await
        .trail(REVIEW_TRAIL_ATTEMPTS)
}

/// Finds the token (unless one was typed), and builds `TfcClient` and the AWS SDK clients.
pub async fn connect_live(
    endpoint: Endpoint,
    profile: Option<&str>,
    region: Option<&str>,
    typed: Option<ApiToken>,
) -> Result<PortBundle, ConnectError> {
    let host = endpoint.host().to_string();
    let (token, token_source) = match typed {
        Some(t) => (t, TokenSource::Prompt),
        None => {
            let env = |k: &str| std::env::var(k).ok();
            let vars = crate::tfc::token::environment();
            let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
            discover_token(&host, &env, &vars, home.as_deref())
                .map_err(|e| ConnectError::Token(e.to_string()))?
                .ok_or(ConnectError::NoToken { host: host.clone() })?
        }
    };
    tracing::info!(%host, source = %token_source, "using HCP Terraform token");
    let http = TfcClient::http_client()
        .map_err(|e| ConnectError::Setup(format!("cannot set up HTTPS: {e}")))?;
    let tfc = TfcClient::new(endpoint, token, http);
    let aws = AwsClients::load(profile, region).await;
    Ok(PortBundle {
        iam: aws.iam(),
        tfc: Arc::new(tfc),
        trail: Some(aws.trail(REVIEW_TRAIL_ATTEMPTS)),
        organizations: aws.organizations(),
        token_source: describe_token_source(&token_source),
    })
}

/// Where the token came from, for people: a typed token is said to be kept for this session.
fn describe_token_source(source: &TokenSource) -> String {
    match source {
        TokenSource::Prompt => "the prompt (kept for this session only)".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    #[tokio::test]
    async fn the_sandbox_bundle_serves_every_port_from_the_one_sandbox() {
        let sandbox = Sandbox::demo();
        let bundle = PortBundle::sandbox(&sandbox);
        let account = sandbox.iam.caller_identity().await.unwrap().account;
        assert_eq!(bundle.iam.caller_identity().await.unwrap().account, account);
        assert_eq!(bundle.tfc.host(), crate::sandbox::DEMO_HOST);
        let trail = bundle.trail.expect("the sandbox keeps CloudTrail events");
        let now = OffsetDateTime::now_utc();
        let events = trail
            .web_identity_events(now - time::Duration::days(90), now)
            .await
            .unwrap();
        assert!(!events.events.is_empty(), "the demo has run events");
        assert!(bundle.token_source.contains("sandbox"));
    }

    #[test]
    fn a_typed_token_is_said_to_be_kept_for_the_session_only() {
        assert_eq!(
            describe_token_source(&TokenSource::Prompt),
            "the prompt (kept for this session only)"
        );
        assert_eq!(describe_token_source(&TokenSource::TfeToken), "TFE_TOKEN");
    }
}
