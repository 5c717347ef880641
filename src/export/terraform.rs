//! The [`Blueprint`] as a Terraform configuration (`assets/export/terraform.tf.j2`) for the
//! `aws` and `tfe` providers: the names as variables, the workspaces looked up by name, the OIDC
//! provider (a data source when it exists), the roles with `jsonencode(...)` trust policies over
//! those variables, their policies, and the `tfe_variable`s on each workspace or in a variable
//! set with its workspace or project attachment.

use super::hcl;
use super::header::{self, indent};
use super::model::{Blueprint, ExportNote, RolePlan, Scope, VariableValue};
use super::subjects::{tag_hole, NameRef, Part};
use super::{comment_safe, templates};
use crate::core::ports::Tag;
use crate::core::trust::Phase;
use serde::Serialize;
use serde_json::Value;

/// `thumbprint_list` became optional in 5.81; 7.x is a future major version.
const AWS_VERSION: &str = ">= 5.81, < 7.0";
/// `tfe_project_variable_set` and the `project_id` of `tfe_workspace` are long there.
const TFE_VERSION: &str = "~> 0.60";

#[derive(Serialize)]
struct ProviderCtx {
    url: String,
    client_ids: Vec<String>,
    thumbprints: Vec<String>,
    tags: String,
    existing: bool,
    reference: String,
}

#[derive(Serialize)]
struct RoleCtx {
    id: &'static str,
    name: String,
    description: String,
    trust: String,
    tags: String,
    managed_policies: Vec<String>,
    inline_name: Option<String>,
    inline: String,
    output: String,
}

#[derive(Serialize)]
struct VarsetCtx {
    name: String,
    description: String,
}

#[derive(Serialize)]
struct VariableCtx {
    id: String,
    key: String,
    value: String,
    description: String,
}

#[derive(Serialize)]
struct Context {
    header: Vec<String>,
    aws_version: &'static str,
    tfe_version: &'static str,
    host: String,
    organization: String,
    project: String,
    named: bool,
    workspaces: Vec<String>,
    /// The Stack's name, for a Stack (then nothing of HCP Terraform is written or read).
    stack: Option<String>,
    /// The Stack's chosen deployments (none: every deployment).
    deployments: Vec<String>,
    /// The `.tfdeploy.hcl` text as a heredoc body, the role's ARN interpolated.
    deployment_config: Option<String>,
    per_workspace: bool,
    provider: ProviderCtx,
    roles: Vec<RoleCtx>,
    varset: Option<VarsetCtx>,
    variables: Vec<VariableCtx>,
    role_refs: String,
    variable_refs: String,
    audience: String,
}

fn role_id(phase: Phase) -> &'static str {
    match phase {
        Phase::Run => "run",
        Phase::Plan => "plan",
        Phase::Apply => "apply",
    }
}

fn name_ref(name: NameRef) -> &'static str {
    match name {
        NameRef::Organization => "var.organization",
        NameRef::Project => "var.project",
        NameRef::Workspace => "workspace",
        NameRef::Stack => "var.stack",
        NameRef::Deployment => "deployment",
    }
}

/// A tags map, the organization and project tags taken from the variables.
fn tags(tags: &[Tag], indent: usize) -> String {
    let width = tags
        .iter()
        .map(|t| hcl::key(&t.key).len())
        .max()
        .unwrap_or(0);
    let pad = " ".repeat(indent + 2);
    let mut out = String::from("{\n");
    for t in tags {
        let value = match tag_hole(&t.key) {
            Some(name) => name_ref(name).to_string(),
            None => hcl::string(&t.value),
        };
        let key = hcl::key(&t.key);
        out.push_str(&format!("{pad}{key:width$} = {value}\n"));
    }
    out.push_str(&format!("{}}}", " ".repeat(indent)));
    out
}

/// The `sub` patterns of a role over the name variables: a `for` over the workspaces, or the
/// project's one pattern.
fn subjects(b: &Blueprint, role: &RolePlan) -> String {
    let text: String = role
        .subject_template
        .parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => hcl::string_content(t),
            Part::Name(name) => format!("${{{}}}", name_ref(*name)),
        })
        .collect();
    match &b.scope {
        Scope::Named(_) => format!("[for workspace in var.workspaces : \"{text}\"]"),
        Scope::Stack { deployments, .. } if !deployments.is_empty() => {
            format!("[for deployment in var.deployments : \"{text}\"]")
        }
        Scope::All | Scope::Stack { .. } => format!("[\"{text}\"]"),
    }
}

fn provider_reference(b: &Blueprint) -> String {
    if b.provider.existing.is_some() {
        "data.aws_iam_openid_connect_provider.hcp_terraform.arn".into()
    } else {
        "aws_iam_openid_connect_provider.hcp_terraform.arn".into()
    }
}

fn role(b: &Blueprint, index: usize, role: &RolePlan) -> RoleCtx {
    let parameterize = b.templates_match();
    let subject_list = role.subjects_value();
    let provider = provider_reference(b);
    let hook = |v: &Value| {
        if v.as_str() == Some(b.provider.planned_arn.as_str()) {
            Some(provider.clone())
        } else if parameterize && v == &subject_list {
            Some(subjects(b, role))
        } else {
            None
        }
    };
    let key = b.role_arn_key(index, role);
    let runs = role.runs();
    RoleCtx {
        id: role_id(role.phase),
        name: role.name.clone(),
        description: role.description.clone(),
        trust: hcl::expr(&role.trust, 2, &hook),
        tags: tags(&role.tags, 2),
        managed_policies: role.managed_policies.clone(),
        inline_name: role.inline_policy.as_ref().map(|(name, _)| name.clone()),
        inline: role
            .inline_policy
            .as_ref()
            .map(|(_, doc)| hcl::expr(doc, 2, &|_| None))
            .unwrap_or_default(),
        output: match b.stack_name() {
            Some(_) => "Role for the Stack's deployments (their role_arn input)".into(),
            None => format!("Role for {runs} ({key})"),
        },
    }
}

fn header(b: &Blueprint) -> Vec<String> {
    let roles = if b.roles.len() == 1 { "role" } else { "roles" };
    let what = match b.stack_name() {
        Some(_) => format!("{roles} and permissions"),
        None => format!("{roles}, permissions and variables"),
    };
    let mut h = vec![
        format!(
            "HCP Terraform OIDC for {} / {} on {}: the IAM OIDC provider, {what}.",
            b.organization, b.project, b.host
        ),
        format!(
            "Exported by tfc-oidc {}: the trust policies are exactly those 'tfc-oidc setup' writes.",
            env!("CARGO_PKG_VERSION")
        ),
        "Providers: configure aws (credentials, region) as usual; tfe reads TFE_TOKEN or the".into(),
        "credentials 'terraform login' wrote.".into(),
    ];
    if let Some(config) = b.deployment_config_with("\"<the run_role_arn output>\"") {
        h.truncate(2);
        h.push("Providers: configure aws (credentials, region) as usual. A Stack takes no variables: nothing".into());
        h.push("is written to HCP Terraform, so the tfe provider is not needed.".into());
        h.push(String::new());
        h.push(format!(
            "Stack {}'s deployment configuration (.tfdeploy.hcl) needs, with an assume_role_with_web_identity",
            b.stack_name().unwrap_or_default()
        ));
        h.push("block in its AWS provider taking both inputs (the tfdeploy_hcl output holds this text):".into());
        h.push(String::new());
        h.extend(config.lines().map(indent));
        if let Some(gap) = b.deployment_config_gap() {
            h.push(String::new());
            h.push(gap.into());
        }
    }
    h.extend(header::tagged_configuration(b));
    for note in &b.notes {
        h.push(String::new());
        h.push(match note {
            ExportNote::Unread(why) => format!(
                "AWS and HCP Terraform were not read ({why}): the names are as given, and the OIDC provider is created here; if {} has one already, import it: terraform import aws_iam_openid_connect_provider.hcp_terraform ARN",
                b.provider.url
            ),
            ExportNote::ProviderLacksAudience { arn, audience } => header::add_audience(arn, audience),
            ExportNote::RoleExists(name) => {
                let id = b
                    .roles
                    .iter()
                    .find(|r| &r.name == name)
                    .map_or("run", |r| role_id(r.phase));
                format!(
                    "Role {name} exists already: import it (terraform import aws_iam_role.{id} {name}), and this trust policy replaces its own, or choose another --role-name."
                )
            }
            ExportNote::VarsetExists(name) => format!(
                "Variable set {name} exists already: import it (terraform import tfe_variable_set.aws_oidc VARSET_ID) or choose another --varset-name."
            ),
        });
    }
    h.iter().map(|l| comment_safe(l)).collect()
}

/// The role's ARN where the `.tfdeploy.hcl` text has it, before the text is escaped.
const ARN_MARK: &str = "\u{0}role-arn\u{0}";

/// The `.tfdeploy.hcl` text as the body of a heredoc: template sequences escaped, the role's ARN
/// interpolated from the role.
fn deployment_heredoc(b: &Blueprint) -> Option<String> {
    let config = b.deployment_config_with(&format!("\"{ARN_MARK}\""))?;
    let id = b.roles.first().map_or("run", |r| role_id(r.phase));
    let body = config
        .replace("${", "$${")
        .replace("%{", "%%{")
        .replace(ARN_MARK, &format!("${{aws_iam_role.{id}.arn}}"));
    Some(
        body.lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("    {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The configuration text.
pub fn render(b: &Blueprint) -> Result<String, minijinja::Error> {
    let roles: Vec<RoleCtx> = b
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| role(b, i, r))
        .collect();
    let variables: Vec<VariableCtx> = b
        .variables
        .iter()
        .map(|v| VariableCtx {
            id: v.key.to_ascii_lowercase(),
            key: v.key.clone(),
            value: match &v.value {
                VariableValue::Text(t) => hcl::string(t),
                VariableValue::RoleArn(i) => {
                    format!("aws_iam_role.{}.arn", role_id(b.roles[*i].phase))
                }
            },
            description: v.description.clone(),
        })
        .collect();
    let role_refs = roles
        .iter()
        .map(|r| format!("aws_iam_role.{}", r.id))
        .collect::<Vec<_>>()
        .join(", ");
    let variable_refs = variables
        .iter()
        .map(|v| format!("tfe_variable.{}", v.id))
        .collect::<Vec<_>>()
        .join(", ");
    let context = Context {
        header: header(b),
        aws_version: AWS_VERSION,
        tfe_version: TFE_VERSION,
        host: b.host.clone(),
        organization: b.organization.clone(),
        project: b.project.clone(),
        named: matches!(b.scope, Scope::Named(_)),
        workspaces: b
            .workspace_names()
            .map(<[String]>::to_vec)
            .unwrap_or_default(),
        stack: b.stack_name().map(str::to_string),
        deployments: match &b.scope {
            Scope::Stack { deployments, .. } => deployments.clone(),
            Scope::Named(_) | Scope::All => Vec::new(),
        },
        deployment_config: deployment_heredoc(b),
        per_workspace: b.varset.is_none(),
        provider: ProviderCtx {
            url: b.provider.url.clone(),
            client_ids: b.provider.client_ids.clone(),
            thumbprints: b.provider.thumbprints.clone(),
            tags: tags(&b.provider.tags, 2),
            existing: b.provider.existing.is_some(),
            reference: provider_reference(b),
        },
        roles,
        varset: b.varset.as_ref().map(|s| VarsetCtx {
            name: s.name.clone(),
            description: s.description.clone(),
        }),
        variables,
        role_refs,
        variable_refs,
        audience: b.audience.clone(),
    };
    templates::render("terraform.tf", templates::TERRAFORM, &context)
}
