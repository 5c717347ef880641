//! Stack subjects naming a Stack, deployment or project that is gone (TFCOIDC009), on the
//! sandbox with the same clean organization as the other finding tests.

use super::*;
use crate::core::inventory::Inventory;

fn stack_sub(project: &str, stack: &str, deployment: &str) -> String {
    format!(
        "organization:acme:project:{project}:stack:{stack}:deployment:{deployment}:operation:plan"
    )
}

#[tokio::test]
async fn tfcoidc009_a_stack_subject_for_a_stack_or_deployment_that_is_gone() {
    let fx = clean().await;
    fx.sb
        .tfc
        .add_stack("acme", &fx.project, "net", &["staging", "production"])
        .unwrap();
    let fine = [
        stack_sub("apps", "net", "staging"),
        stack_sub("apps", "net", "*"),
        stack_sub("apps", "n*", "qa"),
    ];
    fx.role("stacks-ok", exact(&fine)).await;
    assert_eq!(fx.findings().await, vec![], "existing Stacks are not stale");

    let stale = [
        stack_sub("apps", "net", "qa"),
        stack_sub("apps", "old-net", "*"),
        stack_sub("other", "net", "staging"),
        stack_sub("gone", "net", "staging"),
    ];
    fx.role("stacks-stale", exact(&stale)).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC009"; 4]);
    let details: Vec<&str> = f.iter().map(|f| f.detail.as_str()).collect();
    let has = |text: &str| {
        assert!(
            details.iter().any(|d| d.contains(text)),
            "{text} in {details:?}"
        );
    };
    has("Stack net has no deployment qa (deployments: staging, production)");
    has("project apps has no Stack old-net");
    has("project other has no Stack net (a Stack of that name is in project apps)");
    has("organization acme has no project gone");
    assert!(f.iter().all(|f| f.resource.ends_with("role/stacks-stale")));
    assert!(f.iter().all(|f| f.statement == Some(0)));
    // The same judgement with the review scoped to one project: Stacks are read in full.
    assert_eq!(ids(&fx.findings_in(Some("apps")).await), ["TFCOIDC009"; 4]);
}

#[tokio::test]
async fn a_stack_without_deployments_yet_is_not_judged_by_deployment() {
    let fx = clean().await;
    fx.sb
        .tfc
        .add_stack("acme", &fx.project, "fresh", &[])
        .unwrap();
    fx.role("fresh", exact(&[stack_sub("apps", "fresh", "prod")]))
        .await;
    assert_eq!(fx.findings().await, vec![]);
}

async fn inventory(fx: &Fx) -> Inventory {
    let scope = InventoryScope {
        host: HOST.into(),
        organization: "acme".into(),
        project: Some("apps".into()),
    };
    read(
        &scope,
        fx.sb.tfc.as_ref(),
        Some(fx.sb.iam.as_ref()),
        &|_| {},
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn explain_evaluates_a_stack_deployments_subject() {
    use crate::core::review::explain_stack::{explain_stack, StackExplainError, StackRun};
    let fx = clean().await;
    fx.sb
        .tfc
        .add_stack("acme", &fx.project, "net", &["staging", "production"])
        .unwrap();
    fx.role("net-plan", exact(&[stack_sub("apps", "net", "*")]))
        .await;
    let inv = inventory(&fx).await;
    let role_arn = "arn:aws:iam::123456789012:role/net-plan";
    let run = StackRun {
        project: "apps",
        stack: "net",
        deployment: "staging",
        operation: Phase::Plan,
        role_arn,
        audience: AUD,
    };
    let allowed = explain_stack(&inv, &run, None).unwrap();
    assert!(allowed.allowed(), "{allowed:?}");
    assert_eq!(
        allowed.check.claims.sub,
        "organization:acme:project:apps:stack:net:deployment:staging:operation:plan"
    );
    assert!(allowed.notes.is_empty());

    let apply = StackRun {
        operation: Phase::Apply,
        ..run.clone()
    };
    let denied = explain_stack(&inv, &apply, None).unwrap();
    assert!(!denied.allowed());
    let reason = denied.check.problems[0].describe();
    assert!(
        reason.starts_with("deny: StringLike app.terraform.io:sub does not match organization:acme:project:apps:stack:net:deployment:staging:operation:apply"),
        "{reason}"
    );
    assert_eq!(denied.check.decisive_statement(), Some(0));

    let unknown = StackRun {
        deployment: "qa",
        ..run.clone()
    };
    let noted = explain_stack(&inv, &unknown, None).unwrap();
    assert!(noted.allowed(), "the pattern admits any deployment");
    assert!(noted.notes[0].contains("has no deployment qa"));

    let missing = StackRun {
        stack: "old-net",
        ..run
    };
    let err = explain_stack(&inv, &missing, None).unwrap_err();
    assert!(matches!(err, StackExplainError::NoStack { .. }), "{err}");
    assert!(err.to_string().contains("(Stacks there: net)"));
}

/// An `AssumeRoleWithWebIdentity` event of `role` for `sub`, `hours` ago, as CloudTrail records it.
fn event(hours: i64, sub: &str, role: &str, denied: bool) -> crate::core::activity::Activity {
    let time = (time::OffsetDateTime::now_utc() - time::Duration::hours(hours))
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let mut record = json!({
        "eventTime": time,
        "eventName": "AssumeRoleWithWebIdentity",
        "userIdentity": {"type": "WebIdentityUser", "userName": sub, "identityProvider": PROVIDER},
        "requestParameters": {"roleArn": role, "roleSessionName": "terraform-run-abc"},
    });
    if denied {
        record["errorCode"] = json!("AccessDenied");
    }
    let e = crate::core::ports::TrailEvent {
        event_id: format!("e{hours}"),
        event_time: time,
        cloudtrail_event: record.to_string(),
    };
    crate::core::activity::parse_event(&e).unwrap()
}

fn with_activity(inv: &Inventory, events: &[crate::core::activity::Activity]) -> Vec<Finding> {
    let seen = activity::SeenActivity {
        events,
        truncated: false,
    };
    activity::check(inv, seen, time::OffsetDateTime::now_utc())
}

#[tokio::test]
async fn tfcoidc015_and_016_from_cloudtrail_events() {
    let fx = clean().await;
    let inv = inventory(&fx).await;
    let mut events = vec![
        event(1, &sub("web", "plan"), PLAN_ROLE, false),
        event(2, &sub("web", "apply"), APPLY_ROLE, false),
        event(3, &sub("api", "plan"), PLAN_ROLE, true),
        event(30, &sub("api", "plan"), PLAN_ROLE, true),
        event(40, &sub("api", "apply"), APPLY_ROLE, false),
    ];
    let f = with_activity(&inv, &events);
    assert_eq!(ids(&f), ["TFCOIDC015", "TFCOIDC016"], "{f:#?}");
    let unused = &f[0];
    assert_eq!(unused.severity, Severity::Low);
    assert_eq!(unused.resource, PLAN_ROLE);
    assert!(
        unused.detail.contains("(workspace acme/api), but no run of it assumed role acme-apps-plan in the 0 days since the role was created"),
        "{}",
        unused.detail
    );
    let refused = &f[1];
    assert_eq!(refused.severity, Severity::High);
    assert_eq!(refused.resource, "acme/api");
    assert!(refused
        .detail
        .starts_with("2 refused AssumeRoleWithWebIdentity calls"));
    assert!(refused
        .detail
        .contains("AccessDenied for role acme-apps-plan, plan phase"));
    assert!(refused.fix.contains(
        "tfc-oidc explain --org acme --project apps --workspace api --phase plan --role-arn arn:aws:iam::123456789012:role/acme-apps-plan"
    ));

    // A later success with another role (the variables were corrected): no longer failing.
    let other_role = "arn:aws:iam::123456789012:role/other";
    let fixed: Vec<_> = events
        .iter()
        .cloned()
        .chain([event(0, &sub("api", "plan"), other_role, false)])
        .collect();
    assert_eq!(ids(&with_activity(&inv, &fixed)), ["TFCOIDC015"]);

    // A later success for the same subject and role: no longer failing, and now seen.
    events.push(event(0, &sub("api", "plan"), PLAN_ROLE, false));
    assert_eq!(with_activity(&inv, &events), vec![]);

    // Nothing seen, and more events than were read: "never seen" cannot be told.
    let truncated = activity::SeenActivity {
        events: &[],
        truncated: true,
    };
    assert_eq!(
        activity::check(&inv, truncated, time::OffsetDateTime::now_utc()),
        vec![]
    );
    // Runs of other organizations, and Stack runs, are not this organization's workspaces.
    let other = [
        event(
            1,
            "organization:other:project:apps:workspace:api:run_phase:plan",
            PLAN_ROLE,
            true,
        ),
        event(1, &stack_sub("apps", "net", "prod"), PLAN_ROLE, true),
    ];
    let all: Vec<_> = events.iter().cloned().chain(other).collect();
    assert_eq!(with_activity(&inv, &all), vec![]);
}

#[tokio::test]
async fn stacks_that_cannot_be_listed_skip_the_stack_checks_only() {
    use crate::core::ports::TfcError;
    let fx = clean().await;
    fx.role("stacks-stale", exact(&[stack_sub("apps", "old-net", "*")]))
        .await;
    assert_eq!(ids(&fx.findings().await), ["TFCOIDC009"]);
    let refused = TfcError::Rejected {
        status: 403,
        detail: "forbidden".into(),
    };
    fx.sb.tfc.fail_on("stacks", 1, refused);
    let inv = inventory(&fx).await;
    assert_eq!(inv.stacks, None);
    assert_eq!(review(&inv), vec![]);
}

#[tokio::test]
async fn tfcoidc016_says_why_the_runs_were_refused() {
    let fx = clean().await;
    let inv = inventory(&fx).await;
    let f = with_activity(&inv, &[event(3, &sub("api", "plan"), PLAN_ROLE, true)]);
    let refused = f.iter().find(|f| f.id == FindingId::RefusedRuns).unwrap();
    assert!(
        refused
            .detail
            .ends_with("plan phase (the role's trust conditions refused the token)"),
        "{}",
        refused.detail
    );
    // A workspace renamed since: the trust still names the old subject.
    let f = with_activity(&inv, &[event(3, &sub("api-old", "plan"), PLAN_ROLE, true)]);
    let refused = f.iter().find(|f| f.id == FindingId::RefusedRuns).unwrap();
    assert!(
        refused.detail.ends_with(
            "(our workspace apps/api-old does not exist now (renamed or deleted): the trust still names the old subject)"
        ),
        "{}",
        refused.detail
    );
}
