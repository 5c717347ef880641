//! The in-memory model of one HCP Terraform account: organizations, projects,
//! workspaces, workspace variables and variable sets, plus id generation.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::seed::{Seed, SeedVar};

pub(crate) struct Org {
    pub name: String,
    pub external_id: String,
    pub created_at: String,
}

pub(crate) struct Project {
    pub id: String,
    pub org: String,
    pub name: String,
    pub created_at: String,
}

pub(crate) struct Workspace {
    pub id: String,
    pub org: String,
    pub project_id: String,
    pub name: String,
    pub created_at: String,
    pub vars: Vec<Var>,
}

#[derive(Clone)]
pub(crate) struct Var {
    pub id: String,
    pub key: String,
    pub value: String,
    pub description: Option<String>,
    pub category: String,
    pub hcl: bool,
    pub sensitive: bool,
    pub version_id: String,
    pub created_at: String,
}

#[derive(Clone, PartialEq)]
pub(crate) enum Parent {
    Org,
    Project(String),
}

pub(crate) struct Varset {
    pub id: String,
    pub org: String,
    pub name: String,
    pub description: String,
    pub global: bool,
    pub priority: bool,
    pub parent: Parent,
    pub workspace_ids: Vec<String>,
    pub project_ids: Vec<String>,
    pub vars: Vec<Var>,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) struct State {
    pub token: String,
    pub username: String,
    pub user_id: String,
    pub page_size_limit: usize,
    pub orgs: Vec<Org>,
    pub projects: Vec<Project>,
    pub workspaces: Vec<Workspace>,
    pub varsets: Vec<Varset>,
    pub stacks: Vec<Stack>,
    counter: u64,
}

/// A Stack (HCP Terraform only) with the deployments of its latest configuration.
pub struct Stack {
    pub id: String,
    pub org: String,
    pub project_id: String,
    pub name: String,
    pub deployment_names: Vec<String>,
    pub created_at: String,
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Current UTC time as an RFC 3339 timestamp with milliseconds, like the API.
pub(crate) fn now_iso() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        d.subsec_millis()
    )
}

impl State {
    pub fn from_seed(seed: &Seed) -> State {
        let mut st = State {
            token: seed.token.clone(),
            username: seed.username.clone(),
            user_id: String::new(),
            page_size_limit: seed.page_size_limit.max(1),
            orgs: Vec::new(),
            projects: Vec::new(),
            workspaces: Vec::new(),
            varsets: Vec::new(),
            stacks: Vec::new(),
            counter: 0,
        };
        st.user_id = st.next_id("user-");
        let now = now_iso();
        for so in &seed.organizations {
            let external_id = st.next_id("org-");
            st.orgs.push(Org {
                name: so.name.clone(),
                external_id,
                created_at: now.clone(),
            });
            for sp in &so.projects {
                let id = st.next_id("prj-");
                for sw in &sp.workspaces {
                    let vars = sw.vars.iter().map(|v| st.seed_var(v)).collect();
                    let ws = Workspace {
                        id: st.next_id("ws-"),
                        org: so.name.clone(),
                        project_id: id.clone(),
                        name: sw.name.clone(),
                        created_at: now.clone(),
                        vars,
                    };
                    st.workspaces.push(ws);
                }
                st.projects.push(Project {
                    id,
                    org: so.name.clone(),
                    name: sp.name.clone(),
                    created_at: now.clone(),
                });
            }
            for sv in &so.variable_sets {
                let vars = sv.vars.iter().map(|v| st.seed_var(v)).collect();
                let workspace_ids = sv
                    .workspaces
                    .iter()
                    .filter_map(|n| st.workspace_by_name(&so.name, n).map(|w| w.id.clone()))
                    .collect();
                let project_ids = sv
                    .projects
                    .iter()
                    .filter_map(|n| st.project_by_name(&so.name, n).map(|p| p.id.clone()))
                    .collect();
                let vs = Varset {
                    id: st.next_id("varset-"),
                    org: so.name.clone(),
                    name: sv.name.clone(),
                    description: String::new(),
                    global: sv.global,
                    priority: false,
                    parent: Parent::Org,
                    workspace_ids,
                    project_ids,
                    vars,
                    created_at: now.clone(),
                    updated_at: now.clone(),
                };
                st.varsets.push(vs);
            }
        }
        st
    }

    fn seed_var(&mut self, v: &SeedVar) -> Var {
        Var {
            id: self.next_id("var-"),
            key: v.key.clone(),
            value: v.value.clone(),
            description: None,
            category: v.category.clone(),
            hcl: false,
            sensitive: v.sensitive,
            version_id: self.version_id(),
            created_at: now_iso(),
        }
    }

    /// `prefix` followed by 16 base62 characters, derived from a counter.
    pub fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let mut h = splitmix(self.counter ^ 0x7466_632d_6f69_6463);
        let mut out = String::from(prefix);
        for i in 0..16 {
            if i == 8 {
                h = splitmix(h);
            }
            out.push(ALPHABET[(h % 62) as usize] as char);
            h /= 62;
        }
        out
    }

    /// A fresh 32-hex-digit variable version id.
    pub fn version_id(&mut self) -> String {
        self.counter += 1;
        let a = splitmix(self.counter);
        format!("{a:016x}{:016x}", splitmix(a))
    }

    pub fn org(&self, name: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.name == name)
    }

    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    pub fn project_by_name(&self, org: &str, name: &str) -> Option<&Project> {
        self.projects
            .iter()
            .find(|p| p.org == org && p.name == name)
    }

    pub fn workspace(&self, id: &str) -> Option<&Workspace> {
        self.workspaces.iter().find(|w| w.id == id)
    }

    pub fn workspace_mut(&mut self, id: &str) -> Option<&mut Workspace> {
        self.workspaces.iter_mut().find(|w| w.id == id)
    }

    pub fn workspace_by_name(&self, org: &str, name: &str) -> Option<&Workspace> {
        self.workspaces
            .iter()
            .find(|w| w.org == org && w.name == name)
    }

    pub fn varset(&self, id: &str) -> Option<&Varset> {
        self.varsets.iter().find(|v| v.id == id)
    }

    pub fn varset_mut(&mut self, id: &str) -> Option<&mut Varset> {
        self.varsets.iter_mut().find(|v| v.id == id)
    }

    /// Variable sets that apply to a workspace: global ones of its org, ones
    /// attached to it directly, and ones attached to its project.
    pub fn varsets_for_workspace(&self, ws: &Workspace) -> Vec<&Varset> {
        self.varsets
            .iter()
            .filter(|v| {
                v.org == ws.org
                    && (v.global
                        || v.workspace_ids.contains(&ws.id)
                        || v.project_ids.contains(&ws.project_id))
            })
            .collect()
    }

    /// Variable sets that apply to a project: global ones of its org, ones
    /// attached to it, and ones it owns.
    pub fn varsets_for_project(&self, p: &Project) -> Vec<&Varset> {
        self.varsets
            .iter()
            .filter(|v| {
                v.org == p.org
                    && (v.global
                        || v.project_ids.contains(&p.id)
                        || v.parent == Parent::Project(p.id.clone()))
            })
            .collect()
    }
}
