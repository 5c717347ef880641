//! What variables a workspace carries and what they say, in one tree: the names of HCP
//! Terraform's AWS dynamic-credential variables per phase and alias tag (`dynamic_vars.rs`),
//! the variables a run of a workspace gets once variable sets and precedence are applied
//! (`effective.rs`), and how those variables make a run reach AWS — OIDC configurations or
//! static keys (`access.rs`). Setup writes these names; migrate, review, verify and the wizard
//! read a workspace through here.

pub mod access;
pub mod dynamic_vars;
pub mod effective;

pub use access::{aws_access, AwsAccess};
pub use effective::{effective_variables, EffectiveVariable, Reach, VariableSource};
