//! Key ids in JSON are the whole ids of the user's keys (programs match them against IAM); text
//! for people shows them shortened. A real key made in moto, readable on workspace `edge`.

use serde_json::Value;

use crate::migrate::{moto_key, seed_with_key};
use crate::support::{json, text, Env};

fn shortened(id: &str) -> String {
    format!("{}…{}", &id[..4], &id[id.len() - 4..])
}

#[tokio::test]
async fn json_carries_the_real_key_ids_and_text_shortens_them() {
    let (user, key_id) = moto_key("keyids").await;
    let Some(env) = Env::with_seed("e2e-keyids", seed_with_key(&key_id)) else {
        return;
    };
    let migrate = [
        "migrate",
        "--org",
        "acme",
        "--workspace",
        "edge",
        "--no-policy",
        "--deactivate-keys",
        "--dry-run",
    ];
    let out = env.run(&[&migrate[..], &["--format", "json"]].concat());
    let doc = json(&out);
    let source = &doc["discovered"][0]["sources"][0];
    assert_eq!(source["key"]["id"], key_id.as_str(), "{doc:#}");
    assert_eq!(source["key"]["user"], user.as_str());
    let deletion = doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "delete_variable" && c["key"] == "AWS_ACCESS_KEY_ID")
        .expect("the key variable is deleted");
    assert_eq!(deletion["access_key_id"], key_id.as_str(), "{deletion:#}");
    assert_eq!(deletion["expected_value"], key_id.as_str());
    let deactivation = doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "set_access_key_status")
        .expect("the key is deactivated");
    assert_eq!(deactivation["access_key_id"], key_id.as_str());

    let out = env.run(&migrate);
    let report = text(&out.stdout);
    assert!(
        report.contains(&shortened(&key_id)) && !report.contains(&key_id),
        "{report}"
    );

    let out = env.run(&[
        "review",
        "--org",
        "acme",
        "--format",
        "json",
        "--no-activity",
    ]);
    let doc = json(&out);
    let on_edge: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "TFCOIDC004" && f["resource"] == "acme/edge")
        .collect();
    assert_eq!(on_edge.len(), 1, "{doc:#}");
    assert_eq!(on_edge[0]["access_key_id"], key_id.as_str());
    assert!(on_edge[0]["detail"]
        .as_str()
        .unwrap()
        .contains(&shortened(&key_id)));
}
