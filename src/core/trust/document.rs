//! A lossless, typed view of an IAM policy document. The raw JSON is kept as it came (key order
//! included), so a document that is extended and written back keeps every field tfc-oidc does not
//! understand; the typed [`Statement`]s are read from it and re-read after every edit.

use serde_json::{Map, Value};
use std::fmt;

/// Why a policy document could not be read. A document that does not parse is never replaced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the policy document does not parse: {0}")]
pub struct PolicyParseError(pub String);

/// `Allow` or `Deny` (anything else makes the document unreadable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// Whether a statement lists the actions it covers or the ones it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actions {
    Action(Vec<String>),
    NotAction(Vec<String>),
}

/// Whether a statement lists its principals or the ones it excludes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    /// `"Principal": "*"` (or `{"AWS": "*"}`): everyone.
    Anyone,
    /// `"Principal": {"Federated": …, "AWS": …, "Service": …}`.
    Typed(Vec<(String, Vec<String>)>),
    NotPrincipal(Vec<(String, Vec<String>)>),
    /// No principal element (identity policies).
    None,
}

impl Principals {
    /// The `Federated` principals (OIDC provider ARNs).
    pub fn federated(&self) -> Vec<&str> {
        match self {
            Principals::Typed(list) => list
                .iter()
                .filter(|(kind, _)| kind == "Federated")
                .flat_map(|(_, v)| v.iter().map(String::as_str))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A set operator qualifier: `ForAnyValue:` or `ForAllValues:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

/// A condition operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// Exactly as written in the document.
    pub raw: String,
    pub qualifier: Option<SetQualifier>,
    /// The operator without qualifier and `IfExists`, e.g. `StringLike`.
    pub base: String,
    pub if_exists: bool,
}

impl Operator {
    pub fn parse(raw: &str) -> Operator {
        let (qualifier, rest) = if let Some(r) = raw.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else if let Some(r) = raw.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else {
            (None, raw)
        };
        // `Null` has no IfExists form; every other operator may carry the suffix.
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) if !b.is_empty() => (b, true),
            _ => (rest, false),
        };
        Operator {
            raw: raw.to_string(),
            qualifier,
            base: base.to_string(),
            if_exists,
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// One `operator → key → values` test of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: Operator,
    /// As written (IAM compares condition keys case-insensitively).
    pub key: String,
    /// Values as strings (IAM compares booleans and numbers by their text).
    pub values: Vec<String>,
}

impl Condition {
    /// Whether the key is `HOST:claim` (case-insensitive, as IAM compares keys).
    pub fn is_claim(&self, host: &str, claim: &str) -> bool {
        self.key.eq_ignore_ascii_case(&format!("{host}:{claim}"))
    }
}

/// One statement, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Position in the document's statement list.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub principals: Principals,
    pub actions: Actions,
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// The values of every condition on `HOST:claim` under operators whose base is `base`.
    pub fn claim_values(&self, host: &str, claim: &str, base: &str) -> Vec<&str> {
        self.conditions
            .iter()
            .filter(|c| c.is_claim(host, claim) && c.operator.base == base)
            .flat_map(|c| c.values.iter().map(String::as_str))
            .collect()
    }

    /// Whether any condition tests `HOST:claim`.
    pub fn tests_claim(&self, host: &str, claim: &str) -> bool {
        self.conditions.iter().any(|c| c.is_claim(host, claim))
    }

    /// An `Allow` for this federated principal (or anyone) that covers web-identity assumption.
    pub fn allows_web_identity_for(&self, provider_arn: &str) -> bool {
        self.effect == Effect::Allow
            && principal_matches(&self.principals, provider_arn)
            && action_matches(&self.actions, super::evaluate::WEB_IDENTITY_ACTION)
    }
}

/// A policy document: the raw JSON plus its typed statements.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    raw: Value,
    statements: Vec<Statement>,
}

impl PolicyDocument {
    /// Reads a document from JSON text.
    pub fn parse(text: &str) -> Result<PolicyDocument, PolicyParseError> {
        let raw: Value =
            serde_json::from_str(text).map_err(|e| PolicyParseError(format!("not JSON: {e}")))?;
        PolicyDocument::from_value(raw)
    }

    /// Reads a document from a JSON value.
    pub fn from_value(raw: Value) -> Result<PolicyDocument, PolicyParseError> {
        let statements = parse_statements(&raw)?;
        Ok(PolicyDocument { raw, statements })
    }

    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The document as JSON, exactly as read plus tfc-oidc's edits.
    pub fn as_value(&self) -> &Value {
        &self.raw
    }

    pub fn into_value(self) -> Value {
        self.raw
    }

    /// Compact JSON text, for IAM.
    pub fn to_json(&self) -> String {
        self.raw.to_string()
    }

    /// Statements that allow web-identity assumption through `provider_arn`.
    pub fn web_identity_statements<'a>(
        &'a self,
        provider_arn: &'a str,
    ) -> impl Iterator<Item = &'a Statement> + 'a {
        self.statements
            .iter()
            .filter(move |s| s.allows_web_identity_for(provider_arn))
    }

    /// Whether any statement names the provider as a federated principal (allow or deny).
    pub fn names_provider(&self, provider_arn: &str) -> bool {
        self.statements
            .iter()
            .any(|s| s.principals.federated().contains(&provider_arn))
    }

    /// Every `sub` pattern (StringLike and StringEquals, any qualifier) of allow statements for
    /// the provider.
    pub fn sub_patterns(&self, host: &str, provider_arn: &str) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.web_identity_statements(provider_arn) {
            for c in &s.conditions {
                if c.is_claim(host, "sub")
                    && matches!(c.operator.base.as_str(), "StringLike" | "StringEquals")
                {
                    out.extend(c.values.iter().cloned());
                }
            }
        }
        out
    }

    /// Every value of a `…:sub` condition (StringLike or StringEquals) in any statement, in
    /// document order: what a role's trust names, for display.
    pub fn subject_values(&self) -> Vec<String> {
        self.statements
            .iter()
            .flat_map(|s| s.conditions.iter())
            .filter(|c| {
                c.key.to_ascii_lowercase().ends_with(":sub")
                    && matches!(c.operator.base.as_str(), "StringLike" | "StringEquals")
            })
            .flat_map(|c| c.values.iter().cloned())
            .collect()
    }

    /// Runs `edit` on the raw statement list (turned into an array first) and re-reads the
    /// document. An edit that would make the document unreadable is refused.
    pub fn edit_statements(
        &mut self,
        edit: impl FnOnce(&mut Vec<Value>),
    ) -> Result<(), PolicyParseError> {
        let mut raw = self.raw.clone();
        let obj = raw
            .as_object_mut()
            .ok_or_else(|| PolicyParseError("the document is not an object".into()))?;
        let mut list = match obj.remove("Statement") {
            Some(Value::Array(a)) => a,
            Some(s @ Value::Object(_)) => vec![s],
            None => Vec::new(),
            Some(_) => return Err(PolicyParseError("Statement is not a list".into())),
        };
        edit(&mut list);
        obj.insert("Statement".into(), Value::Array(list));
        *self = PolicyDocument::from_value(raw)?;
        Ok(())
    }
}

fn strings(v: &Value, what: &str) -> Result<Vec<String>, PolicyParseError> {
    let one = |x: &Value| match x {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(PolicyParseError(format!(
            "{what} holds {x}, not a string or a list of strings"
        ))),
    };
    match v {
        Value::Array(a) => a.iter().map(one).collect(),
        x => Ok(vec![one(x)?]),
    }
}

fn principal_map(v: &Value, what: &str) -> Result<Vec<(String, Vec<String>)>, PolicyParseError> {
    match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| Ok((k.clone(), strings(v, what)?)))
            .collect(),
        Value::String(s) if s == "*" => Ok(vec![("AWS".into(), vec!["*".into()])]),
        x => Err(PolicyParseError(format!("{what} is {x}, not an object"))),
    }
}

fn parse_principals(stmt: &Map<String, Value>) -> Result<Principals, PolicyParseError> {
    if let Some(p) = stmt.get("Principal") {
        let typed = principal_map(p, "Principal")?;
        let anyone = typed
            .iter()
            .any(|(k, v)| k == "AWS" && v.iter().any(|x| x == "*"));
        return Ok(if anyone {
            Principals::Anyone
        } else {
            Principals::Typed(typed)
        });
    }
    if let Some(p) = stmt.get("NotPrincipal") {
        return Ok(Principals::NotPrincipal(principal_map(p, "NotPrincipal")?));
    }
    Ok(Principals::None)
}

fn parse_conditions(v: Option<&Value>) -> Result<Vec<Condition>, PolicyParseError> {
    let Some(v) = v else {
        return Ok(Vec::new());
    };
    let ops = v
        .as_object()
        .ok_or_else(|| PolicyParseError(format!("Condition is {v}, not an object")))?;
    let mut out = Vec::new();
    for (op, keys) in ops {
        let keys = keys.as_object().ok_or_else(|| {
            PolicyParseError(format!(
                "Condition operator {op} holds {keys}, not an object"
            ))
        })?;
        for (key, values) in keys {
            out.push(Condition {
                operator: Operator::parse(op),
                key: key.clone(),
                values: strings(values, &format!("condition {op} {key}"))?,
            });
        }
    }
    Ok(out)
}

fn parse_statement(index: usize, v: &Value) -> Result<Statement, PolicyParseError> {
    let stmt = v
        .as_object()
        .ok_or_else(|| PolicyParseError(format!("statement {} is not an object", index + 1)))?;
    let effect = match stmt.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        other => {
            return Err(PolicyParseError(format!(
                "statement {} has Effect {}, not Allow or Deny",
                index + 1,
                other.map_or("(none)".to_string(), |e| format!("'{e}'"))
            )))
        }
    };
    let actions = match (stmt.get("Action"), stmt.get("NotAction")) {
        (Some(a), None) => Actions::Action(strings(a, "Action")?),
        (None, Some(a)) => Actions::NotAction(strings(a, "NotAction")?),
        _ => {
            return Err(PolicyParseError(format!(
                "statement {} needs exactly one of Action and NotAction",
                index + 1
            )))
        }
    };
    Ok(Statement {
        index,
        sid: stmt.get("Sid").and_then(Value::as_str).map(String::from),
        effect,
        principals: parse_principals(stmt)?,
        actions,
        conditions: parse_conditions(stmt.get("Condition"))?,
    })
}

fn parse_statements(raw: &Value) -> Result<Vec<Statement>, PolicyParseError> {
    let obj = raw
        .as_object()
        .ok_or_else(|| PolicyParseError("the document is not a JSON object".into()))?;
    match obj.get("Statement") {
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| parse_statement(i, s))
            .collect(),
        Some(s @ Value::Object(_)) => Ok(vec![parse_statement(0, s)?]),
        Some(_) => Err(PolicyParseError(
            "Statement is neither a statement nor a list".into(),
        )),
        None => Err(PolicyParseError("the document has no Statement".into())),
    }
}

/// IAM action matching: case-insensitive, `*` and `?` wildcards.
pub fn action_matches(actions: &Actions, action: &str) -> bool {
    let hit = |list: &[String]| {
        list.iter().any(|a| {
            crate::core::trust::subject::string_like(
                &a.to_ascii_lowercase(),
                &action.to_ascii_lowercase(),
            )
        })
    };
    match actions {
        Actions::Action(list) => hit(list),
        Actions::NotAction(list) => !hit(list),
    }
}

/// Whether a web-identity request through `provider_arn` is a principal of the statement.
pub fn principal_matches(principals: &Principals, provider_arn: &str) -> bool {
    match principals {
        Principals::Anyone => true,
        Principals::Typed(_) => principals
            .federated()
            .iter()
            .any(|f| *f == "*" || *f == provider_arn),
        Principals::NotPrincipal(list) => !list
            .iter()
            .filter(|(k, _)| k == "Federated")
            .any(|(_, v)| v.iter().any(|f| f == provider_arn)),
        Principals::None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_unknown_fields_and_order() {
        let text = r#"{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"Federated":"arn"},"Action":"sts:AssumeRoleWithWebIdentity","Extra":{"z":1,"a":2}}]}"#;
        let doc = PolicyDocument::parse(text).unwrap();
        assert_eq!(doc.to_json(), text);
        assert_eq!(doc.statements()[0].sid.as_deref(), Some("a"));
    }

    #[test]
    fn parses_operators() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists");
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, "StringLike");
        assert!(op.if_exists);
        let op = Operator::parse("Null");
        assert_eq!((op.base.as_str(), op.if_exists), ("Null", false));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            "nope",
            "[]",
            r#"{"Version":"2012-10-17"}"#,
            r#"{"Statement":[{"Effect":"Maybe","Action":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringLike":"x"}}]}"#,
        ] {
            assert!(PolicyDocument::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn single_statement_object_and_scalars() {
        let doc = PolicyDocument::from_value(json!({"Statement":{"Effect":"Allow","Principal":"*",
            "Action":["sts:*"],"Condition":{"Bool":{"aws:SecureTransport":true}}}}))
        .unwrap();
        let s = &doc.statements()[0];
        assert_eq!(s.principals, Principals::Anyone);
        assert_eq!(s.conditions[0].values, vec!["true"]);
        assert!(s.allows_web_identity_for("arn:aws:iam::1:oidc-provider/h"));
    }
}
