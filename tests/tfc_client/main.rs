//! The real HCP Terraform adapter (`tfc_oidc::tfc::TfcClient`) over real HTTP against the
//! stateful fake API (`fake-tfc`): paging, includes, error mapping, retries and writes.
//!
//! One test binary with a module per concern, so the crate is linked once for all of them.

mod contract;
mod errors;
mod inventory;
mod limiter;
mod reads;
mod retries;
mod runs;
mod support;
mod variables;
