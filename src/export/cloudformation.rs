//! The [`Blueprint`] as a CloudFormation template (`assets/export/cloudformation.yaml.j2`): the
//! names as parameters with the computed defaults, the OIDC provider (or the ARN of an existing
//! one as a parameter), the roles with their trust and permissions, and outputs for the role
//! ARNs and the audience. Intrinsic functions are written in their long form (`Ref:`,
//! `Fn::Sub:`), which every YAML reader understands.

use super::header::{self, indent};
use super::model::{Blueprint, ExportNote, RolePlan, Scope, VariableValue};
use super::subjects::{tag_hole, NameRef, Part};
use super::{comment_safe, templates};
use crate::core::ports::Tag;
use crate::core::trust::Phase;
use serde::Serialize;
use serde_json::{json, Value};

/// A name parameter beside the organization and project: a workspace, the Stack, a deployment.
#[derive(Serialize)]
struct NameParam {
    parameter: String,
    description: &'static str,
    name: String,
}

#[derive(Serialize)]
struct ProviderCtx {
    url: String,
    client_ids: Vec<String>,
    thumbprints: Vec<String>,
    tags: Value,
    existing: String,
}

#[derive(Serialize)]
struct RoleCtx {
    logical_id: String,
    name: String,
    description: String,
    trust: Value,
    managed_policies: Vec<String>,
    policies: Vec<Value>,
    tags: Value,
    output: String,
}

#[derive(Serialize)]
struct Context {
    header: Vec<String>,
    description: String,
    organization: String,
    project: String,
    /// What the project holds that runs: "workspaces", or "Stack".
    project_holds: &'static str,
    names: Vec<NameParam>,
    provider: ProviderCtx,
    roles: Vec<RoleCtx>,
    audience: String,
}

fn logical_id(phase: Phase) -> &'static str {
    match phase {
        Phase::Run => "RunRole",
        Phase::Plan => "PlanRole",
        Phase::Apply => "ApplyRole",
    }
}

/// The parameter of the i-th workspace or deployment: `WorkspaceName` alone, `WorkspaceName1…`
/// for several (`DeploymentName…` for a Stack's).
fn item_parameter(b: &Blueprint, i: usize) -> String {
    let base = match b.scope {
        Scope::Stack { .. } => "DeploymentName",
        Scope::Named(_) | Scope::All => "WorkspaceName",
    };
    if b.pattern_names().len() == 1 {
        base.into()
    } else {
        format!("{base}{}", i + 1)
    }
}

/// The parameters of the names beside the organization and project.
fn name_params(b: &Blueprint) -> Vec<NameParam> {
    let mut params = Vec::new();
    if let Some(stack) = b.stack_name() {
        params.push(NameParam {
            parameter: "StackName".into(),
            description: "HCP Terraform Stack whose deployments may assume the role",
            name: stack.to_string(),
        });
    }
    let description = match b.scope {
        Scope::Stack { .. } => "Deployment of the Stack that may assume the role",
        Scope::Named(_) | Scope::All => "HCP Terraform workspace whose runs may assume the role",
    };
    for (i, name) in b.pattern_names().iter().enumerate() {
        params.push(NameParam {
            parameter: item_parameter(b, i),
            description,
            name: name.clone(),
        });
    }
    params
}

fn provider_arn() -> Value {
    json!({"Fn::If": ["CreateOIDCProvider", {"Ref": "OIDCProvider"}, {"Ref": "OIDCProviderArn"}]})
}

/// `v` with every node `hook` answers for replaced.
fn substitute(v: &Value, hook: &dyn Fn(&Value) -> Option<Value>) -> Value {
    if let Some(replacement) = hook(v) {
        return replacement;
    }
    match v {
        Value::Array(items) => Value::Array(items.iter().map(|i| substitute(i, hook)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, val)| (k.clone(), substitute(val, hook)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn tags(tags: &[Tag]) -> Value {
    let list = tags
        .iter()
        .map(|t| {
            let value = match tag_hole(&t.key) {
                Some(NameRef::Organization) => json!({"Ref": "OrganizationName"}),
                Some(NameRef::Project) => json!({"Ref": "ProjectName"}),
                _ => json!(t.value),
            };
            json!({"Key": t.key, "Value": value})
        })
        .collect();
    Value::Array(list)
}

/// The `sub` patterns of a role as `Fn::Sub` strings over the name parameters.
fn subject_subs(b: &Blueprint, role: &RolePlan) -> Value {
    let sub = |item_param: Option<&str>| {
        let text: String = role
            .subject_template
            .parts
            .iter()
            .map(|p| match p {
                // `${` in literal text would be read as a substitution: `${!` writes it.
                Part::Text(t) => t.replace("${", "${!"),
                Part::Name(NameRef::Organization) => "${OrganizationName}".into(),
                Part::Name(NameRef::Project) => "${ProjectName}".into(),
                Part::Name(NameRef::Stack) => "${StackName}".into(),
                Part::Name(NameRef::Workspace | NameRef::Deployment) => {
                    format!("${{{}}}", item_param.unwrap_or_default())
                }
            })
            .collect();
        json!({"Fn::Sub": text})
    };
    if role.subject_template.has_workspace() {
        (0..b.pattern_names().len())
            .map(|i| sub(Some(&item_parameter(b, i))))
            .collect()
    } else {
        Value::Array(vec![sub(None)])
    }
}

fn role(b: &Blueprint, index: usize, role: &RolePlan) -> RoleCtx {
    let parameterize = b.templates_match();
    let subjects = role.subjects_value();
    let hook = |v: &Value| {
        if v.as_str() == Some(b.provider.planned_arn.as_str()) {
            Some(provider_arn())
        } else if parameterize && v == &subjects {
            Some(subject_subs(b, role))
        } else {
            None
        }
    };
    let key = b.role_arn_key(index, role);
    let runs = role.runs();
    RoleCtx {
        logical_id: logical_id(role.phase).into(),
        name: role.name.clone(),
        description: role.description.clone(),
        trust: substitute(&role.trust, &hook),
        managed_policies: role.managed_policies.clone(),
        policies: role
            .inline_policy
            .iter()
            .map(|(name, doc)| json!({"PolicyName": name, "PolicyDocument": doc}))
            .collect(),
        tags: tags(&role.tags),
        output: match b.stack_name() {
            Some(_) => "Role for the Stack's deployments: their role_arn input".into(),
            None => format!("Role for {runs}: the value of {key}"),
        },
    }
}

/// Where the variables go, in words (a Stack takes none).
fn destination(b: &Blueprint) -> String {
    let names = |list: &[String]| {
        let s = if list.len() == 1 { "" } else { "s" };
        format!("workspace{s} {}", list.join(", "))
    };
    match (&b.varset, &b.scope) {
        (None, Scope::Named(list)) => format!("on {}", names(list)),
        (None, Scope::All) => format!("on every workspace of project {}", b.project),
        (Some(set), Scope::Named(list)) => {
            format!("in variable set {}, attached to {}", set.name, names(list))
        }
        (Some(set), Scope::All) => format!(
            "in variable set {}, attached to project {}",
            set.name, b.project
        ),
        (_, Scope::Stack { name, .. }) => format!("nowhere: Stack {name} takes no variables"),
    }
}

fn header(b: &Blueprint) -> Vec<String> {
    let mut h = vec![
        format!(
            "HCP Terraform OIDC for {} / {} on {}: the IAM OIDC provider, role{} and permissions.",
            b.organization,
            b.project,
            b.host,
            if b.roles.len() == 1 { "" } else { "s" }
        ),
        format!(
            "Exported by tfc-oidc {}: the trust policies are exactly those 'tfc-oidc setup' writes.",
            env!("CARGO_PKG_VERSION")
        ),
        "Deploy: aws cloudformation deploy --template-file FILE --stack-name NAME --capabilities CAPABILITY_NAMED_IAM".into(),
        String::new(),
    ];
    if let Some(config) = b.deployment_config_with("\"<the RunRoleArn output>\"") {
        h.push(format!(
            "HCP Terraform Stack {} takes no variables: its deployment configuration (.tfdeploy.hcl) needs,",
            b.stack_name().unwrap_or_default()
        ));
        h.push(
            "with an assume_role_with_web_identity block in its AWS provider taking both inputs:"
                .into(),
        );
        h.push(String::new());
        h.extend(config.lines().map(indent));
        if let Some(gap) = b.deployment_config_gap() {
            h.push(String::new());
            h.push(gap.into());
        }
    } else {
        h.push(format!(
            "HCP Terraform (CloudFormation cannot set it): these env variables, not sensitive, go {}:",
            destination(b)
        ));
        for v in &b.variables {
            let value = match &v.value {
                VariableValue::Text(t) => t.clone(),
                VariableValue::RoleArn(i) => {
                    format!("the {}Arn output", logical_id(b.roles[*i].phase))
                }
            };
            h.push(format!("  {} = {value}", v.key));
        }
        h.push("'tfc-oidc setup' with the same choices, run after the deploy, finds the provider and roles in".into());
        h.push("place (they carry its tags) and sets just these variables.".into());
    }
    h.extend(header::tagged_configuration(b));
    for note in &b.notes {
        h.push(String::new());
        h.push(match note {
            ExportNote::Unread(why) => format!(
                "AWS and HCP Terraform were not read ({why}): the names are as given, and OIDCProviderArn is empty (a new provider); set it if {} has one already.",
                b.provider.url
            ),
            ExportNote::ProviderLacksAudience { arn, audience } => header::add_audience(arn, audience),
            ExportNote::RoleExists(name) => format!(
                "Role {name} exists already: CloudFormation cannot create it; import it into the stack or choose another --role-name."
            ),
            ExportNote::VarsetExists(name) => {
                format!("Variable set {name} exists already: 'tfc-oidc setup' reuses it.")
            }
        });
    }
    h.iter().map(|l| comment_safe(l)).collect()
}

/// The template text.
pub fn render(b: &Blueprint) -> Result<String, minijinja::Error> {
    let context = Context {
        header: header(b),
        description: format!(
            "HCP Terraform OIDC for {}/{} on {} (exported by tfc-oidc)",
            b.organization, b.project, b.host
        ),
        organization: b.organization.clone(),
        project: b.project.clone(),
        project_holds: if b.stack_name().is_some() {
            "Stack"
        } else {
            "workspaces"
        },
        names: name_params(b),
        provider: ProviderCtx {
            url: b.provider.url.clone(),
            client_ids: b.provider.client_ids.clone(),
            thumbprints: b.provider.thumbprints.clone(),
            tags: tags(&b.provider.tags),
            existing: b.provider.existing.clone().unwrap_or_default(),
        },
        roles: b
            .roles
            .iter()
            .enumerate()
            .map(|(i, r)| role(b, i, r))
            .collect(),
        audience: b.audience.clone(),
    };
    templates::render("cloudformation.yaml", templates::CLOUDFORMATION, &context)
}
