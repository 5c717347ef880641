//! Where HCP Terraform is: the host name (also the OIDC issuer's host) and the API base address,
//! resolved from flags, then the environment, then defaults (the README's "Where it connects").

use std::net::IpAddr;

use url::{Host, Url};

/// The default HCP Terraform host.
pub const DEFAULT_HOST: &str = "app.terraform.io";

/// A resolved HCP Terraform endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    host: String,
    api_base: Url,
}

/// Why an endpoint could not be resolved. Each message is one line naming the offending input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("invalid HCP Terraform hostname '{value}' (from {origin}): {reason}; expected a bare host name such as app.terraform.io")]
    InvalidHostname {
        value: String,
        origin: &'static str,
        reason: String,
    },
    #[error("invalid HCP Terraform API address '{value}' (from {origin}): {reason}")]
    InvalidApiUrl {
        value: String,
        origin: &'static str,
        reason: String,
    },
    #[error("refusing plain http:// for the HCP Terraform API at {url} (from {origin}): the token would travel unencrypted; use https:// (http:// is only allowed for loopback addresses)")]
    InsecureScheme { url: String, origin: &'static str },
}

impl Endpoint {
    /// Resolve the endpoint: host from `--hostname`, `TFE_HOSTNAME`, else the API address's host
    /// (when that is not a loopback stand-in), else `app.terraform.io`; API base from
    /// `--api-url`, `TFE_ADDRESS`, else `https://HOST`. `env` looks up one environment variable
    /// (empty values count as unset), so tests need not touch the process environment.
    pub fn resolve(
        hostname_flag: Option<&str>,
        api_url_flag: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Endpoint, EndpointError> {
        let non_empty = |v: String| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let flag = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };

        let api = flag(api_url_flag).map(|v| (v, "--api-url")).or_else(|| {
            env("TFE_ADDRESS")
                .and_then(non_empty)
                .map(|v| (v, "TFE_ADDRESS"))
        });
        let api_base = api
            .map(|(value, origin)| parse_api_base(&value, origin))
            .transpose()?;

        let host = match flag(hostname_flag).map(|v| (v, "--hostname")).or_else(|| {
            env("TFE_HOSTNAME")
                .and_then(non_empty)
                .map(|v| (v, "TFE_HOSTNAME"))
        }) {
            Some((value, origin)) => validate_host(&value, origin)?,
            // A Terraform Enterprise address alone (go-tfe's convention) names the issuer too;
            // a loopback address is a local stand-in for the real service, so keep the default.
            None => match &api_base {
                Some(base) if !is_loopback(base) => host_and_port(base),
                _ => DEFAULT_HOST.to_owned(),
            },
        };

        let api_base = match api_base {
            Some(base) => base,
            None => parse_api_base(&format!("https://{host}"), "the hostname")?,
        };
        Ok(Endpoint { host, api_base })
    }

    /// The host name, lower-cased (`app.terraform.io`, or `host:port`).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The API v2 root, always ending in `/api/v2/`.
    pub fn api_base(&self) -> &Url {
        &self.api_base
    }

    /// The OIDC issuer URL for this host (`https://HOST`).
    pub fn issuer(&self) -> String {
        format!("https://{}", self.host)
    }
}

/// Checks a bare host name (optionally with a port) and returns it lower-cased.
fn validate_host(value: &str, origin: &'static str) -> Result<String, EndpointError> {
    let invalid = |reason: &str| EndpointError::InvalidHostname {
        value: value.to_owned(),
        origin,
        reason: reason.to_owned(),
    };
    if value.contains("://") {
        return Err(invalid(
            "it has a scheme (use --api-url for a full address)",
        ));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(invalid("it contains spaces"));
    }
    if value.contains(['/', '\\', '?', '#']) {
        return Err(invalid("it contains a path"));
    }
    if value.contains('@') {
        return Err(invalid("it contains user information"));
    }
    let lower = value.to_ascii_lowercase();
    let parsed = Url::parse(&format!("https://{lower}/")).map_err(|e| invalid(&format!("{e}")))?;
    // The URL parser normalises (IDNA, IP forms); insist the name survives unchanged so the
    // issuer we configure in AWS is exactly what the user typed.
    if host_and_port(&parsed) != lower {
        return Err(invalid("it is not a valid host name"));
    }
    Ok(lower)
}

/// Parses an API address, enforces https (or loopback http), and appends `/api/v2/` once.
fn parse_api_base(value: &str, origin: &'static str) -> Result<Url, EndpointError> {
    let shown = redact_userinfo(value);
    let invalid = |reason: String| EndpointError::InvalidApiUrl {
        value: shown.clone(),
        origin,
        reason,
    };
    let mut url = Url::parse(value).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            invalid("expected an address such as https://tfe.example.com".to_owned())
        }
        other => invalid(other.to_string()),
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(EndpointError::InsecureScheme {
                url: shown.clone(),
                origin,
            })
        }
        other => {
            return Err(invalid(format!(
                "unsupported scheme '{other}' (use https://)"
            )))
        }
    }
    if url.host().is_none() {
        return Err(invalid("it has no host".to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "it must not contain credentials; set TFE_TOKEN instead".to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment".to_owned()));
    }
    let mut segments: Vec<String> = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    if !segments.ends_with(&["api".to_owned(), "v2".to_owned()]) {
        segments.extend(["api".to_owned(), "v2".to_owned()]);
    }
    // Trailing empty segment = trailing slash, so relative joins stay under /api/v2/.
    segments.push(String::new());
    url.set_path(&segments.join("/"));
    Ok(url)
}

/// True when the URL's host is a loopback address (127.0.0.0/8, ::1, localhost).
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.');
            d.eq_ignore_ascii_case("localhost")
        }
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

fn host_and_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

/// Drops `user:password@` from an address before it is shown in an error.
fn redact_userinfo(value: &str) -> String {
    match Url::parse(value) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn defaults_to_app_terraform_io() {
        let e = Endpoint::resolve(None, None, &no_env).unwrap();
        assert_eq!(e.host(), "app.terraform.io");
        assert_eq!(e.api_base().as_str(), "https://app.terraform.io/api/v2/");
        assert_eq!(e.issuer(), "https://app.terraform.io");
    }

    #[test]
    fn flags_win_over_env() {
        let env = |k: &str| match k {
            "TFE_HOSTNAME" => Some("env.example.com".to_owned()),
            "TFE_ADDRESS" => Some("https://env.example.com".to_owned()),
            _ => None,
        };
        let e = Endpoint::resolve(
            Some("App.EU.terraform.io"),
            Some("https://api.example.com/"),
            &env,
        )
        .unwrap();
        assert_eq!(e.host(), "app.eu.terraform.io");
        assert_eq!(e.api_base().as_str(), "https://api.example.com/api/v2/");
        let e = Endpoint::resolve(None, None, &env).unwrap();
        assert_eq!(e.host(), "env.example.com");
    }

    #[test]
    fn empty_env_counts_as_unset() {
        let env = |_: &str| Some(String::new());
        let e = Endpoint::resolve(None, None, &env).unwrap();
        assert_eq!(e.host(), DEFAULT_HOST);
    }

    #[test]
    fn api_v2_is_not_doubled_and_prefixes_are_kept() {
        let e = Endpoint::resolve(None, Some("https://tfe.example.com/api/v2/"), &no_env).unwrap();
        assert_eq!(e.api_base().as_str(), "https://tfe.example.com/api/v2/");
        let e = Endpoint::resolve(None, Some("https://example.com/tfe"), &no_env).unwrap();
        assert_eq!(e.api_base().as_str(), "https://example.com/tfe/api/v2/");
    }

    #[test]
    fn host_follows_a_non_loopback_api_address() {
        let e = Endpoint::resolve(None, Some("https://tfe.example.com:8443"), &no_env).unwrap();
        assert_eq!(e.host(), "tfe.example.com:8443");
        let e = Endpoint::resolve(None, Some("http://127.0.0.1:9000"), &no_env).unwrap();
        assert_eq!(e.host(), DEFAULT_HOST);
        assert_eq!(e.api_base().as_str(), "http://127.0.0.1:9000/api/v2/");
    }

    #[test]
    fn plain_http_only_for_loopback() {
        for ok in ["http://localhost:1/", "http://127.8.9.1", "http://[::1]:80"] {
            assert!(Endpoint::resolve(None, Some(ok), &no_env).is_ok(), "{ok}");
        }
        let err = Endpoint::resolve(None, Some("http://tfe.example.com"), &no_env).unwrap_err();
        assert!(matches!(err, EndpointError::InsecureScheme { .. }));
        let msg = err.to_string();
        assert!(
            msg.contains("http://tfe.example.com") && msg.contains("--api-url"),
            "{msg}"
        );
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn bad_hostnames_are_refused() {
        for bad in [
            "https://app.terraform.io",
            "app.terraform.io/eu",
            "app terraform.io",
            "a@b.c",
            "[zz",
        ] {
            let err = Endpoint::resolve(Some(bad), None, &no_env).unwrap_err();
            assert!(
                matches!(err, EndpointError::InvalidHostname { .. }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn bad_api_addresses_are_refused_without_echoing_credentials() {
        let err =
            Endpoint::resolve(None, Some("https://u:s3cret@tfe.example.com"), &no_env).unwrap_err();
        assert!(!err.to_string().contains("s3cret"));
        for bad in [
            "tfe.example.com",
            "ftp://tfe.example.com",
            "https://x.com/?a=b",
        ] {
            assert!(
                Endpoint::resolve(None, Some(bad), &no_env).is_err(),
                "{bad}"
            );
        }
    }
}
