//! `tfc-oidc guardrail`: prints the organization-wide resource control policy (see
//! `core::guardrail`) as policy JSON, as Terraform or as CloudFormation. Reads nothing and needs
//! no credentials: the output is for the organization's management account to apply.

use crate::cli::args::{GlobalArgs, GuardrailArgs, GuardrailFormat};
use crate::cli::error::CliError;
use crate::core::guardrail::{self, RCP_MAX_CHARS};
use crate::export::{hcl, yaml};
use serde_json::{json, Value};

/// The policy's name in AWS Organizations, and the resource names in the code.
const POLICY_NAME: &str = "tfc-oidc-guardrail";

pub fn run(global: &GlobalArgs, args: &GuardrailArgs) -> Result<(), CliError> {
    let hosts = hosts(global, args)?;
    let policy = guardrail::resource_control_policy(&hosts, &args.organizations)?;
    let description = description(&hosts, &args.organizations);
    let text = match args.format {
        GuardrailFormat::Json => serde_json::to_string_pretty(&policy).unwrap_or_default() + "\n",
        GuardrailFormat::Terraform => terraform(&policy, &description),
        GuardrailFormat::Cloudformation => cloudformation(&policy, &description),
    };
    print!("{text}");
    Ok(())
}

/// `--host` as given, else the one HCP Terraform host the global flags resolve to.
fn hosts(global: &GlobalArgs, args: &GuardrailArgs) -> Result<Vec<String>, CliError> {
    if !args.hosts.is_empty() {
        return Ok(args.hosts.clone());
    }
    let endpoint = global.connect_options().endpoint()?;
    Ok(vec![endpoint.host().to_string()])
}

fn description(hosts: &[String], organizations: &[String]) -> String {
    format!(
        "Only runs of {} may assume roles through {} (tfc-oidc guardrail)",
        crate::core::text::and_list(organizations),
        crate::core::text::and_list(hosts)
    )
}

fn terraform(policy: &Value, description: &str) -> String {
    let content = hcl::expr(policy, 2, &|_| None);
    format!(
        "# {description}.\n\
         # A resource control policy: apply it from the organization's management account (or a\n\
         # delegated administrator) once RCPs are enabled; it is at most {RCP_MAX_CHARS} characters.\n\
         resource \"aws_organizations_policy\" \"tfc_oidc_guardrail\" {{\n\
         \x20 name        = {name}\n\
         \x20 description = {desc}\n\
         \x20 type        = \"RESOURCE_CONTROL_POLICY\"\n\
         \x20 content     = jsonencode({content})\n\
         }}\n\
         \n\
         # Attach it where it must hold: the organization root (r-…), an OU (ou-…) or an account.\n\
         # resource \"aws_organizations_policy_attachment\" \"tfc_oidc_guardrail\" {{\n\
         #   policy_id = aws_organizations_policy.tfc_oidc_guardrail.id\n\
         #   target_id = \"r-examplerootid\"\n\
         # }}\n",
        name = hcl::string(POLICY_NAME),
        desc = hcl::string(description),
    )
}

fn cloudformation(policy: &Value, description: &str) -> String {
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description,
        "Parameters": {
            "TargetIds": {
                "Type": "CommaDelimitedList",
                "Default": "",
                "Description": "Where the guardrail holds: the organization root (r-...), OUs (ou-...) or account ids; empty creates it unattached"
            }
        },
        "Conditions": {
            "HasTargets": { "Fn::Not": [{ "Fn::Equals": [{ "Fn::Join": ["", { "Ref": "TargetIds" }] }, ""] }] }
        },
        "Resources": {
            "TfcOidcGuardrail": {
                "Type": "AWS::Organizations::Policy",
                "Properties": {
                    "Name": POLICY_NAME,
                    "Description": description,
                    "Type": "RESOURCE_CONTROL_POLICY",
                    "Content": policy,
                    "TargetIds": { "Fn::If": ["HasTargets", { "Ref": "TargetIds" }, { "Ref": "AWS::NoValue" }] }
                }
            }
        },
        "Outputs": {
            "PolicyId": { "Value": { "Ref": "TfcOidcGuardrail" } }
        }
    });
    let mut out = format!(
        "# {description}.\n# Deploy from the organization's management account once RCPs are enabled.\n"
    );
    yaml::block(&template, 0, &mut out);
    out
}
