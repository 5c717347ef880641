//! `export` against the demo sandbox: the trust policies of the exported CloudFormation and
//! Terraform, evaluated with their parameters' and variables' defaults, are exactly the
//! documents `setup` creates for the same answers; the Terraform parses with a real HCL parser
//! and uses current resource forms; and (with the test virtualenv) cfn-lint finds no error and
//! checkov no failed check in the exports of several flag combinations.

mod evaluate;
mod guardrail;
mod lint;
mod trust;

use serde_json::Value;
use tfc_oidc::core::answers::{Answers, TargetChoice, WorkspaceSelection};
use tfc_oidc::core::change::CreateRole;
use tfc_oidc::core::plan::{Change, Plan};
use tfc_oidc::core::planner;
use tfc_oidc::export::{read_facts, Facts};
use tfc_oidc::sandbox::Sandbox;

pub const HOST: &str = "app.terraform.io";
pub const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// A named set of answers over the demo organization `acme-corp`.
pub struct Case {
    pub name: &'static str,
    pub answers: Answers,
}

pub fn case(
    name: &'static str,
    project: &str,
    workspaces: &[&str],
    change: impl FnOnce(&mut Answers),
) -> Case {
    let selection = if workspaces.is_empty() {
        WorkspaceSelection::All
    } else {
        WorkspaceSelection::Named(workspaces.iter().map(|w| w.to_string()).collect())
    };
    let mut answers = Answers::new(HOST, "acme-corp", project, selection);
    answers
        .permissions
        .managed_policy_arns
        .push(READ_ONLY.into());
    change(&mut answers);
    Case { name, answers }
}

pub fn cases() -> Vec<Case> {
    vec![
        case("one-workspace", "platform", &["network-prod"], |_| {}),
        case(
            "split-roles-two-workspaces",
            "platform",
            &["network-prod", "network-staging"],
            |a| {
                a.split_roles = true;
                a.permissions.inline_policy = Some(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::state-bucket/${aws:username}/*"}]}"#
                        .into(),
                );
            },
        ),
        case("all-workspaces-custom-audience-varset", "data", &[], |a| {
            a.audience = "tfc.example.audience".into();
            a.target = TargetChoice::VariableSet {
                name: "aws-oidc-data".into(),
            };
        }),
        case(
            "default-project-split-varset-thumbprint",
            "Default Project",
            &["sandbox"],
            |a| {
                a.split_roles = true;
                a.thumbprints = vec!["9e99a48a9960b14926bb7f3b02e22da2b0ab7280".into()];
                a.target = TargetChoice::VariableSet {
                    name: "aws-oidc-sandbox".into(),
                };
            },
        ),
        case("all-workspaces-on-each-workspace", "platform", &[], |a| {
            a.split_roles = true;
        }),
        case(
            "alias-two-workspaces",
            "platform",
            &["network-prod", "network-staging"],
            |a| a.alias = Some("STAGING".into()),
        ),
    ]
}

/// The demo Stack `network-stack` of `acme-corp/platform` (deployments `staging` and
/// `production`), with every deployment or the chosen ones.
pub fn stack_case(name: &'static str, deployments: &[&str]) -> Case {
    case(name, "platform", &[], |a| {
        a.workspaces = WorkspaceSelection::Stack {
            name: "network-stack".into(),
            deployments: deployments.iter().map(|d| d.to_string()).collect(),
        };
    })
}

/// The Stack cases: every deployment, one, and two.
pub fn stack_cases() -> Vec<Case> {
    vec![
        stack_case("stack-every-deployment", &[]),
        stack_case("stack-one-deployment", &["production"]),
        stack_case("stack-two-deployments", &["staging", "production"]),
    ]
}

/// Every case: the workspace cases and the Stack cases.
pub fn all_cases() -> Vec<Case> {
    let mut all = cases();
    all.extend(stack_cases());
    all
}

/// What `setup` plans for `answers` on `sandbox`, and the facts an export reads there.
pub async fn setup_plan(sandbox: &Sandbox, answers: &Answers) -> (Plan, Facts) {
    let plan = planner::plan(answers, sandbox.iam.as_ref(), sandbox.tfc.as_ref())
        .await
        .expect("plan");
    let facts = read_facts(answers, sandbox.iam.as_ref(), sandbox.tfc.as_ref())
        .await
        .expect("facts");
    (plan, facts)
}

/// The trust policy of each role `setup` would create.
pub fn setup_documents(plan: &Plan) -> Vec<(String, Value)> {
    plan.changes
        .iter()
        .filter_map(|c| match &c.change {
            Change::CreateRole(CreateRole {
                name, trust_policy, ..
            }) => Some((name.clone(), trust_policy.clone())),
            _ => None,
        })
        .collect()
}
