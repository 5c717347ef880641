//! Applying a plan from the CLI, printing each change as it finishes.

use crate::cli::connect::Ports;
use crate::core::apply::{apply, ApplyReport, Progress};
use crate::core::error::ApplyError;
use crate::core::journal::JournalWriter;
use crate::core::plan::Plan;

/// Applies `plan`; in text mode each finished change is printed as `✓` or `✗`.
pub async fn run_apply(
    plan: Plan,
    ports: &Ports,
    journal: &mut JournalWriter,
    quiet: bool,
) -> Result<ApplyReport, ApplyError> {
    let summaries: Vec<String> = plan.changes.iter().map(|c| c.change.summary()).collect();
    if !quiet {
        println!();
    }
    let progress = move |p: Progress| {
        if quiet {
            return;
        }
        match p {
            Progress::Done { index } => println!("  ✓ {}", summaries[index]),
            Progress::Failed { index, error } => println!("  ✗ {}: {error}", summaries[index]),
            Progress::Skipped { index } => println!("  · {} (not started)", summaries[index]),
            Progress::Started { .. } => {}
        }
    };
    apply(
        plan,
        ports.iam.as_ref(),
        ports.tfc.as_ref(),
        journal,
        &progress,
    )
    .await
}
