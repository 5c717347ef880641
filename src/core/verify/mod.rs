//! `verify`: prove that a workspace's runs authenticate to AWS. A plan-only run is queued on the
//! workspace's current configuration version (it can never be applied), followed until its plan
//! is over, and its plan log read; the report says whether the plan phase got AWS credentials
//! through OIDC and, when it did not, why — from the log's AWS errors, the workspace's variables
//! and IAM's evaluation of the role's trust policy against this workspace's token.
//!
//! The steps are separate so a front can ask before queueing: [`read_workspace`] (reads only),
//! [`precheck`], [`start`], [`follow`](follow::follow), [`conclude`]. [`verify_workspace`] runs
//! them all for fronts that asked already.

pub mod credentials;
pub mod diagnose;
mod facts;
pub mod follow;
pub mod log;
mod read;

use crate::core::ports::{CurrentConfiguration, Iam, RunInfo, Tfc, TfcError};
use crate::core::trust::subject::RunSubject;
use credentials::{credential_config, CredentialConfig};
use diagnose::{Cause, CauseCode, Evidence};
use follow::{run_progress, FollowEnd, FollowOptions};
use log::LogSummary;
use serde::Serialize;
use std::time::Duration;

pub use read::{read_workspace, WorkspaceState};

/// A plan-only run only has a plan phase: that is the phase whose credentials are checked.
pub const PHASE: &str = "plan";

/// The message the run carries in HCP Terraform.
pub const RUN_MESSAGE: &str =
    "tfc-oidc verify: plan-only run checking AWS dynamic credentials (cannot be applied)";

/// The run, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRecord {
    pub id: String,
    pub url: String,
    pub status: String,
}

/// Everything `verify` found out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    pub host: String,
    pub organization: String,
    pub project: String,
    pub workspace: String,
    pub run: Option<RunRecord>,
    pub authenticated: bool,
    pub phase: String,
    /// The role the plan phase assumes (from the workspace's variables).
    pub role_arn: Option<String>,
    pub credentials: CredentialConfig,
    pub log: Option<LogSummary>,
    pub causes: Vec<Cause>,
    pub timed_out: bool,
    pub notes: Vec<String>,
}

impl VerifyReport {
    /// The most telling cause.
    pub fn cause(&self) -> Option<&Cause> {
        self.causes.first()
    }
}

/// Something a front may show while `verify` works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyEvent {
    /// The run was queued.
    Queued(RunRecord),
    /// The run's status changed (`elapsed` since it was queued).
    Status { status: String, elapsed: Duration },
    /// Reading the plan log.
    ReadingLog,
}

/// The run's page: `https://HOST/app/ORG/workspaces/WS/runs/RUN`.
pub fn run_url(host: &str, org: &str, workspace: &str, run_id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string();
    format!(
        "https://{host}/app/{}/workspaces/{}/runs/{}",
        enc(org),
        enc(workspace),
        enc(run_id)
    )
}

/// The claims' subject of this workspace's plan phase.
pub fn plan_subject(state: &WorkspaceState) -> RunSubject {
    RunSubject::Workspace {
        organization: state.organization.clone(),
        project: state.project.clone(),
        workspace: state.workspace.name.clone(),
        phase: PHASE.into(),
    }
}

/// What stops a run before it is queued: a workspace without a configuration version.
pub fn precheck(state: &WorkspaceState) -> Option<Cause> {
    match &state.configuration {
        CurrentConfiguration::None => Some(no_configuration(&state.workspace.name)),
        _ => None,
    }
}

fn no_configuration(workspace: &str) -> Cause {
    Cause::new(
        CauseCode::NoConfigurationVersion,
        format!("workspace {workspace} has no configuration version, so no run can start"),
    )
    .fix("upload a configuration (connect a VCS repository, or run 'terraform plan' with the cloud block) and verify again")
}

/// Notes worth saying before the run (a configuration version that is not uploaded).
pub fn configuration_notes(state: &WorkspaceState) -> Vec<String> {
    match &state.configuration {
        CurrentConfiguration::Version(cv) => match cv.status.as_deref() {
            None | Some("uploaded") | Some("fetching") => vec![],
            Some(other) => vec![format!(
                "the current configuration version {} is {other}; the run may fail before planning",
                cv.id
            )],
        },
        _ => vec![],
    }
}

/// A report for a run that never started.
pub fn not_started(state: &WorkspaceState, host: &str, cause: Cause) -> VerifyReport {
    let credentials = credential_config(&state.variables, PHASE);
    VerifyReport {
        host: host.into(),
        organization: state.organization.clone(),
        project: state.project.clone(),
        workspace: state.workspace.name.clone(),
        run: None,
        authenticated: false,
        phase: PHASE.into(),
        role_arn: credentials.role_arn_value().map(String::from),
        credentials,
        log: None,
        causes: vec![cause],
        timed_out: false,
        notes: configuration_notes(state),
    }
}

/// Queues the plan-only run. `Ok(Err(cause))` when HCP Terraform refused it for want of a
/// configuration version.
pub async fn start(
    tfc: &dyn Tfc,
    state: &WorkspaceState,
) -> Result<Result<RunInfo, Cause>, TfcError> {
    match tfc
        .create_plan_only_run(&state.workspace.id, RUN_MESSAGE)
        .await
    {
        Ok(run) => Ok(Ok(run)),
        Err(TfcError::Rejected { status, detail })
            if (400..500).contains(&status)
                && detail.to_ascii_lowercase().contains("configuration") =>
        {
            Ok(Err(no_configuration(&state.workspace.name).detail(
                format!("HCP Terraform said ({status}): {detail}"),
            )))
        }
        Err(e) => Err(e),
    }
}

/// The record of a run for the report.
pub fn record(host: &str, state: &WorkspaceState, run: &RunInfo) -> RunRecord {
    RunRecord {
        id: run.id.clone(),
        url: run_url(host, &state.organization, &state.workspace.name, &run.id),
        status: run.status.clone(),
    }
}

/// Reads the plan log and AWS, and writes the report. `iam` is `None` when AWS is not to be
/// read; log and AWS read failures become notes.
pub async fn conclude(
    tfc: &dyn Tfc,
    iam: Option<&dyn Iam>,
    host: &str,
    state: &WorkspaceState,
    end: &FollowEnd,
    timeout: Duration,
) -> VerifyReport {
    let run = end.run();
    let mut notes = configuration_notes(state);
    let credentials = credential_config(&state.variables, PHASE);
    let timed_out = matches!(end, FollowEnd::TimedOut(_));
    let log = if timed_out {
        None
    } else {
        read_log(tfc, run, &mut notes).await
    };
    let phase = run_progress(&run.status);
    let quick = Evidence {
        phase,
        status: &run.status,
        config: &credentials,
        log: log.as_ref(),
        facts: None,
    };
    // AWS is read only when something went wrong: a success needs no explanation.
    let facts = match iam {
        Some(iam) if !timed_out && !diagnose::authenticated(&quick) => {
            let subject = plan_subject(state);
            diagnose::gather_aws(iam, host, &credentials, &subject, &mut notes).await
        }
        _ => None,
    };
    let evidence = Evidence {
        facts: facts.as_ref(),
        ..quick
    };
    let authenticated = !timed_out && diagnose::authenticated(&evidence);
    let mut causes = if timed_out {
        vec![timed_out_cause(run, timeout)]
    } else {
        diagnose::causes(&evidence)
    };
    if authenticated && log.as_ref().is_some_and(|l| !l.touched_aws) {
        notes.push("the plan shows no AWS resource or data source: if the configuration does not use the AWS provider, this run does not prove the role works".into());
    }
    if !authenticated && causes.is_empty() {
        causes.push(Cause::new(
            CauseCode::RunErrored,
            format!("the run ended as {}", run.status),
        ));
    }
    VerifyReport {
        host: host.into(),
        organization: state.organization.clone(),
        project: state.project.clone(),
        workspace: state.workspace.name.clone(),
        run: Some(record(host, state, run)),
        authenticated,
        phase: PHASE.into(),
        role_arn: credentials.role_arn_value().map(String::from),
        credentials,
        log,
        causes,
        timed_out,
        notes,
    }
}

fn timed_out_cause(run: &RunInfo, timeout: Duration) -> Cause {
    let mut c = Cause::new(
        CauseCode::TimedOut,
        format!(
            "gave up after {}: the run is still {}",
            human_duration(timeout),
            run.status
        ),
    );
    if let Some(p) = run.position_in_queue.filter(|p| *p > 0) {
        c = c.detail(format!("position in the queue: {p}"));
    }
    c.fix("the run stays queued in HCP Terraform: follow it at its URL, or verify again with a longer --timeout")
}

/// `90s`, `10m`, `1h30m`.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

async fn read_log(tfc: &dyn Tfc, run: &RunInfo, notes: &mut Vec<String>) -> Option<LogSummary> {
    let Some(plan_id) = &run.plan_id else {
        notes.push("the run names no plan, so its log was not read".into());
        return None;
    };
    let plan = match tfc.plan(plan_id).await {
        Ok(p) => p,
        Err(e) => {
            notes.push(format!("the plan could not be read: {e}"));
            return None;
        }
    };
    match tfc.plan_log(&plan).await {
        Ok(text) => Some(log::parse(&text)),
        Err(e) => {
            notes.push(format!("the plan log could not be read: {e}"));
            None
        }
    }
}

/// Runs every step (for fronts that have already asked): read, precheck, queue, follow,
/// conclude. Events go to `on_event`.
pub async fn verify_workspace(
    tfc: &dyn Tfc,
    iam: Option<&dyn Iam>,
    org: &str,
    workspace: &str,
    options: FollowOptions,
    on_event: &(dyn Fn(VerifyEvent) + Send + Sync),
) -> Result<VerifyReport, TfcError> {
    let host = tfc.host().to_string();
    let state = read_workspace(tfc, org, workspace).await?;
    if let Some(cause) = precheck(&state) {
        return Ok(not_started(&state, &host, cause));
    }
    let run = match start(tfc, &state).await? {
        Ok(run) => run,
        Err(cause) => return Ok(not_started(&state, &host, cause)),
    };
    on_event(VerifyEvent::Queued(record(&host, &state, &run)));
    let on_change = |r: &RunInfo, elapsed: Duration| {
        on_event(VerifyEvent::Status {
            status: r.status.clone(),
            elapsed,
        })
    };
    let end = follow::follow(tfc, run, options, &on_change).await?;
    on_event(VerifyEvent::ReadingLog);
    Ok(conclude(tfc, iam, &host, &state, &end, options.timeout).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_durations() {
        assert_eq!(
            run_url("app.terraform.io", "acme", "net work", "run-1"),
            "https://app.terraform.io/app/acme/workspaces/net%20work/runs/run-1"
        );
        assert_eq!(human_duration(Duration::from_secs(600)), "10m");
        assert_eq!(human_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(human_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(human_duration(Duration::from_millis(300)), "300ms");
    }
}
