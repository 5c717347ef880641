//! Evaluating exported code back into the documents it stands for: CloudFormation's intrinsic
//! functions with the parameters' defaults, and Terraform with hcl-rs's evaluator.

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

// --- CloudFormation: a small evaluator of the intrinsics the export uses ---

pub struct Stack {
    pub template: Value,
    pub parameters: HashMap<String, String>,
    /// What `Ref` of a resource returns (the provider's ARN, as CloudFormation would).
    resources: HashMap<String, String>,
}

impl Stack {
    pub fn new(text: &str, provider_arn: &str) -> Stack {
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

    pub fn condition(&self, name: &str) -> bool {
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
    pub fn trust_of(&self, role: &str) -> Value {
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

pub fn blocks<'a>(body: &'a hcl::Body, kind: &str, first: &str) -> Vec<&'a hcl::Block> {
    body.blocks()
        .filter(|b| b.identifier() == kind && labels(b).first() == Some(&first))
        .collect()
}

pub fn attribute<'a>(block: &'a hcl::Block, key: &str) -> Option<&'a hcl::Expression> {
    block
        .body()
        .attributes()
        .find(|a| a.key() == key)
        .map(|a| a.expr())
}

/// The variables' defaults, and references to the provider (resource or data source).
pub fn context(body: &hcl::Body, provider_arn: &str) -> Context<'static> {
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
pub fn terraform_trust(body: &hcl::Body, ctx: &Context, role: &str) -> Value {
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
