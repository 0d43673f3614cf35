//! Short human times for the inbox: `3d ago` for when something happened, `in 2d 4h` for how
//! long is left. "Now" is always passed in, so screens are reproducible in tests.

use chrono::{DateTime, Utc};

/// How long ago `then` was, in the largest whole unit: `just now`, `12m ago`, `5h ago`,
/// `3d ago`, `2y ago`; a time in the future (clock skew) reads `in 5m`.
pub fn ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds();
    if seconds < 0 {
        return format!("in {}", largest_unit(-seconds));
    }
    if seconds < 60 {
        return "just now".to_owned();
    }
    format!("{} ago", largest_unit(seconds))
}

fn largest_unit(seconds: i64) -> String {
    match seconds {
        s if s < 3_600 => format!("{}m", (s / 60).max(1)),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s if s < 365 * 86_400 => format!("{}d", s / 86_400),
        s => format!("{}y", s / (365 * 86_400)),
    }
}

/// Time left until `deadline`: `in 2d 4h`, `in 5h 12m`, `in 12m`, or `expired`.
pub fn time_left(deadline: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (deadline - now).num_seconds();
    if seconds <= 0 {
        return "expired".to_owned();
    }
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    if days > 0 {
        format!("in {days}d {hours}h")
    } else if hours > 0 {
        format!("in {hours}h {minutes}m")
    } else {
        format!("in {}m", minutes.max(1))
    }
}

/// Whether `deadline` is less than three days away (the inbox highlights these).
pub fn expires_soon(deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    deadline - now < chrono::Duration::days(3)
}

/// An absolute time for the detail pane: `2025-03-01 12:00 UTC`.
pub fn absolute(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_750_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn ago_uses_the_largest_whole_unit() {
        let now = at(0);
        assert_eq!(ago(at(-30), now), "just now");
        assert_eq!(ago(at(-12 * 60), now), "12m ago");
        assert_eq!(ago(at(-5 * 3600 - 59), now), "5h ago");
        assert_eq!(ago(at(-3 * 86_400), now), "3d ago");
        assert_eq!(ago(at(-800 * 86_400), now), "2y ago");
        assert_eq!(ago(at(300), now), "in 5m");
    }

    #[test]
    fn time_left_shows_two_units_and_expired() {
        let now = at(0);
        assert_eq!(time_left(at(2 * 86_400 + 4 * 3600 + 59), now), "in 2d 4h");
        assert_eq!(time_left(at(5 * 3600 + 12 * 60), now), "in 5h 12m");
        assert_eq!(time_left(at(30), now), "in 1m");
        assert_eq!(time_left(at(-1), now), "expired");
        assert!(expires_soon(at(2 * 86_400), now));
        assert!(!expires_soon(at(4 * 86_400), now));
    }
}
