//! Building the ports a command works through: the real adapters from flags and environment, or
//! the sandbox with `--demo`.

use crate::cli::args::GlobalArgs;
use crate::cli::error::CliError;
use crate::connect::{connect_live, ConnectOptions, PortBundle};
use crate::core::accounts::Accounts;
use crate::core::journal::Journal;
use crate::dirs;
use crate::sandbox::{Sandbox, DEMO_SECOND_PROFILE};
use std::path::PathBuf;

/// The ports one command works through (the bundle every front holds, `ports.iam`,
/// `ports.tfc`, … through `Deref`), its journal, and with `--demo` where the sandbox is kept.
pub struct Ports {
    pub bundle: PortBundle,
    pub journal: Journal,
    /// The other AWS accounts this command reaches (`--account-profile`, or an undone apply's
    /// profiles); none until the command connects them.
    pub accounts: Accounts,
    demo: Option<(Sandbox, Option<PathBuf>)>,
}

impl std::ops::Deref for Ports {
    type Target = PortBundle;
    fn deref(&self) -> &PortBundle {
        &self.bundle
    }
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
    /// The sandbox behind `--demo` (`None` for the real services).
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.demo.as_ref().map(|(sandbox, _)| sandbox)
    }

    /// Connects to HCP Terraform and AWS as the flags and environment say, or opens the sandbox.
    pub async fn connect(global: &GlobalArgs) -> Result<Ports, CliError> {
        let options = global.connect_options();
        if options.demo {
            return Ports::demo_as(options.profile.as_deref());
        }
        let endpoint = options.endpoint()?;
        let bundle = connect_live(
            endpoint,
            options.profile.as_deref(),
            options.region.as_deref(),
            None,
        )
        .await?;
        Ok(Ports {
            bundle,
            journal: dirs::journal_dir(false).map_or_else(Journal::nowhere, Journal::at),
            accounts: Accounts::none(),
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
            bundle: PortBundle::sandbox(&sandbox),
            journal: dirs::journal_dir(true).map_or_else(Journal::nowhere, Journal::at),
            accounts: Accounts::none(),
            demo: Some((sandbox, path)),
        })
    }

    /// The sandbox as `--profile` says: `demo-analytics` makes the demo's second AWS account
    /// the credentials' account (as a real profile of that account would), else the first.
    pub fn demo_as(profile: Option<&str>) -> Result<Ports, CliError> {
        let mut ports = Ports::demo()?;
        if let (Some((sandbox, _)), Some(DEMO_SECOND_PROFILE)) = (&ports.demo, profile) {
            let second = sandbox.second.clone();
            ports.bundle.iam = second.clone();
            ports.bundle.trail = Some(second.clone());
            ports.bundle.organizations = second;
        }
        Ok(ports)
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
}
