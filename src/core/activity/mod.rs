//! `activity`: who assumed what. CloudTrail's `AssumeRoleWithWebIdentity` events (through the
//! [`AuditTrail`] port) for the roles that trust this host's OIDC provider, each read into an
//! [`Activity`]: time, role, the run's organization / project / workspace / phase (or Stack /
//! deployment / operation) from the token's subject, the run id from the session name, the
//! source IP, and the refusals with the subject that was refused and why ([`Refusal`]: another
//! organization probing, a workspace that no longer exists, an audience mismatch, no provider,
//! or the trust's conditions).
//!
//! An event belongs to this host when its identity provider is the host's (which also catches
//! refusals for roles that do not trust it) or when its role trusts the host's provider.

pub mod event;
pub mod refusal;

use crate::core::inventory::trusts_provider;
use crate::core::ports::{AuditTrail, Iam, IamError, Role};
use crate::core::trust::PolicyDocument;
use serde::Serialize;
use time::OffsetDateTime;

pub use event::{parse_event, Activity};
pub use refusal::{classify, Refusal, RefusalContext};

/// What to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityQuery {
    pub host: String,
    /// Only runs of this organization (case-insensitive, as HCP Terraform names are).
    pub organization: Option<String>,
    /// Only this role (name, case-insensitive as IAM's, or ARN).
    pub role: Option<String>,
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
}

/// What was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityReport {
    pub host: String,
    pub region: Option<String>,
    /// RFC 3339.
    pub start: String,
    pub end: String,
    /// Newest first.
    pub events: Vec<Activity>,
    /// Names of the roles that trust the host's provider (empty when IAM could not be read).
    pub trusting_roles: Vec<String>,
    /// More events matched than were read.
    pub truncated: bool,
    pub notes: Vec<String>,
}

impl ActivityReport {
    pub fn refused(&self) -> usize {
        self.events.iter().filter(|e| !e.succeeded()).count()
    }
}

/// Why activity could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not read CloudTrail's event history: {0}")]
pub struct ActivityError(pub IamError);

fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Reads the events of `query`. `iam` finds the roles that trust the host's provider; without
/// it (or when IAM refuses) only the events' identity provider decides.
pub async fn read_activity(
    trail: &dyn AuditTrail,
    iam: Option<&dyn Iam>,
    query: &ActivityQuery,
) -> Result<ActivityReport, ActivityError> {
    let mut notes = Vec::new();
    let (trusting, mut context) = match iam {
        Some(iam) => account_view(iam, &query.host).await.unwrap_or_else(|e| {
            notes.push(format!(
                "the roles could not be listed ({e}): events are kept by their identity provider only"
            ));
            (vec![], RefusalContext::default())
        }),
        None => (vec![], RefusalContext::default()),
    };
    // The organization asked for is ours; else those the account's roles trust are.
    if let Some(org) = &query.organization {
        context.organizations = vec![org.clone()];
    }
    let found = trail
        .web_identity_events(query.start, query.end)
        .await
        .map_err(ActivityError)?;
    let mut unreadable = 0;
    let mut events: Vec<Activity> = Vec::new();
    for e in &found.events {
        match parse_event(e) {
            Ok(a) if belongs(&a, query, &trusting) => events.push(a),
            Ok(_) => {}
            Err(_) => unreadable += 1,
        }
    }
    if unreadable > 0 {
        notes.push(format!(
            "{} could not be read",
            crate::core::text::counted(unreadable, "event", "events")
        ));
    }
    events.sort_by(|a, b| b.time.cmp(&a.time));
    for e in &mut events {
        e.refusal = classify(e, &context);
    }
    Ok(ActivityReport {
        host: query.host.clone(),
        region: found.region,
        start: rfc3339(query.start),
        end: rfc3339(query.end),
        events,
        trusting_roles: trusting.into_iter().map(|(name, _)| name).collect(),
        truncated: found.truncated,
        notes,
    })
}

/// `(name, arn)` of every role whose trust policy names the host's provider, and what the
/// account tells about refusals: the organizations those roles trust, and the provider.
async fn account_view(
    iam: &dyn Iam,
    host: &str,
) -> Result<(Vec<(String, String)>, RefusalContext), IamError> {
    let caller = iam.caller_identity().await?;
    let provider_arn =
        crate::core::names::oidc_provider_arn(caller.partition(), &caller.account, host);
    let roles: Vec<Role> = iam
        .list_roles()
        .await?
        .into_iter()
        .filter(|r| trusts_provider(r, &provider_arn))
        .collect();
    let mut organizations: Vec<String> = roles
        .iter()
        .flat_map(|r| trusted_organizations(r, host))
        .collect();
    organizations.sort_unstable();
    organizations.dedup();
    // The provider's audiences today judge the tokens of the window. Its absence today is not
    // taken to explain older refusals: STS's own message says when it was missing.
    let provider = iam.get_oidc_provider(&provider_arn).await.ok().flatten();
    let context = RefusalContext {
        organizations,
        workspaces: None,
        audiences: provider.map(|p| p.client_ids),
        provider_exists: None,
    };
    let trusting = roles.into_iter().map(|r| (r.name, r.arn)).collect();
    Ok((trusting, context))
}

/// The organizations a role's trust names exactly in its `sub` conditions.
fn trusted_organizations(role: &Role, host: &str) -> Vec<String> {
    let Ok(doc) = PolicyDocument::parse(&role.trust_policy) else {
        return vec![];
    };
    doc.statements()
        .iter()
        .flat_map(|s| {
            let mut subs = s.claim_values(host, "sub", "StringLike");
            subs.extend(s.claim_values(host, "sub", "StringEquals"));
            subs.into_iter()
                .filter_map(|sub| sub.strip_prefix("organization:")?.split(':').next())
                .filter(|org| !org.is_empty() && !org.contains(['*', '?', '$']))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn belongs(a: &Activity, q: &ActivityQuery, trusting: &[(String, String)]) -> bool {
    let ours = a
        .issuer_host
        .as_deref()
        .is_some_and(|h| h.eq_ignore_ascii_case(&q.host))
        || a.role_arn
            .as_deref()
            .is_some_and(|arn| trusting.iter().any(|(_, t)| t == arn));
    let org_ok = q.organization.as_deref().is_none_or(|org| {
        a.run_subject
            .as_ref()
            .is_some_and(|s| s.organization().eq_ignore_ascii_case(org))
    });
    let role_ok = q.role.as_deref().is_none_or(|role| {
        a.role_arn.as_deref() == Some(role)
            || a.role_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(role))
    });
    ours && org_ok && role_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::TrailEvent;
    use serde_json::json;

    fn activity(host: &str, org: &str, role: &str) -> Activity {
        let e = TrailEvent {
            event_id: "e".into(),
            event_time: "2026-11-29T08:00:00Z".into(),
            cloudtrail_event: json!({
                "userIdentity": {"identityProvider": format!("arn:aws:iam::123456789012:oidc-provider/{host}"),
                    "userName": format!("organization:{org}:project:p:workspace:w:run_phase:plan")},
                "requestParameters": {"roleArn": format!("arn:aws:iam::123456789012:role/{role}")}
            })
            .to_string(),
        };
        parse_event(&e).unwrap()
    }

    #[test]
    fn filters() {
        let q = ActivityQuery {
            host: "app.terraform.io".into(),
            organization: None,
            role: None,
            start: OffsetDateTime::UNIX_EPOCH,
            end: OffsetDateTime::UNIX_EPOCH,
        };
        assert!(belongs(&activity("app.terraform.io", "acme", "r"), &q, &[]));
        assert!(!belongs(
            &activity("token.actions.githubusercontent.com", "acme", "r"),
            &q,
            &[]
        ));
        let trusting = [(
            "r".to_string(),
            "arn:aws:iam::123456789012:role/r".to_string(),
        )];
        assert!(belongs(&activity("elsewhere", "acme", "r"), &q, &trusting));
        let q = ActivityQuery {
            organization: Some("ACME".into()),
            role: Some("R".into()),
            ..q
        };
        assert!(belongs(&activity("app.terraform.io", "acme", "r"), &q, &[]));
        assert!(!belongs(
            &activity("app.terraform.io", "other", "r"),
            &q,
            &[]
        ));
        assert!(!belongs(
            &activity("app.terraform.io", "acme", "x"),
            &q,
            &[]
        ));
    }
}
