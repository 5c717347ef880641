//! HCP Terraform adapter: a reqwest JSON:API client behind the core's `Tfc` port.
//!
//! [`Endpoint`] says where to connect, [`discover_token`] finds the [`ApiToken`], and
//! [`TfcClient`] implements [`crate::core::ports::Tfc`] over the API v2.

pub mod client;
pub mod convert;
pub mod endpoint;
pub mod jsonapi;
mod resources;
pub mod token;
pub mod transport;

pub use client::TfcClient;
pub use endpoint::{Endpoint, EndpointError};
pub use token::{discover_token, ApiToken, TokenError, TokenSource};
pub use transport::RetryPolicy;
