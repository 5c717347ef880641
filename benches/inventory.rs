//! Calls, wall time, 429s and peak memory of an inventory of 300 workspaces and 20 variable sets:
//! the real HCP Terraform client over HTTP against the fake API with its 30 requests/s limiter
//! on and 20 ms of latency on every request. Target: wall time ≤ 1.1 × calls ÷ 30 s, no 429,
//! peak memory ≤ 50 MiB (the fake runs in this process too, so its memory is counted).
//! Run with `cargo bench --bench inventory`. Prints plain lines; asserts nothing.

use fake_tfc::{FakeTfc, Seed};
use std::time::{Duration, Instant};
use tfc_oidc::core::inventory::{read, InventoryScope};
use tfc_oidc::tfc::{ApiToken, Endpoint, TfcClient};

const WORKSPACES: usize = 300;
const SETS: usize = 20;
const LATENCY: Duration = Duration::from_millis(20);
const LIMIT_PER_SECOND: f64 = 30.0;
const RUNS: usize = 2;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Run {
    wall: Duration,
    calls: usize,
    too_many: usize,
    workspaces: usize,
    sets: usize,
    progress_reports: usize,
}

async fn one_run() -> Run {
    let fake = FakeTfc::start(Seed::with_scale(WORKSPACES, SETS));
    fake.set_latency(LATENCY);
    let endpoint = Endpoint::resolve(Some("app.terraform.io"), Some(&fake.base_url()), &|_| None)
        .expect("endpoint");
    let token = ApiToken::new(fake.token()).expect("token");
    let tfc = TfcClient::new(endpoint, token, TfcClient::http_client().expect("http"));
    let scope = InventoryScope {
        host: "app.terraform.io".into(),
        organization: "scale".into(),
        project: None,
    };
    // Let the fake's one-second window forget the setup before timing.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    fake.clear_requests();
    let too_many_before = fake.too_many_requests_count();
    let reports = std::sync::atomic::AtomicUsize::new(0);
    let start = Instant::now();
    let inv = read(&scope, &tfc, None, &|_| {
        reports.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .await
    .expect("inventory");
    let wall = start.elapsed();
    Run {
        wall,
        calls: fake.requests().len(),
        too_many: fake.too_many_requests_count() - too_many_before,
        workspaces: inv.workspaces.len(),
        sets: inv.variable_sets.len(),
        progress_reports: reports.into_inner(),
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for i in 0..RUNS {
        let run = rt.block_on(one_run());
        let target = 1.1 * run.calls as f64 / LIMIT_PER_SECOND;
        println!(
            "run {}: {} workspaces, {} variable sets: {} calls in {:.2} s (target ≤ {:.2} s = 1.1 × calls ÷ 30; {:.1} calls/s), 429s answered: {}, progress reports: {}",
            i + 1,
            run.workspaces,
            run.sets,
            run.calls,
            run.wall.as_secs_f64(),
            target,
            run.calls as f64 / run.wall.as_secs_f64(),
            run.too_many,
            run.progress_reports,
        );
    }
    if let Some(kib) = peak_rss_kib() {
        println!(
            "peak RSS (VmHWM, fake included): {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
}
