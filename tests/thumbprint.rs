//! `compute_thumbprint` against a local TLS server presenting an rcgen-made chain
//! (root CA → intermediate CA → leaf for localhost / 127.0.0.1).

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tfc_oidc::aws::thumbprint::{
    compute_thumbprint, select_top_intermediate, sha1_hex, ThumbprintError,
};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

struct Pki {
    root: CertificateDer<'static>,
    root_pem: String,
    intermediate: CertificateDer<'static>,
    leaf: CertificateDer<'static>,
    leaf_key: PrivateKeyDer<'static>,
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params
}

fn make_pki() -> Pki {
    let root = CertifiedIssuer::self_signed(
        ca_params("tfc-oidc test root CA"),
        KeyPair::generate().unwrap(),
    )
    .unwrap();
    let intermediate = CertifiedIssuer::signed_by(
        ca_params("tfc-oidc test intermediate CA"),
        KeyPair::generate().unwrap(),
        &root,
    )
    .unwrap();
    let mut leaf_params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &intermediate).unwrap();
    Pki {
        root: root.der().clone(),
        root_pem: root.pem(),
        intermediate: intermediate.der().clone(),
        leaf: leaf.der().clone(),
        leaf_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    }
}

/// Serves TLS on 127.0.0.1 with `chain`, for as many handshakes as come; returns the port.
async fn serve(chain: Vec<CertificateDer<'static>>, key: PrivateKeyDer<'static>) -> u16 {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    port
}

fn roots_file(pem: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut f, pem.as_bytes()).unwrap();
    f
}

#[tokio::test]
async fn leaf_and_intermediate_gives_the_intermediate() {
    let pki = make_pki();
    let port = serve(
        vec![pki.leaf.clone(), pki.intermediate.clone()],
        pki.leaf_key.clone_key(),
    )
    .await;
    let roots = roots_file(&pki.root_pem);
    let expected = sha1_hex(&pki.intermediate);
    for url in [
        format!("https://localhost:{port}"),
        format!("https://127.0.0.1:{port}/"),
        format!("localhost:{port}"),
    ] {
        let got = compute_thumbprint(&url, Some(roots.path())).await.unwrap();
        assert_eq!(got, expected, "{url}");
        assert_eq!(got.len(), 40);
        assert!(got
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    }
}

#[tokio::test]
async fn a_root_sent_along_is_skipped() {
    let pki = make_pki();
    let chain = vec![pki.leaf.clone(), pki.intermediate.clone(), pki.root.clone()];
    let port = serve(chain, pki.leaf_key.clone_key()).await;
    let roots = roots_file(&pki.root_pem);
    let got = compute_thumbprint(&format!("https://localhost:{port}"), Some(roots.path()))
        .await
        .unwrap();
    assert_eq!(got, sha1_hex(&pki.intermediate));
    assert_ne!(got, sha1_hex(&pki.root));
}

#[tokio::test]
async fn an_untrusted_chain_is_refused() {
    let pki = make_pki();
    let port = serve(
        vec![pki.leaf.clone(), pki.intermediate.clone()],
        pki.leaf_key.clone_key(),
    )
    .await;
    // Another, unrelated root: the server's chain does not lead to it.
    let other = make_pki();
    let roots = roots_file(&other.root_pem);
    let err = compute_thumbprint(&format!("https://localhost:{port}"), Some(roots.path()))
        .await
        .unwrap_err();
    assert!(matches!(err, ThumbprintError::Tls { .. }), "{err:?}");
    assert!(!err.to_string().contains('\n'));
}

/// The HCP Terraform client's TLS (rustls on ring, the system's roots) handshakes and checks the
/// chain: a server whose root is not trusted is refused with a certificate error, not a panic.
#[tokio::test]
async fn the_hcp_terraform_client_checks_the_chain_over_tls() {
    let pki = make_pki();
    let key = pki.leaf_key.clone_key();
    let port = serve(vec![pki.leaf.clone(), pki.intermediate.clone()], key).await;
    let http = tfc_oidc::tfc::TfcClient::http_client().unwrap();
    let url = format!("https://localhost:{port}/api/v2/ping");
    let err = http.get(url).send().await.unwrap_err();
    let text = format!("{err:?}");
    assert!(
        text.contains("UnknownIssuer") || text.to_lowercase().contains("certificate"),
        "{text}"
    );
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let pki = make_pki();
    let roots = roots_file(&pki.root_pem);
    let err = compute_thumbprint(&format!("https://127.0.0.1:{port}"), Some(roots.path()))
        .await
        .unwrap_err();
    assert!(matches!(err, ThumbprintError::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn a_missing_roots_file_is_reported() {
    let err = compute_thumbprint(
        "https://localhost:1",
        Some(std::path::Path::new("/nonexistent/roots.pem")),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ThumbprintError::Roots { .. }), "{err:?}");
}

#[test]
fn selection_on_static_chains() {
    let pki = make_pki();
    // Leaf only: the leaf.
    assert_eq!(select_top_intermediate(std::slice::from_ref(&pki.leaf)), 0);
    // Leaf + intermediate: the intermediate.
    assert_eq!(
        select_top_intermediate(&[pki.leaf.clone(), pki.intermediate.clone()]),
        1
    );
    // Leaf + intermediate + root: still the intermediate.
    assert_eq!(
        select_top_intermediate(&[pki.leaf.clone(), pki.intermediate.clone(), pki.root.clone()]),
        1
    );
    // Leaf + root (no intermediate sent): the leaf.
    assert_eq!(
        select_top_intermediate(&[pki.leaf.clone(), pki.root.clone()]),
        0
    );
    // Out of order: leaf, root, intermediate: the intermediate (found through its issuer link).
    assert_eq!(
        select_top_intermediate(&[pki.leaf.clone(), pki.root.clone(), pki.intermediate.clone()]),
        2
    );
    // A lone self-signed certificate.
    assert_eq!(select_top_intermediate(std::slice::from_ref(&pki.root)), 0);
}
