//! The validation rules of the Partner Central Selling model: walks a JSON document against the
//! model's shapes ([`super::schema`]) and reports every broken rule with its full field path.
//! The one place these rules live: the CLI, the composer and the emulator all call it.

use serde_json::{Map, Value};

use super::model::{
    CATALOGS, CreateEngagementInvitationRequest, Operation, Timestamp, ValidationErrorCode,
};
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
    validate_request(Operation::CreateEngagementInvitation, request)
}

/// Checks a typed request of `operation` (the CLI checks each before sending it).
pub fn validate_request(operation: Operation, request: &impl serde::Serialize) -> Vec<Violation> {
    match serde_json::to_value(request) {
        Ok(document) => validate_input(operation, &document),
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
    let Some(model_member) = schema::member(structure, member) else {
        return vec![violation(
            path,
            format!("is not a member of {structure}"),
            ValidationErrorCode::InvalidValue,
        )];
    };
    if value.is_null() {
        return if model_member.must_be_set() {
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
    let Some(model_member) = schema::member(structure, member) else {
        return format!("not a member of {structure}");
    };
    let presence = if model_member.must_be_set() {
        "required"
    } else {
        "optional"
    };
    let mut parts = vec![presence.to_owned()];
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
            match string.enum_values.len() {
                0 => {}
                // A short list reads better than its count.
                1..=5 => return vec![format!("one of {}", string.enum_values.join(", "))],
                count => return vec![format!("one of {count} values")],
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

/// Dates whose pattern allows impossible days such as 2025-02-30; such a day breaks the same
/// rule as a malformed date, in the same words (the pattern's description).
const CALENDAR_DATES: &[&str] = &["Date"];

/// Strings the model only gives a coarse pattern while the service checks them against a list
/// at runtime (the model says so of `CatalogIdentifier`).
const ALLOWED_VALUES: &[(&str, &[&str])] = &[("CatalogIdentifier", CATALOGS)];

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
            if missing && member.must_be_set() {
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
    let mut empty_reported = false;
    if let Some(min) = string.min_length
        && length < min
    {
        empty_reported = length == 0;
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
    // "must not be empty" says it all; a format message on top would only repeat it.
    if let Some(pattern) = string.pattern.as_ref().filter(|_| !empty_reported) {
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
                pattern.description.clone(),
                ValidationErrorCode::InvalidValue,
            ));
        } else if let Some((_, allowed)) =
            ALLOWED_VALUES.iter().find(|(name, _)| *name == shape.name)
            && !allowed.contains(&text)
        {
            found.push(violation(
                path,
                format!("{} must be {}", quoted(value), or_list(allowed)),
                ValidationErrorCode::InvalidEnumValue,
            ));
        }
    }
}

/// "A or B", "A, B or C".
fn or_list(values: &[&str]) -> String {
    match values.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn check_integer(integer: &IntegerShape, value: &Value, path: &str, found: &mut Vec<Violation>) {
    // Beyond i64 is beyond any bound the model has.
    let Some(number) = value.as_i64().or(value.as_u64().map(|_| i64::MAX)) else {
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::api::model::{
        AccountReceiver, EngagementCustomer, Industry, Invitation, Payload, ProjectDetails,
        Receiver,
    };

    const OPPORTUNITY: &str = "Invitation.Payload.OpportunityInvitation";
    /// The one wording of a bad date, malformed or impossible, whoever checks it.
    const DATE_RULE: &str = "must be a real calendar date as YYYY-MM-DD, e.g. 2027-03-31";

    fn opportunity() -> Value {
        json!({
            "Catalog": "Sandbox",
            "ClientToken": "token-1",
            "EngagementIdentifier": "eng-0123456789abcd",
            "Invitation": {
                "Message": "Join us on this one",
                "Receiver": {"Account": {"AwsAccountId": "123456789012", "Alias": "Partner"}},
                "Payload": {"OpportunityInvitation": {
                    "SenderContacts": [{"Email": "ana@example.com", "Phone": "+14155550100"}],
                    "ReceiverResponsibilities": ["Reseller", "Distributor"],
                    "Customer": {
                        "Industry": "Retail",
                        "CompanyName": "Acme Ünited",
                        "WebsiteUrl": "https://www.acme.example",
                        "CountryCode": "DE"
                    },
                    "Project": {
                        "BusinessProblem": "Needs a data platform for the shops",
                        "Title": "Data platform",
                        "TargetCompletionDate": "2026-02-28",
                        "ExpectedCustomerSpend": [{
                            "Amount": "1500.00",
                            "CurrencyCode": "EUR",
                            "Frequency": "Monthly",
                            "TargetCompany": "AWS",
                            "EstimationUrl": "https://calculator.aws/#/estimate?id=0123456789abcdef0123456789abcdef"
                        }]
                    }
                }}
            }
        })
    }

    fn create(document: &Value) -> Vec<Violation> {
        validate_input(Operation::CreateEngagementInvitation, document)
    }

    /// `document` with the member or entry at `pointer` set (added if absent).
    fn with(mut document: Value, pointer: &str, value: Value) -> Value {
        let (parent, last) = pointer.rsplit_once('/').unwrap();
        match document.pointer_mut(parent).unwrap() {
            Value::Object(object) => {
                object.insert(last.to_owned(), value);
            }
            Value::Array(entries) => entries[last.parse::<usize>().unwrap()] = value,
            other => panic!("{parent} is {other}"),
        }
        document
    }

    fn one(path: &str, message: &str, code: ValidationErrorCode) -> Vec<Violation> {
        vec![violation(path, message.to_owned(), code)]
    }

    const OPP: &str = "/Invitation/Payload/OpportunityInvitation";

    #[test]
    fn a_valid_request_has_no_violation() {
        assert_eq!(create(&opportunity()), []);
    }

    #[test]
    fn missing_and_null_required_members_are_reported_each() {
        let mut document = opportunity();
        document.as_object_mut().unwrap().remove("Catalog");
        let document = with(
            document,
            &format!("{OPP}/Customer/CountryCode"),
            Value::Null,
        );
        assert_eq!(
            create(&document),
            [
                required("Catalog"),
                required(&format!("{OPPORTUNITY}.Customer.CountryCode")),
            ]
        );
    }

    #[test]
    fn client_token_may_be_left_out_for_the_client_to_fill() {
        let mut document = opportunity();
        document.as_object_mut().unwrap().remove("ClientToken");
        assert_eq!(create(&document), []);
        assert_eq!(
            rule_summary("CreateEngagementInvitationRequest", "ClientToken"),
            "optional · 1–255 characters · one line"
        );
    }

    #[test]
    fn wrong_json_types_name_the_expected_type() {
        let document = with(opportunity(), "/Invitation/Message", json!(42));
        let document = with(document, &format!("{OPP}/SenderContacts"), json!({}));
        let document = with(document, &format!("{OPP}/Customer"), json!("Acme"));
        assert_eq!(
            create(&document),
            [
                wrong_type("Invitation.Message", "must be a string"),
                wrong_type(&format!("{OPPORTUNITY}.SenderContacts"), "must be a list"),
                wrong_type(&format!("{OPPORTUNITY}.Customer"), "must be an object"),
            ]
        );
        assert_eq!(
            validate_input(Operation::ListEngagementMembers, &json!([])),
            [wrong_type("", "must be an object")]
        );
        assert_eq!(
            wrong_type("", "must be an object").to_string(),
            "request: must be an object"
        );
    }

    #[test]
    fn unknown_members_are_refused_with_the_expected_ones() {
        let document = with(
            opportunity(),
            &format!("{OPP}/SenderContacts/0/Mail"),
            json!("x"),
        );
        assert_eq!(
            create(&document),
            one(
                &format!("{OPPORTUNITY}.SenderContacts[0].Mail"),
                "is not a member of SenderContact; expected one of Email, FirstName, LastName, \
                 BusinessTitle, Phone",
                ValidationErrorCode::InvalidValue
            )
        );
    }

    #[test]
    fn enums_name_codes_or_list_the_allowed_values() {
        let document = with(
            opportunity(),
            &format!("{OPP}/Customer/CountryCode"),
            json!("XX"),
        );
        let document = with(
            document,
            &format!("{OPP}/Project/ExpectedCustomerSpend/0/CurrencyCode"),
            json!("XYZ"),
        );
        let document = with(
            document,
            &format!("{OPP}/Project/ExpectedCustomerSpend/0/Frequency"),
            json!("Weekly"),
        );
        assert_eq!(
            create(&document),
            [
                violation(
                    &format!("{OPPORTUNITY}.Customer.CountryCode"),
                    "`XX` is not a country code".to_owned(),
                    ValidationErrorCode::InvalidEnumValue
                ),
                violation(
                    &format!("{OPPORTUNITY}.Project.ExpectedCustomerSpend[0].CurrencyCode"),
                    "`XYZ` is not a currency code".to_owned(),
                    ValidationErrorCode::InvalidEnumValue
                ),
                violation(
                    &format!("{OPPORTUNITY}.Project.ExpectedCustomerSpend[0].Frequency"),
                    "must be one of: Monthly".to_owned(),
                    ValidationErrorCode::InvalidEnumValue
                ),
            ]
        );
        let list = json!({"Catalog": "AWS", "ParticipantType": "RECEIVER", "Status": ["NEW"]});
        assert_eq!(
            validate_input(Operation::ListEngagementInvitations, &list),
            one(
                "Status[0]",
                "must be one of: ACCEPTED, PENDING, REJECTED, EXPIRED",
                ValidationErrorCode::InvalidEnumValue
            )
        );
    }

    #[test]
    fn patterns_fail_with_their_plain_words() {
        let cases = [
            (
                "/EngagementIdentifier",
                "eng-ABC",
                "EngagementIdentifier".to_owned(),
                "must be `eng-` followed by 14 lowercase letters or digits",
            ),
            (
                "/Catalog",
                "AWS2",
                "Catalog".to_owned(),
                "must be AWS or Sandbox",
            ),
            (
                "/Invitation/Receiver/Account/AwsAccountId",
                "1234567890123",
                "Invitation.Receiver.Account.AwsAccountId".to_owned(),
                "must be a 12-digit AWS account id or an alias of up to 12 letters, digits or _",
            ),
            (
                &format!("{OPP}/SenderContacts/0/Email"),
                "ana.example.com",
                format!("{OPPORTUNITY}.SenderContacts[0].Email"),
                "must be an email address",
            ),
            (
                &format!("{OPP}/SenderContacts/0/Phone"),
                "0415 555 0100",
                format!("{OPPORTUNITY}.SenderContacts[0].Phone"),
                "must be an international number: + and up to 15 digits",
            ),
            (
                &format!("{OPP}/Customer/WebsiteUrl"),
                "acme dot com",
                format!("{OPPORTUNITY}.Customer.WebsiteUrl"),
                "must be a website address such as https://example.com",
            ),
            (
                &format!("{OPP}/Project/TargetCompletionDate"),
                "28.02.2026",
                format!("{OPPORTUNITY}.Project.TargetCompletionDate"),
                DATE_RULE,
            ),
            (
                &format!("{OPP}/Project/ExpectedCustomerSpend/0/Amount"),
                "1,500",
                format!("{OPPORTUNITY}.Project.ExpectedCustomerSpend[0].Amount"),
                "must be a number with up to 2 decimals, e.g. 1500.00",
            ),
        ];
        for (pointer, bad, path, message) in cases {
            let document = with(opportunity(), pointer, json!(bad));
            assert_eq!(
                create(&document),
                one(&path, message, ValidationErrorCode::InvalidStringFormat),
                "{pointer} = {bad}"
            );
        }
    }

    #[test]
    fn website_addresses_accept_the_usual_forms() {
        for good in [
            "https://example.com",
            "www.example.co.uk",
            "example.com/path",
            "a.bc",
        ] {
            assert_eq!(
                validate_shape("CompanyWebsiteUrl", &json!(good), "W"),
                [],
                "{good}"
            );
        }
        for bad in ["example", "ftp://example.com", "exa mple.com"] {
            assert_ne!(
                validate_shape("CompanyWebsiteUrl", &json!(bad), "W"),
                [],
                "{bad}"
            );
        }
    }

    #[test]
    fn lengths_count_characters_and_say_the_bound() {
        let document = with(opportunity(), "/Invitation/Message", json!("é".repeat(256)));
        let document = with(document, &format!("{OPP}/Customer/CompanyName"), json!(""));
        let document = with(
            document,
            &format!("{OPP}/Project/BusinessProblem"),
            json!("short"),
        );
        assert_eq!(
            create(&document),
            [
                violation(
                    "Invitation.Message",
                    "must be at most 255 characters (is 256)".to_owned(),
                    ValidationErrorCode::InvalidValue
                ),
                violation(
                    &format!("{OPPORTUNITY}.Customer.CompanyName"),
                    "must not be empty".to_owned(),
                    ValidationErrorCode::InvalidValue
                ),
                violation(
                    &format!("{OPPORTUNITY}.Project.BusinessProblem"),
                    "must be at least 20 characters (is 5)".to_owned(),
                    ValidationErrorCode::InvalidValue
                ),
            ]
        );
        // 255 two-byte characters are within a 255-character bound.
        let document = with(opportunity(), "/Invitation/Message", json!("é".repeat(255)));
        assert_eq!(create(&document), []);
    }

    #[test]
    fn look_ahead_lengths_and_formats_are_both_checked() {
        let long_email = format!("{}@example.com", "a".repeat(80));
        assert_eq!(
            validate_shape("SenderContactEmail", &json!(long_email), "Email"),
            one(
                "Email",
                "must be at most 80 characters (is 92)",
                ValidationErrorCode::InvalidValue
            )
        );
        assert_eq!(
            validate_shape("RejectionReasonString", &json!("\u{7}"), "RejectionReason"),
            one(
                "RejectionReason",
                "must contain only printable characters (no control characters or emoji)",
                ValidationErrorCode::InvalidStringFormat
            )
        );
    }

    #[test]
    fn list_bounds_count_entries() {
        let contact = json!({"Email": "ana@example.com"});
        let document = with(
            opportunity(),
            &format!("{OPP}/SenderContacts"),
            json!([contact.clone(), contact.clone(), contact.clone(), contact]),
        );
        let spend = opportunity()
            .pointer(&format!("{OPP}/Project/ExpectedCustomerSpend/0"))
            .cloned()
            .unwrap();
        let document = with(
            document,
            &format!("{OPP}/Project/ExpectedCustomerSpend"),
            Value::Array(vec![spend; 12]),
        );
        assert_eq!(
            create(&document),
            [
                violation(
                    &format!("{OPPORTUNITY}.SenderContacts"),
                    "must have at most 3 entries (has 4)".to_owned(),
                    ValidationErrorCode::TooManyValues
                ),
                violation(
                    &format!("{OPPORTUNITY}.Project.ExpectedCustomerSpend"),
                    "must have at most 10 entries (has 12)".to_owned(),
                    ValidationErrorCode::TooManyValues
                ),
            ]
        );
        let document = with(opportunity(), &format!("{OPP}/SenderContacts"), json!([]));
        assert_eq!(
            create(&document),
            one(
                &format!("{OPPORTUNITY}.SenderContacts"),
                "must have at least 1 entry (has 0)",
                ValidationErrorCode::NotEnoughValues
            )
        );
    }

    #[test]
    fn integers_are_whole_and_in_range() {
        let list =
            |max: Value| json!({"Catalog": "AWS", "ParticipantType": "SENDER", "MaxResults": max});
        let check = |max| validate_input(Operation::ListEngagementInvitations, &list(max));
        let out_of_range = one(
            "MaxResults",
            "must be from 1 to 100",
            ValidationErrorCode::ValueOutOfRange,
        );
        assert_eq!(check(json!(0)), out_of_range);
        assert_eq!(check(json!(101)), out_of_range);
        assert_eq!(check(json!(100)), []);
        assert_eq!(check(json!(u64::MAX)), out_of_range);
        assert_eq!(
            check(json!(2.5)),
            [wrong_type("MaxResults", "must be a whole number")]
        );
        assert_eq!(
            check(json!("10")),
            [wrong_type("MaxResults", "must be a whole number")]
        );
    }

    #[test]
    fn unions_need_exactly_one_member() {
        let lead = json!({"Customer": {"CompanyName": "Acme"},
                          "Interaction": {"ContactBusinessTitle": "CTO"}});
        let document = with(
            opportunity(),
            "/Invitation/Payload/LeadInvitation",
            lead.clone(),
        );
        assert_eq!(
            create(&document),
            one(
                "Invitation.Payload",
                "must have exactly one member set (OpportunityInvitation or LeadInvitation)",
                ValidationErrorCode::InvalidValue
            )
        );
        let document = with(opportunity(), "/Invitation/Receiver", json!({}));
        assert_eq!(
            create(&document),
            one(
                "Invitation.Receiver",
                "must have exactly one member set (Account)",
                ValidationErrorCode::InvalidValue
            )
        );
        let document = with(
            opportunity(),
            "/Invitation/Payload",
            json!({"LeadInvitation": lead, "OpportunityInvitation": null}),
        );
        assert_eq!(create(&document), []);
    }

    #[test]
    fn timestamps_are_iso_8601_or_epoch_seconds() {
        for good in [
            json!("2025-01-31T12:00:00Z"),
            json!("2025-01-31T12:00:00.5+01:00"),
            json!(1738324800),
        ] {
            assert_eq!(
                validate_shape("DateTime", &good, "InvitationDate"),
                [],
                "{good}"
            );
        }
        for bad in [json!("31/01/2025"), json!(true)] {
            assert_eq!(
                validate_shape("DateTime", &bad, "InvitationDate"),
                one(
                    "InvitationDate",
                    "must be an ISO 8601 time such as 2025-01-31T12:00:00Z",
                    ValidationErrorCode::InvalidValue
                )
            );
        }
    }

    #[test]
    fn dates_must_exist_in_the_calendar() {
        let path = format!("{OPPORTUNITY}.Project.TargetCompletionDate");
        for impossible in ["2025-02-29", "2025-02-30", "2025-04-31"] {
            let document = with(
                opportunity(),
                &format!("{OPP}/Project/TargetCompletionDate"),
                json!(impossible),
            );
            assert_eq!(
                create(&document),
                one(&path, DATE_RULE, ValidationErrorCode::InvalidValue)
            );
        }
        let leap = with(
            opportunity(),
            &format!("{OPP}/Project/TargetCompletionDate"),
            json!("2028-02-29"),
        );
        assert_eq!(create(&leap), []);
    }

    #[test]
    fn a_bad_date_reads_the_same_malformed_or_impossible_and_in_the_composer() {
        for bad in ["2025-02-30", "28.02.2026", "2025-13-01"] {
            let as_field = validate_member(
                "ProjectDetails",
                "TargetCompletionDate",
                &json!(bad),
                "Project.TargetCompletionDate",
            );
            assert_eq!(as_field.len(), 1, "{bad}");
            assert_eq!(as_field[0].message, DATE_RULE, "{bad}");
            let document = with(
                opportunity(),
                &format!("{OPP}/Project/TargetCompletionDate"),
                json!(bad),
            );
            assert_eq!(create(&document)[0].message, DATE_RULE, "{bad}");
        }
    }

    #[test]
    fn only_the_known_catalogs_pass_in_any_document() {
        for catalog in ["AWS", "Sandbox"] {
            assert_eq!(create(&with(opportunity(), "/Catalog", json!(catalog))), []);
        }
        for bad in ["Foo", "sandbox", "aws"] {
            assert_eq!(
                create(&with(opportunity(), "/Catalog", json!(bad))),
                one(
                    "Catalog",
                    &format!("`{bad}` must be AWS or Sandbox"),
                    ValidationErrorCode::InvalidEnumValue
                ),
                "{bad}"
            );
        }
        let list = json!({"Catalog": "Foo", "ParticipantType": "RECEIVER"});
        assert_eq!(
            validate_input(Operation::ListEngagementInvitations, &list)[0].path,
            "Catalog"
        );
    }

    #[test]
    fn receiver_responsibilities_must_not_repeat() {
        let document = with(
            opportunity(),
            &format!("{OPP}/ReceiverResponsibilities"),
            json!(["Reseller", "Distributor", "Reseller"]),
        );
        assert_eq!(
            create(&document),
            one(
                &format!("{OPPORTUNITY}.ReceiverResponsibilities[2]"),
                "`Reseller` is already listed at [0]",
                ValidationErrorCode::DuplicateKeyValue
            )
        );
    }

    #[test]
    fn every_violation_is_collected() {
        let document = json!({"Catalog": "", "EngagementIdentifier": 7,
                              "Invitation": {"Receiver": {"Account": {}}, "Payload": {}}});
        let paths: Vec<String> = create(&document).into_iter().map(|v| v.path).collect();
        assert_eq!(
            paths,
            [
                "Catalog",
                "EngagementIdentifier",
                "Invitation.Message",
                "Invitation.Receiver.Account.AwsAccountId",
                "Invitation.Payload",
            ]
        );
    }

    #[test]
    fn one_member_at_a_time_for_the_composer() {
        assert_eq!(
            validate_member("SenderContact", "Email", &Value::Null, "Contacts[0].Email"),
            [required("Contacts[0].Email")]
        );
        assert_eq!(
            validate_member("SenderContact", "Phone", &Value::Null, "Phone"),
            []
        );
        assert_eq!(
            validate_member("SenderContact", "Phone", &json!("12"), "Phone"),
            one(
                "Phone",
                "must be an international number: + and up to 15 digits",
                ValidationErrorCode::InvalidStringFormat
            )
        );
        assert_eq!(
            validate_member("SenderContact", "Fax", &json!("1"), "Fax"),
            one(
                "Fax",
                "is not a member of SenderContact",
                ValidationErrorCode::InvalidValue
            )
        );
    }

    #[test]
    fn rule_summaries_describe_each_field_briefly() {
        let cases = [
            (
                "EngagementCustomer",
                "CompanyName",
                "required · 1–120 characters",
            ),
            (
                "ProjectDetails",
                "TargetCompletionDate",
                "required · YYYY-MM-DD",
            ),
            (
                "EngagementCustomer",
                "CountryCode",
                "required · country code",
            ),
            (
                "EngagementCustomer",
                "Industry",
                "required · one of 28 values",
            ),
            (
                "SenderContact",
                "Email",
                "required · 1–80 characters · email address",
            ),
            (
                "SenderContact",
                "FirstName",
                "optional · up to 80 characters",
            ),
            (
                "OpportunityInvitationPayload",
                "SenderContacts",
                "optional · 1–3 entries",
            ),
            (
                "ListEngagementInvitationsRequest",
                "MaxResults",
                "optional · 1–100",
            ),
            (
                "ExpectedCustomerSpend",
                "Frequency",
                "required · one of Monthly",
            ),
            (
                "Invitation",
                "Payload",
                "required · one of OpportunityInvitation, LeadInvitation",
            ),
            ("Invitation", "Fax", "not a member of Invitation"),
        ];
        for (structure, member, summary) in cases {
            assert_eq!(
                rule_summary(structure, member),
                summary,
                "{structure}.{member}"
            );
        }
    }

    #[test]
    fn typed_requests_validate_through_their_wire_form() {
        let request = CreateEngagementInvitationRequest {
            catalog: "Sandbox".into(),
            client_token: None,
            engagement_identifier: "eng-0123456789abcd".into(),
            invitation: Invitation {
                message: "Hello".into(),
                receiver: Receiver::Account(AccountReceiver {
                    alias: None,
                    aws_account_id: "123456789012".into(),
                }),
                payload: Payload::OpportunityInvitation(
                    crate::api::model::OpportunityInvitationPayload {
                        sender_contacts: None,
                        receiver_responsibilities: vec![],
                        customer: EngagementCustomer {
                            industry: Industry::Retail,
                            ..EngagementCustomer::default()
                        },
                        project: ProjectDetails::default(),
                    },
                ),
            },
        };
        let paths: Vec<String> = validate_create(&request)
            .into_iter()
            .map(|v| v.path)
            .collect();
        assert_eq!(
            paths,
            [
                format!("{OPPORTUNITY}.Customer.CompanyName"),
                format!("{OPPORTUNITY}.Customer.WebsiteUrl"),
                format!("{OPPORTUNITY}.Customer.CountryCode"),
                format!("{OPPORTUNITY}.Project.BusinessProblem"),
                format!("{OPPORTUNITY}.Project.Title"),
                format!("{OPPORTUNITY}.Project.TargetCompletionDate"),
            ]
        );
    }

    #[test]
    fn unknown_shapes_are_reported_not_ignored() {
        assert_eq!(
            validate_shape("NoSuchShape", &json!({}), "X"),
            one(
                "X",
                "has no shape `NoSuchShape` in the model",
                ValidationErrorCode::InvalidValue
            )
        );
    }
}
