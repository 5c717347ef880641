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
mod model;
mod subjects;
mod templates;
mod terraform;
pub mod yaml;

pub use facts::{read_facts, Facts, ProviderFact};
pub use model::{Blueprint, Note, RolePlan, Scope, VariablePlan, VariableValue, VarsetPlan};
pub use subjects::{NameRef, Part, SubjectTemplate};

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
