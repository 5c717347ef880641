//! The state behind [`super::SandboxTfc`]: organizations, projects and workspaces as plain
//! synchronous methods, 404s named like a real client names them ("workspace 'y' in
//! organization 'x'"), and deterministic ids. Variable sets are in `sets.rs`, variables in
//! `vars.rs`.

use super::vars::{not_found, rejected, StoredVar};
use crate::core::ports::{Organization, Project, TfcError, TfcUser, VariableSet, Workspace};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TfcState {
    pub(crate) host: String,
    pub(crate) user: TfcUser,
    /// Feeds the id generator.
    pub(crate) counter: u64,
    /// By name.
    pub(crate) orgs: BTreeMap<String, Organization>,
    /// By id.
    pub(crate) projects: BTreeMap<String, ProjectState>,
    pub(crate) workspaces: BTreeMap<String, WorkspaceState>,
    pub(crate) varsets: BTreeMap<String, VarsetState>,
    /// (organization, Stack).
    #[serde(default)]
    pub(crate) stacks: Vec<(String, crate::core::ports::Stack)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ProjectState {
    pub(crate) org: String,
    pub(crate) project: Project,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WorkspaceState {
    pub(crate) org: String,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) project_id: String,
    pub(crate) vars: Vec<StoredVar>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct VarsetState {
    pub(crate) org: String,
    pub(crate) set: VariableSet,
    pub(crate) vars: Vec<StoredVar>,
}

/// SplitMix64: a bijection on u64, so distinct counters give distinct ids.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `PREFIX-` and 16 alphanumerics derived from `n` (the first 11 encode `mix(n)` entirely).
pub(crate) fn make_id(prefix: &str, n: u64) -> String {
    const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let (mut a, mut b) = (mix(n), mix(!n));
    let mut id = format!("{prefix}-");
    for i in 0..16 {
        let digit = if i < 11 { &mut a } else { &mut b };
        id.push(ALNUM[(*digit % 62) as usize] as char);
        *digit /= 62;
    }
    id
}

impl TfcState {
    pub(crate) fn new(host: &str) -> Self {
        let mut state = TfcState {
            host: host.to_string(),
            user: TfcUser {
                id: String::new(),
                username: "demo-user".into(),
                email: Some("demo-user@acme-corp.example".into()),
                is_service_account: false,
            },
            counter: 0,
            orgs: BTreeMap::new(),
            projects: BTreeMap::new(),
            workspaces: BTreeMap::new(),
            varsets: BTreeMap::new(),
            stacks: Vec::new(),
        };
        state.user.id = state.new_id("user");
        state
    }

    pub(crate) fn new_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        make_id(prefix, self.counter)
    }

    pub(crate) fn org(&self, name: &str) -> Result<&Organization, TfcError> {
        self.orgs
            .get(name)
            .ok_or_else(|| not_found(format!("organization '{name}'")))
    }

    pub(crate) fn project(&self, id: &str) -> Result<&ProjectState, TfcError> {
        self.projects
            .get(id)
            .ok_or_else(|| not_found(format!("project '{id}'")))
    }

    pub(crate) fn ws(&self, id: &str) -> Result<&WorkspaceState, TfcError> {
        self.workspaces
            .get(id)
            .ok_or_else(|| not_found(format!("workspace '{id}'")))
    }

    pub(crate) fn ws_mut(&mut self, id: &str) -> Result<&mut WorkspaceState, TfcError> {
        self.workspaces
            .get_mut(id)
            .ok_or_else(|| not_found(format!("workspace '{id}'")))
    }

    pub(crate) fn set(&self, id: &str) -> Result<&VarsetState, TfcError> {
        self.varsets
            .get(id)
            .ok_or_else(|| not_found(format!("variable set '{id}'")))
    }

    pub(crate) fn set_mut(&mut self, id: &str) -> Result<&mut VarsetState, TfcError> {
        self.varsets
            .get_mut(id)
            .ok_or_else(|| not_found(format!("variable set '{id}'")))
    }

    pub(crate) fn view_ws(&self, w: &WorkspaceState) -> Workspace {
        let project = self.projects.get(&w.project_id);
        Workspace {
            id: w.id.clone(),
            name: w.name.clone(),
            project_id: w.project_id.clone(),
            project_name: project.map(|p| p.project.name.clone()),
            organization: Some(w.org.clone()),
        }
    }

    /// Sorted by name, like the API's `sort=name` (byte order: upper case first).
    pub(crate) fn projects_of(&self, org: &str) -> Result<Vec<Project>, TfcError> {
        self.org(org)?;
        let mut list: Vec<Project> = (self.projects.values())
            .filter(|p| p.org == org)
            .map(|p| p.project.clone())
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(list)
    }

    /// Sorted by name; an unknown project filter gives an empty list, as the API does.
    pub(crate) fn workspaces_of(
        &self,
        org: &str,
        project: Option<&str>,
    ) -> Result<Vec<Workspace>, TfcError> {
        self.org(org)?;
        let wanted =
            |w: &&WorkspaceState| w.org == org && project.is_none_or(|p| p == w.project_id);
        let mut list: Vec<Workspace> = self
            .workspaces
            .values()
            .filter(wanted)
            .map(|w| self.view_ws(w))
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(list)
    }

    pub(crate) fn workspace_by_name(&self, org: &str, name: &str) -> Result<Workspace, TfcError> {
        self.org(org)?;
        let found = self
            .workspaces
            .values()
            .find(|w| w.org == org && w.name == name);
        let what = || not_found(format!("workspace '{name}' in organization '{org}'"));
        Ok(self.view_ws(found.ok_or_else(what)?))
    }
}

impl TfcState {
    /// Adds an organization if it does not exist yet.
    pub(crate) fn add_org(&mut self, name: &str) {
        if !self.orgs.contains_key(name) {
            let external_id = Some(self.new_id("org"));
            let org = Organization {
                name: name.to_string(),
                external_id,
            };
            self.orgs.insert(name.to_string(), org);
        }
    }

    pub(crate) fn add_project(&mut self, org: &str, name: &str) -> Result<String, TfcError> {
        self.org(org)?;
        if self
            .projects
            .values()
            .any(|p| p.org == org && p.project.name == name)
        {
            return Err(rejected("Name has already been taken"));
        }
        let project = Project {
            id: self.new_id("prj"),
            name: name.to_string(),
        };
        let id = project.id.clone();
        self.projects.insert(
            id.clone(),
            ProjectState {
                org: org.to_string(),
                project,
            },
        );
        Ok(id)
    }

    pub(crate) fn add_workspace(
        &mut self,
        org: &str,
        project_id: &str,
        name: &str,
    ) -> Result<String, TfcError> {
        if self.project(project_id)?.org != org {
            return Err(not_found(format!(
                "project '{project_id}' in organization '{org}'"
            )));
        }
        if self
            .workspaces
            .values()
            .any(|w| w.org == org && w.name == name)
        {
            return Err(rejected("Name has already been taken"));
        }
        let id = self.new_id("ws");
        let (org, name, project_id) = (org.to_string(), name.to_string(), project_id.to_string());
        let ws = WorkspaceState {
            org,
            id: id.clone(),
            name,
            project_id,
            vars: Vec::new(),
        };
        self.workspaces.insert(id.clone(), ws);
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_and_distinct() {
        assert_eq!(make_id("ws", 7), make_id("ws", 7));
        let ids: std::collections::BTreeSet<String> = (0..5000).map(|n| make_id("ws", n)).collect();
        assert_eq!(ids.len(), 5000);
        let id = make_id("var", 1);
        assert_eq!(id.len(), "var-".len() + 16);
        assert!(id[4..].chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn projects_and_workspaces_are_unique_per_org() {
        let mut st = TfcState::new("h");
        st.add_org("o");
        st.add_org("o");
        assert_eq!(st.orgs.len(), 1);
        let p = st.add_project("o", "p").unwrap();
        assert!(st.add_project("o", "p").is_err());
        assert!(st.add_project("x", "p").is_err());
        st.add_workspace("o", &p, "w").unwrap();
        assert!(st.add_workspace("o", &p, "w").is_err());
        st.add_org("o2");
        assert!(st.add_workspace("o2", &p, "w").is_err());
        assert_eq!(st.workspaces_of("o", Some("prj-none")).unwrap(), vec![]);
        let w = st.workspace_by_name("o", "w").unwrap();
        assert_eq!(w.project_name.as_deref(), Some("p"));
    }
}
