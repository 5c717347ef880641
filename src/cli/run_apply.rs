//! Applying a plan from the CLI, printing each change as it finishes.

use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::core::apply::{apply_in_accounts, ApplyReport, Progress};
use crate::core::error::ApplyError;
use crate::core::journal::{JournalWriter, RunLock};
use crate::core::plan::Plan;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Takes the journal's lock before planning ([`crate::core::journal::Journal::lock_for_run`],
/// the rule the wizard follows too), so a second run at once waits (then refuses) instead of
/// planning from a state the first one is changing.
pub async fn lock(ports: &Ports) -> Result<RunLock, CliError> {
    ports
        .journal
        .lock_for_run(|| eprintln!("waiting for another tfc-oidc run to finish…"))
        .await
        .map_err(CliError::from)
}

/// Applies `plan`; in text mode each finished change is printed as `✓` or `✗`.
pub async fn run_apply(
    plan: Plan,
    ports: &Ports,
    journal: &mut JournalWriter,
    quiet: bool,
) -> Result<ApplyReport, ApplyError> {
    let summaries: Vec<String> = plan
        .changes
        .iter()
        .map(|c| {
            let place = c.account.as_ref().map(|a| format!(" (in AWS account {a})"));
            let summary = crate::cli::output::escape(&c.change.summary());
            format!("{summary}{}", place.unwrap_or_default())
        })
        .collect();
    if !quiet {
        println!();
    }
    let progress = move |p: Progress| {
        if quiet {
            return;
        }
        match p {
            Progress::Done { index } => println!("  ✓ {}", summaries[index]),
            Progress::Failed { index, error } => println!(
                "  ✗ {}: {}",
                summaries[index],
                crate::cli::output::escape(&error)
            ),
            Progress::Skipped { index } => println!("  · {} (not started)", summaries[index]),
            Progress::Started { .. } => {}
        }
    };
    // Ctrl-C: let the calls in flight finish and be journaled, start nothing new, exit 3.
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.store(true, Ordering::SeqCst);
                eprintln!("\ninterrupted: finishing the change in flight, starting nothing new…");
            }
        })
    };
    let result = apply_in_accounts(
        plan,
        ports.iam.as_ref(),
        &ports.accounts,
        ports.tfc.as_ref(),
        journal,
        &progress,
        &stop,
    )
    .await;
    watcher.abort();
    result
}
