//! The signed Partner Central Selling client: AWS JSON 1.0 over one reused connection pool,
//! SigV4 with cached credentials, client-side rate limits, retries with backoff, clock-skew
//! correction, and pagination.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use super::Error;
use super::clock_skew::{self, ClockSkew};
use super::credentials::{self, CredentialsCache};
use super::model::*;
use super::pagination::{Listed, Page, ResumeToken, paginate, paginate_from, prefetch};
use super::rate_limit::RateLimiter;
use super::retry::{self, RetryKind, RetryPolicy};
use super::schema;
use super::signing;
use super::transport;

pub use super::credentials::StaticCredentials;
pub use super::endpoint::{DEFAULT_ENDPOINT, resolve_endpoint};
pub use super::rate_limit::{RateLimits, default_rate_limits};

/// `Content-Type` of AWS JSON 1.0.
const CONTENT_TYPE: &str = "application/x-amz-json-1.0";
/// Prefix of `X-Amz-Target`.
const TARGET_PREFIX: &str = "AWSPartnerCentralSelling";
/// The service's only region.
pub const DEFAULT_REGION: &str = "us-east-1";

/// How to reach and call the service.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://partnercentral-selling.us-east-1.api.aws`.
    pub endpoint: String,
    pub region: String,
    /// A profile named on the command line (`--profile`), used even when the environment has
    /// keys; `None` is the default chain, which reads `AWS_PROFILE` itself.
    pub profile: Option<String>,
    /// Total attempts per call, including the first (default 5).
    pub max_attempts: u32,
    /// `None` turns the client-side limiter off.
    pub rate_limits: Option<RateLimits>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
}

impl Default for ClientConfig {
    /// The service itself, the default profile chain, its quotas, 5 attempts.
    fn default() -> Self {
        ClientConfig {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            region: DEFAULT_REGION.to_owned(),
            profile: None,
            max_attempts: 5,
            rate_limits: Some(RateLimits::SERVICE_QUOTAS),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
        }
    }
}

/// A cheap-to-clone handle to the signed client (one connection pool, shared credentials cache).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// Where the client goes; nothing about its credentials.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.inner.url)
            .field("region", &self.inner.region)
            .field("max_attempts", &self.inner.max_attempts)
            .field("rate_limited", &self.inner.limiter.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct Inner {
    http: reqwest::Client,
    /// Where requests go: the endpoint with its path, `POST /` by default.
    url: String,
    region: String,
    max_attempts: u32,
    credentials: Arc<CredentialsCache>,
    limiter: Option<Arc<RateLimiter>>,
    skew: Arc<ClockSkew>,
    retry: RetryPolicy,
    /// Told of every retry before its backoff (the inbox shows them).
    retry_observer: Option<RetryObserver>,
}

/// A retry about to happen: which call, why, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryNotice {
    pub operation: Operation,
    /// The attempt that failed (from 1) and the budget (`--max-attempts`).
    pub attempt: u32,
    pub max_attempts: u32,
    /// The error code that caused it, e.g. `ThrottlingException`.
    pub code: String,
    /// The backoff before the next attempt.
    pub delay: Duration,
}

/// Receives [`RetryNotice`]s; called on the request's task, so it must not block.
pub type RetryObserver = Arc<dyn Fn(RetryNotice) + Send + Sync>;

/// Why one attempt failed, and what the retry loop may do about it.
struct Failure {
    error: Error,
    retry: Option<RetryKind>,
    retry_after: Option<Duration>,
    /// The clock offset was corrected or expired credentials dropped: signing again now can
    /// succeed, without backoff.
    resign: bool,
    /// The request may have reached the service, but no answer came back (so it may have
    /// taken effect).
    unanswered: bool,
}

impl Failure {
    fn fatal(error: Error) -> Failure {
        Failure {
            error,
            retry: None,
            retry_after: None,
            resign: false,
            unanswered: false,
        }
    }
}

impl Client {
    /// A client whose credentials come from the AWS default chain / profile (aws-config).
    ///
    /// Credentials are fetched on the first call (a missing profile or an expired SSO session
    /// is an `Error::Credentials` then), and cached until five minutes before they expire.
    /// Like the AWS CLI, `AWS_CA_BUNDLE` adds trusted roots.
    pub async fn new(config: ClientConfig) -> Result<Client, Error> {
        let http = pool(&config, || {
            match std::env::var_os(transport::CA_BUNDLE_ENV) {
                Some(path) if !path.is_empty() => transport::load_ca_bundle(path.as_ref()),
                _ => Ok(Vec::new()),
            }
        })?;
        let provider =
            credentials::default_provider(config.profile.as_deref(), &config.region).await;
        Ok(Client::build(config, http, provider))
    }

    /// A client with fixed credentials (the embedded emulator, tests).
    pub fn with_static_credentials(config: ClientConfig, credentials: StaticCredentials) -> Client {
        let http = if transport::is_plain_http(&config.endpoint) {
            transport::plain_http_client(config.connect_timeout, config.read_timeout)
        } else {
            transport::local_http_client(config.connect_timeout, config.read_timeout)
        };
        let provider = SharedCredentialsProvider::new(Credentials::from(credentials));
        Client::build(config, http, provider)
    }

    /// A client with any credentials provider, cached as in [`Client::new`].
    pub fn with_credentials_provider(
        config: ClientConfig,
        provider: SharedCredentialsProvider,
    ) -> Result<Client, Error> {
        let http = pool(&config, || Ok(Vec::new()))?;
        Ok(Client::build(config, http, provider))
    }

    /// The same client (pool, credentials, limiter) with other backoff settings.
    pub fn with_retry_policy(self, policy: RetryPolicy) -> Client {
        let mut inner = Arc::unwrap_or_clone(self.inner);
        inner.retry = policy;
        Client {
            inner: Arc::new(inner),
        }
    }

    /// The same client, telling `observer` of each retry before it waits.
    pub fn with_retry_observer(
        self,
        observer: impl Fn(RetryNotice) + Send + Sync + 'static,
    ) -> Client {
        let mut inner = Arc::unwrap_or_clone(self.inner);
        inner.retry_observer = Some(Arc::new(observer));
        Client {
            inner: Arc::new(inner),
        }
    }

    fn build(
        config: ClientConfig,
        http: reqwest::Client,
        provider: SharedCredentialsProvider,
    ) -> Client {
        // `https://host` and `https://host/` are the same `POST /`; a URL that does not parse
        // is kept as given and fails on the first call with a clear transport error.
        let url = reqwest::Url::parse(&config.endpoint)
            .map(String::from)
            .unwrap_or(config.endpoint);
        Client {
            inner: Arc::new(Inner {
                http,
                url,
                region: config.region,
                max_attempts: config.max_attempts.max(1),
                credentials: Arc::new(CredentialsCache::new(provider)),
                limiter: config.rate_limits.map(|l| Arc::new(RateLimiter::new(l))),
                skew: Arc::new(ClockSkew::default()),
                retry: RetryPolicy::default(),
                retry_observer: None,
            }),
        }
    }

    /// The clock offset in use (service minus local time, milliseconds).
    pub fn clock_offset_ms(&self) -> i64 {
        self.inner.skew.offset_ms()
    }

    pub async fn list_engagement_invitations(
        &self,
        request: &ListEngagementInvitationsRequest,
    ) -> Result<ListEngagementInvitationsResponse, Error> {
        self.call(Operation::ListEngagementInvitations, request)
            .await
    }

    /// Every page of a listing, following NextToken until the end or `max_items` summaries.
    ///
    /// Each page is only scanned (its token, its summaries as raw JSON) before the next request
    /// goes out; the summaries are decoded as the caller takes the page, while the next one is
    /// on the wire. Decoding was most of the time between two requests of a long listing.
    /// The pages are fetched by a spawned task, so this is called within a Tokio runtime.
    pub fn paginate_invitations(
        &self,
        request: ListEngagementInvitationsRequest,
        max_items: Option<usize>,
    ) -> BoxStream<'static, Result<Vec<EngagementInvitationSummary>, Error>> {
        self.paginate_summaries(request, max_items)
    }

    /// Like [`Client::paginate_invitations`], with each summary exactly as the service sent it:
    /// fields, enum values and timestamp forms this version does not know are kept, so JSON
    /// output loses nothing a newer service adds.
    pub fn paginate_invitations_raw(
        &self,
        request: ListEngagementInvitationsRequest,
        max_items: Option<usize>,
    ) -> BoxStream<'static, Result<Vec<Value>, Error>> {
        self.paginate_summaries(request, max_items)
    }

    /// Follows NextToken from `request`'s, as [`Client::paginate_invitations`] describes,
    /// decoding each page's summaries as `T` when the caller takes it.
    fn paginate_summaries<T: DeserializeOwned + Send + 'static>(
        &self,
        request: ListEngagementInvitationsRequest,
        max_items: Option<usize>,
    ) -> BoxStream<'static, Result<Vec<T>, Error>> {
        let start = ResumeToken {
            next_token: request.next_token.clone(),
            skip: 0,
        };
        let request = serde_json::to_value(&request).unwrap_or_default();
        self.paginate_raw(
            Operation::ListEngagementInvitations,
            request,
            "EngagementInvitationSummaries",
            start,
            max_items,
        )
        .map(|page| decode_summaries(page?.items))
        .boxed()
    }

    /// Every page of any paginated operation from `request` (its JSON form), as botocore's
    /// paginator takes them: from `start` until the end or `max_items` items, each page's
    /// `result_key` items exactly as the service sent them, unparsed, and where the rest
    /// starts if `max_items` cut the listing short. Each page is only scanned (its token,
    /// where its items start and end) before the next request goes out; parsing the items is
    /// the caller's, while the next page is on the wire. Decoding was most of the time between
    /// two requests of a long listing. The pages are fetched by a spawned task, so this is
    /// called within a Tokio runtime.
    pub fn paginate_raw(
        &self,
        operation: Operation,
        request: Value,
        result_key: &'static str,
        start: ResumeToken,
        max_items: Option<usize>,
    ) -> BoxStream<'static, Result<Listed<Box<RawValue>>, Error>> {
        let client = self.clone();
        let pages = paginate_from(start, max_items, move |token| {
            let client = client.clone();
            let mut request = request.clone();
            if let Some(fields) = request.as_object_mut() {
                match token {
                    Some(token) => fields.insert("NextToken".to_owned(), Value::String(token)),
                    None => fields.remove("NextToken"),
                };
            }
            async move {
                let body = client.send(operation, &request).await?;
                scan_page(&body, result_key)
                    .map_err(|e| Error::Decode(format!("{} output: {e}", operation.name())))
            }
        });
        prefetch(pages, 1)
    }

    pub async fn get_engagement_invitation(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<EngagementInvitation, Error> {
        let request = InvitationRequest::new(catalog, identifier);
        self.call(Operation::GetEngagementInvitation, &request)
            .await
    }

    /// GetEngagementInvitation's answer exactly as the service sent it (see
    /// [`Client::paginate_invitations_raw`]).
    pub async fn get_engagement_invitation_raw(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<Value, Error> {
        let request = InvitationRequest::new(catalog, identifier);
        self.call_raw(Operation::GetEngagementInvitation, &request)
            .await
    }

    /// Fills a missing ClientToken with a fresh UUID; retries reuse the same token.
    pub async fn create_engagement_invitation(
        &self,
        request: &CreateEngagementInvitationRequest,
    ) -> Result<CreateEngagementInvitationResponse, Error> {
        let mut request = request.clone();
        request.client_token = Some(with_client_token(request.client_token));
        self.call(Operation::CreateEngagementInvitation, &request)
            .await
    }

    pub async fn accept_engagement_invitation(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<(), Error> {
        let request = InvitationRequest::new(catalog, identifier);
        self.call_without_output(Operation::AcceptEngagementInvitation, &request)
            .await
    }

    pub async fn reject_engagement_invitation(
        &self,
        request: &RejectEngagementInvitationRequest,
    ) -> Result<(), Error> {
        self.call_without_output(Operation::RejectEngagementInvitation, request)
            .await
    }

    pub async fn list_engagement_members(
        &self,
        request: &ListEngagementMembersRequest,
    ) -> Result<ListEngagementMembersResponse, Error> {
        self.call(Operation::ListEngagementMembers, request).await
    }

    /// Every member of an engagement, all pages merged.
    pub async fn list_all_engagement_members(
        &self,
        catalog: &str,
        engagement_id: &str,
    ) -> Result<Vec<EngagementMember>, Error> {
        let client = self.clone();
        let request = ListEngagementMembersRequest {
            catalog: catalog.to_owned(),
            identifier: engagement_id.to_owned(),
            ..Default::default()
        };
        let pages = paginate(None, None, move |token| {
            let client = client.clone();
            let request = ListEngagementMembersRequest {
                next_token: token,
                ..request.clone()
            };
            async move {
                let response = client.list_engagement_members(&request).await?;
                Ok(Page {
                    items: response.engagement_member_list,
                    next_token: response.next_token,
                })
            }
        });
        pages.try_concat().await
    }

    /// Starts accepting an invitation by task. Fills a missing ClientToken with a fresh UUID;
    /// retries reuse the same token, so a lost answer never starts a second task.
    pub async fn start_engagement_by_accepting_invitation_task(
        &self,
        request: &StartEngagementByAcceptingInvitationTaskRequest,
    ) -> Result<EngagementTask, Error> {
        let mut request = request.clone();
        request.client_token = Some(with_client_token(request.client_token));
        self.call(
            Operation::StartEngagementByAcceptingInvitationTask,
            &request,
        )
        .await
    }

    pub async fn list_engagement_by_accepting_invitation_tasks(
        &self,
        request: &ListEngagementByAcceptingInvitationTasksRequest,
    ) -> Result<ListEngagementByAcceptingInvitationTasksResponse, Error> {
        self.call(Operation::ListEngagementByAcceptingInvitationTasks, request)
            .await
    }

    /// Every task the request matches, all pages merged.
    pub async fn list_all_engagement_by_accepting_invitation_tasks(
        &self,
        request: &ListEngagementByAcceptingInvitationTasksRequest,
    ) -> Result<Vec<EngagementTask>, Error> {
        let client = self.clone();
        let request = request.clone();
        paginate(request.next_token.clone(), None, move |token| {
            let client = client.clone();
            let request = ListEngagementByAcceptingInvitationTasksRequest {
                next_token: token,
                ..request.clone()
            };
            async move {
                let response = client
                    .list_engagement_by_accepting_invitation_tasks(&request)
                    .await?;
                Ok(Page {
                    items: response.task_summaries,
                    next_token: response.next_token,
                })
            }
        })
        .try_concat()
        .await
    }

    /// One task by id (ListEngagementByAcceptingInvitationTasks with its TaskIdentifier);
    /// `None` if the service does not list it.
    pub async fn get_engagement_by_accepting_invitation_task(
        &self,
        catalog: &str,
        task_id: &str,
    ) -> Result<Option<EngagementTask>, Error> {
        let request = ListEngagementByAcceptingInvitationTasksRequest {
            catalog: catalog.to_owned(),
            task_identifier: Some(vec![task_id.to_owned()]),
            ..Default::default()
        };
        let response = self
            .list_engagement_by_accepting_invitation_tasks(&request)
            .await?;
        Ok(response.task_summaries.into_iter().next())
    }

    pub async fn get_engagement(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<EngagementDetails, Error> {
        self.call(
            Operation::GetEngagement,
            &InvitationRequest::new(catalog, identifier),
        )
        .await
    }

    pub async fn list_engagements(
        &self,
        request: &ListEngagementsRequest,
    ) -> Result<ListEngagementsResponse, Error> {
        self.call(Operation::ListEngagements, request).await
    }

    /// Every engagement the request matches, all pages merged.
    pub async fn list_all_engagements(
        &self,
        request: &ListEngagementsRequest,
    ) -> Result<Vec<EngagementSummary>, Error> {
        let client = self.clone();
        let request = request.clone();
        paginate(request.next_token.clone(), None, move |token| {
            let client = client.clone();
            let request = ListEngagementsRequest {
                next_token: token,
                ..request.clone()
            };
            async move {
                let response = client.list_engagements(&request).await?;
                Ok(Page {
                    items: response.engagement_summary_list,
                    next_token: response.next_token,
                })
            }
        })
        .try_concat()
        .await
    }

    pub async fn get_opportunity(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<Opportunity, Error> {
        self.call(
            Operation::GetOpportunity,
            &InvitationRequest::new(catalog, identifier),
        )
        .await
    }

    /// GetEngagement's or GetOpportunity's answer exactly as the service sent it (see
    /// [`Client::paginate_invitations_raw`]).
    pub async fn get_raw(
        &self,
        operation: Operation,
        catalog: &str,
        identifier: &str,
    ) -> Result<Value, Error> {
        self.call_raw(operation, &InvitationRequest::new(catalog, identifier))
            .await
    }

    /// Calls an operation and decodes its output.
    async fn call<I: Serialize, O: DeserializeOwned>(
        &self,
        operation: Operation,
        input: &I,
    ) -> Result<O, Error> {
        let body = self.send(operation, input).await?;
        serde_json::from_slice(&body)
            .map_err(|e| Error::Decode(format!("{} output: {e}", operation.name())))
    }

    /// Calls an operation and returns its output as sent: any JSON object.
    async fn call_raw<I: Serialize>(
        &self,
        operation: Operation,
        input: &I,
    ) -> Result<Value, Error> {
        let body = self.send(operation, input).await?;
        match serde_json::from_slice::<Value>(&body) {
            Ok(output @ Value::Object(_)) => Ok(output),
            Ok(_) => Err(Error::Decode(format!(
                "{} output is not a JSON object",
                operation.name()
            ))),
            Err(e) => Err(Error::Decode(format!("{} output: {e}", operation.name()))),
        }
    }

    /// Calls an operation whose output is empty (an empty body or any JSON object).
    async fn call_without_output<I: Serialize>(
        &self,
        operation: Operation,
        input: &I,
    ) -> Result<(), Error> {
        let body = self.send(operation, input).await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(_)) => Ok(()),
            _ => Err(Error::Decode(format!(
                "{} output is not a JSON object",
                operation.name()
            ))),
        }
    }

    /// Sends an operation with retries; the body of the successful answer.
    async fn send<I: Serialize>(&self, operation: Operation, input: &I) -> Result<Bytes, Error> {
        // Serialized once: every attempt (and so a create's ClientToken) is the same request.
        let body = Bytes::from(
            serde_json::to_vec(input)
                .map_err(|e| Error::Decode(format!("{} input: {e}", operation.name())))?,
        );
        trace_body("request", operation, schema::input_shape(operation), &body);
        let inner = &self.inner;
        let mut attempt = 0;
        // Whether an earlier attempt may have taken effect without its answer arriving.
        let mut unanswered = false;
        loop {
            attempt += 1;
            if let Some(limiter) = &inner.limiter {
                limiter.acquire(operation).await;
            }
            let failure = match self.attempt(operation, &body, attempt).await {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let failure = match failure.error {
                // Accept/reject are not idempotent: a conflict now may be the earlier attempt's
                // own doing, which `api::answer` finds out.
                Error::Conflict { message } if unanswered => {
                    return Err(Error::ConflictOnRetry {
                        attempts: attempt,
                        message,
                    });
                }
                _ => failure,
            };
            unanswered |= failure.unanswered;
            let spent = attempt >= inner.max_attempts;
            if failure.resign && !spent {
                tracing::debug!(
                    operation = operation.name(),
                    attempt,
                    error = failure.error.code(),
                    offset_ms = inner.skew.offset_ms(),
                    "signing again"
                );
                continue;
            }
            let Some(kind) = failure.retry else {
                return Err(failure.error);
            };
            if spent {
                return Err(Error::RetriesExhausted {
                    attempts: attempt,
                    last: Box::new(failure.error),
                });
            }
            let delay = inner.retry.delay(kind, attempt, failure.retry_after);
            tracing::debug!(
                operation = operation.name(),
                attempt,
                error = failure.error.code(),
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
            if let Some(observer) = &inner.retry_observer {
                observer(RetryNotice {
                    operation,
                    attempt,
                    max_attempts: inner.max_attempts,
                    code: failure.error.code().to_owned(),
                    delay,
                });
            }
            inner.retry.sleeper.sleep(delay).await;
        }
    }

    /// One signed request and its classified outcome.
    async fn attempt(
        &self,
        operation: Operation,
        body: &Bytes,
        attempt: u32,
    ) -> Result<Bytes, Failure> {
        let inner = &self.inner;
        let credentials = inner
            .credentials
            .credentials()
            .await
            .map_err(Failure::fatal)?;
        let target = format!("{TARGET_PREFIX}.{}", operation.name());
        let headers = [
            ("content-type", CONTENT_TYPE),
            ("x-amz-target", target.as_str()),
        ];
        let signature = signing::signing_headers(
            "POST",
            &inner.url,
            &headers,
            body,
            &credentials,
            &inner.region,
            inner.skew.now(),
        )
        .map_err(|e| {
            Failure::fatal(Error::Transport {
                endpoint: inner.url.clone(),
                message: format!("cannot sign the request: {e}"),
            })
        })?;

        let mut request = inner.http.post(&inner.url).body(body.clone());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        for (name, value) in signature {
            request = request.header(name, value);
        }
        let started = Instant::now();
        let no_answer = |e: reqwest::Error| Failure {
            retry: (!e.is_builder()).then_some(RetryKind::Transient),
            unanswered: !e.is_builder() && !e.is_connect(),
            error: Error::Transport {
                endpoint: inner.url.clone(),
                message: transport::describe(&e),
            },
            retry_after: None,
            resign: false,
        };
        let response = request.send().await.map_err(|e| {
            let failure = no_answer(e);
            tracing::debug!(
                operation = operation.name(),
                attempt,
                error = %failure.error,
                "no answer"
            );
            failure
        })?;
        let status = response.status().as_u16();
        let response_headers = response.headers().clone();
        let answer = response.bytes().await.map_err(no_answer)?;
        let request_id = response_headers
            .get("x-amzn-requestid")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::debug!(
            operation = operation.name(),
            status,
            attempt,
            latency_ms = started.elapsed().as_millis() as u64,
            request_id,
            "answer"
        );
        if (200..300).contains(&status) {
            trace_body(
                "response",
                operation,
                schema::output_shape(operation),
                &answer,
            );
            return Ok(answer);
        }

        let error = Error::from_response(status, &response_headers, &answer);
        let resign = if clock_skew::is_skew_error(&error) {
            response_headers
                .get(http::header::DATE)
                .and_then(|v| v.to_str().ok())
                .and_then(clock_skew::parse_http_date)
                .is_some_and(|server| inner.skew.correct(server, std::time::SystemTime::now()))
        } else if credentials::is_expired_token_error(&error) {
            inner.credentials.invalidate().await;
            true
        } else {
            false
        };
        Err(Failure {
            retry: retry::classify(&error),
            retry_after: retry::retry_after(&response_headers),
            resign,
            unanswered: false,
            error,
        })
    }
}

/// The connection pool for `config`'s endpoint: plain HTTP needs no trusted roots (reading the
/// system's costs start-up time); HTTPS trusts the system's and `extra_roots`, read only then.
fn pool(
    config: &ClientConfig,
    extra_roots: impl FnOnce() -> Result<Vec<reqwest::Certificate>, String>,
) -> Result<reqwest::Client, Error> {
    let (connect, read) = (config.connect_timeout, config.read_timeout);
    if transport::is_plain_http(&config.endpoint) {
        return Ok(transport::plain_http_client(connect, read));
    }
    extra_roots()
        .and_then(|roots| transport::http_client(connect, read, roots))
        .map_err(|message| Error::Transport {
            endpoint: config.endpoint.clone(),
            message,
        })
}

/// The request's ClientToken, or a fresh UUID when it has none (as the SDKs fill an
/// idempotency token).
fn with_client_token(token: Option<String>) -> String {
    token
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Decodes a scanned page's summaries, typed or as JSON values.
fn decode_summaries<T: DeserializeOwned>(page: Vec<Box<RawValue>>) -> Result<Vec<T>, Error> {
    page.iter()
        .map(|summary| {
            serde_json::from_str(summary.get()).map_err(|e| {
                Error::Decode(format!(
                    "{} output: {e}",
                    Operation::ListEngagementInvitations.name()
                ))
            })
        })
        .collect()
}

/// One page of a listing scanned: the items under its result key left as JSON text, and the
/// next page's token; every other member skipped.
fn scan_page(body: &[u8], result_key: &str) -> Result<Page<Box<RawValue>>, serde_json::Error> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

    struct PageOf<'k>(&'k str);
    impl<'de> Visitor<'de> for PageOf<'_> {
        type Value = Page<Box<RawValue>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut page = Page {
                items: Vec::new(),
                next_token: None,
            };
            while let Some(key) = map.next_key::<String>()? {
                if key == self.0 {
                    page.items = map.next_value::<Option<_>>()?.unwrap_or_default();
                } else if key == "NextToken" {
                    page.next_token = map.next_value()?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(page)
        }
    }
    impl<'de> DeserializeSeed<'de> for PageOf<'_> {
        type Value = Page<Box<RawValue>>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let page = PageOf(result_key).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(page)
}

/// Logs a request or response body at trace level, with the model's sensitive fields redacted;
/// a body without a model shape or that is not JSON is not logged.
fn trace_body(direction: &str, operation: Operation, shape: Option<&str>, body: &[u8]) {
    if !tracing::enabled!(tracing::Level::TRACE) {
        return;
    }
    let (Some(shape), Ok(document)) = (shape, serde_json::from_slice(body)) else {
        return;
    };
    let redacted = schema::redact(shape, &document);
    tracing::trace!(operation = operation.name(), direction, body = %redacted, "body");
}
