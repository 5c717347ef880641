//! HCP Terraform adapter: a reqwest JSON:API client behind the core's `Tfc` port.
//!
//! [`Endpoint`] says where to connect, [`discover_token`] finds the [`ApiToken`], and
//! [`TfcClient`] implements [`crate::core::ports::Tfc`] over the API v2, every request going
//! through one shared [`limiter`] (30 requests per second by default).

pub mod client;
pub mod convert;
pub mod endpoint;
pub mod jsonapi;
pub mod limiter;
mod resources;
pub mod token;
pub mod transport;

pub use client::TfcClient;
pub use endpoint::{Endpoint, EndpointError};
pub use limiter::RateLimit;
pub use token::{discover_token, ApiToken, TokenError, TokenSource};
pub use transport::RetryPolicy;
