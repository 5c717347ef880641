//! `review` in a pipeline: `--baseline FILE` (only new findings shown and failed on, stable
//! SARIF fingerprints, a bad baseline is exit 2) and `--format markdown`.

use serde_json::Value;
use std::path::Path;

use crate::review::{demo, ids_for, role_arn, trusting_role};
use crate::support::{json, text, Env};

fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().unwrap()
}

#[tokio::test]
async fn a_baseline_run_fails_only_on_the_new_critical_finding() {
    let Some(env) = Env::new("e2e-baseline") else {
        return;
    };
    let before = env.run(&["review", "--org", "acme", "--format", "json"]);
    let baseline = write(env.home.path(), "baseline.json", &text(&before.stdout));
    assert!(
        !findings(&json(&before)).is_empty(),
        "the seed has findings"
    );

    // Nothing new: every finding is suppressed, exit 0 even at --fail-on low.
    let again = env.run(&[
        "review",
        "--org",
        "acme",
        "--baseline",
        &baseline,
        "--fail-on",
        "low",
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    let shown = text(&again.stdout);
    assert!(shown.contains("No findings"), "{shown}");
    let count = findings(&json(&before)).len();
    assert!(
        shown.contains(&format!(
            "{count} findings suppressed by the baseline {baseline}"
        )),
        "{shown}"
    );

    // One new critical finding: a role trusting the issuer with no sub condition.
    let aud = format!("{}:aud", env.host());
    let open = "e2e-baseline-open";
    trusting_role(
        &env,
        open,
        serde_json::json!({"StringEquals":{aud:"aws.workload.identity"}}),
    )
    .await;
    let args = [
        "review",
        "--org",
        "acme",
        "--baseline",
        &baseline,
        "--format",
        "json",
    ];
    let after = env.run(&args);
    assert_eq!(after.status.code(), Some(1), "{}", text(&after.stderr));
    let doc = json(&after);
    assert_eq!(findings(&doc).len(), 1, "{doc}");
    assert_eq!(ids_for(&doc, &role_arn(open)), ["TFCOIDC001"]);
    assert_eq!(doc["summary"]["critical"], 1);
    assert_eq!(doc["summary"]["suppressed"], count);
    assert_eq!(doc["summary"]["baseline"], baseline.as_str());

    // The same in text: only that finding is listed.
    let listed = env.run(&["review", "--org", "acme", "--baseline", &baseline]);
    assert_eq!(listed.status.code(), Some(1));
    let shown = text(&listed.stdout);
    let listed_ids = shown.lines().filter(|l| l.starts_with("  TFCOIDC"));
    assert_eq!(listed_ids.count(), 1, "{shown}");
    assert!(shown.contains(&role_arn(open)), "{shown}");
}

fn sarif_fingerprints(out: &std::process::Output) -> Vec<(String, String)> {
    let doc = json(out);
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["tfcOidcFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn a_baseline_leaves_findings_out_of_sarif_and_keeps_the_others_fingerprints() {
    let home = tempfile::tempdir().unwrap();
    let org = ["review", "--org", "acme-corp"];
    let full = demo(home.path(), &[&org[..], &["--format", "json"]].concat());
    let mut doc = json(&full);
    // The baseline knows every finding but the second TFCOIDC012 (the role tfc-acme-shared).
    let all = findings(&doc).clone();
    let kept: Vec<Value> = all
        .iter()
        .filter(|f| {
            !(f["id"] == "TFCOIDC012"
                && f["resource"]
                    .as_str()
                    .unwrap()
                    .ends_with("/tfc-acme-shared"))
        })
        .cloned()
        .collect();
    assert_eq!(kept.len() + 1, all.len());
    doc["findings"] = Value::Array(kept);
    let baseline = write(home.path(), "baseline.json", &doc.to_string());

    let sarif = ["--format", "sarif"];
    let before = sarif_fingerprints(&demo(home.path(), &[&org[..], &sarif].concat()));
    let out = demo(
        home.path(),
        &[&org[..], &sarif, &["--baseline", &baseline]].concat(),
    );
    assert_eq!(out.status.code(), Some(0), "only a low finding is new");
    let after = sarif_fingerprints(&out);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].0, "TFCOIDC012");
    assert!(before.contains(&after[0]), "{after:?} not in {before:?}");
    assert_eq!(
        json(&out)["runs"][0]["properties"]["suppressedByBaseline"],
        all.len() - 1
    );
}

#[test]
fn a_malformed_or_missing_baseline_is_a_usage_error_naming_the_file() {
    let home = tempfile::tempdir().unwrap();
    let bad = write(
        home.path(),
        "bad.json",
        "{\n  \"findings\": [\n    {\"id\": }\n  ]\n}\n",
    );
    let out = demo(
        home.path(),
        &["review", "--org", "acme-corp", "--baseline", &bad],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("error: baseline {bad}:3:12: not valid JSON")),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing is reviewed");

    let missing = home.path().join("none.json").display().to_string();
    let out = demo(
        home.path(),
        &["review", "--org", "acme-corp", "--baseline", &missing],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&missing),
        "{}",
        text(&out.stderr)
    );

    let sarif_as_baseline = write(home.path(), "s.json", r#"{"version":"2.1.0","runs":[]}"#);
    let out = demo(
        home.path(),
        &[
            "review",
            "--org",
            "acme-corp",
            "--baseline",
            &sarif_as_baseline,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no \"findings\" list"),
        "{}",
        text(&out.stderr)
    );
}

/// The demo's dates follow today's (CloudTrail events of the last days, a role's age): written
/// as placeholders so the snapshot holds still.
fn without_dates(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('(') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let days = rest[1..].split_once(" days ago)");
        match days {
            Some((n, after)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str("(N days ago)");
                rest = after;
            }
            _ => {
                out.push('(');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    // 2026-12-05T19:00:00Z → <time>
    let mut normalised = String::new();
    let mut i = 0;
    while i < out.len() {
        let stamp = out.get(i..i + 20).filter(|w| {
            let b = w.as_bytes();
            b[4] == b'-'
                && b[7] == b'-'
                && b[10] == b'T'
                && b[19] == b'Z'
                && b[..4].iter().all(u8::is_ascii_digit)
        });
        match stamp {
            Some(_) => {
                normalised.push_str("<time>");
                i += 20;
            }
            None => {
                let c = out[i..].chars().next().unwrap();
                normalised.push(c);
                i += c.len_utf8();
            }
        }
    }
    normalised
}

#[test]
fn demo_review_as_markdown() {
    let home = tempfile::tempdir().unwrap();
    let out = demo(
        home.path(),
        &["review", "--org", "acme-corp", "--format", "markdown"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(!md.contains('\x1b'), "no terminal escapes");
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Severity"))
        .count();
    assert_eq!(rows, 17, "one table row per finding");
    insta::assert_snapshot!("demo_review_markdown", without_dates(&md));
}
