//! The changes tfc-oidc makes. Each kind is one struct in one file that says everything about
//! it: how it reads in a plan ([`ChangeKind::summary`]), how it is performed through the ports
//! ([`ChangeKind::execute`]), how undo inverts it ([`ChangeKind::inverse`]) and how undo learns
//! whether it took effect when the process died during its call ([`ChangeKind::resolve_in_flight`]).
//!
//! Adding a kind: write its file and add one line to the `kinds!` list below. The list makes the
//! [`Change`] enum (the journal's and the plan's JSON form, `"type": "snake_case_name"`) and its
//! dispatch to the trait.

use crate::core::error::ChangeError;
use crate::core::ports::{Iam, Tfc};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

mod detail;
mod outcome;
mod support;
mod target;
mod variable_check;

pub use detail::Detail;
pub use outcome::Outcome;
pub use support::mask_key_id;
pub use target::{AttachScope, VariableTarget, VarsetRef, WorkspaceRef};

/// Which service a change talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Aws,
    Tfc,
}

/// How a change reads in a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Create,
    Update,
    Delete,
}

impl Verb {
    pub fn symbol(self) -> char {
        match self {
            Verb::Create => '+',
            Verb::Update => '~',
            Verb::Delete => '-',
        }
    }
}

/// Something that holds what other changes put in it: deleting it takes those along, so undo
/// skips their own inverses and tells the deletion exactly what it may find inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Role { name: String },
    VariableSet { id: String, name: String },
}

/// What a change put inside a [`Holder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    ManagedPolicy(String),
    InlinePolicy(String),
    Variable(String),
    Attachment,
}

/// Why a change cannot be inverted: the resource it concerns and the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrevertable {
    pub resource: String,
    pub text: String,
}

impl Unrevertable {
    pub fn new(resource: impl Into<String>, text: impl Into<String>) -> Self {
        Unrevertable {
            resource: resource.into(),
            text: text.into(),
        }
    }
}

/// Everything about one kind of change.
#[async_trait]
pub trait ChangeKind: std::fmt::Debug + Send + Sync {
    /// Which service it changes, and how it reads in a diff.
    fn shape(&self) -> (Side, Verb);
    /// One line saying what the change does, for plans, progress and journals.
    fn summary(&self) -> String;
    /// Extra lines under the summary (the trust subjects a role admits).
    fn details(&self) -> Vec<Detail> {
        Vec::new()
    }
    /// Performs the change. Creations report what they made (for undo); removals succeed when
    /// the thing is already gone, so undo and migrate can be re-run.
    async fn execute(&self, iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError>;
    /// The change that undoes this one once it produced `outcome`; `held` is what the apply put
    /// inside what this change created (see [`ChangeKind::creates`]). `Ok(None)`: nothing to undo.
    fn inverse(&self, outcome: &Outcome, held: &[Held]) -> Result<Option<Change>, Unrevertable>;
    /// For a change whose call was in flight when the process died: its outcome if it took
    /// effect, `None` if it did not or cannot be told (then there is nothing of it to revert).
    async fn resolve_in_flight(&self, _iam: &dyn Iam, _tfc: &dyn Tfc) -> Option<Outcome> {
        None
    }
    /// Whether it is one of setup's changes (what makes OIDC work).
    fn is_setup(&self) -> bool {
        false
    }
    /// Whether it takes something away (a deletion, or a key turned off): the wizard asks for a
    /// typed `yes` before applying a plan with one.
    fn removes(&self) -> bool {
        self.shape().1 == Verb::Delete
    }
    /// What this change created that holds other things.
    fn creates(&self, _outcome: &Outcome) -> Option<Holder> {
        None
    }
    /// What this change put inside which holder.
    fn puts_in(&self) -> Option<(Holder, Held)> {
        None
    }
    /// The variable set this change targets, so apply can fill in the id of a set it created.
    fn variable_set_mut(&mut self) -> Option<&mut VarsetRef> {
        None
    }
}

macro_rules! kinds {
    ($($kind:ident in $module:ident,)*) => {
        $(mod $module; pub use $module::$kind;)*

        /// One change to AWS or HCP Terraform: a kind from the list, as the plan and the journal
        /// carry it.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case", tag = "type")]
        pub enum Change {
            $($kind($kind),)*
        }

        impl Change {
            /// The kind behind this change, which knows how to describe, perform and invert it.
            pub fn kind(&self) -> &dyn ChangeKind {
                match self {
                    $(Change::$kind(c) => c,)*
                }
            }

            pub fn kind_mut(&mut self) -> &mut dyn ChangeKind {
                match self {
                    $(Change::$kind(c) => c,)*
                }
            }
        }

        $(impl From<$kind> for Change {
            fn from(c: $kind) -> Change {
                Change::$kind(c)
            }
        })*
    };
}

kinds! {
    CreateOidcProvider in create_oidc_provider,
    AddOidcAudience in add_oidc_audience,
    CreateRole in create_role,
    UpdateTrustPolicy in update_trust_policy,
    AttachRolePolicy in attach_role_policy,
    PutRolePolicy in put_role_policy,
    CreateVariableSet in create_variable_set,
    CreateVariable in create_variable,
    UpdateVariable in update_variable,
    AttachVariableSet in attach_variable_set,
    DeleteVariable in delete_variable,
    DetachVariableSet in detach_variable_set,
    DeleteVariableSet in delete_variable_set,
    SetAccessKeyStatus in set_access_key_status,
    RemoveOidcAudience in remove_oidc_audience,
    DetachRolePolicy in detach_role_policy,
    DeleteRolePolicy in delete_role_policy,
    DeleteRole in delete_role,
    RetractTrustSubjects in retract_trust_subjects,
    DeleteOidcProvider in delete_oidc_provider,
}

pub use create_oidc_provider::{DormantFinding, DormantRole};

impl Change {
    pub fn side(&self) -> Side {
        self.kind().shape().0
    }

    pub fn verb(&self) -> Verb {
        self.kind().shape().1
    }

    pub fn summary(&self) -> String {
        self.kind().summary()
    }

    pub fn details(&self) -> Vec<Detail> {
        self.kind().details()
    }

    /// See [`ChangeKind::removes`].
    pub fn removes(&self) -> bool {
        self.kind().removes()
    }

    /// Performs the change through the ports.
    pub async fn execute(&self, iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Outcome, ChangeError> {
        self.kind().execute(iam, tfc).await
    }
}

#[cfg(test)]
mod tests;
