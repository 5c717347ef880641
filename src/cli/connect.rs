//! Building the ports a command works through: the real adapters from flags and environment, or
//! the sandbox with `--demo`.

use crate::cli::args::GlobalArgs;
use crate::cli::error::CliError;
use crate::connect::{connect_live, ConnectError, ConnectOptions};
use crate::core::journal::Journal;
use crate::core::ports::{Iam, Organizations, Tfc};
use crate::dirs;
use crate::sandbox::Sandbox;
use std::path::PathBuf;
use std::sync::Arc;

/// The adapters and journal one command uses.
pub struct Ports {
    pub iam: Arc<dyn Iam>,
    pub tfc: Arc<dyn Tfc>,
    /// AWS Organizations (the sandbox's in `--demo`), for the review's guardrail coverage.
    pub organizations: Arc<dyn Organizations>,
    pub journal: Journal,
    demo: Option<(Sandbox, Option<PathBuf>)>,
}

impl GlobalArgs {
    /// The connection options these flags say.
    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            demo: self.demo,
            hostname: self.hostname.clone(),
            api_url: self.api_url.clone(),
            profile: self.profile.clone(),
            region: self.region.clone(),
        }
    }
}

impl Ports {
    /// Connects to HCP Terraform and AWS as the flags and environment say, or opens the sandbox.
    pub async fn connect(global: &GlobalArgs) -> Result<Ports, CliError> {
        let options = global.connect_options();
        if options.demo {
            return Ports::demo();
        }
        let endpoint = options
            .endpoint()
            .map_err(|e| CliError::usage(e.to_string()))?;
        let live = connect_live(
            endpoint,
            options.profile.as_deref(),
            options.region.as_deref(),
            None,
        )
        .await
        .map_err(|e| match e {
            ConnectError::NoToken { .. } | ConnectError::Token(_) | ConnectError::Setup(_) => {
                CliError::failure(e.to_string())
            }
        })?;
        Ok(Ports {
            iam: live.iam,
            tfc: live.tfc,
            organizations: live.organizations,
            journal: dirs::journal_dir(false).map_or_else(Journal::nowhere, Journal::at),
            demo: None,
        })
    }

    /// The sandbox, continuing from the state the last `--demo` command left.
    pub fn demo() -> Result<Ports, CliError> {
        let path = dirs::demo_state();
        let sandbox = match &path {
            Some(p) => Sandbox::load_or_demo(p).map_err(|e| {
                CliError::failure(format!(
                    "cannot read the demo sandbox state {}: {e}; delete it to start afresh",
                    p.display()
                ))
            })?,
            None => Sandbox::demo(),
        };
        Ok(Ports {
            iam: sandbox.iam.clone(),
            tfc: sandbox.tfc.clone(),
            organizations: sandbox.iam.clone(),
            journal: dirs::journal_dir(true).map_or_else(Journal::nowhere, Journal::at),
            demo: Some((sandbox, path)),
        })
    }

    /// Keeps the sandbox's state for the next `--demo` command (a no-op for real adapters).
    pub fn finish(&self) -> Result<(), CliError> {
        if let Some((sandbox, Some(path))) = &self.demo {
            sandbox.save(path).map_err(|e| {
                CliError::failure(format!(
                    "cannot save the demo state to {}: {e}",
                    path.display()
                ))
            })?;
        }
        Ok(())
    }

    /// The sandbox behind `--demo` (`None` for the real services).
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.demo.as_ref().map(|(sandbox, _)| sandbox)
    }
}
