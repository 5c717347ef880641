//! Every input checked before the first write, variables written last, and split roles with
//! split permissions.

use super::*;
use tfc_oidc::core::answers::{AnswerError, Permissions};
use tfc_oidc::core::change::AttachRolePolicy;

const POWER_USER: &str = "arn:aws:iam::aws:policy/PowerUserAccess";
const INLINE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#;

/// (role, policy) of every attach in the plan.
fn attaches(p: &Plan) -> Vec<(String, String)> {
    p.changes
        .iter()
        .filter_map(|c| match &c.change {
            Change::AttachRolePolicy(AttachRolePolicy {
                role_name,
                policy_arn,
            }) => Some((role_name.clone(), policy_arn.clone())),
            _ => None,
        })
        .collect()
}

/// Every variable change waits for every role and permission change of the plan.
fn variables_wait_for_roles_and_permissions(p: &Plan) {
    let ready: Vec<usize> = p
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(
                c.change,
                Change::CreateRole(_)
                    | Change::UpdateTrustPolicy(_)
                    | Change::AttachRolePolicy(_)
                    | Change::PutRolePolicy(_)
            )
        })
        .map(|(i, _)| i)
        .collect();
    assert!(!ready.is_empty());
    for c in &p.changes {
        if matches!(
            c.change,
            Change::CreateVariable(_) | Change::UpdateVariable(_)
        ) {
            for i in &ready {
                assert!(
                    c.depends_on.contains(i),
                    "{:?} does not wait for change {i}",
                    c.change
                );
            }
        }
    }
}

#[tokio::test]
async fn a_missing_managed_policy_fails_the_plan_before_any_write() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.permissions.managed_policy_arns = vec![
        READ_ONLY.into(),
        "arn:aws:iam::aws:policy/NoSuchPolicy".into(),
    ];
    let err = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, PlanError::UnknownPolicy { arn } if arn.ends_with("/NoSuchPolicy")),
        "{err}"
    );
    assert!(err.is_usage(), "bad input: exit 2");
    assert_eq!(sb.iam.write_count() + sb.tfc.write_count(), 0);
}

#[tokio::test]
async fn a_policy_iam_will_not_describe_is_named_in_a_warning() {
    let sb = Sandbox::demo();
    let a = answers(&["network-prod"]);
    let denied = IamError::AccessDenied("not authorized to perform: iam:GetPolicy".into());
    sb.iam.fail_on("managed_policy_exists", 1, denied);
    let p = plan_ok(&sb, &a).await;
    assert!(
        p.notes.iter().any(|n| n.is_warning()
            && n.text
                .starts_with(&format!("could not check that policy {READ_ONLY} exists"))),
        "{:?}",
        p.notes
    );
}

#[tokio::test]
async fn a_missing_plan_role_policy_fails_the_plan_too() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.split_roles = true;
    a.plan_permissions = Some(Permissions {
        managed_policy_arns: vec!["arn:aws:iam::aws:policy/ReadOnlyAcess".into()],
        ..Permissions::default()
    });
    let err = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("ReadOnlyAcess does not exist"),
        "{err}"
    );
}

#[tokio::test]
async fn an_inline_policy_iam_rejects_fails_the_plan_with_its_position() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.permissions = Permissions {
        inline_policy: Some(
            "{\n \"Statement\": [{\"Effect\": \"Maybe\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}"
                .into(),
        ),
        ..Permissions::default()
    };
    let err = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(
        matches!(err, PlanError::Answers(AnswerError::InlinePolicy { .. })),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "the inline policy is not a valid IAM policy at 2:27: Effect must be \"Allow\" or \"Deny\", not \"Maybe\""
    );
    assert_eq!(sb.iam.write_count() + sb.tfc.write_count(), 0);
}

#[tokio::test]
async fn variables_are_written_only_once_the_role_has_all_its_permissions() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod", "network-staging"]);
    a.permissions.managed_policy_arns.push(POWER_USER.into());
    a.permissions.inline_policy = Some(INLINE.into());
    variables_wait_for_roles_and_permissions(&plan_ok(&sb, &a).await);

    a.target = TargetChoice::VariableSet {
        name: "aws-oidc".into(),
    };
    a.split_roles = true;
    variables_wait_for_roles_and_permissions(&plan_ok(&sb, &a).await);
}

#[tokio::test]
async fn a_failed_attach_leaves_no_workspace_pointing_at_the_role() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.permissions.managed_policy_arns.push(POWER_USER.into());
    sb.iam.fail_on(
        "attach_policy",
        2,
        IamError::Other("LimitExceeded: too many policies".into()),
    );
    let p = plan_ok(&sb, &a).await;
    let journal = Journal::in_memory();
    let mut w = journal.begin(&p, RecordKind::Apply).unwrap();
    let err = apply(p, sb.iam.as_ref(), sb.tfc.as_ref(), &mut w, &quiet)
        .await
        .unwrap_err();
    assert!(matches!(err, ApplyError::Partial { .. }), "{err}");
    for key in ["TFC_AWS_RUN_ROLE_ARN", "TFC_AWS_PROVIDER_AUTH"] {
        assert_eq!(env_value(&sb, "network-prod", key).await, None, "{key}");
    }
}

#[tokio::test]
async fn split_roles_give_the_plan_role_read_only_and_the_apply_role_the_choice() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.permissions.managed_policy_arns = vec![POWER_USER.into()];
    a.split_roles = true;
    let p = plan_ok(&sb, &a).await;
    assert_eq!(
        attaches(&p),
        [
            ("tfc-acme-corp-platform-plan".into(), READ_ONLY.into()),
            ("tfc-acme-corp-platform-apply".into(), POWER_USER.into()),
        ]
    );
    assert!(
        p.notes.iter().any(|n| n.text
            == "role tfc-acme-corp-platform-plan (plan runs) gets ReadOnlyAccess: plans only read, so only the apply role gets the chosen permissions"),
        "{:?}",
        p.notes
    );
    apply_ok(&sb, &Journal::in_memory(), p).await;
    let plan_role = sb
        .iam
        .list_attached_policies("tfc-acme-corp-platform-plan")
        .await
        .unwrap();
    assert_eq!(plan_role, [READ_ONLY]);
    assert!(plan_ok(&sb, &a).await.is_empty());
}

#[tokio::test]
async fn the_plan_role_takes_its_own_policies_or_none() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.split_roles = true;
    a.permissions.managed_policy_arns = vec![POWER_USER.into()];
    a.plan_permissions = Some(Permissions {
        inline_policy: Some(INLINE.into()),
        ..Permissions::default()
    });
    let p = plan_ok(&sb, &a).await;
    assert_eq!(
        attaches(&p),
        [("tfc-acme-corp-platform-apply".into(), POWER_USER.into())]
    );
    let put: Vec<&str> = p
        .changes
        .iter()
        .filter_map(|c| match &c.change {
            Change::PutRolePolicy(put) => Some(put.role_name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(put, ["tfc-acme-corp-platform-plan"]);
    assert!(p.notes.iter().all(|n| !n.text.contains("(plan runs) gets")));

    // --no-policy gives neither role anything.
    a.permissions = Permissions {
        none: true,
        ..Permissions::default()
    };
    a.plan_permissions = None;
    assert!(attaches(&plan_ok(&sb, &a).await).is_empty());

    // Plan permissions without split roles are refused.
    a.split_roles = false;
    a.plan_permissions = Some(Permissions {
        none: true,
        ..Permissions::default()
    });
    let err = plan(&a, sb.iam.as_ref(), sb.tfc.as_ref())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("need --split-roles"), "{err}");
}

#[tokio::test]
async fn administrator_access_for_the_apply_role_only_needs_no_flag() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.split_roles = true;
    a.permissions.managed_policy_arns = vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()];
    let p = plan_ok(&sb, &a).await;
    assert_eq!(
        attaches(&p)[0].1,
        READ_ONLY,
        "the plan role stays read-only"
    );
}

#[tokio::test]
async fn more_managed_policies_than_iams_quota_are_pointed_out() {
    let sb = Sandbox::demo();
    let mut a = answers(&["network-prod"]);
    a.permissions.managed_policy_arns = [
        "ReadOnlyAccess",
        "PowerUserAccess",
        "IAMReadOnlyAccess",
        "IAMFullAccess",
        "AmazonS3ReadOnlyAccess",
        "AmazonS3FullAccess",
        "AmazonEC2FullAccess",
        "AmazonVPCFullAccess",
        "AmazonRoute53FullAccess",
        "AmazonDynamoDBFullAccess",
        "job-function/ViewOnlyAccess",
    ]
    .iter()
    .map(|n| format!("arn:aws:iam::aws:policy/{n}"))
    .collect();
    let p = plan_ok(&sb, &a).await;
    assert!(
        p.notes
            .iter()
            .any(|n| n.is_warning() && n.text.contains("11 managed policies")),
        "{:?}",
        p.notes
    );
}
