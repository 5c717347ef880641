//! Workspace variable and variable set writes, validation errors and state
//! inspection.

mod common;

use common::{delete, get, patch, post, send, TOKEN};
use fake_tfc::{FakeTfc, Seed};
use serde_json::{json, Value};

fn var_body(key: &str, value: &str, category: &str, sensitive: bool) -> String {
    json!({"data": {"type": "vars", "attributes": {
        "key": key, "value": value, "category": category, "sensitive": sensitive, "hcl": false,
        "description": "test"}}})
    .to_string()
}

#[test]
fn workspace_var_crud_and_duplicates() {
    let fake = FakeTfc::start(Seed::example());
    let ws = fake.workspace_id("acme", "edge").unwrap();
    let path = format!("/api/v2/workspaces/{ws}/vars");
    let r = post(
        fake.addr(),
        &path,
        &var_body("TFC_AWS_PROVIDER_AUTH", "true", "env", false),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json()["data"].clone();
    let id = created["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("var-") && id.len() == 20);
    assert_eq!(created["attributes"]["value"], "true");
    assert_eq!(
        created["links"]["self"],
        format!("/api/v2/workspaces/{ws}/vars/{id}")
    );

    let dup = post(
        fake.addr(),
        &path,
        &var_body("TFC_AWS_PROVIDER_AUTH", "x", "env", false),
    );
    assert_eq!(dup.status, 422);
    assert_eq!(
        dup.json(),
        json!({"errors":[{"status":"422","title":"invalid attribute","detail":"Key has already been taken","source":{"pointer":"/data/attributes/key"}}]})
    );
    // Same key in the other category is fine.
    assert_eq!(
        post(
            fake.addr(),
            &path,
            &var_body("TFC_AWS_PROVIDER_AUTH", "x", "terraform", false)
        )
        .status,
        201
    );
    assert_eq!(
        post(fake.addr(), &path, &var_body("", "x", "env", false)).status,
        422
    );
    assert_eq!(
        post(fake.addr(), &path, &var_body("K", "x", "policy", false)).status,
        422
    );
    assert_eq!(post(fake.addr(), &path, "{not json").status, 400);
    assert_eq!(post(fake.addr(), &path, "[]").status, 400);
    assert_eq!(
        post(fake.addr(), &path, r#"{"data":{"attributes":5}}"#).status,
        422
    );

    let secret = post(
        fake.addr(),
        &path,
        &var_body("SECRET", "s3cr3t", "env", true),
    )
    .json();
    assert_eq!(secret["data"]["attributes"]["value"], Value::Null);

    let upd =
        json!({"data": {"id": id, "type": "vars", "attributes": {"value": "false"}}}).to_string();
    let r = patch(fake.addr(), &format!("{path}/{id}"), &upd);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"]["attributes"]["value"], "false");
    assert_ne!(
        r.json()["data"]["attributes"]["version-id"],
        created["attributes"]["version-id"]
    );

    let state = fake.workspace_variables("acme", "edge");
    assert_eq!(state.len(), 3);
    assert!(state
        .iter()
        .any(|v| v["key"] == "SECRET" && v["value"] == "s3cr3t"));

    assert_eq!(
        delete(fake.addr(), &format!("{path}/{id}"), None).status,
        204
    );
    assert_eq!(
        delete(fake.addr(), &format!("{path}/{id}"), None).status,
        404
    );
    assert_eq!(
        get(fake.addr(), &path).json()["data"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(fake.write_count(), 12);
}

#[test]
fn varset_lifecycle() {
    let fake = FakeTfc::start(Seed::example());
    let a = fake.addr();
    let edge = fake.workspace_id("acme", "edge").unwrap();
    let data_prj = fake.project_id("acme", "data").unwrap();
    let body = json!({"data": {"type": "varsets",
        "attributes": {"name": "aws-oidc", "description": "dyn creds", "global": false, "priority": false},
        "relationships": {
            "workspaces": {"data": [{"id": edge, "type": "workspaces"}]},
            "vars": {"data": [{"type": "vars", "attributes": {"key": "TFC_AWS_PROVIDER_AUTH", "value": "true", "category": "env"}}]}
        }}})
    .to_string();
    let r = post(a, "/api/v2/organizations/acme/varsets", &body);
    assert_eq!(r.status, 200, "{}", r.body);
    let vs = r.json()["data"].clone();
    let id = vs["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("varset-"));
    assert_eq!(
        vs["relationships"]["workspaces"]["data"][0]["id"],
        edge.as_str()
    );
    assert_eq!(vs["attributes"]["var-count"], 1);

    let dup = post(a, "/api/v2/organizations/acme/varsets", &body);
    assert_eq!(dup.status, 422);
    assert_eq!(
        dup.json()["errors"][0]["detail"],
        "Name has already been taken"
    );

    // Variables inside the set.
    let rel = format!("/api/v2/varsets/{id}/relationships/vars");
    let r = post(
        a,
        &rel,
        &var_body(
            "TFC_AWS_RUN_ROLE_ARN",
            "arn:aws:iam::1:role/x",
            "env",
            false,
        ),
    );
    assert_eq!(r.status, 200);
    let var_id = r.json()["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.json()["data"]["relationships"]["varset"]["data"]["id"],
        id.as_str()
    );
    assert_eq!(
        post(
            a,
            &rel,
            &var_body("TFC_AWS_RUN_ROLE_ARN", "y", "env", false)
        )
        .status,
        422
    );
    assert_eq!(get(a, &rel).json()["data"].as_array().unwrap().len(), 2);
    let upd = json!({"data": {"type": "vars", "attributes": {"value": "arn:aws:iam::1:role/y"}}})
        .to_string();
    assert_eq!(patch(a, &format!("{rel}/{var_id}"), &upd).status, 200);

    // Attach / detach.
    let prj_body = json!({"data": [{"type": "projects", "id": data_prj}]}).to_string();
    assert_eq!(
        post(
            a,
            &format!("/api/v2/varsets/{id}/relationships/projects"),
            &prj_body
        )
        .status,
        204
    );
    let bad = json!({"data": [{"type": "workspaces", "id": "ws-nope"}]}).to_string();
    assert_eq!(
        post(
            a,
            &format!("/api/v2/varsets/{id}/relationships/workspaces"),
            &bad
        )
        .status,
        404
    );
    let warehouse = fake.workspace_id("acme", "warehouse").unwrap();
    let ws_sets = get(a, &format!("/api/v2/workspaces/{warehouse}/varsets")).json();
    assert_eq!(
        ws_sets["data"][0]["id"],
        id.as_str(),
        "applies through the project"
    );
    let edge_body = json!({"data": [{"type": "workspaces", "id": edge}]}).to_string();
    assert_eq!(
        delete(
            a,
            &format!("/api/v2/varsets/{id}/relationships/workspaces"),
            Some(&edge_body)
        )
        .status,
        204
    );

    let shown = get(a, &format!("/api/v2/varsets/{id}?include=vars")).json();
    assert_eq!(shown["included"].as_array().unwrap().len(), 2);
    assert_eq!(shown["data"]["attributes"]["workspace-count"], 0);

    let state = fake.variable_sets("acme");
    let mine = state.iter().find(|s| s["id"] == id.as_str()).unwrap();
    assert_eq!(mine["project-ids"], json!([data_prj]));
    assert_eq!(mine["project-names"], json!(["data"]));
    assert_eq!(mine["vars"].as_array().unwrap().len(), 2);

    assert_eq!(delete(a, &format!("{rel}/{var_id}"), None).status, 204);
    assert_eq!(
        delete(a, &format!("/api/v2/varsets/{id}"), None).status,
        204
    );
    assert_eq!(get(a, &format!("/api/v2/varsets/{id}")).status, 404);
    assert_eq!(fake.variable_sets("acme").len(), 1);
}

#[test]
fn global_sets_cannot_be_attached_and_conflict() {
    let fake = FakeTfc::start(Seed::example());
    let a = fake.addr();
    let mk = |name: &str| {
        json!({"data": {"type": "varsets", "attributes": {"name": name, "global": true},
            "relationships": {"vars": {"data": [{"type": "vars", "attributes": {"key": "K", "value": "v", "category": "env"}}]}}}})
        .to_string()
    };
    let r = post(a, "/api/v2/organizations/acme/varsets", &mk("g1"));
    assert_eq!(r.status, 200);
    let id = r.json()["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        post(a, "/api/v2/organizations/acme/varsets", &mk("g2")).status,
        422
    );
    let edge = fake.workspace_id("acme", "edge").unwrap();
    let body = json!({"data": [{"type": "workspaces", "id": edge}]}).to_string();
    assert_eq!(
        post(
            a,
            &format!("/api/v2/varsets/{id}/relationships/workspaces"),
            &body
        )
        .status,
        422
    );
    // Global sets apply to every workspace of the org, and to projects.
    let sets = get(a, &format!("/api/v2/workspaces/{edge}/varsets")).json();
    assert!(sets["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == id.as_str()));
    let prj = fake.project_id("acme", "platform").unwrap();
    let sets = get(a, &format!("/api/v2/projects/{prj}/varsets")).json();
    assert_eq!(sets["meta"]["pagination"]["total-count"], 1);
    // Other orgs are not affected.
    assert_eq!(
        get(a, "/api/v2/organizations/globex/varsets").json()["data"],
        json!([])
    );
}

#[test]
fn varset_update_replaces_relationships() {
    let fake = FakeTfc::start(Seed::example());
    let a = fake.addr();
    let legacy = fake.variable_sets("acme")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"data": {"type": "varsets", "id": legacy,
        "attributes": {"description": "old keys"},
        "relationships": {"workspaces": {"data": []}}}})
    .to_string();
    let r = send(
        a,
        "PATCH",
        &format!("/api/v2/varsets/{legacy}"),
        Some(TOKEN),
        Some(&body),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let d = r.json()["data"].clone();
    assert_eq!(d["attributes"]["description"], "old keys");
    assert_eq!(d["attributes"]["name"], "legacy-aws-keys");
    assert_eq!(d["relationships"]["workspaces"]["data"], json!([]));
    let taken = json!({"data": {"type": "varsets", "attributes": {"name": ""}}}).to_string();
    assert_eq!(
        patch(a, &format!("/api/v2/varsets/{legacy}"), &taken).status,
        422
    );
}
