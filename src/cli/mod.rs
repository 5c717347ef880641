//! The command-line front: parses flags into answers, drives the core, prints results.

pub mod args;
pub mod confirm;
pub mod connect;
pub mod error;
pub mod explain;
pub mod logging;
pub mod output;
pub mod paths;
pub mod progress;
pub mod review;
pub mod review_output;
pub mod run_apply;
pub mod sarif;
pub mod setup;
pub mod undo;

use args::{Cli, Command};
use clap::CommandFactory;
use error::CliError;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    match &cli.command {
        Some(Command::Setup(args)) => setup::run(&cli.global, args).await,
        Some(Command::Undo(args)) => undo::run(&cli.global, args).await,
        Some(Command::Review(args)) => review::run(&cli.global, args).await,
        Some(Command::Explain(args)) => explain::run(&cli.global, args).await,
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "tfc-oidc",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        Some(Command::Wizard) | None => crate::tui::run_from_cli(&cli.global).await,
    }
}
