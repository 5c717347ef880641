//! The ports the core talks through: [`Iam`] (AWS IAM + STS), [`Tfc`] (the HCP Terraform API)
//! and [`AuditTrail`] (CloudTrail's event history). Real adapters live in `crate::aws` and `crate::tfc`; `crate::sandbox` implements both in
//! memory. The types here are the core's view of the remote objects, not wire formats.

mod iam;
mod tfc;
mod trail;

pub use iam::*;
pub use tfc::*;
pub use trail::*;
