//! The binary's error report: one line for people, an exit code for scripts.

use crate::core::error::{ApplyError, PlanError};

/// The exit codes of the README's table ("Exit codes"; 0 is success, and also a declined
/// confirmation or the wizard left before Apply). `tests/e2e/exit_codes.rs` runs one case per row.
pub mod code {
    /// A failure (a service refused or failed), or the answer is no: findings at or above
    /// `--fail-on`, `explain`'s deny, a `verify` run that did not authenticate.
    pub const FAILURE: u8 = 1;
    /// The command line is wrong: a bad, contradictory or ignored flag, a malformed name or ARN,
    /// a name that does not exist, no `--yes` without a terminal.
    pub const USAGE: u8 = 2;
    /// An apply stopped part way; the journal has what was done.
    pub const PARTIAL: u8 = 3;
}

/// An error on its way to stderr, with the exit code it ends the process with.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn failure(message: impl Into<String>) -> CliError {
        CliError {
            code: code::FAILURE,
            message: message.into(),
        }
    }
    /// Ends with `code` and prints nothing more (the command already said why, e.g. findings).
    pub fn exit(code: u8) -> CliError {
        CliError {
            code,
            message: String::new(),
        }
    }
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            code: code::USAGE,
            message: message.into(),
        }
    }
    /// A usage error (exit 2) when `usage` says the cause is the user's input (a flag, or a name
    /// that does not exist), else a failure (exit 1).
    pub fn usage_if(usage: bool, message: impl Into<String>) -> CliError {
        match usage {
            true => CliError::usage(message),
            false => CliError::failure(message),
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<PlanError> for CliError {
    fn from(e: PlanError) -> CliError {
        CliError::usage_if(e.is_usage(), e.to_string())
    }
}

impl From<ApplyError> for CliError {
    fn from(e: ApplyError) -> CliError {
        match &e {
            ApplyError::Partial { .. } | ApplyError::Interrupted { .. } => CliError {
                code: code::PARTIAL,
                message: format!("{e}; the journal has the details: run the same command again to finish, or 'tfc-oidc undo' to revert"),
            },
            ApplyError::Journal { .. } | ApplyError::Locked { .. } => {
                CliError::failure(e.to_string())
            }
        }
    }
}

impl From<crate::core::answers::AnswerError> for CliError {
    fn from(e: crate::core::answers::AnswerError) -> CliError {
        CliError::usage(e.to_string())
    }
}
