//! When and how long to wait before retrying, like botocore's `standard` retry mode: throttling
//! and transient failures are retried with full-jitter exponential backoff, everything else is
//! returned at once.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;

use super::Error;

/// Error codes that mean "slow down" (botocore's throttling codes).
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of failures that may pass on their own.
const TRANSIENT_CODES: &[&str] = &[
    "InternalServerException",
    "RequestTimeout",
    "RequestTimeoutException",
];

/// HTTP statuses retried whatever the code.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Why a failed attempt may be retried; throttling backs off longer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    Throttling,
    Transient,
}

/// Whether a service error is worth retrying, and how. Transport failures are classified where
/// they happen (the client), since only it knows whether the request could have left.
pub fn classify(error: &Error) -> Option<RetryKind> {
    match error {
        Error::Throttling { .. } => Some(RetryKind::Throttling),
        Error::InternalServer { .. } => Some(RetryKind::Transient),
        Error::Unknown { code, status, .. } => {
            if THROTTLING_CODES.contains(&code.as_str()) || *status == 429 {
                Some(RetryKind::Throttling)
            } else if TRANSIENT_CODES.contains(&code.as_str())
                || TRANSIENT_STATUSES.contains(status)
            {
                Some(RetryKind::Transient)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Waits between attempts; injectable so tests record the delays instead of sleeping.
pub trait Sleeper: Send + Sync + fmt::Debug {
    fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()>;
}

/// Sleeps on the tokio timer.
#[derive(Debug, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(delay))
    }
}

/// Backoff settings. Attempts are bounded by `ClientConfig::max_attempts`.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// First backoff bound after a throttling error (doubles per attempt).
    pub throttling_base: Duration,
    /// First backoff bound after a transient error (doubles per attempt).
    pub transient_base: Duration,
    /// No single wait is longer than this, `x-amz-retry-after` included.
    pub max_backoff: Duration,
    pub sleeper: Arc<dyn Sleeper>,
}

impl Default for RetryPolicy {
    /// botocore's standard mode: 1 s for throttling, 50 ms otherwise, at most 20 s.
    fn default() -> Self {
        RetryPolicy {
            throttling_base: Duration::from_secs(1),
            transient_base: Duration::from_millis(50),
            max_backoff: Duration::from_secs(20),
            sleeper: Arc::new(TokioSleeper),
        }
    }
}

impl RetryPolicy {
    /// How long to wait after failed attempt number `attempt` (1-based): the service's
    /// `x-amz-retry-after` when it gave one, else a random full-jitter backoff.
    pub fn delay(&self, kind: RetryKind, attempt: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(wait) => wait.min(self.max_backoff),
            None => self.backoff(kind, attempt, rand::random::<f64>()),
        }
    }

    /// Full jitter: `fraction` (in 0..1) of `min(cap, base * 2^(attempt-1))`.
    pub fn backoff(&self, kind: RetryKind, attempt: u32, fraction: f64) -> Duration {
        let base = match kind {
            RetryKind::Throttling => self.throttling_base,
            RetryKind::Transient => self.transient_base,
        };
        let exponent = attempt.saturating_sub(1).min(30);
        let bound = base.saturating_mul(1u32 << exponent).min(self.max_backoff);
        bound.mul_f64(fraction.clamp(0.0, 1.0))
    }
}

/// The `x-amz-retry-after` header (milliseconds), if present and a number.
pub fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get("x-amz-retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(code: &str, status: u16) -> Error {
        Error::Unknown {
            code: code.into(),
            status,
            message: String::new(),
        }
    }

    #[test]
    fn classification_follows_codes_then_statuses() {
        assert_eq!(
            classify(&Error::Throttling {
                message: String::new()
            }),
            Some(RetryKind::Throttling)
        );
        for code in THROTTLING_CODES {
            assert_eq!(classify(&unknown(code, 400)), Some(RetryKind::Throttling));
        }
        assert_eq!(
            classify(&unknown("HttpError", 429)),
            Some(RetryKind::Throttling)
        );
        for status in [500, 502, 503, 504] {
            assert_eq!(
                classify(&unknown("HttpError", status)),
                Some(RetryKind::Transient)
            );
        }
        assert_eq!(
            classify(&Error::InternalServer {
                message: String::new()
            }),
            Some(RetryKind::Transient)
        );
        assert_eq!(classify(&unknown("HttpError", 501)), None);
        assert_eq!(
            classify(&Error::Conflict {
                message: String::new()
            }),
            None
        );
        assert_eq!(classify(&Error::Decode(String::new())), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let full = |kind, attempt| policy.backoff(kind, attempt, 1.0);
        assert_eq!(full(RetryKind::Transient, 1), Duration::from_millis(50));
        assert_eq!(full(RetryKind::Transient, 3), Duration::from_millis(200));
        assert_eq!(full(RetryKind::Throttling, 1), Duration::from_secs(1));
        assert_eq!(full(RetryKind::Throttling, 5), Duration::from_secs(16));
        assert_eq!(full(RetryKind::Throttling, 6), Duration::from_secs(20));
        assert_eq!(full(RetryKind::Throttling, 99), Duration::from_secs(20));
        assert_eq!(
            policy.backoff(RetryKind::Throttling, 2, 0.25),
            Duration::from_millis(500)
        );
        assert_eq!(
            policy.backoff(RetryKind::Throttling, 2, 0.0),
            Duration::ZERO
        );
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(RetryKind::Transient, 1, Some(Duration::from_millis(1500))),
            Duration::from_millis(1500)
        );
        assert_eq!(
            policy.delay(RetryKind::Transient, 1, Some(Duration::from_secs(3600))),
            Duration::from_secs(20)
        );
        let jittered = policy.delay(RetryKind::Transient, 1, None);
        assert!(jittered <= Duration::from_millis(50), "{jittered:?}");
    }

    #[test]
    fn retry_after_header_is_milliseconds() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amz-retry-after", "250".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(250)));
        headers.insert("x-amz-retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
