//! Typed errors of the service and of the transport, keyed on the AWS error code.

use serde::{Deserialize, Serialize};

use super::model::{ValidationErrorCode, ValidationReason};

/// One entry of a `ValidationException`'s `ErrorList`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FieldError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    pub message: String,
    pub code: ValidationErrorCode,
}

/// What a call to Partner Central can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("ThrottlingException: {message}")]
    Throttling { message: String },
    #[error("AccessDeniedException: {message}")]
    AccessDenied {
        message: String,
        reason: Option<String>,
    },
    #[error("ValidationException: {message}{}", format_field_errors(.errors))]
    Validation {
        message: String,
        reason: Option<ValidationReason>,
        errors: Vec<FieldError>,
    },
    #[error("ResourceNotFoundException: {message}")]
    ResourceNotFound { message: String },
    #[error("ConflictException: {message}")]
    Conflict { message: String },
    #[error("ServiceQuotaExceededException: {message}")]
    ServiceQuotaExceeded { message: String },
    #[error("InternalServerException: {message}")]
    InternalServer { message: String },
    /// An error code this version does not know, with the HTTP status it came with.
    #[error("{code} (HTTP {status}): {message}")]
    Unknown {
        code: String,
        status: u16,
        message: String,
    },
    /// No credentials could be found or refreshed.
    #[error(
        "no AWS credentials found ({0}): set AWS_PROFILE or --profile, run `aws sso login`, or try `--local` for the embedded emulator"
    )]
    Credentials(String),
    /// The request never got an HTTP answer (DNS, connect, timeout, dropped connection).
    #[error("could not reach {endpoint}: {message}")]
    Transport { endpoint: String, message: String },
    /// The service answered 2xx with a body that does not fit the model.
    #[error("unexpected response from the service: {0}")]
    Decode(String),
    /// Retries were spent; the last error is kept.
    #[error("gave up after {attempts} attempts: {last}")]
    RetriesExhausted { attempts: u32, last: Box<Error> },
}

fn format_field_errors(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| match &e.field_name {
            Some(field) => format!("\n  {field}: {} ({})", e.message, e.code),
            None => format!("\n  {} ({})", e.message, e.code),
        })
        .collect()
}

impl Error {
    /// The AWS error code (`ThrottlingException`, …), or a short name for local failures.
    pub fn code(&self) -> &str {
        match self {
            Error::Throttling { .. } => "ThrottlingException",
            Error::AccessDenied { .. } => "AccessDeniedException",
            Error::Validation { .. } => "ValidationException",
            Error::ResourceNotFound { .. } => "ResourceNotFoundException",
            Error::Conflict { .. } => "ConflictException",
            Error::ServiceQuotaExceeded { .. } => "ServiceQuotaExceededException",
            Error::InternalServer { .. } => "InternalServerException",
            Error::Unknown { code, .. } => code,
            Error::Credentials(_) => "NoCredentials",
            Error::Transport { .. } => "TransportError",
            Error::Decode(_) => "DecodeError",
            Error::RetriesExhausted { last, .. } => last.code(),
        }
    }

    /// The error behind any retry wrapper.
    pub fn root(&self) -> &Error {
        match self {
            Error::RetriesExhausted { last, .. } => last.root(),
            other => other,
        }
    }
}
