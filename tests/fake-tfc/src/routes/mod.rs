//! Route table: one module per API resource, merged into a single router.

use std::sync::Arc;

use axum::Router;

use crate::server::Shared;

mod account;
mod orgs;
mod projects;
mod stacks;
mod var_owner;
mod vars;
mod varset_input;
mod varset_rels;
mod varsets;
mod workspaces;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .merge(account::routes())
        .merge(orgs::routes())
        .merge(projects::routes())
        .merge(stacks::routes())
        .merge(workspaces::routes())
        .merge(vars::routes())
        .merge(varsets::routes())
        .merge(varset_rels::routes())
}
