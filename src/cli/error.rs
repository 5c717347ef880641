//! The binary's error report: one line for people, an exit code for scripts.
//!
//! Errors are typed at the edge: each core or adapter error becomes a [`CliError`] of an
//! [`ErrorKind`] through a `From` impl here (so a command writes `?`), and [`exit_code`] alone
//! turns a kind into the exit code of the README's table ("Exit codes").

use crate::aws::ThumbprintError;
use crate::connect::ConnectError;
use crate::core::activity::ActivityError;
use crate::core::answers::AnswerError;
use crate::core::error::{ApplyError, PlanError};
use crate::core::guardrail::GuardrailError;
use crate::core::inventory::InventoryError;
use crate::core::migrate::MigrateError;
use crate::core::ports::{IamError, TfcError};
use crate::core::review::explain::ExplainError;
use crate::core::review::explain_stack::StackExplainError;
use crate::tfc::EndpointError;

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

/// What went wrong, as far as the exit code cares: one kind per row of the README's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// HCP Terraform or AWS refused or failed, a safety refusal no flag lifts, a file that
    /// cannot be read or written.
    Failure,
    /// The answer is no (findings at or above `--fail-on`, `explain`'s deny, `verify` did not
    /// authenticate); the command has already said why.
    AnswerNo,
    /// The command line is wrong: a flag, a malformed name, a name that does not exist.
    Usage,
    /// An apply stopped part way; the journal has what was done.
    PartialApply,
}

/// The exit code of each kind of error: the README's "Exit codes" table, in one place.
pub fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Failure | ErrorKind::AnswerNo => code::FAILURE,
        ErrorKind::Usage => code::USAGE,
        ErrorKind::PartialApply => code::PARTIAL,
    }
}

/// An error on its way to stderr, of the kind that chooses its exit code.
#[derive(Debug)]
pub struct CliError {
    pub kind: ErrorKind,
    pub message: String,
}

impl CliError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> CliError {
        CliError {
            kind,
            message: message.into(),
        }
    }
    pub fn failure(message: impl Into<String>) -> CliError {
        CliError::new(ErrorKind::Failure, message)
    }
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::new(ErrorKind::Usage, message)
    }
    /// The answer is no and the command already said why: ends with the code and prints
    /// nothing more.
    pub fn answer_no() -> CliError {
        CliError::new(ErrorKind::AnswerNo, "")
    }
    /// An apply stopped part way; `message` says what to do next.
    pub fn partial(message: impl Into<String>) -> CliError {
        CliError::new(ErrorKind::PartialApply, message)
    }
    /// A usage error when `usage` says the cause is the user's input (a flag, or a name that
    /// does not exist), else a failure.
    pub fn usage_if(usage: bool, message: impl Into<String>) -> CliError {
        match usage {
            true => CliError::usage(message),
            false => CliError::failure(message),
        }
    }
    /// `flag`'s value is wrong (a malformed name or ARN).
    pub fn flag(flag: &str, e: impl std::fmt::Display) -> CliError {
        CliError::usage(format!("{flag}: {e}"))
    }
    /// A file the command line names cannot be read or is not what it should be.
    pub fn input_file(what: &str, e: impl std::fmt::Display) -> CliError {
        CliError::usage(format!("cannot read {what}: {e}"))
    }
    /// The terminal or a file the command writes failed (`doing`: "cannot write the man page").
    pub fn local_io(doing: &str, e: impl std::fmt::Display) -> CliError {
        CliError::failure(format!("{doing}: {e}"))
    }
    /// A service refused or failed `doing` something a name was already checked for, so even a
    /// "not found" is a failure, not the user's input.
    pub fn service(doing: &str, e: impl std::fmt::Display) -> CliError {
        CliError::failure(format!("{doing}: {e}"))
    }
    /// The exit code the process ends with.
    pub fn code(&self) -> u8 {
        exit_code(self.kind)
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Errors whose kind follows from the error's type alone.
macro_rules! cli_error_of_kind {
    ($($error:ty => $kind:ident),* $(,)?) => {$(
        impl From<$error> for CliError {
            fn from(e: $error) -> CliError {
                CliError::new(ErrorKind::$kind, e.to_string())
            }
        }
    )*};
}

cli_error_of_kind! {
    // A bad --hostname/--api-url (or TFE_HOSTNAME/TFE_ADDRESS), a malformed answer, an invalid
    // --thumbprint, a guardrail asked for no or a malformed organization: the command line.
    EndpointError => Usage,
    AnswerError => Usage,
    ThumbprintError => Usage,
    GuardrailError => Usage,
    // No token, an unusable token source, AWS refusing: the services.
    ConnectError => Failure,
    IamError => Failure,
    ActivityError => Failure,
}

/// Errors that say themselves whether the user's input is the cause.
macro_rules! cli_error_usage_if {
    ($($error:ty => $is_usage:ident),* $(,)?) => {$(
        impl From<$error> for CliError {
            fn from(e: $error) -> CliError {
                CliError::usage_if(e.$is_usage(), e.to_string())
            }
        }
    )*};
}

cli_error_usage_if! {
    PlanError => is_usage,
    MigrateError => is_usage,
    InventoryError => is_usage,
    ExplainError => is_usage,
    StackExplainError => is_usage,
    // A 404: the organization, project or workspace named does not exist.
    TfcError => is_not_found,
}

impl From<ApplyError> for CliError {
    fn from(e: ApplyError) -> CliError {
        match &e {
            ApplyError::Partial { .. } | ApplyError::Interrupted { .. } => CliError::partial(format!(
                "{e}; the journal has the details: run the same command again to finish, or 'tfc-oidc undo' to revert"
            )),
            ApplyError::Journal { .. } | ApplyError::Locked { .. } => {
                CliError::failure(e.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_code_table_is_the_readmes() {
        assert_eq!(exit_code(ErrorKind::Failure), 1);
        assert_eq!(exit_code(ErrorKind::AnswerNo), 1);
        assert_eq!(exit_code(ErrorKind::Usage), 2);
        assert_eq!(exit_code(ErrorKind::PartialApply), 3);
    }

    #[test]
    fn adapter_and_core_errors_are_typed_at_the_edge() {
        let not_found = TfcError::NotFound {
            what: "workspace acme/web".into(),
        };
        assert_eq!(CliError::from(not_found).code(), code::USAGE);
        let refused = TfcError::Unauthorized {
            host: "app.terraform.io".into(),
        };
        assert_eq!(CliError::from(refused).code(), code::FAILURE);
        let denied = IamError::AccessDenied("iam:GetRole".into());
        assert_eq!(CliError::from(denied).code(), code::FAILURE);
        let no_token = ConnectError::NoToken {
            host: "app.terraform.io".into(),
        };
        assert_eq!(CliError::from(no_token).code(), code::FAILURE);
        let bad_host = EndpointError::InvalidHostname {
            value: "a b".into(),
            origin: "--hostname",
            reason: "spaces".into(),
        };
        assert_eq!(CliError::from(bad_host).code(), code::USAGE);
        assert_eq!(
            CliError::from(GuardrailError::NoOrganization).code(),
            code::USAGE
        );
        assert_eq!(CliError::answer_no().code(), code::FAILURE);
        assert!(CliError::answer_no().message.is_empty());
    }
}
