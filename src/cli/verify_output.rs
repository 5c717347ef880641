//! How `verify` prints its report: text for people, JSON for programs. Text from servers
//! (names, statuses, log lines) goes through [`shown`], which escapes control characters.

use crate::cli::output::{escape, paint};
use crate::core::verify::diagnose::{describe_aws_error, Cause};
use crate::core::verify::VerifyReport;
use serde_json::{json, Value};

fn cause_lines(out: &mut String, cause: &Cause) {
    out.push_str(&format!("  - {}\n", escape(&cause.summary)));
    for d in &cause.details {
        out.push_str(&format!("      {}\n", escape(d)));
    }
    if let Some(fix) = &cause.fix {
        out.push_str(&format!("      fix: {}\n", escape(fix)));
    }
}

/// The report as text.
pub fn report_text(r: &VerifyReport, colour: bool) -> String {
    let mut out = String::new();
    out.push_str(&paint(
        &format!(
            "Workspace {} / {} / {} on {}",
            escape(&r.organization),
            escape(&r.project),
            escape(&r.workspace),
            r.host
        ),
        "1",
        colour,
    ));
    out.push('\n');
    match &r.run {
        Some(run) => out.push_str(&format!(
            "Run {} (plan-only): {}\n  {}\n",
            escape(&run.id),
            escape(&run.status),
            escape(&run.url)
        )),
        None => out.push_str("No run was queued.\n"),
    }
    out.push('\n');
    verdict(&mut out, r, colour);
    log_errors(&mut out, r);
    notes(&mut out, r);
    out
}

/// Authenticated, not verified (no run) or not authenticated, with the causes.
fn verdict(out: &mut String, r: &VerifyReport, colour: bool) {
    let role = r.role_arn.as_deref().map(escape);
    let origin = r
        .credentials
        .role_arn
        .as_ref()
        .map(|s| format!("{} from {}", s.key, escape(&s.source)))
        .unwrap_or_default();
    if r.authenticated {
        out.push_str(&paint("Authenticated", "32;1", colour));
        out.push_str(&format!(
            ": the {} phase assumed {} ({origin}) with dynamic credentials.\n",
            r.phase,
            role.as_deref().unwrap_or("the role")
        ));
        return;
    }
    if r.run.is_none() {
        out.push_str(&paint("Not verified", "31;1", colour));
        out.push_str(": no run could be queued.\n");
    } else {
        out.push_str(&paint("Not authenticated", "31;1", colour));
        match &role {
            Some(role) => out.push_str(&format!(
                ": the {} phase did not get credentials for {role} ({origin}).\n",
                r.phase
            )),
            None => out.push_str(&format!(
                ": the {} phase got no AWS credentials.\n",
                r.phase
            )),
        }
    }
    if !r.causes.is_empty() {
        out.push_str("\nWhy:\n");
        for c in &r.causes {
            cause_lines(out, c);
        }
    }
}

/// Up to five errors of the plan log that no cause already quotes (when not authenticated).
fn log_errors(out: &mut String, r: &VerifyReport) {
    let Some(log) = r.log.as_ref().filter(|_| !r.authenticated) else {
        return;
    };
    let errors: Vec<String> = log
        .errors
        .iter()
        .filter(|e| {
            !r.causes
                .iter()
                .any(|c| c.details.iter().any(|d| d.contains(e.as_str())))
        })
        .take(5)
        .cloned()
        .collect();
    if !errors.is_empty() {
        out.push_str("\nErrors in the plan log:\n");
        for e in errors {
            out.push_str(&format!("  {}\n", escape(&cut(&e, 400))));
        }
    }
}

/// Problems that do not block, and the report's notes.
fn notes(out: &mut String, r: &VerifyReport) {
    let warnings: Vec<String> = r
        .credentials
        .problems
        .iter()
        .filter(|p| !p.is_blocking())
        .map(|p| p.describe())
        .chain(r.notes.iter().cloned())
        .collect();
    if !warnings.is_empty() {
        out.push_str("\nNotes:\n");
        for w in warnings {
            out.push_str(&format!("  {}\n", escape(&w)));
        }
    }
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// The report as JSON: `run_id`, `url`, `status`, `authenticated`, `cause` (the most telling,
/// or `null`), every cause, the AWS errors of the log, the variables read, notes.
pub fn report_json(r: &VerifyReport) -> Value {
    let run = r.run.as_ref();
    json!({
        "host": r.host,
        "organization": r.organization,
        "project": r.project,
        "workspace": r.workspace,
        "run_id": run.map(|x| &x.id),
        "url": run.map(|x| &x.url),
        "status": run.map(|x| &x.status),
        "authenticated": r.authenticated,
        "timed_out": r.timed_out,
        "phase": r.phase,
        "role_arn": r.role_arn,
        "cause": r.cause(),
        "causes": r.causes,
        "aws_errors": r.log.as_ref().map(|l| l.aws_errors.iter().map(|e| json!({
            "code": e.code(),
            "message": describe_aws_error(e),
        })).collect::<Vec<_>>()).unwrap_or_default(),
        "log_format": r.log.as_ref().map(|l| l.format),
        "log_errors": r.log.as_ref().map(|l| l.errors.clone()).unwrap_or_default(),
        "credentials": r.credentials,
        "notes": r.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
        assert_eq!(escape("plain │ text"), "plain │ text");
    }
}
