//! `tfc-oidc` / `tfc-oidc wizard`: opens the wizard on a terminal and reports how it ended, in
//! the same words and exit codes as `setup`.

use crate::cli::args::GlobalArgs;
use crate::cli::error::{code, CliError};
use crate::cli::output;
use crate::tui::msg::Outcome;
use crate::tui::{run_wizard, WizardError};
use std::io::IsTerminal;

/// Runs the wizard from the command line.
pub async fn run(global: &GlobalArgs) -> Result<(), CliError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::usage(
            "the wizard needs a terminal: in scripts use 'tfc-oidc setup' (see 'tfc-oidc setup --help')",
        ));
    }
    let colour = output::colour_enabled();
    let outcome = run_wizard(&global.connect_options())
        .await
        .map_err(|e| match e {
            WizardError::Usage(m) => CliError::usage(m),
            WizardError::Failure(m) => CliError::failure(m),
        })?;
    match outcome {
        Outcome::Cancelled => {
            println!("Nothing was changed.");
            Ok(())
        }
        Outcome::Applied(plan) | Outcome::NothingToDo(plan) => {
            print!("{}", output::summary_text(&plan, colour));
            Ok(())
        }
        Outcome::Partial(message) => Err(CliError {
            code: code::PARTIAL,
            message: format!(
                "{message}; the journal has the details: run the wizard again with the same answers to finish, or 'tfc-oidc undo' to revert"
            ),
        }),
    }
}
