//! The commands findings suggest reach the host the review read: on Terraform Enterprise they
//! carry `--hostname`, and every name is one shell word.

use super::super::{shell_word, tfc_oidc};

#[test]
fn the_default_host_needs_no_flag() {
    assert_eq!(tfc_oidc("app.terraform.io"), "tfc-oidc");
    assert_eq!(tfc_oidc(""), "tfc-oidc");
}

#[test]
fn another_host_is_named() {
    assert_eq!(
        tfc_oidc("tfe.example.com"),
        "tfc-oidc --hostname tfe.example.com"
    );
    assert_eq!(
        tfc_oidc("app.eu.terraform.io"),
        "tfc-oidc --hostname app.eu.terraform.io"
    );
}

#[test]
fn names_are_single_shell_words() {
    assert_eq!(shell_word("Default Project"), "'Default Project'");
    assert_eq!(shell_word("it's"), r"'it'\''s'");
    assert_eq!(shell_word("network-prod"), "network-prod");
}

/// TFCOIDC007's setup command for workspace `db`, whose runs name `role` (which does not trust
/// it), made by tfc-oidc for acme/apps or not.
async fn refused_fix_for(ours: bool) -> Vec<String> {
    use crate::core::ports::{Iam, NewRole, Tag};
    let fx = super::clean().await;
    let tags = [
        ("managed-by", "tfc-oidc"),
        ("tfc-oidc:organization", "acme"),
        ("tfc-oidc:project", "apps"),
    ];
    let role = NewRole {
        name: "acme-apps-run".into(),
        trust_policy: super::exact(&[super::sub("web", "*")]),
        description: String::new(),
        tags: if ours {
            tags.iter()
                .map(|(k, v)| Tag {
                    key: k.to_string(),
                    value: v.to_string(),
                })
                .collect()
        } else {
            vec![]
        },
        permissions_boundary: None,
    };
    fx.sb.iam.create_role(&role).await.unwrap();
    let db = fx.workspace("db");
    fx.var(&db, "TFC_AWS_PROVIDER_AUTH", "true");
    fx.var(
        &db,
        "TFC_AWS_RUN_ROLE_ARN",
        "arn:aws:iam::123456789012:role/acme-apps-run",
    );
    let f = fx.findings().await;
    let refused = f
        .iter()
        .find(|f| f.id == super::FindingId::RoleRefusesRun)
        .expect("TFCOIDC007");
    refused.commands.clone()
}

#[tokio::test]
async fn a_refused_runs_fix_adopts_only_a_role_tfc_oidc_did_not_make_for_the_project() {
    let foreign = refused_fix_for(false).await;
    assert_eq!(
        foreign[0],
        "tfc-oidc setup --org acme --project apps --workspace db --role-name acme-apps-run --adopt-role --no-policy"
    );
    assert_eq!(
        foreign[1],
        "tfc-oidc explain --org acme --project apps --workspace db --phase plan"
    );
    let ours = refused_fix_for(true).await;
    assert_eq!(
        ours[0],
        "tfc-oidc setup --org acme --project apps --workspace db --role-name acme-apps-run --no-policy"
    );
}
