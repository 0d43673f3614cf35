//! Bad input is refused before anything is sent, naming the field and the rule.
//!
//! One case per family of validation rules (required, type, length, pattern, enum/code, list
//! size, list uniqueness, union, unknown member), each refused both by `create`'s
//! `--cli-input-json` reader and by the composer's path (a draft built from the document, checked
//! as the composer checks it). Malformed JSON names line and column; oversized and non-UTF-8
//! input get clear errors, also from the real binary; nothing panics.

use std::process::Command;

use pcinbox::api::model::Operation;
use pcinbox::api::validate::validate_input;
use pcinbox::cli::{InputError, read_create_input};
use pcinbox::tui::composer::draft::Draft;
use serde_json::{Value, json};

const OPP: &str = "/Invitation/Payload/OpportunityInvitation";
const LEAD: &str = "/Invitation/Payload/LeadInvitation";

fn opportunity() -> Value {
    json!({
        "Catalog": "Sandbox",
        "ClientToken": "token-1",
        "EngagementIdentifier": "eng-0123456789abcd",
        "Invitation": {
            "Message": "Could your team help with this migration?",
            "Receiver": {"Account": {"AwsAccountId": "555566667777", "Alias": "Globex"}},
            "Payload": {"OpportunityInvitation": {
                "SenderContacts": [{"Email": "ana@example.com", "FirstName": "Ana",
                                     "LastName": "Lima", "BusinessTitle": "PDM",
                                     "Phone": "+4930123456"}],
                "ReceiverResponsibilities": ["Distributor"],
                "Customer": {"Industry": "Automotive", "CompanyName": "Müller GmbH",
                             "WebsiteUrl": "https://mueller.example.com", "CountryCode": "DE"},
                "Project": {
                    "BusinessProblem": "Their on-premises data warehouse cannot keep up.",
                    "Title": "Data lake migration",
                    "TargetCompletionDate": "2027-03-31",
                    "ExpectedCustomerSpend": [{"Amount": "5000", "CurrencyCode": "EUR",
                                               "Frequency": "Monthly",
                                               "TargetCompany": "AWS"}]
                }
            }}
        }
    })
}

fn lead() -> Value {
    json!({
        "Catalog": "Sandbox",
        "ClientToken": "token-2",
        "EngagementIdentifier": "eng-0123456789abcd",
        "Invitation": {
            "Message": "A lead for you",
            "Receiver": {"Account": {"AwsAccountId": "555566667777"}},
            "Payload": {"LeadInvitation": {
                "Customer": {"CompanyName": "Example Co", "CountryCode": "US"},
                "Interaction": {"ContactBusinessTitle": "CTO"}
            }}
        }
    })
}

/// `document` with the value at `pointer` replaced (or removed, for `None`).
fn with(mut document: Value, pointer: &str, value: Option<Value>) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = document.pointer_mut(parent).expect("the parent exists");
    match (parent, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(key.to_owned(), value);
        }
        (Value::Object(map), None) => {
            map.remove(key);
        }
        (Value::Array(items), Some(value)) => items[key.parse::<usize>().unwrap()] = value,
        _ => panic!("cannot edit {pointer}"),
    }
    document
}

/// What `create` says about `document` (read from standard input).
fn create_refusal(document: &Value) -> String {
    let bytes = serde_json::to_vec_pretty(document).unwrap();
    match read_create_input("-", None, &mut bytes.as_slice()) {
        Ok(_) => panic!("create accepted {document:#}"),
        Err(error @ InputError::Invalid(_)) => error.to_string(),
        Err(other) => panic!("create refused for another reason: {other}"),
    }
}

/// What the composer says about a draft made from `document`.
fn composer_refusal(document: &Value) -> String {
    let draft = Draft::from_document(document);
    validate_input(Operation::CreateEngagementInvitation, &draft.to_document())
        .iter()
        .map(|violation| format!("{violation}\n"))
        .collect()
}

struct Case {
    family: &'static str,
    base: fn() -> Value,
    pointer: String,
    bad: Option<Value>,
    /// The reported field path and a piece of the rule's wording.
    field: String,
    rule: &'static str,
    /// The composer's wording, if a form of text fields can hold the mistake at all (a type
    /// error or an unknown member cannot be typed into one; an empty field is an unset one).
    form_rule: Option<&'static str>,
}

fn case(
    family: &'static str,
    base: fn() -> Value,
    pointer: String,
    bad: Option<Value>,
    field: &str,
    rule: &'static str,
    form_rule: Option<&'static str>,
) -> Case {
    Case {
        family,
        base,
        pointer,
        bad,
        field: field.to_owned(),
        rule,
        form_rule,
    }
}

fn cases() -> Vec<Case> {
    let opp = "Invitation.Payload.OpportunityInvitation";
    let lead_path = "Invitation.Payload.LeadInvitation";
    vec![
        case(
            "required",
            opportunity,
            "/Invitation/Message".into(),
            None,
            "Invitation.Message",
            "is required",
            Some("is required"),
        ),
        case(
            "required (nested)",
            lead,
            format!("{LEAD}/Interaction/ContactBusinessTitle"),
            None,
            &format!("{lead_path}.Interaction.ContactBusinessTitle"),
            "is required",
            Some("is required"),
        ),
        case(
            "type",
            opportunity,
            "/Invitation/Message".into(),
            Some(json!(42)),
            "Invitation.Message",
            "must be a string",
            None,
        ),
        case(
            "type (object)",
            opportunity,
            format!("{OPP}/Customer"),
            Some(json!("Acme")),
            &format!("{opp}.Customer"),
            "must be an object",
            None,
        ),
        case(
            "length (empty)",
            opportunity,
            format!("{OPP}/Customer/CompanyName"),
            Some(json!("")),
            &format!("{opp}.Customer.CompanyName"),
            "must not be empty",
            Some("is required"),
        ),
        case(
            "length (too long)",
            opportunity,
            "/Invitation/Message".into(),
            Some(json!("x".repeat(5000))),
            "Invitation.Message",
            "must be at most",
            Some("must be at most"),
        ),
        case(
            "pattern (email)",
            opportunity,
            format!("{OPP}/SenderContacts/0/Email"),
            Some(json!("not-an-email")),
            &format!("{opp}.SenderContacts[0].Email"),
            "",
            Some(""),
        ),
        case(
            "pattern (date)",
            opportunity,
            format!("{OPP}/Project/TargetCompletionDate"),
            Some(json!("31/03/2027")),
            &format!("{opp}.Project.TargetCompletionDate"),
            "",
            Some(""),
        ),
        case(
            "calendar date (the same words as a malformed one)",
            opportunity,
            format!("{OPP}/Project/TargetCompletionDate"),
            Some(json!("2027-02-30")),
            &format!("{opp}.Project.TargetCompletionDate"),
            "must be a real calendar date as YYYY-MM-DD",
            Some("must be a real calendar date as YYYY-MM-DD"),
        ),
        case(
            "catalog outside the allowlist",
            lead,
            "/Catalog".into(),
            Some(json!("Foo")),
            "Catalog",
            "`Foo` must be AWS or Sandbox",
            Some("`Foo` must be AWS or Sandbox"),
        ),
        case(
            "pattern (account)",
            lead,
            "/Invitation/Receiver/Account/AwsAccountId".into(),
            Some(json!("5555-6666-7777")),
            "Invitation.Receiver.Account.AwsAccountId",
            "",
            Some(""),
        ),
        case(
            "enum",
            opportunity,
            format!("{OPP}/Project/ExpectedCustomerSpend/0/Frequency"),
            Some(json!("Weekly")),
            &format!("{opp}.Project.ExpectedCustomerSpend[0].Frequency"),
            "must be one of",
            Some("must be one of"),
        ),
        case(
            "code",
            opportunity,
            format!("{OPP}/Customer/CountryCode"),
            Some(json!("XX")),
            &format!("{opp}.Customer.CountryCode"),
            "is not a country code",
            Some("is not a country code"),
        ),
        case(
            "list size",
            opportunity,
            format!("{OPP}/Project/ExpectedCustomerSpend"),
            Some(json!(vec![
                json!({"Amount": "1", "CurrencyCode": "EUR", "Frequency": "Monthly",
                       "TargetCompany": "AWS"});
                11
            ])),
            &format!("{opp}.Project.ExpectedCustomerSpend"),
            "must have at most 10 entries",
            Some("must have at most 10 entries"),
        ),
        case(
            "list uniqueness",
            opportunity,
            format!("{OPP}/ReceiverResponsibilities"),
            Some(json!(["Distributor", "Distributor"])),
            &format!("{opp}.ReceiverResponsibilities[1]"),
            "is already listed",
            Some("is already listed"),
        ),
        case(
            "union",
            lead,
            "/Invitation/Payload".into(),
            Some(json!({})),
            "Invitation.Payload",
            "exactly one member",
            None,
        ),
        case(
            "unknown member",
            lead,
            "/Invitation/Colour".into(),
            Some(json!("red")),
            "Invitation.Colour",
            "is not a member of",
            None,
        ),
    ]
}

#[test]
fn both_bases_are_valid_on_both_paths() {
    for base in [opportunity(), lead()] {
        let bytes = serde_json::to_vec(&base).unwrap();
        read_create_input("-", None, &mut bytes.as_slice()).expect("create takes the base");
        assert_eq!(composer_refusal(&base), "", "the composer takes the base");
    }
}

/// Whether `report` has a line for `field` (at the start of a line after indentation) whose
/// message says `rule`.
fn names(report: &str, field: &str, rule: &str) -> bool {
    report.lines().any(|line| {
        line.trim_start()
            .strip_prefix(field)
            .and_then(|rest| rest.strip_prefix(": "))
            .is_some_and(|message| message.contains(rule))
    })
}

#[test]
fn every_rule_family_is_refused_by_create_and_the_composer_naming_the_field() {
    for case in cases() {
        let document = with((case.base)(), &case.pointer, case.bad.clone());
        let refused = create_refusal(&document);
        assert!(
            names(&refused, &case.field, case.rule),
            "{}: create said:\n{refused}\nexpected `{}: …{}…`",
            case.family,
            case.field,
            case.rule
        );
        if let Some(rule) = case.form_rule {
            let refused = composer_refusal(&document);
            assert!(
                names(&refused, &case.field, rule),
                "{}: the composer said:\n{refused}\nexpected `{}: …{rule}…`",
                case.family,
                case.field
            );
        }
    }
}

#[test]
fn malformed_json_names_line_and_column() {
    let text = "{\n  \"Catalog\": \"Sandbox\",\n  \"Invitation\": {\"Message\" \"hi\"}\n}";
    let error = read_create_input("-", None, &mut text.as_bytes()).unwrap_err();
    assert!(
        matches!(
            error,
            InputError::Json {
                line: 3,
                column: 28,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("line 3, column 28"), "{error}");
}

#[test]
fn oversized_and_non_utf8_input_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 1024 * 1024 + 1]).unwrap();
    let error = read_create_input(
        &format!("file://{}", big.display()),
        None,
        &mut [].as_slice(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("big.json is larger than 1048576 bytes"),
        "{error}"
    );

    let latin1 = b"{\"Catalog\": \"Sandbox\", \"Message\": \"Gr\xfc\xdfe\"}";
    let error = read_create_input("-", None, &mut latin1.as_slice())
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "standard input is not UTF-8 text (invalid byte at offset 37)"
    );

    let missing = dir.path().join("nope.json");
    let error = read_create_input(&missing.display().to_string(), None, &mut [].as_slice())
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("cannot read"), "{error}");
}

/// The binary: bad input exits 2 with the problem on stderr and nothing on stdout.
#[test]
fn the_binary_refuses_bad_input_before_sending() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.json");
    std::fs::write(
        &bad,
        serde_json::to_vec(&with(opportunity(), "/Invitation/Message", None)).unwrap(),
    )
    .unwrap();
    let latin1 = home.path().join("latin1.json");
    std::fs::write(&latin1, b"{\"a\": \"\xff\"}").unwrap();
    for (file, expected) in [
        (&bad, "Invitation.Message: is required"),
        (&latin1, "is not UTF-8 text (invalid byte at offset 7)"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_pcinbox"))
            .args(["--local", "create", "--cli-input-json"])
            .arg(file)
            .env("PCINBOX_HOME", home.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}
