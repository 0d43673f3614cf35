//! Client-side rate limiting: one token bucket for reads and one for writes, so a busy inbox
//! stays under the service's quotas instead of collecting ThrottlingExceptions.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::model::Operation;

/// Client-side request rate limits, per second (the service's quotas are 10 reads, 1 write).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimits {
    pub reads_per_second: f64,
    pub writes_per_second: f64,
}

impl RateLimits {
    /// The service's published quotas.
    pub const SERVICE_QUOTAS: RateLimits = RateLimits {
        reads_per_second: 10.0,
        writes_per_second: 1.0,
    };
}

/// The limits to use unless the user says otherwise: the service's quotas when calling the
/// service itself, none for an emulator or another endpoint.
pub fn default_rate_limits(is_default_service_endpoint: bool) -> Option<RateLimits> {
    is_default_service_endpoint.then_some(RateLimits::SERVICE_QUOTAS)
}

/// Spaces calls evenly at a fixed rate (a bucket of one token): the next call may start one
/// interval after the previous one was allowed.
#[derive(Debug)]
pub struct TokenBucket {
    interval: Duration,
    next_free: Mutex<Option<Instant>>,
}

impl TokenBucket {
    /// `None` for a rate that is not a positive number (no limit).
    pub fn new(per_second: f64) -> Option<TokenBucket> {
        (per_second.is_finite() && per_second > 0.0).then(|| TokenBucket {
            interval: Duration::from_secs_f64(1.0 / per_second),
            next_free: Mutex::new(None),
        })
    }

    /// Waits until this call may go. Waiters reserve their slot first and then sleep, so
    /// concurrent callers are spaced one interval apart in arrival order.
    pub async fn acquire(&self) {
        let slot = {
            let mut next_free = self.next_free.lock().await;
            let now = Instant::now();
            let slot = next_free.map_or(now, |free| free.max(now));
            *next_free = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// The read and write buckets of one client.
#[derive(Debug)]
pub struct RateLimiter {
    reads: Option<TokenBucket>,
    writes: Option<TokenBucket>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> RateLimiter {
        RateLimiter {
            reads: TokenBucket::new(limits.reads_per_second),
            writes: TokenBucket::new(limits.writes_per_second),
        }
    }

    /// Waits for a token of the operation's kind (writes: create, accept, reject).
    pub async fn acquire(&self, operation: Operation) {
        let bucket = if operation.is_write() {
            &self.writes
        } else {
            &self.reads
        };
        if let Some(bucket) = bucket {
            bucket.acquire().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_only_for_the_service_endpoint() {
        assert_eq!(default_rate_limits(true), Some(RateLimits::SERVICE_QUOTAS));
        assert_eq!(default_rate_limits(false), None);
    }

    /// Virtual times of `count` acquisitions of `operation`, all started at once.
    async fn acquisition_times(
        limiter: &std::sync::Arc<RateLimiter>,
        operation: Operation,
        count: usize,
    ) -> Vec<Duration> {
        let start = Instant::now();
        let waits = (0..count).map(|_| {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                limiter.acquire(operation).await;
                start.elapsed()
            })
        });
        let mut times = Vec::new();
        for wait in waits.collect::<Vec<_>>() {
            times.push(wait.await.unwrap());
        }
        times.sort();
        times
    }

    #[tokio::test(start_paused = true)]
    async fn reads_and_writes_are_spaced_separately() {
        let limiter = std::sync::Arc::new(RateLimiter::new(RateLimits::SERVICE_QUOTAS));
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        let reads = acquisition_times(&limiter, Operation::GetEngagementInvitation, 5).await;
        assert_eq!(reads, ms(&[0, 100, 200, 300, 400]));
        // The read bucket is busy until 500 ms; writes have their own.
        let writes = acquisition_times(&limiter, Operation::AcceptEngagementInvitation, 3).await;
        assert_eq!(writes, ms(&[0, 1000, 2000]));
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_bucket_does_not_save_up_a_burst() {
        let bucket = TokenBucket::new(2.0).unwrap();
        bucket.acquire().await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        let start = Instant::now();
        bucket.acquire().await;
        bucket.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_millis(500));
    }

    #[test]
    fn nonsense_rates_mean_no_limit() {
        assert!(TokenBucket::new(0.0).is_none());
        assert!(TokenBucket::new(-1.0).is_none());
        assert!(TokenBucket::new(f64::NAN).is_none());
    }
}
