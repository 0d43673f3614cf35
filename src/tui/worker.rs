//! The background worker: the one task that talks to Partner Central and to the cache files.
//!
//! The UI sends [`Request`]s over a channel and never waits; results come back as
//! [`Event`]s. A listing streams page by page (a newer listing aborts the older one; a
//! cached listing asked for with it is sent first), and
//! detail loads go through a latest-only slot (like gitui's `AsyncSingleJob`): one runs, at most
//! one waits, and a newer request replaces the waiting one, so scrolling through 1,000 rows makes
//! a handful of requests. Every result carries the generation or sequence number it was for, so
//! the app can drop answers nobody wants any more.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};

use super::cache::{self, CacheKey};
use super::event::{Answered, CreateFailure, Detail, EngagementInfo, Event};
use crate::api::Error;
use crate::api::answer;
use crate::api::client::Client;
use crate::api::model::{
    CreateEngagementInvitationRequest, CreateEngagementInvitationResponse, EngagementDetails,
    EngagementInvitationSummary, EngagementMember, EngagementTask, InvitationStatus,
    ListEngagementByAcceptingInvitationTasksRequest, Opportunity, ParticipantType,
    RejectEngagementInvitationRequest, SortOrder, StartEngagementByAcceptingInvitationTaskRequest,
    TaskSort, TaskSortName,
};
use crate::sync::refresh::{self, Source};

/// The first pause before looking at a running task again; each pause is half as long again
/// as the one before, up to [`MAX_TASK_LOOK`]. A look per task every half second or less stays
/// far inside the read quota (10 a second) even with several tasks running.
pub const FIRST_TASK_LOOK: Duration = Duration::from_millis(500);
pub const MAX_TASK_LOOK: Duration = Duration::from_secs(5);

/// What the UI asks the worker to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    LoadCache {
        generation: u64,
        key: CacheKey,
    },
    SaveCache {
        key: CacheKey,
        saved_at: DateTime<Utc>,
        /// Shared with the rows on screen: saving copies nothing.
        summaries: Vec<Arc<EngagementInvitationSummary>>,
    },
    /// Lists `view` in `catalog`, newest first: a refresh within the quotas of what is
    /// `known` (see `sync::refresh`), sent as one page, or every page.
    List {
        generation: u64,
        catalog: String,
        view: ParticipantType,
        known: Known,
    },
    /// Gets one invitation and its engagement's members.
    Detail {
        seq: u64,
        catalog: String,
        id: String,
    },
    /// Loads these details (`(seq, id)`) one after another in the background, paced to
    /// leave most of the read quota to the user; a newer prefetch replaces it.
    Prefetch {
        catalog: String,
        jobs: Vec<(u64, String)>,
    },
    Accept {
        catalog: String,
        id: String,
    },
    Reject {
        catalog: String,
        id: String,
        reason: Option<String>,
    },
    /// Answers the marked invitations one after another within the write quota
    /// ([`answer::answer_each`]), each as its [`Answer`] says, each outcome an
    /// [`Event::BulkAnswered`], then [`Event::BulkFinished`].
    AnswerMany {
        catalog: String,
        answers: Vec<(String, Answer)>,
    },
    /// Sends none of the running bulk answer's answers still waiting (one on its way ends).
    StopAnswering,
    /// Creates an invitation; the request carries the draft's ClientToken, so sending it again
    /// cannot create a second one.
    Create(Box<CreateEngagementInvitationRequest>),
    /// Starts the task that accepts `invitation` and creates its opportunity.
    StartTask {
        catalog: String,
        invitation: String,
    },
    /// Follows a running task until it completes or fails, one look at a time.
    FollowTask {
        catalog: String,
        task_id: String,
    },
    /// Lists the caller's accepting tasks, newest first (tasks of earlier sessions included).
    ListTasks {
        catalog: String,
    },
    Opportunity {
        catalog: String,
        id: String,
    },
    /// Gets an engagement and its members.
    Engagement {
        catalog: String,
        id: String,
    },
}

/// How one invitation of a bulk answer is answered (the inbox decides it from the row:
/// `bulk::answer_for`).
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// AcceptEngagementInvitation.
    Accept,
    /// StartEngagementByAcceptingInvitationTask: a task accepts it and creates its opportunity.
    AcceptCreatingOpportunity,
    /// RejectEngagementInvitation, with the reason if one was given.
    Reject(Option<String>),
}

impl Answer {
    /// The status the invitation is to have.
    pub fn wanted(&self) -> InvitationStatus {
        match self {
            Answer::Accept | Answer::AcceptCreatingOpportunity => InvitationStatus::Accepted,
            Answer::Reject(_) => InvitationStatus::Rejected,
        }
    }
}

/// What a listing starts from.
#[derive(Clone, Debug, PartialEq)]
pub enum Known {
    /// Nothing: every page (`R`, or nothing shown or cached).
    Nothing,
    /// The rows on screen.
    Rows(Vec<Arc<EngagementInvitationSummary>>),
    /// The cached listing loaded for this listing, if there is one.
    Cached,
}

/// The calls the worker makes, so tests can swap the signed client for a fake (the reads a
/// refresh makes are `Source`'s).
pub trait Service: Source {
    fn members(
        &self,
        catalog: String,
        engagement_id: String,
    ) -> BoxFuture<'static, Result<Vec<EngagementMember>, Error>>;
    fn accept(&self, catalog: String, id: String) -> BoxFuture<'static, Result<(), Error>>;
    fn reject(
        &self,
        request: RejectEngagementInvitationRequest,
    ) -> BoxFuture<'static, Result<(), Error>>;
    fn create(
        &self,
        request: CreateEngagementInvitationRequest,
    ) -> BoxFuture<'static, Result<CreateEngagementInvitationResponse, Error>>;
    fn start_task(
        &self,
        request: StartEngagementByAcceptingInvitationTaskRequest,
    ) -> BoxFuture<'static, Result<EngagementTask, Error>>;
    /// Every task the request matches, all pages.
    fn tasks(
        &self,
        request: ListEngagementByAcceptingInvitationTasksRequest,
    ) -> BoxFuture<'static, Result<Vec<EngagementTask>, Error>>;
    fn opportunity(
        &self,
        catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<Opportunity, Error>>;
    fn engagement(
        &self,
        catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<EngagementDetails, Error>>;
}

impl Service for Client {
    fn members(
        &self,
        catalog: String,
        engagement_id: String,
    ) -> BoxFuture<'static, Result<Vec<EngagementMember>, Error>> {
        let client = self.clone();
        async move {
            client
                .list_all_engagement_members(&catalog, &engagement_id)
                .await
        }
        .boxed()
    }

    fn accept(&self, catalog: String, id: String) -> BoxFuture<'static, Result<(), Error>> {
        let client = self.clone();
        async move { client.accept_engagement_invitation(&catalog, &id).await }.boxed()
    }

    fn reject(
        &self,
        request: RejectEngagementInvitationRequest,
    ) -> BoxFuture<'static, Result<(), Error>> {
        let client = self.clone();
        async move { client.reject_engagement_invitation(&request).await }.boxed()
    }

    fn create(
        &self,
        request: CreateEngagementInvitationRequest,
    ) -> BoxFuture<'static, Result<CreateEngagementInvitationResponse, Error>> {
        let client = self.clone();
        async move { client.create_engagement_invitation(&request).await }.boxed()
    }

    fn start_task(
        &self,
        request: StartEngagementByAcceptingInvitationTaskRequest,
    ) -> BoxFuture<'static, Result<EngagementTask, Error>> {
        let client = self.clone();
        async move {
            client
                .start_engagement_by_accepting_invitation_task(&request)
                .await
        }
        .boxed()
    }

    fn tasks(
        &self,
        request: ListEngagementByAcceptingInvitationTasksRequest,
    ) -> BoxFuture<'static, Result<Vec<EngagementTask>, Error>> {
        let client = self.clone();
        async move {
            client
                .list_all_engagement_by_accepting_invitation_tasks(&request)
                .await
        }
        .boxed()
    }

    fn opportunity(
        &self,
        catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<Opportunity, Error>> {
        let client = self.clone();
        async move { client.get_opportunity(&catalog, &id).await }.boxed()
    }

    fn engagement(
        &self,
        catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<EngagementDetails, Error>> {
        let client = self.clone();
        async move { client.get_engagement(&catalog, &id).await }.boxed()
    }
}

/// Starts the worker; dropping the returned sender stops it.
pub fn spawn<S: Service>(
    service: S,
    cache_dir: Option<PathBuf>,
    results: UnboundedSender<Event>,
) -> UnboundedSender<Request> {
    start(service, cache_dir, results).requests
}

/// How one invitation is answered: the one place every answer goes through, so the way an
/// invitation is accepted is decided once. The single answers name theirs (`a` on an
/// opportunity invitation offers the choice); a bulk answer says it for each ([`Answer`]).
async fn answer_one<S: Service>(
    service: &S,
    catalog: &str,
    id: &str,
    answer: Answer,
) -> Result<Answered, Error> {
    match answer {
        Answer::AcceptCreatingOpportunity => start_task(service, catalog, id)
            .await
            .map(Answered::TaskStarted),
        Answer::Accept => settle_answer(service, catalog, id, InvitationStatus::Accepted, None)
            .await
            .map(Answered::Settled),
        Answer::Reject(reason) => {
            settle_answer(service, catalog, id, InvitationStatus::Rejected, reason)
                .await
                .map(Answered::Settled)
        }
    }
}

/// AcceptEngagementInvitation or RejectEngagementInvitation; a conflict is reconciled with the
/// invitation's true status ([`answer::settle`]).
async fn settle_answer<S: Service>(
    service: &S,
    catalog: &str,
    id: &str,
    wanted: InvitationStatus,
    reason: Option<String>,
) -> Result<answer::Settled, Error> {
    let reread = || service.get(catalog.to_owned(), id.to_owned());
    if wanted == InvitationStatus::Rejected {
        let request = RejectEngagementInvitationRequest {
            catalog: catalog.to_owned(),
            identifier: id.to_owned(),
            rejection_reason: reason,
        };
        answer::settle(wanted, service.reject(request), reread).await
    } else {
        let accept = service.accept(catalog.to_owned(), id.to_owned());
        answer::settle(wanted, accept, reread).await
    }
}

/// Starts the task that accepts `invitation` and creates its opportunity (the client keeps one
/// ClientToken through its retries, so a lost answer starts no second task).
async fn start_task<S: Service>(
    service: &S,
    catalog: &str,
    invitation: &str,
) -> Result<EngagementTask, Error> {
    let request = StartEngagementByAcceptingInvitationTaskRequest {
        catalog: catalog.to_owned(),
        identifier: invitation.to_owned(),
        ..Default::default()
    };
    service.start_task(request).await
}

/// A bulk answer: each of `answers` in turn, paced at the write quota, until done or `stop`
/// is set.
async fn answer_many<S: Service>(
    service: S,
    catalog: String,
    answers: Vec<(String, Answer)>,
    stop: Arc<AtomicBool>,
    results: UnboundedSender<Event>,
) {
    let ids: Vec<String> = answers.iter().map(|(id, _)| id.clone()).collect();
    let answer = |index: usize, id: String| {
        let (service, catalog) = (service.clone(), catalog.clone());
        let how = answers[index].1.clone();
        async move { answer_one(&service, &catalog, &id, how).await }
    };
    let keep_going = || !stop.load(Ordering::Relaxed);
    answer::answer_each(&ids, None, keep_going, answer, |index, id, outcome| {
        let _ = results.send(Event::BulkAnswered {
            catalog: catalog.clone(),
            id: id.to_owned(),
            wanted: answers[index].1.wanted(),
            result: outcome.map_err(|e| e.to_string()),
        });
        ControlFlow::Continue(())
    })
    .await;
    let _ = results.send(Event::BulkFinished);
}

/// A running worker: where requests go, and the task to wait for when quitting.
pub struct Worker {
    pub requests: UnboundedSender<Request>,
    task: JoinHandle<()>,
}

impl Worker {
    /// Stops the worker: network calls in flight are aborted at once (nothing is lost: an
    /// answer sent is reconciled by re-reading next time), cache writes already asked for
    /// finish. Waiting for the results channel to close instead waited for the last response
    /// of a slow server: a page fetch spawned by the client holds the retry observer's sender.
    pub async fn stop(self) {
        drop(self.requests);
        let _ = self.task.await;
    }
}

/// Starts the worker, keeping its task so quitting can wait for exactly the work that must end.
pub fn start<S: Service>(
    service: S,
    cache_dir: Option<PathBuf>,
    results: UnboundedSender<Event>,
) -> Worker {
    let (requests, receiver) = unbounded_channel();
    let task = tokio::spawn(run(service, cache_dir, receiver, results));
    Worker { requests, task }
}

/// One background detail load per this much time: a detail is two reads (the invitation and
/// its members), so prefetching takes at most 4 of the service's 10 reads per second.
pub const PREFETCH_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// A cached listing being read: its rows, once read, are what a refresh starts from.
type CacheLoading = JoinHandle<Option<Vec<Arc<EngagementInvitationSummary>>>>;

/// A detail load waiting for the slot.
struct DetailJob {
    seq: u64,
    catalog: String,
    id: String,
}

async fn run<S: Service>(
    service: S,
    cache_dir: Option<PathBuf>,
    mut requests: UnboundedReceiver<Request>,
    results: UnboundedSender<Event>,
) {
    let (detail_done, mut detail_finished) = unbounded_channel::<()>();
    let mut detail_running = false;
    let mut detail_waiting: Option<DetailJob> = None;
    let mut listing: Option<AbortHandle> = None;
    // Set to stop the running bulk answer before its next answer.
    let mut bulk_stop: Option<Arc<AtomicBool>> = None;
    let mut prefetching: Option<AbortHandle> = None;
    let mut cache_loading: Option<(u64, CacheLoading)> = None;
    // Network calls end with the worker; cache writes it was asked for finish first, so quitting
    // right after a listing completes still leaves that listing cached.
    let mut calls = JoinSet::new();
    let mut saves = JoinSet::new();
    loop {
        while calls.try_join_next().is_some() {}
        while saves.try_join_next().is_some() {}
        tokio::select! {
            // Requests first: a burst of detail requests collapses into the waiting slot before
            // the slot moves on.
            biased;
            request = requests.recv() => {
                let Some(request) = request else { break };
                match request {
                    Request::Detail { seq, catalog, id } => {
                        let job = DetailJob { seq, catalog, id };
                        if detail_running {
                            detail_waiting = Some(job);
                        } else {
                            detail_running = true;
                            start_detail(&mut calls, &service, job, &results, &detail_done);
                        }
                    }
                    Request::List { generation, catalog, view, known } => {
                        if let Some(previous) = listing.take() {
                            previous.abort();
                        }
                        // The cached listing of this generation goes first: its rows are on
                        // screen before any page, so the pages are matched against them.
                        let cache = cache_loading.take().filter(|(of, _)| *of == generation);
                        let (service, results) = (service.clone(), results.clone());
                        listing = Some(calls.spawn(async move {
                            let cached = match cache {
                                Some((_, loading)) => loading.await.ok().flatten(),
                                None => None,
                            };
                            let known = match known {
                                Known::Rows(rows) => rows,
                                Known::Cached => cached.unwrap_or_default(),
                                Known::Nothing => Vec::new(),
                            };
                            if known.is_empty() {
                                list(service, generation, catalog, view, results).await;
                            } else {
                                list_within_quotas(service, generation, catalog, view, known, results).await;
                            }
                        }));
                    }
                    Request::Prefetch { catalog, jobs } => {
                        if let Some(previous) = prefetching.take() {
                            previous.abort();
                        }
                        let (service, results) = (service.clone(), results.clone());
                        prefetching = Some(calls.spawn(async move {
                            let mut pace = tokio::time::interval(PREFETCH_EVERY);
                            for (seq, id) in jobs {
                                pace.tick().await;
                                let result = detail(&service, &catalog, &id).await;
                                if results.send(Event::DetailLoaded { seq, id, result }).is_err() {
                                    return;
                                }
                            }
                        }));
                    }
                    Request::Accept { catalog, id } => {
                    let (service, results) = (service.clone(), results.clone());
                        calls.spawn(async move {
                            let result = settle_answer(&service, &catalog, &id, InvitationStatus::Accepted, None)
                                .await
                                .map_err(|e| e.to_string());
                            let _ = results.send(Event::AcceptDone { catalog, id, result });
                        });
                    }
                    Request::Reject { catalog, id, reason } => {
                        let (service, results) = (service.clone(), results.clone());
                        calls.spawn(async move {
                            let result = settle_answer(&service, &catalog, &id, InvitationStatus::Rejected, reason.clone())
                                .await
                                .map_err(|e| e.to_string());
                            let _ = results.send(Event::RejectDone { catalog, id, reason, result });
                        });
                    }
                    Request::AnswerMany { catalog, answers } => {
                        let stop = Arc::new(AtomicBool::new(false));
                        if let Some(previous) = bulk_stop.replace(Arc::clone(&stop)) {
                            previous.store(true, Ordering::Relaxed);
                        }
                        let (service, results) = (service.clone(), results.clone());
                        calls.spawn(answer_many(service, catalog, answers, stop, results));
                    }
                    Request::StopAnswering => {
                        if let Some(stop) = bulk_stop.take() {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                    Request::Create(request) => {
                        let (service, results) = (service.clone(), results.clone());
                        calls.spawn(async move {
                            let client_token = request.client_token.clone().unwrap_or_default();
                            let result = service.create(*request).await.map_err(|e| CreateFailure::from(&e));
                            let _ = results.send(Event::CreateDone { client_token, result });
                        });
                    }
                    Request::StartTask { catalog, invitation } => {
                        let (service, results) = (service.clone(), results.clone());
                        calls.spawn(async move {
                            let result = start_task(&service, &catalog, &invitation).await.map_err(|e| e.to_string());
                            let _ = results.send(Event::TaskStarted { catalog, invitation, result });
                        });
                    }
                    Request::FollowTask { catalog, task_id } => {
                        calls.spawn(follow_task(service.clone(), catalog, task_id, results.clone()));
                    }
                    Request::ListTasks { catalog } => {
                        let (service, results) = (service.clone(), results.clone());
                        calls.spawn(async move {
                            let request = ListEngagementByAcceptingInvitationTasksRequest {
                                catalog: catalog.clone(),
                                sort: Some(TaskSort {
                                    sort_order: SortOrder::Descending,
                                    sort_by: TaskSortName::StartTime,
                                }),
                                ..Default::default()
                            };
                            let result = service.tasks(request).await.map_err(|e| e.to_string());
                            let _ = results.send(Event::TasksListed { catalog, result });
                        });
                    }
                    Request::Opportunity { catalog, id } => {
                        let (service, results) = (service.clone(), results.clone());
                        calls.spawn(async move {
                            let result = service
                                .opportunity(catalog.clone(), id.clone())
                                .await
                                .map(Box::new)
                                .map_err(|e| e.to_string());
                            let _ = results.send(Event::OpportunityLoaded { catalog, id, result });
                        });
                    }
                    Request::Engagement { catalog, id } => {
                        let (service, results) = (service.clone(), results.clone());
                        calls.spawn(async move {
                            let result = engagement(&service, &catalog, &id).await;
                            let _ = results.send(Event::EngagementLoaded { catalog, id, result });
                        });
                    }
                    Request::LoadCache { generation, key } => {
                        if let Some(dir) = cache_dir.clone() {
                            let results = results.clone();
                            let loading = tokio::task::spawn_blocking(move || match cache::load(&dir, &key) {
                                Ok(Some(cached)) => {
                                    let _ = results.send(Event::CacheLoaded {
                                        generation,
                                        saved_at: cached.saved_at,
                                        summaries: cached.summaries.clone(),
                                    });
                                    Some(cached.summaries)
                                }
                                Ok(None) => None,
                                Err(e) => {
                                    tracing::warn!("ignoring the cached listing: {e:#}");
                                    None
                                }
                            });
                            cache_loading = Some((generation, loading));
                        }
                    }
                    Request::SaveCache { key, saved_at, summaries } => {
                        if let Some(dir) = cache_dir.clone() {
                            saves.spawn_blocking(move || {
                                if let Err(e) = cache::save(&dir, &key, saved_at, &summaries) {
                                    tracing::warn!("could not cache the listing: {e:#}");
                                }
                            });
                        }
                    }
                }
            }
            Some(()) = detail_finished.recv() => {
                match detail_waiting.take() {
                    Some(job) => start_detail(&mut calls, &service, job, &results, &detail_done),
                    None => detail_running = false,
                }
            }
        }
    }
    calls.shutdown().await;
    while saves.join_next().await.is_some() {}
}

fn start_detail<S: Service>(
    calls: &mut JoinSet<()>,
    service: &S,
    job: DetailJob,
    results: &UnboundedSender<Event>,
    done: &UnboundedSender<()>,
) {
    let (service, results, done) = (service.clone(), results.clone(), done.clone());
    calls.spawn(async move {
        let result = detail(&service, &job.catalog, &job.id).await;
        let _ = results.send(Event::DetailLoaded {
            seq: job.seq,
            id: job.id,
            result,
        });
        let _ = done.send(());
    });
}

async fn detail<S: Service>(service: &S, catalog: &str, id: &str) -> Result<Box<Detail>, String> {
    let invitation = service
        .get(catalog.to_owned(), id.to_owned())
        .await
        .map_err(|e| e.to_string())?;
    let members = match &invitation.engagement_id {
        Some(engagement) => service
            .members(catalog.to_owned(), engagement.clone())
            .await
            .map_err(|e| e.to_string()),
        None => Ok(Vec::new()),
    };
    Ok(Box::new(Detail {
        invitation,
        members,
    }))
}

/// GetEngagement and, beside it, ListEngagementMembers (refused to a partner not yet a member,
/// which must not hide the engagement).
async fn engagement<S: Service>(
    service: &S,
    catalog: &str,
    id: &str,
) -> Result<Box<EngagementInfo>, String> {
    let engagement = service
        .engagement(catalog.to_owned(), id.to_owned())
        .await
        .map_err(|e| e.to_string())?;
    let members = service
        .members(catalog.to_owned(), id.to_owned())
        .await
        .map_err(|e| e.to_string());
    Ok(Box::new(EngagementInfo {
        engagement,
        members,
    }))
}

/// Looks at task `task_id` (ListEngagementByAcceptingInvitationTasks with its TaskIdentifier)
/// at a growing interval, sending each look, until it has finished or a look fails.
async fn follow_task<S: Service>(
    service: S,
    catalog: String,
    task_id: String,
    results: UnboundedSender<Event>,
) {
    let request = ListEngagementByAcceptingInvitationTasksRequest {
        catalog: catalog.clone(),
        task_identifier: Some(vec![task_id.clone()]),
        ..Default::default()
    };
    let mut pause = FIRST_TASK_LOOK;
    loop {
        tokio::time::sleep(pause).await;
        pause = (pause * 3 / 2).min(MAX_TASK_LOOK);
        let event = match service.tasks(request.clone()).await {
            Ok(tasks) => match tasks.into_iter().next() {
                Some(task) => {
                    let finished = task.is_finished();
                    if results
                        .send(Event::TaskUpdated {
                            catalog: catalog.clone(),
                            task,
                        })
                        .is_err()
                        || finished
                    {
                        return;
                    }
                    continue;
                }
                None => Event::TaskFollowFailed {
                    catalog,
                    task_id,
                    error: "the service no longer lists the task".to_owned(),
                },
            },
            Err(e) => Event::TaskFollowFailed {
                catalog,
                task_id,
                error: e.to_string(),
            },
        };
        let _ = results.send(event);
        return;
    }
}

/// A refresh within the quotas from `known`: the whole refreshed listing as one page.
async fn list_within_quotas<S: Service>(
    service: S,
    generation: u64,
    catalog: String,
    view: ParticipantType,
    known: Vec<Arc<EngagementInvitationSummary>>,
    results: UnboundedSender<Event>,
) {
    let event = match refresh::refresh(&service, &catalog, view, &known).await {
        Ok(refreshed) => Event::ListPage {
            generation,
            summaries: refreshed
                .summaries
                .into_iter()
                .map(Arc::unwrap_or_clone)
                .collect(),
        },
        Err(e) => Event::ListFailed {
            generation,
            error: e.to_string(),
        },
    };
    let failed = matches!(event, Event::ListFailed { .. });
    if results.send(event).is_ok() && !failed {
        let _ = results.send(Event::ListDone { generation });
    }
}

async fn list<S: Service>(
    service: S,
    generation: u64,
    catalog: String,
    view: ParticipantType,
    results: UnboundedSender<Event>,
) {
    let mut pages = service.list(refresh::listing_request(&catalog, view, None));
    while let Some(page) = pages.next().await {
        let action = match page {
            Ok(summaries) => Event::ListPage {
                generation,
                summaries,
            },
            Err(e) => {
                let _ = results.send(Event::ListFailed {
                    generation,
                    error: e.to_string(),
                });
                return;
            }
        };
        if results.send(action).is_err() {
            return;
        }
    }
    let _ = results.send(Event::ListDone { generation });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures::FakeService;

    /// Receives results until `stop` says so; a closed channel is a failure.
    async fn until(
        results: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
        mut stop: impl FnMut(&Event) -> bool,
    ) -> Vec<Event> {
        let mut seen = Vec::new();
        loop {
            let action = results.recv().await.expect("the worker stopped");
            let done = stop(&action);
            seen.push(action);
            if done {
                return seen;
            }
        }
    }

    /// What each answer of a bulk answer came to: (id, outcome in words, second it came).
    async fn bulk_outcomes(
        results: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
        start: tokio::time::Instant,
    ) -> Vec<(String, String, u64)> {
        let mut answered = Vec::new();
        loop {
            match results.recv().await.expect("the worker stopped") {
                Event::BulkAnswered { id, result, .. } => {
                    let outcome = match result {
                        Ok(Answered::Settled(settled)) => format!("{settled:?}"),
                        Ok(Answered::TaskStarted(task)) => {
                            assert_eq!(task.engagement_invitation_id.as_ref(), Some(&id));
                            "task started".to_owned()
                        }
                        Err(error) => error,
                    };
                    answered.push((id, outcome, start.elapsed().as_secs()));
                }
                Event::BulkFinished => return answered,
                _ => {}
            }
        }
    }

    /// A bulk accept of opportunity and lead invitations: the opportunity invitations start
    /// accepting tasks, the leads are accepted, all one a second; a failure does not stop the
    /// rest, and a stop sends nothing more.
    #[tokio::test(start_paused = true)]
    async fn a_bulk_accept_starts_tasks_for_opportunities_one_a_second_and_stops_when_asked() {
        let service = FakeService::with_invitations(5);
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service.clone(), None, tx);
        let id = |n: u32| format!("engi-{n:013}");
        let start = tokio::time::Instant::now();
        requests
            .send(Request::AnswerMany {
                catalog: "Sandbox".into(),
                answers: vec![
                    (id(1), Answer::AcceptCreatingOpportunity),
                    (id(2), Answer::Accept),
                    (id(9), Answer::AcceptCreatingOpportunity),
                    (id(3), Answer::Accept),
                ],
            })
            .unwrap();
        let answered = bulk_outcomes(&mut results, start).await;
        let expected: Vec<(String, String, u64)> = vec![
            (id(1), "task started".into(), 0),
            (id(2), "Done".into(), 1),
            (
                id(9),
                "ResourceNotFoundException: no invitation engi-0000000000009".into(),
                2,
            ),
            (id(3), "Done".into(), 3),
        ];
        assert_eq!(
            answered, expected,
            "one a second; a failure does not stop the rest"
        );
        let writes: Vec<(&str, String, u64)> = service
            .writes()
            .into_iter()
            .map(|(operation, id, at)| (operation, id, (at - start).as_secs()))
            .collect();
        let start_task = "StartEngagementByAcceptingInvitationTask";
        let accept = "AcceptEngagementInvitation";
        assert_eq!(
            writes,
            [
                (start_task, id(1), 0),
                (accept, id(2), 1),
                (start_task, id(9), 2),
                (accept, id(3), 3),
            ],
            "no plain accept of an opportunity invitation, every write paced"
        );

        // Esc after the first: nothing more is sent.
        requests
            .send(Request::AnswerMany {
                catalog: "Sandbox".into(),
                answers: vec![
                    (id(4), Answer::AcceptCreatingOpportunity),
                    (id(5), Answer::Accept),
                ],
            })
            .unwrap();
        let first = until(&mut results, |e| matches!(e, Event::BulkAnswered { .. })).await;
        assert_eq!(first.len(), 1);
        requests.send(Request::StopAnswering).unwrap();
        let after = until(&mut results, |e| matches!(e, Event::BulkFinished)).await;
        assert_eq!(after.len(), 1, "no answer after the stop: {after:?}");
        assert_eq!(service.writes().len(), 5);
        let fifth = service.get("Sandbox".into(), id(5));
        assert_eq!(fifth.await.unwrap().status, Some(InvitationStatus::Pending));
    }

    #[tokio::test(start_paused = true)]
    async fn a_bulk_reject_rejects_each_one_a_second() {
        let service = FakeService::with_invitations(2);
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service.clone(), None, tx);
        let ids = ["engi-0000000000001", "engi-0000000000002"];
        let reject = Answer::Reject(Some("Not a fit".into()));
        let start = tokio::time::Instant::now();
        requests
            .send(Request::AnswerMany {
                catalog: "Sandbox".into(),
                answers: ids
                    .iter()
                    .map(|id| (id.to_string(), reject.clone()))
                    .collect(),
            })
            .unwrap();
        let answered = bulk_outcomes(&mut results, start).await;
        assert_eq!(
            answered,
            [
                (ids[0].to_owned(), "Done".to_owned(), 0),
                (ids[1].to_owned(), "Done".to_owned(), 1)
            ]
        );
        for id in ids {
            let invitation = service.get("Sandbox".into(), id.into()).await.unwrap();
            assert_eq!(invitation.status, Some(InvitationStatus::Rejected));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn pending_details_are_prefetched_paced_within_the_quota() {
        let service = FakeService::with_invitations(3);
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service.clone(), None, tx);
        let jobs: Vec<(u64, String)> = (1..=3)
            .map(|seq| (seq, format!("engi-{seq:013}")))
            .collect();
        let started = tokio::time::Instant::now();
        requests
            .send(Request::Prefetch {
                catalog: "Sandbox".into(),
                jobs: jobs.clone(),
            })
            .unwrap();
        let seen = until(&mut results, |a| {
            matches!(a, Event::DetailLoaded { seq: 3, .. })
        })
        .await;
        let loaded: Vec<(u64, String)> = seen
            .into_iter()
            .filter_map(|a| match a {
                Event::DetailLoaded { seq, id, result } => {
                    assert!(result.is_ok(), "{result:?}");
                    Some((seq, id))
                }
                _ => None,
            })
            .collect();
        assert_eq!(loaded, jobs);
        assert_eq!(
            started.elapsed(),
            PREFETCH_EVERY * 2,
            "paced, the first at once"
        );
    }

    #[tokio::test]
    async fn detail_requests_are_coalesced_to_the_newest() {
        let service = FakeService::with_invitations(50);
        let gate = service.hold_gets();
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service.clone(), None, tx);
        for seq in 1..=50 {
            let id = format!("engi-{seq:013}");
            requests
                .send(Request::Detail {
                    seq,
                    catalog: "Sandbox".into(),
                    id,
                })
                .unwrap();
        }
        service.first_get_started().await;
        gate.add_permits(100);
        let seen = until(&mut results, |a| {
            matches!(a, Event::DetailLoaded { seq: 50, .. })
        })
        .await;
        let answered: Vec<u64> = seen
            .iter()
            .filter_map(|a| match a {
                Event::DetailLoaded { seq, result, .. } => {
                    assert!(result.is_ok(), "{result:?}");
                    Some(*seq)
                }
                _ => None,
            })
            .collect();
        assert_eq!(answered, [1, 50]);
        assert_eq!(service.get_calls(), 2);
    }

    #[tokio::test]
    async fn a_listing_arrives_page_by_page_then_done() {
        let service = FakeService::with_invitations(250);
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service, None, tx);
        requests
            .send(Request::List {
                generation: 7,
                catalog: "Sandbox".into(),
                view: ParticipantType::Receiver,
                known: Known::Nothing,
            })
            .unwrap();
        let seen = until(&mut results, |a| {
            matches!(a, Event::ListDone { .. } | Event::ListFailed { .. })
        })
        .await;
        let pages: Vec<usize> = seen
            .iter()
            .filter_map(|a| match a {
                Event::ListPage {
                    generation: 7,
                    summaries,
                } => Some(summaries.len()),
                _ => None,
            })
            .collect();
        assert_eq!(pages, [100, 100, 50]);
        assert_eq!(seen.last(), Some(&Event::ListDone { generation: 7 }));
    }

    #[tokio::test]
    async fn accept_and_reject_report_their_outcome() {
        let service = FakeService::with_invitations(3);
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service.clone(), None, tx);
        let id = "engi-0000000000001".to_string();
        requests
            .send(Request::Accept {
                catalog: "Sandbox".into(),
                id: id.clone(),
            })
            .unwrap();
        let seen = until(&mut results, |a| matches!(a, Event::AcceptDone { .. })).await;
        assert_eq!(
            seen.last(),
            Some(&Event::AcceptDone {
                catalog: "Sandbox".into(),
                id: id.clone(),
                result: Ok(answer::Settled::Done)
            })
        );
        // The fake refuses a second answer, as the service does; reading it again tells why.
        requests
            .send(Request::Reject {
                catalog: "Sandbox".into(),
                id: id.clone(),
                reason: Some("No fit".into()),
            })
            .unwrap();
        let seen = until(&mut results, |a| matches!(a, Event::RejectDone { .. })).await;
        let Some(Event::RejectDone {
            result: Ok(answer::Settled::Already { status, conflict }),
            reason,
            ..
        }) = seen.last()
        else {
            panic!("{seen:?}")
        };
        assert_eq!(*status, InvitationStatus::Accepted);
        assert!(conflict.contains("not PENDING"), "{conflict}");
        assert_eq!(reason.as_deref(), Some("No fit"));
    }

    #[tokio::test]
    async fn create_reports_the_new_id_or_the_fields_the_service_refused() {
        let service = FakeService::with_invitations(0);
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service.clone(), None, tx);
        let mut draft = crate::tui::composer::draft::Draft::new("Sandbox");
        draft.engagement_identifier = "eng-abcdefghij0123".into();
        let request =
            serde_json::from_value::<CreateEngagementInvitationRequest>(serde_json::json!({
                "Catalog": "Sandbox",
                "ClientToken": draft.client_token,
                "EngagementIdentifier": "eng-abcdefghij0123",
                "Invitation": {
                    "Message": "Hallo",
                    "Receiver": {"Account": {"AwsAccountId": "123456789012"}},
                    "Payload": {"LeadInvitation": {
                        "Customer": {"CompanyName": "Müller"},
                        "Interaction": {"ContactBusinessTitle": "CTO"}
                    }}
                }
            }))
            .unwrap();
        for _ in 0..2 {
            requests
                .send(Request::Create(Box::new(request.clone())))
                .unwrap();
        }
        let mut ids = Vec::new();
        for _ in 0..2 {
            let seen = until(&mut results, |a| matches!(a, Event::CreateDone { .. })).await;
            let Some(Event::CreateDone {
                client_token,
                result: Ok(response),
            }) = seen.last()
            else {
                panic!("{seen:?}")
            };
            assert_eq!(client_token, &draft.client_token);
            ids.push(response.id.clone());
        }
        assert_eq!(ids[0], ids[1], "the same token, the same invitation");
        assert_eq!(service.created_count(), 1);

        let refused = CreateEngagementInvitationRequest {
            engagement_identifier: "eng-refused0000000".into(),
            ..request
        };
        requests.send(Request::Create(Box::new(refused))).unwrap();
        let seen = until(&mut results, |a| matches!(a, Event::CreateDone { .. })).await;
        let Some(Event::CreateDone {
            result: Err(failure),
            ..
        }) = seen.last()
        else {
            panic!("{seen:?}")
        };
        assert_eq!(failure.message, "ValidationException: engagement is closed");
        assert_eq!(
            failure.field_errors[0].field_name.as_deref(),
            Some("EngagementIdentifier")
        );
    }

    #[tokio::test]
    async fn the_cache_round_trips_through_the_worker() {
        let dir = tempfile::tempdir().unwrap();
        let service = FakeService::with_invitations(3);
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service, Some(dir.path().to_owned()), tx);
        let key = CacheKey {
            profile: "p".into(),
            catalog: "Sandbox".into(),
            view: ParticipantType::Receiver,
        };
        let summaries = vec![Arc::new(crate::tui::fixtures::summary(
            "engi-1",
            crate::api::model::InvitationStatus::Pending,
            1,
        ))];
        requests
            .send(Request::SaveCache {
                key: key.clone(),
                saved_at: *crate::tui::fixtures::NOW,
                summaries: summaries.clone(),
            })
            .unwrap();
        // Saving runs on a blocking thread; poll for the file with a bound instead of sleeping blind.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while cache::load(dir.path(), &key).ok().flatten().is_none() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the cache was never written"
            );
            tokio::task::yield_now().await;
        }
        requests
            .send(Request::LoadCache { generation: 3, key })
            .unwrap();
        let seen = until(&mut results, |a| matches!(a, Event::CacheLoaded { .. })).await;
        assert_eq!(
            seen.last(),
            Some(&Event::CacheLoaded {
                generation: 3,
                saved_at: *crate::tui::fixtures::NOW,
                summaries
            })
        );
    }

    /// A started task is followed at the paced interval until it completes; a task started for
    /// an invitation answered meanwhile fails; the tasks are listed again, newest first.
    #[tokio::test(start_paused = true)]
    async fn a_started_task_is_followed_until_it_ends() {
        use crate::api::model::TaskStatus;
        let service = FakeService::with_invitations(2);
        let (tx, mut results) = unbounded_channel();
        let requests = spawn(service.clone(), None, tx);
        let first = "engi-0000000000001".to_string();
        requests
            .send(Request::StartTask {
                catalog: "Sandbox".into(),
                invitation: first.clone(),
            })
            .unwrap();
        let seen = until(&mut results, |a| matches!(a, Event::TaskStarted { .. })).await;
        let Some(Event::TaskStarted {
            invitation,
            result: Ok(task),
            ..
        }) = seen.last()
        else {
            panic!("{seen:?}")
        };
        assert_eq!(invitation, &first);
        assert_eq!(task.task_status, Some(TaskStatus::InProgress));
        let task_id = task.task_id.clone().unwrap();
        let started = tokio::time::Instant::now();
        requests
            .send(Request::FollowTask {
                catalog: "Sandbox".into(),
                task_id: task_id.clone(),
            })
            .unwrap();
        let seen = until(&mut results, |a| matches!(a, Event::TaskUpdated { .. })).await;
        let Some(Event::TaskUpdated { task, .. }) = seen.last() else {
            panic!("{seen:?}")
        };
        assert_eq!(task.task_status, Some(TaskStatus::Complete));
        assert!(task.opportunity_id.is_some());
        assert!(
            started.elapsed() >= FIRST_TASK_LOOK,
            "the first look waits its pause"
        );
        // The second invitation is rejected before its task runs: the task fails.
        requests
            .send(Request::Reject {
                catalog: "Sandbox".into(),
                id: "engi-0000000000002".into(),
                reason: None,
            })
            .unwrap();
        until(&mut results, |a| matches!(a, Event::RejectDone { .. })).await;
        requests
            .send(Request::StartTask {
                catalog: "Sandbox".into(),
                invitation: "engi-0000000000002".into(),
            })
            .unwrap();
        until(&mut results, |a| matches!(a, Event::TaskStarted { .. })).await;
        requests
            .send(Request::ListTasks {
                catalog: "Sandbox".into(),
            })
            .unwrap();
        let seen = until(&mut results, |a| matches!(a, Event::TasksListed { .. })).await;
        let Some(Event::TasksListed {
            result: Ok(tasks), ..
        }) = seen.last()
        else {
            panic!("{seen:?}")
        };
        let statuses: Vec<_> = tasks.iter().map(|t| t.task_status.clone()).collect();
        assert_eq!(
            statuses,
            [Some(TaskStatus::Failed), Some(TaskStatus::Complete)],
            "newest first"
        );
    }
}
