//! The one plan → confirm → journal → apply path of the mutating commands (`setup`, `migrate`,
//! `undo`): a dry run stops at the plan, an empty plan needs no confirmation, anything else is
//! confirmed (or refused without a terminal), journaled and applied.

use crate::cli::confirm::{confirm_or_refuse, Confirmation};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::run_apply::run_apply;
use crate::core::apply::ApplyReport;
use crate::core::journal::RecordKind;
use crate::core::plan::Plan;
use std::path::PathBuf;

/// How the flow ended.
pub enum Flow {
    /// `--dry-run`: nothing was applied.
    DryRun(Plan),
    /// The plan had no changes.
    NothingToDo(Plan),
    /// The user said no.
    Cancelled,
    Applied {
        report: Box<ApplyReport>,
        /// The journal file the apply was recorded in (`None` for an in-memory journal).
        journal: Option<PathBuf>,
    },
}

/// What the command line said about applying.
#[derive(Debug, Clone, Copy)]
pub struct FlowOptions {
    pub dry_run: bool,
    pub yes: bool,
    pub json: bool,
    /// What the journal records: an apply, or the undo of one.
    pub kind: RecordKind,
    /// Journal and "apply" an empty plan too: an undo with nothing left to revert still marks
    /// its apply reverted, so the next undo reaches the apply before it.
    pub record_empty: bool,
}

impl FlowOptions {
    /// An apply (`setup`, `migrate`): an empty plan ends the flow.
    pub fn apply(dry_run: bool, yes: bool, json: bool) -> FlowOptions {
        FlowOptions {
            dry_run,
            yes,
            json,
            kind: RecordKind::Apply,
            record_empty: false,
        }
    }
}

/// Runs the flow. `show_plan` prints the plan before the question (text mode only).
pub async fn confirm_and_apply(
    plan: Plan,
    ports: &Ports,
    opts: FlowOptions,
    show_plan: &dyn Fn(&Plan),
) -> Result<Flow, CliError> {
    if opts.dry_run {
        return Ok(Flow::DryRun(plan));
    }
    if plan.is_empty() && !opts.record_empty {
        return Ok(Flow::NothingToDo(plan));
    }
    if !plan.is_empty() {
        if !opts.json {
            show_plan(&plan);
        }
        if confirm_or_refuse(opts.yes, plan.changes.len())? == Confirmation::Cancelled {
            println!("Nothing was changed.");
            return Ok(Flow::Cancelled);
        }
    }
    let mut journal = ports.journal.begin(&plan, opts.kind)?;
    let report = run_apply(plan, ports, &mut journal, opts.json).await?;
    Ok(Flow::Applied {
        report: Box::new(report),
        journal: journal.path().map(PathBuf::from),
    })
}
