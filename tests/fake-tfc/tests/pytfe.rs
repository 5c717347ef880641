//! Honesty check: HashiCorp's Python SDK (pytfe 1.5.0) must work against the
//! fake. Runs `tests/pytfe/check_fake.py` with `$TFC_OIDC_PYTHON`; skipped
//! when that variable is unset, except under `CI=true`, where that fails.

use std::process::Command;

use fake_tfc::{FakeTfc, Seed};

#[test]
fn pytfe_sdk_accepts_the_fake() {
    let Some(python) = std::env::var_os("TFC_OIDC_PYTHON") else {
        fake_tfc::ci::tool_missing(
            "TFC_OIDC_PYTHON is not set",
            "run scripts/test, which installs pytfe into .venv",
        );
        return;
    };
    let fake = FakeTfc::start(Seed::with_many_workspaces(45));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../pytfe/check_fake.py");
    let out = Command::new(python)
        .arg(script)
        .env("TFE_ADDRESS", fake.base_url())
        .env("TFE_TOKEN", fake.token())
        .env_remove("TFE_ORGANIZATION")
        .output()
        .expect("run the pytfe check script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "pytfe check failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    assert!(fake.write_count() > 10, "the script wrote through the API");
    let reqs = fake.requests();
    let third_page = reqs.iter().any(|r| {
        r.path == "/api/v2/organizations/big/workspaces"
            && (r.query.contains("page%5Bnumber%5D=3") || r.query.contains("page[number]=3"))
    });
    assert!(third_page, "pytfe followed meta.pagination to page 3");
    let details = reqs
        .iter()
        .filter(|r| r.path == "/api/v2/account/details")
        .count();
    println!("{} requests, {details} to /account/details", reqs.len());
}
