//! An apply that stops part way (exit 3), the same command finishing it without duplicates, and
//! `undo` reverting it.

use fake_tfc::Fault;
use tfc_oidc::core::ports::Iam;

use crate::support::{assert_success, iam, text, Env, READ_ONLY};

#[tokio::test]
async fn failure_part_way_resumes_and_undo_reverts() {
    let Some(env) = Env::new("e2e-resume") else {
        return;
    };
    let role = "e2e-resume-role";
    let args = [
        "--workspace",
        "network",
        "--workspace",
        "edge",
        "--policy-arn",
        READ_ONLY,
        "--yes",
    ];
    env.fake.inject(Fault::FailWrite {
        path_contains: "/vars".into(),
        status: 500,
        count: 1,
    });
    let out = env.setup(role, &args);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("apply stopped part way") && err.contains("journal"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");

    let out = env.setup(role, &args);
    assert_success(&out);
    for ws in ["network", "edge"] {
        let keys: Vec<String> = env
            .env_vars(ws)
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with("TFC_"))
            .collect();
        assert_eq!(keys.len(), 2, "no duplicates on {ws}: {keys:?}");
    }

    let dry = env.run(&["undo", "--dry-run"]);
    assert!(
        text(&dry.stdout).contains("- delete role e2e-resume-role"),
        "{}",
        text(&dry.stdout)
    );
    let out = env.run(&["undo", "--yes"]);
    assert_success(&out);
    assert!(iam().await.get_role(role).await.unwrap().is_none());
    assert!(env
        .env_vars("network")
        .iter()
        .all(|(k, _)| !k.starts_with("TFC_")));
    let again = env.run(&["undo", "--yes"]);
    assert!(text(&again.stdout).contains("Nothing to undo"));
}
