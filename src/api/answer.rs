//! Accepting or rejecting an invitation so the user learns what really happened.
//!
//! Accept and reject are not idempotent: when the response to one is lost and the client retries,
//! the retry meets a `ConflictException` (`Error::ConflictOnRetry`) although the first attempt
//! took effect. So on a conflict the invitation is read again and its true status decides the
//! outcome; a conflict on the first attempt is still an error, now with the invitation's status.
//! The CLI and the inbox's worker both answer through [`settle`].

use std::future::Future;

use super::Error;
use super::model::{EngagementInvitation, InvitationStatus};

/// How an accept or reject ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settled {
    /// The answer took effect.
    Done,
    /// The service said `ConflictException`, but the invitation has the status asked for: an
    /// earlier attempt whose response was lost took effect.
    Confirmed,
    /// The invitation was already answered (or expired) before this answer: it did not take
    /// effect, and `status` is what the invitation is.
    Already {
        status: InvitationStatus,
        conflict: String,
    },
}

impl Settled {
    /// The status the invitation has now, given the one that was asked for.
    pub fn status(&self, wanted: &InvitationStatus) -> InvitationStatus {
        match self {
            Settled::Already { status, .. } => status.clone(),
            Settled::Done | Settled::Confirmed => wanted.clone(),
        }
    }

    /// What to tell the user, e.g. `Accepted engi-1` or
    /// `engi-1 was not accepted: it is already REJECTED (ConflictException: …)`.
    pub fn describe(&self, wanted: &InvitationStatus, id: &str) -> String {
        let (verb, done) = if *wanted == InvitationStatus::Accepted {
            ("Accepted", "accepted")
        } else {
            ("Rejected", "rejected")
        };
        match self {
            Settled::Done => format!("{verb} {id}"),
            Settled::Confirmed => format!(
                "{verb} {id} (a retry was refused, but reading it again shows it is {wanted}: \
                 the first attempt went through)"
            ),
            Settled::Already { status, conflict } if status == wanted => {
                format!(
                    "{id} was already {status}; nothing changed (ConflictException: {conflict})"
                )
            }
            Settled::Already { status, conflict } => format!(
                "{id} was not {done}: it is already {status} (ConflictException: {conflict})"
            ),
        }
    }
}

/// Runs `answer` (an accept or reject asking for status `wanted`); on a `ConflictException`,
/// reads the invitation again with `reread` and reports its true status. Any other error, or a
/// conflict the re-read cannot explain, is returned as it is.
pub async fn settle<A, R>(
    wanted: InvitationStatus,
    answer: A,
    reread: impl FnOnce() -> R,
) -> Result<Settled, Error>
where
    A: Future<Output = Result<(), Error>>,
    R: Future<Output = Result<EngagementInvitation, Error>>,
{
    let error = match answer.await {
        Ok(()) => return Ok(Settled::Done),
        Err(error) => error,
    };
    let after_lost_answer = match &error {
        Error::Conflict { .. } => false,
        Error::ConflictOnRetry { .. } => true,
        _ => return Err(error),
    };
    let conflict = error.message().unwrap_or_default().to_owned();
    match reread().await {
        Ok(invitation) => match invitation.status {
            Some(status) if status == wanted && after_lost_answer => Ok(Settled::Confirmed),
            Some(InvitationStatus::Pending) | None => Err(error),
            Some(status) => Ok(Settled::Already { status, conflict }),
        },
        Err(reread_error) => Err(Error::Conflict {
            message: format!(
                "{conflict} (reading the invitation again to learn its state failed: {reread_error})"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_status(status: InvitationStatus) -> Result<EngagementInvitation, Error> {
        Ok(EngagementInvitation {
            id: "engi-1".into(),
            status: Some(status),
            ..EngagementInvitation::default()
        })
    }

    fn conflict() -> Result<(), Error> {
        Err(Error::Conflict {
            message: "not PENDING".into(),
        })
    }

    fn conflict_on_retry() -> Result<(), Error> {
        Err(Error::ConflictOnRetry {
            attempts: 2,
            message: "not PENDING".into(),
        })
    }

    #[tokio::test]
    async fn success_needs_no_second_read() {
        let settled = settle(InvitationStatus::Accepted, async { Ok(()) }, || async {
            panic!("no re-read after a success")
        })
        .await
        .unwrap();
        assert_eq!(settled, Settled::Done);
        assert_eq!(
            settled.describe(&InvitationStatus::Accepted, "engi-1"),
            "Accepted engi-1"
        );
    }

    #[tokio::test]
    async fn a_conflict_is_reconciled_by_the_true_status() {
        let confirmed = settle(
            InvitationStatus::Rejected,
            async { conflict_on_retry() },
            || async { with_status(InvitationStatus::Rejected) },
        )
        .await
        .unwrap();
        assert_eq!(confirmed, Settled::Confirmed);
        assert!(
            confirmed
                .describe(&InvitationStatus::Rejected, "engi-1")
                .starts_with("Rejected engi-1 (")
        );

        let other = settle(
            InvitationStatus::Accepted,
            async { conflict_on_retry() },
            || async { with_status(InvitationStatus::Expired) },
        )
        .await
        .unwrap();
        assert_eq!(
            other.status(&InvitationStatus::Accepted),
            InvitationStatus::Expired
        );
        assert_eq!(
            other.describe(&InvitationStatus::Accepted, "engi-1"),
            "engi-1 was not accepted: it is already EXPIRED (ConflictException: not PENDING)"
        );
    }

    #[tokio::test]
    async fn a_conflict_without_a_lost_answer_was_there_before() {
        // Asked twice, say: the first answer's, not this one's.
        let before = settle(InvitationStatus::Accepted, async { conflict() }, || async {
            with_status(InvitationStatus::Accepted)
        })
        .await
        .unwrap();
        assert_eq!(
            before.describe(&InvitationStatus::Accepted, "engi-1"),
            "engi-1 was already ACCEPTED; nothing changed (ConflictException: not PENDING)"
        );
    }

    #[tokio::test]
    async fn an_unexplained_conflict_or_other_error_is_kept() {
        let still_pending = settle(InvitationStatus::Accepted, async { conflict() }, || async {
            with_status(InvitationStatus::Pending)
        })
        .await
        .unwrap_err();
        assert!(matches!(still_pending, Error::Conflict { .. }));

        let unreadable = settle(InvitationStatus::Accepted, async { conflict() }, || async {
            Err(Error::Decode("bad".into()))
        })
        .await
        .unwrap_err();
        assert!(
            unreadable
                .to_string()
                .contains("reading the invitation again")
        );

        let denied = settle(
            InvitationStatus::Accepted,
            async {
                Err(Error::AccessDenied {
                    message: "no".into(),
                    reason: None,
                })
            },
            || async { panic!("only a conflict is re-read") },
        )
        .await
        .unwrap_err();
        assert!(matches!(denied, Error::AccessDenied { .. }));
    }
}
