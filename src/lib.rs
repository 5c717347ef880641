//! tfc-oidc: move HCP Terraform runs off static AWS keys onto OIDC dynamic credentials.
//!
//! Layers: [`core`] (plans, apply, journal, trust policies; no terminal or HTTP code), adapters
//! ([`aws`], [`tfc`], [`sandbox`]) behind the core's ports, and fronts ([`cli`]).
#![forbid(unsafe_code)]

pub mod aws;
pub mod cli;
pub mod connect;
pub mod core;
pub mod dirs;
pub mod export;
pub mod sandbox;
pub mod tfc;
pub mod tui;
