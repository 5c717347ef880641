//! TFCOIDC017: conditions on `HOST:claim` keys IAM does not evaluate for a generic OIDC
//! provider (anything but `aud` and `sub`), as HashiCorp's module-test example writes them.

use super::*;

fn with(extra: Value) -> String {
    let mut cond = json!({"StringEquals":{"app.terraform.io:aud":AUD},
        "StringLike":{"app.terraform.io:sub":sub("web", "apply")}});
    for (op, keys) in extra.as_object().unwrap() {
        let entry = cond
            .as_object_mut()
            .unwrap()
            .entry(op.clone())
            .or_insert(json!({}));
        for (k, v) in keys.as_object().unwrap() {
            entry[k] = v.clone();
        }
    }
    trust(cond)
}

#[tokio::test]
async fn a_plain_operator_on_an_unevaluated_claim_never_holds() {
    let fx = clean().await;
    let org = json!({"StringEquals":{"app.terraform.io:terraform_organization_name":"acme"}});
    fx.role("org-name", with(org)).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC017"]);
    assert_eq!(f[0].severity, Severity::Medium);
    assert_eq!(f[0].statement, Some(0));
    let d = &f[0].detail;
    assert!(
        d.contains("StringEquals app.terraform.io:terraform_organization_name"),
        "{d}"
    );
    assert!(d.contains("never holds"), "{d}");
    assert!(f[0].fix.contains("app.terraform.io:sub"), "{}", f[0].fix);
}

#[tokio::test]
async fn if_exists_for_all_values_and_null_true_pass_vacuously() {
    for extra in [
        json!({"StringEqualsIfExists":{"app.terraform.io:terraform_workspace_name":"web"}}),
        json!({"ForAllValues:StringEquals":{"app.terraform.io:terraform_project_name":"apps"}}),
        json!({"StringNotEquals":{"app.terraform.io:terraform_organization_name":"evil"}}),
        json!({"Null":{"app.terraform.io:terraform_run_phase":"true"}}),
    ] {
        let fx = clean().await;
        fx.role("vacuous", with(extra.clone())).await;
        let f = fx.findings().await;
        assert_eq!(ids(&f), ["TFCOIDC017"], "{extra}");
        assert!(f[0].detail.contains("restricts nothing"), "{}", f[0].detail);
    }
}

#[tokio::test]
async fn aud_sub_and_keys_of_other_issuers_or_services_are_not_this_finding() {
    let fx = clean().await;
    // Case differs from the host: IAM compares keys case-insensitively, and so does this check.
    let extra = json!({"StringEquals":{"App.Terraform.io:AUD":AUD, "aws:SourceIp":"10.0.0.1",
        "token.actions.githubusercontent.com:repository":"acme/web"}});
    fx.role("fine", with(extra)).await;
    let f = fx.findings().await;
    assert!(!ids(&f).contains(&"TFCOIDC017"), "{f:?}");
}

#[tokio::test]
async fn each_unevaluated_condition_is_one_finding() {
    let fx = clean().await;
    let extra = json!({"StringEquals":{"app.terraform.io:terraform_organization_name":"acme",
        "app.terraform.io:terraform_workspace_name":"web"}});
    fx.role("two", with(extra)).await;
    let f = fx.findings().await;
    assert_eq!(ids(&f), ["TFCOIDC017", "TFCOIDC017"]);
}
