//! Reading a plan log for what matters to dynamic credentials: the errors Terraform printed and,
//! among them, the AWS errors of `AssumeRoleWithWebIdentity`.
//!
//! Two formats arrive: workspaces with structured run output serve Terraform's machine-readable
//! UI, one JSON object per line (`{"@level":"error","@message":"Error: …","type":"diagnostic",
//! "diagnostic":{"severity":"error","summary":…,"detail":…}}`); others serve the plain console
//! text, with ANSI colours and the `│` frame Terraform draws around diagnostics. Archive logs may
//! start with STX (0x02) and end with ETX (0x03).
//!
//! The AWS provider reports STS errors in the SDK's words, e.g. `operation error STS:
//! AssumeRoleWithWebIdentity, https response error StatusCode: 403, RequestID: …, api error
//! AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity` (SDK v2) or
//! `WebIdentityErr: failed to retrieve credentials caused by: InvalidIdentityToken: …` (v1).

use serde::Serialize;
use serde_json::Value;

/// An AWS authentication failure found in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AwsAuthError {
    /// STS refused `AssumeRoleWithWebIdentity`: the trust policy, or no such role.
    AccessDenied { message: String },
    /// The account has no IAM OIDC provider for the token's issuer.
    NoOidcProvider { issuer: Option<String> },
    /// The token's audience is not among the provider's client IDs.
    IncorrectAudience,
    /// Any other `InvalidIdentityToken` (keys not retrievable, expired token, …).
    InvalidIdentityToken { message: String },
    /// The provider found no credentials at all (dynamic credentials were not set up for it).
    NoCredentials,
    /// Static keys were used and AWS rejected them.
    InvalidStaticKeys,
}

impl AwsAuthError {
    /// The AWS error code, for the report.
    pub fn code(&self) -> &'static str {
        match self {
            AwsAuthError::AccessDenied { .. } => "AccessDenied",
            AwsAuthError::NoOidcProvider { .. }
            | AwsAuthError::IncorrectAudience
            | AwsAuthError::InvalidIdentityToken { .. } => "InvalidIdentityToken",
            AwsAuthError::NoCredentials => "NoCredentialProviders",
            AwsAuthError::InvalidStaticKeys => "InvalidClientTokenId",
        }
    }
}

/// Which format the log was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    JsonLines,
    Plain,
    Empty,
}

/// What a plan log says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogSummary {
    pub format: LogFormat,
    /// Each error diagnostic, one line each (summary, then detail).
    pub errors: Vec<String>,
    /// The AWS authentication failures, in the order first met (each kind once).
    pub aws_errors: Vec<AwsAuthError>,
    /// The plan read AWS resources or data sources (evidence the provider was configured).
    pub touched_aws: bool,
}

/// Reads a plan log.
pub fn parse(raw: &str) -> LogSummary {
    let text = strip_markers(raw);
    if text.trim().is_empty() {
        return LogSummary {
            format: LogFormat::Empty,
            errors: vec![],
            aws_errors: vec![],
            touched_aws: false,
        };
    }
    let json: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l.trim()).ok())
        .filter(|v| v.get("@message").is_some() || v.get("type").is_some())
        .collect();
    if !json.is_empty() {
        parse_json_lines(&json)
    } else {
        parse_plain(&text)
    }
}

/// Removes STX/ETX framing and ANSI escape sequences.
fn strip_markers(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{2}' | '\u{3}' => {}
            '\u{1b}' => {
                // CSI: ESC [ params final-byte (0x40..=0x7e).
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for n in chars.by_ref() {
                        if ('@'..='~').contains(&n) {
                            break;
                        }
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn parse_json_lines(lines: &[Value]) -> LogSummary {
    let mut errors = Vec::new();
    let mut haystack = String::new();
    let mut touched_aws = false;
    for line in lines {
        let kind = line.get("type").and_then(Value::as_str).unwrap_or_default();
        let level = line
            .get("@level")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let message = line
            .get("@message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind == "diagnostic" {
            let d = line.get("diagnostic");
            let field = |k: &str| {
                d.and_then(|d| d.get(k))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let severity = field("severity");
            if severity == "error" || (severity.is_empty() && level == "error") {
                let summary = field("summary");
                let detail = field("detail");
                let summary = if summary.is_empty() {
                    message.trim_start_matches("Error: ").to_string()
                } else {
                    summary
                };
                errors.push(join(&summary, &detail));
                haystack.push_str(&format!("{summary}\n{detail}\n"));
            }
        } else if level == "error" {
            errors.push(message.to_string());
            haystack.push_str(message);
            haystack.push('\n');
        }
        if mentions_aws_resource(line) {
            touched_aws = true;
        }
    }
    LogSummary {
        format: LogFormat::JsonLines,
        aws_errors: aws_errors(&haystack),
        errors,
        touched_aws,
    }
}

/// Whether a machine-readable line is about an `aws_*` resource or data source.
fn mentions_aws_resource(line: &Value) -> bool {
    let kinds = [
        "planned_change",
        "resource_drift",
        "refresh_start",
        "refresh_complete",
        "apply_start",
    ];
    let kind = line.get("type").and_then(Value::as_str).unwrap_or_default();
    if !kinds.contains(&kind) {
        return false;
    }
    let hook = line.get("hook").or_else(|| line.get("change"));
    let resource = hook.and_then(|h| h.get("resource"));
    let rtype = resource
        .and_then(|r| r.get("resource_type"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    rtype.starts_with("aws_")
}

fn parse_plain(text: &str) -> LogSummary {
    let mut errors = Vec::new();
    let mut current: Option<String> = None;
    let mut touched_aws = false;
    for raw in text.lines() {
        let line = raw
            .trim_start_matches(['│', '╷', '╵', ' ', '\t'])
            .trim_end();
        if let Some(rest) = line.strip_prefix("Error: ") {
            if let Some(done) = current.take() {
                errors.push(done);
            }
            current = Some(rest.to_string());
        } else if raw.trim_start().starts_with('╵') || (line.is_empty() && !raw.contains('│')) {
            if let Some(done) = current.take() {
                errors.push(done);
            }
        } else if let Some(cur) = current.as_mut() {
            if !line.is_empty() {
                cur.push(' ');
                cur.push_str(line);
            }
        }
        let t = line.trim_start_matches(['#', ' ', '+', '-', '~', '<', '=']);
        if t.starts_with("aws_")
            || t.starts_with("data.aws_")
            || t.contains(": Reading...") && t.contains("aws_")
        {
            touched_aws = true;
        }
    }
    if let Some(done) = current.take() {
        errors.push(done);
    }
    let errors: Vec<String> = errors.into_iter().map(|e| collapse(&e)).collect();
    LogSummary {
        format: LogFormat::Plain,
        aws_errors: aws_errors(text),
        errors,
        touched_aws,
    }
}

fn join(summary: &str, detail: &str) -> String {
    if detail.trim().is_empty() {
        collapse(summary)
    } else {
        collapse(&format!("{summary}: {detail}"))
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds the AWS authentication errors in free text (each kind once, in order).
pub fn aws_errors(text: &str) -> Vec<AwsAuthError> {
    let flat: String = text.lines().map(collapse).collect::<Vec<_>>().join("\n");
    let mut found: Vec<(usize, AwsAuthError)> = Vec::new();
    let mut push = |at: usize, e: AwsAuthError| {
        if !found
            .iter()
            .any(|(_, f)| std::mem::discriminant(f) == std::mem::discriminant(&e))
        {
            found.push((at, e));
        }
    };
    const NO_PROVIDER: &str = "No OpenIDConnect provider found in your account for ";
    if let Some(at) = flat.find(NO_PROVIDER) {
        let issuer = flat[at + NO_PROVIDER.len()..]
            .split(|c: char| c.is_whitespace() || c == ',' || c == '"')
            .next()
            .map(|s| s.trim_end_matches(['.', ')']).to_string())
            .filter(|s| !s.is_empty());
        push(at, AwsAuthError::NoOidcProvider { issuer });
    }
    if let Some(at) = flat.find("Incorrect token audience") {
        push(at, AwsAuthError::IncorrectAudience);
    }
    for (at, _) in flat.match_indices("InvalidIdentityToken") {
        let message = message_after(&flat, at + "InvalidIdentityToken".len());
        if !message.starts_with("No OpenIDConnect provider")
            && !message.starts_with("Incorrect token audience")
        {
            push(at, AwsAuthError::InvalidIdentityToken { message });
        }
    }
    for (at, _) in flat.match_indices("AccessDenied") {
        if window(&flat, at.saturating_sub(400), at + 200).contains("AssumeRoleWithWebIdentity") {
            let message = message_after(&flat, at + "AccessDenied".len());
            push(at, AwsAuthError::AccessDenied { message });
        }
    }
    if let Some(at) = flat
        .to_ascii_lowercase()
        .find("no valid credential sources")
    {
        push(at, AwsAuthError::NoCredentials);
    }
    if let Some(at) = flat.find("InvalidClientTokenId") {
        push(at, AwsAuthError::InvalidStaticKeys);
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, e)| e).collect()
}

/// `s[start..end]`, both ends moved inward to character boundaries and clamped to `s`.
fn window(s: &str, mut start: usize, mut end: usize) -> &str {
    end = end.min(s.len());
    start = start.min(end);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    while end > start && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[start..end]
}

/// The message after an error code (`Code: message`), up to the end of its sentence.
fn message_after(flat: &str, from: usize) -> String {
    let rest = window(flat, from, flat.len()).trim_start_matches([':', ' ']);
    let end = [
        "\n",
        "\"",
        " status code:",
        " with provider",
        " Please see",
        " │",
    ]
    .iter()
    .filter_map(|t| rest.find(t))
    .min()
    .unwrap_or(rest.len());
    window(rest, 0, end.min(240))
        .trim()
        .trim_end_matches(['.', ','])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCESS_DENIED: &str = "configuring Terraform AWS Provider: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 403, RequestID: 9d3eb4f3-2d48-4457-913b-c7611dd63c00, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity";

    fn json_diag(summary: &str) -> String {
        serde_json::json!({
            "@level": "error",
            "@message": format!("Error: {summary}"),
            "@module": "terraform.ui",
            "@timestamp": "2026-11-29T08:00:00.000000Z",
            "diagnostic": {"severity": "error", "summary": summary, "detail": "",
                "address": "provider[\"registry.terraform.io/hashicorp/aws\"]"},
            "type": "diagnostic"
        })
        .to_string()
    }

    #[test]
    fn structured_access_denied() {
        let log = format!(
            "\u{2}{}\n{}\n\u{3}",
            r#"{"@level":"info","@message":"Terraform 1.9.8","@module":"terraform.ui","terraform":"1.9.8","type":"version","ui":"1.2"}"#,
            json_diag(ACCESS_DENIED)
        );
        let s = parse(&log);
        assert_eq!(s.format, LogFormat::JsonLines);
        assert_eq!(s.errors.len(), 1);
        assert_eq!(
            s.aws_errors,
            vec![AwsAuthError::AccessDenied {
                message: "Not authorized to perform sts:AssumeRoleWithWebIdentity".into()
            }]
        );
    }

    #[test]
    fn plain_text_with_colours_and_frames() {
        let log = "\u{1b}[0m\u{1b}[1mInitializing plugins and modules...\u{1b}[0m\n\
            \u{1b}[31m╷\u{1b}[0m\u{1b}[0m\n\
            \u{1b}[31m│\u{1b}[0m \u{1b}[1m\u{1b}[31mError: \u{1b}[0m\u{1b}[0m\u{1b}[1mconfiguring Terraform AWS Provider: operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 400, RequestID: x, InvalidIdentityToken: No OpenIDConnect provider found in your account for https://app.terraform.io\u{1b}[0m\n\
            \u{1b}[31m│\u{1b}[0m\n\
            \u{1b}[31m│\u{1b}[0m   with provider[\"registry.terraform.io/hashicorp/aws\"],\n\
            \u{1b}[31m╵\u{1b}[0m\n";
        let s = parse(log);
        assert_eq!(s.format, LogFormat::Plain);
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        assert!(s.errors[0].starts_with("configuring Terraform AWS Provider"));
        assert!(s.errors[0].contains("with provider"));
        assert_eq!(
            s.aws_errors,
            vec![AwsAuthError::NoOidcProvider {
                issuer: Some("https://app.terraform.io".into())
            }]
        );
    }

    #[test]
    fn audience_and_other_token_errors() {
        let s = parse(&json_diag(
            "operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 400, api error InvalidIdentityToken: Incorrect token audience",
        ));
        assert_eq!(s.aws_errors, vec![AwsAuthError::IncorrectAudience]);
        let s = parse("Error: WebIdentityErr: failed to retrieve credentials\ncaused by: InvalidIdentityToken: Couldn't retrieve verification key from your identity provider\n");
        assert_eq!(
            s.aws_errors,
            vec![AwsAuthError::InvalidIdentityToken {
                message: "Couldn't retrieve verification key from your identity provider".into()
            }]
        );
        let s = parse("Error: No valid credential sources found\n\nPlease see https://registry.terraform.io/providers/hashicorp/aws\n");
        assert_eq!(s.aws_errors, vec![AwsAuthError::NoCredentials]);
        assert_eq!(s.errors, vec!["No valid credential sources found"]);
    }

    #[test]
    fn access_denied_elsewhere_is_not_an_authentication_error() {
        let s = parse(&json_diag(
            "reading S3 Bucket (logs): operation error S3: HeadBucket, api error AccessDenied: Access Denied",
        ));
        assert!(s.aws_errors.is_empty());
        assert_eq!(s.errors.len(), 1);
    }

    #[test]
    fn success_evidence() {
        let line = r#"{"@level":"info","@message":"data.aws_caller_identity.current: Refresh complete","type":"refresh_complete","hook":{"resource":{"addr":"data.aws_caller_identity.current","resource_type":"aws_caller_identity"}}}"#;
        let s = parse(line);
        assert!(s.touched_aws && s.errors.is_empty() && s.aws_errors.is_empty());
        let s = parse("data.aws_caller_identity.current: Reading...\ndata.aws_caller_identity.current: Read complete after 0s\n\nNo changes.\n");
        assert!(s.touched_aws);
        assert_eq!(parse("\u{2}\u{3}").format, LogFormat::Empty);
    }
}
