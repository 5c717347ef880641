//! `review --format sarif`: a SARIF 2.1.0 log built with `serde-sarif`'s typed structures. One
//! rule per catalogue entry (with its help text and a `security-severity` GitHub reads), one
//! result per finding. Findings are about cloud resources, not files, yet GitHub code scanning
//! refuses results without `physicalLocation.artifactLocation.uri`, so each result carries the
//! resource's address as its artifact URI (the workspace's or variable set's page on the HCP
//! Terraform host, the role's ARN) plus a logical location naming the resource.

use crate::core::inventory::Inventory;
use crate::core::review::{Finding, ResourceRef, Severity, CATALOGUE};
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Location, LogicalLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, RunAutomationDetails, Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;

/// The schema URI GitHub's documentation uses.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    }
}

/// GitHub's `security-severity` scale: critical ≥ 9, high 7–8.9, medium 4–6.9, low < 4.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn bag(entries: Value, tags: Vec<String>) -> PropertyBag {
    let additional: BTreeMap<String, Value> = match entries {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    };
    PropertyBag::builder()
        .tags(tags)
        .additional_properties(additional)
        .build()
}

fn text(t: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(t).build()
}

/// `NoSubCondition` from the id's debug name, as SARIF's `name`.
fn rule_name(id: crate::core::review::FindingId) -> String {
    format!("{id:?}")
}

fn rules() -> Vec<ReportingDescriptor> {
    CATALOGUE
        .iter()
        .map(|e| {
            let help = format!("{}\n\nFix: {}", e.help, e.fix);
            let config = ReportingConfiguration::builder()
                .level(json!(level(e.severity)))
                .build();
            ReportingDescriptor::builder()
                .id(e.code)
                .name(rule_name(e.id))
                .short_description(text(e.title))
                .full_description(text(e.help))
                .help(
                    MultiformatMessageString::builder()
                        .text(help.clone())
                        .markdown(format!("{}\n\n**Fix:** {}", e.help, e.fix))
                        .build(),
                )
                .default_configuration(config)
                .properties(bag(
                    json!({"security-severity": security_severity(e.severity), "precision": "high",
                           "problem.severity": level(e.severity)}),
                    vec![
                        "security".into(),
                        "tfc-oidc".into(),
                        e.severity.as_str().into(),
                    ],
                ))
                .build()
        })
        .collect()
}

/// The artifact URI of a resource: its page on the HCP Terraform host, or the role's ARN.
fn uri(host: &str, r: &ResourceRef) -> String {
    let seg = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    match r {
        ResourceRef::Workspace {
            organization,
            workspace,
            ..
        } => format!(
            "https://{host}/app/{}/workspaces/{}",
            seg(organization),
            seg(workspace)
        ),
        ResourceRef::VariableSet {
            organization, id, ..
        } => format!(
            "https://{host}/app/{}/settings/varsets/{}",
            seg(organization),
            seg(id)
        ),
        ResourceRef::Role { arn, .. } => arn.clone(),
    }
}

fn logical(r: &ResourceRef) -> LogicalLocation {
    let (name, full) = match r {
        ResourceRef::Workspace {
            organization,
            project,
            workspace,
        } => (
            workspace.clone(),
            format!("{organization}/{project}/{workspace}"),
        ),
        ResourceRef::VariableSet {
            organization, name, ..
        } => (name.clone(), format!("{organization}/{name}")),
        ResourceRef::Role { arn, name } => (name.clone(), arn.clone()),
    };
    LogicalLocation::builder()
        .name(name)
        .fully_qualified_name(full)
        .kind("resource")
        .build()
}

fn result(host: &str, f: &Finding, ordinal: usize) -> SarifResult {
    let index = CATALOGUE.iter().position(|e| e.id == f.id).unwrap_or(0);
    let physical = PhysicalLocation::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(uri(host, &f.resource_ref))
                .build(),
        )
        .region(Region::builder().start_line(1).build())
        .build();
    let location = Location::builder()
        .physical_location(physical)
        .logical_locations(vec![logical(&f.resource_ref)])
        .build();
    let message = format!(
        "{} {}: {}. Fix: {}",
        f.resource_ref.kind(),
        f.resource,
        f.detail,
        f.fix
    );
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        "tfcOidcFinding/v1".to_string(),
        format!("{}|{}|{ordinal}", f.id.code(), f.resource),
    );
    let mut props = json!({"severity": f.severity, "resource": f.resource_ref});
    if let Some(i) = f.statement {
        props["statement"] = json!(i + 1);
    }
    SarifResult::builder()
        .rule_id(f.id.code())
        .rule_index(index as i64)
        .level(level(f.severity))
        .message(Message::builder().text(message).build())
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .properties(bag(props, vec![]))
        .build()
}

/// The SARIF log of one review: a result per finding not `known` to the baseline. Fingerprints
/// number a resource's findings of one id over all of them, so leaving one out does not change
/// another's. `suppressed` is how many a `--baseline` left out (a run property).
pub fn log(
    inv: &Inventory,
    findings: &[Finding],
    known: &[bool],
    suppressed: Option<usize>,
) -> Sarif {
    let driver = ToolComponent::builder()
        .name("tfc-oidc")
        .full_name(format!("tfc-oidc {}", env!("CARGO_PKG_VERSION")))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules())
        .build();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let results: Vec<SarifResult> = findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let n = seen
                .entry((f.id.code().to_string(), f.resource.clone()))
                .or_insert(0);
            *n += 1;
            let left_out = known.get(i).copied().unwrap_or(false);
            (!left_out).then(|| result(&inv.host, f, *n))
        })
        .collect();
    let category = match &inv.scope_project {
        Some(p) => format!("tfc-oidc/review/{}/{}/", inv.organization, p),
        None => format!("tfc-oidc/review/{}/", inv.organization),
    };
    let builder = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .automation_details(RunAutomationDetails::builder().id(category).build());
    let run = match suppressed {
        Some(n) => builder
            .properties(bag(json!({"suppressedByBaseline": n}), vec![]))
            .build(),
        None => builder.build(),
    };
    Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}
