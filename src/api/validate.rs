//! PLACEHOLDER: the validation rules (to be replaced by the real module; API is fixed).

use serde_json::Value;

use super::model::{CreateEngagementInvitationRequest, Operation, ValidationErrorCode};

/// One broken rule: which field, and what the rule is, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Full field path from the request root, e.g.
    /// `Invitation.Payload.OpportunityInvitation.SenderContacts[0].Email`.
    pub path: String,
    /// The rule, in plain words, e.g. "`XX` is not a country code".
    pub message: String,
    /// The code the service's `ValidationException` would carry for this field.
    pub code: ValidationErrorCode,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Checks a whole request document of `operation` against the model.
pub fn validate_input(operation: Operation, document: &Value) -> Vec<Violation> {
    let _ = (operation, document);
    Vec::new()
}

/// Checks one value against a named shape of the model; `path` prefixes every violation.
pub fn validate_shape(shape: &str, value: &Value, path: &str) -> Vec<Violation> {
    let _ = (shape, value, path);
    Vec::new()
}

/// Checks a typed create request (as the composer and `create` build it).
pub fn validate_create(request: &CreateEngagementInvitationRequest) -> Vec<Violation> {
    match serde_json::to_value(request) {
        Ok(document) => validate_input(Operation::CreateEngagementInvitation, &document),
        Err(e) => vec![Violation {
            path: String::new(),
            message: e.to_string(),
            code: ValidationErrorCode::InvalidValue,
        }],
    }
}
