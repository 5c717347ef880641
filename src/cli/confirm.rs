//! Asking before changing anything: on a terminal a question, elsewhere a refusal without --yes.

use crate::cli::error::CliError;
use std::io::{BufRead, IsTerminal, Write};

/// What the user decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    Proceed,
    Cancelled,
}

/// `--yes` proceeds; a terminal is asked; anything else is refused (exit 2), so a script that
/// forgot `--yes` never changes things by accident.
pub fn confirm_or_refuse(yes: bool, changes: usize) -> Result<Confirmation, CliError> {
    if yes {
        return Ok(Confirmation::Proceed);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(
            "refusing to apply without --yes: standard input is not a terminal (use --dry-run to only see the plan)",
        ));
    }
    print!(
        "\nApply {changes} change{}? Type 'yes' to continue: ",
        if changes == 1 { "" } else { "s" }
    );
    std::io::stdout().flush().ok();
    read_answer()
}

/// Like [`confirm_or_refuse`] for actions other than an apply: `--yes` proceeds, a terminal is
/// asked `question` (on stderr, so stdout stays the command's output), anything else is refused
/// (exit 2) with `refusal`.
pub fn ask_or_refuse(yes: bool, question: &str, refusal: &str) -> Result<Confirmation, CliError> {
    if yes {
        return Ok(Confirmation::Proceed);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(refusal));
    }
    eprint!("{question} Type 'yes' to continue: ");
    std::io::stderr().flush().ok();
    read_answer()
}

/// Reads one line from the terminal and decides with [`decide`].
fn read_answer() -> Result<Confirmation, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::local_io("cannot read the answer", e))?;
    let decision = decide(&line);
    if decision == Confirmation::Cancelled && !line.trim().is_empty() {
        // Say why a near miss ("y", "Yes") did nothing, so it is not mistaken for a failure.
        eprintln!("Only 'yes' continues.");
    }
    Ok(decision)
}

/// Exactly `yes` proceeds (see [`crate::core::plan::approves`]); anything else cancels.
pub fn decide(answer: &str) -> Confirmation {
    if crate::core::plan::approves(answer) {
        Confirmation::Proceed
    } else {
        Confirmation::Cancelled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_exact_yes_proceeds() {
        for yes in ["yes", "yes\n", "  yes \r\n"] {
            assert_eq!(decide(yes), Confirmation::Proceed, "{yes:?}");
        }
        for other in [
            "y",
            "y\n",
            "Y",
            "Yes",
            "YES",
            "yes please",
            "ye",
            "",
            "\n",
            "no",
        ] {
            assert_eq!(decide(other), Confirmation::Cancelled, "{other:?}");
        }
    }
}
