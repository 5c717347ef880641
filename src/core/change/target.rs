//! What changes point at in HCP Terraform: workspaces, variable sets and where a variable lives.

use serde::{Deserialize, Serialize};

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

impl VariableTarget {
    /// The variable set this target is, if it is one.
    pub fn variable_set_mut(&mut self) -> Option<&mut VarsetRef> {
        match self {
            VariableTarget::VariableSet(set) => Some(set),
            VariableTarget::Workspace(_) => None,
        }
    }
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
