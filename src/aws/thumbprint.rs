//! OIDC provider thumbprints: the lowercase hex SHA-1 of the DER of the *top intermediate CA* of
//! the certificate chain the issuer presents (what IAM computes itself when the thumbprint list
//! is left out, and what `openssl s_client -showcerts` users take as "the last certificate").
//!
//! The chain is verified against the webpki roots plus any extra PEM roots (`SSL_CERT_FILE` by
//! default), so a thumbprint is never taken from a man in the middle.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use sha1::{Digest, Sha1};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// How long connecting plus the TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a thumbprint could not be computed or accepted. Messages are one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThumbprintError {
    #[error("invalid issuer URL '{url}': {detail}")]
    InvalidUrl { url: String, detail: String },
    #[error("could not read CA certificates from {path}: {detail}")]
    Roots { path: String, detail: String },
    #[error("could not connect to {host}:{port}: {detail}")]
    Connect {
        host: String,
        port: u16,
        detail: String,
    },
    #[error("TLS handshake with {host} failed: {detail}")]
    Tls { host: String, detail: String },
    #[error("{host} presented no certificate")]
    NoCertificate { host: String },
    #[error(
        "invalid thumbprint '{0}': expected 40 hexadecimal characters (the SHA-1 of a certificate)"
    )]
    Invalid(String),
}

/// Connects to the issuer (`https://HOST[:PORT]`, or a bare host name), verifies its chain and
/// returns the thumbprint of the top intermediate CA it presents. `extra_roots` is a PEM file of
/// additional trusted roots; when `None`, `SSL_CERT_FILE` is used if set.
pub async fn compute_thumbprint(
    issuer_url: &str,
    extra_roots: Option<&Path>,
) -> Result<String, ThumbprintError> {
    let (host, server_name, port) = parse_issuer(issuer_url)?;
    let roots = root_store(extra_roots)?;
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| ThumbprintError::Tls {
                host: host.clone(),
                detail: e.to_string(),
            })?
            .with_root_certificates(roots)
            .with_no_client_auth();
    let connector = TlsConnector::from(Arc::new(config));

    let connect = async {
        let tcp = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| ThumbprintError::Connect {
                host: host.clone(),
                port,
                detail: e.to_string(),
            })?;
        connector
            .connect(server_name, tcp)
            .await
            .map_err(|e| ThumbprintError::Tls {
                host: host.clone(),
                detail: tls_detail(&e),
            })
    };
    let tls = tokio::time::timeout(HANDSHAKE_TIMEOUT, connect)
        .await
        .map_err(|_| ThumbprintError::Connect {
            host: host.clone(),
            port,
            detail: format!("no TLS handshake within {} s", HANDSHAKE_TIMEOUT.as_secs()),
        })??;

    let chain: Vec<CertificateDer<'static>> = tls
        .get_ref()
        .1
        .peer_certificates()
        .map(|c| c.to_vec())
        .unwrap_or_default();
    if chain.is_empty() {
        return Err(ThumbprintError::NoCertificate { host });
    }
    Ok(sha1_hex(&chain[select_top_intermediate(&chain)]))
}

/// Index of the top intermediate CA in a presented chain (leaf first): following issuer links
/// from the leaf, the last certificate that is not self-signed. A self-signed root the server also
/// sent is skipped; when only the leaf was sent (or nothing can be parsed), that is the leaf.
/// For a well-ordered chain this is the last certificate that is not self-signed.
pub fn select_top_intermediate(chain: &[CertificateDer<'_>]) -> usize {
    let names: Vec<Option<(Vec<u8>, Vec<u8>)>> = chain
        .iter()
        .map(|der| {
            x509_parser::parse_x509_certificate(der.as_ref())
                .ok()
                .map(|(_, c)| (c.subject().as_raw().to_vec(), c.issuer().as_raw().to_vec()))
        })
        .collect();
    let self_signed = |i: usize| matches!(&names[i], Some((s, iss)) if s == iss);
    if chain.is_empty() || self_signed(0) {
        return 0;
    }
    if names[0].is_none() {
        // Unparseable leaf: fall back to position alone.
        return (0..chain.len())
            .rev()
            .find(|&i| !self_signed(i))
            .unwrap_or(0);
    }
    let mut current = 0;
    let mut visited = vec![false; chain.len()];
    visited[0] = true;
    loop {
        let Some((_, issuer)) = &names[current] else {
            return current;
        };
        // Prefer the next certificate in order, then any other that names the issuer.
        let next = std::iter::once(current + 1)
            .chain(0..chain.len())
            .filter(|&j| j < chain.len() && !visited[j])
            .find(|&j| matches!(&names[j], Some((subject, _)) if subject == issuer));
        match next {
            Some(j) if !self_signed(j) => {
                visited[j] = true;
                current = j;
            }
            _ => return current,
        }
    }
}

/// Checks a thumbprint given by the user: 40 hex characters (colons allowed, as `openssl`
/// prints them), returned in lowercase without colons.
pub fn validate_thumbprint(s: &str) -> Result<String, ThumbprintError> {
    let cleaned: String = s.trim().chars().filter(|c| *c != ':').collect();
    if crate::core::names::validate_thumbprint(&cleaned).is_ok() {
        Ok(cleaned.to_ascii_lowercase())
    } else {
        let shown: String = s.chars().take(64).filter(|c| !c.is_control()).collect();
        Err(ThumbprintError::Invalid(shown))
    }
}

/// Lowercase hex SHA-1 of a certificate's DER.
pub fn sha1_hex(der: &[u8]) -> String {
    Sha1::digest(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Host (for messages and connecting), TLS server name, port.
fn parse_issuer(issuer_url: &str) -> Result<(String, ServerName<'static>, u16), ThumbprintError> {
    let trimmed = issuer_url.trim();
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let invalid = |detail: &str| ThumbprintError::InvalidUrl {
        url: trimmed.to_owned(),
        detail: detail.to_owned(),
    };
    let url = url::Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
    if url.scheme() != "https" {
        return Err(invalid("an OIDC issuer must use https://"));
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let (host, server_name) = match url.host() {
        Some(url::Host::Domain(d)) => {
            let name = ServerName::try_from(d.to_owned()).map_err(|e| invalid(&e.to_string()))?;
            (d.to_owned(), name)
        }
        Some(url::Host::Ipv4(ip)) => (ip.to_string(), ServerName::IpAddress(IpAddr::V4(ip).into())),
        Some(url::Host::Ipv6(ip)) => (ip.to_string(), ServerName::IpAddress(IpAddr::V6(ip).into())),
        None => return Err(invalid("no host")),
    };
    Ok((host, server_name, port))
}

/// webpki roots plus the PEM certificates of `extra` (or `SSL_CERT_FILE`).
fn root_store(extra: Option<&Path>) -> Result<RootCertStore, ThumbprintError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let (path, explicit): (PathBuf, bool) = match extra {
        Some(p) => (p.to_path_buf(), true),
        None => match std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty()) {
            Some(p) => (PathBuf::from(p), false),
            None => return Ok(roots),
        },
    };
    let roots_error = |detail: String| ThumbprintError::Roots {
        path: path.display().to_string(),
        detail,
    };
    let certs = match CertificateDer::pem_file_iter(&path) {
        Ok(iter) => iter
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| roots_error(e.to_string()))?,
        Err(e) if explicit => return Err(roots_error(e.to_string())),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "ignoring unreadable SSL_CERT_FILE");
            return Ok(roots);
        }
    };
    let (added, _ignored) = roots.add_parsable_certificates(certs);
    if added == 0 && explicit {
        return Err(roots_error("no usable CERTIFICATE block".to_owned()));
    }
    Ok(roots)
}

/// A TLS failure on one line, with the usual remedy for untrusted certificates.
fn tls_detail(e: &std::io::Error) -> String {
    let text = e
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.contains("UnknownIssuer") || text.contains("invalid peer certificate") {
        format!("{text} (for a private CA, point SSL_CERT_FILE at its PEM certificate)")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprints_are_validated_and_normalised() {
        let t = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280";
        assert_eq!(validate_thumbprint(t).unwrap(), t.to_ascii_lowercase());
        let colons = "9E:99:A4:8A:99:60:B1:49:26:BB:7F:3B:02:E2:2D:A2:B0:AB:72:80";
        assert_eq!(validate_thumbprint(colons).unwrap(), t.to_ascii_lowercase());
        assert!(validate_thumbprint("abc").is_err());
        assert!(validate_thumbprint(&"g".repeat(40)).is_err());
        assert!(validate_thumbprint(&"a".repeat(41)).is_err());
    }

    #[test]
    fn issuer_urls_parse() {
        let (h, _, p) = parse_issuer("https://app.terraform.io").unwrap();
        assert_eq!((h.as_str(), p), ("app.terraform.io", 443));
        let (h, _, p) = parse_issuer("tfe.example.com:8443").unwrap();
        assert_eq!((h.as_str(), p), ("tfe.example.com", 8443));
        let (h, _, _) = parse_issuer("https://127.0.0.1:9999/").unwrap();
        assert_eq!(h, "127.0.0.1");
        assert!(parse_issuer("http://app.terraform.io").is_err());
    }

    #[test]
    fn unparseable_chains_fall_back_to_position() {
        assert_eq!(select_top_intermediate(&[] as &[CertificateDer<'_>]), 0);
        let junk = vec![
            CertificateDer::from(vec![1u8, 2, 3]),
            CertificateDer::from(vec![4u8, 5]),
        ];
        assert_eq!(select_top_intermediate(&junk), 1);
    }

    #[test]
    fn sha1_is_lowercase_hex() {
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }
}
