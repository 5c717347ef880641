//! Discovery: which workspaces of the scope receive static AWS keys, from where (the workspace
//! itself, or each variable set that reaches it: global, project or workspace-attached, priority
//! or not), and whether they already have OIDC variables. Pure: it reads the [`Inventory`] only;
//! which keys and which OIDC configuration a run gets is [`aws_access`]'s answer.

use super::{MigrateError, MigrationScope};
use crate::core::inventory::{Inventory, WorkspaceEntry};
use crate::core::ports::Variable;
pub use crate::core::variables::access::is_static_key;
use crate::core::variables::access::{aws_access, OidcConfiguration};
use crate::core::variables::dynamic_vars::STATIC_KEYS;
use crate::core::variables::effective::reach_of;
use crate::core::variables::VariableSource;

/// The key id variable: its value (when readable) names the IAM access key.
pub const ACCESS_KEY_ID: &str = STATIC_KEYS[0];

/// One static key variable (its value is never kept here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyVariable {
    pub id: String,
    pub key: String,
    pub sensitive: bool,
}

/// A place a workspace receives static keys from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySource {
    pub source: VariableSource,
    /// The static key variables it holds.
    pub variables: Vec<KeyVariable>,
    /// The access key id, when `AWS_ACCESS_KEY_ID` is readable (not sensitive).
    pub key_id: Option<String>,
    /// Whether a run takes its `AWS_ACCESS_KEY_ID` from here (the precedence winner).
    pub effective: bool,
}

impl KeySource {
    /// The variable set's id, for a set.
    pub fn set_id(&self) -> Option<&str> {
        self.source.set_id()
    }

    /// The id of the variable holding `AWS_ACCESS_KEY_ID` here.
    pub fn key_id_variable(&self) -> Option<&str> {
        let v = self.variables.iter().find(|v| v.key == ACCESS_KEY_ID);
        v.map(|v| v.id.as_str())
    }
}

/// A workspace of the scope that receives static keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedWorkspace {
    pub id: String,
    pub name: String,
    pub project_id: String,
    pub project: String,
    /// Every source of keys, the effective one first.
    pub sources: Vec<KeySource>,
    /// The default dynamic-credentials configuration a run gets today, if any variable speaks
    /// of it (migrate works on the default configuration only).
    pub oidc: Option<OidcConfiguration>,
}

impl KeyedWorkspace {
    /// The default configuration is on and names a role for both phases.
    pub fn oidc_complete(&self) -> bool {
        self.oidc
            .as_ref()
            .is_some_and(OidcConfiguration::is_complete)
    }

    /// Some OIDC variable is there (provider auth on, or a role ARN), but not all of them.
    pub fn oidc_partial(&self) -> bool {
        !self.oidc_complete()
            && self
                .oidc
                .as_ref()
                .is_some_and(|c| c.enabled() || c.has_any_role())
    }

    /// The source runs take the key from.
    pub fn effective(&self) -> Option<&KeySource> {
        self.sources.iter().find(|s| s.effective)
    }
}

/// Every source of static keys of one workspace, the effective one first (empty: no keys).
pub fn key_sources(inv: &Inventory, ws: &WorkspaceEntry) -> Vec<KeySource> {
    let winner = aws_access(ws).static_key_source().cloned();
    let mut sources = Vec::new();
    let own = source_of(VariableSource::Workspace, &ws.variables);
    sources.extend(own);
    for entry in &inv.variable_sets {
        let set = &entry.set;
        let Some(reach) = reach_of(set, &ws.workspace.id, &ws.workspace.project_id) else {
            continue;
        };
        let source = VariableSource::VariableSet {
            id: set.id.clone(),
            name: set.name.clone(),
            reach,
            priority: set.priority,
        };
        sources.extend(source_of(source, &entry.variables));
    }
    for s in &mut sources {
        s.effective = winner.as_ref() == Some(&s.source);
    }
    sources.sort_by_key(|s| !s.effective);
    sources
}

/// The access key id these variables (a workspace's own, or a set's) hold, when readable: the
/// value of a non-sensitive env `AWS_ACCESS_KEY_ID`.
pub fn readable_key_id(variables: &[Variable]) -> Option<String> {
    variables
        .iter()
        .find(|v| is_static_key(v) && v.key == ACCESS_KEY_ID && !v.sensitive)
        .and_then(|v| v.value.clone())
        .filter(|v| !v.is_empty())
}

fn source_of(source: VariableSource, variables: &[Variable]) -> Option<KeySource> {
    let keys: Vec<&Variable> = variables.iter().filter(|v| is_static_key(v)).collect();
    if keys.is_empty() {
        return None;
    }
    let key_id = readable_key_id(variables);
    Some(KeySource {
        source,
        variables: keys
            .iter()
            .map(|v| KeyVariable {
                id: v.id.clone(),
                key: v.key.clone(),
                sensitive: v.sensitive,
            })
            .collect(),
        key_id,
        effective: false,
    })
}

/// What discovery found in the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Workspaces of the scope that receive static keys, by project then name.
    pub keyed: Vec<KeyedWorkspace>,
    /// Workspaces named on the command line that receive no keys.
    pub clean: Vec<String>,
}

/// The workspaces of `scope` that receive static keys.
pub fn discover(inv: &Inventory, scope: &MigrationScope) -> Result<Found, MigrateError> {
    let chosen: Vec<&WorkspaceEntry> = match scope {
        MigrationScope::All => inv.workspaces.iter().collect(),
        MigrationScope::Project(name) => {
            let project = inv
                .projects
                .iter()
                .find(|p| &p.name == name)
                .or_else(|| {
                    inv.projects
                        .iter()
                        .find(|p| p.name.eq_ignore_ascii_case(name))
                })
                .ok_or_else(|| MigrateError::UnknownProject {
                    organization: inv.organization.clone(),
                    project: name.clone(),
                    known: inv.projects.iter().map(|p| p.name.clone()).collect(),
                })?;
            inv.workspaces
                .iter()
                .filter(|w| w.workspace.project_id == project.id)
                .collect()
        }
        MigrationScope::Workspaces(names) => names
            .iter()
            .map(|n| {
                inv.workspace(n)
                    .ok_or_else(|| MigrateError::UnknownWorkspace {
                        organization: inv.organization.clone(),
                        workspace: n.clone(),
                    })
            })
            .collect::<Result<_, _>>()?,
    };
    let mut found = Found {
        keyed: Vec::new(),
        clean: Vec::new(),
    };
    for ws in chosen {
        let sources = key_sources(inv, ws);
        if sources.is_empty() {
            if matches!(scope, MigrationScope::Workspaces(_)) {
                found.clean.push(ws.workspace.name.clone());
            }
            continue;
        }
        found.keyed.push(KeyedWorkspace {
            id: ws.workspace.id.clone(),
            name: ws.workspace.name.clone(),
            project_id: ws.workspace.project_id.clone(),
            project: ws.project_name.clone(),
            sources,
            oidc: aws_access(ws).default_configuration().cloned(),
        });
    }
    found
        .keyed
        .sort_by(|a, b| (&a.project, &a.name).cmp(&(&b.project, &b.name)));
    Ok(found)
}
