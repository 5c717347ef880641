//! How the wizard gets its ports. The connect step asks a [`Connector`]: the live one finds the
//! HCP Terraform token (or takes the one typed into the prompt) and builds the real clients; the
//! sandbox one hands out a fresh in-memory demo. Both build through `crate::connect`, the
//! builder the CLI's commands use too.

pub use crate::connect::ConnectError;
use crate::connect::{connect_live, iam_for_profile, trail_for_profile, PortBundle};
use crate::core::ports::{AuditTrail, Iam, Tfc};
use crate::sandbox::{Sandbox, SandboxIam};
use crate::tfc::{ApiToken, Endpoint};
use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The ports, once connected: the bundle every front holds.
pub type Connection = PortBundle;

/// Builds the ports the wizard works through.
#[async_trait]
pub trait Connector: Send + Sync {
    /// The HCP Terraform host, known before connecting.
    fn host(&self) -> String;
    /// Whether this is the built-in sandbox.
    fn is_demo(&self) -> bool;
    /// Connects; `token` is what the user typed into the prompt, if anything.
    async fn connect(&self, token: Option<ApiToken>) -> Result<Connection, ConnectError>;
    /// The AWS profiles another account can be reached with ("add another AWS account").
    fn profiles(&self) -> Vec<String> {
        crate::tui::aws_profiles::read_profiles()
    }
    /// Keeps what was written where the next run finds it: the demo's state file, which the
    /// CLI's `--demo` commands share (nothing to do for the real services). One line on failure.
    fn persist(&self) -> Result<(), String> {
        Ok(())
    }
    /// Takes in what other runs kept there since (the demo's state file, which a `--demo`
    /// command may have changed meanwhile); called under the run lock, before planning.
    fn refresh(&self) -> Result<(), String> {
        Ok(())
    }
    /// The IAM port of another AWS account, through `profile`.
    async fn connect_aws(&self, profile: &str) -> Result<Arc<dyn Iam>, ConnectError> {
        Err(ConnectError::Setup(format!(
            "cannot connect to AWS profile {profile} here"
        )))
    }
    /// CloudTrail of the account behind `profile` (`None`: the review skips the events).
    async fn connect_trail(&self, _profile: &str) -> Option<Arc<dyn AuditTrail>> {
        None
    }
}

pub use crate::sandbox::{DEMO_SECOND_ACCOUNT, DEMO_SECOND_PROFILE};

/// The built-in sandbox, no credentials: the demo's saved state (shared with the CLI's `--demo`
/// commands), or a fresh demo kept in memory.
pub struct SandboxConnector {
    sandbox: Sandbox,
    /// Where the state is saved after every write (`None`: in memory only).
    state: Option<PathBuf>,
}

impl SandboxConnector {
    /// Serves `sandbox` (tests keep a clone to look at what the wizard wrote).
    pub fn new(sandbox: Sandbox) -> SandboxConnector {
        SandboxConnector {
            sandbox,
            state: None,
        }
    }

    /// Serves the state saved at `path` (a fresh demo when there is none yet) and saves it there
    /// after every write, as the CLI's `--demo` commands do: what one front does, the other sees.
    pub fn persisted(path: &Path) -> Result<SandboxConnector, String> {
        let sandbox = Sandbox::load_or_demo(path).map_err(|e| {
            format!(
                "cannot read the demo sandbox state {}: {e}; delete it to start afresh",
                path.display()
            )
        })?;
        Ok(SandboxConnector {
            state: Some(path.to_path_buf()),
            ..SandboxConnector::new(sandbox)
        })
    }

    /// The sandbox served (tests look at what the wizard wrote).
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// The made-up second AWS account offered as profile [`DEMO_SECOND_PROFILE`]. The demo's
    /// runs authenticate against the first account only, so `v` cannot verify this one.
    pub fn second_account(&self) -> Arc<SandboxIam> {
        self.sandbox.second.clone()
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
        Ok(PortBundle::sandbox(&self.sandbox))
    }

    fn profiles(&self) -> Vec<String> {
        vec![DEMO_SECOND_PROFILE.to_string()]
    }

    fn refresh(&self) -> Result<(), String> {
        let Some(path) = &self.state else {
            return Ok(());
        };
        self.sandbox.reload(path).map_err(|e| {
            format!(
                "cannot read the demo sandbox state {}: {e}; delete it to start afresh",
                path.display()
            )
        })
    }

    fn persist(&self) -> Result<(), String> {
        let Some(path) = &self.state else {
            return Ok(());
        };
        self.sandbox
            .save(path)
            .map_err(|e| format!("cannot save the demo state to {}: {e}", path.display()))
    }

    async fn connect_trail(&self, profile: &str) -> Option<Arc<dyn AuditTrail>> {
        (profile == DEMO_SECOND_PROFILE).then(|| self.sandbox.second.clone() as Arc<dyn AuditTrail>)
    }

    async fn connect_aws(&self, profile: &str) -> Result<Arc<dyn Iam>, ConnectError> {
        if profile == DEMO_SECOND_PROFILE {
            Ok(self.sandbox.second.clone())
        } else {
            Err(ConnectError::Setup(format!(
                "the demo has no AWS profile {profile}"
            )))
        }
    }
}

/// The real services: token discovery (the README's "Where it connects"), `TfcClient`, and the
/// AWS SDK chain.
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
        connect_live(
            self.endpoint.clone(),
            self.profile.as_deref(),
            self.region.as_deref(),
            token,
        )
        .await
    }

    async fn connect_trail(&self, profile: &str) -> Option<Arc<dyn AuditTrail>> {
        Some(trail_for_profile(profile, self.region.as_deref()).await)
    }

    async fn connect_aws(&self, profile: &str) -> Result<Arc<dyn Iam>, ConnectError> {
        Ok(iam_for_profile(profile, self.region.as_deref()).await)
    }
}
