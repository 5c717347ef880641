//! `tfc-oidc review`: read the organization (or one project) and the AWS account into the
//! inventory, compute the findings, print them as text, JSON or SARIF, and exit 1 when one is at
//! or above `--fail-on`.
//!
//! Without usable AWS credentials the review covers HCP Terraform only and says so (a note on
//! stderr, `"aws_read": false` with the reason in JSON), since half the catalogue still applies.
//! CloudTrail's event history is read beside the inventory for TFCOIDC015/016 unless
//! `--no-activity`; when it cannot be read the summary says why and the review goes on. A
//! customer-managed policy that could not be read (TFCOIDC010 did not check it) is named in a
//! note on stderr and in the JSON summary's `unchecked_policies`. Whether an AWS Organizations
//! resource control policy guards the account is one more summary part (`guardrail` in JSON):
//! covered, not covered, or could not tell — never an error.

use crate::cli::args::{FailOn, GlobalArgs, ReviewArgs, ReviewFormat};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::output::escape;
use crate::cli::progress::ReadBar;
use crate::cli::review_activity::{read_review_activity, ReviewActivity};
use crate::cli::review_baseline::{Baseline, Filtered};
use crate::cli::{output, review_markdown, review_output, sarif};
use crate::core::inventory::{self, Inventory, InventoryScope};
use crate::core::ports::{Iam, IamError};
use crate::core::review::guardrail::{self, GuardrailCoverage};
use crate::core::review::{self, fails_at, Finding, Severity, Summary};
use serde_json::json;

/// Runs `review`.
pub async fn run(global: &GlobalArgs, args: &ReviewArgs) -> Result<(), CliError> {
    // A bad baseline is a usage error before anything is read.
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let ports = Ports::connect(global).await?;
    let result = review_command(global, &ports, args, baseline.as_ref()).await;
    ports.finish()?;
    result
}

/// The AWS port if its credentials work, else why not. Only missing or unusable credentials
/// give `Ok(None)`; other AWS errors (access denied, throttling) are errors.
pub async fn usable_aws(iam: &dyn Iam) -> Result<(Option<&dyn Iam>, Option<String>), CliError> {
    match iam.caller_identity().await {
        Ok(_) => Ok((Some(iam), None)),
        Err(IamError::Credentials(reason)) => Ok((None, Some(reason))),
        Err(e) => Err(CliError::failure(format!(
            "cannot read the AWS account: {e}"
        ))),
    }
}

/// Reads the inventory with a progress bar on a terminal.
pub async fn read_inventory(
    ports: &Ports,
    scope: &InventoryScope,
    iam: Option<&dyn Iam>,
) -> Result<Inventory, CliError> {
    let bar = ReadBar::start(if iam.is_some() {
        "reading HCP Terraform and AWS"
    } else {
        "reading HCP Terraform"
    });
    let callback = bar.callback();
    let inv = inventory::read(scope, ports.tfc.as_ref(), iam, &callback).await;
    bar.finish();
    Ok(inv?)
}

fn threshold(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Critical => Some(Severity::Critical),
        FailOn::High => Some(Severity::High),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::Low => Some(Severity::Low),
        FailOn::Never => None,
    }
}

/// "Review of ORG[ / PROJECT] on HOST[ and AWS account N]".
fn review_heading(inv: &Inventory) -> String {
    let scope_text = match &inv.scope_project {
        Some(p) => format!("{} / {p}", inv.organization),
        None => inv.organization.clone(),
    };
    let aws = match &inv.aws {
        Some(a) => format!(" and AWS account {}", a.caller.account),
        None => String::new(),
    };
    format!("Review of {scope_text} on {}{aws}", inv.host)
}

async fn review_command(
    global: &GlobalArgs,
    ports: &Ports,
    args: &ReviewArgs,
    baseline: Option<&Baseline>,
) -> Result<(), CliError> {
    let scope = InventoryScope {
        host: ports.tfc.host().to_string(),
        organization: args.org.clone(),
        project: args.project.clone(),
    };
    let (iam, skipped) = usable_aws(ports.iam.as_ref()).await?;
    let activity_skip = if args.no_activity {
        Some("--no-activity".to_string())
    } else {
        iam.is_none().then(|| "no AWS credentials".to_string())
    };
    // CloudTrail is read beside HCP Terraform and IAM.
    let (inv, activity) = futures::join!(
        read_inventory(ports, &scope, iam),
        read_review_activity(ports, &args.org, activity_skip)
    );
    let inv = inv?;
    let guardrail = guardrail_coverage(ports, &inv).await;
    let now = time::OffsetDateTime::now_utc();
    let findings = review::assess(&inv, &activity, now, global.demo).findings;
    // Only what the baseline does not hold is shown, counted and failed on.
    let filtered = match baseline {
        Some(b) => b.filter(&findings),
        None => Filtered::all_new(&findings),
    };
    let threshold = threshold(args.fail_on);
    let failed = threshold.is_some_and(|t| fails_at(&filtered.new, t));
    if let Some(reason) = &skipped {
        eprintln!(
            "note: AWS was not read ({}): reviewed HCP Terraform only; TFCOIDC001-003, 007-010, 012 and 013 need the AWS account",
            escape(reason)
        );
    }
    let outcome = ReviewOutput {
        inv: &inv,
        all: &findings,
        filtered,
        activity: &activity,
        guardrail,
        skipped,
        threshold,
        failed,
    };
    print_review(args, &outcome)?;
    if failed {
        return Err(CliError::answer_no());
    }
    Ok(())
}

/// Whether a resource control policy guards the reviewed account (could not tell without AWS).
async fn guardrail_coverage(ports: &Ports, inv: &Inventory) -> GuardrailCoverage {
    match &inv.aws {
        Some(aws) => {
            let orgs = ports.organizations.as_ref();
            guardrail::coverage(orgs, &inv.host, &aws.caller.account, &inv.organization).await
        }
        None => GuardrailCoverage::Unknown {
            reason: "AWS was not read".into(),
        },
    }
}

/// One review's findings, the baseline's split of them, and what the output says beside them.
struct ReviewOutput<'a> {
    inv: &'a Inventory,
    /// Every finding, before the baseline (SARIF numbers its fingerprints over these).
    all: &'a [Finding],
    filtered: Filtered,
    activity: &'a ReviewActivity,
    guardrail: GuardrailCoverage,
    skipped: Option<String>,
    threshold: Option<Severity>,
    failed: bool,
}

/// Prints the review in the format asked for, the notes on stderr first.
fn print_review(args: &ReviewArgs, o: &ReviewOutput) -> Result<(), CliError> {
    let inv = o.inv;
    let findings = &o.filtered.new;
    let suppressed = o.filtered.suppressed;
    // A customer-managed policy that could not be read is not taken for admin access: say so.
    let unchecked = review::unchecked_policies(inv);
    for u in &unchecked {
        eprintln!(
            "note: TFCOIDC010 did not check {} on {}: {}",
            escape(&u.policy_arn),
            escape(&u.role_arn),
            escape(&u.reason)
        );
    }
    let summary = Summary::of(inv, findings);
    let heading = review_heading(inv);
    let suppressed_line = args.baseline.as_ref().map(|path| {
        format!(
            "{} suppressed by the baseline {}",
            crate::core::text::counted(suppressed, "finding", "findings"),
            path.display()
        )
    });
    let summary_parts: Vec<String> = std::iter::once(o.activity.summary())
        .chain(std::iter::once(o.guardrail.summary(&inv.host)))
        .chain(suppressed_line)
        .collect();
    match args.format {
        ReviewFormat::Text => {
            let colour = output::colour_enabled();
            let mut shown = review_output::text(findings, &summary, &heading, colour);
            // The CloudTrail and baseline parts join the summary line (the text's last line).
            if shown.ends_with('\n') {
                shown.pop();
            }
            for part in &summary_parts {
                shown.push_str(&format!("; {}", escape(part)));
            }
            shown.push('\n');
            print!("{shown}");
        }
        ReviewFormat::Markdown => {
            let mut line = review_output::summary_line(findings, &summary);
            for part in &summary_parts {
                line.push_str(&format!("; {part}"));
            }
            print!("{}", review_markdown::report(findings, &heading, &line));
        }
        ReviewFormat::Json => {
            let extra = json_summary_extra(args, o, &unchecked);
            println!("{}", review_output::json(findings, &summary, extra));
        }
        ReviewFormat::Sarif => {
            let suppressed = args.baseline.is_some().then_some(suppressed);
            let log = sarif::log(inv, o.all, &o.filtered.known, suppressed);
            let text = serde_json::to_string_pretty(&log)
                .map_err(|e| CliError::local_io("cannot write SARIF", e))?;
            println!("{text}");
        }
    }
    Ok(())
}

/// What the JSON summary says beyond the counts: what was read, what was skipped and why, the
/// threshold and the baseline.
fn json_summary_extra(
    args: &ReviewArgs,
    o: &ReviewOutput,
    unchecked: &[review::UncheckedPolicy],
) -> serde_json::Value {
    let (inv, activity) = (o.inv, o.activity);
    json!({
        "host": inv.host,
        "organization": inv.organization,
        "project": inv.scope_project,
        "aws_read": inv.aws.is_some(),
        "aws_skipped_reason": o.skipped,
        "activity_read": activity.report().is_some(),
        "activity_events": activity.report().map(|r| r.events.len()),
        "activity_truncated": activity.report().map(|r| r.truncated),
        "activity_skipped_reason": match activity {
            ReviewActivity::Skipped(why) => Some(why.clone()),
            ReviewActivity::Read(_) => None,
        },
        "unchecked_policies": unchecked,
        "guardrail": o.guardrail,
        "fail_on": o.threshold.map(|t| t.as_str()).unwrap_or("never"),
        "failed": o.failed,
        "baseline": args.baseline.as_ref().map(|p| p.display().to_string()),
        "suppressed": o.filtered.suppressed,
    })
}
