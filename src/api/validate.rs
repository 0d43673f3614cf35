//! The validation rules of the Partner Central Selling model: walks a JSON document against the
//! model's shapes ([`super::schema`]) and reports every broken rule with its full field path.
//! The one place these rules live: the CLI, the composer and the emulator all call it.

use serde_json::{Map, Value};

use super::model::{CreateEngagementInvitationRequest, Operation, Timestamp, ValidationErrorCode};
use super::schema::{self, IntegerShape, List, Shape, ShapeKind, StringShape, Structure};

/// One broken rule: which field, and what the rule is, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Full field path from the request root, e.g.
    /// `Invitation.Payload.OpportunityInvitation.SenderContacts[0].Email`; empty for the
    /// document itself.
    pub path: String,
    /// The rule, in plain words, e.g. "`XX` is not a country code".
    pub message: String,
    /// The code the service's `ValidationException` would carry for this field.
    pub code: ValidationErrorCode,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() {
            "request"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

/// Checks a whole request document of `operation` against the model.
///
/// An idempotency token (`ClientToken`) may be left out: the client fills it, as the AWS CLI
/// and SDKs do.
pub fn validate_input(operation: Operation, document: &Value) -> Vec<Violation> {
    validate_shape(operation.input_shape(), document, "")
}

/// Checks one value against a named shape of the model; `path` prefixes every violation.
pub fn validate_shape(shape: &str, value: &Value, path: &str) -> Vec<Violation> {
    let mut found = Vec::new();
    match schema::shape(shape) {
        Some(shape) => check(shape, value, path, &mut found),
        None => found.push(violation(
            path,
            format!("has no shape `{shape}` in the model"),
            ValidationErrorCode::InvalidValue,
        )),
    }
    found
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

/// Checks one member of `structure` as a form field: `value` is the member's value (`null` when
/// not set) and `path` its full path. Reports a missing required member too.
pub fn validate_member(structure: &str, member: &str, value: &Value, path: &str) -> Vec<Violation> {
    let Some(model_member) = schema::structure(structure).and_then(|s| s.member(member)) else {
        return vec![violation(
            path,
            format!("is not a member of {structure}"),
            ValidationErrorCode::InvalidValue,
        )];
    };
    if value.is_null() {
        return if model_member.required && !model_member.idempotency_token {
            vec![required(path)]
        } else {
            Vec::new()
        };
    }
    validate_shape(&model_member.shape, value, path)
}

/// A short description of a member's rule, to show beside a form field, e.g.
/// "required · 1–120 characters" or "optional · YYYY-MM-DD".
pub fn rule_summary(structure: &str, member: &str) -> String {
    let Some(model_member) = schema::structure(structure).and_then(|s| s.member(member)) else {
        return format!("not a member of {structure}");
    };
    let mut parts = vec![
        if model_member.required && !model_member.idempotency_token {
            "required"
        } else {
            "optional"
        }
        .to_owned(),
    ];
    if let Some(shape) = schema::shape(&model_member.shape) {
        parts.extend(shape_summary(shape));
    }
    parts.join(" · ")
}

fn shape_summary(shape: &Shape) -> Vec<String> {
    match &shape.kind {
        ShapeKind::String(string) => {
            if let Some(kind) = code_kind(&shape.name) {
                return vec![kind.to_owned()];
            }
            if !string.enum_values.is_empty() {
                return vec![format!("one of {} values", string.enum_values.len())];
            }
            let mut parts: Vec<String> =
                range_summary(string.min_length, string.max_length, "characters")
                    .into_iter()
                    .collect();
            parts.extend(string.pattern.as_ref().map(|p| p.summary.clone()));
            parts
        }
        ShapeKind::List(list) => range_summary(list.min, list.max, "entries")
            .into_iter()
            .collect(),
        ShapeKind::Integer(integer) => match (integer.min, integer.max) {
            (Some(min), Some(max)) => vec![format!("{min}–{max}")],
            (Some(min), None) => vec![format!("at least {min}")],
            (None, Some(max)) => vec![format!("at most {max}")],
            (None, None) => vec!["whole number".to_owned()],
        },
        ShapeKind::Timestamp => vec!["ISO 8601 time".to_owned()],
        ShapeKind::Structure(structure) if structure.union => vec![format!(
            "one of {}",
            structure.member_names().collect::<Vec<_>>().join(", ")
        )],
        ShapeKind::Structure(_) => Vec::new(),
    }
}

/// "1–120 characters", "up to 80 characters", "at least 1 entries"…, or nothing when unbounded.
fn range_summary(min: Option<usize>, max: Option<usize>, unit: &str) -> Option<String> {
    match (min.unwrap_or(0), max) {
        (0, Some(max)) => Some(format!("up to {max} {unit}")),
        (min, Some(max)) => Some(format!("{min}–{max} {unit}")),
        (0, None) => None,
        (min, None) => Some(format!("at least {min} {unit}")),
    }
}

/// Enums whose values are codes with their own name in messages ("`XX` is not a country code").
fn code_kind(shape: &str) -> Option<&'static str> {
    match shape {
        "CountryCode" => Some("country code"),
        "CurrencyCode" => Some("currency code"),
        _ => None,
    }
}

/// Lists whose entries must not repeat (the service refuses duplicates; the model cannot say so).
const UNIQUE_LISTS: &[&str] = &["ReceiverResponsibilityList"];

/// Dates whose pattern allows impossible days such as 2025-02-30.
const CALENDAR_DATES: &[&str] = &["Date"];

fn check(shape: &Shape, value: &Value, path: &str, found: &mut Vec<Violation>) {
    match &shape.kind {
        ShapeKind::Structure(structure) => check_structure(shape, structure, value, path, found),
        ShapeKind::List(list) => check_list(shape, list, value, path, found),
        ShapeKind::String(string) => check_string(shape, string, value, path, found),
        ShapeKind::Integer(integer) => check_integer(integer, value, path, found),
        ShapeKind::Timestamp => check_timestamp(value, path, found),
    }
}

fn check_structure(
    shape: &Shape,
    structure: &Structure,
    value: &Value,
    path: &str,
    found: &mut Vec<Violation>,
) {
    let Some(object) = value.as_object() else {
        found.push(wrong_type(path, "must be an object"));
        return;
    };
    if structure.union {
        check_union_count(structure, object, path, found);
    } else {
        for member in &structure.members {
            let missing = object.get(&member.name).is_none_or(Value::is_null);
            if missing && member.required && !member.idempotency_token {
                found.push(required(&member_path(path, &member.name)));
            }
        }
    }
    for (name, member_value) in object {
        let member_path = member_path(path, name);
        match structure.member(name) {
            None => found.push(violation(
                &member_path,
                format!(
                    "is not a member of {}; expected one of {}",
                    shape.name,
                    structure.member_names().collect::<Vec<_>>().join(", ")
                ),
                ValidationErrorCode::InvalidValue,
            )),
            // Null means "not set" in AWS JSON.
            Some(_) if member_value.is_null() => {}
            Some(member) => {
                if let Some(member_shape) = schema::shape(&member.shape) {
                    check(member_shape, member_value, &member_path, found);
                }
            }
        }
    }
}

fn check_union_count(
    structure: &Structure,
    object: &Map<String, Value>,
    path: &str,
    found: &mut Vec<Violation>,
) {
    let set = object.values().filter(|v| !v.is_null()).count();
    if set != 1 {
        let names = structure.member_names().collect::<Vec<_>>().join(" or ");
        found.push(violation(
            path,
            format!("must have exactly one member set ({names})"),
            ValidationErrorCode::InvalidValue,
        ));
    }
}

fn check_list(shape: &Shape, list: &List, value: &Value, path: &str, found: &mut Vec<Violation>) {
    let Some(entries) = value.as_array() else {
        found.push(wrong_type(path, "must be a list"));
        return;
    };
    let count = entries.len();
    if let Some(min) = list.min
        && count < min
    {
        found.push(violation(
            path,
            format!("must have at least {} (has {count})", entries_word(min)),
            ValidationErrorCode::NotEnoughValues,
        ));
    }
    if let Some(max) = list.max
        && count > max
    {
        found.push(violation(
            path,
            format!("must have at most {} (has {count})", entries_word(max)),
            ValidationErrorCode::TooManyValues,
        ));
    }
    let member_shape = schema::shape(&list.member);
    for (i, entry) in entries.iter().enumerate() {
        let entry_path = format!("{path}[{i}]");
        if let Some(member_shape) = member_shape {
            check(member_shape, entry, &entry_path, found);
        }
        if UNIQUE_LISTS.contains(&shape.name.as_str())
            && let Some(first) = entries[..i].iter().position(|earlier| earlier == entry)
        {
            found.push(violation(
                &entry_path,
                format!("{} is already listed at [{first}]", quoted(entry)),
                ValidationErrorCode::DuplicateKeyValue,
            ));
        }
    }
}

fn check_string(
    shape: &Shape,
    string: &StringShape,
    value: &Value,
    path: &str,
    found: &mut Vec<Violation>,
) {
    let Some(text) = value.as_str() else {
        found.push(wrong_type(path, "must be a string"));
        return;
    };
    if !string.enum_values.is_empty() {
        if !string.enum_values.iter().any(|allowed| allowed == text) {
            let message = match code_kind(&shape.name) {
                Some(kind) => format!("{} is not a {kind}", quoted(value)),
                None => format!("must be one of: {}", string.enum_values.join(", ")),
            };
            found.push(violation(
                path,
                message,
                ValidationErrorCode::InvalidEnumValue,
            ));
        }
        return;
    }
    let length = text.chars().count();
    if let Some(min) = string.min_length
        && length < min
    {
        let message = if length == 0 {
            "must not be empty".to_owned()
        } else {
            format!("must be at least {min} characters (is {length})")
        };
        found.push(violation(path, message, ValidationErrorCode::InvalidValue));
    }
    if let Some(max) = string.max_length
        && length > max
    {
        found.push(violation(
            path,
            format!("must be at most {max} characters (is {length})"),
            ValidationErrorCode::InvalidValue,
        ));
    }
    if let Some(pattern) = &string.pattern {
        if !pattern.is_match(text) {
            found.push(violation(
                path,
                pattern.description.clone(),
                ValidationErrorCode::InvalidStringFormat,
            ));
        } else if CALENDAR_DATES.contains(&shape.name.as_str())
            && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err()
        {
            found.push(violation(
                path,
                "is not a real calendar date".to_owned(),
                ValidationErrorCode::InvalidValue,
            ));
        }
    }
}

fn check_integer(integer: &IntegerShape, value: &Value, path: &str, found: &mut Vec<Violation>) {
    let Some(number) = value.as_i64() else {
        found.push(wrong_type(path, "must be a whole number"));
        return;
    };
    let below = integer.min.is_some_and(|min| number < min);
    let above = integer.max.is_some_and(|max| number > max);
    if !(below || above) {
        return;
    }
    let message = match (integer.min, integer.max) {
        (Some(min), Some(max)) => format!("must be from {min} to {max}"),
        (Some(min), None) => format!("must be at least {min}"),
        (None, Some(max)) => format!("must be at most {max}"),
        (None, None) => return,
    };
    found.push(violation(
        path,
        message,
        ValidationErrorCode::ValueOutOfRange,
    ));
}

fn check_timestamp(value: &Value, path: &str, found: &mut Vec<Violation>) {
    let valid = match value {
        Value::String(text) => Timestamp::parse(text).is_some(),
        Value::Number(number) => number
            .as_f64()
            .and_then(Timestamp::from_epoch_seconds)
            .is_some(),
        _ => false,
    };
    if !valid {
        found.push(violation(
            path,
            "must be an ISO 8601 time such as 2025-01-31T12:00:00Z".to_owned(),
            ValidationErrorCode::InvalidValue,
        ));
    }
}

fn member_path(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

fn entries_word(count: usize) -> String {
    if count == 1 {
        "1 entry".to_owned()
    } else {
        format!("{count} entries")
    }
}

/// A value shown inside a message: in backticks, cut to a readable length.
fn quoted(value: &Value) -> String {
    const LONGEST: usize = 40;
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > LONGEST {
        format!("`{}…`", text.chars().take(LONGEST).collect::<String>())
    } else {
        format!("`{text}`")
    }
}

fn violation(path: &str, message: String, code: ValidationErrorCode) -> Violation {
    Violation {
        path: path.to_owned(),
        message,
        code,
    }
}

fn required(path: &str) -> Violation {
    violation(
        path,
        "is required".to_owned(),
        ValidationErrorCode::RequiredFieldMissing,
    )
}

fn wrong_type(path: &str, message: &str) -> Violation {
    violation(path, message.to_owned(), ValidationErrorCode::InvalidValue)
}
