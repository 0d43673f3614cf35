//! The errors the emulator answers with, and their AWS JSON 1.0 wire encoding.
//!
//! Service errors carry the model's shape id in `__type` (botocore reads only that field) and
//! the model's HTTP status; protocol errors (unknown target, bad JSON, authentication) use the
//! `com.amazon.coral.service` ids AWS front ends send.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::api::error::FieldError;
use crate::api::model::{ValidationErrorCode, ValidationReason};
use crate::api::validate::Violation;

/// The Smithy namespace of the service's shapes.
const SERVICE_NAMESPACE: &str = "com.amazonaws.partnercentralselling";
/// The namespace of errors raised by AWS's request handling before the service sees a request.
const PROTOCOL_NAMESPACE: &str = "com.amazon.coral.service";

/// One failed request, as the client will see it.
#[derive(Clone, Debug, PartialEq)]
pub enum ServiceError {
    Validation {
        message: String,
        reason: ValidationReason,
        errors: Vec<FieldError>,
    },
    AccessDenied(String),
    ResourceNotFound(String),
    Conflict(String),
    Throttling(String),
    InternalServer(String),
    UnknownOperation(String),
    Serialization(String),
    MissingAuthenticationToken,
    IncompleteSignature(String),
    InvalidSignature(String),
}

impl ServiceError {
    /// A `ValidationException` for request fields that break the model's rules.
    pub fn invalid_request(violations: Vec<Violation>) -> ServiceError {
        let summary = violations
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        ServiceError::Validation {
            message: format!(
                "{} validation error(s) detected: {summary}",
                violations.len()
            ),
            reason: ValidationReason::RequestValidationFailed,
            errors: violations
                .into_iter()
                .map(|v| FieldError {
                    field_name: (!v.path.is_empty()).then_some(v.path),
                    message: v.message,
                    code: v.code,
                })
                .collect(),
        }
    }

    /// A `ValidationException` for one field, e.g. a NextToken from another listing.
    pub fn invalid_field(field: &str, message: &str, code: ValidationErrorCode) -> ServiceError {
        ServiceError::invalid_request(vec![Violation {
            path: field.to_owned(),
            message: message.to_owned(),
            code,
        }])
    }

    /// The error's name, the part of `__type` after `#`.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Validation { .. } => "ValidationException",
            ServiceError::AccessDenied(_) => "AccessDeniedException",
            ServiceError::ResourceNotFound(_) => "ResourceNotFoundException",
            ServiceError::Conflict(_) => "ConflictException",
            ServiceError::Throttling(_) => "ThrottlingException",
            ServiceError::InternalServer(_) => "InternalServerException",
            ServiceError::UnknownOperation(_) => "UnknownOperationException",
            ServiceError::Serialization(_) => "SerializationException",
            ServiceError::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ServiceError::IncompleteSignature(_) => "IncompleteSignatureException",
            ServiceError::InvalidSignature(_) => "InvalidSignatureException",
        }
    }

    /// The HTTP status the model (or AWS's front end) gives this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ServiceError::Validation { .. }
            | ServiceError::UnknownOperation(_)
            | ServiceError::Serialization(_) => StatusCode::BAD_REQUEST,
            ServiceError::AccessDenied(_)
            | ServiceError::MissingAuthenticationToken
            | ServiceError::IncompleteSignature(_)
            | ServiceError::InvalidSignature(_) => StatusCode::FORBIDDEN,
            ServiceError::ResourceNotFound(_) => StatusCode::NOT_FOUND,
            ServiceError::Conflict(_) => StatusCode::CONFLICT,
            ServiceError::Throttling(_) => StatusCode::TOO_MANY_REQUESTS,
            ServiceError::InternalServer(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> &str {
        match self {
            ServiceError::Validation { message, .. }
            | ServiceError::AccessDenied(message)
            | ServiceError::ResourceNotFound(message)
            | ServiceError::Conflict(message)
            | ServiceError::Throttling(message)
            | ServiceError::InternalServer(message)
            | ServiceError::UnknownOperation(message)
            | ServiceError::Serialization(message)
            | ServiceError::IncompleteSignature(message)
            | ServiceError::InvalidSignature(message) => message,
            ServiceError::MissingAuthenticationToken => "Missing Authentication Token",
        }
    }

    /// The full shape id sent in `__type`.
    pub fn type_id(&self) -> String {
        let namespace = match self {
            ServiceError::UnknownOperation(_)
            | ServiceError::Serialization(_)
            | ServiceError::MissingAuthenticationToken
            | ServiceError::IncompleteSignature(_)
            | ServiceError::InvalidSignature(_) => PROTOCOL_NAMESPACE,
            _ => SERVICE_NAMESPACE,
        };
        format!("{namespace}#{}", self.code())
    }

    /// The JSON body: `__type`, `Message`, and for validation `Reason` and `ErrorList`.
    pub fn body(&self) -> Value {
        let mut body = json!({ "__type": self.type_id(), "Message": self.message() });
        if let ServiceError::Validation { reason, errors, .. } = self {
            body["Reason"] = json!(reason);
            body["ErrorList"] = json!(errors);
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_name_each_field() {
        let error = ServiceError::invalid_field(
            "MaxResults",
            "must be between 1 and 100",
            ValidationErrorCode::ValueOutOfRange,
        );
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            error.body(),
            json!({
                "__type": "com.amazonaws.partnercentralselling#ValidationException",
                "Message": "1 validation error(s) detected: MaxResults: must be between 1 and 100",
                "Reason": "REQUEST_VALIDATION_FAILED",
                "ErrorList": [{
                    "FieldName": "MaxResults",
                    "Message": "must be between 1 and 100",
                    "Code": "VALUE_OUT_OF_RANGE"
                }]
            })
        );
    }

    #[test]
    fn each_error_has_the_model_status() {
        let cases = [
            (ServiceError::AccessDenied(String::new()), 403),
            (ServiceError::ResourceNotFound(String::new()), 404),
            (ServiceError::Conflict(String::new()), 409),
            (ServiceError::Throttling(String::new()), 429),
            (ServiceError::InternalServer(String::new()), 500),
            (ServiceError::UnknownOperation(String::new()), 400),
            (ServiceError::MissingAuthenticationToken, 403),
        ];
        for (error, status) in cases {
            assert_eq!(error.status().as_u16(), status, "{}", error.code());
            assert_eq!(error.body()["__type"].as_str().unwrap(), error.type_id());
        }
        assert_eq!(
            ServiceError::UnknownOperation(String::new()).type_id(),
            "com.amazon.coral.service#UnknownOperationException"
        );
    }
}
