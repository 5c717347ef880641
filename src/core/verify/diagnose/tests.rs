//! Tests of the diagnosis: each AWS error of the log explained by the facts, variables first.

use super::*;
use crate::core::ports::{CallerIdentity, OidcProvider, Role};
use crate::core::ports::{Variable, VariableCategory};
use crate::core::trust::subject::RunSubject;
use crate::core::trust::{evaluate, Claims, PolicyDocument};
use crate::core::variables::{EffectiveVariable, VariableSource};
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
                id: "AROAEXAMPLE".into(),
                created: None,
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
        phase: RunProgress::Planned,
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
        phase: RunProgress::Failed,
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
        phase: RunProgress::Failed,
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
        phase: RunProgress::Failed,
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
        phase: RunProgress::Planned,
        status: "planned_and_finished",
        config: &planned_without,
        log: None,
        facts: None,
    };
    assert!(!authenticated(&e));
    assert_eq!(causes(&e)[0].code, CauseCode::Variables);
}
