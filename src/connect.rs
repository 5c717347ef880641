//! Connecting to the two services, shared by every front (the CLI's commands and the wizard):
//! where HCP Terraform is ([`ConnectOptions`] → [`Endpoint`]), which token to use (in the order
//! of the README's "Where it connects", or one typed into the wizard's prompt), and the real
//! clients behind the core's ports.

use crate::aws::{load_sdk_config, CloudTrailClient, IamClient, OrganizationsClient};
use crate::core::ports::{AuditTrail, Iam, Organizations, Tfc};
use crate::tfc::{discover_token, ApiToken, Endpoint, EndpointError, TfcClient, TokenSource};
use std::sync::Arc;

/// Attempts per CloudTrail page when a review reads the event history: one retry (throttling),
/// then the review goes on without it.
pub const REVIEW_TRAIL_ATTEMPTS: u32 = 2;

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

/// The real ports, connected.
pub struct LivePorts {
    pub iam: Arc<dyn Iam>,
    pub tfc: Arc<dyn Tfc>,
    /// CloudTrail of the same account, read by the review (one retry per page).
    pub trail: Arc<dyn AuditTrail>,
    /// AWS Organizations, read by the review for the guardrail's coverage.
    pub organizations: Arc<dyn Organizations>,
    pub token_source: TokenSource,
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

/// Finds the token (unless one was typed), and builds `TfcClient` and the AWS SDK clients.
pub async fn connect_live(
    endpoint: Endpoint,
    profile: Option<&str>,
    region: Option<&str>,
    typed: Option<ApiToken>,
) -> Result<LivePorts, ConnectError> {
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
    let sdk = load_sdk_config(profile, region).await;
    let iam = IamClient::new(&sdk).with_profile(profile);
    let trail = CloudTrailClient::with_attempts(&sdk, REVIEW_TRAIL_ATTEMPTS);
    Ok(LivePorts {
        iam: Arc::new(iam),
        tfc: Arc::new(tfc),
        trail: Arc::new(trail),
        organizations: Arc::new(OrganizationsClient::new(&sdk)),
        token_source,
    })
}
