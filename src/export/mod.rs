//! `export`: the setup as code. The same answers `setup` takes are planned from scratch (every
//! change `setup` makes in an account and project where nothing exists yet, see
//! [`crate::core::planner::plan_from_scratch`]), shaped into a format-neutral [`Blueprint`], and
//! written as a CloudFormation template or a Terraform configuration from the templates in
//! `assets/export/`. What already exists (the OIDC provider above all) is learnt from a read-only
//! plan against the live services ([`Facts`]); without it the export says so and creates
//! everything.

mod cloudformation;
mod facts;
pub mod hcl;
mod header;
mod model;
mod subjects;
mod templates;
mod terraform;
pub mod yaml;

pub use facts::{read_facts, Facts, ProviderFact};
pub use model::{Blueprint, ExportNote, RolePlan, Scope, VariablePlan, VariableValue, VarsetPlan};
pub use subjects::{NameRef, Part, SubjectTemplate, TemplateKind};

use crate::core::answers::Answers;
use crate::core::error::PlanError;
use std::path::Path;

/// The code an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// An AWS CloudFormation template in YAML.
    CloudFormation,
    /// A Terraform configuration (the `aws` and `tfe` providers).
    Terraform,
}

impl ExportFormat {
    /// The format a file name asks for: `.tf` is Terraform; `.yaml`, `.yml` and `.template` are
    /// CloudFormation.
    pub fn from_path(path: &Path) -> Option<ExportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "tf" => Some(ExportFormat::Terraform),
            "yaml" | "yml" | "template" => Some(ExportFormat::CloudFormation),
            _ => None,
        }
    }

    /// How the format is called in messages.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::CloudFormation => "CloudFormation",
            ExportFormat::Terraform => "Terraform",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::CloudFormation => "yaml",
            ExportFormat::Terraform => "tf",
        }
    }

    /// The other format (the wizard's toggle).
    pub fn other(self) -> ExportFormat {
        match self {
            ExportFormat::CloudFormation => ExportFormat::Terraform,
            ExportFormat::Terraform => ExportFormat::CloudFormation,
        }
    }
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("cannot render the {format} template: {detail}")]
    Template {
        format: &'static str,
        detail: String,
    },
}

/// The export of `answers` in `format`, given what exists (`facts`). Pure.
pub fn render(
    format: ExportFormat,
    answers: &Answers,
    facts: &Facts,
) -> Result<String, ExportError> {
    let blueprint = Blueprint::new(answers, facts)?;
    let text = match format {
        ExportFormat::CloudFormation => cloudformation::render(&blueprint),
        ExportFormat::Terraform => terraform::render(&blueprint),
    };
    text.map_err(|e| ExportError::Template {
        format: format.name(),
        detail: format!("{e:#}"),
    })
}

/// Writes an export to `path`. Without `overwrite`, an existing file is never touched (the
/// error is then [`std::io::ErrorKind::AlreadyExists`]).
pub fn write_file(path: &Path, text: &str, overwrite: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// `text` safe inside a one-line comment: control characters (a newline above all) escaped.
pub(crate) fn comment_safe(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::answers::{TargetChoice, WorkspaceSelection};

    fn answers(workspaces: WorkspaceSelection) -> Answers {
        let mut a = Answers::new("tfe.example.com", "acme", "platform", workspaces);
        a.permissions.none = true;
        a
    }

    fn both(a: &Answers, facts: &Facts) -> (String, String) {
        (
            render(ExportFormat::CloudFormation, a, facts).unwrap(),
            render(ExportFormat::Terraform, a, facts).unwrap(),
        )
    }

    #[test]
    fn no_thumbprint_unless_one_was_given() {
        let mut a = answers(WorkspaceSelection::Named(vec!["net".into()]));
        let facts = Facts::unread(&a, "offline");
        let (cfn, tf) = both(&a, &facts);
        assert!(!cfn.contains("ThumbprintList"), "{cfn}");
        assert!(!tf.contains("thumbprint_list"), "{tf}");
        a.thumbprints = vec!["9e99a48a9960b14926bb7f3b02e22da2b0ab7280".into()];
        let (cfn, tf) = both(&a, &facts);
        assert!(
            cfn.contains("ThumbprintList:\n        - \"9e99a48a9960b14926bb7f3b02e22da2b0ab7280\""),
            "{cfn}"
        );
        assert!(
            tf.contains("thumbprint_list = [\"9e99a48a9960b14926bb7f3b02e22da2b0ab7280\"]"),
            "{tf}"
        );
    }

    #[test]
    fn offline_exports_create_the_provider_and_say_why() {
        let a = answers(WorkspaceSelection::All);
        let facts = Facts::unread(&a, "no token");
        let (cfn, tf) = both(&a, &facts);
        assert!(
            cfn.contains("# AWS and HCP Terraform were not read (no token)"),
            "{cfn}"
        );
        assert!(
            cfn.contains("    Default: \"\"\n"),
            "an empty OIDCProviderArn:\n{cfn}"
        );
        assert!(
            !cfn.contains("WorkspaceName"),
            "no workspace parameters for the whole project"
        );
        assert!(cfn.contains("Fn::Sub: \"organization:${OrganizationName}:project:${ProjectName}:workspace:*:run_phase:*\""), "{cfn}");
        assert!(tf.contains("resource \"aws_iam_openid_connect_provider\" \"hcp_terraform\""));
        assert!(
            tf.contains("for_each     = data.tfe_project.selected.workspace_names"),
            "{tf}"
        );
        assert!(!tf.contains("variable \"workspaces\""), "{tf}");
        assert!(
            !tf.contains("aws_iam_role_policy"),
            "--no-policy: no permissions\n{tf}"
        );
    }

    #[test]
    fn a_variable_set_is_attached_where_setup_attaches_it() {
        let mut a = answers(WorkspaceSelection::All);
        a.target = TargetChoice::VariableSet {
            name: "oidc \"set\"".into(),
        };
        a.audience = "custom.aud".into();
        let (_, tf) = both(&a, &Facts::unread(&a, "offline"));
        assert!(
            tf.contains("resource \"tfe_project_variable_set\" \"aws_oidc\""),
            "{tf}"
        );
        assert!(tf.contains("name         = \"oidc \\\"set\\\"\""), "{tf}");
        assert!(
            tf.contains("key         = \"TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE\""),
            "{tf}"
        );
        assert!(!tf.contains("tfe_workspace_variable_set"), "{tf}");
    }

    #[test]
    fn an_unread_stack_is_written_from_the_flags() {
        let stack = |deployments: &[&str]| {
            answers(WorkspaceSelection::Stack {
                name: "net-stack".into(),
                deployments: deployments.iter().map(|d| d.to_string()).collect(),
            })
        };
        let a = stack(&[]);
        let (cfn, tf) = both(&a, &Facts::unread(&a, "offline"));
        for text in [&cfn, &tf] {
            assert!(text.contains("#   identity_token \"aws\" {"), "{text}");
            assert!(
                text.contains("# The Stack was not read, so its deployments are not known"),
                "{text}"
            );
            assert!(!text.contains("TFC_AWS"), "{text}");
        }
        assert!(
            tf.contains("stack:${var.stack}:deployment:*:operation:*"),
            "{tf}"
        );
        assert!(tf.starts_with("# HCP Terraform OIDC for acme / platform on tfe.example.com: the IAM OIDC provider, role and permissions.\n"), "{tf}");
        assert!(!tf.contains("variable \"deployments\""), "{tf}");
        assert!(cfn.contains("  StackName:\n"), "{cfn}");

        let a = stack(&["prod"]);
        let (cfn, tf) = both(&a, &Facts::unread(&a, "offline"));
        assert!(cfn.contains("#   deployment \"prod\" {"), "{cfn}");
        assert!(!cfn.contains("were not known"), "{cfn}");
        assert!(
            cfn.contains("deployment:${DeploymentName}:operation:*"),
            "{cfn}"
        );
        assert!(tf.contains("[for deployment in var.deployments :"), "{tf}");
        assert!(tf.contains("output \"tfdeploy_hcl\""), "{tf}");
    }

    #[test]
    fn formats_from_file_names() {
        let f = |p: &str| ExportFormat::from_path(Path::new(p));
        assert_eq!(f("oidc.tf"), Some(ExportFormat::Terraform));
        assert_eq!(f("a/b/oidc.YAML"), Some(ExportFormat::CloudFormation));
        assert_eq!(f("oidc.yml"), Some(ExportFormat::CloudFormation));
        assert_eq!(f("oidc.json"), None);
        assert_eq!(f("oidc"), None);
        assert_eq!(comment_safe("a\nb\u{1b}"), "a\\nb\\u{1b}");
    }
}
