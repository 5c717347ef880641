//! `tfc-oidc` / `tfc-oidc wizard`: opens the wizard on a terminal and reports how it ended: the
//! exit codes of `setup`, and a summary of every configuration the session applied in the words
//! of the wizard's Done screen ([`crate::tui::report`]).

use crate::cli::args::GlobalArgs;
use crate::cli::error::CliError;
use crate::cli::output;
use crate::core::text::hints_for;
use crate::tui::msg::WizardEnd;
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
    let width = || crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w));
    let outcome = run_wizard(&global.connect_options())
        .await
        .map_err(|e| match e {
            WizardError::Usage(m) => CliError::usage(m),
            WizardError::Failure(m) => CliError::failure(m),
        })?;
    match outcome {
        WizardEnd::Cancelled => {
            println!("Nothing was changed.");
            Ok(())
        }
        WizardEnd::Applied(report) | WizardEnd::NothingToDo(report) => {
            print!("{}", hints_for(global.demo, &report.text(colour, width())));
            Ok(())
        }
        WizardEnd::Partial { message, earlier } => {
            // What the session finished before the apply that stopped is done: say so first.
            if let Some(report) = earlier {
                print!("{}", hints_for(global.demo, &report.text(colour, width())));
            }
            Err(CliError::partial(format!(
                "{message}; the journal has the details: run the wizard again with the same answers to finish, or 'tfc-oidc undo' to revert"
            )))
        }
    }
}
