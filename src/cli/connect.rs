//! Building the ports a command works through: the real adapters from flags and environment, or
//! the sandbox with `--demo`.

use crate::aws::{load_sdk_config, IamClient};
use crate::cli::args::GlobalArgs;
use crate::cli::error::CliError;
use crate::cli::paths;
use crate::core::journal::Journal;
use crate::core::ports::{Iam, Tfc};
use crate::sandbox::Sandbox;
use crate::tfc::{discover_token, Endpoint, TfcClient};
use std::path::PathBuf;
use std::sync::Arc;

/// The adapters and journal one command uses.
pub struct Ports {
    pub iam: Arc<dyn Iam>,
    pub tfc: Arc<dyn Tfc>,
    pub journal: Journal,
    demo: Option<(Sandbox, Option<PathBuf>)>,
}

fn env(key: &str) -> Option<String> {
    std::env::var(key).ok()
}

impl Ports {
    /// Connects to HCP Terraform and AWS as the flags and environment say, or opens the sandbox.
    pub async fn connect(global: &GlobalArgs) -> Result<Ports, CliError> {
        if global.demo {
            return Ports::demo();
        }
        let endpoint =
            Endpoint::resolve(global.hostname.as_deref(), global.api_url.as_deref(), &env)
                .map_err(|e| CliError::usage(e.to_string()))?;
        let host = endpoint.host().to_string();
        let vars: Vec<(String, String)> = std::env::vars().collect();
        let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
        let (token, source) = discover_token(&host, &env, &vars, home.as_deref())
            .map_err(|e| CliError::failure(e.to_string()))?
            .ok_or_else(|| {
                CliError::failure(format!(
                    "no HCP Terraform token for {host}: run 'terraform login {host}' or set TFE_TOKEN"
                ))
            })?;
        tracing::info!(%host, source = %source, "using HCP Terraform token");
        let http = TfcClient::http_client()
            .map_err(|e| CliError::failure(format!("cannot set up HTTPS: {e}")))?;
        let tfc = TfcClient::new(endpoint, token, http);
        let sdk = load_sdk_config(global.profile.as_deref(), global.region.as_deref()).await;
        let iam = IamClient::new(&sdk).with_profile(global.profile.as_deref());
        Ok(Ports {
            iam: Arc::new(iam),
            tfc: Arc::new(tfc),
            journal: paths::journal_dir(false).map_or_else(Journal::in_memory, Journal::at),
            demo: None,
        })
    }

    /// The sandbox, continuing from the state the last `--demo` command left.
    pub fn demo() -> Result<Ports, CliError> {
        let path = paths::demo_state();
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
            journal: paths::journal_dir(true).map_or_else(Journal::in_memory, Journal::at),
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
