//! The plan: a typed list of changes with their dependencies, computed by `planner`, shown by
//! every front (review screen, `--dry-run`, JSON) and consumed by `apply`.

use crate::core::ports::{AccessKeyStatus, Tag};
use crate::core::subject::Phase;
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod describe;
pub use describe::mask_key_id;

/// A workspace by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceRef {
    pub id: String,
    pub name: String,
}

/// A variable set: `id` is `None` while the set is still to be created by an earlier change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarsetRef {
    pub id: Option<String>,
    pub name: String,
}

/// Where a variable lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum VariableTarget {
    Workspace(WorkspaceRef),
    VariableSet(VarsetRef),
}

impl std::fmt::Display for VariableTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VariableTarget::Workspace(ws) => write!(f, "workspace {}", ws.name),
            VariableTarget::VariableSet(set) => write!(f, "variable set {}", set.name),
        }
    }
}

/// What a variable set is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AttachScope {
    Workspaces { workspaces: Vec<WorkspaceRef> },
    Project { id: String, name: String },
}

impl std::fmt::Display for AttachScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttachScope::Workspaces { workspaces } => {
                let names: Vec<&str> = workspaces.iter().map(|w| w.name.as_str()).collect();
                write!(
                    f,
                    "workspace{} {}",
                    if names.len() == 1 { "" } else { "s" },
                    names.join(", ")
                )
            }
            AttachScope::Project { name, .. } => write!(f, "project {name}"),
        }
    }
}

/// One change to AWS or HCP Terraform. Setup plans use the first group; `undo` and `migrate`
/// plans also use the removal variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Change {
    CreateOidcProvider {
        url: String,
        arn: String,
        client_ids: Vec<String>,
        thumbprints: Vec<String>,
        tags: Vec<Tag>,
    },
    AddOidcAudience {
        provider_arn: String,
        audience: String,
    },
    CreateRole {
        name: String,
        arn: String,
        phase: Phase,
        description: String,
        trust_policy: Value,
        tags: Vec<Tag>,
    },
    /// Adds `added_subjects` to the role's trust. At apply time the trust is read again and
    /// only these additions are made to it, so a change made since the plan is kept.
    UpdateTrustPolicy {
        role_name: String,
        old: Value,
        new: Value,
        added_subjects: Vec<String>,
        #[serde(default)]
        provider_arn: String,
        #[serde(default)]
        host: String,
        #[serde(default)]
        audience: String,
    },
    AttachRolePolicy {
        role_name: String,
        policy_arn: String,
    },
    PutRolePolicy {
        role_name: String,
        policy_name: String,
        document: Value,
        old: Option<Value>,
    },
    CreateVariableSet {
        organization: String,
        name: String,
        description: String,
    },
    CreateVariable {
        target: VariableTarget,
        key: String,
        value: String,
        description: String,
    },
    UpdateVariable {
        target: VariableTarget,
        variable_id: String,
        key: String,
        old_value: Option<String>,
        new_value: String,
        description: String,
    },
    AttachVariableSet {
        set: VarsetRef,
        scope: AttachScope,
    },

    DeleteVariable {
        target: VariableTarget,
        variable_id: String,
        key: String,
        sensitive: bool,
        /// Delete only while the variable still holds this value (undo: someone's later change
        /// is never lost). `None`: no check (a sensitive value cannot be read).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected_value: Option<String>,
    },
    DetachVariableSet {
        set: VarsetRef,
        scope: AttachScope,
    },
    DeleteVariableSet {
        set: VarsetRef,
        /// Delete only while the set holds no variable but these (what the apply put there).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        keys: Vec<String>,
    },
    SetAccessKeyStatus {
        user: String,
        access_key_id: String,
        status: AccessKeyStatus,
    },
    RemoveOidcAudience {
        provider_arn: String,
        audience: String,
    },
    DetachRolePolicy {
        role_name: String,
        policy_arn: String,
    },
    DeleteRolePolicy {
        role_name: String,
        policy_name: String,
    },
    /// Deletes a role, but only while it is the one an apply created (same unique id) and has no
    /// policy or trust statement someone else added; otherwise the role is left and named.
    DeleteRole {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role_id: Option<String>,
        /// Managed policies the apply attached (detached with the role).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        policies: Vec<String>,
        /// Inline policies the apply put (deleted with the role).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        inline_policies: Vec<String>,
        /// The provider the role was made to trust: other statements are someone else's.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        provider_arn: String,
    },
    /// Takes subjects an apply added out of a role's trust as it is now (undo).
    RetractTrustSubjects {
        role_name: String,
        provider_arn: String,
        host: String,
        subjects: Vec<String>,
    },
    DeleteOidcProvider {
        arn: String,
    },
}

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

/// A change with the indices of the changes that must finish before it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedChange {
    #[serde(flatten)]
    pub change: Change,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub depends_on: Vec<usize>,
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
    pub project: String,
    pub account: String,
    pub provider_arn: String,
    pub roles: Vec<PlannedRole>,
    pub variables: Vec<PlannedVariable>,
    pub workspaces: Vec<WorkspaceRef>,
    pub changes: Vec<PlannedChange>,
    /// Things the user should know that are not changes (warnings, reused resources).
    pub notes: Vec<String>,
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

/// Tags tfc-oidc puts on what it creates.
pub fn managed_tags(org: &str, project: &str) -> Vec<Tag> {
    vec![
        Tag {
            key: "managed-by".into(),
            value: "tfc-oidc".into(),
        },
        Tag {
            key: "tfc-oidc:organization".into(),
            value: org.into(),
        },
        Tag {
            key: "tfc-oidc:project".into(),
            value: project.into(),
        },
    ]
}
