//! The trust policies of both formats evaluate to `setup`'s documents; the Terraform uses
//! current resource forms.

use crate::evaluate::{attribute, blocks, context, terraform_trust, Stack};
use crate::{all_cases, case, cases, setup_documents, setup_plan, stack_cases, HOST};
use hcl::eval::{Context, Evaluate};
use tfc_oidc::core::answers::{TargetChoice, WorkspaceSelection};
use tfc_oidc::core::ports::{Iam, NewOidcProvider};
use tfc_oidc::export::{render, ExportFormat};
use tfc_oidc::sandbox::Sandbox;

#[tokio::test]
async fn exported_trust_policies_are_setups_documents() {
    for case in all_cases() {
        let sandbox = Sandbox::demo_without_review_roles();
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
    let sandbox = Sandbox::demo_without_review_roles();
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
        let sandbox = Sandbox::demo_without_review_roles();
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
        // Each role its own permissions (a split plan role ReadOnlyAccess by default).
        let roles = a
            .roles()
            .into_iter()
            .map(|(_, p)| a.permissions_for(p, "aws"));
        let (managed, inline): (Vec<bool>, Vec<bool>) = roles
            .map(|p| (!p.managed_policy_arns.is_empty(), p.inline_policy.is_some()))
            .unzip();
        let count = |v: &[bool]| v.iter().filter(|b| **b).count();
        let attachments = blocks(&body, "resource", "aws_iam_role_policy_attachment");
        assert_eq!(attachments.len(), count(&managed), "{}", case.name);
        let puts = blocks(&body, "resource", "aws_iam_role_policy");
        assert_eq!(puts.len(), count(&inline), "{}", case.name);
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

/// A Stack: its name (and the chosen deployments) as parameters and variables, nothing of HCP
/// Terraform in the code, and the `.tfdeploy.hcl` text setup shows, the role referred to.
#[tokio::test]
async fn stacks_take_parameters_and_no_variables() {
    for case in stack_cases() {
        let WorkspaceSelection::Stack { deployments, .. } = &case.answers.workspaces else {
            unreachable!("a Stack case");
        };
        let sandbox = Sandbox::demo_without_review_roles();
        let (plan, facts) = setup_plan(&sandbox, &case.answers).await;
        assert!(plan.variables.is_empty(), "{}", case.name);
        let config = plan
            .deployment_config
            .clone()
            .expect("setup shows the text");

        let cfn = render(ExportFormat::CloudFormation, &case.answers, &facts).unwrap();
        let stack = Stack::new(&cfn, &plan.provider_arn);
        assert_eq!(stack.parameters["StackName"], "network-stack");
        let deployment_params: Vec<&String> = stack
            .parameters
            .keys()
            .filter(|k| k.starts_with("DeploymentName"))
            .collect();
        assert_eq!(deployment_params.len(), deployments.len(), "{}", case.name);
        for d in deployments {
            assert!(stack.parameters.values().any(|v| v == d), "{}", case.name);
        }
        assert!(
            !cfn.contains("TFC_AWS"),
            "{}: no variables\n{cfn}",
            case.name
        );
        assert!(cfn.contains("#   deployment \"production\" {"), "{cfn}");
        assert!(
            cfn.contains("#       role_arn       = \"<the RunRoleArn output>\""),
            "{cfn}"
        );
        let arn = &plan.roles[0].arn;
        assert!(!cfn.contains(arn.as_str()), "no ARN is printed\n{cfn}");

        let tf = render(ExportFormat::Terraform, &case.answers, &facts).unwrap();
        let body = hcl::parse(&tf).unwrap_or_else(|e| panic!("{}: {e}\n{tf}", case.name));
        assert!(!tf.contains("tfe_"), "{}: nothing of tfe\n{tf}", case.name);
        assert!(!tf.contains("provider \"tfe\""), "{tf}");
        let variables: Vec<String> = body
            .blocks()
            .filter(|b| b.identifier() == "variable")
            .map(|b| b.labels()[0].as_str().to_string())
            .collect();
        let mut expected = vec!["organization", "project", "stack"];
        if !deployments.is_empty() {
            expected.push("deployments");
        }
        assert_eq!(variables, expected, "{}", case.name);
        let output = blocks(&body, "output", "tfdeploy_hcl")[0];
        let mut ctx = context(&body, &plan.provider_arn);
        ctx.declare_var(
            "aws_iam_role",
            hcl::value!({ run = { arn = (arn.as_str()) } }),
        );
        let text = attribute(output, "value").unwrap().evaluate(&ctx).unwrap();
        assert_eq!(text.as_str(), Some(config.as_str()), "{}", case.name);
        assert!(tf.contains("#   deployment \"production\" {"), "{tf}");
    }
}

/// `--alias`: the trust is the untagged one, the variables carry the tag, and both formats say
/// what the workspaces' configuration needs for a tagged configuration.
#[tokio::test]
async fn an_alias_tags_the_variables_and_not_the_trust() {
    let tagged = case("alias", "platform", &["network-prod"], |a| {
        a.alias = Some("STAGING".into())
    });
    let plain = case("plain", "platform", &["network-prod"], |_| {});
    let sandbox = Sandbox::demo_without_review_roles();
    let (plan, facts) = setup_plan(&sandbox, &tagged.answers).await;
    let (plain_plan, _) = setup_plan(&sandbox, &plain.answers).await;
    assert_eq!(setup_documents(&plan), setup_documents(&plain_plan));

    let tf = render(ExportFormat::Terraform, &tagged.answers, &facts).unwrap();
    let body = hcl::parse(&tf).unwrap();
    let ctx = Context::new();
    let mut keys: Vec<String> = blocks(&body, "resource", "tfe_variable")
        .iter()
        .map(|v| {
            let key = attribute(v, "key").unwrap().evaluate(&ctx).unwrap();
            key.as_str().unwrap().to_string()
        })
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "TFC_AWS_PROVIDER_AUTH_STAGING",
            "TFC_AWS_RUN_ROLE_ARN_STAGING"
        ]
    );
    let needed = tfc_oidc::core::variables::dynamic_vars::terraform_for_tags(&["STAGING".into()]);
    let commented: String = needed
        .lines()
        .map(|l| {
            if l.is_empty() {
                "#\n".to_string()
            } else {
                format!("#   {l}\n")
            }
        })
        .collect();
    assert!(tf.contains(&commented), "{tf}");
    let cfn = render(ExportFormat::CloudFormation, &tagged.answers, &facts).unwrap();
    assert!(
        cfn.contains("#   TFC_AWS_PROVIDER_AUTH_STAGING = true"),
        "{cfn}"
    );
    assert!(cfn.contains(&commented), "{cfn}");

    let plain_tf = render(ExportFormat::Terraform, &plain.answers, &facts).unwrap();
    assert!(
        !plain_tf.contains("tfc_aws_dynamic_credentials"),
        "{plain_tf}"
    );
}
