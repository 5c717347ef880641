//! The plan: a typed list of changes with their dependencies, computed by `planner`, shown by
//! every front (review screen, `--dry-run`, JSON) and consumed by `apply`.

use crate::core::ports::Tag;
use crate::core::trust::Phase;
use serde::{Deserialize, Serialize};

mod note;
pub use crate::core::change::{
    mask_key_id, AttachScope, Change, DormantFinding, DormantRole, Side, VariableTarget, VarsetRef,
    Verb, WorkspaceRef,
};
pub use note::{Note, NoteLevel};

/// A change with the indices of the changes that must finish before it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedChange {
    #[serde(flatten)]
    pub change: Change,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub depends_on: Vec<usize>,
    /// The AWS account an AWS change acts in, when it is not the default credentials' account
    /// (see [`crate::core::accounts`]).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<String>,
}

/// A role the plan ends with (created or reused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRole {
    pub name: String,
    pub arn: String,
    pub phase: Phase,
    /// The subject patterns this plan trusts it for.
    pub subjects: Vec<String>,
    pub exists: bool,
}

/// A variable the plan ends with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedVariable {
    pub target: VariableTarget,
    pub key: String,
    pub value: String,
    /// The variable's id when it exists already.
    pub id: Option<String>,
}

/// What applying would do, and the state it leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub host: String,
    pub organization: String,
    /// The projects the plan covers: one for setup, several for a migration, none for undo of
    /// an older journal that did not say.
    pub projects: Vec<String>,
    pub account: String,
    pub provider_arn: String,
    pub roles: Vec<PlannedRole>,
    pub variables: Vec<PlannedVariable>,
    pub workspaces: Vec<WorkspaceRef>,
    pub changes: Vec<PlannedChange>,
    /// Things the user should know that are not changes (warnings, reused resources).
    pub notes: Vec<Note>,
    /// Ties a journal to the answers that produced it (see `Answers::fingerprint`).
    pub fingerprint: String,
    /// For a Stack: the `.tfdeploy.hcl` text its deployments need (the identity token and each
    /// deployment's role ARN), since Stacks take no variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_config: Option<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// `ORG` or `ORG / PROJECT` (projects joined with `, `), as plans are titled.
    pub fn scope(&self) -> String {
        if self.projects.is_empty() {
            self.organization.clone()
        } else {
            format!("{} / {}", self.organization, self.projects.join(", "))
        }
    }

    /// The notes as the lines every front prints.
    pub fn note_lines(&self) -> Vec<String> {
        self.notes.iter().map(Note::to_string).collect()
    }

    pub fn count(&self, side: Side) -> usize {
        self.changes_on(side).len()
    }

    /// The changes to one service, in plan order.
    pub fn changes_on(&self, side: Side) -> Vec<&Change> {
        self.changes
            .iter()
            .map(|c| &c.change)
            .filter(|c| c.side() == side)
            .collect()
    }

    /// The changes that take something away (see [`Change::removes`]), in plan order.
    pub fn removals(&self) -> Vec<&Change> {
        self.changes
            .iter()
            .map(|c| &c.change)
            .filter(|c| c.removes())
            .collect()
    }

    /// "5 changes: 4 to create, 1 to update, 0 to delete".
    pub fn tally(&self) -> String {
        let count = |v: Verb| self.changes.iter().filter(|c| c.change.verb() == v).count();
        let n = self.changes.len();
        format!(
            "{n} change{}: {} to create, {} to update, {} to delete",
            if n == 1 { "" } else { "s" },
            count(Verb::Create),
            count(Verb::Update),
            count(Verb::Delete)
        )
    }
}

/// Whether a typed answer approves applying a plan: exactly `yes`, blanks around it ignored and
/// case kept (`y`, `Yes` and `YES` do not), as Terraform asks, so a reflexive key never writes.
/// The CLI's prompt and the wizard's Review screen both ask this.
pub fn approves(answer: &str) -> bool {
    answer.trim() == "yes"
}

/// The tags that mark what tfc-oidc created, and for which organization and project: written by
/// [`managed_tags`], read back to decide whether a role is tfc-oidc's to reuse.
pub mod managed_tag {
    /// Key of the tag whose value is [`MANAGED_BY_VALUE`] on everything tfc-oidc creates.
    pub const MANAGED_BY: &str = "managed-by";
    pub const MANAGED_BY_VALUE: &str = "tfc-oidc";
    /// Key of the tag holding the HCP Terraform organization the role was made for.
    pub const ORGANIZATION: &str = "tfc-oidc:organization";
    /// Key of the tag holding the HCP Terraform project the role was made for.
    pub const PROJECT: &str = "tfc-oidc:project";
}

/// Tags tfc-oidc puts on what it creates.
pub fn managed_tags(org: &str, project: &str) -> Vec<Tag> {
    let tag = |key: &str, value: &str| Tag {
        key: key.into(),
        value: value.into(),
    };
    vec![
        tag(managed_tag::MANAGED_BY, managed_tag::MANAGED_BY_VALUE),
        tag(managed_tag::ORGANIZATION, org),
        tag(managed_tag::PROJECT, project),
    ]
}
