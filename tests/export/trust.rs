//! The trust policies of both formats evaluate to `setup`'s documents; the Terraform uses
//! current resource forms.

use crate::evaluate::{attribute, blocks, context, terraform_trust, Stack};
use crate::{case, cases, setup_documents, setup_plan, HOST};
use hcl::eval::{Context, Evaluate};
use tfc_oidc::core::answers::{TargetChoice, WorkspaceSelection};
use tfc_oidc::core::ports::{Iam, NewOidcProvider};
use tfc_oidc::export::{render, ExportFormat};
use tfc_oidc::sandbox::Sandbox;

#[tokio::test]
async fn exported_trust_policies_are_setups_documents() {
    for case in cases() {
        let sandbox = Sandbox::demo();
        let (plan, facts) = setup_plan(&sandbox, &case.answers).await;
        let documents = setup_documents(&plan);
        assert_eq!(documents.len(), case.answers.roles().len(), "{}", case.name);

        let cfn = render(ExportFormat::CloudFormation, &case.answers, &facts).unwrap();
        let stack = Stack::new(&cfn, &plan.provider_arn);
        let tf = render(ExportFormat::Terraform, &case.answers, &facts).unwrap();
        let body = hcl::parse(&tf).unwrap_or_else(|e| panic!("{}: {e}\n{tf}", case.name));
        let ctx = context(&body, &plan.provider_arn);
        for (role, document) in &documents {
            assert_eq!(
                &stack.trust_of(role),
                document,
                "{} CloudFormation",
                case.name
            );
            assert_eq!(
                &terraform_trust(&body, &ctx, role),
                document,
                "{} Terraform",
                case.name
            );
        }
    }
}

/// With the provider in place, CloudFormation defaults to its ARN and Terraform reads it with a
/// data source; the trust still names it.
#[tokio::test]
async fn an_existing_provider_is_referred_to() {
    let sandbox = Sandbox::demo();
    let provider = NewOidcProvider {
        url: format!("https://{HOST}"),
        client_ids: vec!["aws.workload.identity".into()],
        thumbprints: vec![],
        tags: vec![],
    };
    let arn = sandbox.iam.create_oidc_provider(&provider).await.unwrap();
    let case = case("existing", "platform", &["dns"], |_| {});
    let (plan, facts) = setup_plan(&sandbox, &case.answers).await;
    let (role, document) = &setup_documents(&plan)[0];

    let cfn = render(ExportFormat::CloudFormation, &case.answers, &facts).unwrap();
    let stack = Stack::new(&cfn, "arn:of:a:provider:the:stack:would:create");
    assert_eq!(stack.parameters["OIDCProviderArn"], arn);
    assert!(!stack.condition("CreateOIDCProvider"));
    assert_eq!(&stack.trust_of(role), document);

    let tf = render(ExportFormat::Terraform, &case.answers, &facts).unwrap();
    let body = hcl::parse(&tf).unwrap();
    assert_eq!(
        blocks(&body, "data", "aws_iam_openid_connect_provider").len(),
        1
    );
    assert!(blocks(&body, "resource", "aws_iam_openid_connect_provider").is_empty());
    let ctx = context(&body, &arn);
    assert_eq!(&terraform_trust(&body, &ctx, role), document);
}

/// Provider versions, current resource forms, env variables and the attachments.
#[tokio::test]
async fn terraform_uses_current_resource_forms() {
    for case in cases() {
        let sandbox = Sandbox::demo();
        let (_, facts) = setup_plan(&sandbox, &case.answers).await;
        let tf = render(ExportFormat::Terraform, &case.answers, &facts).unwrap();
        let body = hcl::parse(&tf).unwrap();
        let terraform = body
            .blocks()
            .find(|b| b.identifier() == "terraform")
            .unwrap();
        let required = terraform
            .body()
            .blocks()
            .find(|b| b.identifier() == "required_providers")
            .unwrap();
        for provider in ["aws", "tfe"] {
            let spec = attribute(required, provider)
                .unwrap()
                .evaluate(&Context::new())
                .unwrap();
            let version = spec.as_object().unwrap()["version"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(version.contains('.'), "{provider} has a version constraint");
        }
        for role in blocks(&body, "resource", "aws_iam_role") {
            for deprecated in ["inline_policy", "managed_policy_arns"] {
                assert!(attribute(role, deprecated).is_none(), "{deprecated}");
                assert!(role.body().blocks().all(|b| b.identifier() != deprecated));
            }
        }
        let a = &case.answers;
        let attachments = blocks(&body, "resource", "aws_iam_role_policy_attachment");
        assert_eq!(attachments.len(), a.roles().len(), "{}", case.name);
        let inline = blocks(&body, "resource", "aws_iam_role_policy");
        let expected = if a.permissions.inline_policy.is_some() {
            a.roles().len()
        } else {
            0
        };
        assert_eq!(inline.len(), expected, "{}", case.name);
        let variables = blocks(&body, "resource", "tfe_variable");
        assert!(variables.len() >= 2, "{}", case.name);
        for v in &variables {
            let category = attribute(v, "category").unwrap().evaluate(&Context::new());
            assert_eq!(category.unwrap(), hcl::Value::from("env"));
        }
        let varset = blocks(&body, "resource", "tfe_variable_set");
        let on_workspaces = blocks(&body, "resource", "tfe_workspace_variable_set");
        let on_project = blocks(&body, "resource", "tfe_project_variable_set");
        match (&a.target, &a.workspaces) {
            (TargetChoice::Workspaces, _) => assert!(varset.is_empty()),
            (TargetChoice::VariableSet { .. }, WorkspaceSelection::All) => {
                assert_eq!((varset.len(), on_project.len()), (1, 1), "{}", case.name)
            }
            (TargetChoice::VariableSet { .. }, WorkspaceSelection::Named(_)) => {
                assert_eq!((varset.len(), on_workspaces.len()), (1, 1), "{}", case.name)
            }
            (TargetChoice::VariableSet { .. }, WorkspaceSelection::Stack { .. }) => {
                unreachable!("Stacks take no variables")
            }
        }
        for v in variables.iter().filter(|_| !varset.is_empty()) {
            assert!(attribute(v, "variable_set_id").is_some());
        }
        let thumbprint = blocks(&body, "resource", "aws_iam_openid_connect_provider")[0];
        assert_eq!(
            attribute(thumbprint, "thumbprint_list").is_some(),
            !a.thumbprints.is_empty(),
            "{}",
            case.name
        );
    }
}
