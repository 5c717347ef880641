//! Stack subjects naming a Stack, deployment or project that is gone (TFCOIDC009), on the
//! sandbox with the same clean organization as the other finding tests.

use super::*;

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
