//! The command-line front: parses flags into answers, drives the core, prints results.

pub mod account_ports;
pub mod activity;
pub mod args;
pub mod confirm;
pub mod connect;
pub mod duration;
pub mod error;
mod examples;
pub mod explain;
mod explain_stack;
pub mod export;
mod flag_checks;
pub mod flow;
pub mod guardrail;
pub mod logging;
pub mod man;
pub mod migrate;
pub mod migrate_output;
mod migrate_proof;
mod migrate_proof_output;
pub mod output;
pub mod permissions;
pub mod progress;
pub mod review;
mod review_activity;
pub mod review_baseline;
pub mod review_markdown;
pub mod review_output;
pub mod run_apply;
pub mod sarif;
pub mod setup;
pub mod undo;
pub mod wizard;

/// Where tfc-oidc keeps its files (kept here too for the CLI's modules).
pub use crate::dirs;
pub mod verify;
mod verify_output;

use args::{Cli, Command};
use clap::{CommandFactory, Parser};
use error::CliError;
use std::process::ExitCode;

/// The whole program: parse, run, and turn errors into one line and an exit code. It lives in
/// the library, not in `main.rs`, so the async code is compiled once, here: a `block_on` in the
/// binary crate made a release build compile every command's future a second time (17 s).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(error::code::FAILURE);
        }
    };
    let demo = cli.global.demo;
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.message.is_empty() => ExitCode::from(e.code()),
        Err(e) => {
            tracing::error!(code = e.code(), "{}", e.message);
            // A command the error suggests runs against the same sandbox when copied.
            let message = crate::core::text::hints_for(demo, &e.message);
            eprintln!("error: {}", output::escape(&message));
            ExitCode::from(e.code())
        }
    }
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    flag_checks::check(&cli)?;
    match &cli.command {
        Some(Command::Setup(args)) => setup::run(&cli.global, args).await,
        Some(Command::Undo(args)) => undo::run(&cli.global, args).await,
        Some(Command::Export(args)) => export::run(&cli.global, args).await,
        Some(Command::Verify(args)) => verify::run(&cli.global, args).await,
        Some(Command::Activity(args)) => activity::run(&cli.global, args).await,
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
        Some(Command::Man(args)) => man::run(args),
        Some(Command::Permissions(args)) => permissions::run(args),
        Some(Command::Guardrail(args)) => guardrail::run(&cli.global, args),
        Some(Command::Migrate(args)) => migrate::run(&cli.global, args).await,
        Some(Command::Wizard) | None => wizard::run(&cli.global).await,
    }
}
