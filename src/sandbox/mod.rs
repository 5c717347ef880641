//! In-memory `Iam` and `Tfc` with a demo organization, for `--demo` and fast tests.
//!
//! [`SandboxIam`] and [`SandboxTfc`] implement the core's ports over a mutex-guarded state that
//! behaves like the real services (ARNs, ids, 404/409/422 semantics). Both keep a log of the
//! calls made through the port ([`Call`]), can be told to fail the n-th call of an operation
//! (`fail_on`) and to add latency to every call (`set_latency`). [`Sandbox::save`] and
//! [`Sandbox::load`] persist the state between CLI runs of `--demo`.

mod iam;
mod recorder;
mod seed;
mod tfc;

pub use iam::SandboxIam;
pub use recorder::Call;
pub use seed::REVIEW_ROLES;
pub use seed::{DEMO_KEY_AGE_DAYS, DEMO_KEY_LAST_USED_DAYS};
pub use tfc::SandboxTfc;

use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;
use std::sync::Arc;

/// The sandbox's AWS account id.
pub const ACCOUNT_ID: &str = "123456789012";
/// The static access key the demo organization still uses (owned by IAM user `ci-deployer`).
pub const DEMO_ACCESS_KEY_ID: &str = "AKIAEXAMPLE0000001";
/// The IAM user that owns [`DEMO_ACCESS_KEY_ID`].
pub const DEMO_KEY_USER: &str = "ci-deployer";
/// The HCP Terraform host of the demo.
pub const DEMO_HOST: &str = "app.terraform.io";
/// The demo's second AWS account, and the profile that reaches it (`--account-profile`).
pub const DEMO_SECOND_ACCOUNT: &str = "210987654321";
pub const DEMO_SECOND_PROFILE: &str = "demo-analytics";
/// The static key of the second account (IAM user [`DEMO_SECOND_KEY_USER`] there), used by
/// workspace `warehouse`.
pub const DEMO_SECOND_ACCESS_KEY_ID: &str = "AKIAEXAMPLE0000002";
pub const DEMO_SECOND_KEY_USER: &str = "analytics-loader";

/// Both sandboxes, ready to be handed to the core as `Arc<dyn Iam>` / `Arc<dyn Tfc>`.
#[derive(Clone)]
pub struct Sandbox {
    /// The in-memory AWS account.
    pub iam: Arc<SandboxIam>,
    /// The in-memory HCP Terraform.
    pub tfc: Arc<SandboxTfc>,
    /// The demo's second AWS account ([`DEMO_SECOND_ACCOUNT`]), reached through profile
    /// [`DEMO_SECOND_PROFILE`]. HCP Terraform's simulated runs authenticate against `iam` only.
    pub second: Arc<SandboxIam>,
}

/// Every operation the two sandboxes record, by port (the permissions table must list each).
#[cfg(test)]
pub(crate) const RECORDED_OPS: [&[&str]; 2] = [iam::OPS, tfc::OPS];

/// The version of the saved state: 2 added Stacks, the review roles, key ages and the trail; 3
/// the OIDC provider the review roles trust (without it, setup refuses to re-arm them); 4 the
/// second account and its key on `warehouse`.
const STATE_VERSION: u32 = 4;

/// What [`Sandbox::save`] writes.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    iam: serde_json::Value,
    tfc: serde_json::Value,
    second: serde_json::Value,
}

impl Sandbox {
    /// The seeded demo: organizations `acme-corp` and `acme-sandbox` on [`DEMO_HOST`], and an AWS
    /// account holding the user `ci-deployer` and its access key, and a few misconfigured roles
    /// for `review` (see `seed.rs`).
    pub fn demo() -> Sandbox {
        let iam = SandboxIam::new();
        let tfc = SandboxTfc::new(DEMO_HOST);
        let second = SandboxIam::with_account(DEMO_SECOND_ACCOUNT);
        seed::seed_iam(&iam);
        seed::seed_second_account(&iam, &second);
        seed::seed_tfc(&tfc);
        Sandbox::linked(iam, tfc, second)
    }

    /// Both halves, the HCP Terraform runs authenticating against the account their role ARN
    /// names (the first by default).
    fn linked(iam: SandboxIam, tfc: SandboxTfc, second: SandboxIam) -> Sandbox {
        let (iam, second) = (Arc::new(iam), Arc::new(second));
        tfc.link_aws(iam.clone());
        tfc.link_aws(second.clone());
        Sandbox {
            iam,
            tfc: Arc::new(tfc),
            second,
        }
    }

    /// The demo without the roles seeded for `review` ([`REVIEW_ROLES`]) and the provider they
    /// trust: an account no role trusts HCP Terraform in yet, for tests of that case.
    pub fn demo_without_review_roles() -> Sandbox {
        let sandbox = Sandbox::demo();
        for name in REVIEW_ROLES {
            sandbox.iam.remove_role(name);
        }
        sandbox.iam.remove_oidc_providers();
        sandbox
    }

    /// An empty AWS account and an HCP Terraform on `host` with a user and no organizations.
    pub fn empty(host: &str) -> Sandbox {
        let second = SandboxIam::with_account(DEMO_SECOND_ACCOUNT);
        Sandbox::linked(SandboxIam::new(), SandboxTfc::new(host), second)
    }

    /// Writes both states as JSON to `path` (through a temporary file and a rename). Call logs,
    /// injected faults and latency are not saved.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let snap = Snapshot {
            version: STATE_VERSION,
            iam: serde_json::from_str(&self.iam.state_json()).map_err(io::Error::other)?,
            tfc: serde_json::from_str(&self.tfc.state_json()).map_err(io::Error::other)?,
            second: serde_json::from_str(&self.second.state_json()).map_err(io::Error::other)?,
        };
        let text = serde_json::to_string_pretty(&snap).map_err(io::Error::other)?;
        crate::core::private_files::write_atomic(path, &text)
    }

    /// Reads what [`Sandbox::save`] wrote.
    pub fn load(path: &Path) -> io::Result<Sandbox> {
        let bad = |e: serde_json::Error| io::Error::new(io::ErrorKind::InvalidData, e);
        let text = std::fs::read_to_string(path)?;
        let version: serde_json::Value = serde_json::from_str(&text).map_err(bad)?;
        if version["version"]
            .as_u64()
            .is_some_and(|v| v < u64::from(STATE_VERSION))
        {
            // An older demo (before Stacks, the review roles, the key ages or the provider):
            // start afresh, as the demo it was saved from no longer exists.
            return Ok(Sandbox::demo());
        }
        let snap: Snapshot = serde_json::from_str(&text).map_err(bad)?;
        if snap.version != STATE_VERSION {
            let msg = format!("unsupported sandbox state version {}", snap.version);
            return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
        }
        Ok(Sandbox::linked(
            SandboxIam::from_state_json(&snap.iam.to_string()).map_err(bad)?,
            SandboxTfc::from_state_json(&snap.tfc.to_string()).map_err(bad)?,
            SandboxIam::from_state_json(&snap.second.to_string()).map_err(bad)?,
        ))
    }

    /// Takes in what [`Sandbox::save`] wrote at `path` since this sandbox was loaded (nothing
    /// there: it stays as it is), so a long-lived sandbox (the wizard's) plans from what other
    /// `--demo` commands did meanwhile, and its next save keeps their changes.
    pub fn reload(&self, path: &Path) -> io::Result<()> {
        let saved = match Sandbox::load(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            other => other?,
        };
        let bad = |e: serde_json::Error| io::Error::new(io::ErrorKind::InvalidData, e);
        self.iam
            .restore_state_json(&saved.iam.state_json())
            .map_err(bad)?;
        self.second
            .restore_state_json(&saved.second.state_json())
            .map_err(bad)?;
        self.tfc
            .restore_state_json(&saved.tfc.state_json())
            .map_err(bad)
    }

    /// [`Sandbox::load`] if `path` exists, else a fresh [`Sandbox::demo`].
    pub fn load_or_demo(path: &Path) -> io::Result<Sandbox> {
        match Sandbox::load(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Sandbox::demo()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::{Iam, NewRole, Tfc};

    #[tokio::test]
    async fn save_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("demo.json");
        let sb = Sandbox::demo();
        let role = NewRole {
            name: "r1".into(),
            trust_policy: r#"{"Statement":[]}"#.into(),
            description: String::new(),
            tags: vec![],
            permissions_boundary: None,
        };
        sb.iam.create_role(&role).await.unwrap();
        sb.save(&path).unwrap();
        let back = Sandbox::load(&path).unwrap();
        assert_eq!(back.iam.state_json(), sb.iam.state_json());
        assert_eq!(back.tfc.state_json(), sb.tfc.state_json());
        assert_eq!(back.second.state_json(), sb.second.state_json());
        let second = back.second.caller_identity().await.unwrap();
        assert_eq!(second.account, DEMO_SECOND_ACCOUNT);
        assert!(back.iam.calls().is_empty());
        assert!(back.iam.get_role("r1").await.unwrap().is_some());
        assert_eq!(back.tfc.host(), DEMO_HOST);
    }

    #[test]
    fn load_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.json");
        assert_eq!(
            Sandbox::load(&missing).err().unwrap().kind(),
            io::ErrorKind::NotFound
        );
        assert!(Sandbox::load_or_demo(&missing).is_ok());
        let junk = dir.path().join("junk.json");
        std::fs::write(&junk, "{not json").unwrap();
        assert_eq!(
            Sandbox::load(&junk).err().unwrap().kind(),
            io::ErrorKind::InvalidData
        );
    }

    /// A demo saved before its review roles had their provider starts afresh, with it: the old
    /// state would have setup refuse to create a provider those broad roles already trust.
    #[tokio::test]
    async fn a_state_from_before_the_provider_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.json");
        let old = Sandbox::demo_without_review_roles();
        let snap = serde_json::json!({
            "version": 2,
            "iam": serde_json::from_str::<serde_json::Value>(&old.iam.state_json()).unwrap(),
            "tfc": serde_json::from_str::<serde_json::Value>(&old.tfc.state_json()).unwrap(),
        });
        std::fs::write(&path, snap.to_string()).unwrap();
        let back = Sandbox::load(&path).unwrap();
        assert_eq!(back.iam.list_oidc_providers().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn empty_has_no_organizations() {
        let sb = Sandbox::empty("tfe.example.com");
        assert_eq!(sb.tfc.host(), "tfe.example.com");
        assert!(sb.tfc.organizations().await.unwrap().is_empty());
        assert!(sb.iam.list_roles().await.unwrap().is_empty());
        assert_eq!(sb.iam.caller_identity().await.unwrap().account, ACCOUNT_ID);
    }
}
