//! The footer's message: what just happened (information) or what went wrong (an error).
//!
//! Information clears after a few seconds, or at once when the next command makes it stale
//! ("Copied …" is old news after a view switch); an error stays until the next command, so it
//! is not missed while the user looks elsewhere.

use chrono::{DateTime, Duration, Utc};

/// How long information stays in the footer.
pub const INFO_SECONDS: i64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

/// One footer message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub kind: MessageKind,
    /// When information goes; `None` for an error.
    pub until: Option<DateTime<Utc>>,
}

impl Message {
    pub fn info(text: impl Into<String>, now: DateTime<Utc>) -> Message {
        Message {
            text: text.into(),
            kind: MessageKind::Info,
            until: Some(now + Duration::seconds(INFO_SECONDS)),
        }
    }

    pub fn error(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            kind: MessageKind::Error,
            until: None,
        }
    }

    /// Whether the message is over at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.until.is_some_and(|until| until <= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures::NOW;

    #[test]
    fn information_expires_and_errors_do_not() {
        let info = Message::info("Copied", *NOW);
        assert!(!info.expired(*NOW + Duration::seconds(INFO_SECONDS - 1)));
        assert!(info.expired(*NOW + Duration::seconds(INFO_SECONDS)));
        assert!(!Message::error("failed").expired(*NOW + Duration::days(1)));
    }
}
