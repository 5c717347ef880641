//! The words of a plan: a role's description and label say who assumes it (workspace runs or a
//! Stack's operations), lists read as sentences, counts agree with their nouns.

use super::*;
use tfc_oidc::core::change::ChangeKind;

fn created_role(p: &Plan) -> &CreateRole {
    p.changes
        .iter()
        .find_map(|c| match &c.change {
            Change::CreateRole(r) => Some(r),
            _ => None,
        })
        .expect("a role is created")
}

#[tokio::test]
async fn a_workspace_role_is_described_by_its_runs() {
    let sb = Sandbox::demo();
    let p = plan_ok(&sb, &answers(&["network-prod"])).await;
    let role = created_role(&p);
    assert_eq!(
        role.description,
        "HCP Terraform plan and apply runs of acme-corp/platform (managed by tfc-oidc)"
    );
    assert!(
        role.summary().ends_with("(run phase)"),
        "{}",
        role.summary()
    );
    let mut split = answers(&["network-prod"]);
    split.split_roles = true;
    let p = plan_ok(&sb, &split).await;
    assert!(created_role(&p)
        .description
        .starts_with("HCP Terraform plan runs of"));
}

#[tokio::test]
async fn a_stack_role_is_labelled_by_its_operations_not_a_run_phase() {
    let sb = Sandbox::demo();
    let mut a = answers(&[]);
    a.workspaces = WorkspaceSelection::Stack {
        name: "network-stack".into(),
        deployments: vec![],
    };
    let p = plan_ok(&sb, &a).await;
    let role = created_role(&p);
    assert_eq!(
        role.description,
        "HCP Terraform Stack plan and apply operations of acme-corp/platform (managed by tfc-oidc)"
    );
    assert_eq!(
        role.summary(),
        format!("create role {} (Stack operations)", role.name)
    );
    assert!(!role.summary().contains("phase"));
}
