//! Calls and wall time of a one-workspace `setup` (plan + apply) with 100 ms of latency on every
//! call: the real HCP Terraform client over HTTP against the fake API, and the sandbox IAM.
//! Run with `cargo bench --bench setup`. Prints plain lines; asserts nothing.

use fake_tfc::{FakeTfc, Seed};
use std::time::{Duration, Instant};
use tfc_oidc::core::answers::{Answers, WorkspaceSelection};
use tfc_oidc::core::apply::apply;
use tfc_oidc::core::journal::{Journal, RecordKind};
use tfc_oidc::core::planner::plan;
use tfc_oidc::sandbox::Sandbox;
use tfc_oidc::tfc::{ApiToken, Endpoint, TfcClient};

const LATENCY: Duration = Duration::from_millis(100);
const RUNS: usize = 5;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn one_run() -> (Duration, Duration, usize, usize, usize) {
    let fake = FakeTfc::start(Seed::example());
    fake.set_latency(LATENCY);
    let endpoint = Endpoint::resolve(Some("app.terraform.io"), Some(&fake.base_url()), &|_| None)
        .expect("endpoint");
    let token = ApiToken::new(fake.token()).expect("token");
    let tfc = TfcClient::new(endpoint, token, TfcClient::http_client().expect("http"));
    let sandbox = Sandbox::empty("app.terraform.io");
    sandbox.iam.set_latency(LATENCY);
    let mut answers = Answers::new(
        "app.terraform.io",
        "acme",
        "platform",
        WorkspaceSelection::Named(vec!["network".into()]),
    );
    answers
        .permissions
        .managed_policy_arns
        .push("arn:aws:iam::aws:policy/ReadOnlyAccess".into());

    let start = Instant::now();
    let p = plan(&answers, sandbox.iam.as_ref(), &tfc)
        .await
        .expect("plan");
    let planned = start.elapsed();
    let journal = Journal::in_memory();
    let mut writer = journal.begin(&p, RecordKind::Apply).expect("journal");
    let changes = p.changes.len();
    apply(p, sandbox.iam.as_ref(), &tfc, &mut writer, &|_| {})
        .await
        .expect("apply");
    let total = start.elapsed();
    (
        planned,
        total,
        fake.requests().len(),
        sandbox.iam.calls().len(),
        changes,
    )
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut totals = Vec::new();
    for i in 0..RUNS {
        let (planned, total, tfc_calls, aws_calls, changes) = rt.block_on(one_run());
        println!(
            "run {}: plan {:>4} ms, plan+apply {:>4} ms ({:.1} round trips), HCP Terraform calls {tfc_calls}, AWS calls {aws_calls}, changes {changes}",
            i + 1,
            planned.as_millis(),
            total.as_millis(),
            total.as_secs_f64() / LATENCY.as_secs_f64(),
        );
        totals.push(total);
    }
    totals.sort();
    println!(
        "median plan+apply: {} ms with {} ms per call",
        totals[RUNS / 2].as_millis(),
        LATENCY.as_millis()
    );
    if let Some(kib) = peak_rss_kib() {
        println!("peak RSS: {:.1} MiB", kib as f64 / 1024.0);
    }
}
