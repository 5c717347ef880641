//! The [`Blueprint`]: the setup as resources, whatever the format. It is read off the changes of
//! a plan from scratch (so descriptions, tags, trust policies and variables are the very ones
//! `setup` writes) and the [`Facts`] of what exists.

use super::facts::{Facts, ProviderFact};
use super::subjects::{NameRef, SubjectTemplate, TemplateKind};
use crate::core::answers::{Answers, WorkspaceSelection};
use crate::core::change::{
    AttachRolePolicy, CreateOidcProvider, CreateRole, CreateVariable, CreateVariableSet,
    PutRolePolicy,
};
use crate::core::error::PlanError;
use crate::core::plan::{Change, Plan};
use crate::core::planner::plan_from_scratch;
use crate::core::ports::{CallerIdentity, Project, Tag, Workspace};
use crate::core::trust::Phase;
use serde_json::Value;

/// Which workspaces the setup covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// These workspaces, as HCP Terraform spells them, in the order of the trust policy.
    Named(Vec<String>),
    /// Every workspace of the project (one `workspace:*` pattern).
    All,
    /// A Stack of the project: these deployments, or every one (one `deployment:*` pattern)
    /// when the list is empty. No variables: the deployments take the role as inputs.
    Stack {
        name: String,
        deployments: Vec<String>,
    },
}

impl Scope {
    /// The form of the scope's patterns.
    pub fn template_kind(&self) -> TemplateKind {
        match self {
            Scope::Named(_) => TemplateKind::Workspace,
            Scope::All => TemplateKind::AllWorkspaces,
            Scope::Stack { deployments, .. } => TemplateKind::Stack {
                per_deployment: !deployments.is_empty(),
            },
        }
    }
}

/// The IAM OIDC provider: created, or an existing one referred to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderPlan {
    /// `https://HOST`.
    pub url: String,
    pub client_ids: Vec<String>,
    /// Empty unless the user gave one: IAM then uses its own CA library.
    pub thumbprints: Vec<String>,
    pub tags: Vec<Tag>,
    /// The ARN the plan gave it, as it appears in the trust policies (never printed: the code
    /// refers to the provider instead).
    pub planned_arn: String,
    /// The ARN of the provider that exists, when one does.
    pub existing: Option<String>,
}

/// One role and its permissions.
#[derive(Debug, Clone, PartialEq)]
pub struct RolePlan {
    pub name: String,
    pub phase: Phase,
    pub description: String,
    /// The trust policy exactly as `setup` creates it.
    pub trust: Value,
    /// The `sub` patterns of the trust policy, in its order.
    pub subjects: Vec<String>,
    /// The form of those patterns, names left as holes.
    pub subject_template: SubjectTemplate,
    pub tags: Vec<Tag>,
    pub managed_policies: Vec<String>,
    /// The inline policy's name and document.
    pub inline_policy: Option<(String, Value)>,
    /// The ARN the plan gave the role (never printed: the code refers to the role instead).
    pub planned_arn: String,
}

impl RolePlan {
    /// The `sub` patterns as the JSON list the trust policy holds (templates swap it whole).
    pub fn subjects_value(&self) -> Value {
        Value::Array(self.subjects.iter().cloned().map(Value::String).collect())
    }

    /// The runs the role serves, in words.
    pub fn runs(&self) -> &'static str {
        match self.phase {
            Phase::Run => "plan and apply runs",
            Phase::Plan => "plan runs",
            Phase::Apply => "apply runs",
        }
    }
}

/// What a variable holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableValue {
    Text(String),
    /// The ARN of `roles[i]`.
    RoleArn(usize),
}

/// One environment variable, set on every chosen workspace or in the variable set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariablePlan {
    pub key: String,
    pub value: VariableValue,
    pub description: String,
}

/// The variable set the variables go into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarsetPlan {
    pub name: String,
    pub description: String,
}

/// Something the reader of the exported code must know, each format phrasing it its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportNote {
    /// The services were not read, for this reason.
    Unread(String),
    /// The existing provider lacks the audience.
    ProviderLacksAudience { arn: String, audience: String },
    /// A role of this name exists already.
    RoleExists(String),
    /// The variable set exists already.
    VarsetExists(String),
}

/// The setup as resources, ready for a format.
#[derive(Debug, Clone, PartialEq)]
pub struct Blueprint {
    pub host: String,
    pub organization: String,
    pub project: String,
    pub scope: Scope,
    pub audience: String,
    pub provider: ProviderPlan,
    pub roles: Vec<RolePlan>,
    pub variables: Vec<VariablePlan>,
    pub varset: Option<VarsetPlan>,
    pub notes: Vec<ExportNote>,
    /// For a Stack: the `.tfdeploy.hcl` text its deployments need (the role's planned ARN in
    /// it, to be replaced by a reference to the role).
    pub deployment_config: Option<String>,
}

/// Stands in for the account when AWS was not read: ARNs are never printed, only referred to.
fn placeholder_caller() -> CallerIdentity {
    CallerIdentity {
        account: "000000000000".into(),
        arn: "arn:aws:iam::000000000000:root".into(),
        user_id: String::new(),
    }
}

fn workspace(name: &str, facts: &Facts) -> Workspace {
    Workspace {
        id: String::new(),
        name: name.to_string(),
        project_id: String::new(),
        project_name: Some(facts.project.clone()),
        organization: Some(facts.organization.clone()),
    }
}

impl Blueprint {
    /// The variable that carries the ARN of the role at `index` (tagged with `--alias`).
    pub fn role_arn_key<'a>(&'a self, index: usize, role: &'a RolePlan) -> &'a str {
        self.variables
            .iter()
            .find(|v| v.value == VariableValue::RoleArn(index))
            .map_or(role.phase.role_arn_variable(), |v| v.key.as_str())
    }

    /// Plans `answers` from scratch with the names of `facts` and reads the resources off it.
    pub fn new(answers: &Answers, facts: &Facts) -> Result<Blueprint, PlanError> {
        let scope = match &answers.workspaces {
            WorkspaceSelection::Named(_) => Scope::Named(facts.workspaces.clone()),
            WorkspaceSelection::All => Scope::All,
            WorkspaceSelection::Stack { name, deployments } => Scope::Stack {
                name: name.clone(),
                deployments: deployments.clone(),
            },
        };
        let mut workspaces: Vec<Workspace> = facts
            .workspaces
            .iter()
            .map(|w| workspace(w, facts))
            .collect();
        if workspaces.is_empty() && !matches!(scope, Scope::Stack { .. }) {
            // A project without workspaces (or not read): one stand-in shows which variables
            // each workspace gets; the code itself covers whatever workspaces the project has.
            workspaces.push(workspace("each-workspace", facts));
        }
        let project = Project {
            id: String::new(),
            name: facts.project.clone(),
        };
        let caller = facts.caller.clone().unwrap_or_else(placeholder_caller);
        let plan = plan_from_scratch(answers, &caller, &facts.organization, &project, &workspaces)?;
        let mut blueprint = Blueprint {
            host: plan.host.clone(),
            organization: plan.organization.clone(),
            project: plan.projects.first().cloned().unwrap_or_default(),
            scope,
            audience: answers.audience.clone(),
            provider: ProviderPlan {
                url: format!("https://{}", plan.host),
                client_ids: vec![answers.audience.clone()],
                thumbprints: answers.thumbprints.clone(),
                tags: Vec::new(),
                planned_arn: plan.provider_arn.clone(),
                existing: None,
            },
            roles: Vec::new(),
            variables: Vec::new(),
            varset: None,
            notes: Vec::new(),
            deployment_config: facts
                .deployment_config
                .clone()
                .or_else(|| plan.deployment_config.clone()),
        };
        blueprint.read_changes(&plan);
        blueprint.note(answers, facts);
        Ok(blueprint)
    }

    fn role_mut(&mut self, name: &str) -> Option<&mut RolePlan> {
        self.roles.iter_mut().find(|r| r.name == name)
    }

    fn read_changes(&mut self, plan: &Plan) {
        for planned in &plan.changes {
            match &planned.change {
                Change::CreateOidcProvider(CreateOidcProvider {
                    url,
                    client_ids,
                    thumbprints,
                    tags,
                    ..
                }) => {
                    self.provider.url = url.clone();
                    self.provider.client_ids = client_ids.clone();
                    self.provider.thumbprints = thumbprints.clone();
                    self.provider.tags = tags.clone();
                }
                Change::CreateRole(role) => self.read_role(plan, role),
                Change::AttachRolePolicy(AttachRolePolicy {
                    role_name,
                    policy_arn,
                }) => {
                    if let Some(role) = self.role_mut(role_name) {
                        role.managed_policies.push(policy_arn.clone());
                    }
                }
                Change::PutRolePolicy(PutRolePolicy {
                    role_name,
                    policy_name,
                    document,
                    ..
                }) => {
                    if let Some(role) = self.role_mut(role_name) {
                        role.inline_policy = Some((policy_name.clone(), document.clone()));
                    }
                }
                Change::CreateVariableSet(CreateVariableSet {
                    name, description, ..
                }) => {
                    self.varset = Some(VarsetPlan {
                        name: name.clone(),
                        description: description.clone(),
                    });
                }
                Change::CreateVariable(variable) => self.read_variable(variable),
                // Attachments follow from the scope; a plan from scratch has nothing else.
                _ => {}
            }
        }
    }

    /// A role the plan creates, with the subjects its trust admits.
    fn read_role(&mut self, plan: &Plan, role: &CreateRole) {
        let CreateRole {
            name,
            arn,
            phase,
            description,
            trust_policy,
            tags,
            ..
        } = role;
        let subjects = plan
            .roles
            .iter()
            .find(|r| &r.name == name)
            .map(|r| r.subjects.clone())
            .unwrap_or_default();
        self.roles.push(RolePlan {
            name: name.clone(),
            phase: *phase,
            description: description.clone(),
            trust: trust_policy.clone(),
            subjects,
            subject_template: SubjectTemplate::new(self.scope.template_kind(), *phase),
            tags: tags.clone(),
            managed_policies: Vec::new(),
            inline_policy: None,
            planned_arn: arn.clone(),
        });
    }

    /// A variable the plan creates (once per key); a role ARN value points at the role.
    fn read_variable(&mut self, variable: &CreateVariable) {
        let CreateVariable {
            key,
            value,
            description,
            ..
        } = variable;
        if self.variables.iter().any(|v| &v.key == key) {
            return;
        }
        let value = match self.roles.iter().position(|r| &r.planned_arn == value) {
            Some(i) => VariableValue::RoleArn(i),
            None => VariableValue::Text(value.clone()),
        };
        self.variables.push(VariablePlan {
            key: key.clone(),
            value,
            description: description.clone(),
        });
    }

    fn note(&mut self, answers: &Answers, facts: &Facts) {
        if let Some(why) = &facts.unread {
            self.notes.push(ExportNote::Unread(why.clone()));
        }
        if let ProviderFact::Present { arn, has_audience } = &facts.provider {
            self.provider.existing = Some(arn.clone());
            if !has_audience {
                self.notes.push(ExportNote::ProviderLacksAudience {
                    arn: arn.clone(),
                    audience: answers.audience.clone(),
                });
            }
        }
        for role in &facts.existing_roles {
            self.notes.push(ExportNote::RoleExists(role.clone()));
        }
        if let (true, Some(set)) = (facts.existing_varset, &self.varset) {
            self.notes.push(ExportNote::VarsetExists(set.name.clone()));
        }
    }

    /// The workspace names the patterns of a role are filled with, `None` for the whole project
    /// or a Stack.
    pub fn workspace_names(&self) -> Option<&[String]> {
        match &self.scope {
            Scope::Named(names) => Some(names),
            Scope::All | Scope::Stack { .. } => None,
        }
    }

    /// The names that make one pattern each (workspaces, or a Stack's chosen deployments);
    /// empty when one pattern covers them all.
    pub fn pattern_names(&self) -> &[String] {
        match &self.scope {
            Scope::Named(names) => names,
            Scope::Stack { deployments, .. } => deployments,
            Scope::All => &[],
        }
    }

    /// The Stack's name, for a Stack.
    pub fn stack_name(&self) -> Option<&str> {
        match &self.scope {
            Scope::Stack { name, .. } => Some(name),
            Scope::Named(_) | Scope::All => None,
        }
    }

    /// The `.tfdeploy.hcl` text of a Stack with the role's ARN (a quoted string in it) written
    /// as `arn`, since the export never prints ARNs it cannot know.
    pub fn deployment_config_with(&self, arn: &str) -> Option<String> {
        let config = self.deployment_config.as_ref()?;
        let planned = self.roles.first().map(|r| r.planned_arn.as_str())?;
        let quoted = serde_json::to_string(planned).unwrap_or_default();
        Some(config.replace(&quoted, arn))
    }

    /// What the `.tfdeploy.hcl` text leaves to the reader: a Stack's deployments when neither
    /// the user nor HCP Terraform named them (the Stack was not read).
    pub fn deployment_config_gap(&self) -> Option<&'static str> {
        let config = self.deployment_config.as_ref()?;
        (!config.contains("\ndeployment ")).then_some(
            "The Stack was not read, so its deployments are not known: add a deployment block per deployment, each with the role_arn and identity_token inputs.",
        )
    }

    /// For tagged variables (`--alias`): the Terraform the workspaces' configuration needs, the
    /// `tfc_aws_dynamic_credentials` variable and a provider block per configuration, as
    /// `setup` prints it.
    pub fn tagged_configuration(&self) -> Option<String> {
        let mut tags: Vec<String> = self
            .variables
            .iter()
            .filter_map(|v| {
                crate::core::variables::dynamic_vars::parse(&v.key).and_then(|(_, t)| t)
            })
            .collect();
        tags.sort();
        tags.dedup();
        (!tags.is_empty()).then(|| crate::core::variables::dynamic_vars::terraform_for_tags(&tags))
    }

    /// Whether every role's patterns are its template filled with the names, in order: the
    /// condition for writing them with the names as parameters.
    pub fn templates_match(&self) -> bool {
        self.roles.iter().all(|role| {
            let t = &role.subject_template;
            let fill = |item: &str| {
                t.fill(|hole| match hole {
                    NameRef::Organization => &self.organization,
                    NameRef::Project => &self.project,
                    NameRef::Stack => self.stack_name().unwrap_or_default(),
                    NameRef::Workspace | NameRef::Deployment => item,
                })
            };
            let filled: Vec<String> = if t.has_workspace() {
                self.pattern_names().iter().map(|n| fill(n)).collect()
            } else {
                vec![fill("")]
            };
            filled == role.subjects
        })
    }
}
