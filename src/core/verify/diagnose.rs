//! Why a run did not authenticate: the AWS side read through the `Iam` port ([`gather_aws`]),
//! then one pure function ([`causes`]) that puts together what the log said, what the variables
//! say and what IAM's evaluator says about this workspace's token, most telling cause first.

use super::credentials::{account_of, role_name_of, CredentialConfig};
use super::follow::RunPhase;
use super::log::{AwsAuthError, LogSummary};
use crate::core::policy::{evaluate, Claims, Decision, PolicyDocument};
use crate::core::ports::{CallerIdentity, Iam, OidcProvider, Role};
use crate::core::subject::RunSubject;
use serde::Serialize;

/// What kind of cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseCode {
    NoConfigurationVersion,
    Variables,
    RoleMissing,
    TrustPolicy,
    OidcProviderMissing,
    AudienceMismatch,
    AccessDenied,
    InvalidIdentityToken,
    StaticKeys,
    NoCredentials,
    RunErrored,
    RunCanceled,
    TimedOut,
}

/// One reason the run did not authenticate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub code: CauseCode,
    /// One sentence.
    pub summary: String,
    /// Supporting lines (the failing condition, the AWS message, …).
    pub details: Vec<String>,
    /// What to do.
    pub fix: Option<String>,
}

impl Cause {
    pub fn new(code: CauseCode, summary: impl Into<String>) -> Cause {
        Cause {
            code,
            summary: summary.into(),
            details: vec![],
            fix: None,
        }
    }

    pub fn detail(mut self, line: impl Into<String>) -> Cause {
        self.details.push(line.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Cause {
        self.fix = Some(fix.into());
        self
    }
}

/// What the role lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleLookup {
    Found(Box<Role>),
    Missing,
    /// The role is in another account than the AWS credentials: not readable here.
    OtherAccount {
        account: String,
    },
    Unreadable(String),
}

/// What AWS says about the role this workspace's plan phase assumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsFacts {
    pub caller: CallerIdentity,
    pub role_arn: String,
    pub role: RoleLookup,
    /// The HOST provider's ARN in the role's account.
    pub provider_arn: String,
    /// `Ok(None)`: no such provider; `Err`: could not be read.
    pub provider: Result<Option<OidcProvider>, String>,
    /// The trust policy evaluated against this workspace's plan-phase claims.
    pub decision: Option<Decision>,
    /// The claims used.
    pub claims: Claims,
}

/// Reads what IAM knows about the plan role (`None` when there is no readable role ARN or the
/// caller identity cannot be read; `notes` then says why).
pub async fn gather_aws(
    iam: &dyn Iam,
    host: &str,
    config: &CredentialConfig,
    subject: &RunSubject,
    notes: &mut Vec<String>,
) -> Option<AwsFacts> {
    let role_arn = config.role_arn_value()?.to_string();
    let name = role_name_of(&role_arn)?.to_string();
    let caller = match iam.caller_identity().await {
        Ok(c) => c,
        Err(e) => {
            notes.push(format!("AWS was not checked: {e}"));
            return None;
        }
    };
    let account = account_of(&role_arn).unwrap_or_default().to_string();
    let partition = role_arn.split(':').nth(1).unwrap_or("aws").to_string();
    let provider_arn = format!("arn:{partition}:iam::{account}:oidc-provider/{host}");
    let claims = Claims::for_subject(host, &provider_arn, &config.audience, subject);
    if account != caller.account {
        return Some(AwsFacts {
            role: RoleLookup::OtherAccount { account },
            caller,
            role_arn,
            provider: Err("in another account".into()),
            provider_arn,
            decision: None,
            claims,
        });
    }
    let role = match iam.get_role(&name).await {
        Ok(Some(r)) => RoleLookup::Found(Box::new(r)),
        Ok(None) => RoleLookup::Missing,
        Err(e) => RoleLookup::Unreadable(e.to_string()),
    };
    let provider = iam
        .get_oidc_provider(&provider_arn)
        .await
        .map_err(|e| e.to_string());
    let decision = match &role {
        RoleLookup::Found(r) => match PolicyDocument::parse(&r.trust_policy) {
            Ok(doc) => Some(evaluate(&doc, &claims)),
            Err(e) => {
                notes.push(format!("the trust policy of {name} does not parse: {e}"));
                None
            }
        },
        _ => None,
    };
    Some(AwsFacts {
        caller,
        role_arn,
        role,
        provider_arn,
        provider,
        decision,
        claims,
    })
}

/// Problems the AWS facts show by themselves, most basic first.
fn fact_causes(facts: &AwsFacts, config: &CredentialConfig) -> Vec<Cause> {
    let mut out = Vec::new();
    let account = &facts.caller.account;
    if matches!(facts.provider, Ok(None)) {
        out.push(
            Cause::new(
                CauseCode::OidcProviderMissing,
                format!(
                    "AWS account {account} has no IAM OIDC provider for https://{}",
                    facts.claims.host
                ),
            )
            .detail(format!("expected {}", facts.provider_arn))
            .fix("create it with 'tfc-oidc setup' (or aws_iam_openid_connect_provider) for this host"),
        );
    }
    if let Ok(Some(p)) = &facts.provider {
        if !p.client_ids.iter().any(|c| c == &config.audience) {
            out.push(
                Cause::new(
                    CauseCode::AudienceMismatch,
                    format!(
                        "the token's audience {:?} is not a client ID of the OIDC provider",
                        config.audience
                    ),
                )
                .detail(format!("client IDs of {}: {}", p.arn, p.client_ids.join(", ")))
                .detail(audience_origin(config))
                .fix(format!(
                    "add {:?} to the provider's client IDs, or set TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE to one of them",
                    config.audience
                )),
            );
        }
    }
    match &facts.role {
        RoleLookup::Missing => out.push(
            Cause::new(
                CauseCode::RoleMissing,
                format!(
                    "role {} does not exist in account {account}",
                    facts.role_arn
                ),
            )
            .detail(role_origin(config))
            .fix("create the role ('tfc-oidc setup') or correct the role ARN variable"),
        ),
        RoleLookup::Found(_) => {
            if let Some(d) = facts.decision.as_ref().filter(|d| !d.allowed) {
                let mut cause = Cause::new(
                    CauseCode::TrustPolicy,
                    format!(
                        "the trust policy of {} does not admit this workspace's plan-phase token",
                        facts.role_arn
                    ),
                )
                .detail(d.explain())
                .detail(format!("the token's sub: {}", facts.claims.sub))
                .detail(format!("the token's aud: {}", facts.claims.aud));
                cause = cause.fix(format!(
                    "add the subject to the role's trust policy ('tfc-oidc setup' for this workspace does), e.g. StringLike {}:sub = {}",
                    facts.claims.host,
                    crate::core::subject::escape(&facts.claims.sub)
                ));
                out.push(cause);
            }
        }
        RoleLookup::OtherAccount { .. } | RoleLookup::Unreadable(_) => {}
    }
    out
}

fn role_origin(config: &CredentialConfig) -> String {
    match &config.role_arn {
        Some(s) => format!("{} comes from {}", s.key, s.source),
        None => "no role ARN variable".into(),
    }
}

fn audience_origin(config: &CredentialConfig) -> String {
    match &config.audience_setting {
        Some(s) => format!("the audience comes from {} ({})", s.key, s.source),
        None => "the audience is the default (no TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE)".into(),
    }
}

/// The cause for one AWS error of the log, using the facts when they explain it.
fn explain_aws_error(
    error: &AwsAuthError,
    facts: Option<&AwsFacts>,
    known: &[Cause],
    config: &CredentialConfig,
) -> Option<Cause> {
    let has = |code: CauseCode| known.iter().find(|c| c.code == code).cloned();
    let said = format!("AWS said: {}", describe_aws_error(error));
    let with_said = |c: Cause| Some(c.detail(said.clone()));
    match error {
        AwsAuthError::NoOidcProvider { issuer } => has(CauseCode::OidcProviderMissing)
            .map(|c| c.detail(said.clone()))
            .or_else(|| {
                let issuer = issuer.clone().unwrap_or_else(|| "the issuer".into());
                with_said(
                    Cause::new(
                        CauseCode::OidcProviderMissing,
                        format!("the role's AWS account has no IAM OIDC provider for {issuer}"),
                    )
                    .fix("create the provider in the account of the role ('tfc-oidc setup')"),
                )
            }),
        AwsAuthError::IncorrectAudience => has(CauseCode::AudienceMismatch)
            .map(|c| c.detail(said.clone()))
            .or_else(|| {
                with_said(
                    Cause::new(
                        CauseCode::AudienceMismatch,
                        format!(
                            "the token's audience {:?} is not a client ID of the OIDC provider",
                            config.audience
                        ),
                    )
                    .detail(audience_origin(config)),
                )
            }),
        AwsAuthError::AccessDenied { .. } => has(CauseCode::RoleMissing)
            .or_else(|| has(CauseCode::TrustPolicy))
            .map(|c| c.detail(said.clone()))
            .or_else(|| {
                let mut c = Cause::new(
                    CauseCode::AccessDenied,
                    "STS refused AssumeRoleWithWebIdentity for the plan role",
                );
                if let Some(f) = facts {
                    if f.decision.as_ref().is_some_and(|d| d.allowed) {
                        c = c
                            .detail(format!(
                                "tfc-oidc's evaluation of the trust policy of {} admits {}",
                                f.role_arn, f.claims.sub
                            ))
                            .fix("look for an explicit Deny, a service control policy, or a trust policy changed since the run");
                    } else if let RoleLookup::OtherAccount { account } = &f.role {
                        c = c.detail(format!(
                            "the role is in account {account}; run 'tfc-oidc explain' with credentials for that account"
                        ));
                    }
                }
                with_said(c)
            }),
        AwsAuthError::InvalidIdentityToken { .. } => with_said(Cause::new(
            CauseCode::InvalidIdentityToken,
            "STS rejected the workload identity token",
        )),
        AwsAuthError::NoCredentials => with_said(
            Cause::new(
                CauseCode::NoCredentials,
                "the AWS provider found no credentials",
            )
            .fix(if config.enabled() {
                "dynamic credentials are configured: check that the provider block sets no other credentials (profile, access_key, assume_role) and that the run uses the default AWS configuration"
            } else {
                "set TFC_AWS_PROVIDER_AUTH=true and TFC_AWS_RUN_ROLE_ARN on the workspace (env category)"
            }),
        ),
        AwsAuthError::InvalidStaticKeys => with_said(
            Cause::new(
                CauseCode::StaticKeys,
                "the run used static AWS keys, and AWS rejected them",
            )
            .fix("remove AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY so the run uses dynamic credentials ('tfc-oidc migrate')"),
        ),
    }
}

/// One line for an AWS error.
pub fn describe_aws_error(e: &AwsAuthError) -> String {
    match e {
        AwsAuthError::AccessDenied { message } if !message.is_empty() => {
            format!("AccessDenied: {message}")
        }
        AwsAuthError::AccessDenied { .. } => "AccessDenied".into(),
        AwsAuthError::NoOidcProvider { issuer } => format!(
            "InvalidIdentityToken: No OpenIDConnect provider found in your account for {}",
            issuer.as_deref().unwrap_or("the issuer")
        ),
        AwsAuthError::IncorrectAudience => "InvalidIdentityToken: Incorrect token audience".into(),
        AwsAuthError::InvalidIdentityToken { message } => {
            format!("InvalidIdentityToken: {message}")
        }
        AwsAuthError::NoCredentials => "no valid credential sources found".into(),
        AwsAuthError::InvalidStaticKeys => "InvalidClientTokenId".into(),
    }
}

/// Everything known about one run, for [`causes`].
pub struct Evidence<'a> {
    pub phase: RunPhase,
    pub status: &'a str,
    pub config: &'a CredentialConfig,
    pub log: Option<&'a LogSummary>,
    pub facts: Option<&'a AwsFacts>,
}

/// Whether the run authenticated: its plan finished, the log shows no AWS authentication
/// error, and dynamic credentials were configured.
pub fn authenticated(e: &Evidence) -> bool {
    e.phase == RunPhase::Planned
        && e.config.enabled()
        && e.log.is_none_or(|l| l.aws_errors.is_empty())
}

/// The causes, most telling first (empty when the run authenticated).
pub fn causes(e: &Evidence) -> Vec<Cause> {
    if authenticated(e) {
        return vec![];
    }
    let mut out: Vec<Cause> = Vec::new();
    for p in e.config.problems.iter().filter(|p| p.is_blocking()) {
        out.push(Cause::new(CauseCode::Variables, p.describe()));
    }
    let facts = e
        .facts
        .map(|f| fact_causes(f, e.config))
        .unwrap_or_default();
    let aws_errors = e.log.map(|l| l.aws_errors.as_slice()).unwrap_or_default();
    for err in aws_errors {
        if let Some(c) = explain_aws_error(err, e.facts, &facts, e.config) {
            if !out.iter().any(|o| o.code == c.code) {
                out.push(c);
            }
        }
    }
    for c in facts {
        if !out.iter().any(|o| o.code == c.code) {
            out.push(c);
        }
    }
    if out.is_empty() {
        match e.phase {
            RunPhase::Failed if e.status == "errored" => {
                let mut c = Cause::new(
                    CauseCode::RunErrored,
                    "the run errored, with no AWS authentication error in its log",
                );
                for line in e
                    .log
                    .map(|l| l.errors.as_slice())
                    .unwrap_or_default()
                    .iter()
                    .take(5)
                {
                    c = c.detail(line.clone());
                }
                out.push(c);
            }
            RunPhase::Failed => out.push(Cause::new(
                CauseCode::RunCanceled,
                format!("the run ended as {} before its plan finished", e.status),
            )),
            // Planned, with dynamic credentials and no AWS error: that is authenticated, so
            // this is only reached through a missing-variable problem handled above.
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::inventory::{EffectiveVariable, VariableSource};
    use crate::core::ports::{Variable, VariableCategory};
    use crate::core::verify::credentials::credential_config;
    use crate::core::verify::log;

    const HOST: &str = "app.terraform.io";
    const ARN: &str = "arn:aws:iam::123456789012:role/tfc-acme";

    fn env(key: &str, value: &str) -> EffectiveVariable {
        EffectiveVariable {
            variable: Variable {
                id: format!("var-{key}"),
                key: key.into(),
                value: Some(value.into()),
                description: None,
                category: VariableCategory::Env,
                sensitive: false,
                hcl: false,
            },
            source: VariableSource::Workspace,
        }
    }

    fn subject() -> RunSubject {
        RunSubject::Workspace {
            organization: "acme".into(),
            project: "platform".into(),
            workspace: "network".into(),
            phase: "plan".into(),
        }
    }

    fn good_config() -> CredentialConfig {
        credential_config(
            &[
                env("TFC_AWS_PROVIDER_AUTH", "true"),
                env("TFC_AWS_RUN_ROLE_ARN", ARN),
            ],
            "plan",
        )
    }

    fn facts(trust_sub: &str, client_ids: &[&str], role: bool) -> AwsFacts {
        let provider_arn = format!("arn:aws:iam::123456789012:oidc-provider/{HOST}");
        let trust = serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"Federated": provider_arn},"Action":"sts:AssumeRoleWithWebIdentity",
            "Condition":{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"},
                         "StringLike":{"app.terraform.io:sub": trust_sub}}}]})
        .to_string();
        let claims = Claims::for_subject(HOST, &provider_arn, "aws.workload.identity", &subject());
        let doc = PolicyDocument::parse(&trust).unwrap();
        AwsFacts {
            caller: CallerIdentity {
                account: "123456789012".into(),
                arn: "arn:aws:iam::123456789012:user/me".into(),
                user_id: "AIDA".into(),
            },
            role_arn: ARN.into(),
            role: if role {
                RoleLookup::Found(Box::new(Role {
                    name: "tfc-acme".into(),
                    arn: ARN.into(),
                    path: "/".into(),
                    trust_policy: trust,
                    description: None,
                    tags: vec![],
                    last_used: None,
                }))
            } else {
                RoleLookup::Missing
            },
            provider: Ok(Some(OidcProvider {
                arn: provider_arn.clone(),
                url: HOST.into(),
                client_ids: client_ids.iter().map(|s| s.to_string()).collect(),
                thumbprints: vec![],
                tags: vec![],
            })),
            provider_arn,
            decision: role.then(|| evaluate(&doc, &claims)),
            claims,
        }
    }

    #[test]
    fn success_has_no_causes() {
        let config = good_config();
        let log = log::parse("No changes. Your infrastructure matches the configuration.");
        let e = Evidence {
            phase: RunPhase::Planned,
            status: "planned_and_finished",
            config: &config,
            log: Some(&log),
            facts: None,
        };
        assert!(authenticated(&e));
        assert!(causes(&e).is_empty());
    }

    #[test]
    fn access_denied_is_explained_by_the_trust_policy() {
        let config = good_config();
        let log = log::parse("Error: operation error STS: AssumeRoleWithWebIdentity, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity\n");
        let f = facts(
            "organization:acme:project:platform:workspace:dns:run_phase:*",
            &["aws.workload.identity"],
            true,
        );
        let e = Evidence {
            phase: RunPhase::Failed,
            status: "errored",
            config: &config,
            log: Some(&log),
            facts: Some(&f),
        };
        let c = causes(&e);
        assert_eq!(c[0].code, CauseCode::TrustPolicy, "{c:?}");
        assert!(c[0].details[0].contains("StringLike app.terraform.io:sub does not match organization:acme:project:platform:workspace:network:run_phase:plan"));
        assert!(c[0]
            .details
            .iter()
            .any(|d| d.starts_with("AWS said: AccessDenied")));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn access_denied_for_a_missing_role_and_other_causes() {
        let config = good_config();
        let log = log::parse("api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity (AssumeRoleWithWebIdentity)");
        let f = facts("*", &["aws.workload.identity"], false);
        let e = Evidence {
            phase: RunPhase::Failed,
            status: "errored",
            config: &config,
            log: Some(&log),
            facts: Some(&f),
        };
        assert_eq!(causes(&e)[0].code, CauseCode::RoleMissing);
        let f = facts("organization:acme:*", &["sts.amazonaws.com"], true);
        let log = log::parse("InvalidIdentityToken: Incorrect token audience");
        let e = Evidence {
            log: Some(&log),
            facts: Some(&f),
            ..e
        };
        let c = causes(&e);
        assert_eq!(c[0].code, CauseCode::AudienceMismatch);
        assert!(c[0].details[0].contains("sts.amazonaws.com"));
    }

    #[test]
    fn variables_first_and_unexplained_errors() {
        let config = credential_config(&[env("TFC_AWS_RUN_ROLE_ARN", ARN)], "plan");
        let log = log::parse("Error: No valid credential sources found\n");
        let e = Evidence {
            phase: RunPhase::Failed,
            status: "errored",
            config: &config,
            log: Some(&log),
            facts: None,
        };
        let c = causes(&e);
        assert_eq!(c[0].code, CauseCode::Variables);
        assert!(c[0].summary.contains("TFC_AWS_PROVIDER_AUTH"));
        assert_eq!(c[1].code, CauseCode::NoCredentials);
        let config = good_config();
        let log = log::parse(
            "Error: Unsupported argument\n\nAn argument named \"foo\" is not expected here.\n",
        );
        let e = Evidence {
            config: &config,
            log: Some(&log),
            ..e
        };
        let c = causes(&e);
        assert_eq!(c[0].code, CauseCode::RunErrored);
        assert!(c[0].details[0].contains("Unsupported argument"));
        let planned_without = credential_config(&[], "plan");
        let e = Evidence {
            phase: RunPhase::Planned,
            status: "planned_and_finished",
            config: &planned_without,
            log: None,
            facts: None,
        };
        assert!(!authenticated(&e));
        assert_eq!(causes(&e)[0].code, CauseCode::Variables);
    }
}
