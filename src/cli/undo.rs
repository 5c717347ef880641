//! `tfc-oidc undo`: revert the last apply recorded in the journal.

use crate::cli::account_ports::connect_accounts;
use crate::cli::args::{Format, GlobalArgs, UndoArgs};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::flow::{confirm_and_apply, Flow, FlowOptions};
use crate::cli::output;
use crate::core::apply::ApplyReport;
use crate::core::journal::{Entry, Record, RecordKind};
use crate::core::plan::Plan;
use crate::core::undo::plan_undo_in;
use serde_json::json;

/// Runs `undo`.
pub async fn run(global: &GlobalArgs, args: &UndoArgs) -> Result<(), CliError> {
    let mut ports = Ports::connect(global).await?;
    // The other accounts the apply acted in, through the profiles it recorded.
    let profiles = ports
        .journal
        .last_apply()
        .map(|r| r.account_profiles())
        .unwrap_or_default();
    let region = global.region.as_deref();
    ports.accounts = connect_accounts(&profiles, region, ports.sandbox()).await?;
    let result = undo(&ports, args).await;
    ports.finish()?;
    result
}

async fn undo(ports: &Ports, args: &UndoArgs) -> Result<(), CliError> {
    let json = args.format == Format::Json;
    let _lock = match args.dry_run {
        true => None,
        false => Some(crate::cli::run_apply::lock(ports).await?),
    };
    let Some(record) = ports.journal.last_apply() else {
        print_nothing_to_undo(ports, json);
        return Ok(());
    };
    check_same_place(ports, &record).await?;
    let iam = ports.iam.as_ref();
    let plan = plan_undo_in(&record, iam, &ports.accounts, ports.tfc.as_ref()).await?;
    if !json {
        print_undo_plan(&record, &plan);
    }
    let opts = FlowOptions {
        dry_run: args.dry_run,
        yes: args.yes,
        json,
        kind: RecordKind::Undo,
        record_empty: true,
    };
    let (report, journal) = match confirm_and_apply(plan, ports, opts, &|_| {}).await? {
        Flow::DryRun(plan) | Flow::NothingToDo(plan) => {
            if json {
                println!("{}", undo_json(&record, false, &plan));
            }
            return Ok(());
        }
        Flow::Cancelled => return Ok(()),
        Flow::Applied { report, journal } => (report, journal),
    };
    if let Some(path) = journal {
        ports.journal.mark_reverted(&record, &path)?;
    }
    print_reverted(&record, &report, json);
    Ok(())
}

/// Says the journal holds no apply to revert.
fn print_nothing_to_undo(ports: &Ports, json: bool) {
    let place = ports
        .journal
        .dir()
        .map_or("memory".to_string(), |d| d.display().to_string());
    if json {
        println!("{}", json!({"plan": [], "applied": false, "journal": null}));
    } else {
        println!("Nothing to undo: the journal ({place}) has no apply left to revert.");
    }
}

/// Refuses an undo against another host or AWS account than the apply's: reverting there would
/// delete the wrong things.
async fn check_same_place(ports: &Ports, record: &Record) -> Result<(), CliError> {
    let Some(Entry::Begin { host, account, .. }) = record.entries.first() else {
        return Ok(());
    };
    if host != ports.tfc.host() {
        return Err(CliError::usage(format!(
            "the last apply was on {host}, not {}: pass --hostname {host}",
            ports.tfc.host()
        )));
    }
    let caller = ports.iam.caller_identity().await?;
    if &caller.account != account {
        return Err(CliError::usage(format!(
            "the last apply was in AWS account {account}, but the credentials are for {}: switch --profile",
            caller.account
        )));
    }
    Ok(())
}

/// The undo plan as text, under the journal it reverts.
fn print_undo_plan(record: &Record, plan: &Plan) {
    println!("Reverting the apply recorded in {}", record.path.display());
    let nothing = if plan.notes.is_empty() {
        "Nothing to revert: what the apply made is gone already."
    } else {
        "Nothing to revert: what the apply made is gone already, or must stay (see the notes)."
    };
    print!(
        "{}",
        output::plan_text_or(plan, output::colour_enabled(), nothing)
    );
}

/// The JSON document of an undo of `record` with `plan`.
fn undo_json(record: &Record, applied: bool, plan: &Plan) -> serde_json::Value {
    json!({
        "plan": (0..plan.changes.len()).map(|i| output::change_json(plan, i)).collect::<Vec<_>>(),
        "applied": applied,
        "journal": record.path.display().to_string(),
        "notes": plan.note_lines(),
    })
}

/// Says the undo is done, and what it left because someone changed it since the apply.
fn print_reverted(record: &Record, report: &ApplyReport, json: bool) {
    let left: Vec<&str> = report
        .outcomes
        .iter()
        .filter_map(|o| o.left.as_deref())
        .collect();
    if json {
        let mut d = undo_json(record, true, &report.plan);
        d["left"] = json!(left);
        println!("{d}");
    } else {
        println!("\nReverted.");
        if !left.is_empty() {
            println!("\nLeft as they are (changed by someone else since the apply):");
            for l in left {
                println!("  - {}", output::escape(l));
            }
        }
    }
}
