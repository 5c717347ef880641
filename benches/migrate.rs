//! `migrate --all --dry-run`'s core at scale: discovery and plan over 1,000 workspaces in 10
//! projects of 100 holding 200 distinct static keys (five workspaces per key). A project of 100
//! workspaces does not fit one role's trust policy (IAM's 2,048 characters), so each is split
//! over several roles. HCP Terraform through the
//! real client over HTTP against the fake API with its 30 requests/s limiter on and 20 ms of
//! latency on every request; IAM through the sandbox, 200 users with one key each, each user
//! with a managed policy, an inline policy and a group (the same-permissions default reads
//! them). Prints HCP Terraform calls and wall time against the rate-limit bound (calls ÷ 30 s;
//! target ratio ≤ 1.1×), 429s answered, and the IAM calls added per key, by operation.
//! Run with `cargo bench --bench migrate`. Prints plain lines; asserts nothing.

use fake_tfc::{FakeTfc, Seed, SeedOrg, SeedProject, SeedVar, SeedWorkspace};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tfc_oidc::core::migrate::{plan_migration, MigrateRequest, MigrationScope};
use tfc_oidc::core::ports::AccessKeyStatus;
use tfc_oidc::sandbox::SandboxIam;
use tfc_oidc::tfc::{ApiToken, Endpoint, TfcClient};

const PROJECTS: usize = 10;
const PER_PROJECT: usize = 100;
const KEYS: usize = 200;
const LATENCY: Duration = Duration::from_millis(20);
const LIMIT_PER_SECOND: f64 = 30.0;
const HOST: &str = "app.terraform.io";
const ORG: &str = "bench";
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

fn key_id(k: usize) -> String {
    format!("AKIABENCH{k:011}")
}

fn user(k: usize) -> String {
    format!("ci-{k:03}")
}

/// Workspace `n` (0-based, over all projects) holds key `n mod KEYS`: five workspaces per key,
/// spread over the projects.
fn seed() -> Seed {
    let projects = (0..PROJECTS)
        .map(|p| {
            let workspaces = (0..PER_PROJECT)
                .map(|w| {
                    let n = p * PER_PROJECT + w;
                    let mut ws = SeedWorkspace::named(&format!("ws-{p:02}-{w:03}"));
                    ws.vars.push(SeedVar::env("AWS_REGION", "eu-west-1", false));
                    ws.vars
                        .push(SeedVar::env("AWS_ACCESS_KEY_ID", &key_id(n % KEYS), false));
                    ws.vars
                        .push(SeedVar::env("AWS_SECRET_ACCESS_KEY", "secret", true));
                    ws
                })
                .collect();
            SeedProject {
                name: format!("project-{p:02}"),
                workspaces,
            }
        })
        .collect();
    let mut seed = Seed::example();
    seed.organizations.push(SeedOrg {
        name: ORG.into(),
        projects,
        variable_sets: Vec::new(),
    });
    seed
}

/// The account: one user per key, each with what the same-permissions read looks at.
fn iam() -> SandboxIam {
    let iam = SandboxIam::new();
    let managed = iam
        .add_managed_policy("bench-read", POLICY)
        .expect("managed policy");
    for k in 0..KEYS {
        let name = user(k);
        iam.add_access_key(&name, &key_id(k), AccessKeyStatus::Active);
        iam.attach_user_policy(&name, &managed);
        iam.put_user_policy(&name, "inline", POLICY);
        iam.add_user_to_group(&name, "builders");
    }
    iam.put_group_policy("builders", "logs", POLICY);
    iam
}

/// What `migrate --all --dry-run` asks for with no permissions flag: the keys' users'
/// permissions.
fn request() -> MigrateRequest {
    MigrateRequest {
        same_permissions: true,
        ..MigrateRequest::new(HOST, ORG, MigrationScope::All)
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let fake = FakeTfc::start(seed());
        fake.set_latency(LATENCY);
        let endpoint =
            Endpoint::resolve(Some(HOST), Some(&fake.base_url()), &|_| None).expect("endpoint");
        let token = ApiToken::new(fake.token()).expect("token");
        let tfc = TfcClient::new(endpoint, token, TfcClient::http_client().expect("http"));
        let iam = iam();
        // Let the fake's one-second window forget the setup before timing.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        fake.clear_requests();
        iam.clear_calls();
        let too_many_before = fake.too_many_requests_count();
        let start = Instant::now();
        let migration = plan_migration(&request(), &iam, &tfc, &[], &|_| {})
            .await
            .expect("migration");
        let wall = start.elapsed();
        let calls = fake.requests().len();
        let bound = calls as f64 / LIMIT_PER_SECOND;
        println!(
            "{} workspaces migrated, {} keys read, {} users' permissions, {} changes planned",
            migration.workspaces.len(),
            migration.keys.len(),
            migration.users.len(),
            migration.plan.changes.len(),
        );
        println!(
            "HCP Terraform: {calls} calls in {:.2} s; rate-limit bound {bound:.2} s (calls ÷ 30 s); ratio {:.2}× (target ≤ 1.10×); 429s answered: {}",
            wall.as_secs_f64(),
            wall.as_secs_f64() / bound,
            fake.too_many_requests_count() - too_many_before,
        );
        let iam_calls = iam.calls();
        let mut by_op: BTreeMap<&str, usize> = BTreeMap::new();
        for call in &iam_calls {
            *by_op.entry(call.op).or_default() += 1;
        }
        println!(
            "IAM: {} calls, {:.2} per key ({KEYS} keys)",
            iam_calls.len(),
            iam_calls.len() as f64 / KEYS as f64
        );
        for (op, n) in by_op {
            println!("  {op}: {n} ({:.2} per key)", n as f64 / KEYS as f64);
        }
    });
}
