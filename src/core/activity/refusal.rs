//! Why an `AssumeRoleWithWebIdentity` call was refused, as far as the event and what we know of
//! the account and the organization tell: another organization probing, our own workspace that
//! no longer exists under that name, an audience the provider does not accept, no provider for
//! the issuer, or else the role's trust conditions.
//!
//! STS's own words decide first where it gives them (`InvalidIdentityToken` with "No
//! OpenIDConnect provider found in your account for …" or "Incorrect token audience"); the
//! rest compares the token's claims with the account's provider and the organization.

use super::Activity;
use crate::core::trust::subject::RunSubject;
use serde::Serialize;

/// What is known beside the event, to classify it against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefusalContext {
    /// Our HCP Terraform organizations (case-insensitive); empty: unknown, no sub is "not ours".
    pub organizations: Vec<String>,
    /// `(project, workspace)` of our organization that exist now; `None` when not read.
    pub workspaces: Option<Vec<(String, String)>>,
    /// The audiences (client ids) the host's provider accepts; `None` when the provider was not
    /// read or does not exist.
    pub audiences: Option<Vec<String>>,
    /// Whether the account has the host's OIDC provider; `None` when not read.
    pub provider_exists: Option<bool>,
}

/// The class of one refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// The account has no OIDC provider for the token's issuer.
    MissingProvider,
    /// The token's `sub` names an organization that is not ours: someone else's run tried.
    OtherOrganization { organization: String },
    /// The token's audience is not one the provider accepts.
    AudienceMismatch { audience: Option<String> },
    /// Our organization, but a workspace that does not exist now (renamed or deleted).
    MissingWorkspace { project: String, workspace: String },
    /// None of the above: the role's trust conditions (or its absence) refused the token.
    TrustConditions,
}

impl Refusal {
    /// A few words for people (activity's text, TFCOIDC016's detail).
    pub fn describe(&self) -> String {
        match self {
            Refusal::MissingProvider => "no OIDC provider for the issuer in the account".into(),
            Refusal::OtherOrganization { organization } => {
                format!("another organization ({organization}) probing: its sub names none of our organizations")
            }
            Refusal::AudienceMismatch { audience } => format!(
                "audience mismatch: the token's audience {} is not one the provider accepts",
                audience.as_deref().unwrap_or("(not recorded)")
            ),
            Refusal::MissingWorkspace { project, workspace } => format!(
                "our workspace {project}/{workspace} does not exist now (renamed or deleted): the trust still names the old subject"
            ),
            Refusal::TrustConditions => "the role's trust conditions refused the token".into(),
        }
    }
}

/// The organization a subject names (`organization:ORG:…`), parsed or not.
fn organization_of(a: &Activity) -> Option<String> {
    if let Some(s) = &a.run_subject {
        return Some(s.organization().to_string());
    }
    let rest = a.subject.as_deref()?.strip_prefix("organization:")?;
    rest.split(':').next().map(str::to_owned)
}

/// Classifies a refused event (`None` for a success).
pub fn classify(a: &Activity, ctx: &RefusalContext) -> Option<Refusal> {
    if a.succeeded() {
        return None;
    }
    let message = a.error_message.as_deref().unwrap_or_default();
    if message.contains("No OpenIDConnect provider found") || ctx.provider_exists == Some(false) {
        return Some(Refusal::MissingProvider);
    }
    if let Some(org) = organization_of(a) {
        let ours = ctx.organizations.is_empty()
            || ctx
                .organizations
                .iter()
                .any(|o| o.eq_ignore_ascii_case(&org));
        if !ours {
            return Some(Refusal::OtherOrganization { organization: org });
        }
    }
    let accepted = |aud: &String| {
        ctx.audiences
            .as_ref()
            .is_none_or(|list| list.iter().any(|x| x == aud))
    };
    if message.contains("Incorrect token audience")
        || a.audience.as_ref().is_some_and(|x| !accepted(x))
    {
        return Some(Refusal::AudienceMismatch {
            audience: a.audience.clone(),
        });
    }
    if let (
        Some(RunSubject::Workspace {
            project, workspace, ..
        }),
        Some(existing),
    ) = (&a.run_subject, &ctx.workspaces)
    {
        if !existing.iter().any(|(p, w)| p == project && w == workspace) {
            return Some(Refusal::MissingWorkspace {
                project: project.clone(),
                workspace: workspace.clone(),
            });
        }
    }
    Some(Refusal::TrustConditions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::activity::parse_event;
    use crate::core::ports::TrailEvent;
    use serde_json::json;

    const HOST: &str = "app.terraform.io";

    fn refused(sub: &str, aud: &str, code: &str, message: &str) -> Activity {
        let provider = format!("arn:aws:iam::123456789012:oidc-provider/{HOST}");
        let v = json!({
            "userIdentity": {"type": "WebIdentityUser",
                "principalId": format!("{provider}:{aud}:{sub}"), "identityProvider": provider},
            "eventTime": "2026-11-28T10:11:12Z", "errorCode": code, "errorMessage": message,
            "requestParameters": {"roleArn": "arn:aws:iam::123456789012:role/tfc-acme"}
        });
        parse_event(&TrailEvent {
            event_id: "e".into(),
            event_time: "2026-11-28T10:11:12Z".into(),
            cloudtrail_event: v.to_string(),
        })
        .unwrap()
    }

    fn ours() -> RefusalContext {
        RefusalContext {
            organizations: vec!["acme".into()],
            workspaces: Some(vec![("apps".into(), "web".into())]),
            audiences: Some(vec!["aws.workload.identity".into()]),
            provider_exists: Some(true),
        }
    }

    const DENIED: &str = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
    const AUD: &str = "aws.workload.identity";

    #[test]
    fn each_kind_of_refusal() {
        let web = "organization:acme:project:apps:workspace:web:run_phase:plan";
        let a = refused(web, AUD, "AccessDenied", DENIED);
        assert_eq!(classify(&a, &ours()), Some(Refusal::TrustConditions));

        let evil = "organization:acme-evil:project:p:workspace:w:run_phase:apply";
        let a = refused(evil, AUD, "AccessDenied", DENIED);
        assert_eq!(
            classify(&a, &ours()),
            Some(Refusal::OtherOrganization {
                organization: "acme-evil".into()
            })
        );

        let renamed = "organization:ACME:project:apps:workspace:web-old:run_phase:plan";
        let a = refused(renamed, AUD, "AccessDenied", DENIED);
        assert_eq!(
            classify(&a, &ours()),
            Some(Refusal::MissingWorkspace {
                project: "apps".into(),
                workspace: "web-old".into()
            })
        );

        let a = refused(web, "sts.amazonaws.com", "AccessDenied", DENIED);
        assert!(matches!(
            classify(&a, &ours()),
            Some(Refusal::AudienceMismatch { audience: Some(x) }) if x == "sts.amazonaws.com"
        ));
        let a = refused(web, AUD, "InvalidIdentityToken", "Incorrect token audience");
        let unknown = RefusalContext {
            organizations: vec!["acme".into()],
            ..RefusalContext::default()
        };
        assert!(matches!(
            classify(&a, &unknown),
            Some(Refusal::AudienceMismatch { .. })
        ));

        let missing =
            "No OpenIDConnect provider found in your account for https://app.terraform.io";
        let a = refused(web, AUD, "InvalidIdentityToken", missing);
        assert_eq!(classify(&a, &unknown), Some(Refusal::MissingProvider));
        let gone = RefusalContext {
            provider_exists: Some(false),
            ..ours()
        };
        let a = refused(web, AUD, "AccessDenied", DENIED);
        assert_eq!(classify(&a, &gone), Some(Refusal::MissingProvider));
    }

    #[test]
    fn without_context_only_the_message_and_the_trust_are_left() {
        let web = "organization:acme:project:apps:workspace:gone:run_phase:plan";
        let a = refused(web, AUD, "AccessDenied", DENIED);
        // No organization, workspaces or provider known: nothing else can be told.
        assert_eq!(
            classify(&a, &RefusalContext::default()),
            Some(Refusal::TrustConditions)
        );
        assert_eq!(
            Refusal::OtherOrganization {
                organization: "x".into()
            }
            .describe(),
            "another organization (x) probing: its sub names none of our organizations"
        );
    }
}
