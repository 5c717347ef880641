//! The ports the core talks through: [`Iam`] (AWS IAM + STS), [`Tfc`] (the HCP Terraform API),
//! [`AuditTrail`] (CloudTrail's event history) and [`Organizations`] (AWS Organizations' resource
//! control policies). Real adapters live in `crate::aws` and `crate::tfc`; `crate::sandbox`
//! implements them in memory. The types here are the core's view of the remote objects, not
//! wire formats.

mod iam;
mod organizations;
mod tfc;
mod trail;

pub use iam::*;
pub use organizations::*;
pub use tfc::*;
pub use trail::*;
