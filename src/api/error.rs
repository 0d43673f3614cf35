//! Typed errors of the service and of the transport, keyed on the AWS error code.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{ValidationErrorCode, ValidationReason};
use crate::sanitize;

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
    /// A ConflictException answering a retry after an attempt that got no answer: that attempt
    /// may have taken effect itself (`api::answer` reads the invitation again to tell).
    #[error(
        "ConflictException: {message} (on attempt {attempts}, after an attempt whose answer was lost)"
    )]
    ConflictOnRetry { attempts: u32, message: String },
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
            Error::Conflict { .. } | Error::ConflictOnRetry { .. } => "ConflictException",
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

/// Longest excerpt of a non-JSON error body kept in an error message.
const EXCERPT_CHARS: usize = 200;

impl Error {
    /// Decodes a non-2xx answer of the service into its typed error.
    ///
    /// The error code comes from the `x-amzn-ErrorType` header or the body's `__type` (also
    /// `code`), in any of their forms (`Name`, `namespace#Name`, `Name:uri`); the message from
    /// `Message` or `message`. The code decides the variant, never the status. A body that is
    /// not JSON (a proxy's HTML page) becomes `Unknown` with a short, terminal-safe excerpt.
    pub fn from_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> Error {
        let json = serde_json::from_slice::<Value>(body)
            .ok()
            .filter(Value::is_object);
        let header_code = headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .and_then(error_code);
        let body_code = json.as_ref().and_then(|doc| {
            ["__type", "code", "Code"]
                .iter()
                .find_map(|key| doc.get(key).and_then(Value::as_str))
                .and_then(error_code)
        });
        let text_field = |key: &str| {
            json.as_ref()
                .and_then(|doc| doc.get(key))
                .and_then(Value::as_str)
                .map(|v| sanitize::inline(v).into_owned())
        };
        let message = match &json {
            Some(_) => ["Message", "message"]
                .into_iter()
                .find_map(text_field)
                .unwrap_or_default(),
            None if body.is_empty() => String::new(),
            None => format!(
                "the service answered with a non-JSON body: {}",
                excerpt(body)
            ),
        };
        let Some(code) = header_code.or(body_code) else {
            return Error::Unknown {
                code: "HttpError".into(),
                status,
                message: if message.is_empty() {
                    http::StatusCode::from_u16(status)
                        .ok()
                        .and_then(|s| s.canonical_reason())
                        .unwrap_or("no error details")
                        .to_owned()
                } else {
                    message
                },
            };
        };
        match code.as_str() {
            "ThrottlingException" => Error::Throttling { message },
            "AccessDeniedException" => Error::AccessDenied {
                message,
                reason: text_field("Reason"),
            },
            "ValidationException" => Error::Validation {
                message,
                reason: text_field("Reason").map(|r| ValidationReason::from(r.as_str())),
                errors: json
                    .as_ref()
                    .and_then(|doc| doc.get("ErrorList"))
                    .and_then(Value::as_array)
                    .map(|list| list.iter().filter_map(field_error).collect())
                    .unwrap_or_default(),
            },
            "ResourceNotFoundException" => Error::ResourceNotFound { message },
            "ConflictException" => Error::Conflict { message },
            "ServiceQuotaExceededException" => Error::ServiceQuotaExceeded { message },
            "InternalServerException" => Error::InternalServer { message },
            _ => Error::Unknown {
                code,
                status,
                message,
            },
        }
    }

    /// The service's message, for errors that came from the service.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Throttling { message }
            | Error::AccessDenied { message, .. }
            | Error::Validation { message, .. }
            | Error::ResourceNotFound { message }
            | Error::Conflict { message }
            | Error::ConflictOnRetry { message, .. }
            | Error::ServiceQuotaExceeded { message }
            | Error::InternalServer { message }
            | Error::Unknown { message, .. } => Some(message),
            Error::RetriesExhausted { last, .. } => last.message(),
            Error::Credentials(_) | Error::Transport { .. } | Error::Decode(_) => None,
        }
    }
}

/// An error and its causes on one line, skipping causes its text already contains
/// (`error sending request: connection closed before message completed`).
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The bare error name of any `__type` / `x-amzn-ErrorType` form: `Name`, `namespace#Name`,
/// `Name:uri`, or `namespace#Name:uri`.
fn error_code(raw: &str) -> Option<String> {
    let without_uri = raw.split(':').next().unwrap_or(raw);
    let name = without_uri.rsplit('#').next().unwrap_or(without_uri).trim();
    (!name.is_empty()).then(|| sanitize::inline(name).into_owned())
}

/// One `ErrorList` entry; entries missing a message are dropped rather than failing the error.
fn field_error(entry: &Value) -> Option<FieldError> {
    let text = |key: &str| entry.get(key).and_then(Value::as_str);
    Some(FieldError {
        field_name: text("FieldName").map(|f| sanitize::inline(f).into_owned()),
        message: sanitize::inline(text("Message")?).into_owned(),
        code: ValidationErrorCode::from(
            sanitize::inline(text("Code").unwrap_or("INVALID_VALUE")).as_ref(),
        ),
    })
}

/// A short one-line excerpt of a text body: markup tags dropped, whitespace collapsed,
/// control characters made visible, cut at [`EXCERPT_CHARS`].
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut visible = String::with_capacity(text.len().min(4 * EXCERPT_CHARS));
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                visible.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => visible.push(c),
            _ => {}
        }
    }
    let words = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = sanitize::inline(&words);
    let mut chars = clean.chars();
    let mut short: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(status: u16, headers: &[(&str, &str)], body: &str) -> Error {
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                http::HeaderValue::from_str(value).unwrap(),
            );
        }
        Error::from_response(status, &map, body.as_bytes())
    }

    #[test]
    fn every_type_form_gives_the_same_code() {
        for body in [
            r#"{"__type":"ConflictException","Message":"m"}"#,
            r#"{"__type":"com.amazonaws.partnercentral#ConflictException","Message":"m"}"#,
            r#"{"__type":"ConflictException:http://internal.amazon.com/coral/","message":"m"}"#,
            r#"{"__type":"aws#ConflictException:http://x/","message":"m"}"#,
        ] {
            let error = decode(400, &[], body);
            assert!(
                matches!(&error, Error::Conflict { message } if message == "m"),
                "{body}: {error:?}"
            );
        }
        let error = decode(
            400,
            &[("x-amzn-ErrorType", "ResourceNotFoundException:http://x/")],
            "",
        );
        assert!(matches!(error, Error::ResourceNotFound { .. }), "{error:?}");
    }

    #[test]
    fn the_code_decides_not_the_status() {
        let error = decode(500, &[], r#"{"__type":"ThrottlingException"}"#);
        assert!(matches!(error, Error::Throttling { .. }));
        let error = decode(
            418,
            &[],
            r#"{"__type":"TeapotException","Message":"short"}"#,
        );
        assert!(
            matches!(&error, Error::Unknown { code, status: 418, message } if code == "TeapotException" && message == "short")
        );
    }

    #[test]
    fn html_bodies_become_a_short_safe_excerpt() {
        let page = format!(
            "<html><head><title>502 Bad Gateway</title></head><body>\u{1b}[2J{}</body></html>",
            "x".repeat(1000)
        );
        let error = decode(502, &[], &page);
        let Error::Unknown {
            code,
            status,
            message,
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!((code.as_str(), *status), ("HttpError", 502));
        assert!(message.contains("502 Bad Gateway"), "{message}");
        assert!(
            !message.contains('<') && !message.contains('\u{1b}'),
            "{message}"
        );
        assert!(message.chars().count() < 300, "{message}");
    }

    #[test]
    fn validation_keeps_reason_and_field_errors() {
        let error = decode(
            400,
            &[],
            r#"{"__type":"ValidationException","message":"bad","Reason":"REQUEST_VALIDATION_FAILED",
               "ErrorList":[{"FieldName":"Catalog","Message":"required","Code":"REQUIRED_FIELD_MISSING"},
                            {"Code":"NEW_CODE","Message":"m"},{"FieldName":"no message"}]}"#,
        );
        let Error::Validation {
            message,
            reason,
            errors,
        } = error
        else {
            panic!()
        };
        assert_eq!(message, "bad");
        assert_eq!(reason, Some(ValidationReason::RequestValidationFailed));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field_name.as_deref(), Some("Catalog"));
        assert_eq!(
            errors[1].code,
            ValidationErrorCode::Unknown("NEW_CODE".into())
        );
    }

    #[test]
    fn no_code_at_all_keeps_the_status() {
        let error = decode(503, &[], "");
        assert!(
            matches!(&error, Error::Unknown { status: 503, message, .. } if message == "Service Unavailable")
        );
    }
}
