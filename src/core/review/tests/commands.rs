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
