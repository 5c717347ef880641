//! The Review screen when the plan creates an OIDC provider that broad roles already trust:
//! the roles are listed above the plan, and Enter applies only once Space acknowledged them.

use super::*;
use tfc_oidc::core::ports::{Iam, NewRole};
use tfc_oidc::tui::connector::SandboxConnector;

const PROVIDER: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";

/// The demo without its review roles, plus one role trusting the absent provider with no `sub`
/// condition and AdministratorAccess.
async fn with_a_dormant_admin_role() -> Harness {
    let sandbox = Sandbox::demo_without_review_roles();
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{PROVIDER}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"app.terraform.io:aud":"aws.workload.identity"}}}}}}]}}"#
    );
    let role = NewRole {
        name: "terraform-ci".into(),
        trust_policy: trust,
        description: String::new(),
        tags: vec![],
        permissions_boundary: None,
    };
    sandbox.iam.create_role(&role).await.unwrap();
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    sandbox
        .iam
        .attach_policy("terraform-ci", admin)
        .await
        .unwrap();
    let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
    Harness::with(sandbox, connector, true, 80, 24)
}

#[tokio::test]
async fn review_asks_before_re_arming_a_dormant_role() {
    let mut h = with_a_dormant_admin_role().await;
    to_review(&mut h).await;
    assert_snapshot!("07_review_dormant_role", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(
        h.session.app.step,
        Step::Review,
        "Enter alone does not apply"
    );
    assert!(h.session.app.flash.is_some());
    h.press(Char(' ')).await;
    assert_snapshot!("07_review_dormant_role_acknowledged", shot(&mut h));
    h.press(Enter).await;
    assert_eq!(h.session.app.step, Step::Done);
}
