//! `verify` in the core, on the sandbox: simulated runs succeed once setup made the provider,
//! role, trust and variables, and fail with the cause each broken piece leaves.

use std::time::Duration;
use tfc_oidc::core::answers::{Answers, WorkspaceSelection};
use tfc_oidc::core::apply::apply;
use tfc_oidc::core::journal::{Journal, RecordKind};
use tfc_oidc::core::planner::plan;
use tfc_oidc::core::ports::{Iam, Tfc};
use tfc_oidc::core::verify::diagnose::CauseCode;
use tfc_oidc::core::verify::follow::FollowOptions;
use tfc_oidc::core::verify::{verify_workspace, VerifyEvent, VerifyReport};
use tfc_oidc::sandbox::Sandbox;

fn fast() -> FollowOptions {
    FollowOptions {
        timeout: Duration::from_secs(5),
        first_interval: Duration::from_millis(1),
        max_interval: Duration::from_millis(5),
    }
}

async fn set_up(sb: &Sandbox, workspace: &str) {
    let a = Answers::new(
        "app.terraform.io",
        "acme-corp",
        "platform",
        WorkspaceSelection::Named(vec![workspace.into()]),
    );
    let mut a = a;
    a.permissions.none = true;
    let p = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref()).await.unwrap();
    let journal = Journal::in_memory();
    let mut w = journal.begin(&p, RecordKind::Apply).unwrap();
    apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &|_| {})
        .await
        .unwrap();
}

async fn verify(sb: &Sandbox, org: &str, ws: &str) -> (VerifyReport, Vec<VerifyEvent>) {
    let events = std::sync::Mutex::new(vec![]);
    let report = verify_workspace(
        sb.tfc.as_ref(),
        Some(sb.iam.as_ref() as &dyn Iam),
        org,
        ws,
        fast(),
        &|e| events.lock().unwrap().push(e),
    )
    .await
    .unwrap();
    (report, events.into_inner().unwrap())
}

#[tokio::test]
async fn a_set_up_workspace_authenticates() {
    let sb = Sandbox::demo();
    set_up(&sb, "network-prod").await;
    let (report, events) = verify(&sb, "acme-corp", "network-prod").await;
    assert!(report.authenticated, "{report:#?}");
    assert!(report.causes.is_empty());
    assert!(report
        .role_arn
        .as_deref()
        .unwrap()
        .ends_with(":role/tfc-acme-corp-platform"));
    let run = report.run.as_ref().unwrap();
    assert_eq!(run.status, "planned_and_finished");
    assert!(run
        .url
        .starts_with("https://app.terraform.io/app/acme-corp/workspaces/network-prod/runs/run-"));
    let statuses: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            VerifyEvent::Status { status, .. } => Some(status.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        statuses,
        ["pending", "plan_queued", "planning", "planned_and_finished"]
    );
    assert!(report.log.as_ref().unwrap().touched_aws);
}

#[tokio::test]
async fn each_broken_piece_is_named() {
    let sb = Sandbox::demo();
    set_up(&sb, "network-prod").await;
    // Another workspace of the project gets the variables but is not trusted.
    let ws = sb
        .tfc
        .workspace("acme-corp", "network-staging")
        .await
        .unwrap();
    let prod = sb.tfc.workspace("acme-corp", "network-prod").await.unwrap();
    for v in sb.tfc.workspace_variables(&prod.id).await.unwrap() {
        if v.key.starts_with("TFC_AWS_") {
            let new = tfc_oidc::core::ports::NewVariable {
                key: v.key,
                value: v.value.unwrap(),
                description: String::new(),
                category: v.category,
                sensitive: false,
            };
            sb.tfc
                .create_workspace_variable(&ws.id, &new)
                .await
                .unwrap();
        }
    }
    let (report, _) = verify(&sb, "acme-corp", "network-staging").await;
    assert!(!report.authenticated);
    let cause = report.cause().unwrap();
    assert_eq!(cause.code, CauseCode::TrustPolicy, "{report:#?}");
    assert!(cause.details[0].contains("workspace:network-staging:run_phase:plan"));
    assert!(cause.details.iter().any(|d| d.contains("AccessDenied")));

    // dns: TFC_AWS_PROVIDER_AUTH without a role ARN.
    let (report, _) = verify(&sb, "acme-corp", "dns").await;
    assert_eq!(report.cause().unwrap().code, CauseCode::Variables);
    assert!(report.cause().unwrap().summary.contains("no role ARN"));

    // playground: no configuration version, no run.
    let (report, events) = verify(&sb, "acme-sandbox", "playground").await;
    assert!(report.run.is_none() && events.is_empty());
    assert_eq!(
        report.cause().unwrap().code,
        CauseCode::NoConfigurationVersion
    );

    // The role deleted behind setup's back.
    for p in sb
        .iam
        .list_attached_policies("tfc-acme-corp-platform")
        .await
        .unwrap()
    {
        sb.iam
            .detach_policy("tfc-acme-corp-platform", &p)
            .await
            .unwrap();
    }
    sb.iam.delete_role("tfc-acme-corp-platform").await.unwrap();
    let (report, _) = verify(&sb, "acme-corp", "network-prod").await;
    assert_eq!(
        report.cause().unwrap().code,
        CauseCode::RoleMissing,
        "{report:#?}"
    );
}

#[tokio::test]
async fn a_missing_provider_and_a_wrong_audience() {
    let sb = Sandbox::demo();
    set_up(&sb, "network-prod").await;
    let arn = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";
    sb.iam
        .remove_client_id(arn, "aws.workload.identity")
        .await
        .unwrap();
    sb.iam
        .add_client_id(arn, "sts.amazonaws.com")
        .await
        .unwrap();
    let (report, _) = verify(&sb, "acme-corp", "network-prod").await;
    let cause = report.cause().unwrap();
    assert_eq!(cause.code, CauseCode::AudienceMismatch, "{report:#?}");
    assert!(cause
        .details
        .iter()
        .any(|d| d.contains("sts.amazonaws.com")));
    sb.iam.delete_oidc_provider(arn).await.unwrap();
    let (report, _) = verify(&sb, "acme-corp", "network-prod").await;
    assert_eq!(report.cause().unwrap().code, CauseCode::OidcProviderMissing);
    assert!(report.cause().unwrap().details.iter().any(|d| d
        .contains("No OpenIDConnect provider found in your account for https://app.terraform.io")));
}

#[tokio::test]
async fn activity_shows_the_demo_history_and_the_runs_verify_queued() {
    use tfc_oidc::core::activity::{read_activity, ActivityQuery};
    use time::{Duration as TimeDuration, OffsetDateTime};
    // Without the review's deliberately misconfigured roles, which also trust the provider.
    let sb = Sandbox::demo_without_review_roles();
    set_up(&sb, "network-prod").await;
    let (report, _) = verify(&sb, "acme-corp", "network-prod").await;
    let run_id = report.run.unwrap().id;
    let end = OffsetDateTime::now_utc() + TimeDuration::minutes(1);
    let query = ActivityQuery {
        host: "app.terraform.io".into(),
        organization: None,
        role: None,
        start: end - TimeDuration::days(7),
        end,
    };
    let got = read_activity(sb.iam.as_ref(), Some(sb.iam.as_ref() as &dyn Iam), &query)
        .await
        .unwrap();
    assert_eq!(got.events[0].run_id.as_deref(), Some(run_id.as_str()));
    assert!(got.events[0].succeeded());
    assert_eq!(got.trusting_roles, ["tfc-acme-corp-platform"]);
    assert!(got
        .events
        .iter()
        .all(|e| e.issuer_host.as_deref() == Some("app.terraform.io")
            || e.role_name.as_deref() == Some("tfc-acme-corp-platform")));
    assert!(got.refused() >= 2, "the demo history holds refusals");
    let only = ActivityQuery {
        organization: Some("acme-sandbox".into()),
        ..query
    };
    let got = read_activity(sb.iam.as_ref(), None, &only).await.unwrap();
    assert_eq!(got.events.len(), 1);
    assert_eq!(got.events[0].error_code.as_deref(), Some("AccessDenied"));
}
