//! `review` says whether an AWS Organizations resource control policy guards the account: the
//! RCP `tfc-oidc guardrail` prints, created in moto's organization and attached to its root,
//! covers this test's host; another host stays uncovered. The organization is shared by every
//! test on the moto server, so each test judges only its own issuer host.

use aws_sdk_organizations::types::PolicyType;
use serde_json::Value;

use crate::review::demo;
use crate::support::{json, text, Env};

async fn organizations() -> aws_sdk_organizations::Client {
    let sdk = tfc_oidc::aws::load_sdk_config(None, None).await;
    aws_sdk_organizations::Client::new(&sdk)
}

/// The organization's root id, creating the organization when moto has none yet.
async fn root(orgs: &aws_sdk_organizations::Client) -> String {
    // Another test may have made it first: AlreadyInOrganizationException is fine.
    let _ = orgs.create_organization().send().await;
    let roots = orgs.list_roots().send().await.expect("list roots");
    roots.roots()[0].id().unwrap().to_string()
}

fn guardrail(doc: &Value) -> &Value {
    &doc["summary"]["guardrail"]
}

#[tokio::test]
async fn reviews_see_the_guardrail_attached_to_the_root_for_its_host_only() {
    let Some(env) = Env::new("e2e-rcp-covered") else {
        return;
    };
    let Some(other) = Env::new("e2e-rcp-other") else {
        return;
    };
    let orgs = organizations().await;
    let root = root(&orgs).await;
    let printed = env.run(&["guardrail", "--org", "acme"]);
    assert_eq!(printed.status.code(), Some(0), "{}", text(&printed.stderr));
    let created = orgs
        .create_policy()
        .name(format!("guardrail-{}", env.host()))
        .description("e2e")
        .r#type(PolicyType::ResourceControlPolicy)
        .content(text(&printed.stdout))
        .send()
        .await
        .expect("create the RCP");
    let id = created
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap();
    orgs.attach_policy()
        .policy_id(id)
        .target_id(&root)
        .send()
        .await
        .expect("attach the RCP");

    let out = env.run(&["review", "--org", "acme", "--format", "json"]);
    let doc = json(&out);
    let g = guardrail(&doc);
    assert_eq!(g["status"], "covered", "{doc}");
    assert_eq!(g["policy_id"], id);
    assert_eq!(g["target"], format!("the organization root {root}"));
    let shown = text(&env.run(&["review", "--org", "acme"]).stdout);
    assert!(
        shown.contains(&format!(
            "guardrail: resource control policy guardrail-{}",
            env.host()
        )),
        "{shown}"
    );

    // The same organization, another issuer: the RCP does not name it.
    let doc = json(&other.run(&["review", "--org", "acme", "--format", "json"]));
    assert_eq!(guardrail(&doc)["status"], "not_covered", "{doc}");
}

#[test]
fn the_demo_cannot_tell_and_says_so_in_every_format() {
    let home = tempfile::tempdir().unwrap();
    let out = demo(
        home.path(),
        &["review", "--org", "acme-corp", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains("; guardrail: could not tell whether a resource control policy covers this account (could not read AWS Organizations: AWSOrganizationsNotInUseException"),
        "{shown}"
    );
    let doc = json(&demo(
        home.path(),
        &["review", "--org", "acme-corp", "--format", "json"],
    ));
    assert_eq!(guardrail(&doc)["status"], "unknown", "{doc}");
    let args = ["review", "--org", "acme-corp", "--format", "markdown"];
    let md = text(&demo(home.path(), &args).stdout);
    assert!(md.contains("guardrail: could not tell"), "{md}");
}
