//! The `tfc-oidc` binary: parse, run, and turn errors into one line and an exit code.

use clap::Parser;
use std::process::ExitCode;
use tfc_oidc::cli::{self, args::Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli::logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(cli::error::code::FAILURE);
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.message.is_empty() => ExitCode::from(e.code),
        Err(e) => {
            tracing::error!(code = e.code, "{}", e.message);
            eprintln!("error: {}", cli::output::escape(&e.message));
            ExitCode::from(e.code)
        }
    }
}
