//! Setup at the edges: IAM's trust size limit, keys left behind, global sets, IAM's eventual
//! consistency.

use super::*;

#[tokio::test]
async fn a_trust_policy_over_iams_limit_is_refused_at_plan_time() {
    let sb = Sandbox::demo();
    for i in 0..40 {
        let project = sb
            .tfc
            .workspace("acme-corp", "dns")
            .await
            .unwrap()
            .project_id;
        sb.tfc
            .add_workspace(
                "acme-corp",
                &project,
                &format!("service-with-a-long-name-{i:02}"),
            )
            .unwrap();
    }
    let names: Vec<String> = (0..40)
        .map(|i| format!("service-with-a-long-name-{i:02}"))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let err = plan(&answers(&refs), sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(
        matches!(err, PlanError::TrustPolicyTooLarge { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("--all-workspaces"));
}

#[tokio::test]
async fn leftover_static_keys_are_pointed_out() {
    let sb = Sandbox::demo();
    let p = plan_ok(&sb, &answers(&["network-staging"])).await;
    assert!(
        p.notes.iter().any(|n| n
            .text
            .contains("workspace network-staging still holds AWS_ACCESS_KEY_ID")),
        "{:?}",
        p.notes
    );
}

#[tokio::test]
async fn an_existing_global_set_is_never_written() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.target = TargetChoice::VariableSet {
        name: "acme-defaults".into(),
    };
    let err = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("every workspace of the organization"),
        "{err}"
    );
    assert_eq!(sb.tfc.write_count() + sb.iam.write_count(), 0);
}

#[tokio::test]
async fn calls_on_a_just_created_role_ride_out_iam_eventual_consistency() {
    let sb = Sandbox::demo();
    // IAM may not see a role for a moment after creating it.
    sb.iam.fail_on(
        "attach_policy",
        1,
        IamError::NoSuchEntity("role tfc-acme-corp-platform".into()),
    );
    let p = plan_ok(&sb, &answers(&["network-prod"])).await;
    apply_ok(&sb, &Journal::in_memory(), p).await;
    let attached = sb
        .iam
        .list_attached_policies("tfc-acme-corp-platform")
        .await
        .unwrap();
    assert_eq!(attached, vec![READ_ONLY.to_string()]);
}

#[tokio::test]
async fn leftover_static_keys_are_pointed_out_for_a_variable_set_target_too() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-staging"]);
    a.target = TargetChoice::VariableSet {
        name: "platform-oidc".into(),
    };
    let p = plan_ok(&sb, &a).await;
    let warning = p
        .notes
        .iter()
        .find(|n| {
            n.text
                .contains("network-staging still holds AWS_ACCESS_KEY_ID")
        })
        .unwrap_or_else(|| panic!("{:?}", p.notes));
    assert!(warning.is_warning());
    assert_eq!(warning.resource, "workspace network-staging");
}
