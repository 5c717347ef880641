//! The plan: a typed list of changes with their dependencies, computed by `planner`, shown by
//! every front (review screen, `--dry-run`, JSON) and consumed by `apply`.

use crate::core::ports::{AccessKeyStatus, Tag};
use crate::core::subject::Phase;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    UpdateTrustPolicy {
        role_name: String,
        old: Value,
        new: Value,
        added_subjects: Vec<String>,
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
    },
    DetachVariableSet {
        set: VarsetRef,
        scope: AttachScope,
    },
    DeleteVariableSet {
        set: VarsetRef,
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
    DeleteRole {
        name: String,
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

/// Shows an access key id without its middle, so plans and journals never carry it whole.
pub fn mask_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "****".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

impl Change {
    pub fn side(&self) -> Side {
        use Change::*;
        match self {
            CreateVariableSet { .. }
            | CreateVariable { .. }
            | UpdateVariable { .. }
            | AttachVariableSet { .. }
            | DeleteVariable { .. }
            | DetachVariableSet { .. }
            | DeleteVariableSet { .. } => Side::Tfc,
            _ => Side::Aws,
        }
    }

    pub fn verb(&self) -> Verb {
        use Change::*;
        match self {
            CreateOidcProvider { .. }
            | CreateRole { .. }
            | AttachRolePolicy { .. }
            | CreateVariableSet { .. }
            | CreateVariable { .. }
            | AttachVariableSet { .. }
            | AddOidcAudience { .. } => Verb::Create,
            UpdateTrustPolicy { .. } | UpdateVariable { .. } | SetAccessKeyStatus { .. } => {
                Verb::Update
            }
            PutRolePolicy { old, .. } => {
                if old.is_some() {
                    Verb::Update
                } else {
                    Verb::Create
                }
            }
            _ => Verb::Delete,
        }
    }

    /// One line saying what the change does, for plans, progress and journals.
    pub fn summary(&self) -> String {
        use Change::*;
        match self {
            CreateOidcProvider {
                url, client_ids, ..
            } => {
                format!(
                    "create OIDC provider {url} (audience {})",
                    client_ids.join(", ")
                )
            }
            AddOidcAudience {
                provider_arn,
                audience,
            } => {
                format!(
                    "add audience {audience} to OIDC provider {}",
                    short_arn(provider_arn)
                )
            }
            CreateRole { name, phase, .. } => format!("create role {name} ({phase} phase)"),
            UpdateTrustPolicy {
                role_name,
                added_subjects,
                ..
            } => format!(
                "extend trust policy of role {role_name} (+{} subject{})",
                added_subjects.len(),
                if added_subjects.len() == 1 { "" } else { "s" }
            ),
            AttachRolePolicy {
                role_name,
                policy_arn,
            } => {
                format!(
                    "attach policy {} to role {role_name}",
                    short_arn(policy_arn)
                )
            }
            PutRolePolicy {
                role_name,
                policy_name,
                old,
                ..
            } => format!(
                "{} inline policy {policy_name} on role {role_name}",
                if old.is_some() { "replace" } else { "put" }
            ),
            CreateVariableSet { name, .. } => format!("create variable set {name}"),
            CreateVariable {
                target, key, value, ..
            } => format!("set {key} = \"{value}\" on {target}"),
            UpdateVariable {
                target,
                key,
                old_value,
                new_value,
                ..
            } => format!(
                "update {key} on {target}: {} → \"{new_value}\"",
                old_value
                    .as_ref()
                    .map_or("(sensitive)".to_string(), |v| format!("\"{v}\""))
            ),
            AttachVariableSet { set, scope } => {
                format!("attach variable set {} to {scope}", set.name)
            }
            DeleteVariable { target, key, .. } => format!("delete {key} from {target}"),
            DetachVariableSet { set, scope } => {
                format!("detach variable set {} from {scope}", set.name)
            }
            DeleteVariableSet { set } => format!("delete variable set {}", set.name),
            SetAccessKeyStatus {
                user,
                access_key_id,
                status,
            } => {
                format!(
                    "mark access key {} of user {user} {status:?}",
                    mask_key_id(access_key_id)
                )
            }
            RemoveOidcAudience {
                provider_arn,
                audience,
            } => {
                format!(
                    "remove audience {audience} from OIDC provider {}",
                    short_arn(provider_arn)
                )
            }
            DetachRolePolicy {
                role_name,
                policy_arn,
            } => {
                format!(
                    "detach policy {} from role {role_name}",
                    short_arn(policy_arn)
                )
            }
            DeleteRolePolicy {
                role_name,
                policy_name,
            } => {
                format!("delete inline policy {policy_name} from role {role_name}")
            }
            DeleteRole { name } => format!("delete role {name}"),
            DeleteOidcProvider { arn } => format!("delete OIDC provider {}", short_arn(arn)),
        }
    }

    /// Extra lines under the summary: the trust subjects a role admits, a policy's JSON.
    pub fn details(&self) -> Vec<String> {
        use Change::*;
        match self {
            CreateRole { trust_policy, .. } => subjects_of(trust_policy)
                .into_iter()
                .map(|s| format!("trusts {s}"))
                .collect(),
            UpdateTrustPolicy { added_subjects, .. } => added_subjects
                .iter()
                .map(|s| format!("+ trusts {s}"))
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn subjects_of(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in doc
        .get("Statement")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for op in ["StringLike", "StringEquals"] {
            if let Some(map) = stmt
                .pointer(&format!("/Condition/{op}"))
                .and_then(Value::as_object)
            {
                for (k, v) in map {
                    if k.ends_with(":sub") {
                        match v {
                            Value::String(s) => out.push(s.clone()),
                            Value::Array(a) => {
                                out.extend(a.iter().filter_map(|x| x.as_str().map(String::from)))
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    out
}

/// `arn:aws:iam::aws:policy/ReadOnlyAccess` → `ReadOnlyAccess`; other ARNs stay whole.
fn short_arn(arn: &str) -> &str {
    if arn.starts_with("arn:aws:iam::aws:policy/") {
        arn.rsplit('/').next().unwrap_or(arn)
    } else {
        arn
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_masked() {
        assert_eq!(mask_key_id("AKIAEXAMPLE0000001"), "AKIA…0001");
        assert_eq!(mask_key_id("short"), "****");
        assert_eq!(mask_key_id("ééééééééééé"), "éééé…éééé");
    }
}
