//! `export` against the demo sandbox: the trust policies of the exported CloudFormation and
//! Terraform, evaluated with their parameters' and variables' defaults, are exactly the
//! documents `setup` creates for the same answers; the Terraform parses with a real HCL parser
//! and uses current resource forms; and (with the test virtualenv) cfn-lint finds no error and
//! checkov no failed check in the exports of several flag combinations.

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tfc_oidc::core::answers::{Answers, TargetChoice, WorkspaceSelection};
use tfc_oidc::core::plan::{Change, Plan};
use tfc_oidc::core::planner;
use tfc_oidc::core::ports::{Iam, NewOidcProvider};
use tfc_oidc::export::{read_facts, render, ExportFormat, Facts};
use tfc_oidc::sandbox::Sandbox;

const HOST: &str = "app.terraform.io";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// A named set of answers over the demo organization `acme-corp`.
struct Case {
    name: &'static str,
    answers: Answers,
}

fn case(
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

fn cases() -> Vec<Case> {
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
    ]
}

/// What `setup` plans for `answers` on `sandbox`, and the facts an export reads there.
async fn setup_plan(sandbox: &Sandbox, answers: &Answers) -> (Plan, Facts) {
    let plan = planner::plan(answers, sandbox.iam.as_ref(), sandbox.tfc.as_ref())
        .await
        .expect("plan");
    let facts = read_facts(answers, sandbox.iam.as_ref(), sandbox.tfc.as_ref())
        .await
        .expect("facts");
    (plan, facts)
}

/// The trust policy of each role `setup` would create.
fn setup_documents(plan: &Plan) -> Vec<(String, Value)> {
    plan.changes
        .iter()
        .filter_map(|c| match &c.change {
            Change::CreateRole {
                name, trust_policy, ..
            } => Some((name.clone(), trust_policy.clone())),
            _ => None,
        })
        .collect()
}

// --- CloudFormation: a small evaluator of the intrinsics the export uses ---

struct Stack {
    template: Value,
    parameters: HashMap<String, String>,
    /// What `Ref` of a resource returns (the provider's ARN, as CloudFormation would).
    resources: HashMap<String, String>,
}

impl Stack {
    fn new(text: &str, provider_arn: &str) -> Stack {
        let template: Value = serde_norway::from_str(text).expect("the template is YAML");
        let parameters = template["Parameters"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, p)| (k.clone(), p["Default"].as_str().unwrap().to_string()))
            .collect();
        let resources = HashMap::from([("OIDCProvider".to_string(), provider_arn.to_string())]);
        Stack {
            template,
            parameters,
            resources,
        }
    }

    fn condition(&self, name: &str) -> bool {
        let c = self.eval(&self.template["Conditions"][name]);
        c.as_bool().expect("a condition is a boolean")
    }

    fn eval(&self, v: &Value) -> Value {
        match v {
            Value::Object(map) if map.len() == 1 => {
                let (k, arg) = map.iter().next().unwrap();
                match k.as_str() {
                    "Ref" => {
                        let name = arg.as_str().unwrap();
                        let value = self
                            .parameters
                            .get(name)
                            .or_else(|| self.resources.get(name))
                            .unwrap_or_else(|| panic!("Ref {name} resolves to nothing"));
                        json!(value)
                    }
                    "Fn::Sub" => {
                        let mut text = arg.as_str().unwrap().to_string();
                        for (name, value) in &self.parameters {
                            text = text.replace(&format!("${{{name}}}"), value);
                        }
                        assert!(!text.contains("${") || text.contains("${!"), "{text}");
                        json!(text.replace("${!", "${"))
                    }
                    "Fn::If" => {
                        let list = arg.as_array().unwrap();
                        let pick = if self.condition(list[0].as_str().unwrap()) {
                            &list[1]
                        } else {
                            &list[2]
                        };
                        self.eval(pick)
                    }
                    "Fn::Equals" => {
                        let list = arg.as_array().unwrap();
                        json!(self.eval(&list[0]) == self.eval(&list[1]))
                    }
                    _ => {
                        Value::Object(map.iter().map(|(k, v)| (k.clone(), self.eval(v))).collect())
                    }
                }
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.eval(v)))
                    .collect::<Map<_, _>>(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.eval(i)).collect()),
            other => other.clone(),
        }
    }

    /// The trust policy of the role named `role`, evaluated.
    fn trust_of(&self, role: &str) -> Value {
        let resources = self.template["Resources"].as_object().unwrap();
        let found = resources
            .values()
            .find(|r| r["Properties"]["RoleName"] == json!(role))
            .unwrap_or_else(|| panic!("no role {role}"));
        self.eval(&found["Properties"]["AssumeRolePolicyDocument"])
    }
}

// --- Terraform: parsed with hcl-rs, evaluated with its evaluator ---

fn jsonencode(args: FuncArgs) -> Result<hcl::Value, String> {
    serde_json::to_string(&args[0])
        .map(hcl::Value::String)
        .map_err(|e| e.to_string())
}

fn labels(block: &hcl::Block) -> Vec<&str> {
    block.labels().iter().map(|l| l.as_str()).collect()
}

fn blocks<'a>(body: &'a hcl::Body, kind: &str, first: &str) -> Vec<&'a hcl::Block> {
    body.blocks()
        .filter(|b| b.identifier() == kind && labels(b).first() == Some(&first))
        .collect()
}

fn attribute<'a>(block: &'a hcl::Block, key: &str) -> Option<&'a hcl::Expression> {
    block
        .body()
        .attributes()
        .find(|a| a.key() == key)
        .map(|a| a.expr())
}

/// The variables' defaults, and references to the provider (resource or data source).
fn context(body: &hcl::Body, provider_arn: &str) -> Context<'static> {
    let mut vars = hcl::Map::new();
    for block in body.blocks().filter(|b| b.identifier() == "variable") {
        let default = attribute(block, "default").expect("every variable has a default");
        let value = default
            .evaluate(&Context::new())
            .expect("a literal default");
        vars.insert(labels(block)[0].to_string(), value);
    }
    let provider = hcl::value!({ hcp_terraform = { arn = (provider_arn) } });
    let mut ctx = Context::new();
    ctx.declare_var("var", hcl::Value::Object(vars));
    ctx.declare_var("aws_iam_openid_connect_provider", provider.clone());
    ctx.declare_var(
        "data",
        hcl::value!({ aws_iam_openid_connect_provider = (provider) }),
    );
    ctx.declare_func(
        "jsonencode",
        FuncDef::builder().param(ParamType::Any).build(jsonencode),
    );
    ctx
}

/// The trust policy of the `aws_iam_role` named `role`, evaluated.
fn terraform_trust(body: &hcl::Body, ctx: &Context, role: &str) -> Value {
    let block = blocks(body, "resource", "aws_iam_role")
        .into_iter()
        .find(|b| {
            attribute(b, "name").map(|e| e.evaluate(ctx).unwrap()) == Some(hcl::Value::from(role))
        })
        .unwrap_or_else(|| panic!("no aws_iam_role named {role}"));
    let text = attribute(block, "assume_role_policy")
        .unwrap()
        .evaluate(ctx)
        .expect("the trust policy evaluates");
    serde_json::from_str(text.as_str().expect("jsonencode gives a string")).unwrap()
}

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

// --- cfn-lint and checkov from the test virtualenv ---

/// `NAME` next to `$TFC_OIDC_PYTHON`, or `None` (skip, said so) when it is missing; under
/// `CI=true` a missing tool fails the test instead.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("TFC_OIDC_PYTHON")
        .map(PathBuf::from)
        .and_then(|python| python.parent().map(|dir| dir.join(name)))
        .filter(|path| path.exists());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} is missing next to $TFC_OIDC_PYTHON: scripts/test installs it"
        );
        eprintln!("skipped: {name} not found next to $TFC_OIDC_PYTHON (run scripts/test)");
    }
    found
}

/// Checkov checks allowed to fail, with why. None is needed for these exports.
const CHECKOV_EXCEPTIONS: &[(&str, &str)] = &[];

async fn write_exports(dir: &Path) -> Vec<PathBuf> {
    let mut templates = Vec::new();
    for case in cases() {
        let sandbox = Sandbox::demo();
        let (_, facts) = setup_plan(&sandbox, &case.answers).await;
        let cfn = dir.join(format!("{}.yaml", case.name));
        let text = render(ExportFormat::CloudFormation, &case.answers, &facts).unwrap();
        std::fs::write(&cfn, text).unwrap();
        templates.push(cfn);
        // One directory per configuration: Terraform reads a directory as one module.
        let module = dir.join(case.name);
        std::fs::create_dir_all(&module).unwrap();
        let text = render(ExportFormat::Terraform, &case.answers, &facts).unwrap();
        std::fs::write(module.join("main.tf"), text).unwrap();
        // The same answers when nothing could be read.
        let offline = Facts::unread(&case.answers, "offline");
        let text = render(ExportFormat::CloudFormation, &case.answers, &offline).unwrap();
        let path = dir.join(format!("{}-offline.yaml", case.name));
        std::fs::write(&path, text).unwrap();
        templates.push(path);
    }
    templates
}

#[tokio::test]
async fn cfn_lint_and_checkov_accept_the_exports() {
    let (Some(cfn_lint), Some(checkov)) = (tool("cfn-lint"), tool("checkov")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let templates = write_exports(dir.path()).await;

    let out = Command::new(&cfn_lint)
        .args(&templates)
        .output()
        .expect("run cfn-lint");
    let report = String::from_utf8_lossy(&out.stdout);
    // cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational.
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code >= 0 && code & 2 == 0,
        "cfn-lint found errors:\n{report}"
    );
    assert_eq!(code, 0, "cfn-lint found warnings:\n{report}");

    let out = Command::new(&checkov)
        .args(["--directory"])
        .arg(dir.path())
        .args(["--framework", "terraform", "cloudformation"])
        .args([
            "--output",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
        ])
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .expect("run checkov");
    let text = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "checkov printed no JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let reports = match report {
        Value::Array(list) => list,
        one => vec![one],
    };
    let mut kinds = Vec::new();
    for r in &reports {
        kinds.push(r["check_type"].as_str().unwrap_or_default().to_string());
        assert_eq!(r["summary"]["parsing_errors"], json!(0), "{r}");
        let failed: Vec<String> = r["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                !CHECKOV_EXCEPTIONS
                    .iter()
                    .any(|(id, _)| c["check_id"] == json!(id))
            })
            .map(|c| {
                format!(
                    "{} {} in {}",
                    c["check_id"], c["check_name"], c["file_path"]
                )
            })
            .collect();
        assert!(
            failed.is_empty(),
            "checkov failed checks:\n{}",
            failed.join("\n")
        );
    }
    kinds.sort();
    assert_eq!(kinds, ["cloudformation", "terraform"]);
}
