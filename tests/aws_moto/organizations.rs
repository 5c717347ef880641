//! `OrganizationsClient` (the adapter behind the `Organizations` port) against moto's AWS
//! Organizations, which knows the `RESOURCE_CONTROL_POLICY` type (moto 5.2 creates the
//! organization with an AWS-managed `RCPFullAWSAccess` beside `FullAWSAccess`). The organization
//! is shared by every test on the server, so this one makes its own OU and policy and asserts
//! only about them.

use aws_sdk_organizations::types::PolicyType;
use tfc_oidc::aws::{load_sdk_config, OrganizationsClient};
use tfc_oidc::core::ports::{OrgNodeKind, Organizations};

use crate::support::{moto_client, unique};

#[tokio::test]
async fn rcps_their_content_targets_and_parents() {
    let _iam = moto_client!();
    let sdk = load_sdk_config(None, None).await;
    let raw = aws_sdk_organizations::Client::new(&sdk);
    // Another test may have made the organization first.
    let _ = raw.create_organization().send().await;
    let roots = raw.list_roots().send().await.unwrap();
    let root = roots.roots()[0].id().unwrap().to_string();
    let ou_name = unique("ou");
    let ou = raw
        .create_organizational_unit()
        .parent_id(&root)
        .name(&ou_name)
        .send()
        .await
        .unwrap();
    let ou_id = ou.organizational_unit().unwrap().id().unwrap().to_string();
    let content = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity","Resource":"*"}]}"#;
    let name = unique("rcp");
    let created = raw
        .create_policy()
        .name(&name)
        .description("moto test")
        .r#type(PolicyType::ResourceControlPolicy)
        .content(content)
        .send()
        .await
        .unwrap();
    let id = created
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    raw.attach_policy()
        .policy_id(&id)
        .target_id(&ou_id)
        .send()
        .await
        .unwrap();

    let orgs = OrganizationsClient::new(&sdk);
    let listed = orgs.resource_control_policies().await.unwrap();
    assert!(
        listed.iter().any(|p| p.id == id && p.name == name),
        "{listed:?}"
    );
    assert_eq!(orgs.policy_content(&id).await.unwrap(), content);
    let targets = orgs.policy_targets(&id).await.unwrap();
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert_eq!(
        (targets[0].id.as_str(), targets[0].kind),
        (ou_id.as_str(), OrgNodeKind::OrganizationalUnit)
    );
    let parents = orgs.parents(&ou_id).await.unwrap();
    assert_eq!(parents.len(), 1);
    assert_eq!(
        (parents[0].id.as_str(), parents[0].kind),
        (root.as_str(), OrgNodeKind::Root)
    );
    let e = orgs.policy_content("p-doesnotexist").await.unwrap_err();
    assert!(!e.to_string().contains('\n'), "one line: {e}");
}
