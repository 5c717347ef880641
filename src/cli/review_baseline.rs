//! `review --baseline FILE`: leave out the findings an earlier `review --format json` already
//! reported, so a pipeline fails only on what is new.
//!
//! A finding is matched by its id and its resource, never by its detail (details carry counts
//! and ages, "unused for 93 days", that change from one run to the next). The resource key is
//! what stays put while the resource exists: the workspace's organization and name (not its
//! project, which a move changes), the variable set's id (not its name), the role's ARN. One
//! resource can have several findings of one id (one per trust statement or per tagged
//! configuration): the baseline suppresses as many as it holds, those with the same detail
//! first, so a second finding of the same id on the same resource still shows as new.

use crate::cli::error::CliError;
use crate::core::review::{Finding, ResourceRef};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// What a finding is matched by: its id and its resource's stable key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MatchKey {
    code: String,
    resource: String,
}

/// The findings of an earlier review, by match key, with their details.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    known: HashMap<MatchKey, Vec<String>>,
}

/// The current findings split by the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Filtered {
    /// Findings the baseline does not hold, in their order.
    pub new: Vec<Finding>,
    /// How many findings the baseline held and were left out.
    pub suppressed: usize,
    /// Per finding given, whether the baseline held it (SARIF numbers findings over all of
    /// them, so a fingerprint does not change when a sibling is suppressed).
    pub known: Vec<bool>,
}

impl Filtered {
    /// Every finding is new (no baseline).
    pub fn all_new(findings: &[Finding]) -> Filtered {
        Filtered {
            new: findings.to_vec(),
            suppressed: 0,
            known: vec![false; findings.len()],
        }
    }
}

/// The stable key of a resource (see the module's comment for why these parts).
fn resource_key(r: &ResourceRef) -> String {
    match r {
        ResourceRef::Workspace {
            organization,
            workspace,
            ..
        } => format!("workspace:{organization}/{workspace}"),
        ResourceRef::VariableSet {
            organization, id, ..
        } => format!("variable_set:{organization}/{id}"),
        ResourceRef::Role { arn, .. } => format!("role:{arn}"),
    }
}

/// The same key read back from a finding's `resource_ref` in the JSON output.
fn resource_key_of_json(finding: &Value) -> Option<String> {
    let r = &finding["resource_ref"];
    let field = |name: &str| r[name].as_str();
    match r["kind"].as_str() {
        Some("workspace") => field("organization")
            .zip(field("workspace"))
            .map(|(o, w)| format!("workspace:{o}/{w}")),
        Some("variable_set") => field("organization")
            .zip(field("id"))
            .map(|(o, id)| format!("variable_set:{o}/{id}")),
        Some("role") => field("arn").map(|arn| format!("role:{arn}")),
        _ => None,
    }
}

impl Baseline {
    /// Reads FILE; an unreadable file or one that is not a `review --format json` output is
    /// a usage error naming the file (and, for JSON syntax, the line and column).
    pub fn load(path: &Path) -> Result<Baseline, CliError> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::input_file(&format!("the baseline {shown}"), e))?;
        Baseline::parse(&text).map_err(|why| {
            // A JSON position follows the file name as FILE:LINE:COLUMN.
            let sep = if why.starts_with(|c: char| c.is_ascii_digit()) {
                ":"
            } else {
                ": "
            };
            CliError::usage(format!("baseline {shown}{sep}{why}"))
        })
    }

    /// Parses the text of a `review --format json` output.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| {
            // serde's message ends with the position, which goes first here, as line:column.
            let message = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            let why = message.strip_suffix(&at).unwrap_or(&message);
            format!("{}:{}: not valid JSON: {why}", e.line(), e.column())
        })?;
        let findings = doc
            .get("findings")
            .and_then(Value::as_array)
            .ok_or("not a 'tfc-oidc review --format json' output: no \"findings\" list")?;
        let mut known: HashMap<MatchKey, Vec<String>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            let code = f["id"].as_str();
            let resource = resource_key_of_json(f);
            let (Some(code), Some(resource)) = (code, resource) else {
                return Err(format!(
                    "finding {} has no \"id\" or no \"resource_ref\"",
                    i + 1
                ));
            };
            let key = MatchKey {
                code: code.to_string(),
                resource,
            };
            let detail = f["detail"].as_str().unwrap_or_default().to_string();
            known.entry(key).or_default().push(detail);
        }
        Ok(Baseline { known })
    }

    /// Splits `findings` into the new ones and the count of those the baseline holds.
    pub fn filter(&self, findings: &[Finding]) -> Filtered {
        let mut left = self.known.clone();
        let key = |f: &Finding| MatchKey {
            code: f.id.code().to_string(),
            resource: resource_key(&f.resource_ref),
        };
        // First pass: a finding whose detail is unchanged takes its own baseline entry, so the
        // second pass cannot hand that entry to a different finding of the same key.
        let mut matched = vec![false; findings.len()];
        for (i, f) in findings.iter().enumerate() {
            if let Some(details) = left.get_mut(&key(f)) {
                if let Some(at) = details.iter().position(|d| *d == f.detail) {
                    details.swap_remove(at);
                    matched[i] = true;
                }
            }
        }
        for (i, f) in findings.iter().enumerate() {
            if matched[i] {
                continue;
            }
            if let Some(details) = left.get_mut(&key(f)) {
                if details.pop().is_some() {
                    matched[i] = true;
                }
            }
        }
        let suppressed = matched.iter().filter(|m| **m).count();
        let new = findings
            .iter()
            .zip(&matched)
            .filter(|(_, m)| !**m)
            .map(|(f, _)| f.clone())
            .collect();
        Filtered {
            new,
            suppressed,
            known: matched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::review::FindingId;
    use serde_json::json;

    fn role(name: &str) -> ResourceRef {
        ResourceRef::Role {
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            name: name.into(),
        }
    }

    fn workspace(project: &str, name: &str) -> ResourceRef {
        ResourceRef::Workspace {
            organization: "acme".into(),
            project: project.into(),
            workspace: name.into(),
        }
    }

    fn baseline_of(findings: &[Finding]) -> Baseline {
        let doc = json!({ "findings": findings, "summary": {} });
        Baseline::parse(&doc.to_string()).unwrap()
    }

    #[test]
    fn known_findings_are_left_out_even_when_their_detail_changed() {
        let old = Finding::new(FindingId::UnusedRole, role("ci"), "unused for 91 days");
        let base = baseline_of(std::slice::from_ref(&old));
        let now = vec![
            Finding::new(FindingId::UnusedRole, role("ci"), "unused for 92 days"),
            Finding::new(FindingId::NoSubCondition, role("ci"), "statement 1"),
        ];
        let out = base.filter(&now);
        assert_eq!(out.suppressed, 1);
        assert_eq!(out.new.len(), 1);
        assert_eq!(out.new[0].id, FindingId::NoSubCondition);
    }

    #[test]
    fn a_workspace_moved_to_another_project_is_the_same_resource() {
        let old = Finding::new(FindingId::StaticKeys, workspace("a", "net"), "keys");
        let base = baseline_of(&[old]);
        let out = base.filter(&[Finding::new(
            FindingId::StaticKeys,
            workspace("b", "net"),
            "keys",
        )]);
        assert_eq!((out.new.len(), out.suppressed), (0, 1));
    }

    #[test]
    fn a_second_finding_of_one_id_on_one_resource_is_new() {
        let one = Finding::new(FindingId::OperatorMisuse, role("x"), "statement 1: misuse");
        let two = Finding::new(FindingId::OperatorMisuse, role("x"), "statement 2: misuse");
        let base = baseline_of(std::slice::from_ref(&one));
        // The new one sorts first; the unchanged detail still claims the baseline entry.
        let out = base.filter(&[two.clone(), one]);
        assert_eq!(out.new, vec![two]);
        assert_eq!(out.suppressed, 1);
        assert_eq!(out.known, vec![false, true]);
    }

    #[test]
    fn malformed_baselines_are_refused_with_a_position() {
        let err = Baseline::parse("{\n  \"findings\": [,]\n}").unwrap_err();
        assert_eq!(err, "2:16: not valid JSON: expected value");
        let err = Baseline::parse("[]").unwrap_err();
        assert!(err.contains("no \"findings\" list"), "{err}");
        let err =
            Baseline::parse(r#"{"findings":[{"id":"TFCOIDC004","resource":"r"}]}"#).unwrap_err();
        assert!(err.contains("finding 1"), "{err}");
    }

    #[test]
    fn an_unreadable_baseline_is_a_usage_error_naming_the_file() {
        let err = Baseline::load(Path::new("/nonexistent/base.json")).unwrap_err();
        assert_eq!(err.code(), crate::cli::error::code::USAGE);
        assert!(err.message.contains("/nonexistent/base.json"), "{err}");
    }
}
