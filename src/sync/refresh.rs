//! A refresh that costs what changed, not the size of the inbox.
//!
//! Only PENDING invitations change status (accepted, rejected or expired, they stay so), and
//! new invitations arrive at the top of a newest-first listing. So with a listing already
//! known, a refresh lists the PENDING invitations (all their pages), then the pages of all
//! statuses newest first, stopping at the first page that holds nothing it did not know. An
//! unchanged inbox costs the PENDING pages plus one request, however large it is. An
//! invitation that was PENDING, is not any more and was not on a page just read is read with
//! GetEngagementInvitation (one request per status change). [`merge`] is the pure part:
//! what the answers make of the known listing, and the [`Change`]s between the two.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::BoxStream;

use crate::api::Error;
use crate::api::client::Client;
use crate::api::model::{
    EngagementInvitation, EngagementInvitationSummary, InvitationSort, InvitationStatus,
    ListEngagementInvitationsRequest, ListEngagementInvitationsResponse, ParticipantType, SortBy,
    SortOrder,
};

/// Invitations per ListEngagementInvitations page (the service's maximum).
pub const PAGE_SIZE: u32 = 100;

/// The two reads a refresh makes, so the inbox's tests can swap the client for a fake.
pub trait Source: Clone + Send + Sync + 'static {
    /// Every page of `request`, in order, each as soon as it arrives (the next one may be
    /// asked for before the caller takes this one).
    fn list(
        &self,
        request: ListEngagementInvitationsRequest,
    ) -> BoxStream<'static, Result<Vec<EngagementInvitationSummary>, Error>>;
    /// One page of `request`, nothing asked beyond it.
    fn page(
        &self,
        request: ListEngagementInvitationsRequest,
    ) -> BoxFuture<'static, Result<ListEngagementInvitationsResponse, Error>>;
    /// One invitation.
    fn get(
        &self,
        catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<EngagementInvitation, Error>>;
}

impl Source for Client {
    fn list(
        &self,
        request: ListEngagementInvitationsRequest,
    ) -> BoxStream<'static, Result<Vec<EngagementInvitationSummary>, Error>> {
        self.paginate_invitations(request, None)
    }

    fn page(
        &self,
        request: ListEngagementInvitationsRequest,
    ) -> BoxFuture<'static, Result<ListEngagementInvitationsResponse, Error>> {
        let client = self.clone();
        Box::pin(async move { client.list_engagement_invitations(&request).await })
    }

    fn get(
        &self,
        catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<EngagementInvitation, Error>> {
        let client = self.clone();
        Box::pin(async move { client.get_engagement_invitation(&catalog, &id).await })
    }
}

/// What changed between two listings.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// An invitation the known listing did not have.
    New(Arc<EngagementInvitationSummary>),
    /// A known invitation whose status is not what it was.
    Status {
        before: Option<InvitationStatus>,
        now: Arc<EngagementInvitationSummary>,
    },
}

/// A refreshed listing, newest first, and what changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Refreshed {
    pub summaries: Vec<Arc<EngagementInvitationSummary>>,
    pub changes: Vec<Change>,
}

/// The answers of a refresh, to merge into the known listing.
#[derive(Debug, Default)]
pub struct Answers {
    /// Every PENDING invitation now.
    pub pending: Vec<EngagementInvitationSummary>,
    /// The newest pages of all statuses read.
    pub newest: Vec<EngagementInvitationSummary>,
    /// Formerly PENDING invitations read one by one; `None` for those that are gone.
    pub read: Vec<(String, Option<EngagementInvitationSummary>)>,
}

/// The known listing brought up to date by `answers`: fresh summaries replace known ones,
/// new ones join, invitations found gone leave; newest first. A known PENDING invitation that
/// no answer mentions keeps its summary (the caller reads those: see [`stale_pending`]).
pub fn merge(known: &[Arc<EngagementInvitationSummary>], answers: Answers) -> Refreshed {
    let before: HashMap<&str, &Arc<EngagementInvitationSummary>> =
        known.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut fresh: HashMap<String, Option<EngagementInvitationSummary>> = HashMap::new();
    for summary in answers.newest.into_iter().chain(answers.pending) {
        fresh.insert(summary.id.clone(), Some(summary));
    }
    for (id, summary) in answers.read {
        fresh.entry(id).or_insert(summary);
    }
    let mut changes = Vec::new();
    let mut summaries = Vec::with_capacity(known.len() + fresh.len());
    for summary in known {
        match fresh.remove(&summary.id) {
            None => summaries.push(Arc::clone(summary)),
            Some(None) => {}
            Some(Some(now)) => {
                let now = if now == **summary {
                    Arc::clone(summary)
                } else {
                    Arc::new(now)
                };
                if now.status != summary.status {
                    changes.push(Change::Status {
                        before: summary.status.clone(),
                        now: Arc::clone(&now),
                    });
                }
                summaries.push(now);
            }
        }
    }
    let mut new: Vec<Arc<EngagementInvitationSummary>> = fresh
        .into_values()
        .flatten()
        .filter(|s| !before.contains_key(s.id.as_str()))
        .map(Arc::new)
        .collect();
    new.sort_by(newest_first);
    changes.extend(new.iter().map(|s| Change::New(Arc::clone(s))));
    summaries.extend(new);
    summaries.sort_by(newest_first);
    Refreshed { summaries, changes }
}

/// Newest invitation date first, then by id, so equal dates keep one order.
fn newest_first(
    a: &Arc<EngagementInvitationSummary>,
    b: &Arc<EngagementInvitationSummary>,
) -> std::cmp::Ordering {
    b.invitation_date
        .cmp(&a.invitation_date)
        .then_with(|| a.id.cmp(&b.id))
}

/// Whether a page of the newest invitations holds any the refresh did not know.
pub fn has_unknown(page: &[EngagementInvitationSummary], known: &HashSet<&str>) -> bool {
    page.iter().any(|s| !known.contains(s.id.as_str()))
}

/// Known PENDING invitations that are neither PENDING now nor on a page just read: their
/// status changed, to what only a GetEngagementInvitation says.
pub fn stale_pending<'a>(
    known: &'a [Arc<EngagementInvitationSummary>],
    pending: &[EngagementInvitationSummary],
    newest: &[EngagementInvitationSummary],
) -> Vec<&'a str> {
    let seen: HashSet<&str> = pending
        .iter()
        .chain(newest)
        .map(|s| s.id.as_str())
        .collect();
    known
        .iter()
        .filter(|s| s.status == Some(InvitationStatus::Pending) && !seen.contains(s.id.as_str()))
        .map(|s| s.id.as_str())
        .collect()
}

/// The newest-first listing request of `view` in `catalog`, of `status` only if given.
pub fn listing_request(
    catalog: &str,
    view: ParticipantType,
    status: Option<InvitationStatus>,
) -> ListEngagementInvitationsRequest {
    ListEngagementInvitationsRequest {
        catalog: catalog.to_owned(),
        max_results: Some(PAGE_SIZE),
        sort: Some(InvitationSort {
            sort_order: SortOrder::Descending,
            sort_by: SortBy::InvitationDate,
        }),
        participant_type: view,
        status: status.map(|s| vec![s]),
        ..ListEngagementInvitationsRequest::default()
    }
}

/// Lists the whole of `view` (a full refresh, or the first one with nothing known).
pub async fn full<S: Source>(
    source: &S,
    catalog: &str,
    view: ParticipantType,
) -> Result<Vec<EngagementInvitationSummary>, Error> {
    let mut pages = source.list(listing_request(catalog, view, None));
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        all.extend(page?);
    }
    Ok(all)
}

/// Brings `known` (a listing of `view` in `catalog`, newest first) up to date as the module
/// doc says.
pub async fn refresh<S: Source>(
    source: &S,
    catalog: &str,
    view: ParticipantType,
    known: &[Arc<EngagementInvitationSummary>],
) -> Result<Refreshed, Error> {
    let mut pending = Vec::new();
    let mut pages = source.list(listing_request(
        catalog,
        view.clone(),
        Some(InvitationStatus::Pending),
    ));
    while let Some(page) = pages.next().await {
        pending.extend(page?);
    }
    let mut newest = Vec::new();
    {
        let known_ids: HashSet<&str> = known
            .iter()
            .map(|s| s.id.as_str())
            .chain(pending.iter().map(|s| s.id.as_str()))
            .collect();
        // Page by page: a prefetching paginator would ask for a page past the last needed.
        let mut request = listing_request(catalog, view.clone(), None);
        loop {
            let page = source.page(request.clone()).await?;
            let more = has_unknown(&page.engagement_invitation_summaries, &known_ids);
            newest.extend(page.engagement_invitation_summaries);
            match page.next_token {
                Some(token) if more => request.next_token = Some(token),
                _ => break,
            }
        }
    }
    let mut read = Vec::new();
    for id in stale_pending(known, &pending, &newest) {
        match source.get(catalog.to_owned(), id.to_owned()).await {
            Ok(invitation) => {
                read.push((id.to_owned(), Some(invitation.into_summary(view.clone()))))
            }
            Err(Error::ResourceNotFound { .. }) => read.push((id.to_owned(), None)),
            Err(e) => return Err(e),
        }
    }
    Ok(merge(
        known,
        Answers {
            pending,
            newest,
            read,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Timestamp;

    fn summary(id: &str, status: InvitationStatus, day: u32) -> EngagementInvitationSummary {
        EngagementInvitationSummary {
            id: id.to_owned(),
            status: Some(status),
            invitation_date: Timestamp::parse(&format!("2026-11-{day:02}T00:00:00Z")),
            catalog: "Sandbox".into(),
            ..EngagementInvitationSummary::default()
        }
    }

    #[test]
    fn merge_adds_new_updates_changed_drops_gone_and_keeps_the_rest() {
        use InvitationStatus::{Accepted, Expired, Pending};
        let known: Vec<_> = [
            summary("c", Pending, 3),
            summary("b", Pending, 2),
            summary("a", Accepted, 1),
        ]
        .into_iter()
        .map(Arc::new)
        .collect();
        let refreshed = merge(
            &known,
            Answers {
                pending: vec![summary("c", Pending, 3)],
                // Arrived and already expired: only the newest page shows it.
                newest: vec![summary("d", Expired, 4), summary("c", Pending, 3)],
                read: vec![("b".into(), None)],
            },
        );
        let ids: Vec<_> = refreshed.summaries.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["d", "c", "a"]);
        assert_eq!(
            refreshed.changes,
            vec![Change::New(Arc::new(summary("d", Expired, 4)))]
        );
        assert!(
            Arc::ptr_eq(&refreshed.summaries[2], &known[2]),
            "untouched rows are shared"
        );
    }

    #[test]
    fn a_page_of_known_invitations_ends_the_newest_pages() {
        let known = HashSet::from(["a", "b"]);
        assert!(!has_unknown(
            &[summary("a", InvitationStatus::Pending, 1)],
            &known
        ));
        assert!(has_unknown(
            &[
                summary("a", InvitationStatus::Pending, 1),
                summary("z", InvitationStatus::Pending, 2)
            ],
            &known
        ));
    }

    #[test]
    fn a_pending_invitation_no_answer_mentions_is_stale() {
        let known = vec![
            Arc::new(summary("p", InvitationStatus::Pending, 2)),
            Arc::new(summary("q", InvitationStatus::Pending, 1)),
            Arc::new(summary("r", InvitationStatus::Accepted, 1)),
        ];
        let stale = stale_pending(&known, &[summary("p", InvitationStatus::Pending, 2)], &[]);
        assert_eq!(stale, ["q"]);
    }
}
