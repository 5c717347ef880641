//! One CloudTrail `AssumeRoleWithWebIdentity` event, read from its `CloudTrailEvent` JSON.
//!
//! The record's shape (AWS IAM User Guide, "Example AWS STS API events in CloudTrail log", and
//! records from other OIDC issuers): `userIdentity` is `{"type":"WebIdentityUser","principalId":
//! "<provider ARN>:<aud>:<sub>","userName":"<sub>","identityProvider":"<provider ARN>"}`;
//! `requestParameters` has `roleArn` and `roleSessionName`; a success carries
//! `responseElements.subjectFromWebIdentityToken`, `.audience` and `.provider`; a refusal carries
//! `errorCode` (`AccessDenied`, `InvalidIdentityToken`) and `errorMessage`, and no
//! `responseElements`. `sourceIPAddress`, `awsRegion` and `eventTime` are always there.

use crate::core::ports::TrailEvent;
use crate::core::trust::subject::RunSubject;
use serde::Serialize;
use serde_json::Value;

/// What one event says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub event_id: String,
    /// RFC 3339.
    pub time: String,
    pub role_arn: Option<String>,
    pub role_name: Option<String>,
    /// The token's `sub`.
    pub subject: Option<String>,
    /// The subject's parts, when it is a workspace run's or a Stack deployment's.
    pub run_subject: Option<RunSubject>,
    pub audience: Option<String>,
    /// The issuer host (`app.terraform.io`), from the identity provider.
    pub issuer_host: Option<String>,
    pub session_name: Option<String>,
    /// The HCP Terraform run id, when the session name carries one.
    pub run_id: Option<String>,
    pub source_ip: Option<String>,
    pub region: Option<String>,
    /// `AccessDenied`, `InvalidIdentityToken`, …; `None` when the role was assumed.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// Why a refusal happened, as far as can be told (see `refusal.rs`); `None` for a success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<super::Refusal>,
}

impl Activity {
    pub fn succeeded(&self) -> bool {
        self.error_code.is_none()
    }
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_owned).filter(|s| !s.is_empty())
}

/// The host of an identity provider: `arn:aws:iam::1:oidc-provider/HOST` or `https://HOST`.
fn provider_host(provider: &str) -> Option<String> {
    let host = match provider.split_once("oidc-provider/") {
        Some((_, rest)) => rest,
        None => provider.strip_prefix("https://").unwrap_or(provider),
    };
    let host = host.split(':').next().unwrap_or(host).trim_end_matches('/');
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// `(audience, subject)` out of a principal id `<provider ARN>:<aud>:<sub>`.
fn split_principal(principal: &str, provider: Option<&str>) -> (Option<String>, Option<String>) {
    let rest = provider
        .and_then(|p| principal.strip_prefix(p))
        .and_then(|r| r.strip_prefix(':'));
    if let Some(rest) = rest {
        if let Some(at) = rest.find("organization:") {
            let aud = rest[..at].trim_end_matches(':');
            return (
                (!aud.is_empty()).then(|| aud.to_owned()),
                Some(rest[at..].to_owned()),
            );
        }
        if let Some((aud, sub)) = rest.split_once(':') {
            return (Some(aud.to_owned()), Some(sub.to_owned()));
        }
    }
    let sub = principal
        .find(":organization:")
        .map(|at| principal[at + 1..].to_owned());
    (None, sub)
}

/// The run id inside a role session name (`run-` followed by letters and digits).
fn run_id_of(session: &str) -> Option<String> {
    let at = session.find("run-")?;
    let id: String = session[at..]
        .chars()
        .enumerate()
        .take_while(|(i, c)| *i < 4 || c.is_ascii_alphanumeric())
        .map(|(_, c)| c)
        .collect();
    (id.len() > 4).then_some(id)
}

/// Reads one event; `Err` when its JSON does not parse.
pub fn parse_event(event: &TrailEvent) -> Result<Activity, String> {
    let v: Value = serde_json::from_str(&event.cloudtrail_event)
        .map_err(|e| format!("event {}: {e}", event.event_id))?;
    let identity = &v["userIdentity"];
    let provider = text(identity, &["identityProvider"])
        .or_else(|| text(&v, &["responseElements", "provider"]));
    let principal = text(identity, &["principalId"]).unwrap_or_default();
    let (principal_aud, principal_sub) = split_principal(&principal, provider.as_deref());
    let subject = text(&v, &["responseElements", "subjectFromWebIdentityToken"])
        .or_else(|| text(identity, &["userName"]))
        .or(principal_sub);
    let role_arn = text(&v, &["requestParameters", "roleArn"]);
    let session_name = text(&v, &["requestParameters", "roleSessionName"]);
    Ok(Activity {
        event_id: text(&v, &["eventID"]).unwrap_or_else(|| event.event_id.clone()),
        time: text(&v, &["eventTime"]).unwrap_or_else(|| event.event_time.clone()),
        role_name: role_arn
            .as_deref()
            .and_then(|a| a.rsplit_once('/'))
            .map(|(_, n)| n.to_owned()),
        role_arn,
        run_subject: subject.as_deref().and_then(RunSubject::parse),
        subject,
        audience: text(&v, &["responseElements", "audience"]).or(principal_aud),
        issuer_host: provider.as_deref().and_then(provider_host),
        run_id: session_name.as_deref().and_then(run_id_of),
        session_name,
        source_ip: text(&v, &["sourceIPAddress"]),
        region: text(&v, &["awsRegion"]),
        error_code: text(&v, &["errorCode"]),
        error_message: text(&v, &["errorMessage"]),
        refusal: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PROVIDER: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";
    const SUB: &str = "organization:acme:project:Default Project:workspace:web:run_phase:plan";

    fn trail(v: Value) -> TrailEvent {
        TrailEvent {
            event_id: "e-1".into(),
            event_time: "2026-11-29T08:00:00Z".into(),
            cloudtrail_event: v.to_string(),
        }
    }

    #[test]
    fn a_successful_assumption() {
        let e = trail(json!({
            "eventVersion": "1.08",
            "userIdentity": {"type": "WebIdentityUser",
                "principalId": format!("{PROVIDER}:aws.workload.identity:{SUB}"),
                "userName": SUB, "identityProvider": PROVIDER},
            "eventTime": "2026-11-28T10:11:12Z", "eventSource": "sts.amazonaws.com",
            "eventName": "AssumeRoleWithWebIdentity", "awsRegion": "eu-west-1",
            "sourceIPAddress": "52.86.200.106", "userAgent": "aws-sdk-go-v2/1.30",
            "requestParameters": {"roleArn": "arn:aws:iam::123456789012:role/tfc-acme",
                "roleSessionName": "terraform-run-AbCdEf1234567890"},
            "responseElements": {"subjectFromWebIdentityToken": SUB,
                "audience": "aws.workload.identity", "provider": PROVIDER},
            "eventID": "11111111-2222-3333-4444-555555555555", "eventType": "AwsApiCall"
        }));
        let a = parse_event(&e).unwrap();
        assert!(a.succeeded());
        assert_eq!(a.time, "2026-11-28T10:11:12Z");
        assert_eq!(a.role_name.as_deref(), Some("tfc-acme"));
        assert_eq!(a.subject.as_deref(), Some(SUB));
        assert_eq!(a.issuer_host.as_deref(), Some("app.terraform.io"));
        assert_eq!(a.audience.as_deref(), Some("aws.workload.identity"));
        assert_eq!(a.run_id.as_deref(), Some("run-AbCdEf1234567890"));
        assert_eq!(a.source_ip.as_deref(), Some("52.86.200.106"));
        match a.run_subject.unwrap() {
            RunSubject::Workspace {
                project,
                workspace,
                phase,
                ..
            } => assert_eq!(
                (project.as_str(), workspace.as_str(), phase.as_str()),
                ("Default Project", "web", "plan")
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_refusal_keeps_the_refused_subject() {
        let stack = "organization:acme:project:apps:stack:net:deployment:prod:operation:apply";
        let e = trail(json!({
            "userIdentity": {"type": "WebIdentityUser",
                "principalId": format!("{PROVIDER}:aws.workload.identity:{stack}"),
                "identityProvider": PROVIDER},
            "eventTime": "2026-11-28T10:11:12Z", "eventName": "AssumeRoleWithWebIdentity",
            "errorCode": "AccessDenied",
            "errorMessage": "Not authorized to perform sts:AssumeRoleWithWebIdentity",
            "sourceIPAddress": "52.86.200.106",
            "requestParameters": {"roleArn": "arn:aws:iam::123456789012:role/path/tfc-acme",
                "roleSessionName": "run-XyZ0123456789abc"},
            "responseElements": null
        }));
        let a = parse_event(&e).unwrap();
        assert!(!a.succeeded());
        assert_eq!(a.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(a.subject.as_deref(), Some(stack));
        assert_eq!(a.audience.as_deref(), Some("aws.workload.identity"));
        assert_eq!(a.role_name.as_deref(), Some("tfc-acme"));
        assert!(matches!(a.run_subject, Some(RunSubject::Stack { .. })));
        assert_eq!(a.run_id.as_deref(), Some("run-XyZ0123456789abc"));
        assert_eq!(a.event_id, "e-1");
    }

    #[test]
    fn other_issuers_and_bad_json() {
        let e = trail(json!({
            "userIdentity": {"type": "WebIdentityUser", "principalId": "accounts.google.com:111.apps.googleusercontent.com:richardroe",
                "userName": "richardroe", "identityProvider": "accounts.google.com"},
            "eventTime": "2016-03-23T01:39:51Z",
            "requestParameters": {"roleArn": "arn:aws:iam::444455556666:role/FederatedWebIdentityRole",
                "roleSessionName": "MyAssignedRoleSessionName"},
            "responseElements": {"provider": "accounts.google.com", "subjectFromWebIdentityToken": "richardroe",
                "audience": "111.apps.googleusercontent.com"}
        }));
        let a = parse_event(&e).unwrap();
        assert_eq!(a.issuer_host.as_deref(), Some("accounts.google.com"));
        assert_eq!(a.run_subject, None);
        assert_eq!(a.run_id, None);
        let bad = TrailEvent {
            cloudtrail_event: "{not json".into(),
            ..trail(json!({}))
        };
        assert!(parse_event(&bad).is_err());
        assert_eq!(
            provider_host("https://app.eu.terraform.io/"),
            Some("app.eu.terraform.io".into())
        );
    }
}
