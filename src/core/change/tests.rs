//! The JSON form of every kind is the journal's: these lines were written by the version before
//! the kinds became structs, and must read back to the same text.

use super::*;
use crate::core::ports::AccessKeyStatus;

const LINES: &[&str] = &[
    r#"{"type":"create_oidc_provider","url":"https://app.terraform.io","arn":"arn:aws:iam::123456789012:oidc-provider/app.terraform.io","client_ids":["aws.workload.identity"],"thumbprints":[],"tags":[{"key":"managed-by","value":"tfc-oidc"}]}"#,
    r#"{"type":"add_oidc_audience","provider_arn":"arn:aws:iam::1:oidc-provider/h","audience":"aws.workload.identity"}"#,
    r#"{"type":"create_role","name":"r","arn":"arn:aws:iam::1:role/r","phase":"run","description":"d","trust_policy":{"Version":"2012-10-17","Statement":[]},"tags":[]}"#,
    r#"{"type":"update_trust_policy","role_name":"r","old":{},"new":{},"added_subjects":["organization:o:project:p:workspace:w:run_phase:*"],"provider_arn":"arn:aws:iam::1:oidc-provider/h","host":"h","audience":"aws.workload.identity"}"#,
    r#"{"type":"attach_role_policy","role_name":"r","policy_arn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"#,
    r#"{"type":"put_role_policy","role_name":"r","policy_name":"p","document":{"a":1},"old":null}"#,
    r#"{"type":"create_variable_set","organization":"o","name":"s","description":"d"}"#,
    r#"{"type":"create_variable","target":{"kind":"workspace","id":"ws-1","name":"w"},"key":"TFC_AWS_PROVIDER_AUTH","value":"true","description":"d"}"#,
    r#"{"type":"update_variable","target":{"kind":"variable_set","id":"varset-1","name":"s"},"variable_id":"var-1","key":"K","old_value":null,"new_value":"v","description":"d"}"#,
    r#"{"type":"attach_variable_set","set":{"id":null,"name":"s"},"scope":{"kind":"project","id":"prj-1","name":"p"}}"#,
    r#"{"type":"delete_variable","target":{"kind":"workspace","id":"ws-1","name":"w"},"variable_id":"var-1","key":"AWS_ACCESS_KEY_ID","sensitive":false,"access_key_id":"AKIAEXAMPLE0000001"}"#,
    r#"{"type":"detach_variable_set","set":{"id":"varset-1","name":"s"},"scope":{"kind":"workspaces","workspaces":[{"id":"ws-1","name":"w"}]}}"#,
    r#"{"type":"delete_variable_set","set":{"id":"varset-1","name":"s"},"keys":["K"]}"#,
    r#"{"type":"set_access_key_status","user":"u","access_key_id":"AKIAEXAMPLE0000001","status":"Inactive"}"#,
    r#"{"type":"remove_oidc_audience","provider_arn":"arn:aws:iam::1:oidc-provider/h","audience":"a"}"#,
    r#"{"type":"detach_role_policy","role_name":"r","policy_arn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"#,
    r#"{"type":"delete_role_policy","role_name":"r","policy_name":"p"}"#,
    r#"{"type":"delete_role","name":"r","role_id":"AROA1","policies":["arn:x"],"provider_arn":"arn:p"}"#,
    r#"{"type":"retract_trust_subjects","role_name":"r","provider_arn":"arn:p","host":"h","subjects":["s"]}"#,
    r#"{"type":"delete_oidc_provider","arn":"arn:aws:iam::1:oidc-provider/h"}"#,
];

#[test]
fn every_kind_reads_and_writes_the_journal_form() {
    for line in LINES {
        let change: Change = serde_json::from_str(line).expect(line);
        assert_eq!(&serde_json::to_string(&change).unwrap(), line);
    }
    // One line per kind: a kind added to the list needs its line here.
    let kinds: std::collections::BTreeSet<String> = LINES
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["type"].to_string())
        .collect();
    assert_eq!(kinds.len(), LINES.len());
}

#[test]
fn fields_added_later_default_when_an_old_journal_lacks_them() {
    let old =
        r#"{"type":"update_trust_policy","role_name":"r","old":{},"new":{},"added_subjects":[]}"#;
    let Change::UpdateTrustPolicy(u) = serde_json::from_str(old).unwrap() else {
        panic!("wrong kind")
    };
    assert!(u.provider_arn.is_empty() && u.host.is_empty());
}

#[test]
fn inverses_pair_up() {
    let key = SetAccessKeyStatus {
        user: "u".into(),
        access_key_id: "AKIAEXAMPLE0000001".into(),
        status: AccessKeyStatus::Inactive,
    };
    let Ok(Some(Change::SetAccessKeyStatus(back))) = key.inverse(&Outcome::default(), &[]) else {
        panic!("no inverse")
    };
    assert_eq!(back.status, AccessKeyStatus::Active);
    let set = CreateVariableSet {
        organization: "o".into(),
        name: "s".into(),
        description: String::new(),
    };
    let made = Outcome::created("varset-1");
    let held = [Held::Variable("K".into()), Held::Attachment];
    let Ok(Some(Change::DeleteVariableSet(del))) = set.inverse(&made, &held) else {
        panic!("no inverse")
    };
    assert_eq!(del.set.id.as_deref(), Some("varset-1"));
    assert_eq!(del.keys, ["K"]);
    assert_eq!(
        set.creates(&made),
        Some(Holder::VariableSet {
            id: "varset-1".into(),
            name: "s".into()
        })
    );
}

#[test]
fn key_ids_are_masked() {
    assert_eq!(mask_key_id("AKIAEXAMPLE0000001"), "AKIA…0001");
    assert_eq!(mask_key_id("short"), "****");
    assert_eq!(mask_key_id("ééééééééééé"), "éééé…éééé");
}

#[test]
fn removals_are_deletions_and_keys_turned_off() {
    let removes: Vec<(String, bool)> = LINES
        .iter()
        .map(|l| {
            let change: Change = serde_json::from_str(l).unwrap();
            let kind = serde_json::from_str::<serde_json::Value>(l).unwrap()["type"].to_string();
            (kind.trim_matches('"').to_string(), change.removes())
        })
        .collect();
    let removing: Vec<&str> = removes
        .iter()
        .filter(|(_, r)| *r)
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        removing,
        [
            "delete_variable",
            "detach_variable_set",
            "delete_variable_set",
            "set_access_key_status",
            "remove_oidc_audience",
            "detach_role_policy",
            "delete_role_policy",
            "delete_role",
            "retract_trust_subjects",
            "delete_oidc_provider",
        ]
    );
    let reactivate = SetAccessKeyStatus {
        user: "u".into(),
        access_key_id: "AKIAEXAMPLE0000001".into(),
        status: AccessKeyStatus::Active,
    };
    assert!(
        !Change::from(reactivate).removes(),
        "turning a key back on takes nothing away"
    );
}
