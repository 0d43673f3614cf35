//! Where the client's AWS credentials come from (aws-config's chain: environment, profiles,
//! SSO, `credential_process`, …) and the cache that refreshes them before they expire; the
//! chain itself fetches anew on every call.

use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::Credentials;
use aws_credential_types::credential_fn::provide_credentials_fn;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use tokio::sync::Mutex;

use super::Error;
use super::error::error_chain;

/// Credentials are refreshed this long before they expire (as the AWS SDKs do).
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(5 * 60);

/// Fixed credentials for the emulator and tests.
#[derive(Clone, Debug)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl From<StaticCredentials> for Credentials {
    fn from(c: StaticCredentials) -> Credentials {
        Credentials::new(
            c.access_key_id,
            c.secret_access_key,
            c.session_token,
            None,
            "pcinbox-static",
        )
    }
}

/// Where credentials come from, the way the AWS CLI reads them (SSO, `credential_process`,
/// assumed roles included).
///
/// `profile` is a profile named on the command line: as in the AWS CLI (botocore drops its
/// environment provider then), it beats `AWS_ACCESS_KEY_ID` and friends, so `--profile prod`
/// never signs with keys left in the shell. `None` is the default chain: environment, then
/// `AWS_PROFILE` (or `default`), then container and instance roles.
pub async fn default_provider(profile: Option<&str>, region: &str) -> SharedCredentialsProvider {
    // Without a profile the chain's answer is the environment's keys when they are set; then
    // building the rest of it (profile files, an HTTPS client for SSO and IMDS that reads every
    // system root certificate) is skipped: several milliseconds of every scripted call.
    if profile.is_none()
        && let Some(credentials) = environment_credentials(&|name| std::env::var(name).ok())
    {
        return SharedCredentialsProvider::new(credentials);
    }
    let region = aws_config::Region::new(region.to_owned());
    if let Some(profile) = profile {
        let config = ProviderConfig::default()
            .with_http_client(sdk_http_client())
            .with_region(Some(region))
            .with_behavior_version(Some(BehaviorVersion::latest()));
        return SharedCredentialsProvider::new(
            ProfileFileCredentialsProvider::builder()
                .configure(&config)
                .profile_name(profile)
                .build(),
        );
    }
    let sdk_config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(sdk_http_client())
        .region(region)
        .load()
        .await;
    match sdk_config.credentials_provider() {
        Some(provider) => provider,
        None => no_credentials(),
    }
}

/// The HTTPS client the chain fetches with (SSO, STS, instance metadata): rustls on ring, the
/// crypto library of pcinbox's own requests, instead of aws-config's default on aws-lc, so the
/// binary carries one TLS implementation.
fn sdk_http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, as the chain's
/// environment provider reads them; `None` unless both keys are set.
fn environment_credentials(env: &dyn Fn(&str) -> Option<String>) -> Option<Credentials> {
    let set = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    Some(Credentials::new(
        set("AWS_ACCESS_KEY_ID")?,
        set("AWS_SECRET_ACCESS_KEY")?,
        set("AWS_SESSION_TOKEN"),
        None,
        "Environment",
    ))
}

/// Whether the service refused the request because its credentials expired.
pub fn is_expired_token_error(error: &Error) -> bool {
    matches!(
        error.code(),
        "ExpiredTokenException" | "ExpiredToken" | "TokenRefreshRequired"
    )
}

/// Stands in when aws-config has no chain at all, so the failure surfaces on the first call.
fn no_credentials() -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(provide_credentials_fn(|| async {
        Err(CredentialsError::not_loaded(
            "no credentials provider is configured",
        ))
    }))
}

/// Caches a provider's credentials until `refresh_before` ahead of their expiry; concurrent
/// callers share one refresh.
#[derive(Debug)]
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    refresh_before: Duration,
    cached: Mutex<Option<Credentials>>,
}

impl CredentialsCache {
    pub fn new(provider: SharedCredentialsProvider) -> CredentialsCache {
        CredentialsCache::with_refresh_before(provider, DEFAULT_REFRESH_BEFORE)
    }

    pub fn with_refresh_before(
        provider: SharedCredentialsProvider,
        refresh_before: Duration,
    ) -> CredentialsCache {
        CredentialsCache {
            provider,
            refresh_before,
            cached: Mutex::new(None),
        }
    }

    /// Valid credentials: the cached ones, or fresh ones from the provider.
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        // Holding the lock across the fetch makes concurrent callers wait for one refresh.
        let mut cached = self.cached.lock().await;
        if let Some(credentials) = cached.as_ref()
            && self.is_fresh(credentials)
        {
            return Ok(credentials.clone());
        }
        let fresh = self
            .provider
            .provide_credentials()
            .await
            .map_err(|e| Error::Credentials(error_chain(&e)))?;
        tracing::debug!(
            expires_in_s = fresh.expiry().and_then(|e| e
                .duration_since(SystemTime::now())
                .ok()
                .map(|d| d.as_secs())),
            "fetched AWS credentials"
        );
        *cached = Some(fresh.clone());
        Ok(fresh)
    }

    /// Drops the cached credentials, so the next call fetches new ones (after the service said
    /// they expired, which a local clock running behind does not see coming).
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }

    fn is_fresh(&self, credentials: &Credentials) -> bool {
        match credentials.expiry() {
            None => true,
            Some(expiry) => SystemTime::now()
                .checked_add(self.refresh_before)
                .is_some_and(|refresh_at| refresh_at < expiry),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::api::env_of;

    #[test]
    fn environment_keys_are_read_only_when_both_are_set() {
        let both = env_of(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ]);
        let credentials = environment_credentials(&both).expect("both keys set");
        assert_eq!(credentials.access_key_id(), "AKID");
        assert_eq!(credentials.secret_access_key(), "SECRET");
        assert_eq!(credentials.session_token(), Some("TOKEN"));
        assert!(environment_credentials(&env_of(&[("AWS_ACCESS_KEY_ID", "AKID")])).is_none());
        let empty = env_of(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", " "),
        ]);
        assert!(environment_credentials(&empty).is_none());
    }

    /// A cache over a provider handing out credentials expiring `lifetime` from now, numbered
    /// by call, and the count of its calls.
    fn cache_of(lifetime: Duration) -> (Arc<AtomicU32>, CredentialsCache) {
        let calls = Arc::new(AtomicU32::new(0));
        let counter = calls.clone();
        let provider = provide_credentials_fn(move || {
            let call = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let credentials = Credentials::new(
                format!("AKID{call}"),
                "SECRET",
                None,
                Some(SystemTime::now() + lifetime),
                "test",
            );
            async move { Ok(credentials) }
        });
        let cache = CredentialsCache::new(SharedCredentialsProvider::new(provider));
        (calls, cache)
    }

    #[tokio::test]
    async fn long_lived_credentials_are_fetched_once() {
        let (calls, cache) = cache_of(Duration::from_secs(3600));
        for _ in 0..3 {
            assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn credentials_near_expiry_are_refreshed_before_use() {
        // Four minutes left is inside the five-minute refresh window.
        let (calls, cache) = cache_of(Duration::from_secs(4 * 60));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID1");
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_missing_chain_is_a_credentials_error() {
        let cache = CredentialsCache::new(no_credentials());
        let error = cache.credentials().await.unwrap_err();
        assert!(matches!(error, Error::Credentials(_)));
        let text = error.to_string();
        assert!(
            text.contains("no credentials provider") && text.contains("--local"),
            "{text}"
        );
    }
}
