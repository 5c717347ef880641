//! `review`: what is wrong right now in an HCP Terraform organization and its AWS account.
//! Every finding is computed by a pure function of the [`Inventory`]; the catalogue of ids,
//! severities and texts is in [`catalogue`].
//!
//! Families: [`workspaces`] (static keys, half-set configurations, global role ARNs), [`runs`]
//! (would this workspace's run be admitted: the trust evaluator per phase), [`trust`] (the shape
//! of each trust policy), [`permissions`] (what a role may do, and whether it is used),
//! `stacks` (Stack subjects naming what is gone), and [`activity`] (from CloudTrail's events,
//! which the caller reads and passes in: trusted but unused, runs refused).

pub mod activity;
pub mod assess;
pub mod catalogue;
pub mod explain;
pub mod explain_stack;
pub mod guardrail;
mod permissions;
mod runs;
mod stacks;
mod trust;
mod trusted;
mod workspaces;

pub use crate::core::trust::Phase;
pub use assess::{assess, ActivityRead, Assessment};
pub use catalogue::{CatalogueEntry, FindingId, Severity, CATALOGUE};
pub use permissions::{admin_for_many_workspaces, unchecked_policies, UncheckedPolicy};

use crate::core::inventory::{Inventory, WorkspaceEntry};
use serde::Serialize;
use time::OffsetDateTime;

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResourceRef {
    Workspace {
        organization: String,
        project: String,
        workspace: String,
    },
    VariableSet {
        organization: String,
        id: String,
        name: String,
    },
    Role {
        arn: String,
        name: String,
    },
}

impl ResourceRef {
    pub fn workspace(inv: &Inventory, ws: &WorkspaceEntry) -> ResourceRef {
        ResourceRef::Workspace {
            organization: inv.organization.clone(),
            project: ws.project_name.clone(),
            workspace: ws.workspace.name.clone(),
        }
    }

    /// How the resource is named in `resource`: `org/workspace`, the set's name, the role ARN.
    pub fn display(&self) -> String {
        match self {
            ResourceRef::Workspace {
                organization,
                workspace,
                ..
            } => format!("{organization}/{workspace}"),
            ResourceRef::VariableSet { name, .. } => name.clone(),
            ResourceRef::Role { arn, .. } => arn.clone(),
        }
    }

    /// `workspace`, `variable set`, `role`.
    pub fn kind(&self) -> &'static str {
        match self {
            ResourceRef::Workspace { .. } => "workspace",
            ResourceRef::VariableSet { .. } => "variable set",
            ResourceRef::Role { .. } => "role",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: FindingId,
    pub severity: Severity,
    pub title: &'static str,
    /// The workspace (`org/name`), variable set (name) or role (ARN).
    pub resource: String,
    /// The same, with its parts (for fronts that act on it).
    pub resource_ref: ResourceRef,
    /// One line saying what exactly is wrong.
    pub detail: String,
    /// What to do about it.
    pub fix: String,
    /// The commands `fix` suggests, each runnable as printed (permissions flag, `--adopt-role`,
    /// `--alias` included); a dry run of each is accepted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
    /// For trust findings: the 0-based index of the decisive statement of the trust policy
    /// (serialized 1-based, as messages count statements).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "one_based")]
    pub statement: Option<usize>,
    /// For static keys (TFCOIDC004): the whole `AWS_ACCESS_KEY_ID` value, for programs (the
    /// detail, meant for people, shows it shortened). An id, not a secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
}

fn one_based<S: serde::Serializer>(index: &Option<usize>, s: S) -> Result<S::Ok, S::Error> {
    match index {
        Some(i) => s.serialize_some(&(i + 1)),
        None => s.serialize_none(),
    }
}

impl Finding {
    /// A finding with the catalogue's severity, title and generic fix.
    pub fn new(id: FindingId, resource: ResourceRef, detail: impl Into<String>) -> Finding {
        let entry = id.entry();
        Finding {
            id,
            severity: entry.severity,
            title: entry.title,
            resource: resource.display(),
            resource_ref: resource,
            detail: detail.into(),
            fix: entry.fix.to_string(),
            commands: Vec::new(),
            statement: None,
            access_key_id: None,
        }
    }

    /// Names the access key id the finding is about.
    pub fn with_access_key_id(mut self, id: Option<String>) -> Finding {
        self.access_key_id = id;
        self
    }

    /// Replaces the generic fix with a specific one.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = fix.into();
        self
    }

    /// Records a command the fix suggests (the fix's text names it too).
    pub fn suggesting(mut self, command: impl Into<String>) -> Finding {
        self.commands.push(command.into());
        self
    }

    /// Names the decisive trust statement.
    pub fn at_statement(mut self, index: usize) -> Finding {
        self.statement = Some(index);
        self
    }
}

/// Every finding for the inventory, most severe first, then by id and resource.
pub fn review(inv: &Inventory) -> Vec<Finding> {
    review_at(inv, OffsetDateTime::now_utc())
}

/// [`review`] with the time "now" given, so age checks are deterministic.
pub fn review_at(inv: &Inventory, now: OffsetDateTime) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(workspaces::check(inv));
    out.extend(runs::check(inv));
    out.extend(trust::check(inv));
    out.extend(permissions::check(inv, now));
    out.extend(stacks::check(inv));
    sort(&mut out);
    out
}

/// The verdicts on the roles themselves, whatever uses them: the shape of each trust
/// (TFCOIDC001/002/003/008) and administrator permissions on a broad trust (010). Setup weighs
/// these before it creates a provider that existing roles already name.
pub fn role_verdicts(inv: &Inventory) -> Vec<Finding> {
    const ROLE_IDS: [FindingId; 5] = [
        FindingId::NoSubCondition,
        FindingId::WildcardOrganization,
        FindingId::Audience,
        FindingId::OperatorMisuse,
        FindingId::AdminForMany,
    ];
    let mut out = trust::check(inv);
    out.extend(permissions::admin_check(inv));
    out.retain(|f| ROLE_IDS.contains(&f.id));
    sort(&mut out);
    out
}

/// Sorts findings: severity (most severe first), id, resource, detail.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.id.cmp(&b.id))
            .then_with(|| a.resource.cmp(&b.resource))
            .then_with(|| a.detail.cmp(&b.detail))
    });
}

/// Counts per severity and what was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub workspaces: usize,
    pub variable_sets: usize,
    /// Roles that trust the HOST provider; `None` when AWS was not read.
    pub roles: Option<usize>,
    pub aws_account: Option<String>,
}

impl Summary {
    pub fn of(inv: &Inventory, findings: &[Finding]) -> Summary {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            critical: count(Severity::Critical),
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
            workspaces: inv.workspaces.len(),
            variable_sets: inv.variable_sets.len(),
            roles: inv.aws.as_ref().map(|a| a.roles.len()),
            aws_account: inv.aws.as_ref().map(|a| a.caller.account.clone()),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

/// The host commands go to when none is named (`--hostname`'s default).
const DEFAULT_HOST: &str = "app.terraform.io";

/// `tfc-oidc`, and `--hostname HOST` after it when the host is not the default: a suggested
/// command must reach the same HCP Terraform or Terraform Enterprise host as the review.
pub fn tfc_oidc(host: &str) -> String {
    if host.is_empty() || host == DEFAULT_HOST {
        "tfc-oidc".into()
    } else {
        format!("tfc-oidc --hostname {}", shell_word(host))
    }
}

/// A name as one shell word in a suggested command: quoted when it holds anything but letters,
/// digits and `-_.:/@`.
pub fn shell_word(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/@".contains(c));
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', r"'\''"))
    }
}

/// Whether any finding is at or above `level`.
pub fn fails_at(findings: &[Finding], level: Severity) -> bool {
    findings.iter().any(|f| f.severity >= level)
}

#[cfg(test)]
mod tests;
