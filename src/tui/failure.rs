//! Why an effect failed, typed by family, for the [`crate::tui::msg::Msg`]s that report one.
//! `Display` gives the text the wizard shows; `advice` what the screen suggests doing about it.

use crate::connect::ConnectError;
use crate::core::error::ApplyError;
use crate::core::migrate::MigrateError;
use crate::core::ports::{IamError, TfcError};
use std::fmt;
use std::path::PathBuf;

/// Why the apply did not end (the changes that failed show their own errors).
#[derive(Debug)]
pub enum ApplyFailure {
    /// The wizard lost its connection before applying.
    NotConnected(TfcError),
    /// The run lock could not be taken.
    Locked(ApplyError),
    /// What the run before kept (the demo's state) could not be taken in.
    StateNotLoaded(String),
    /// The journal could not be started: nothing was changed.
    Journal(String),
    /// A change failed; the journal keeps what was done.
    Apply(ApplyError),
}

impl fmt::Display for ApplyFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ApplyFailure::NotConnected(e) => e.fmt(f),
            ApplyFailure::Locked(e) | ApplyFailure::Apply(e) => e.fmt(f),
            ApplyFailure::StateNotLoaded(e) | ApplyFailure::Journal(e) => f.write_str(e),
        }
    }
}

/// Why the run lock was not taken before planning or applying.
#[derive(Debug)]
pub enum LockFailure {
    Locked(ApplyError),
    StateNotLoaded(String),
}

impl From<LockFailure> for ApplyFailure {
    fn from(e: LockFailure) -> ApplyFailure {
        match e {
            LockFailure::Locked(e) => ApplyFailure::Locked(e),
            LockFailure::StateNotLoaded(e) => ApplyFailure::StateNotLoaded(e),
        }
    }
}

impl fmt::Display for LockFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            LockFailure::Locked(e) => e.fmt(f),
            LockFailure::StateNotLoaded(e) => f.write_str(e),
        }
    }
}

/// Why the migrate path found no workspaces to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoverFailure {
    NotConnected(TfcError),
    Discovery(MigrateError),
}

impl DiscoverFailure {
    /// What the screen suggests.
    pub fn advice(&self) -> &'static str {
        "Press Esc to go back."
    }
}

impl fmt::Display for DiscoverFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            DiscoverFailure::NotConnected(e) => e.fmt(f),
            DiscoverFailure::Discovery(e) => e.fmt(f),
        }
    }
}

/// Why another AWS account's profile cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsConnectFailure {
    /// No IAM port could be built from the profile.
    Profile {
        profile: String,
        source: ConnectError,
    },
    /// The profile's credentials do not say who they are.
    Identity { profile: String, source: IamError },
}

impl AwsConnectFailure {
    /// What the screen suggests.
    pub fn advice(&self) -> &'static str {
        "Choose another profile or fix its credentials."
    }
}

impl fmt::Display for AwsConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            AwsConnectFailure::Profile { profile, source } => {
                write!(f, "cannot use AWS profile {profile}: {source}")
            }
            AwsConnectFailure::Identity { profile, source } => {
                write!(f, "cannot use AWS profile {profile}: {source}")
            }
        }
    }
}

/// Why a policy file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFileFailure {
    /// The path as expanded (`~` is the home directory).
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for PolicyFileFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.reason)
    }
}

/// Why the export was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFailure {
    /// The answers cannot be rendered in that format.
    Render(String),
    /// The file is there already: it is never overwritten.
    Exists(PathBuf),
    Write {
        path: PathBuf,
        reason: String,
    },
}

impl ExportFailure {
    /// What to do about it, when the text does not say.
    pub fn advice(&self) -> Option<&'static str> {
        match self {
            ExportFailure::Exists(_) => Some("choose another name"),
            _ => None,
        }
    }
}

impl fmt::Display for ExportFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ExportFailure::Render(e) => f.write_str(e),
            ExportFailure::Exists(path) => write!(
                f,
                "{} exists already: {}",
                path.display(),
                self.advice().unwrap_or_default()
            ),
            ExportFailure::Write { path, reason } => {
                write!(f, "cannot write {}: {reason}", path.display())
            }
        }
    }
}

/// Why `verify` made no report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyFailure {
    NotConnected(TfcError),
    Run(TfcError),
}

impl fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            VerifyFailure::NotConnected(e) | VerifyFailure::Run(e) => e.fmt(f),
        }
    }
}

/// Something went wrong beside the screen's own work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskFailure {
    /// An effect's task panicked while doing `what`.
    Panicked { what: &'static str },
    /// The demo's state could not be saved after a write.
    NotSaved(String),
}

impl fmt::Display for TaskFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            TaskFailure::Panicked { what } => {
                write!(f, "internal error while {what} (see the log)")
            }
            TaskFailure::NotSaved(e) => f.write_str(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_texts_are_those_the_screens_showed_as_strings() {
        let exists = ExportFailure::Exists(PathBuf::from("/tmp/x.tf"));
        assert_eq!(
            exists.to_string(),
            "/tmp/x.tf exists already: choose another name"
        );
        let write = ExportFailure::Write {
            path: PathBuf::from("/nope/x.tf"),
            reason: "denied".into(),
        };
        assert_eq!(write.to_string(), "cannot write /nope/x.tf: denied");
        assert_eq!(write.advice(), None);
        let file = PolicyFileFailure {
            path: PathBuf::from("p.json"),
            reason: "gone".into(),
        };
        assert_eq!(file.to_string(), "cannot read p.json: gone");
        let panicked = TaskFailure::Panicked { what: "planning" };
        assert_eq!(
            panicked.to_string(),
            "internal error while planning (see the log)"
        );
        let aws = AwsConnectFailure::Identity {
            profile: "other".into(),
            source: IamError::Other("expired".into()),
        };
        assert!(aws
            .to_string()
            .starts_with("cannot use AWS profile other: "));
        assert_eq!(
            aws.advice(),
            "Choose another profile or fix its credentials."
        );
    }
}
