//! The templates of `assets/export/`, compiled into the binary and rendered with minijinja.
//! Values go in through two filters that write them safely: `yaml(indent)` (block YAML, strings
//! quoted where YAML could misread them) and `hcl` (an HCL literal); expressions the renderers
//! build (references, `jsonencode(...)` bodies) go in as they are. Nothing is auto-escaped.

use super::{hcl, yaml};
use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;

/// The CloudFormation template.
pub const CLOUDFORMATION: &str = include_str!("../../assets/export/cloudformation.yaml.j2");
/// The Terraform configuration.
pub const TERRAFORM: &str = include_str!("../../assets/export/terraform.tf.j2");

fn json(value: &Value) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))
}

fn yaml_filter(value: Value, indent: usize) -> Result<String, Error> {
    Ok(yaml::value(&json(&value)?, indent))
}

fn hcl_filter(value: Value) -> Result<String, Error> {
    Ok(hcl::expr(&json(&value)?, 0, &|_| None))
}

fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_filter("yaml", yaml_filter);
    env.add_filter("hcl", hcl_filter);
    Ok(env)
}

/// Renders `source` (one of the templates above) with `context`.
pub fn render<C: Serialize>(
    name: &'static str,
    source: &'static str,
    context: &C,
) -> Result<String, Error> {
    let mut env = environment()?;
    env.add_template(name, source)?;
    env.get_template(name)?
        .render(Value::from(minijinja::value::Serde(context)))
}
