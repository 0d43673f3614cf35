//! Clock-skew correction, as the AWS SDKs do it: when the service rejects a signature because
//! the local clock is off, the offset to the service's `Date` header is kept and later requests
//! are signed with the corrected time.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use super::Error;

/// Smaller changes are the `Date` header's one-second resolution, not a real correction.
const MIN_CORRECTION_MS: i64 = 1_000;

/// The offset (service time minus local time) the client signs with.
#[derive(Debug, Default)]
pub struct ClockSkew {
    offset_ms: AtomicI64,
}

impl ClockSkew {
    /// Local time corrected by the known offset.
    pub fn now(&self) -> SystemTime {
        apply_offset(SystemTime::now(), self.offset_ms.load(Ordering::Relaxed))
    }

    /// The current offset in milliseconds (positive: the service is ahead).
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Sets the offset from the service's time observed at local time `local`; whether it
    /// changed enough that re-signing can help.
    pub fn correct(&self, server: SystemTime, local: SystemTime) -> bool {
        let offset = signed_millis_between(local, server);
        let previous = self.offset_ms.swap(offset, Ordering::Relaxed);
        (offset - previous).abs() >= MIN_CORRECTION_MS
    }
}

fn signed_millis_between(from: SystemTime, to: SystemTime) -> i64 {
    match to.duration_since(from) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
        Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

fn apply_offset(time: SystemTime, offset_ms: i64) -> SystemTime {
    let magnitude = Duration::from_millis(offset_ms.unsigned_abs());
    let shifted = if offset_ms >= 0 {
        time.checked_add(magnitude)
    } else {
        time.checked_sub(magnitude)
    };
    shifted.unwrap_or(time)
}

/// Whether the service refused the request because of the signing time.
pub fn is_skew_error(error: &Error) -> bool {
    let code = error.code();
    let message = error.message().unwrap_or_default().to_ascii_lowercase();
    match code {
        "RequestTimeTooSkewed" | "RequestExpired" | "RequestInTheFuture" => true,
        "InvalidSignatureException" | "SignatureDoesNotMatch" | "AuthFailure" => {
            message.contains("signature expired")
                || message.contains("not yet current")
                || message.contains("skew")
                || (code == "SignatureDoesNotMatch" && message.contains("time"))
        }
        _ => false,
    }
}

/// An HTTP `Date` header (IMF-fixdate, e.g. `Mon, 23 Nov 2026 09:23:32 GMT`).
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    chrono::DateTime::parse_from_rfc2822(value.trim())
        .ok()
        .map(|t| SystemTime::from(t.with_timezone(&chrono::Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(code: &str, message: &str) -> Error {
        Error::Unknown {
            code: code.into(),
            status: 403,
            message: message.into(),
        }
    }

    #[test]
    fn recognises_skew_errors_only() {
        assert!(is_skew_error(&unknown(
            "InvalidSignatureException",
            "Signature expired: 20260101T000000Z is now earlier than 20260101T001000Z"
        )));
        assert!(is_skew_error(&unknown("RequestTimeTooSkewed", "")));
        assert!(is_skew_error(&unknown(
            "SignatureDoesNotMatch",
            "Signature not valid at this time"
        )));
        assert!(!is_skew_error(&unknown(
            "InvalidSignatureException",
            "The request signature we calculated does not match"
        )));
        assert!(!is_skew_error(&Error::AccessDenied {
            message: "Signature expired".into(),
            reason: None
        }));
    }

    #[test]
    fn offset_follows_the_service_clock() {
        let skew = ClockSkew::default();
        let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(skew.correct(local + Duration::from_secs(3600), local));
        assert_eq!(skew.offset_ms(), 3_600_000);
        assert!(!skew.correct(local + Duration::from_millis(3_600_500), local));
        assert!(skew.correct(local - Duration::from_secs(600), local));
        assert_eq!(skew.offset_ms(), -600_000);
        assert_eq!(
            apply_offset(local, skew.offset_ms()),
            local - Duration::from_secs(600)
        );
    }

    #[test]
    fn parses_http_dates() {
        let parsed = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            parsed,
            SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777)
        );
        assert!(parse_http_date("yesterday").is_none());
    }
}
