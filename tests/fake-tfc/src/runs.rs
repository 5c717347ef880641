//! Runs, plans and plan logs: what a queued run does, scripted per workspace.
//!
//! Each `GET /runs/:id` moves a run one status further (`pending` → `plan_queued` → `planning`
//! → its last status), except a run scripted to stay in the queue. The plan log is served from
//! `/_archivist/v1/object/<token>` on the same server, as HCP Terraform's archive host would
//! serve it (STX … ETX around the text), and that path refuses any request that carries an
//! `Authorization` header.

use serde_json::json;

/// How a run on a workspace goes. Unscripted workspaces succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// The plan reads AWS (`data.aws_caller_identity`) and finishes.
    Succeed,
    /// STS refuses: `AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`.
    AccessDenied,
    /// `InvalidIdentityToken: No OpenIDConnect provider found in your account for ISSUER`.
    NoOidcProvider { issuer: String },
    /// `InvalidIdentityToken: Incorrect token audience`.
    IncorrectAudience,
    /// The AWS provider finds no credentials at all.
    NoCredentials,
    /// Any other error diagnostic.
    Errored(String),
    /// The run stays `plan_queued` for ever.
    NeverLeavesQueue,
}

/// How the log is written: Terraform's JSON lines (structured run output) or console text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    JsonLines,
    Plain,
}

/// One run in the fake.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub id: String,
    pub plan_id: String,
    pub apply_id: String,
    pub workspace_id: String,
    pub cv_id: String,
    pub plan_only: bool,
    pub message: String,
    pub created_at: String,
    pub step: usize,
    pub outcome: RunOutcome,
    pub format: LogFormat,
}

const STEPS: &[&str] = &["pending", "plan_queued", "planning"];

impl Run {
    pub fn status(&self) -> &'static str {
        if self.outcome == RunOutcome::NeverLeavesQueue {
            return STEPS[self.step.min(1)];
        }
        match STEPS.get(self.step) {
            Some(s) => s,
            None if self.outcome == RunOutcome::Succeed => "planned_and_finished",
            None => "errored",
        }
    }

    pub fn plan_status(&self) -> &'static str {
        match self.status() {
            "pending" => "pending",
            "plan_queued" => "queued",
            "planning" => "running",
            "errored" => "errored",
            _ => "finished",
        }
    }

    /// The opaque archive token of this run's plan log.
    pub fn log_token(&self) -> String {
        let hex: String = self.plan_id.bytes().map(|b| format!("{b:02x}")).collect();
        format!("dmF1bHQ6djE6{hex}")
    }

    /// The log as the archive serves it now: the whole log once the plan is over.
    pub fn log(&self) -> String {
        if matches!(self.plan_status(), "finished" | "errored") {
            format!("\u{2}{}\u{3}", body(&self.outcome, self.format))
        } else {
            "\u{2}".to_string()
        }
    }
}

fn error_text(outcome: &RunOutcome) -> Option<String> {
    let sts = "configuring Terraform AWS Provider: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity, https response error";
    Some(match outcome {
        RunOutcome::Succeed | RunOutcome::NeverLeavesQueue => return None,
        RunOutcome::AccessDenied => format!("{sts} StatusCode: 403, RequestID: 0a1b2c3d-0000-4000-8000-000000000001, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
        RunOutcome::NoOidcProvider { issuer } => format!("{sts} StatusCode: 400, RequestID: 0a1b2c3d-0000-4000-8000-000000000002, InvalidIdentityToken: No OpenIDConnect provider found in your account for {issuer}"),
        RunOutcome::IncorrectAudience => format!("{sts} StatusCode: 400, RequestID: 0a1b2c3d-0000-4000-8000-000000000003, InvalidIdentityToken: Incorrect token audience"),
        RunOutcome::NoCredentials => "No valid credential sources found".to_string(),
        RunOutcome::Errored(m) => m.clone(),
    })
}

const VERSION_LINE: &str = r#"{"@level":"info","@message":"Terraform 1.9.8","@module":"terraform.ui","@timestamp":"2026-11-29T08:00:00.000000Z","terraform":"1.9.8","type":"version","ui":"1.2"}"#;

fn body(outcome: &RunOutcome, format: LogFormat) -> String {
    let error = error_text(outcome);
    match (format, error) {
        (LogFormat::JsonLines, Some(e)) => {
            let detail = if e.starts_with("No valid credential sources") {
                "Please see https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration for more information about providing credentials."
            } else {
                ""
            };
            let diag = json!({
                "@level": "error", "@message": format!("Error: {e}"), "@module": "terraform.ui",
                "@timestamp": "2026-11-29T08:00:02.000000Z",
                "diagnostic": {"severity": "error", "summary": e, "detail": detail,
                    "address": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                    "range": {"filename": "main.tf", "start": {"line": 1, "column": 1, "byte": 0},
                              "end": {"line": 1, "column": 15, "byte": 14}},
                    "snippet": {"context": null, "code": "provider \"aws\" {", "start_line": 1,
                                "highlight_start_offset": 0, "highlight_end_offset": 14, "values": []}},
                "type": "diagnostic"
            });
            format!("{VERSION_LINE}\n{diag}\n")
        }
        (LogFormat::JsonLines, None) => {
            let hook = json!({"resource": {"addr": "data.aws_caller_identity.current", "module": "",
                "resource": "data.aws_caller_identity.current", "implied_provider": "aws",
                "resource_type": "aws_caller_identity", "resource_name": "current", "resource_key": null},
                "action": "read"});
            let start = json!({"@level": "info", "@message": "data.aws_caller_identity.current: Refreshing...",
                "@module": "terraform.ui", "@timestamp": "2026-11-29T08:00:01.000000Z", "hook": hook, "type": "refresh_start"});
            let done = json!({"@level": "info", "@message": "data.aws_caller_identity.current: Refresh complete",
                "@module": "terraform.ui", "@timestamp": "2026-11-29T08:00:02.000000Z", "hook": hook, "type": "refresh_complete"});
            let summary = json!({"@level": "info", "@message": "Plan: 0 to add, 0 to change, 0 to destroy.",
                "@module": "terraform.ui", "@timestamp": "2026-11-29T08:00:02.000000Z",
                "changes": {"add": 0, "change": 0, "import": 0, "remove": 0, "operation": "plan"}, "type": "change_summary"});
            format!("{VERSION_LINE}\n{start}\n{done}\n{summary}\n")
        }
        (LogFormat::Plain, Some(e)) => format!(
            "Terraform v1.9.8\non linux_amd64\nInitializing plugins and modules...\n\
             \u{1b}[31m╷\u{1b}[0m\u{1b}[0m\n\
             \u{1b}[31m│\u{1b}[0m \u{1b}[0m\u{1b}[1m\u{1b}[31mError: \u{1b}[0m\u{1b}[0m\u{1b}[1m{e}\u{1b}[0m\n\
             \u{1b}[31m│\u{1b}[0m \u{1b}[0m\n\
             \u{1b}[31m│\u{1b}[0m \u{1b}[0m\u{1b}[0m  with provider[\"registry.terraform.io/hashicorp/aws\"],\n\
             \u{1b}[31m│\u{1b}[0m \u{1b}[0m  on main.tf line 1, in provider \"aws\":\n\
             \u{1b}[31m│\u{1b}[0m \u{1b}[0m   1: provider \"aws\" {{\n\
             \u{1b}[31m╵\u{1b}[0m\u{1b}[0m\n"
        ),
        (LogFormat::Plain, None) => "Terraform v1.9.8\non linux_amd64\nInitializing plugins and modules...\n\
             data.aws_caller_identity.current: Reading...\n\
             data.aws_caller_identity.current: Read complete after 0s [id=123456789012]\n\n\
             No changes. Your infrastructure matches the configuration.\n"
            .to_string(),
    }
}
