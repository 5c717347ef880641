//! AWS adapter: aws-sdk-iam and aws-sdk-sts behind the core's `Iam` port, aws-sdk-cloudtrail
//! behind `AuditTrail`, aws-sdk-organizations behind `Organizations`, the SDK configuration loader, and OIDC provider thumbprints.

mod access_keys;
pub mod client;
pub mod cloudtrail;
pub mod config;
mod errors;
mod iam;
pub mod organizations;
pub mod profile_accounts;
mod providers;
mod roles;
pub mod thumbprint;

pub use client::IamClient;
pub use cloudtrail::CloudTrailClient;
pub use config::{https_client, load_sdk_config, FALLBACK_REGION};
pub use organizations::OrganizationsClient;
pub use thumbprint::{
    compute_thumbprint, select_top_intermediate, validate_thumbprint, ThumbprintError,
};
