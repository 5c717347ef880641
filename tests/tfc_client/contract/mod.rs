//! One contract for the `Tfc` port, run against both HCP Terraform models: the in-memory
//! [`SandboxTfc`](tfc_oidc::sandbox::SandboxTfc) that `--demo` and the fast tests use, and the
//! real `TfcClient` over HTTP against `fake-tfc` (built from HashiCorp's API docs). Both start
//! from the same [`world`]; each check only speaks through the port, so where the two disagree
//! one of them is wrong about the documented API.

mod reads;
mod world;
mod writes;

/// Runs each `module::check` once per model.
macro_rules! contract {
    ($($module:ident :: $check:ident),* $(,)?) => {
        mod sandbox {
            $(
                #[tokio::test]
                async fn $check() {
                    let tfc = super::world::sandbox();
                    super::$module::$check(&tfc).await;
                }
            )*
        }
        mod http {
            $(
                #[tokio::test]
                async fn $check() {
                    let (fake, tfc) = super::world::http();
                    super::$module::$check(&tfc).await;
                    drop(fake);
                }
            )*
        }
    };
}

contract!(
    reads::account_and_organizations,
    reads::projects_and_workspaces,
    reads::stacks_by_project,
    reads::workspace_variables_as_seeded,
    reads::variable_sets_as_seeded,
    reads::effective_variables_follow_precedence,
    writes::workspace_variables_round_trip,
    writes::variable_sets_round_trip,
    writes::global_sets_refuse_attachments_and_clashing_keys,
    writes::missing_things_are_not_found,
);
