//! The HTTP face of the emulator: AWS JSON 1.0 on `POST /`, dispatched on `X-Amz-Target`.
//!
//! Each request goes through the same steps as at AWS: authentication, operation lookup,
//! (injected faults), JSON parsing, validation against the model, then the store. Store
//! operations are blocking SQLite transactions, so they run on the blocking thread pool, never
//! on the async workers; a write is committed (and on disk) before the answer leaves, so an
//! acknowledged write survives a crash.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::post;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Credentials;
use super::error::ServiceError;
use super::faults::{Dice, Faults};
use super::store::Store;
use crate::api::model::{
    CreateEngagementInvitationRequest, InvitationRequest,
    ListEngagementByAcceptingInvitationTasksRequest, ListEngagementInvitationsRequest,
    ListEngagementMembersRequest, ListEngagementsRequest, Operation,
    RejectEngagementInvitationRequest, StartEngagementByAcceptingInvitationTaskRequest, Timestamp,
    ValidationErrorCode,
};
use crate::api::{signing, validate};

/// The `X-Amz-Target` prefix of the service.
const TARGET_PREFIX: &str = "AWSPartnerCentralSelling.";
const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// What every request handler shares.
pub struct Shared {
    pub store: Arc<Store>,
    pub requests: Arc<super::RequestLog>,
    pub faults: Faults,
    pub dice: Dice,
    pub verify_credentials: Option<Credentials>,
    /// How long an accepting task stays IN_PROGRESS.
    pub task_duration: std::time::Duration,
}

/// The emulator's router.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().route("/", post(handle)).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or(target);
    shared
        .requests
        .record(super::LoggedRequest::new(operation, &body));
    if !shared.faults.latency.is_zero() {
        tokio::time::sleep(shared.faults.latency).await;
    }
    let request_id = uuid::Uuid::new_v4().to_string();
    let (status, body) = match answer(&shared, &uri, &headers, &body).await {
        Ok(body) => (StatusCode::OK, body),
        Err(error) => {
            tracing::debug!(request_id, error = error.code(), "request failed");
            (error.status(), error.body().to_string().into_bytes())
        }
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let response_headers = response.headers_mut();
    response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response_headers.insert("x-amzn-RequestId", value);
    }
    response
}

/// The response body of one request, or the error it fails with.
async fn answer(
    shared: &Shared,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Vec<u8>, ServiceError> {
    authenticate(shared, uri, headers, body)?;
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let operation = target
        .strip_prefix(TARGET_PREFIX)
        .and_then(Operation::from_name)
        .ok_or_else(|| {
            ServiceError::UnknownOperation(format!("Operation `{target}` is not supported"))
        })?;
    if let Some(fault) = shared.faults.draw(&shared.dice) {
        return Err(fault);
    }
    let document = parse_document(body)?;
    let violations = validate::validate_input(operation, &document);
    if !violations.is_empty() {
        return Err(ServiceError::invalid_request(violations));
    }
    let now = Timestamp::now();
    let store = shared;
    match operation {
        Operation::ListEngagementInvitations => {
            let request: ListEngagementInvitationsRequest = typed(document)?;
            on_store(store, move |store| {
                store.list_invitations_json(&request, now)
            })
            .await
        }
        Operation::GetEngagementInvitation => {
            let request: InvitationRequest = typed(document)?;
            on_store(store, move |store| {
                to_body(&store.get_invitation(&request.catalog, &request.identifier, now)?)
            })
            .await
        }
        Operation::ListEngagementMembers => {
            let request: ListEngagementMembersRequest = typed(document)?;
            on_store(store, move |store| to_body(&store.list_members(&request)?)).await
        }
        Operation::CreateEngagementInvitation => {
            let request: CreateEngagementInvitationRequest = typed(document)?;
            on_store(store, move |store| {
                to_body(&store.create_invitation(&request, now)?)
            })
            .await
        }
        Operation::AcceptEngagementInvitation => {
            let request: InvitationRequest = typed(document)?;
            on_store(store, move |store| {
                store.accept_invitation(&request.catalog, &request.identifier, now)?;
                Ok(Vec::new())
            })
            .await
        }
        Operation::RejectEngagementInvitation => {
            let request: RejectEngagementInvitationRequest = typed(document)?;
            on_store(store, move |store| {
                store.reject_invitation(&request, now)?;
                Ok(Vec::new())
            })
            .await
        }
        Operation::StartEngagementByAcceptingInvitationTask => {
            let request: StartEngagementByAcceptingInvitationTaskRequest = typed(document)?;
            let run_for = shared.task_duration;
            on_store(store, move |store| {
                to_body(&store.start_task(&request, now, run_for)?)
            })
            .await
        }
        Operation::ListEngagementByAcceptingInvitationTasks => {
            let request: ListEngagementByAcceptingInvitationTasksRequest = typed(document)?;
            on_store(store, move |store| to_body(&store.list_tasks(&request)?)).await
        }
        Operation::GetEngagement => {
            let request: InvitationRequest = typed(document)?;
            on_store(store, move |store| {
                to_body(&store.get_engagement(&request.catalog, &request.identifier)?)
            })
            .await
        }
        Operation::ListEngagements => {
            let request: ListEngagementsRequest = typed(document)?;
            on_store(store, move |store| {
                to_body(&store.list_engagements(&request)?)
            })
            .await
        }
        Operation::GetOpportunity => {
            let request: InvitationRequest = typed(document)?;
            on_store(store, move |store| {
                to_body(&store.get_opportunity(&request.catalog, &request.identifier)?)
            })
            .await
        }
    }
}

/// Any well-formed SigV4 header passes, unless credentials are to be verified.
fn authenticate(
    shared: &Shared,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), ServiceError> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .ok_or(ServiceError::MissingAuthenticationToken)?
        .to_str()
        .map_err(|_| {
            ServiceError::IncompleteSignature("Authorization header is not ASCII".into())
        })?;
    let Some(claimed) = signing::Authorization::parse(authorization) else {
        return Err(ServiceError::IncompleteSignature(
            "Authorization header requires Credential, SignedHeaders and Signature parameters \
             of AWS4-HMAC-SHA256"
                .into(),
        ));
    };
    if let Some(credentials) = &shared.verify_credentials {
        if claimed.access_key_id != credentials.access_key_id {
            return Err(ServiceError::UnrecognizedClient(
                "The security token included in the request is invalid.".into(),
            ));
        }
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        signing::verify_signature(
            "POST",
            path,
            headers,
            body,
            &credentials.access_key_id,
            &credentials.secret_access_key,
        )
        .map_err(ServiceError::InvalidSignature)?;
    }
    Ok(())
}

/// The request body as a JSON object; an empty body is an empty object, as at AWS.
fn parse_document(body: &[u8]) -> Result<Value, ServiceError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(document @ Value::Object(_)) => Ok(document),
        Ok(_) => Err(ServiceError::Serialization(
            "The request body must be a JSON object".into(),
        )),
        Err(e) => Err(ServiceError::Serialization(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

/// The typed request; validation has already checked the document, so this only fails on
/// shapes the validation module lets through.
fn typed<T: DeserializeOwned>(document: Value) -> Result<T, ServiceError> {
    serde_json::from_value(document).map_err(|e| {
        ServiceError::invalid_field("", &e.to_string(), ValidationErrorCode::InvalidValue)
    })
}

fn to_body<T: Serialize>(response: &T) -> Result<Vec<u8>, ServiceError> {
    // Room for a page of tasks or members up front instead of growing by doubling (a copy at
    // every step).
    let mut body = Vec::with_capacity(64 * 1024);
    serde_json::to_writer(&mut body, response)
        .map_err(|e| ServiceError::InternalServer(e.to_string()))?;
    Ok(body)
}

/// Runs a store operation: an in-memory store's right here (it never waits for a disk or
/// another process, and a trip to the blocking pool would cost more than the operation), a
/// file's on the blocking thread pool (it may wait for another process's write, or the disk).
async fn on_store(
    shared: &Shared,
    operation: impl FnOnce(&Store) -> Result<Vec<u8>, ServiceError> + Send + 'static,
) -> Result<Vec<u8>, ServiceError> {
    // Tasks whose time is up settle before the operation reads the store, so no answer shows
    // a task running past its time (the background ticker settles them when nobody asks).
    let operation = move |store: &Store| {
        store.settle_due_tasks(Timestamp::now())?;
        operation(store)
    };
    if shared.store.is_in_memory() {
        return operation(&shared.store);
    }
    let store = Arc::clone(&shared.store);
    tokio::task::spawn_blocking(move || operation(&store))
        .await
        .unwrap_or_else(|join| Err(ServiceError::InternalServer(join.to_string())))
}
