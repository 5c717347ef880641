//! cfn-lint and checkov from the test virtualenv over the exports of several flag combinations.

use crate::{all_cases, setup_plan};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use tfc_oidc::export::{render, ExportFormat, Facts};
use tfc_oidc::sandbox::Sandbox;

// --- cfn-lint and checkov from the test virtualenv ---

/// `NAME` next to `$TFC_OIDC_PYTHON`, or `None` (skip, said so) when it is missing; under
/// `CI=true` a missing tool fails the test instead.
pub(crate) fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("TFC_OIDC_PYTHON")
        .map(PathBuf::from)
        .and_then(|python| python.parent().map(|dir| dir.join(name)))
        .filter(|path| path.exists());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} is missing next to $TFC_OIDC_PYTHON: scripts/test installs it"
        );
        eprintln!("skipped: {name} not found next to $TFC_OIDC_PYTHON (run scripts/test)");
    }
    found
}

/// Checkov checks allowed to fail, with why. None is needed for these exports.
const CHECKOV_EXCEPTIONS: &[(&str, &str)] = &[];

async fn write_exports(dir: &Path) -> Vec<PathBuf> {
    let mut templates = Vec::new();
    for case in all_cases() {
        let sandbox = Sandbox::demo_without_review_roles();
        let (_, facts) = setup_plan(&sandbox, &case.answers).await;
        let cfn = dir.join(format!("{}.yaml", case.name));
        let text = render(ExportFormat::CloudFormation, &case.answers, &facts).unwrap();
        std::fs::write(&cfn, text).unwrap();
        templates.push(cfn);
        // One directory per configuration: Terraform reads a directory as one module.
        let module = dir.join(case.name);
        std::fs::create_dir_all(&module).unwrap();
        let text = render(ExportFormat::Terraform, &case.answers, &facts).unwrap();
        std::fs::write(module.join("main.tf"), text).unwrap();
        // The same answers when nothing could be read.
        let offline = Facts::unread(&case.answers, "offline");
        let text = render(ExportFormat::CloudFormation, &case.answers, &offline).unwrap();
        let path = dir.join(format!("{}-offline.yaml", case.name));
        std::fs::write(&path, text).unwrap();
        templates.push(path);
    }
    templates
}

#[tokio::test]
async fn cfn_lint_and_checkov_accept_the_exports() {
    let (Some(cfn_lint), Some(checkov)) = (tool("cfn-lint"), tool("checkov")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let templates = write_exports(dir.path()).await;

    let out = Command::new(&cfn_lint)
        .args(&templates)
        .output()
        .expect("run cfn-lint");
    let report = String::from_utf8_lossy(&out.stdout);
    // cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational.
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code >= 0 && code & 2 == 0,
        "cfn-lint found errors:\n{report}"
    );
    assert_eq!(code, 0, "cfn-lint found warnings:\n{report}");

    let out = Command::new(&checkov)
        .args(["--directory"])
        .arg(dir.path())
        .args(["--framework", "terraform", "cloudformation"])
        .args([
            "--output",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
        ])
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .expect("run checkov");
    let text = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "checkov printed no JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let reports = match report {
        Value::Array(list) => list,
        one => vec![one],
    };
    let mut kinds = Vec::new();
    for r in &reports {
        kinds.push(r["check_type"].as_str().unwrap_or_default().to_string());
        assert_eq!(r["summary"]["parsing_errors"], json!(0), "{r}");
        let failed: Vec<String> = r["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                !CHECKOV_EXCEPTIONS
                    .iter()
                    .any(|(id, _)| c["check_id"] == json!(id))
            })
            .map(|c| {
                format!(
                    "{} {} in {}",
                    c["check_id"], c["check_name"], c["file_path"]
                )
            })
            .collect();
        assert!(
            failed.is_empty(),
            "checkov failed checks:\n{}",
            failed.join("\n")
        );
    }
    kinds.sort();
    assert_eq!(kinds, ["cloudformation", "terraform"]);
}
