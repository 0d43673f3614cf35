//! Fuzzing with proptest: the response decoder (arbitrary bytes, and arbitrary JSON built from
//! the model's own member names so decoding goes deep, into every response type and into
//! `Error::from_response`) and the `--cli-input-json` reader never panic, and whatever decodes
//! can be written back.

use pcinbox::api::Error;
use pcinbox::api::model::{
    CreateEngagementInvitationResponse, EngagementInvitation, EngagementInvitationSummary,
    ListEngagementInvitationsResponse, ListEngagementMembersResponse, Timestamp,
};
use pcinbox::cli::read_create_input;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde_json::Value;

/// Member names of the model's responses and errors, plus a few it does not have.
const KEYS: &[&str] = &[
    "EngagementInvitationSummaries",
    "NextToken",
    "Id",
    "Arn",
    "Catalog",
    "Status",
    "PayloadType",
    "EngagementId",
    "EngagementTitle",
    "InvitationDate",
    "ExpirationDate",
    "SenderAwsAccountId",
    "SenderCompanyName",
    "Receiver",
    "Account",
    "Alias",
    "AwsAccountId",
    "ParticipantType",
    "Payload",
    "OpportunityInvitation",
    "LeadInvitation",
    "SenderContacts",
    "Email",
    "ReceiverResponsibilities",
    "Customer",
    "Industry",
    "CompanyName",
    "WebsiteUrl",
    "CountryCode",
    "Project",
    "BusinessProblem",
    "Title",
    "TargetCompletionDate",
    "ExpectedCustomerSpend",
    "Amount",
    "CurrencyCode",
    "Frequency",
    "TargetCompany",
    "Interaction",
    "ContactBusinessTitle",
    "ExistingMembers",
    "EnrichmentContext",
    "ProspectingResultAws",
    "LeadInsights",
    "EngagementMemberList",
    "AccountId",
    "InvitationMessage",
    "RejectionReason",
    "__type",
    "Message",
    "message",
    "Reason",
    "ErrorList",
    "FieldName",
    "Code",
    "Invitation",
    "EngagementIdentifier",
    "ClientToken",
    "Unknown",
    "",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        9 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => ".{0,12}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        proptest::sample::select(
            &[
                "PENDING",
                "ACCEPTED",
                "OpportunityInvitation",
                "LeadInvitation",
                "Sandbox",
                "2025-01-01T00:00:00Z",
                "1735689600",
                "DE",
                "EUR",
                "Monthly",
                "RECEIVER",
                "ThrottlingException",
                "ValidationException",
                "com.x#ConflictException:http://y",
            ][..]
        )
        .prop_map(|s| Value::String(s.to_owned())),
        ".{0,20}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(key(), inner, 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Decodes `bytes` as every response type; whatever decodes is written back.
fn decode_everything(bytes: &[u8]) {
    fn one<T: serde::de::DeserializeOwned + serde::Serialize>(bytes: &[u8]) {
        if let Ok(value) = serde_json::from_slice::<T>(bytes) {
            serde_json::to_vec(&value).expect("a decoded value can be written back");
        }
    }
    one::<ListEngagementInvitationsResponse>(bytes);
    one::<EngagementInvitationSummary>(bytes);
    one::<EngagementInvitation>(bytes);
    one::<CreateEngagementInvitationResponse>(bytes);
    one::<ListEngagementMembersResponse>(bytes);
    one::<Timestamp>(bytes);
}

fn error_from(status: u16, error_type: &str, bytes: &[u8]) {
    let mut headers = http::HeaderMap::new();
    if let Ok(value) = http::HeaderValue::from_str(error_type) {
        headers.insert("x-amzn-ErrorType", value);
    }
    let error = Error::from_response(status, &headers, bytes);
    let _ = error.code();
    let shown = error.to_string();
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "an error message carries no control characters: {shown:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_the_decoders(
        bytes in vec(any::<u8>(), 0..600),
        status in 100u16..600,
        error_type in ".{0,40}",
    ) {
        decode_everything(&bytes);
        error_from(status, &error_type, &bytes);
        let _ = read_create_input("-", None, &mut bytes.as_slice());
    }

    #[test]
    fn arbitrary_json_never_panics_the_decoders(
        value in json_value(),
        status in 100u16..600,
        error_type in ".{0,40}",
    ) {
        let bytes = serde_json::to_vec(&value).unwrap();
        decode_everything(&bytes);
        error_from(status, &error_type, &bytes);
        let _ = read_create_input("-", None, &mut bytes.as_slice());
        let _ = read_create_input("-", Some("token"), &mut bytes.as_slice());
    }

    #[test]
    fn truncated_json_never_panics_the_reader(value in json_value(), cut in any::<prop::sample::Index>()) {
        let bytes = serde_json::to_vec_pretty(&value).unwrap();
        let cut = cut.index(bytes.len() + 1);
        decode_everything(&bytes[..cut]);
        let _ = read_create_input("-", None, &mut &bytes[..cut]);
    }
}
