//! `activity` says why each refusal happened, from events of the CloudTrail stand-in and the
//! roles in moto: another organization probing (its sub names none of the organizations the
//! account's roles trust), an audience mismatch and a missing provider (STS's messages), and
//! our own run refused by the trust's conditions.

use fake_tfc::FakeCloudTrail;
use serde_json::{json, Value};

use crate::activity::record;
use crate::support::{assert_success, json, text, Env};

fn refusal(hours: i64, host: &str, sub: &str, role: &str, code: &str, message: &str) -> Value {
    let mut v = record(
        hours,
        host,
        sub,
        role,
        "terraform-run-R3fus3d000000PL",
        true,
    );
    v["errorCode"] = json!(code);
    v["errorMessage"] = json!(message);
    v
}

#[tokio::test]
async fn each_refusal_says_why_in_json_and_text() {
    let Some(env) = Env::new("e2e-refusals") else {
        return;
    };
    let host = env.host().to_string();
    let role = "e2e-refusals-role";
    let condition = json!({
        "StringEquals": { format!("{host}:aud"): "aws.workload.identity" },
        "StringLike": { format!("{host}:sub"): "organization:acme:project:platform:workspace:dns:run_phase:*" }
    });
    crate::review::trusting_role(&env, role, condition).await;
    let ours = "organization:acme:project:platform:workspace:dns:run_phase:plan";
    let denied = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
    let no_provider = format!("No OpenIDConnect provider found in your account for https://{host}");
    let trail = FakeCloudTrail::start(
        vec![
            refusal(1, &host, ours, role, "AccessDenied", denied),
            refusal(
                2,
                &host,
                "organization:acme-evil:project:p:workspace:w:run_phase:apply",
                role,
                "AccessDenied",
                denied,
            ),
            refusal(
                3,
                &host,
                ours,
                role,
                "InvalidIdentityToken",
                "Incorrect token audience",
            ),
            refusal(4, &host, ours, role, "InvalidIdentityToken", &no_provider),
        ],
        10,
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["activity"];
        args.extend_from_slice(extra);
        env.cmd(&args)
            .env("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint_url())
            .output()
            .unwrap()
    };
    let out = run(&["--format", "json"]);
    assert_success(&out);
    let doc = json(&out);
    let kinds: Vec<&str> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["refusal"]["kind"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        kinds,
        [
            "trust_conditions",
            "other_organization",
            "audience_mismatch",
            "missing_provider"
        ],
        "{doc:#}"
    );
    assert_eq!(doc["events"][1]["refusal"]["organization"], "acme-evil");

    let out = run(&[]);
    assert_success(&out);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("    why: another organization (acme-evil) probing: its sub names none of our organizations"),
        "{shown}"
    );
    assert!(
        shown.contains("    why: no OIDC provider for the issuer in the account"),
        "{shown}"
    );
}
