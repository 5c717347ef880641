//! `tfc-oidc activity`: CloudTrail's `AssumeRoleWithWebIdentity` events for the roles that trust
//! this host's OIDC provider, newest first. Needs AWS credentials that may call
//! `cloudtrail:LookupEvents` (and `iam:ListRoles` to know the trusting roles), not an HCP
//! Terraform token.

use crate::cli::args::{ActivityArgs, Format, GlobalArgs};
use crate::cli::connect::Ports;
use crate::cli::error::CliError;
use crate::cli::output;
use crate::cli::output::{escape, paint};
use crate::connect::{AwsClients, ACTIVITY_TRAIL_ATTEMPTS};
use crate::core::activity::{read_activity, Activity, ActivityQuery, ActivityReport};
use crate::core::ports::Iam;
use crate::core::trust::subject::RunSubject;
use serde_json::json;
use time::OffsetDateTime;

/// CloudTrail's event history keeps 90 days.
const HISTORY_DAYS: i64 = 90;

/// Runs `activity`.
pub async fn run(global: &GlobalArgs, args: &ActivityArgs) -> Result<(), CliError> {
    let (host, trail, iam, demo) = if global.demo {
        let ports = Ports::demo_as(global.profile.as_deref())?;
        let trail = ports
            .trail
            .clone()
            .ok_or_else(|| CliError::failure("the demo sandbox keeps no CloudTrail events"))?;
        let host = ports.tfc.host().to_string();
        (host, trail, ports.iam.clone(), Some(ports))
    } else {
        // No HCP Terraform token is needed: only the host, and the AWS clients of the builder.
        let endpoint = global.connect_options().endpoint()?;
        let aws = AwsClients::load(global.profile.as_deref(), global.region.as_deref()).await;
        let trail = aws.trail(ACTIVITY_TRAIL_ATTEMPTS);
        (endpoint.host().to_string(), trail, aws.iam(), None)
    };
    let end = OffsetDateTime::now_utc();
    let mut notes = Vec::new();
    let mut since =
        time::Duration::try_from(args.since).map_err(|_| CliError::usage("--since is too long"))?;
    if since > time::Duration::days(HISTORY_DAYS) {
        notes.push(format!(
            "CloudTrail's event history keeps {HISTORY_DAYS} days: --since is capped at {HISTORY_DAYS} days"
        ));
        since = time::Duration::days(HISTORY_DAYS);
    }
    let query = ActivityQuery {
        host,
        organization: args.org.clone(),
        role: args.role.clone(),
        start: end - since,
        end,
    };
    let mut report = read_activity(trail.as_ref(), Some(iam.as_ref()), &query).await?;
    if let Some(role) = &args.role {
        check_role_exists(iam.as_ref(), role, &report).await?;
    }
    report.notes.extend(notes);
    if let Some(ports) = demo {
        ports.finish()?;
    }
    match args.format {
        Format::Json => println!("{}", report_json(&report)),
        Format::Text => print!("{}", report_text(&report, output::colour_enabled())),
    }
    Ok(())
}

/// `--role` names a role of the account, or one that events name (a deleted role's events
/// stay in the history): a name that is neither could never match and is refused (exit 2), so a
/// typo never reads as "no activity". When IAM cannot be read the name is taken as given.
async fn check_role_exists(
    iam: &dyn Iam,
    role: &str,
    report: &ActivityReport,
) -> Result<(), CliError> {
    let name = crate::core::names::role_name_of(role).unwrap_or(role);
    if !report.events.is_empty() || !matches!(iam.get_role(name).await, Ok(None)) {
        return Ok(());
    }
    let trusting = match report.trusting_roles.as_slice() {
        [] => "none".to_string(),
        names => names.join(", "),
    };
    Err(CliError::usage(format!(
        "--role {role}: no role of that name in the AWS account, and no event names it (roles trusting https://{}: {trusting})",
        report.host
    )))
}

/// Organization / project / workspace (or Stack / deployment) and the phase (or operation).
fn run_of(a: &Activity) -> (String, String) {
    match &a.run_subject {
        Some(RunSubject::Workspace {
            organization,
            project,
            workspace,
            phase,
        }) => (
            format!("{organization} / {project} / {workspace}"),
            phase.clone(),
        ),
        Some(RunSubject::Stack {
            organization,
            project,
            stack,
            deployment,
            operation,
        }) => (
            format!("{organization} / {project} / stack {stack} / {deployment}"),
            operation.clone(),
        ),
        None => (a.subject.clone().unwrap_or_else(|| "?".into()), "-".into()),
    }
}

fn short_time(rfc3339: &str) -> String {
    rfc3339.replace('T', " ").trim_end_matches('Z').to_string()
}

/// The report as a table, refusals followed by the subject that was refused.
pub fn report_text(r: &ActivityReport, colour: bool) -> String {
    let mut out = String::new();
    let region = r.region.as_deref().unwrap_or("the default region");
    out.push_str(&format!(
        "AssumeRoleWithWebIdentity through https://{} from {} to {} UTC (CloudTrail, {region})\n",
        r.host,
        short_time(&r.start),
        short_time(&r.end)
    ));
    if r.events.is_empty() {
        out.push_str("\nNo events. CloudTrail's event history is regional: runs show up in the region their AWS provider calls STS in (try --region).\n");
    } else {
        out.push_str(&events_table(&r.events, colour));
        out.push_str(&format!(
            "\n{}, {} refused.\n",
            crate::core::text::counted(r.events.len(), "event", "events"),
            r.refused()
        ));
    }
    if !r.trusting_roles.is_empty() {
        out.push_str(&format!(
            "Roles trusting https://{}: {}\n",
            r.host,
            r.trusting_roles.join(", ")
        ));
    }
    if r.truncated {
        out.push_str("Only the newest events were read: narrow --since to see the rest.\n");
    }
    for n in &r.notes {
        out.push_str(&format!("Note: {}\n", escape(n)));
    }
    out
}

const EVENT_HEAD: [&str; 6] = [
    "TIME",
    "RESULT",
    "ROLE",
    "RUN OF",
    "PHASE",
    "RUN ID / SOURCE IP",
];

/// The events as aligned columns under a heading, each refusal in red and followed by the
/// subject refused and why.
fn events_table(events: &[Activity], colour: bool) -> String {
    let rows: Vec<[String; 6]> = events.iter().map(event_row).collect();
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([EVENT_HEAD[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", escape(c), w = *w))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = String::from("\n");
    out.push_str(&line(&EVENT_HEAD.map(String::from)));
    out.push('\n');
    for (row, a) in rows.iter().zip(events) {
        // Refusals in red.
        out.push_str(&paint(&line(row), "31", colour && !a.succeeded()));
        out.push('\n');
        if !a.succeeded() {
            out.push_str(&refusal_text(a));
        }
    }
    out
}

/// One event's cells, in the order of [`EVENT_HEAD`].
fn event_row(a: &Activity) -> [String; 6] {
    let (run, phase) = run_of(a);
    [
        short_time(&a.time),
        a.error_code.clone().unwrap_or_else(|| "assumed".into()),
        a.role_name.clone().unwrap_or_else(|| "?".into()),
        run,
        phase,
        format!(
            "{} {}",
            a.run_id.as_deref().unwrap_or("-"),
            a.source_ip.as_deref().unwrap_or("-")
        ),
    ]
}

/// The lines under a refused event: the subject refused, the error, and why when known.
fn refusal_text(a: &Activity) -> String {
    let mut out = format!(
        "  refused {}: {}\n",
        escape(a.subject.as_deref().unwrap_or("(no subject recorded)")),
        escape(a.error_message.as_deref().unwrap_or_default())
    );
    if let Some(why) = &a.refusal {
        out.push_str(&format!("    why: {}\n", escape(&why.describe())));
    }
    out
}

/// The report as JSON.
pub fn report_json(r: &ActivityReport) -> serde_json::Value {
    json!({
        "host": r.host,
        "region": r.region,
        "start": r.start,
        "end": r.end,
        "count": r.events.len(),
        "refused": r.refused(),
        "truncated": r.truncated,
        "trusting_roles": r.trusting_roles,
        "events": r.events,
        "notes": r.notes,
    })
}
