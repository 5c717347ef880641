//! `tfc-oidc guardrail` as a user runs it: the policy JSON evaluated by our own evaluator
//! (our organizations pass, another organization and a token without `sub` are denied, another
//! issuer's token is untouched); the Terraform parsed and evaluated by hcl-rs back into the same
//! policy; the CloudFormation accepted by cfn-lint and holding the same policy.

use crate::evaluate::{attribute, blocks};
use crate::lint::tool;
use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use serde_json::Value;
use std::process::Command;
use tfc_oidc::core::trust::{evaluate, Claims, PolicyDocument};

fn guardrail(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_tfc-oidc"))
        .arg("guardrail")
        .args(args)
        .env("HOME", home.path())
        .env_remove("TFE_HOSTNAME")
        .env_remove("TFE_ADDRESS")
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = guardrail(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn claims(host: &str, sub: &str) -> Claims {
    Claims {
        host: host.into(),
        provider_arn: format!("arn:aws:iam::123456789012:oidc-provider/{host}"),
        aud: "aws.workload.identity".into(),
        sub: sub.into(),
    }
}

fn denies(policy: &PolicyDocument, host: &str, sub: &str) -> bool {
    evaluate(policy, &claims(host, sub)).denied_by().is_some()
}

const ACME: &str = "organization:acme:project:Default Project:workspace:net:run_phase:apply";
const STRANGER: &str = "organization:stranger:project:Default Project:workspace:net:run_phase:plan";

#[test]
fn the_policy_admits_only_our_organizations_through_the_issuer() {
    let text = stdout(&["--org", "acme", "--org", "acme-labs"]);
    let policy = PolicyDocument::parse(&text).unwrap();
    let host = "app.terraform.io";
    assert!(!denies(&policy, host, ACME));
    assert!(!denies(
        &policy,
        host,
        &ACME.replace(":acme:", ":acme-labs:")
    ));
    assert!(denies(&policy, host, STRANGER));
    assert!(denies(
        &policy,
        host,
        &ACME.replace(":acme:", ":acme-evil:")
    ));
    assert!(denies(&policy, host, ""), "a token without sub");
    let github = "repo:octo-org/app:ref:refs/heads/main";
    assert!(!denies(
        &policy,
        "token.actions.githubusercontent.com",
        github
    ));
    let eks = "system:serviceaccount:default:app";
    assert!(!denies(
        &policy,
        "oidc.eks.us-east-1.amazonaws.com/id/ABC",
        eks
    ));
}

#[test]
fn keys_follow_the_hosts_named() {
    let text = stdout(&["--org", "acme", "--hostname", "app.eu.terraform.io"]);
    assert!(text.contains("\"app.eu.terraform.io:sub\""), "{text}");
    assert!(!text.contains("\"app.terraform.io:sub\""), "{text}");
    let text = stdout(&[
        "--org",
        "acme",
        "--host",
        "app.terraform.io",
        "--host",
        "tfe.corp.example",
    ]);
    let policy = PolicyDocument::parse(&text).unwrap();
    assert!(denies(&policy, "tfe.corp.example", STRANGER));
    assert!(denies(&policy, "app.terraform.io", STRANGER));
    assert!(!denies(&policy, "tfe.corp.example", ACME));
}

#[test]
fn bad_input_is_a_usage_error() {
    let out = guardrail(&["--org", "not an org"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = guardrail(&[]);
    assert_eq!(out.status.code(), Some(2), "--org is required");
}

fn jsonencode(args: FuncArgs) -> Result<hcl::Value, String> {
    serde_json::to_string(&args[0])
        .map(hcl::Value::String)
        .map_err(|e| e.to_string())
}

#[test]
fn terraform_is_an_rcp_resource_holding_the_same_policy() {
    let json: Value = serde_json::from_str(&stdout(&["--org", "acme"])).unwrap();
    let text = stdout(&["--org", "acme", "--format", "terraform"]);
    let body: hcl::Body = hcl::from_str(&text).expect("the Terraform parses");
    let policy = blocks(&body, "resource", "aws_organizations_policy");
    assert_eq!(policy.len(), 1, "{text}");
    let mut ctx = Context::new();
    ctx.declare_func(
        "jsonencode",
        FuncDef::builder().param(ParamType::Any).build(jsonencode),
    );
    let kind = attribute(policy[0], "type")
        .unwrap()
        .evaluate(&ctx)
        .unwrap();
    assert_eq!(kind, hcl::Value::from("RESOURCE_CONTROL_POLICY"));
    let content = attribute(policy[0], "content")
        .unwrap()
        .evaluate(&ctx)
        .unwrap();
    let content: Value = serde_json::from_str(content.as_str().unwrap()).unwrap();
    assert_eq!(content, json);
    assert!(text.contains("# resource \"aws_organizations_policy_attachment\""));
}

#[test]
fn cloudformation_passes_cfn_lint_and_holds_the_same_policy() {
    let json: Value = serde_json::from_str(&stdout(&["--org", "acme"])).unwrap();
    let text = stdout(&["--org", "acme", "--format", "cloudformation"]);
    let template: Value = serde_norway::from_str(&text).unwrap();
    let resource = &template["Resources"]["TfcOidcGuardrail"];
    assert_eq!(resource["Type"], "AWS::Organizations::Policy");
    assert_eq!(resource["Properties"]["Type"], "RESOURCE_CONTROL_POLICY");
    assert_eq!(resource["Properties"]["Content"], json);
    let Some(cfn_lint) = tool("cfn-lint") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guardrail.yaml");
    std::fs::write(&file, &text).unwrap();
    let out = Command::new(cfn_lint).arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
