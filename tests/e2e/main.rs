//! The built binary, run as a subprocess against moto (AWS) and the fake HCP Terraform API:
//! setup, dry run, second run, variable set target, split roles, failure and resume, undo, and
//! the errors a user meets first (bad token, unknown organization, plain http, no terminal);
//! review and explain.
//!
//! Each test uses its own issuer host (`--hostname`), so tests share one moto server without
//! sharing an OIDC provider; the fake's API address is given with `--api-url`. One test binary
//! with a module per concern, so the crate is linked once for all of them.

mod accounts;
mod activity;
mod activity_refusals;
mod beyond;
mod demo_shared;
mod dormant;
mod errors;
mod exit_codes;
mod export;
mod guardrail_coverage;
mod inputs;
mod key_ids;
mod migrate;
mod proof;
mod resume_undo;
mod review;
mod review_ci;
mod review_plus;
mod review_policies;
mod safety;
mod same_permissions;
mod setup;
mod support;
mod varset;
mod verify;
