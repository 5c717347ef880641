//! Read endpoints, auth, errors, paging and `include` against a live fake.

mod common;

use common::{get, send, TOKEN};
use fake_tfc::{FakeTfc, Seed};
use serde_json::json;

#[test]
fn account_details_and_common_headers() {
    let fake = FakeTfc::start(Seed::example());
    let r = get(fake.addr(), "/api/v2/account/details");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/vnd.api+json"));
    assert_eq!(r.header("x-ratelimit-limit"), Some("30"));
    let d = &r.json()["data"];
    assert_eq!(d["type"], "users");
    assert!(d["id"].as_str().unwrap().starts_with("user-"));
    assert_eq!(d["attributes"]["username"], "alice");
    assert_eq!(d["attributes"]["is-service-account"], false);
    assert_eq!(fake.token(), TOKEN);
    assert!(fake.base_url().starts_with("http://127.0.0.1:"));
}

#[test]
fn unauthorized_without_or_with_wrong_token() {
    let fake = FakeTfc::start(Seed::example());
    let want = json!({"errors":[{"status":"401","title":"unauthorized"}]});
    for token in [None, Some("nope"), Some("")] {
        let r = send(fake.addr(), "GET", "/api/v2/organizations", token, None);
        assert_eq!(r.status, 401, "{token:?}");
        assert_eq!(r.json(), want);
    }
    let r = send(fake.addr(), "GET", "/api/v2/ping", None, None);
    assert_eq!(r.status, 204);
    assert_eq!(r.header("tfp-api-version"), Some("2.6"));
    assert_eq!(r.header("tfp-appname"), Some("HCP Terraform"));
    assert_eq!(r.header("x-ratelimit-limit"), Some("30"));
}

#[test]
fn not_found_documents() {
    let fake = FakeTfc::start(Seed::example());
    let want = json!({"errors":[{"status":"404","title":"not found"}]});
    for path in [
        "/api/v2/organizations/nope",
        "/api/v2/organizations/nope/workspaces",
        "/api/v2/organizations/acme/workspaces/nope",
        "/api/v2/workspaces/ws-doesnotexist0000",
        "/api/v2/workspaces/%FF%FE/vars",
        "/api/v2/projects/prj-nope",
        "/api/v2/varsets/varset-nope",
        "/api/v2/no/such/route",
    ] {
        let r = get(fake.addr(), path);
        assert_eq!((r.status, r.json()), (404, want.clone()), "{path}");
    }
    // Unknown method on a known route is a 404 document as well.
    let r = send(
        fake.addr(),
        "PUT",
        "/api/v2/organizations",
        Some(TOKEN),
        Some("{}"),
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/vnd.api+json"));
}

#[test]
fn organizations_quirk_and_paging() {
    let fake = FakeTfc::start(Seed::with_many_workspaces(3));
    let all = get(fake.addr(), "/api/v2/organizations").json();
    let names: Vec<_> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    assert_eq!(names, vec![json!("acme"), json!("globex"), json!("big")]);
    assert!(
        all.get("meta").is_none(),
        "no pagination meta without page params"
    );
    let paged = get(
        fake.addr(),
        "/api/v2/organizations?page%5Bnumber%5D=2&page%5Bsize%5D=2",
    )
    .json();
    assert_eq!(paged["data"][0]["id"], "big");
    assert_eq!(paged["meta"]["pagination"]["total-count"], 3);
    assert_eq!(paged["meta"]["pagination"]["prev-page"], 1);
    let acme = get(fake.addr(), "/api/v2/organizations/acme").json();
    assert!(acme["data"]["attributes"]["external-id"]
        .as_str()
        .unwrap()
        .starts_with("org-"));
}

#[test]
fn workspace_paging_links_and_clamping() {
    let fake = FakeTfc::start(Seed::with_many_workspaces(45));
    let base = fake.base_url();
    let r = get(
        fake.addr(),
        "/api/v2/organizations/big/workspaces?page[size]=20",
    );
    let v = r.json();
    assert_eq!(v["data"].as_array().unwrap().len(), 20);
    assert_eq!(v["data"][0]["attributes"]["name"], "ws-0001");
    let p = &v["meta"]["pagination"];
    assert_eq!(p["current-page"], 1);
    assert_eq!(p["page-size"], 20);
    assert_eq!(p["prev-page"], json!(null));
    assert_eq!(p["next-page"], 2);
    assert_eq!(p["total-pages"], 3);
    assert_eq!(p["total-count"], 45);
    let next = v["links"]["next"].as_str().unwrap();
    assert_eq!(
        next,
        format!("{base}/api/v2/organizations/big/workspaces?page%5Bnumber%5D=2&page%5Bsize%5D=20")
    );
    assert_eq!(v["links"]["prev"], json!(null));
    // Follow the absolute `last` link (percent-encoded brackets).
    let last = v["links"]["last"]
        .as_str()
        .unwrap()
        .strip_prefix(&base)
        .unwrap()
        .to_string();
    let v3 = get(fake.addr(), &last).json();
    assert_eq!(v3["data"].as_array().unwrap().len(), 5);
    assert_eq!(v3["data"][4]["attributes"]["name"], "ws-0045");
    assert_eq!(v3["meta"]["pagination"]["next-page"], json!(null));
    // Default page size 20; over-max sizes clamp to 100.
    let d = get(fake.addr(), "/api/v2/organizations/big/workspaces").json();
    assert_eq!(d["meta"]["pagination"]["page-size"], 20);
    let c = get(
        fake.addr(),
        "/api/v2/organizations/big/workspaces?page%5Bsize%5D=500",
    )
    .json();
    assert_eq!(c["meta"]["pagination"]["page-size"], 100);
    assert_eq!(c["data"].as_array().unwrap().len(), 45);
}

#[test]
fn workspace_filters_and_include_project() {
    let fake = FakeTfc::start(Seed::example());
    let prj = fake.project_id("acme", "platform").unwrap();
    let v = get(
        fake.addr(),
        &format!("/api/v2/organizations/acme/workspaces?filter%5Bproject%5D%5Bid%5D={prj}"),
    )
    .json();
    let names: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["attributes"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["dns", "edge", "network"]);
    let v = get(
        fake.addr(),
        "/api/v2/organizations/acme/workspaces?search%5Bname%5D=WARE",
    )
    .json();
    assert_eq!(v["data"][0]["attributes"]["name"], "warehouse");

    let by_name = get(
        fake.addr(),
        "/api/v2/organizations/acme/workspaces/network?include=project",
    )
    .json();
    let ws = &by_name["data"];
    assert!(ws["id"].as_str().unwrap().starts_with("ws-"));
    assert_eq!(
        ws["relationships"]["project"]["data"],
        json!({"id": prj, "type": "projects"})
    );
    assert_eq!(
        ws["relationships"]["organization"]["data"],
        json!({"id": "acme", "type": "organizations"})
    );
    assert_eq!(ws["attributes"]["permissions"]["can-read-variable"], true);
    assert_eq!(ws["attributes"]["permissions"]["can-update-variable"], true);
    assert_eq!(
        ws["links"]["self"],
        "/api/v2/organizations/acme/workspaces/network"
    );
    assert_eq!(by_name["included"][0]["id"], prj.as_str());
    assert_eq!(by_name["included"][0]["attributes"]["name"], "platform");

    let id = ws["id"].as_str().unwrap();
    let by_id = get(
        fake.addr(),
        &format!("/api/v2/workspaces/{id}?include=project"),
    )
    .json();
    assert_eq!(by_id["data"]["attributes"]["name"], "network");
    assert_eq!(by_id["included"][0]["type"], "projects");
    let plain = get(fake.addr(), &format!("/api/v2/workspaces/{id}")).json();
    assert!(plain.get("included").is_none());
}

#[test]
fn projects_list_filters() {
    let fake = FakeTfc::start(Seed::example());
    let v = get(fake.addr(), "/api/v2/organizations/acme/projects").json();
    assert_eq!(v["meta"]["pagination"]["total-count"], 3);
    let id = v["data"][0]["id"].as_str().unwrap();
    assert!(id.starts_with("prj-") && id.len() == 20, "{id}");
    let v = get(
        fake.addr(),
        "/api/v2/organizations/acme/projects?filter%5Bnames%5D=PLATFORM,data",
    )
    .json();
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    let v = get(fake.addr(), "/api/v2/organizations/acme/projects?q=default").json();
    assert_eq!(v["data"][0]["attributes"]["name"], "Default Project");
    assert_eq!(
        v["meta"]["status-counts"],
        json!({"total": 3, "matching": 1})
    );
    let p = get(
        fake.addr(),
        &format!(
            "/api/v2/projects/{}",
            fake.project_id("acme", "data").unwrap()
        ),
    )
    .json();
    assert_eq!(p["data"]["attributes"]["workspace-count"], 1);
}

#[test]
fn workspace_vars_hide_sensitive_values() {
    let fake = FakeTfc::start(Seed::example());
    let id = fake.workspace_id("acme", "network").unwrap();
    let v = get(fake.addr(), &format!("/api/v2/workspaces/{id}/vars")).json();
    assert!(v.get("meta").is_none());
    let vars = v["data"].as_array().unwrap();
    assert_eq!(vars.len(), 3);
    let secret = vars
        .iter()
        .find(|x| x["attributes"]["key"] == "AWS_SECRET_ACCESS_KEY")
        .unwrap();
    assert_eq!(secret["attributes"]["value"], json!(null));
    assert_eq!(secret["attributes"]["sensitive"], true);
    assert_eq!(
        secret["relationships"]["configurable"]["data"],
        json!({"id": id, "type": "workspaces"})
    );
    // State inspection shows everything.
    let state = fake.workspace_variables("acme", "network");
    assert!(state
        .iter()
        .any(|x| x["key"] == "AWS_SECRET_ACCESS_KEY" && x["value"].as_str().unwrap().len() > 10));
    // all-vars merges varsets: dns gets the legacy set's keys.
    let dns = fake.workspace_id("acme", "dns").unwrap();
    let all = get(fake.addr(), &format!("/api/v2/workspaces/{dns}/all-vars")).json();
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn starts_and_stops_inside_a_runtime() {
    let fake = FakeTfc::start(Seed::example());
    let addr = fake.addr();
    let r = tokio::task::spawn_blocking(move || get(addr, "/api/v2/ping"))
        .await
        .unwrap();
    assert_eq!(r.status, 204);
    drop(fake);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "listener closed after drop"
    );
}

#[test]
fn set_variables_page_when_asked_and_the_scale_seed_reaches_as_described() {
    let mut seed = Seed::with_scale(40, 8);
    seed.page_size_limit = 2;
    let fake = FakeTfc::start(seed);
    let sets = fake.variable_sets("scale");
    assert_eq!(sets.len(), 8);
    let set01 = sets.iter().find(|s| s["name"] == "set-01").unwrap();
    // Attached to ws-0002, ws-0010, … and to no project (odd); holds four variables.
    assert_eq!(set01["workspace-names"][0], "ws-0002");
    assert_eq!(set01["workspace-names"].as_array().unwrap().len(), 5);
    assert_eq!(set01["project-names"], json!([]));
    let set06 = sets.iter().find(|s| s["name"] == "set-06").unwrap();
    assert_eq!(set06["global"], true);
    let rel = format!(
        "/api/v2/varsets/{}/relationships/vars",
        set01["id"].as_str().unwrap()
    );
    let all = get(fake.addr(), &rel).json();
    assert_eq!(all["data"].as_array().unwrap().len(), 4);
    assert_eq!(all["links"]["next"], json!(null));
    assert!(all.get("meta").is_none());
    let page = get(
        fake.addr(),
        &format!("{rel}?page%5Bnumber%5D=2&page%5Bsize%5D=100"),
    )
    .json();
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    assert_eq!(page["meta"]["pagination"]["total-pages"], 2);
    assert_eq!(page["meta"]["pagination"]["next-page"], json!(null));
}
