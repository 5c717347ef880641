//! Lines both formats put in the comment header of an export: quoted code, the Terraform a
//! tagged configuration needs, and the command that adds a missing audience.

use super::model::Blueprint;

/// A line of code quoted in the header, indented (an empty line stays empty).
pub(super) fn indent(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!("  {line}")
    }
}

/// For tagged variables (`--alias`): the Terraform the workspaces' configuration needs, after
/// a blank line; nothing otherwise.
pub(super) fn tagged_configuration(b: &Blueprint) -> Vec<String> {
    let Some(terraform) = b.tagged_configuration() else {
        return Vec::new();
    };
    let mut lines = vec![
        String::new(),
        "The Terraform configuration of these workspaces needs (HCP Terraform fills in the variable):".into(),
        String::new(),
    ];
    lines.extend(terraform.lines().map(indent));
    lines
}

/// What to do about an existing provider that lacks the audience.
pub(super) fn add_audience(arn: &str, audience: &str) -> String {
    format!(
        "The existing provider lacks the audience {audience}; add it first: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn {arn} --client-id {audience}"
    )
}
