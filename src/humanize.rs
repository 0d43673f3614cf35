//! Times and widths for people: "3d ago", "in 2d 4h", and cell truncation by display width.
//! Shared by the inbox and the CLI's table output so both say the same thing.

use chrono::{DateTime, Utc};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `then` relative to `now`, in its largest unit: `just now`, `5m ago`, `3h ago`, `12d ago`,
/// `in 4h`; past a year, the date itself.
pub fn relative(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds();
    let magnitude = seconds.unsigned_abs();
    if magnitude < 60 {
        return "just now".to_owned();
    }
    if magnitude >= 365 * 86_400 {
        return then.format("%Y-%m-%d").to_string();
    }
    let amount = match magnitude {
        m if m < 3_600 => format!("{}m", m / 60),
        m if m < 86_400 => format!("{}h", m / 3_600),
        m => format!("{}d", m / 86_400),
    };
    if seconds >= 0 {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

/// Time left until `deadline`, two units when it helps: `2d 4h`, `5h 10m`, `45m`, `expired`.
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
    match (days, hours) {
        (0, 0) => format!("{}m", minutes.max(1)),
        (0, h) => format!("{h}h {minutes}m"),
        (d, h) => format!("{d}d {h}h"),
    }
}

/// Whether `deadline` is less than three days away (the inbox and tables highlight these).
pub fn expires_soon(deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    deadline - now < chrono::Duration::days(3)
}

/// An absolute time for reading: `2025-03-01 12:00 UTC`.
pub fn absolute(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A time of day for "listed at": `14:02 UTC`.
pub fn clock(time: DateTime<Utc>) -> String {
    time.format("%H:%M UTC").to_string()
}

/// Cuts `text` to at most `width` terminal columns, ending in `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
    }

    #[test]
    fn relative_uses_the_largest_unit() {
        let cases = [
            (Duration::seconds(20), "just now"),
            (Duration::minutes(5), "5m ago"),
            (Duration::hours(3), "3h ago"),
            (Duration::days(12), "12d ago"),
            (Duration::hours(-4), "in 4h"),
            (Duration::days(400), "2025-10-19"),
        ];
        for (ago, expected) in cases {
            assert_eq!(relative(now() - ago, now()), expected);
        }
    }

    #[test]
    fn time_left_shows_two_units() {
        let at = |d| now() + d;
        assert_eq!(time_left(at(Duration::hours(52)), now()), "2d 4h");
        assert_eq!(time_left(at(Duration::minutes(310)), now()), "5h 10m");
        assert_eq!(time_left(at(Duration::seconds(30)), now()), "1m");
        assert_eq!(time_left(at(Duration::seconds(-1)), now()), "expired");
        assert!(expires_soon(at(Duration::days(2)), now()));
        assert!(!expires_soon(at(Duration::days(4)), now()));
    }

    #[test]
    fn truncate_counts_display_columns() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("株式会社サクラ", 7), "株式会…");
        assert_eq!(truncate("abcdefgh", 5), "abcd…");
    }
}
