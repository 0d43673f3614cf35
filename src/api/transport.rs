//! The HTTP connection pool the client sends through: timeouts, trusted roots (the system's,
//! plus `AWS_CA_BUNDLE` as the AWS CLI reads it), and readable transport errors.

use std::path::Path;
use std::time::Duration;

use super::error::error_chain;

/// The AWS CLI's variable naming a PEM bundle of extra trusted roots (corporate proxies).
pub const CA_BUNDLE_ENV: &str = "AWS_CA_BUNDLE";

/// The trusted roots of a PEM bundle file; the error names the file and what is wrong.
pub fn load_ca_bundle(path: &Path) -> Result<Vec<reqwest::Certificate>, String> {
    let pem =
        std::fs::read(path).map_err(|e| format!("{CA_BUNDLE_ENV} `{}`: {e}", path.display()))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| format!("{CA_BUNDLE_ENV} `{}`: {}", path.display(), error_chain(&e)))?;
    if certificates.is_empty() {
        return Err(format!(
            "{CA_BUNDLE_ENV} `{}` holds no PEM certificate",
            path.display()
        ));
    }
    Ok(certificates)
}

/// A pool with the given timeouts that trusts the system's roots and `extra_roots`.
pub fn http_client(
    connect_timeout: Duration,
    read_timeout: Duration,
    extra_roots: Vec<reqwest::Certificate>,
) -> Result<reqwest::Client, String> {
    builder(connect_timeout, read_timeout)
        .tls_certs_merge(extra_roots)
        .build()
        .map_err(|e| describe(&e))
}

/// Settings every pool shares. Redirects are not followed: the service never redirects, and a
/// proxy's or portal's redirect must show as that, not as an HTML page to decode.
fn builder(connect_timeout: Duration, read_timeout: Duration) -> reqwest::ClientBuilder {
    // reqwest is built without a crypto provider of its own: ring, installed once for the
    // process (an error only means it already is).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("pcinbox/", env!("CARGO_PKG_VERSION")))
}

/// A pool for tests and emulators reached over HTTPS that builds even where the system has no CA
/// certificates; HTTPS through it then fails at the handshake with a clear error.
pub fn local_http_client(connect_timeout: Duration, read_timeout: Duration) -> reqwest::Client {
    http_client(connect_timeout, read_timeout, Vec::new()).unwrap_or_else(|error| {
        tracing::warn!(%error, "no usable system CA certificates; HTTPS endpoints will fail");
        plain_http_client(connect_timeout, read_timeout)
    })
}

/// A pool for plain-HTTP endpoints (the emulator, `--endpoint-url http://…`). It trusts no roots:
/// plain HTTP needs none and redirects are not followed, while reading the system's roots costs
/// about 10 ms at every start (hundreds of PEM files). HTTPS through it fails at the handshake
/// with a clear error.
pub fn plain_http_client(connect_timeout: Duration, read_timeout: Duration) -> reqwest::Client {
    builder(connect_timeout, read_timeout)
        .tls_certs_only([])
        .build()
        .expect("a pool trusting no roots needs nothing from the system")
}

/// Whether `endpoint` is plain HTTP (no TLS, so no trusted roots needed).
pub fn is_plain_http(endpoint: &str) -> bool {
    reqwest::Url::parse(endpoint).is_ok_and(|url| url.scheme() == "http")
}

/// A reqwest error with its causes ("connection closed before message completed", …).
pub fn describe(error: &reqwest::Error) -> String {
    let chain = error_chain(error);
    if error.is_timeout() && !chain.contains("timed out") {
        format!("timed out: {chain}")
    } else {
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_endpoints_are_plain() {
        assert!(is_plain_http("http://127.0.0.1:4566"));
        assert!(is_plain_http("HTTP://localhost/"));
        assert!(!is_plain_http(
            "https://partnercentral-selling.us-east-1.api.aws"
        ));
        assert!(!is_plain_http("not a url"));
    }

    #[test]
    fn unreadable_or_empty_bundles_are_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let error = load_ca_bundle(&missing).unwrap_err();
        assert!(
            error.contains(CA_BUNDLE_ENV) && error.contains("missing.pem"),
            "{error}"
        );

        let garbage = dir.path().join("garbage.pem");
        std::fs::write(&garbage, "not a certificate").unwrap();
        let error = load_ca_bundle(&garbage).unwrap_err();
        assert!(error.contains("garbage.pem"), "{error}");
    }
}
