//! `review`'s text and JSON: findings grouped by severity, each with its resource, one line of
//! detail and the fix, then one summary line.

use crate::cli::output::{escape, paint};
use crate::core::review::{Finding, Severity, Summary};
use serde_json::{json, Value};

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
    }
}

use crate::core::text::counted as plural;

/// What was read, for the summary line.
pub fn read_line(summary: &Summary) -> String {
    let mut parts = vec![
        plural(summary.workspaces, "workspace", "workspaces"),
        plural(summary.variable_sets, "variable set", "variable sets"),
    ];
    match (&summary.roles, &summary.aws_account) {
        (Some(n), Some(account)) => parts.push(format!(
            "{} trusting the provider in AWS account {account}",
            plural(*n, "role", "roles")
        )),
        _ => parts.push("no AWS account".into()),
    }
    format!("read {}", parts.join(", "))
}

/// The findings as text, most severe first, and the summary line.
pub fn text(findings: &[Finding], summary: &Summary, heading: &str, colour: bool) -> String {
    let mut out = format!("{}\n", paint(&escape(heading), "1", colour));
    for severity in Severity::DESCENDING {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        let title = format!("{} ({})", severity.as_str().to_uppercase(), group.len());
        out.push_str(&format!(
            "\n{}\n",
            paint(&title, severity_colour(severity), colour)
        ));
        for f in group {
            out.push_str(&format!(
                "  {}  {} {}\n    {}\n    fix: {}\n",
                paint(f.id.code(), severity_colour(severity), colour),
                f.resource_ref.kind(),
                escape(&f.resource),
                escape(&f.detail),
                escape(&f.fix)
            ));
        }
    }
    out.push_str(&format!("\n{}\n", summary_line(findings, summary)));
    out
}

/// "16 findings: 2 critical, 8 high, 3 medium, 3 low; read …", the text's last line.
pub fn summary_line(findings: &[Finding], summary: &Summary) -> String {
    let counts: Vec<String> = Severity::DESCENDING
        .iter()
        .map(|s| format!("{} {s}", summary.count(*s)))
        .collect();
    let total = findings.len();
    format!(
        "{}: {}; {}",
        if total == 0 {
            "No findings".to_string()
        } else {
            plural(total, "finding", "findings")
        },
        counts.join(", "),
        read_line(summary)
    )
}

/// `{"findings":[…],"summary":{…}}`.
pub fn json(findings: &[Finding], summary: &Summary, extra: Value) -> Value {
    let mut summary = serde_json::to_value(summary).unwrap_or(Value::Null);
    if let (Some(obj), Value::Object(extra)) = (summary.as_object_mut(), extra) {
        obj.extend(extra);
    }
    json!({ "findings": findings, "summary": summary })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("ok\x1b[31m\n"), "ok\\u{1b}[31m\\n");
        assert_eq!(escape("Default Project"), "Default Project");
    }
}
