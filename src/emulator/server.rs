//! The HTTP face of the emulator: AWS JSON 1.0 on `POST /`, dispatched on `X-Amz-Target`.
//!
//! Each request goes through the same steps as at AWS: authentication, operation lookup,
//! (injected faults), JSON parsing, validation against the model, then the store. The store is
//! behind a synchronous lock that is never held across an await; a change is written to the
//! store file before the answer leaves, so an acknowledged write survives a crash.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

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
    pub store: RwLock<Store>,
    /// The store file; `None` keeps everything in memory.
    pub file: Option<PathBuf>,
    /// The generation last written to the file (writes never go back in time).
    pub written: Arc<Mutex<u64>>,
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
    // Tasks whose time is up settle before anything reads the store, so no answer shows a task
    // running past its time (the background ticker settles them when nobody asks).
    settle_due_tasks(shared, now).await?;
    match operation {
        Operation::ListEngagementInvitations => {
            let request: ListEngagementInvitationsRequest = typed(document)?;
            to_body(&read(shared).list_invitations(&request, now)?)
        }
        Operation::GetEngagementInvitation => {
            let request: InvitationRequest = typed(document)?;
            to_body(&read(shared).get_invitation(&request.catalog, &request.identifier, now)?)
        }
        Operation::ListEngagementMembers => {
            let request: ListEngagementMembersRequest = typed(document)?;
            to_body(&read(shared).list_members(&request)?)
        }
        Operation::CreateEngagementInvitation => {
            let request: CreateEngagementInvitationRequest = typed(document)?;
            let created = change(shared, |store| store.create_invitation(&request, now)).await?;
            to_body(&created)
        }
        Operation::AcceptEngagementInvitation => {
            let request: InvitationRequest = typed(document)?;
            change(shared, |store| {
                store.accept_invitation(&request.catalog, &request.identifier, now)
            })
            .await?;
            Ok(Vec::new())
        }
        Operation::RejectEngagementInvitation => {
            let request: RejectEngagementInvitationRequest = typed(document)?;
            change(shared, |store| store.reject_invitation(&request, now)).await?;
            Ok(Vec::new())
        }
        Operation::StartEngagementByAcceptingInvitationTask => {
            let request: StartEngagementByAcceptingInvitationTaskRequest = typed(document)?;
            let run_for = shared.task_duration;
            let task = change(shared, |store| store.start_task(&request, now, run_for)).await?;
            to_body(&task)
        }
        Operation::ListEngagementByAcceptingInvitationTasks => {
            let request: ListEngagementByAcceptingInvitationTasksRequest = typed(document)?;
            to_body(&read(shared).list_tasks(&request)?)
        }
        Operation::GetEngagement => {
            let request: InvitationRequest = typed(document)?;
            to_body(&read(shared).get_engagement(&request.catalog, &request.identifier)?)
        }
        Operation::ListEngagements => {
            let request: ListEngagementsRequest = typed(document)?;
            to_body(&read(shared).list_engagements(&request)?)
        }
        Operation::GetOpportunity => {
            let request: InvitationRequest = typed(document)?;
            to_body(&read(shared).get_opportunity(&request.catalog, &request.identifier)?)
        }
    }
}

/// Settles the tasks whose time is up (and saves the store if any did).
pub async fn settle_due_tasks(shared: &Shared, now: Timestamp) -> Result<(), ServiceError> {
    if read(shared).next_due().is_some_and(|due| due <= now) {
        change(shared, |store| {
            store.settle_due_tasks(now);
            Ok(())
        })
        .await?;
    }
    Ok(())
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
    // A page of 100 summaries is about 50 KB: room for it up front instead of growing by
    // doubling (a copy at every step).
    let mut body = Vec::with_capacity(64 * 1024);
    serde_json::to_writer(&mut body, response)
        .map_err(|e| ServiceError::InternalServer(e.to_string()))?;
    Ok(body)
}

pub fn read(shared: &Shared) -> std::sync::RwLockReadGuard<'_, Store> {
    shared.store.read().unwrap_or_else(PoisonError::into_inner)
}

/// Runs a change on the store and, if it changed anything, writes the store file before
/// answering.
async fn change<T>(
    shared: &Shared,
    operation: impl FnOnce(&mut Store) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    let (result, snapshot) = {
        let mut store = shared.store.write().unwrap_or_else(PoisonError::into_inner);
        let before = store.generation();
        let result = operation(&mut store);
        let snapshot = match &shared.file {
            Some(path) if store.generation() != before => Some((
                path.clone(),
                store.generation(),
                store
                    .to_json()
                    .map_err(|e| ServiceError::InternalServer(e.to_string()))?,
            )),
            _ => None,
        };
        (result, snapshot)
    };
    if let Some((path, generation, json)) = snapshot {
        persist(shared, path, generation, json).await?;
    }
    result
}

async fn persist(
    shared: &Shared,
    path: PathBuf,
    generation: u64,
    json: Vec<u8>,
) -> Result<(), ServiceError> {
    let written = Arc::clone(&shared.written);
    let shown = path.display().to_string();
    let outcome = tokio::task::spawn_blocking(move || {
        // Writes are serialised by this lock; a snapshot older than the file's is skipped.
        let mut last = written.lock().unwrap_or_else(PoisonError::into_inner);
        if generation > *last {
            crate::files::write_private(&path, &json)?;
            *last = generation;
        }
        Ok::<(), std::io::Error>(())
    })
    .await
    .unwrap_or_else(|join| Err(std::io::Error::other(join.to_string())));
    outcome.map_err(|e| {
        tracing::error!("cannot write the store file {shown}: {e}");
        ServiceError::InternalServer(format!("The emulator could not save its state: {e}"))
    })
}
