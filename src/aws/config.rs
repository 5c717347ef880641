//! Loading the AWS SDK configuration: the standard aws-config chain (environment, shared config
//! and credentials files, SSO, credential_process, web identity, container and instance
//! metadata), an optional named profile and region, and `us-east-1` when no region is configured
//! anywhere (IAM is global; the SDK only needs *a* region to sign with).
//!
//! Endpoint overrides come from aws-config itself: `AWS_ENDPOINT_URL` (every service), and
//! `AWS_ENDPOINT_URL_IAM` / `AWS_ENDPOINT_URL_STS` (one service, taking precedence), as well as
//! `endpoint_url` in the profile — unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// The region used when neither the caller, the environment nor the profile names one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Loads the SDK config. `profile` is `--profile` (else `AWS_PROFILE`, else `default`, as the SDK
/// does), `region` is `--region` (else `AWS_REGION`/`AWS_DEFAULT_REGION`, the profile's region,
/// else [`FALLBACK_REGION`]). Credentials are resolved lazily, on the first request.
pub async fn load_sdk_config(profile: Option<&str>, region: Option<&str>) -> SdkConfig {
    // The loader's own region chain (environment, profile, instance metadata) uses the HTTP
    // client given here; a chain built beside it would need one of its own.
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(https_client());
    if let Some(p) = profile.filter(|p| !p.is_empty()) {
        loader = loader.profile_name(p);
    }
    if let Some(r) = region.filter(|r| !r.is_empty()) {
        loader = loader.region(Region::new(r.to_owned()));
    }
    let config = loader.load().await;
    if config.region().is_some() {
        return config;
    }
    config
        .into_builder()
        .region(Region::from_static(FALLBACK_REGION))
        .build()
}

/// The SDK's own default HTTPS client (hyper, rustls, the system's trusted roots, proxies from
/// `HTTPS_PROXY`/`NO_PROXY`), on ring instead of aws-lc: one crypto provider for the SDK and
/// the HCP Terraform client, and no aws-lc-sys C build.
pub fn https_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::Ring));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
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
