//! `tfc-oidc verify`: queue a plan-only run on a workspace, follow it with a progress line on
//! stderr, read its plan log and say whether the plan phase authenticated to AWS — and, when it
//! did not, why. Exit 0 when it authenticated, 1 otherwise.

use crate::cli::args::{Format, GlobalArgs, VerifyArgs};
use crate::cli::confirm::{ask_or_refuse, Confirmation};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::output;
use crate::cli::output::escape;
use crate::cli::verify_output::{report_json, report_text};
use crate::core::ports::RunInfo;
use crate::core::verify::follow::{follow, FollowOptions};
use crate::core::verify::{
    conclude, not_started, precheck, read_workspace, record, start, VerifyReport,
};
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// Runs `verify`.
pub async fn run(global: &GlobalArgs, args: &VerifyArgs) -> Result<(), CliError> {
    let ports = Ports::connect(global).await?;
    let result = verify(&ports, args).await;
    ports.finish()?;
    let report = result?;
    print_report(&report, args.format, global.demo);
    if report.authenticated {
        Ok(())
    } else {
        let why = report
            .cause()
            .map_or_else(|| "see the report".to_string(), |c| escape(&c.summary));
        let ws = escape(&report.workspace);
        Err(CliError::failure(match &report.run {
            Some(_) => format!("workspace {ws} did not authenticate to AWS: {why}"),
            None => why,
        }))
    }
}

/// Prints the report; the demo's suggested commands carry `--demo`.
fn print_report(report: &VerifyReport, format: Format, demo: bool) {
    match format {
        Format::Json => println!("{}", report_json(report)),
        Format::Text => {
            let text = report_text(report, output::colour_enabled());
            print!("{}", crate::core::text::hints_for(demo, &text))
        }
    }
}

async fn verify(ports: &Ports, args: &VerifyArgs) -> Result<VerifyReport, CliError> {
    let tfc = ports.tfc.as_ref();
    let host = tfc.host().to_string();
    let state = read_workspace(tfc, &args.org, &args.workspace).await?;
    if let Some(cause) = precheck(&state) {
        return Ok(not_started(&state, &host, cause));
    }
    eprintln!(
        "tfc-oidc verify queues a plan-only run on workspace {} (organization {}, project {}) on {host}.\n\
         A plan-only run can never be applied: it changes nothing, it only shows whether the plan phase gets AWS credentials.",
        escape(&state.workspace.name),
        escape(&state.organization),
        escape(&state.project),
    );
    let refusal = "refusing to queue a run without --yes: standard input is not a terminal";
    if ask_or_refuse(args.yes, "Queue the run?", refusal)? == Confirmation::Cancelled {
        return Err(CliError::failure("cancelled: no run was queued"));
    }
    let run = match start(tfc, &state).await? {
        Ok(run) => run,
        Err(cause) => return Ok(not_started(&state, &host, cause)),
    };
    let rec = record(&host, &state, &run);
    eprintln!("Queued run {} — {}", escape(&rec.id), rec.url);
    let options = FollowOptions {
        timeout: args.timeout,
        first_interval: args.poll_interval.max(Duration::from_millis(10)),
        ..FollowOptions::default()
    };
    let line = ProgressLine::new();
    let on_change = |r: &RunInfo, elapsed: Duration| line.status(r, elapsed);
    let end = follow(tfc, run, options, &on_change)
        .await
        .map_err(|e| CliError::service(&format!("while following run {}", rec.id), e))?;
    line.done();
    Ok(conclude(
        tfc,
        Some(ports.iam.as_ref()),
        &host,
        &state,
        &end,
        args.timeout,
    )
    .await)
}

/// The progress line on stderr: rewritten in place on a terminal, one line per status
/// elsewhere (a log file keeps every change).
struct ProgressLine {
    terminal: bool,
}

impl ProgressLine {
    fn new() -> ProgressLine {
        ProgressLine {
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn status(&self, run: &RunInfo, elapsed: Duration) {
        let queue = run
            .position_in_queue
            .filter(|p| *p > 0)
            .map(|p| format!(" (position {p} in the queue)"))
            .unwrap_or_default();
        let text = format!(
            "  {:>4}s  {}{queue}",
            elapsed.as_secs(),
            escape(&run.status)
        );
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K{text}");
        } else {
            let _ = writeln!(err, "{text}");
        }
        let _ = err.flush();
    }

    fn done(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}
