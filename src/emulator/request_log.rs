//! The request log: every request the emulator receives, in order, so tests and benchmarks can
//! count what a client really asked for (`RunningEmulator::requests`, and
//! `pcinbox serve --request-log FILE`, one JSON line per request). A request is logged when it
//! arrives, before any injected latency, with its operation and the listing filters that tell
//! one ListEngagementInvitations from another; never a body's other fields.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;

/// One logged request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoggedRequest {
    /// The operation named by `X-Amz-Target`, without the service prefix.
    pub operation: String,
    /// `Status` of a listing, when it filters by status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<String>>,
    /// Whether the request carried a `NextToken` (a page after the first).
    pub next_page: bool,
}

impl LoggedRequest {
    pub(super) fn new(operation: &str, body: &[u8]) -> LoggedRequest {
        let document: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let status = document
            .get("Status")
            .and_then(Value::as_array)
            .map(|values| {
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            });
        LoggedRequest {
            operation: operation.to_owned(),
            status,
            next_page: document.get("NextToken").is_some_and(|t| !t.is_null()),
        }
    }
}

/// Every request so far, and the file they are appended to, if any.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<Vec<LoggedRequest>>,
    file: Option<Mutex<std::fs::File>>,
}

impl RequestLog {
    /// A log that also appends each request to `path` as a JSON line.
    pub fn to_file(path: &Path) -> std::io::Result<RequestLog> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(RequestLog {
            entries: Mutex::default(),
            file: Some(Mutex::new(file)),
        })
    }

    pub(super) fn record(&self, request: LoggedRequest) {
        if let Some(file) = &self.file {
            let mut file = file
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Ok(line) = serde_json::to_string(&request)
                && let Err(e) = writeln!(file, "{line}")
            {
                tracing::warn!("could not write the request log: {e}");
            }
        }
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(request);
    }

    /// The requests so far, oldest first.
    pub fn entries(&self) -> Vec<LoggedRequest> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// How many requests so far.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets the requests so far (the file keeps them).
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}
