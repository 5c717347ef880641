//! The world both models start from: `fake-tfc`'s example seed (org `acme` with projects
//! `Default Project`, `platform`, `data`; static keys on `network`; set `legacy-aws-keys` on
//! `dns`) plus two global sets, `acme-defaults` (env `AWS_REGION`) and `acme-tags` (terraform
//! `team`), and the [`STACKS`]. The sandbox is built from the same seed.

use fake_tfc::{FakeTfc, Seed, SeedVar, SeedVarset};
use tfc_oidc::core::ports::{NewVariable, NewVariableSet, TfcUser, VariableCategory};
use tfc_oidc::sandbox::SandboxTfc;
use tfc_oidc::tfc::TfcClient;

use crate::support::{client, HOST};

/// Stacks: (project, name, deployments).
pub const STACKS: [(&str, &str, &[&str]); 2] = [
    ("platform", "networking", &["staging", "production"]),
    ("data", "lake", &["prod"]),
];

fn seed() -> Seed {
    let mut seed = Seed::example();
    let acme = &mut seed.organizations[0];
    for (name, var) in [
        (
            "acme-defaults",
            SeedVar::env("AWS_REGION", "us-east-1", false),
        ),
        ("acme-tags", SeedVar::terraform("team", "platform")),
    ] {
        acme.variable_sets.push(SeedVarset {
            name: name.into(),
            global: true,
            vars: vec![var],
            workspaces: Vec::new(),
            projects: Vec::new(),
        });
    }
    seed
}

/// The fake serving the world, and a client of it.
pub fn http() -> (FakeTfc, TfcClient) {
    let fake = FakeTfc::start(seed());
    for (project, name, deployments) in STACKS {
        fake.add_stack("acme", project, name, deployments).unwrap();
    }
    let tfc = client(&fake);
    (fake, tfc)
}

fn new_var(v: &SeedVar) -> NewVariable {
    NewVariable {
        key: v.key.clone(),
        value: v.value.clone(),
        description: String::new(),
        category: match v.category.as_str() {
            "env" => VariableCategory::Env,
            _ => VariableCategory::Terraform,
        },
        sensitive: v.sensitive,
    }
}

/// The sandbox holding the world.
pub fn sandbox() -> SandboxTfc {
    let seed = seed();
    let tfc = SandboxTfc::new(HOST);
    tfc.set_user(TfcUser {
        id: "user-contract00000001".into(),
        username: seed.username.clone(),
        email: None,
        is_service_account: false,
    });
    for org in &seed.organizations {
        tfc.add_organization(&org.name);
        let mut workspace_ids = Vec::new();
        let mut project_ids = Vec::new();
        for project in &org.projects {
            let project_id = tfc.add_project(&org.name, &project.name).unwrap();
            for ws in &project.workspaces {
                let id = tfc.add_workspace(&org.name, &project_id, &ws.name).unwrap();
                for v in &ws.vars {
                    tfc.add_workspace_variable(&id, &new_var(v)).unwrap();
                }
                workspace_ids.push((ws.name.clone(), id));
            }
            for (in_project, name, deployments) in STACKS {
                if org.name == "acme" && in_project == project.name {
                    tfc.add_stack(&org.name, &project_id, name, deployments)
                        .unwrap();
                }
            }
            project_ids.push((project.name.clone(), project_id));
        }
        for set in &org.variable_sets {
            let new = NewVariableSet {
                name: set.name.clone(),
                description: String::new(),
            };
            let created = tfc.add_variable_set(&org.name, &new, set.global).unwrap();
            for v in &set.vars {
                tfc.add_variable_set_variable(&created.id, &new_var(v))
                    .unwrap();
            }
            let ids = |names: &[String], all: &[(String, String)]| -> Vec<String> {
                names
                    .iter()
                    .filter_map(|n| all.iter().find(|(name, _)| name == n))
                    .map(|(_, id)| id.clone())
                    .collect()
            };
            tfc.attach_variable_set(
                &created.id,
                &ids(&set.workspaces, &workspace_ids),
                &ids(&set.projects, &project_ids),
            )
            .unwrap();
        }
    }
    tfc
}
