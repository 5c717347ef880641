//! The least permissions each command needs: an IAM policy document for the AWS credentials and
//! the HCP Terraform token's permissions, both computed from [`table`] (which port calls a
//! command can make, and what each call needs), so they cannot drift from the code.

mod table;

pub use table::{command_calls, port_call, On, PortCall, COMMANDS, PORT_CALLS};

use serde::Serialize;
use serde_json::{json, Value};

/// What one command needs on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct Requirements {
    pub command: String,
    /// Whether the command only reads.
    pub read_only: bool,
    /// The IAM policy document for the AWS credentials (`null` when it calls no AWS API).
    pub aws_policy: Value,
    /// The HCP Terraform token's permissions, in HashiCorp's words.
    pub tfc_permissions: Vec<&'static str>,
}

/// The requirements of `command`, or `None` for a command `permissions` does not know.
pub fn requirements(command: &str) -> Option<Requirements> {
    let calls: Vec<&PortCall> = command_calls(command)?
        .into_iter()
        .filter_map(port_call)
        .collect();
    let mut tfc: Vec<&'static str> = calls.iter().filter_map(|c| c.tfc).collect();
    tfc.sort_unstable();
    tfc.dedup();
    Some(Requirements {
        command: command.to_string(),
        read_only: calls.iter().all(|c| !c.write),
        aws_policy: aws_policy(command, &calls),
        tfc_permissions: tfc,
    })
}

/// One statement per kind of resource, each naming only that kind's ARNs.
fn aws_policy(command: &str, calls: &[&PortCall]) -> Value {
    let mut by_resource: Vec<(On, Vec<&str>)> = Vec::new();
    for call in calls.iter().filter(|c| !c.aws.is_empty()) {
        match by_resource.iter_mut().find(|(on, _)| *on == call.on) {
            Some((_, actions)) => actions.extend(call.aws),
            None => by_resource.push((call.on, call.aws.to_vec())),
        }
    }
    if by_resource.is_empty() {
        return Value::Null;
    }
    by_resource.sort_by_key(|(on, _)| *on);
    let statements: Vec<Value> = by_resource
        .into_iter()
        .map(|(on, mut actions)| {
            actions.sort_unstable();
            actions.dedup();
            json!({
                "Sid": format!("TfcOidc{}{}", title(command), sid(on)),
                "Effect": "Allow",
                "Action": actions,
                "Resource": resource(on),
            })
        })
        .collect();
    json!({ "Version": "2012-10-17", "Statement": statements })
}

fn resource(on: On) -> &'static str {
    match on {
        On::Any => "*",
        On::Role => "arn:aws:iam::*:role/*",
        On::OidcProvider => "arn:aws:iam::*:oidc-provider/*",
        On::User => "arn:aws:iam::*:user/*",
        On::Group => "arn:aws:iam::*:group/*",
        On::Policy => "arn:aws:iam::*:policy/*",
    }
}

fn sid(on: On) -> &'static str {
    match on {
        On::Any => "Lists",
        On::Role => "Roles",
        On::OidcProvider => "OidcProviders",
        On::User => "AccessKeys",
        On::Group => "Groups",
        On::Policy => "ManagedPolicies",
    }
}

fn title(command: &str) -> String {
    let mut chars = command.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

#[cfg(test)]
mod tests;
