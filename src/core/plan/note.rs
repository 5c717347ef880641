//! Typed notes: what a plan wants the user to know that is not a change (a warning, a reused
//! resource, something left as it is), with the resource it concerns.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How much a note matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteLevel {
    Info,
    Warning,
}

/// One note of a plan. It reads as its `text`, prefixed with `warning: ` for warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub level: NoteLevel,
    /// What it is about: a workspace, variable set, role or provider (`workspace etl`).
    pub resource: String,
    /// The sentence itself (it names the resource too, so it reads on its own).
    pub text: String,
}

impl Note {
    pub fn info(resource: impl Into<String>, text: impl Into<String>) -> Note {
        Note {
            level: NoteLevel::Info,
            resource: resource.into(),
            text: text.into(),
        }
    }

    pub fn warning(resource: impl Into<String>, text: impl Into<String>) -> Note {
        Note {
            level: NoteLevel::Warning,
            resource: resource.into(),
            text: text.into(),
        }
    }

    pub fn is_warning(&self) -> bool {
        self.level == NoteLevel::Warning
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.level {
            NoteLevel::Info => f.write_str(&self.text),
            NoteLevel::Warning => write!(f, "warning: {}", self.text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_before() {
        assert_eq!(
            Note::info("role r", "reusing the existing role r").to_string(),
            "reusing the existing role r"
        );
        let w = Note::warning("role r", "role r gets AdministratorAccess");
        assert_eq!(w.to_string(), "warning: role r gets AdministratorAccess");
        assert!(w.is_warning());
    }
}
