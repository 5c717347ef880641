//! What a performed change produced, as the journal keeps it for undo.

use serde::{Deserialize, Serialize};

/// What a change produced that undo needs (the id of what it created).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// IAM's unique id of a role the change created (`AROA…`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unique_id: Option<String>,
    /// What the change left alone and why (someone else's later change, a re-created role).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub left: Option<String>,
}

impl Outcome {
    /// A change that left something as it was, saying why.
    pub fn left(why: impl Into<String>) -> Outcome {
        Outcome {
            left: Some(why.into()),
            ..Outcome::default()
        }
    }

    /// A change that created something with this id.
    pub fn created(id: impl Into<String>) -> Outcome {
        Outcome {
            id: Some(id.into()),
            ..Outcome::default()
        }
    }
}
