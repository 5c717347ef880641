//! `review` at scale: 1,000 workspaces in 10 projects and 50 variable sets, read through the real
//! HCP Terraform client against the fake API with its 30 requests/s limiter on and 20 ms of
//! latency on every request, beside the sandbox IAM (20 roles, 20 ms per call); then the
//! findings. Prints calls (and the minimum a reader needs), wall time against
//! 1.1 × calls ÷ 30 s, 429s answered, the findings' own time and peak memory (VmHWM; the fake
//! runs in this process, so its memory is counted too).
//! Run with `cargo bench --bench review`. Prints plain lines; asserts nothing.

use fake_tfc::{FakeTfc, Seed, SeedOrg, SeedProject, SeedVar, SeedVarset, SeedWorkspace};
use std::time::{Duration, Instant};
use tfc_oidc::core::inventory::{read, InventoryScope};
use tfc_oidc::core::ports::NewRole;
use tfc_oidc::core::review::review;
use tfc_oidc::sandbox::Sandbox;
use tfc_oidc::tfc::{ApiToken, Endpoint, TfcClient};

const PROJECTS: usize = 10;
const PER_PROJECT: usize = 100;
const SETS: usize = 50;
const ROLES: usize = 20;
const LATENCY: Duration = Duration::from_millis(20);
const LIMIT_PER_SECOND: f64 = 30.0;
const HOST: &str = "app.terraform.io";
const ORG: &str = "bench";

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn role_arn(i: usize) -> String {
    format!("arn:aws:iam::123456789012:role/bench-{i:02}")
}

/// Workspaces with a mix of static keys, OIDC and nothing; sets global, per project and per
/// workspace.
fn seed() -> Seed {
    let mut projects = Vec::new();
    for p in 0..PROJECTS {
        let workspaces = (0..PER_PROJECT)
            .map(|w| {
                let mut ws = SeedWorkspace::named(&format!("ws-{p:02}-{w:03}"));
                ws.vars.push(SeedVar::env("AWS_REGION", "eu-west-1", false));
                match w % 4 {
                    0 => {
                        ws.vars.push(SeedVar::env(
                            "AWS_ACCESS_KEY_ID",
                            "AKIAEXAMPLE0000009",
                            false,
                        ));
                        ws.vars
                            .push(SeedVar::env("AWS_SECRET_ACCESS_KEY", "secret", true));
                    }
                    1 => {
                        ws.vars
                            .push(SeedVar::env("TFC_AWS_PROVIDER_AUTH", "true", false));
                        ws.vars
                            .push(SeedVar::env("TFC_AWS_RUN_ROLE_ARN", &role_arn(p), false));
                    }
                    _ => ws.vars.push(SeedVar::terraform("size", "small")),
                }
                ws
            })
            .collect();
        projects.push(SeedProject {
            name: format!("project-{p:02}"),
            workspaces,
        });
    }
    let variable_sets = (0..SETS)
        .map(|s| {
            let (global, workspaces, project_names) = match s % 10 {
                0 => (true, vec![], vec![]),
                1..=3 => (false, vec![], vec![format!("project-{:02}", s % PROJECTS)]),
                _ => (
                    false,
                    (0..5)
                        .map(|k| format!("ws-{:02}-{:03}", s % PROJECTS, (s * 7 + k) % PER_PROJECT))
                        .collect(),
                    vec![],
                ),
            };
            SeedVarset {
                name: format!("set-{s:02}"),
                global,
                vars: vec![
                    SeedVar::env("TF_LOG", "", false),
                    SeedVar::terraform("owner", "platform"),
                ],
                workspaces,
                projects: project_names,
            }
        })
        .collect();
    let mut seed = Seed::example();
    seed.organizations.push(SeedOrg {
        name: ORG.into(),
        projects,
        variable_sets,
    });
    seed
}

async fn roles(sandbox: &Sandbox) {
    use tfc_oidc::core::ports::Iam;
    let provider = format!("arn:aws:iam::123456789012:oidc-provider/{HOST}");
    for i in 0..ROLES {
        let sub = format!(
            "organization:{ORG}:project:project-{:02}:workspace:*:run_phase:*",
            i % PROJECTS
        );
        let trust = serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"Federated":provider},"Action":"sts:AssumeRoleWithWebIdentity",
            "Condition":{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"},
                         "StringLike":{"app.terraform.io:sub":sub}}}]});
        let role = NewRole {
            name: format!("bench-{i:02}"),
            trust_policy: trust.to_string(),
            description: String::new(),
            tags: vec![],
            permissions_boundary: None,
        };
        sandbox.iam.create_role(&role).await.expect("role");
    }
}

async fn run() {
    let fake = FakeTfc::start(seed());
    fake.set_latency(LATENCY);
    let endpoint =
        Endpoint::resolve(Some(HOST), Some(&fake.base_url()), &|_| None).expect("endpoint");
    let token = ApiToken::new(fake.token()).expect("token");
    let tfc = TfcClient::new(endpoint, token, TfcClient::http_client().expect("http"));
    let sandbox = Sandbox::empty(HOST);
    roles(&sandbox).await;
    sandbox.iam.set_latency(LATENCY);
    let scope = InventoryScope {
        host: HOST.into(),
        organization: ORG.into(),
        project: None,
    };
    // Let the fake's one-second window forget the setup before timing.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    fake.clear_requests();
    let too_many_before = fake.too_many_requests_count();
    let start = Instant::now();
    let inv = read(&scope, &tfc, Some(sandbox.iam.as_ref()), &|_| {}).await;
    let wall = start.elapsed();
    let calls = fake.requests().len();
    let too_many = fake.too_many_requests_count() - too_many_before;
    let inv = match inv {
        Ok(inv) => inv,
        Err(e) => {
            println!(
                "read failed after {:.1} s, {calls} calls, {too_many} 429s answered: {e}",
                wall.as_secs_f64()
            );
            return;
        }
    };
    let pages = |n: usize| n.div_ceil(100);
    let minimum = pages(PROJECTS)
        + pages(SETS)
        + SETS
        + pages(PROJECTS * PER_PROJECT)
        + PROJECTS * PER_PROJECT
        + 1; // the organization's Stacks (none here: one page)
    let t = Instant::now();
    let findings = review(&inv);
    let review_time = t.elapsed();
    println!(
        "{} workspaces, {} variable sets, {} roles: {calls} HCP Terraform calls (minimum {minimum}, {:.2}×), {} AWS calls",
        inv.workspaces.len(),
        inv.variable_sets.len(),
        inv.aws.as_ref().map_or(0, |a| a.roles.len()),
        calls as f64 / minimum as f64,
        sandbox.iam.calls().len(),
    );
    println!(
        "wall time {:.2} s (target ≤ {:.2} s = 1.1 × calls ÷ 30; {:.1} calls/s), 429s answered: {too_many}",
        wall.as_secs_f64(),
        1.1 * calls as f64 / LIMIT_PER_SECOND,
        calls as f64 / wall.as_secs_f64(),
    );
    println!(
        "findings: {} in {:.1} ms",
        findings.len(),
        review_time.as_secs_f64() * 1000.0
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
    if let Some(kib) = peak_rss_kib() {
        println!(
            "peak RSS (VmHWM, fake included): {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
}
