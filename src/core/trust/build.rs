//! Building a role's trust policy for the HCP Terraform issuer, and extending an existing one
//! without ever narrowing it.

use crate::core::trust::subject::{token_subject, RunSubject, SubjectPattern, WorkspaceScope};
use crate::core::trust::{evaluate, Claims, PolicyDocument, Statement};
use serde_json::{json, Value};

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

    /// The statement tfc-oidc writes, always in one form: the provider as federated principal,
    /// `StringEquals` on `aud`, `StringLike` on the `sub` patterns (the README's introduction).
    pub fn statement(&self) -> Value {
        self.statement_with(&self.patterns())
    }

    /// The statement of that form for these subject patterns.
    fn statement_with(&self, patterns: &[String]) -> Value {
        json!({
            "Effect": "Allow",
            "Principal": { "Federated": self.provider_arn },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": { self.aud_key(): self.audience },
                "StringLike": { self.sub_key(): patterns }
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

/// Whether a statement is one tfc-oidc may merge subjects into: an `Allow` of web-identity
/// assumption for this provider whose conditions are exactly the audience (`StringEquals`) and a
/// `StringLike` list of subjects, so adding a subject there admits that subject and nothing else.
fn mergeable(stmt: &Statement, spec: &TrustSpec) -> bool {
    stmt.allows_web_identity_for(&spec.provider_arn)
        && stmt.claim_values(&spec.host, "aud", "StringEquals") == [spec.audience.as_str()]
        && stmt.conditions.iter().all(|c| {
            c.operator.qualifier.is_none()
                && !c.operator.if_exists
                && ((c.is_claim(&spec.host, "aud") && c.operator.base == "StringEquals")
                    || (c.is_claim(&spec.host, "sub") && c.operator.base == "StringLike"))
        })
        && stmt.tests_claim(&spec.host, "sub")
}

/// The `StringLike` subject patterns of this provider's statements that also admit the
/// audience: a pattern listed under another audience admits nothing for this one.
fn listed_for_audience(doc: &PolicyDocument, spec: &TrustSpec) -> Vec<String> {
    doc.web_identity_statements(&spec.provider_arn)
        .filter(|s| {
            s.claim_values(&spec.host, "aud", "StringEquals")
                .contains(&spec.audience.as_str())
        })
        .flat_map(|s| s.claim_values(&spec.host, "sub", "StringLike"))
        .map(String::from)
        .collect()
}

/// Whether the policy already admits a pattern: the same pattern in a statement for this
/// provider, or (for a named workspace) every concrete token subject it stands for, decided by
/// IAM's own evaluation.
fn covered(doc: &PolicyDocument, spec: &TrustSpec, subject: &SubjectPattern) -> bool {
    let pattern = subject.to_pattern();
    if listed_for_audience(doc, spec).contains(&pattern) {
        return true;
    }
    let token = |phase: &str| match &subject.workspace {
        WorkspaceScope::Named(ws) => Some(token_subject(
            &subject.organization,
            &subject.project,
            ws,
            phase,
        )),
        WorkspaceScope::Stack {
            name,
            deployment: Some(d),
        } => Some(
            RunSubject::Stack {
                organization: subject.organization.clone(),
                project: subject.project.clone(),
                stack: name.clone(),
                deployment: d.clone(),
                operation: phase.to_string(),
            }
            .to_sub(),
        ),
        _ => None,
    };
    subject.phase.concrete().iter().all(|phase| {
        let Some(sub) = token(phase) else {
            return false;
        };
        let claims = Claims {
            host: spec.host.clone(),
            provider_arn: spec.provider_arn.clone(),
            aud: spec.audience.clone(),
            sub,
        };
        evaluate(doc, &claims).allowed
    })
}

/// Extends `existing` so it also admits every subject of `spec`. Subjects go into the first
/// mergeable statement's `StringLike` list; with no such statement a new one is appended.
/// Nothing is removed or replaced, so the policy never admits less than before, and every field
/// tfc-oidc does not know is kept as it was.
pub fn extend(existing: &PolicyDocument, spec: &TrustSpec) -> Extension {
    let missing: Vec<SubjectPattern> = spec
        .subjects
        .iter()
        .filter(|s| !covered(existing, spec, s))
        .cloned()
        .collect();
    let added: Vec<String> = missing.iter().map(SubjectPattern::to_pattern).collect();
    let mut doc = existing.clone();
    if !added.is_empty() {
        add_patterns(&mut doc, spec, &added);
    }
    Extension {
        document: doc.into_value(),
        added,
    }
}

/// Adds the patterns the policy does not list yet (literally) and returns the new document, or
/// `None` when every one is there already (another run added them meanwhile).
pub fn add_raw_patterns(
    doc: &PolicyDocument,
    spec: &TrustSpec,
    patterns: &[String],
) -> Option<Value> {
    let listed = listed_for_audience(doc, spec);
    let missing: Vec<String> = patterns
        .iter()
        .filter(|p| !listed.contains(p))
        .cloned()
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut doc = doc.clone();
    add_patterns(&mut doc, spec, &missing);
    Some(doc.into_value())
}

/// Puts `patterns` into the first mergeable statement, or a new statement of
/// [`TrustSpec::statement`]'s form.
fn add_patterns(doc: &mut PolicyDocument, spec: &TrustSpec, patterns: &[String]) {
    let target = doc
        .statements()
        .iter()
        .find(|s| mergeable(s, spec))
        .map(|s| s.index);
    let key = spec.sub_key();
    let fresh = TrustSpec {
        subjects: Vec::new(),
        ..spec.clone()
    }
    .statement_with(patterns);
    let edited = doc.edit_statements(|list| match target.and_then(|i| list.get_mut(i)) {
        Some(stmt) => {
            let like = stmt
                .pointer_mut("/Condition/StringLike")
                .and_then(Value::as_object_mut);
            if let Some(like) = like {
                let entry = like
                    .iter_mut()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&key))
                    .map(|(_, v)| v);
                let mut values: Vec<Value> = match entry.as_deref() {
                    Some(Value::Array(a)) => a.clone(),
                    Some(v) => vec![v.clone()],
                    None => Vec::new(),
                };
                values.extend(patterns.iter().cloned().map(Value::String));
                match entry {
                    Some(slot) => *slot = Value::Array(values),
                    None => {
                        like.insert(key.clone(), Value::Array(values));
                    }
                }
            }
        }
        None => list.push(fresh),
    });
    // The edits above keep the document's shape, so it always reads back.
    debug_assert!(edited.is_ok());
}

/// Takes `patterns` out of the `StringLike` subject lists of this provider's statements, as the
/// policy is now: what others added since stays. A statement left with no subject at all is
/// removed only if it is exactly the form tfc-oidc writes (so nothing of someone else's goes).
/// Returns the new document and the patterns that were found and removed.
pub fn retract(
    current: &PolicyDocument,
    host: &str,
    provider_arn: &str,
    patterns: &[String],
) -> (Value, Vec<String>) {
    let key = format!("{host}:sub");
    let mut removed = Vec::new();
    let targets: Vec<usize> = current
        .web_identity_statements(provider_arn)
        .filter(|s| s.tests_claim(host, "sub"))
        .map(|s| s.index)
        .collect();
    let mut doc = current.clone();
    let _ = doc.edit_statements(|list| {
        let mut emptied = Vec::new();
        for i in &targets {
            let Some(stmt) = list.get_mut(*i) else {
                continue;
            };
            let Some(like) = stmt
                .pointer_mut("/Condition/StringLike")
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            let Some((_, slot)) = like.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&key))
            else {
                continue;
            };
            let values: Vec<Value> = match &*slot {
                Value::Array(a) => a.clone(),
                v => vec![v.clone()],
            };
            let (gone, kept): (Vec<Value>, Vec<Value>) = values
                .into_iter()
                .partition(|v| v.as_str().is_some_and(|s| patterns.iter().any(|p| p == s)));
            removed.extend(gone.iter().filter_map(|v| v.as_str().map(String::from)));
            if kept.is_empty() && !gone.is_empty() {
                emptied.push(*i);
            }
            *slot = Value::Array(kept);
        }
        // Remove emptied statements of tfc-oidc's own form, last first so indices hold.
        for i in emptied.into_iter().rev() {
            let ours = list[i].as_object().is_some_and(|o| {
                o.keys()
                    .all(|k| ["Effect", "Principal", "Action", "Condition"].contains(&k.as_str()))
                    && o.get("Condition")
                        .and_then(Value::as_object)
                        .is_some_and(|c| c.keys().all(|k| k == "StringEquals" || k == "StringLike"))
            });
            if ours {
                list.remove(i);
            }
        }
    });
    removed.dedup();
    (doc.into_value(), removed)
}

/// Subjects every statement for this provider admits, for the summary screen.
pub fn trusted_patterns(doc: &PolicyDocument, host: &str, provider_arn: &str) -> Vec<String> {
    doc.sub_patterns(host, provider_arn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::trust::Phase;

    fn doc(v: Value) -> PolicyDocument {
        PolicyDocument::from_value(v).unwrap()
    }

    const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";

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
        let ext = extend(&doc(base), &spec(&["net", "dns"]));
        assert_eq!(
            ext.added,
            vec!["organization:acme:project:platform:workspace:dns:run_phase:*"]
        );
        let subs = trusted_patterns(&doc(ext.document.clone()), "app.terraform.io", ARN);
        assert_eq!(subs.len(), 2);
        let again = extend(&doc(ext.document.clone()), &spec(&["net", "dns"]));
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
        let d = all.document();
        assert!(!extend(&doc(d), &spec(&["anything"])).changed());
    }

    #[test]
    fn foreign_statements_are_kept_and_a_new_one_appended() {
        let d = json!({"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}
        ]});
        let ext = extend(&doc(d.clone()), &spec(&["net"]));
        let list = ext.document["Statement"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0], d["Statement"][0]);
    }

    #[test]
    fn broad_statement_without_sub_is_not_narrowed() {
        let d = json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/app.terraform.io"},
            "Action":"sts:AssumeRoleWithWebIdentity",
            "Condition":{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"}}}]});
        let ext = extend(&doc(d.clone()), &spec(&["net"]));
        assert_eq!(ext.document, d, "the broad statement stays as it was");
        assert!(!crate::core::trust::broad_trust(&doc(d), "app.terraform.io", ARN).is_empty());
    }

    #[test]
    fn unknown_fields_survive_an_extension() {
        let mut d = spec(&["net"]).document();
        d["Statement"][0]["Sid"] = json!("TfcOidc");
        d["Id"] = json!("keep-me");
        let ext = extend(&doc(d), &spec(&["net", "dns"]));
        assert_eq!(ext.document["Id"], "keep-me");
        assert_eq!(ext.document["Statement"][0]["Sid"], "TfcOidc");
        assert_eq!(ext.document["Statement"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn retract_takes_out_only_ours_and_keeps_later_changes() {
        let base = spec(&["net"]).document();
        let ext = extend(&doc(base.clone()), &spec(&["net", "dns"]));
        let mut now = ext.document.clone();
        // Someone adds a break-glass statement after the apply.
        now["Statement"]
            .as_array_mut()
            .unwrap()
            .push(json!({"Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}));
        let (after, removed) = retract(&doc(now), "app.terraform.io", ARN, &ext.added);
        assert_eq!(removed, ext.added);
        let list = after["Statement"].as_array().unwrap();
        assert_eq!(list.len(), 2, "break-glass kept");
        assert_eq!(list[0], base["Statement"][0]);
        // Retracting everything removes tfc-oidc's own statement, nothing else.
        let all: Vec<String> =
            vec!["organization:acme:project:platform:workspace:net:run_phase:*".into()];
        let (after, _) = retract(&doc(after), "app.terraform.io", ARN, &all);
        assert_eq!(after["Statement"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn an_evaluated_match_counts_as_covered() {
        let d = json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"Federated":ARN},"Action":"sts:AssumeRoleWithWebIdentity",
            "Condition":{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity",
              "app.terraform.io:sub":["organization:acme:project:platform:workspace:net:run_phase:plan",
                                       "organization:acme:project:platform:workspace:net:run_phase:apply"]}}}]});
        assert!(!extend(&doc(d), &spec(&["net"])).changed());
    }
}
