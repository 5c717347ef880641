//! Loading the AWS SDK configuration: the standard aws-config chain (environment, shared config
//! and credentials files, SSO, credential_process, web identity, container and instance
//! metadata), an optional named profile and region, and `us-east-1` when no region is configured
//! anywhere (IAM is global; the SDK only needs *a* region to sign with).
//!
//! Endpoint overrides come from aws-config itself: `AWS_ENDPOINT_URL` (every service), and
//! `AWS_ENDPOINT_URL_IAM` / `AWS_ENDPOINT_URL_STS` (one service, taking precedence), as well as
//! `endpoint_url` in the profile — unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.

use aws_config::default_provider::region::DefaultRegionChain;
use aws_config::meta::region::RegionProviderChain;
use aws_config::{BehaviorVersion, Region, SdkConfig};

/// The region used when neither the caller, the environment nor the profile names one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Loads the SDK config. `profile` is `--profile` (else `AWS_PROFILE`, else `default`, as the SDK
/// does), `region` is `--region` (else `AWS_REGION`/`AWS_DEFAULT_REGION`, the profile's region,
/// else [`FALLBACK_REGION`]). Credentials are resolved lazily, on the first request.
pub async fn load_sdk_config(profile: Option<&str>, region: Option<&str>) -> SdkConfig {
    let profile = profile.filter(|p| !p.is_empty());
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    let mut region_chain = DefaultRegionChain::builder();
    if let Some(p) = profile {
        loader = loader.profile_name(p);
        region_chain = region_chain.profile_name(p);
    }
    let explicit = region
        .filter(|r| !r.is_empty())
        .map(|r| Region::new(r.to_owned()));
    let chain = RegionProviderChain::first_try(explicit)
        .or_else(region_chain.build())
        .or_else(Region::from_static(FALLBACK_REGION));
    loader.region(chain).load().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn explicit_region_wins() {
        let conf = load_sdk_config(None, Some("eu-west-3")).await;
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("eu-west-3"));
    }
}
