//! Properties of the validation rules: generated valid requests pass, every single mutation of
//! one is reported at exactly the mutated field (and nowhere else), and redaction hides exactly
//! the model's sensitive fields.

use chrono::NaiveDate;
use pcinbox::api::codes::{COUNTRIES, CURRENCIES};
use pcinbox::api::model::{
    Industry, InvitationStatus, Operation, ParticipantType, PayloadType, ReceiverResponsibility,
    SortOrder,
};
use pcinbox::api::schema::{REDACTED, redact};
use pcinbox::api::validate::{Violation, validate_input};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{Map, Value, json};

const OPPORTUNITY: &str = "Invitation.Payload.OpportunityInvitation";
const LEAD: &str = "Invitation.Payload.LeadInvitation";

// ---- generators of valid values ----

/// Characters from several scripts, so lengths are checked in chars, not bytes.
fn any_char(line_breaks: bool) -> BoxedStrategy<char> {
    let newline = if line_breaks { '\n' } else { ' ' };
    prop_oneof![
        6 => proptest::char::range(' ', '~'),
        2 => proptest::char::range('À', 'ž'),
        1 => proptest::char::range('一', '龥'),
        1 => proptest::char::range('😀', '🙏'),
        1 => Just(newline),
    ]
    .boxed()
}

/// Free text of `min..=max` characters (line breaks allowed, as `(?s).{min,max}` allows them).
fn text(min: usize, max: usize) -> BoxedStrategy<String> {
    vec(any_char(true), min..=max)
        .prop_map(String::from_iter)
        .boxed()
}

fn one_line(min: usize, max: usize) -> BoxedStrategy<String> {
    vec(any_char(false), min..=max)
        .prop_map(String::from_iter)
        .boxed()
}

fn date() -> impl Strategy<Value = String> {
    (1000i32..=9999, 1u32..=366).prop_filter_map("a day of that year", |(year, day)| {
        NaiveDate::from_yo_opt(year, day).map(|d| d.format("%Y-%m-%d").to_string())
    })
}

fn account() -> BoxedStrategy<String> {
    prop_oneof!["[0-9]{12}", "[A-Za-z0-9_]{1,12}"].boxed()
}

/// The catalogs the service knows (its runtime allowlist; the model's pattern is only letters).
fn catalog() -> BoxedStrategy<String> {
    prop_oneof![Just("AWS".to_owned()), Just("Sandbox".to_owned())].boxed()
}

fn names<T>(all: &'static [T], as_str: fn(&T) -> &str) -> Vec<String> {
    all.iter().map(|v| as_str(v).to_owned()).collect()
}

/// A JSON object of the members that are set.
fn object(members: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name.to_owned(), v)))
            .collect::<Map<_, _>>(),
    )
}

fn sender_contact() -> impl Strategy<Value = Value> {
    (
        "[a-z0-9._%+-]{1,30}@[a-z0-9-]{1,20}(\\.[a-z]{2,8}){0,2}",
        proptest::option::of(text(0, 80)),
        proptest::option::of(text(0, 80)),
        proptest::option::of(text(0, 80)),
        proptest::option::of("\\+[1-9][0-9]{1,14}"),
    )
        .prop_map(|(email, first, last, title, phone)| {
            object(vec![
                ("Email", Some(json!(email))),
                ("FirstName", first.map(Value::from)),
                ("LastName", last.map(Value::from)),
                ("BusinessTitle", title.map(Value::from)),
                ("Phone", phone.map(Value::from)),
            ])
        })
}

fn customer_spend() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(prop_oneof![
            Just(String::new()),
            "(0|[1-9][0-9]{0,30})(\\.[0-9]{0,2})?"
        ]),
        select(CURRENCIES.iter().map(|(code, _)| *code).collect::<Vec<_>>()),
        text(1, 80),
        proptest::option::of(
            "https://(calculator\\.aws|pricing\\.calculator\\.aws\\.eu)/#/estimate\\?id=[a-f0-9]{32,64}",
        ),
    )
        .prop_map(|(amount, currency, target, estimation)| {
            object(vec![
                ("Amount", amount.map(Value::from)),
                ("CurrencyCode", Some(json!(currency))),
                ("Frequency", Some(json!("Monthly"))),
                ("TargetCompany", Some(json!(target))),
                ("EstimationUrl", estimation.map(Value::from)),
            ])
        })
}

fn opportunity_payload() -> impl Strategy<Value = Value> {
    let responsibilities = names(ReceiverResponsibility::ALL, ReceiverResponsibility::as_str);
    let customer = (
        select(names(Industry::ALL, Industry::as_str)),
        text(1, 120),
        "(https?://)?(www\\.)?[a-z0-9-]{1,30}(\\.[a-z]{2,10}){1,3}(/[a-z0-9]{1,10})?",
        select(COUNTRIES.iter().map(|(code, _)| *code).collect::<Vec<_>>()),
    )
        .prop_map(|(industry, name, website, country)| {
            json!({"Industry": industry, "CompanyName": name, "WebsiteUrl": website,
                   "CountryCode": country})
        });
    let project = (
        text(20, 2000),
        text(1, 255),
        date(),
        vec(customer_spend(), 0..=10),
    )
        .prop_map(|(problem, title, date, spend)| {
            json!({"BusinessProblem": problem, "Title": title, "TargetCompletionDate": date,
                   "ExpectedCustomerSpend": spend})
        });
    (
        proptest::option::of(vec(sender_contact(), 1..=3)),
        subsequence(responsibilities.clone(), 0..=responsibilities.len()).prop_shuffle(),
        customer,
        project,
    )
        .prop_map(|(contacts, responsibilities, customer, project)| {
            json!({"OpportunityInvitation": object(vec![
                ("SenderContacts", contacts.map(Value::from)),
                ("ReceiverResponsibilities", Some(json!(responsibilities))),
                ("Customer", Some(customer)),
                ("Project", Some(project)),
            ])})
        })
}

fn lead_payload() -> impl Strategy<Value = Value> {
    let optional = || proptest::option::of(text(0, 255));
    let customer = (
        text(1, 120),
        optional(),
        optional(),
        proptest::option::of(text(0, 10)),
        optional(),
        optional(),
    )
        .prop_map(|(name, industry, website, country, maturity, segment)| {
            object(vec![
                ("CompanyName", Some(json!(name))),
                ("Industry", industry.map(Value::from)),
                ("WebsiteUrl", website.map(Value::from)),
                ("CountryCode", country.map(Value::from)),
                ("AwsMaturity", maturity.map(Value::from)),
                ("MarketSegment", segment.map(Value::from)),
            ])
        });
    let interaction = (text(0, 80), optional(), optional(), optional(), optional()).prop_map(
        |(title, source_type, source_id, source_name, usecase)| {
            object(vec![
                ("ContactBusinessTitle", Some(json!(title))),
                ("SourceType", source_type.map(Value::from)),
                ("SourceId", source_id.map(Value::from)),
                ("SourceName", source_name.map(Value::from)),
                ("Usecase", usecase.map(Value::from)),
            ])
        },
    );
    (customer, interaction).prop_map(|(customer, interaction)| {
        json!({"LeadInvitation": {"Customer": customer, "Interaction": interaction}})
    })
}

fn create_request() -> impl Strategy<Value = Value> {
    let receiver = (account(), proptest::option::of(text(0, 80))).prop_map(|(id, alias)| {
        json!({"Account": object(vec![
            ("AwsAccountId", Some(json!(id))),
            ("Alias", alias.map(Value::from)),
        ])})
    });
    (
        catalog(),
        proptest::option::of(one_line(1, 255)),
        "eng-[0-9a-z]{14}",
        text(1, 255),
        receiver,
        prop_oneof![opportunity_payload().boxed(), lead_payload().boxed()],
    )
        .prop_map(|(catalog, token, engagement, message, receiver, payload)| {
            object(vec![
                ("Catalog", Some(json!(catalog))),
                ("ClientToken", token.map(Value::from)),
                ("EngagementIdentifier", Some(json!(engagement))),
                (
                    "Invitation",
                    Some(json!({"Message": message, "Receiver": receiver, "Payload": payload})),
                ),
            ])
        })
}

fn list_request() -> impl Strategy<Value = Value> {
    let statuses = select(names(InvitationStatus::ALL, InvitationStatus::as_str));
    let payload_types = names(PayloadType::ALL, PayloadType::as_str);
    let engagement = prop_oneof!["eng-[0-9a-z]{14}", "arn:[a-z0-9:/-]{0,40}"];
    (
        catalog(),
        select(names(ParticipantType::ALL, ParticipantType::as_str)),
        proptest::option::of(1u32..=100),
        proptest::option::of(text(0, 60)),
        proptest::option::of(select(names(SortOrder::ALL, SortOrder::as_str))),
        proptest::option::of(subsequence(payload_types.clone(), 0..=payload_types.len())),
        proptest::option::of(vec(statuses, 1..=10)),
        proptest::option::of(vec(engagement, 1..=10)),
        proptest::option::of(vec(account(), 1..=10)),
    )
        .prop_map(
            |(catalog, participant, max, token, order, kinds, status, engagements, senders)| {
                object(vec![
                    ("Catalog", Some(json!(catalog))),
                    ("ParticipantType", Some(json!(participant))),
                    ("MaxResults", max.map(Value::from)),
                    ("NextToken", token.map(Value::from)),
                    (
                        "Sort",
                        order.map(|o| json!({"SortOrder": o, "SortBy": "InvitationDate"})),
                    ),
                    ("PayloadType", kinds.map(Value::from)),
                    ("Status", status.map(Value::from)),
                    ("EngagementIdentifier", engagements.map(Value::from)),
                    ("SenderAwsAccountId", senders.map(Value::from)),
                ])
            },
        )
}

// ---- single mutations ----

/// One change to a valid document, and the path a violation must then name.
struct Mutation {
    at: String,
    change: Change,
    expect: String,
}

enum Change {
    Remove,
    Set(Value),
    Insert(&'static str, Value),
    Push(Value),
}

fn remove(at: &str) -> Mutation {
    Mutation {
        at: at.to_owned(),
        change: Change::Remove,
        expect: at.to_owned(),
    }
}

fn set(at: &str, value: Value) -> Mutation {
    replace(at, value, at)
}

/// Sets the value at `at`; `expect` is the field inside it that the new value breaks.
fn replace(at: &str, value: Value, expect: &str) -> Mutation {
    Mutation {
        at: at.to_owned(),
        change: Change::Set(value),
        expect: expect.to_owned(),
    }
}

/// Adds a member `name` to the object at `at`; `expect` is where the violation belongs.
fn insert(at: &str, name: &'static str, value: Value, expect: &str) -> Mutation {
    Mutation {
        at: at.to_owned(),
        change: Change::Insert(name, value),
        expect: expect.to_owned(),
    }
}

/// Splits `A.B[2].C` into member names and indices.
fn steps(path: &str) -> Vec<Result<&str, usize>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(name) = pieces.next().filter(|n| !n.is_empty()) {
            out.push(Ok(name));
        }
        for index in pieces {
            out.push(Err(index.trim_end_matches(']').parse().unwrap()));
        }
    }
    out
}

fn at_path<'a>(document: &'a Value, path: &str) -> Option<&'a Value> {
    steps(path)
        .into_iter()
        .try_fold(document, |value, step| match step {
            Ok(name) => value.get(name),
            Err(index) => value.get(index),
        })
}

fn at_path_mut<'a>(document: &'a mut Value, path: &str) -> &'a mut Value {
    steps(path)
        .into_iter()
        .fold(document, |value, step| match step {
            Ok(name) => &mut value[name],
            Err(index) => &mut value[index],
        })
}

impl Mutation {
    fn apply(&self, document: &Value) -> Value {
        let mut mutated = document.clone();
        match &self.change {
            Change::Remove => {
                let (parent, name) = self.at.rsplit_once('.').unwrap_or(("", &self.at));
                let parent = if parent.is_empty() {
                    &mut mutated
                } else {
                    at_path_mut(&mut mutated, parent)
                };
                parent.as_object_mut().unwrap().remove(name);
            }
            Change::Set(value) => *at_path_mut(&mut mutated, &self.at) = value.clone(),
            Change::Insert(name, value) => {
                at_path_mut(&mut mutated, &self.at)
                    .as_object_mut()
                    .unwrap()
                    .insert((*name).to_owned(), value.clone());
            }
            Change::Push(value) => at_path_mut(&mut mutated, &self.at)
                .as_array_mut()
                .unwrap()
                .push(value.clone()),
        }
        mutated
    }
}

/// Whether `path` is `scope` itself or a field inside it.
fn within(path: &str, scope: &str) -> bool {
    path == scope
        || path
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

fn check_mutation(operation: Operation, document: &Value, mutation: &Mutation) {
    let violations = validate_input(operation, &mutation.apply(document));
    assert!(
        violations.iter().any(|v| v.path == mutation.expect),
        "no violation at {} after changing {}: {violations:?}",
        mutation.expect,
        mutation.at
    );
    let strays: Vec<&Violation> = violations
        .iter()
        .filter(|v| !within(&v.path, &mutation.expect))
        .collect();
    assert!(
        strays.is_empty(),
        "violations outside {}: {strays:?}",
        mutation.expect
    );
}

fn create_mutations(document: &Value) -> Vec<Mutation> {
    let mut out = vec![
        remove("Catalog"),
        remove("EngagementIdentifier"),
        remove("Invitation"),
        remove("Invitation.Message"),
        remove("Invitation.Receiver"),
        remove("Invitation.Payload"),
        remove("Invitation.Receiver.Account.AwsAccountId"),
        set("Invitation.Message", Value::Null),
        set("Invitation.Message", json!("")),
        set("Invitation.Message", json!("é".repeat(256))),
        set("Invitation.Message", json!(42)),
        set("Invitation.Receiver.Account.Alias", json!("x".repeat(81))),
        set("Catalog", json!("AWS-1")),
        set("Catalog", json!("sandbox")),
        set("EngagementIdentifier", json!("ENG-0123456789ABCD")),
        set(
            "Invitation.Receiver.Account.AwsAccountId",
            json!("12345678901234"),
        ),
        set("Invitation.Receiver", json!({})),
        replace(
            "Invitation.Receiver",
            json!({"Partner": {}}),
            "Invitation.Receiver.Partner",
        ),
        insert("Invitation", "Note", json!("hi"), "Invitation.Note"),
        insert("", "Extra", json!(1), "Extra"),
    ];
    if at_path(document, OPPORTUNITY).is_some() {
        out.extend(opportunity_mutations(document));
    } else {
        out.extend(lead_mutations());
    }
    out
}

fn opportunity_mutations(document: &Value) -> Vec<Mutation> {
    let p = |rest: &str| format!("{OPPORTUNITY}.{rest}");
    let mut out: Vec<Mutation> = [
        "ReceiverResponsibilities",
        "Customer",
        "Customer.Industry",
        "Customer.CompanyName",
        "Customer.WebsiteUrl",
        "Customer.CountryCode",
        "Project",
        "Project.BusinessProblem",
        "Project.Title",
        "Project.TargetCompletionDate",
        "Project.ExpectedCustomerSpend",
    ]
    .iter()
    .map(|rest| remove(&p(rest)))
    .collect();
    let date = at_path(document, &p("Project.TargetCompletionDate"))
        .and_then(Value::as_str)
        .unwrap();
    let year = &date[..4];
    out.extend([
        set(&p("Customer.Industry"), json!("Plumbing")),
        set(&p("Customer.CountryCode"), json!("XX")),
        set(&p("Customer.CompanyName"), json!("x".repeat(121))),
        set(&p("Customer.WebsiteUrl"), json!("no url")),
        set(&p("Customer"), json!("Acme")),
        set(&p("Project.BusinessProblem"), json!("too short")),
        set(&p("Project.BusinessProblem"), json!("ü".repeat(2001))),
        set(&p("Project.Title"), json!("t".repeat(256))),
        set(
            &p("Project.TargetCompletionDate"),
            json!(format!("{year}/01/01")),
        ),
        set(
            &p("Project.TargetCompletionDate"),
            json!(format!("{year}-02-30")),
        ),
        set(
            &p("Project.TargetCompletionDate"),
            json!(format!("{year}-04-31")),
        ),
        set(&p("Project.TargetCompletionDate"), json!("2023-02-29")),
        set(&p("Project.ExpectedCustomerSpend"), json!("lots")),
        set(&p("SenderContacts"), json!([])),
        set(
            &p("SenderContacts"),
            Value::Array(vec![json!({"Email": "a@b.c"}); 4]),
        ),
        insert(
            "Invitation.Payload",
            "LeadInvitation",
            json!({"Customer": {"CompanyName": "Acme"},
                   "Interaction": {"ContactBusinessTitle": "CTO"}}),
            "Invitation.Payload",
        ),
    ]);
    let spend = json!({"CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"});
    out.push(set(
        &p("Project.ExpectedCustomerSpend"),
        Value::Array(vec![spend; 11]),
    ));
    if let Some(first) = at_path(document, &p("ReceiverResponsibilities[0]")) {
        let count = at_path(document, &p("ReceiverResponsibilities"))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        out.push(set(&p("ReceiverResponsibilities[0]"), json!("Janitor")));
        out.push(Mutation {
            at: p("ReceiverResponsibilities"),
            change: Change::Push(first.clone()),
            expect: p(&format!("ReceiverResponsibilities[{count}]")),
        });
    }
    let contacts = at_path(document, &p("SenderContacts"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if contacts > 0 {
        let last = p(&format!("SenderContacts[{}]", contacts - 1));
        out.extend([
            remove(&format!("{last}.Email")),
            set(&format!("{last}.Email"), json!("no-at-sign")),
            set(&format!("{last}.Phone"), json!("555-0100")),
            set(&format!("{last}.FirstName"), json!("n".repeat(81))),
            insert(&last, "Mail", json!("a@b.c"), &format!("{last}.Mail")),
        ]);
    }
    let spends = at_path(document, &p("Project.ExpectedCustomerSpend"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if spends > 0 {
        let last = p(&format!("Project.ExpectedCustomerSpend[{}]", spends - 1));
        out.extend(
            ["CurrencyCode", "Frequency", "TargetCompany"]
                .iter()
                .map(|member| remove(&format!("{last}.{member}"))),
        );
        out.extend([
            set(&format!("{last}.CurrencyCode"), json!("XYZ")),
            set(&format!("{last}.Frequency"), json!("Weekly")),
            set(&format!("{last}.Amount"), json!("1.234")),
            set(&format!("{last}.TargetCompany"), json!("c".repeat(81))),
            set(
                &format!("{last}.EstimationUrl"),
                json!("https://example.com"),
            ),
        ]);
    }
    out
}

fn lead_mutations() -> Vec<Mutation> {
    let l = |rest: &str| format!("{LEAD}.{rest}");
    vec![
        remove(&l("Customer")),
        remove(&l("Interaction")),
        remove(&l("Customer.CompanyName")),
        remove(&l("Interaction.ContactBusinessTitle")),
        set(&l("Customer.CompanyName"), json!("x".repeat(121))),
        set(&l("Customer.CountryCode"), json!("c".repeat(11))),
        set(&l("Customer.Industry"), json!("i".repeat(256))),
        set(
            &l("Interaction.ContactBusinessTitle"),
            json!("t".repeat(81)),
        ),
        set(&l("Interaction.SourceId"), json!("s".repeat(256))),
        set(&l("Interaction"), json!([])),
        insert(&l("Customer"), "Region", json!("EU"), &l("Customer.Region")),
        insert(
            "Invitation.Payload",
            "OpportunityInvitation",
            json!({}),
            "Invitation.Payload",
        ),
    ]
}

fn list_mutations(document: &Value) -> Vec<Mutation> {
    let mut out = vec![
        remove("Catalog"),
        set("Catalog", json!("Galaxy")),
        remove("ParticipantType"),
        set("ParticipantType", json!("BOTH")),
        set("MaxResults", json!(0)),
        set("MaxResults", json!(101)),
        set("MaxResults", json!(-5)),
        set("MaxResults", json!(1.5)),
        set("MaxResults", json!("10")),
        set("Status", json!([])),
        set("Status", Value::Array(vec![json!("PENDING"); 11])),
        set("Status", json!("PENDING")),
        set("EngagementIdentifier", json!([])),
        set(
            "EngagementIdentifier",
            Value::Array(vec![json!("eng-0123456789abcd"); 11]),
        ),
        set(
            "SenderAwsAccountId",
            Value::Array(vec![json!("123456789012"); 11]),
        ),
        replace(
            "Sort",
            json!({"SortOrder": "UP", "SortBy": "InvitationDate"}),
            "Sort.SortOrder",
        ),
        replace("Sort", json!({"SortOrder": "ASCENDING"}), "Sort.SortBy"),
        replace(
            "PayloadType",
            json!(["PartnerInvitation"]),
            "PayloadType[0]",
        ),
    ];
    for (list, bad) in [
        ("Status", json!("NEW")),
        ("EngagementIdentifier", json!("eng-123")),
        ("SenderAwsAccountId", json!("not an account")),
    ] {
        if let Some(entries) = document.get(list).and_then(Value::as_array) {
            out.push(set(&format!("{list}[{}]", entries.len() - 1), bad));
        }
    }
    out
}

// ---- redaction ----

/// Leaves of the create request the model marks sensitive, with list indices left out.
const SENSITIVE: &[&str] = &[
    "Invitation.Message",
    "Invitation.Receiver.Account.Alias",
    "Invitation.Receiver.Account.AwsAccountId",
    "Invitation.Payload.OpportunityInvitation.SenderContacts.Email",
    "Invitation.Payload.OpportunityInvitation.SenderContacts.FirstName",
    "Invitation.Payload.OpportunityInvitation.SenderContacts.LastName",
    "Invitation.Payload.OpportunityInvitation.SenderContacts.BusinessTitle",
    "Invitation.Payload.OpportunityInvitation.SenderContacts.Phone",
    "Invitation.Payload.OpportunityInvitation.Customer.CompanyName",
    "Invitation.Payload.OpportunityInvitation.Customer.WebsiteUrl",
    "Invitation.Payload.OpportunityInvitation.Customer.CountryCode",
    "Invitation.Payload.OpportunityInvitation.Project.BusinessProblem",
    "Invitation.Payload.OpportunityInvitation.Project.ExpectedCustomerSpend.Amount",
    "Invitation.Payload.OpportunityInvitation.Project.ExpectedCustomerSpend.CurrencyCode",
    "Invitation.Payload.LeadInvitation.Customer.CompanyName",
    "Invitation.Payload.LeadInvitation.Customer.WebsiteUrl",
    "Invitation.Payload.LeadInvitation.Customer.CountryCode",
    "Invitation.Payload.LeadInvitation.Interaction.ContactBusinessTitle",
];

/// Every scalar of `value` with its path (`A.B.C`, list indices left out).
fn leaves<'a>(value: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    match value {
        Value::Object(object) => object
            .iter()
            .for_each(|(name, member)| leaves(member, join(name), out)),
        Value::Array(entries) => entries
            .iter()
            .for_each(|entry| leaves(entry, path.clone(), out)),
        scalar => out.push((path, scalar)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn valid_create_requests_pass(document in create_request()) {
        let violations = validate_input(Operation::CreateEngagementInvitation, &document);
        prop_assert!(violations.is_empty(), "{violations:?}\n{document:#}");
    }

    #[test]
    fn each_create_mutation_is_reported_at_the_mutated_field(document in create_request()) {
        for mutation in create_mutations(&document) {
            check_mutation(Operation::CreateEngagementInvitation, &document, &mutation);
        }
    }

    #[test]
    fn valid_list_requests_pass(document in list_request()) {
        let violations = validate_input(Operation::ListEngagementInvitations, &document);
        prop_assert!(violations.is_empty(), "{violations:?}\n{document:#}");
    }

    #[test]
    fn each_list_mutation_is_reported_at_the_mutated_field(document in list_request()) {
        for mutation in list_mutations(&document) {
            check_mutation(Operation::ListEngagementInvitations, &document, &mutation);
        }
    }

    #[test]
    fn redaction_hides_exactly_the_sensitive_fields(document in create_request()) {
        let redacted = redact("CreateEngagementInvitationRequest", &document);
        let (mut before, mut after) = (Vec::new(), Vec::new());
        leaves(&document, String::new(), &mut before);
        leaves(&redacted, String::new(), &mut after);
        prop_assert_eq!(before.len(), after.len());
        for ((path, original), (_, shown)) in before.iter().zip(&after) {
            if SENSITIVE.contains(&path.as_str()) {
                prop_assert_eq!(*shown, &json!(REDACTED), "{} leaked", path);
            } else {
                prop_assert_eq!(shown, original, "{} changed", path);
            }
        }
    }
}
