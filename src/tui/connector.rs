//! How the wizard gets its ports. The connect step asks a [`Connector`]: the live one finds the
//! HCP Terraform token (or takes the one typed into the prompt) and builds the real clients; the
//! sandbox one hands out a fresh in-memory demo.

use crate::connect::connect_live;
pub use crate::connect::ConnectError;
use crate::core::ports::{Iam, Tfc};
use crate::sandbox::Sandbox;
use crate::tfc::{ApiToken, Endpoint, TokenSource};
use async_trait::async_trait;
use std::sync::Arc;

/// Both ports, once connected.
#[derive(Clone)]
pub struct Connection {
    pub iam: Arc<dyn Iam>,
    pub tfc: Arc<dyn Tfc>,
    /// Where the token came from, for the connect screen (`TFE_TOKEN`, `~/.terraform.d/…`).
    pub token_source: String,
}

/// Builds the ports the wizard works through.
#[async_trait]
pub trait Connector: Send + Sync {
    /// The HCP Terraform host, known before connecting.
    fn host(&self) -> String;
    /// Whether this is the built-in sandbox.
    fn is_demo(&self) -> bool;
    /// Connects; `token` is what the user typed into the prompt, if anything.
    async fn connect(&self, token: Option<ApiToken>) -> Result<Connection, ConnectError>;
}

/// The built-in sandbox: always the same fresh demo, no credentials.
pub struct SandboxConnector {
    sandbox: Sandbox,
}

impl SandboxConnector {
    /// Serves `sandbox` (tests keep a clone to look at what the wizard wrote).
    pub fn new(sandbox: Sandbox) -> SandboxConnector {
        SandboxConnector { sandbox }
    }
}

#[async_trait]
impl Connector for SandboxConnector {
    fn host(&self) -> String {
        self.sandbox.tfc.host().to_string()
    }

    fn is_demo(&self) -> bool {
        true
    }

    async fn connect(&self, _token: Option<ApiToken>) -> Result<Connection, ConnectError> {
        Ok(Connection {
            iam: self.sandbox.iam.clone(),
            tfc: self.sandbox.tfc.clone(),
            token_source: "the built-in sandbox (--demo): no credentials needed".into(),
        })
    }
}

/// The real services: token discovery (SPEC order), `TfcClient`, and the AWS SDK chain.
pub struct LiveConnector {
    endpoint: Endpoint,
    profile: Option<String>,
    region: Option<String>,
}

impl LiveConnector {
    /// Connects to `endpoint`, with AWS from the SDK chain (`--profile`, `--region`).
    pub fn new(
        endpoint: Endpoint,
        profile: Option<String>,
        region: Option<String>,
    ) -> LiveConnector {
        LiveConnector {
            endpoint,
            profile,
            region,
        }
    }
}

#[async_trait]
impl Connector for LiveConnector {
    fn host(&self) -> String {
        self.endpoint.host().to_string()
    }

    fn is_demo(&self) -> bool {
        false
    }

    async fn connect(&self, token: Option<ApiToken>) -> Result<Connection, ConnectError> {
        let live = connect_live(
            self.endpoint.clone(),
            self.profile.as_deref(),
            self.region.as_deref(),
            token,
        )
        .await?;
        let (iam, tfc, source) = (live.iam, live.tfc, live.token_source);
        let token_source = match source {
            TokenSource::Prompt => "the prompt (kept for this session only)".to_string(),
            other => other.to_string(),
        };
        Ok(Connection {
            iam,
            tfc,
            token_source,
        })
    }
}
