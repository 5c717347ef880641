//! TFCOIDC010 from customer-managed policies: the inventory reads each attached policy's default
//! version once, review treats its document like an inline one and names its ARN, and a policy
//! that cannot be read is neither a panic nor a finding but is listed as unchecked.

use super::*;
use crate::core::inventory::{Inventory, ManagedPolicy};
use crate::core::ports::IamError;

const EVERYTHING: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const NARROW: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::state","arn:aws:s3:::state/*"]}]}"#;
const IAM_WRITES: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:Attach*","iam:PassRole"],"Resource":"*"}}"#;
const POWER_USER: &str = "arn:aws:iam::aws:policy/PowerUserAccess";

impl Fx {
    /// Creates customer-managed policy `name` and attaches it to `roles`; returns its ARN.
    async fn managed(&self, name: &str, document: &str, roles: &[&str]) -> String {
        let arn = self.sb.iam.add_managed_policy(name, document).unwrap();
        for role in roles {
            self.sb.iam.attach_policy(role, &arn).await.unwrap();
        }
        arn
    }

    async fn inventory(&self) -> Inventory {
        let scope = InventoryScope {
            host: HOST.into(),
            organization: "acme".into(),
            project: None,
        };
        read(
            &scope,
            self.sb.tfc.as_ref(),
            Some(self.sb.iam.as_ref()),
            &|_| {},
        )
        .await
        .unwrap()
    }
}

#[tokio::test]
async fn tfcoidc010_a_customer_managed_policy_allowing_everything_on_a_plan_role() {
    let fx = clean().await;
    let arn = fx
        .managed("everything", EVERYTHING, &["acme-apps-plan"])
        .await;
    assert_eq!(arn, "arn:aws:iam::123456789012:policy/everything");
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC010"]);
    assert_eq!(f[0].resource, PLAN_ROLE);
    assert_eq!(
        f[0].detail,
        format!("customer-managed policy {arn} allows Action * on Resource *, and the role is trusted for more than one workspace and plan runs")
    );

    // The same policy on one workspace's apply role alone is no finding.
    let fx = clean().await;
    fx.role("web-apply", exact(&[sub("web", "apply")])).await;
    fx.managed("everything", EVERYTHING, &["web-apply"]).await;
    assert_eq!(fx.findings().await, vec![]);
}

#[tokio::test]
async fn a_narrow_customer_managed_policy_is_no_finding() {
    let fx = clean().await;
    fx.managed(
        "state-bucket",
        NARROW,
        &["acme-apps-plan", "acme-apps-apply"],
    )
    .await;
    assert_eq!(fx.findings().await, vec![]);
    // PowerUserAccess with a narrow policy beside it is not administrator access either...
    let plan = "acme-apps-plan";
    fx.sb.iam.attach_policy(plan, POWER_USER).await.unwrap();
    assert_eq!(fx.findings().await, vec![]);
    // ...but with a customer-managed policy allowing IAM writes it is.
    let arn = fx.managed("iam-writes", IAM_WRITES, &[plan]).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC010"]);
    assert!(
        f[0].detail.starts_with(&format!(
            "{POWER_USER} is attached and customer-managed policy {arn} grants IAM permissions"
        )),
        "{}",
        f[0].detail
    );
}

#[tokio::test]
async fn an_unreadable_customer_managed_policy_is_unchecked_not_a_finding() {
    let fx = clean().await;
    let arn = fx
        .managed("everything", EVERYTHING, &["acme-apps-plan"])
        .await;
    let denied = IamError::AccessDenied("not authorized to perform: iam:GetPolicy".into());
    fx.sb.iam.fail_on("get_managed_policy_document", 1, denied);
    let inv = fx.inventory().await;
    let aws = inv.aws.as_ref().unwrap();
    assert!(matches!(
        aws.managed_policies.get(&arn),
        Some(ManagedPolicy::Unreadable(why)) if why.contains("access denied")
    ));
    assert_eq!(review(&inv), vec![]);
    let unchecked = unchecked_policies(&inv);
    assert_eq!(unchecked.len(), 1);
    assert_eq!(
        (
            unchecked[0].role_arn.as_str(),
            unchecked[0].policy_arn.as_str()
        ),
        (PLAN_ROLE, arn.as_str())
    );
    assert!(unchecked[0].reason.contains("iam:GetPolicy"));

    // Read again it counts; a policy of the account never created (no document) is no finding
    // and nothing to report.
    let never = "arn:aws:iam::123456789012:policy/gone";
    fx.sb
        .iam
        .attach_policy("acme-apps-apply", never)
        .await
        .unwrap();
    let inv = fx.inventory().await;
    let aws = inv.aws.as_ref().unwrap();
    assert_eq!(
        aws.managed_policies.get(never),
        Some(&ManagedPolicy::Missing)
    );
    assert_eq!(ids(&review(&inv)), ["TFCOIDC010"]);
    assert_eq!(unchecked_policies(&inv), vec![]);
}

#[tokio::test]
async fn each_customer_managed_policy_is_read_once_and_aws_managed_ones_never() {
    let fx = clean().await;
    let shared = fx
        .managed(
            "state-bucket",
            NARROW,
            &["acme-apps-plan", "acme-apps-apply"],
        )
        .await;
    fx.sb.iam.clear_calls();
    let inv = fx.inventory().await;
    let reads: Vec<String> = fx
        .sb
        .iam
        .calls()
        .into_iter()
        .filter(|c| c.op == "get_managed_policy_document")
        .map(|c| c.target)
        .collect();
    assert_eq!(reads, std::slice::from_ref(&shared));
    let aws = inv.aws.as_ref().unwrap();
    assert_eq!(aws.managed_policies.len(), 1);
    assert!(matches!(
        aws.managed_policies.get(&shared),
        Some(ManagedPolicy::Document(_))
    ));
}
