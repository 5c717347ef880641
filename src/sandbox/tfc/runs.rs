//! Simulated runs for `--demo verify`: a plan-only run on a sandbox workspace moves one status
//! further on each `GET /runs/:id` (pending → plan_queued → planning → planned_and_finished or
//! errored), and its outcome is what HCP Terraform and AWS would make of the workspace's
//! variables, the role and its trust policy: IAM's evaluator decides, against the sandbox AWS
//! account. The log comes as Terraform's JSON lines (structured run output) or, for the
//! workspaces of project `data`, as plain console text.

use super::state::TfcState;
use super::vars::{not_found, rejected};
use crate::core::names::{account_of, iam_role_name_of as role_name_of};
use crate::core::ports::{Iam, PlanInfo, RunInfo, TfcError, Variable};
use crate::core::trust::subject::RunSubject;
use crate::core::trust::{evaluate, Claims, PolicyDocument};
use crate::core::variables::{EffectiveVariable, VariableSource};
use crate::core::verify::credentials::{credential_config, CredentialConfig};
use crate::sandbox::iam::WebIdentityCall;
use crate::sandbox::SandboxIam;
use serde::{Deserialize, Serialize};

/// Statuses a simulated run goes through before its last one.
const STEPS: &[&str] = &["pending", "plan_queued", "planning"];

/// A simulated run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RunState {
    pub(crate) id: String,
    pub(crate) workspace_id: String,
    pub(crate) plan_id: String,
    /// How far along [`STEPS`] the run is; past the end it has its final status.
    pub(crate) step: usize,
    pub(crate) final_status: String,
    pub(crate) log: String,
}

impl RunState {
    fn status(&self) -> &str {
        STEPS.get(self.step).copied().unwrap_or(&self.final_status)
    }

    pub(crate) fn view(&self) -> RunInfo {
        RunInfo {
            id: self.id.clone(),
            status: self.status().to_string(),
            plan_only: true,
            plan_id: Some(self.plan_id.clone()),
            position_in_queue: (self.step <= 1).then_some(0),
        }
    }

    pub(crate) fn plan_view(&self) -> PlanInfo {
        let status = match self.status() {
            "pending" => "pending",
            "plan_queued" => "queued",
            "planning" => "running",
            "errored" => "errored",
            _ => "finished",
        };
        PlanInfo {
            id: self.plan_id.clone(),
            status: status.into(),
            log_read_url: Some(format!("sandbox://archivist/{}", self.plan_id)),
        }
    }

    pub(crate) fn log_so_far(&self) -> String {
        if self.step >= STEPS.len() {
            self.log.clone()
        } else {
            String::new()
        }
    }
}

impl TfcState {
    pub(crate) fn run_mut(&mut self, id: &str) -> Result<&mut RunState, TfcError> {
        self.runs
            .get_mut(id)
            .ok_or_else(|| not_found(format!("run '{id}'")))
    }

    pub(crate) fn run_by_plan(&self, plan_id: &str) -> Result<&RunState, TfcError> {
        self.runs
            .values()
            .find(|r| r.plan_id == plan_id)
            .ok_or_else(|| not_found(format!("plan '{plan_id}'")))
    }

    /// What a run needs to know about a workspace, or why none can start.
    pub(crate) fn run_input(&self, ws_id: &str) -> Result<RunInput, TfcError> {
        let w = self.ws(ws_id)?;
        if w.no_configuration {
            return Err(rejected(
                "Configuration version is missing: the workspace has no configuration to plan",
            ));
        }
        let project = self.project(&w.project_id)?.project.name.clone();
        Ok(RunInput {
            host: self.host.clone(),
            subject: RunSubject::Workspace {
                organization: w.org.clone(),
                project: project.clone(),
                workspace: w.name.clone(),
                phase: "plan".into(),
            },
            structured: project != "data",
            variables: self.effective_vars(ws_id)?,
        })
    }

    /// Stores a new run with its outcome; ids come from a counter of their own, so queueing a
    /// run never shifts the ids of later workspaces or variables.
    pub(crate) fn add_run(
        &mut self,
        ws_id: &str,
        outcome: RunOutcome,
        structured: bool,
    ) -> RunInfo {
        self.run_counter += 1;
        let n = self.run_counter ^ 0x7275_6e00_0000_0000;
        let run = RunState {
            id: super::state::make_id("run", n),
            workspace_id: ws_id.into(),
            plan_id: super::state::make_id("plan", n),
            step: 0,
            final_status: outcome.final_status().into(),
            log: outcome.log(&self.host, structured),
        };
        let view = run.view();
        self.runs.insert(run.id.clone(), run);
        view
    }
}

/// What [`TfcState::run_input`] hands to the simulation.
pub(crate) struct RunInput {
    pub(crate) host: String,
    pub(crate) subject: RunSubject,
    pub(crate) structured: bool,
    pub(crate) variables: Vec<Variable>,
}

/// How the AWS provider fares in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunOutcome {
    /// Dynamic credentials worked.
    Assumed,
    /// No dynamic credentials, but static keys: the plan runs on them.
    StaticKeys,
    NoCredentials,
    AccessDenied,
    NoProvider,
    WrongAudience,
}

impl RunOutcome {
    fn final_status(&self) -> &'static str {
        match self {
            RunOutcome::Assumed | RunOutcome::StaticKeys => "planned_and_finished",
            _ => "errored",
        }
    }

    fn error(&self, host: &str) -> Option<String> {
        let sts = "configuring Terraform AWS Provider: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity, https response error";
        let rid = "RequestID: 5d0c1c0e-8f3a-4c55-9d6b-2b1f0a7e3c11";
        Some(match self {
            RunOutcome::Assumed | RunOutcome::StaticKeys => return None,
            RunOutcome::NoCredentials => "No valid credential sources found".into(),
            RunOutcome::AccessDenied => format!(
                "{sts} StatusCode: 403, {rid}, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
            ),
            RunOutcome::NoProvider => format!(
                "{sts} StatusCode: 400, {rid}, InvalidIdentityToken: No OpenIDConnect provider found in your account for https://{host}"
            ),
            RunOutcome::WrongAudience => format!(
                "{sts} StatusCode: 400, {rid}, InvalidIdentityToken: Incorrect token audience"
            ),
        })
    }

    fn log(&self, host: &str, structured: bool) -> String {
        match (self.error(host), structured) {
            (Some(e), true) => json_lines(&[
                r#"{"@level":"info","@message":"Terraform 1.9.8","@module":"terraform.ui","terraform":"1.9.8","type":"version","ui":"1.2"}"#.into(),
                serde_json::json!({"@level":"error","@message":format!("Error: {e}"),"@module":"terraform.ui",
                    "diagnostic":{"severity":"error","summary":e,"detail":"",
                    "address":"provider[\"registry.terraform.io/hashicorp/aws\"]"},"type":"diagnostic"}).to_string(),
            ]),
            (None, true) => json_lines(&[
                r#"{"@level":"info","@message":"Terraform 1.9.8","@module":"terraform.ui","terraform":"1.9.8","type":"version","ui":"1.2"}"#.into(),
                r#"{"@level":"info","@message":"data.aws_caller_identity.current: Refreshing...","@module":"terraform.ui","hook":{"resource":{"addr":"data.aws_caller_identity.current","module":"","resource":"data.aws_caller_identity.current","implied_provider":"aws","resource_type":"aws_caller_identity","resource_name":"current","resource_key":null},"action":"read"},"type":"refresh_start"}"#.into(),
                r#"{"@level":"info","@message":"data.aws_caller_identity.current: Refresh complete","@module":"terraform.ui","hook":{"resource":{"addr":"data.aws_caller_identity.current","module":"","resource":"data.aws_caller_identity.current","implied_provider":"aws","resource_type":"aws_caller_identity","resource_name":"current","resource_key":null},"action":"read"},"type":"refresh_complete"}"#.into(),
                r#"{"@level":"info","@message":"Plan: 0 to add, 0 to change, 0 to destroy.","@module":"terraform.ui","changes":{"add":0,"change":0,"import":0,"remove":0,"operation":"plan"},"type":"change_summary"}"#.into(),
            ]),
            (Some(e), false) => format!(
                "\u{2}Terraform v1.9.8\non linux_amd64\nInitializing plugins and modules...\n\u{1b}[31m╷\u{1b}[0m\n\u{1b}[31m│\u{1b}[0m \u{1b}[1m\u{1b}[31mError: \u{1b}[0m\u{1b}[1m{e}\u{1b}[0m\n\u{1b}[31m│\u{1b}[0m\n\u{1b}[31m│\u{1b}[0m   with provider[\"registry.terraform.io/hashicorp/aws\"],\n\u{1b}[31m│\u{1b}[0m   on main.tf line 1, in provider \"aws\":\n\u{1b}[31m╵\u{1b}[0m\n\u{3}"
            ),
            (None, false) => "\u{2}Terraform v1.9.8\non linux_amd64\nInitializing plugins and modules...\ndata.aws_caller_identity.current: Reading...\ndata.aws_caller_identity.current: Read complete after 0s [id=123456789012]\n\nNo changes. Your infrastructure matches the configuration.\n\u{3}".into(),
        }
    }
}

fn json_lines(lines: &[String]) -> String {
    format!("\u{2}{}\n\u{3}", lines.join("\n"))
}

/// What AWS makes of a run: the outcome, and the role and audience it tried (when it got as far
/// as calling `AssumeRoleWithWebIdentity`).
pub(crate) struct Simulation {
    pub(crate) outcome: RunOutcome,
    pub(crate) attempt: Option<(String, String)>,
}

/// The dynamic-credential settings a plan of `input`'s workspace reads.
fn plan_config(input: &RunInput) -> CredentialConfig {
    let vars: Vec<EffectiveVariable> = input
        .variables
        .iter()
        .map(|v| EffectiveVariable {
            variable: v.clone(),
            source: VariableSource::Workspace,
        })
        .collect();
    credential_config(&vars, "plan")
}

/// The linked account the run's role ARN names, else the first linked one.
pub(crate) fn account_for(
    input: &RunInput,
    linked: &[std::sync::Arc<SandboxIam>],
) -> Option<std::sync::Arc<SandboxIam>> {
    let config = plan_config(input);
    let named = config.role_arn_value().and_then(account_of);
    let matching = linked
        .iter()
        .find(|i| Some(i.account_id().as_str()) == named);
    matching.or(linked.first()).cloned()
}

/// What AWS makes of a run of `input`'s workspace, through the sandbox account `iam`.
pub(crate) async fn simulate(input: &RunInput, iam: Option<&SandboxIam>) -> Simulation {
    let config = plan_config(input);
    let static_keys = input
        .variables
        .iter()
        .any(|v| v.key == crate::core::variables::dynamic_vars::STATIC_KEYS[0]);
    let done = |outcome| Simulation {
        outcome,
        attempt: None,
    };
    if !config.enabled() {
        return done(if static_keys {
            RunOutcome::StaticKeys
        } else {
            RunOutcome::NoCredentials
        });
    }
    let (Some(iam), Some(arn)) = (iam, config.role_arn_value()) else {
        return done(RunOutcome::AccessDenied);
    };
    let tried = |outcome| Simulation {
        outcome,
        attempt: Some((arn.to_string(), config.audience.clone())),
    };
    let Ok(caller) = iam.caller_identity().await else {
        return done(RunOutcome::AccessDenied);
    };
    if account_of(arn) != Some(caller.account.as_str()) {
        // Another account: its provider is not in this sandbox.
        return done(RunOutcome::NoProvider);
    }
    let provider_arn =
        crate::core::names::oidc_provider_arn(caller.partition(), &caller.account, &input.host);
    let provider = match iam.get_oidc_provider(&provider_arn).await {
        Ok(Some(p)) => p,
        _ => return tried(RunOutcome::NoProvider),
    };
    if !provider.client_ids.contains(&config.audience) {
        return tried(RunOutcome::WrongAudience);
    }
    let role = match role_name_of(arn) {
        Some(name) => iam.get_role(name).await.ok().flatten(),
        None => None,
    };
    let Some(role) = role else {
        return tried(RunOutcome::AccessDenied);
    };
    let claims = Claims::for_subject(&input.host, &provider_arn, &config.audience, &input.subject);
    match PolicyDocument::parse(&role.trust_policy) {
        Ok(doc) if evaluate(&doc, &claims).allowed => tried(RunOutcome::Assumed),
        _ => tried(RunOutcome::AccessDenied),
    }
}

impl Simulation {
    /// Records the `AssumeRoleWithWebIdentity` call in the account's CloudTrail.
    pub(crate) fn record(&self, iam: &SandboxIam, input: &RunInput, run_id: &str) {
        let Some((role_arn, audience)) = &self.attempt else {
            return;
        };
        let error = match self.outcome {
            RunOutcome::AccessDenied => Some((
                "AccessDenied",
                "Not authorized to perform sts:AssumeRoleWithWebIdentity",
            )),
            RunOutcome::NoProvider => Some((
                "InvalidIdentityToken",
                "No OpenIDConnect provider found in your account",
            )),
            RunOutcome::WrongAudience => Some(("InvalidIdentityToken", "Incorrect token audience")),
            _ => None,
        };
        let subject = input.subject.to_sub();
        iam.record_web_identity(&WebIdentityCall {
            host: &input.host,
            audience,
            subject: &subject,
            role_arn,
            session_name: &format!("terraform-{run_id}"),
            error,
        });
    }
}
