//! Accepting or rejecting an invitation so the user learns what really happened.
//!
//! Accept and reject are not idempotent: when the response to one is lost and the client retries,
//! the retry meets a `ConflictException` (`Error::ConflictOnRetry`) although the first attempt
//! took effect. So on a conflict the invitation is read again and its true status decides the
//! outcome; a conflict on the first attempt is still an error, now with the invitation's status.
//! The CLI and the inbox's worker both answer through [`settle`], and answer several
//! invitations through [`answer_each`], which paces them within the write quota.

use std::future::Future;
use std::ops::ControlFlow;

use super::rate_limit::{RateLimits, TokenBucket};

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

/// Answers `ids` one after another, each started at least one write interval after the one
/// before (`writes_per_second`, the service's quota of 1 unless configured otherwise), so a bulk
/// answer never meets ThrottlingException. `answered` hears each outcome as it comes and may
/// stop the rest with `ControlFlow::Break`; an answer already sent is always reported.
/// `keep_going` is asked after each wait, just before sending, so a stop asked for during the
/// wait sends nothing more. `answer` gets each id with its index, so a caller answering each
/// id its own way (the inbox: an opportunity invitation through the accepting task) looks it up;
/// its outcome `T` is a [`Settled`] or whatever that other way ends in.
pub async fn answer_each<F, Fut, T>(
    ids: &[String],
    writes_per_second: Option<f64>,
    keep_going: impl Fn() -> bool,
    mut answer: F,
    mut answered: impl FnMut(usize, &str, Result<T, Error>) -> ControlFlow<()>,
) where
    F: FnMut(usize, String) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let pacing =
        TokenBucket::new(writes_per_second.unwrap_or(RateLimits::SERVICE_QUOTAS.writes_per_second));
    for (index, id) in ids.iter().enumerate() {
        if let Some(pacing) = &pacing {
            pacing.acquire().await;
        }
        if !keep_going() {
            return;
        }
        let outcome = answer(index, id.clone()).await;
        if answered(index, id, outcome).is_break() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn answers_are_paced_one_write_interval_apart_and_can_be_stopped() {
        let ids: Vec<String> = (1..=4).map(|n| format!("engi-{n}")).collect();
        let start = tokio::time::Instant::now();
        let mut sent_at = Vec::new();
        let mut heard = Vec::new();
        answer_each(
            &ids,
            None,
            || true,
            |_, id| {
                sent_at.push(start.elapsed());
                async move {
                    if id == "engi-2" {
                        Err(Error::Conflict {
                            message: "no".into(),
                        })
                    } else {
                        Ok(Settled::Done)
                    }
                }
            },
            |index, id, outcome| {
                heard.push((index, id.to_owned(), outcome.is_ok()));
                if index == 2 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .await;
        let secs: Vec<u64> = sent_at.iter().map(|d| d.as_secs()).collect();
        assert_eq!(
            secs,
            [0, 1, 2],
            "1 write per second; the fourth was stopped"
        );
        assert_eq!(
            heard,
            [
                (0, "engi-1".to_owned(), true),
                (1, "engi-2".to_owned(), false),
                (2, "engi-3".to_owned(), true),
            ],
            "a failure does not stop the rest"
        );

        let before = tokio::time::Instant::now();
        let mut count = 0;
        answer_each(
            &ids,
            Some(4.0),
            || true,
            |_, _| async { Ok(Settled::Done) },
            |_, _, _| {
                count += 1;
                ControlFlow::Continue(())
            },
        )
        .await;
        assert_eq!(count, 4);
        assert_eq!(
            before.elapsed().as_millis(),
            750,
            "a configured rate is kept"
        );
    }

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
