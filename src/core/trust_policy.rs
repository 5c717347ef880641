//! Building a role's trust policy for the HCP Terraform issuer, and extending an existing one
//! without ever narrowing it.

use crate::core::subject::{string_like, Phase, SubjectPattern, WorkspaceScope};
use serde_json::{json, Map, Value};

/// What a trust policy has to admit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustSpec {
    pub provider_arn: String,
    /// The issuer host, also the condition-key prefix (`app.terraform.io:sub`).
    pub host: String,
    pub audience: String,
    pub subjects: Vec<SubjectPattern>,
}

impl TrustSpec {
    fn aud_key(&self) -> String {
        format!("{}:aud", self.host)
    }
    fn sub_key(&self) -> String {
        format!("{}:sub", self.host)
    }
    fn patterns(&self) -> Vec<String> {
        self.subjects
            .iter()
            .map(SubjectPattern::to_pattern)
            .collect()
    }

    /// The statement tfc-oidc writes, in exactly the form SPEC.md gives.
    pub fn statement(&self) -> Value {
        json!({
            "Effect": "Allow",
            "Principal": { "Federated": self.provider_arn },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": { self.aud_key(): self.audience },
                "StringLike": { self.sub_key(): self.patterns() }
            }
        })
    }

    /// A complete new trust policy.
    pub fn document(&self) -> Value {
        json!({ "Version": "2012-10-17", "Statement": [self.statement()] })
    }
}

/// The result of extending an existing policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Extension {
    pub document: Value,
    /// Patterns that were not admitted before and now are.
    pub added: Vec<String>,
}

impl Extension {
    pub fn changed(&self) -> bool {
        !self.added.is_empty()
    }
}

fn as_strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    }
}

/// Whether a statement is an `Allow` of `AssumeRoleWithWebIdentity` for this provider and
/// audience: the only kind of statement tfc-oidc merges subjects into.
fn is_ours(stmt: &Value, spec: &TrustSpec) -> bool {
    let allow = stmt.get("Effect").and_then(Value::as_str) == Some("Allow");
    let federated = as_strings(stmt.pointer("/Principal/Federated"));
    let actions = as_strings(stmt.get("Action"));
    let auds = as_strings(
        stmt.get("Condition")
            .and_then(|c| c.get("StringEquals"))
            .and_then(|c| c.get(spec.aud_key())),
    );
    allow
        && federated.iter().any(|f| f == &spec.provider_arn)
        && actions
            .iter()
            .any(|a| a == "sts:AssumeRoleWithWebIdentity" || a == "sts:*" || a == "*")
        && auds.iter().any(|a| a == &spec.audience)
}

fn sub_values(stmt: &Value, op: &str, key: &str) -> Vec<String> {
    as_strings(
        stmt.get("Condition")
            .and_then(|c| c.get(op))
            .and_then(|c| c.get(key)),
    )
}

/// Whether the statements already admit a pattern: literally, or (for a named workspace) every
/// concrete subject it stands for.
fn covered(ours: &[&Value], spec: &TrustSpec, subject: &SubjectPattern) -> bool {
    let pattern = subject.to_pattern();
    let key = spec.sub_key();
    let like: Vec<String> = ours
        .iter()
        .flat_map(|s| sub_values(s, "StringLike", &key))
        .collect();
    let equals: Vec<String> = ours
        .iter()
        .flat_map(|s| sub_values(s, "StringEquals", &key))
        .collect();
    if like.contains(&pattern) {
        return true;
    }
    let WorkspaceScope::Named(ws) = &subject.workspace else {
        return false;
    };
    subject.phase.concrete().iter().all(|phase| {
        let sub =
            crate::core::subject::token_subject(&subject.organization, &subject.project, ws, phase);
        like.iter().any(|p| string_like(p, &sub)) || equals.contains(&sub)
    })
}

/// Extends `existing` so it also admits every subject of `spec`. Subjects go into the first
/// matching statement's `StringLike` list; with no such statement a new one is appended. Nothing
/// is removed or replaced, so the policy never admits less than before.
pub fn extend(existing: &Value, spec: &TrustSpec) -> Extension {
    let ours: Vec<&Value> = statements(existing)
        .into_iter()
        .filter(|s| is_ours(s, spec))
        .collect();
    let missing: Vec<SubjectPattern> = spec
        .subjects
        .iter()
        .filter(|s| !covered(&ours, spec, s))
        .cloned()
        .collect();
    let added: Vec<String> = missing.iter().map(SubjectPattern::to_pattern).collect();
    if added.is_empty() {
        return Extension {
            document: existing.clone(),
            added,
        };
    }
    let mut document = existing.clone();
    if !document.is_object() {
        document = json!({ "Version": "2012-10-17", "Statement": [] });
    }
    let obj = document.as_object_mut().expect("checked above");
    let mut list: Vec<Value> = match obj.remove("Statement") {
        Some(Value::Array(a)) => a,
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    let key = spec.sub_key();
    let target = list.iter_mut().find(|s| {
        is_ours(s, spec)
            && s.pointer("/Condition/StringLike")
                .is_some_and(|l| l.get(&key).is_some())
    });
    match target {
        Some(stmt) => {
            let like = stmt
                .pointer_mut("/Condition/StringLike")
                .and_then(Value::as_object_mut)
                .expect("checked above");
            let mut values = as_strings(like.get(&key));
            values.extend(added.iter().cloned());
            like.insert(
                key,
                Value::Array(values.into_iter().map(Value::String).collect()),
            );
        }
        None => {
            let fresh = TrustSpec {
                subjects: missing,
                ..spec.clone()
            };
            list.push(fresh.statement());
        }
    }
    obj.insert("Statement".into(), Value::Array(list));
    Extension { document, added }
}

/// Subjects every statement for this provider admits, for the summary screen.
pub fn trusted_patterns(doc: &Value, host: &str) -> Vec<String> {
    let key = format!("{host}:sub");
    statements(doc)
        .iter()
        .flat_map(|s| {
            let mut v = sub_values(s, "StringLike", &key);
            v.extend(sub_values(s, "StringEquals", &key));
            v
        })
        .collect()
}

/// Pretty JSON for display, keeping the document's own key order.
pub fn pretty(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_else(|_| doc.to_string())
}

/// An empty JSON object, for callers that need a placeholder document.
pub fn empty_object() -> Value {
    Value::Object(Map::new())
}

/// All phases a set of roles covers, in a stable order.
pub fn phases_for(split: bool) -> Vec<Phase> {
    if split {
        vec![Phase::Plan, Phase::Apply]
    } else {
        vec![Phase::Run]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(ws: &[&str]) -> TrustSpec {
        TrustSpec {
            provider_arn: "arn:aws:iam::123456789012:oidc-provider/app.terraform.io".into(),
            host: "app.terraform.io".into(),
            audience: "aws.workload.identity".into(),
            subjects: ws
                .iter()
                .map(|w| SubjectPattern {
                    organization: "acme".into(),
                    project: "platform".into(),
                    workspace: WorkspaceScope::Named(w.to_string()),
                    phase: Phase::Run,
                })
                .collect(),
        }
    }

    #[test]
    fn document_is_exactly_the_spec_form() {
        let doc = spec(&["net"]).document();
        assert_eq!(
            doc["Statement"][0].to_string(),
            r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/app.terraform.io"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"},"StringLike":{"app.terraform.io:sub":["organization:acme:project:platform:workspace:net:run_phase:*"]}}}"#
        );
    }

    #[test]
    fn extend_adds_only_missing_and_never_removes() {
        let base = spec(&["net"]).document();
        let ext = extend(&base, &spec(&["net", "dns"]));
        assert_eq!(
            ext.added,
            vec!["organization:acme:project:platform:workspace:dns:run_phase:*"]
        );
        let subs = trusted_patterns(&ext.document, "app.terraform.io");
        assert_eq!(subs.len(), 2);
        let again = extend(&ext.document, &spec(&["net", "dns"]));
        assert!(!again.changed());
        assert_eq!(again.document, ext.document);
    }

    #[test]
    fn wildcard_coverage_counts() {
        let mut all = spec(&[]);
        all.subjects.push(SubjectPattern {
            organization: "acme".into(),
            project: "platform".into(),
            workspace: WorkspaceScope::All,
            phase: Phase::Run,
        });
        let doc = all.document();
        assert!(!extend(&doc, &spec(&["anything"])).changed());
    }

    #[test]
    fn foreign_statements_are_kept_and_a_new_one_appended() {
        let doc = json!({"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}
        ]});
        let ext = extend(&doc, &spec(&["net"]));
        let list = ext.document["Statement"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0], doc["Statement"][0]);
    }

    #[test]
    fn broad_statement_without_sub_is_not_narrowed() {
        let doc = json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/app.terraform.io"},
            "Action":"sts:AssumeRoleWithWebIdentity",
            "Condition":{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"}}}]});
        let ext = extend(&doc, &spec(&["net"]));
        let list = ext.document["Statement"].as_array().unwrap();
        assert_eq!(
            list[0], doc["Statement"][0],
            "the broad statement stays as it was"
        );
        assert_eq!(list.len(), 2);
    }
}
