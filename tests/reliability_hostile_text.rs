//! Hostile text from the service: every string of real invitations (taken from the emulator's
//! demo data) wrapped in an OSC window-title change, CSI screen clear and colour, C0 and C1
//! controls, DEL, bidi overrides and isolates, and zero-width characters, then served by a
//! scripted local service.
//!
//! Table output and every inbox screen contain none of those characters, while the text around
//! them stays readable; JSON output keeps the exact data.

mod common;
mod support;

use std::process::ExitCode;

use common::{Reply, Service, ok};
use pcinbox::api::model::{CATALOG_SANDBOX, ParticipantType};
use pcinbox::cli::Command;
use pcinbox::config::OutputFormat;
use pcinbox::emulator::Faults;
use pcinbox::tui::app::{DetailState, LoadState};
use pcinbox::tui::command::Command as TuiCommand;
use pcinbox::tui::event::Event;
use serde_json::{Value, json};
use support::{Driver, client, emulator_with, run, run_list, run_ok, settings};

/// Wraps `text` in everything a terminal might obey.
fn hostile(text: &str) -> String {
    format!(
        "\u{1b}]0;pwned\u{7}\u{202E}{text}\u{200B}\u{1b}[2J\u{1b}[H\u{1b}[31;1m\u{9b}0m\u{85}\u{7f}\u{0}\u{8}\r\u{2066}\u{FEFF}\u{1b}]8;;http://evil.example\u{1b}\\"
    )
}

/// Characters that must never reach the terminal from service data.
fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
}

fn assert_harmless(what: &str, text: &str) {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| is_dangerous(*c)) {
        let start = text[..at]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        panic!("{what}: {c:?} at byte {at}, after {:?}", &text[start..at]);
    }
}

/// Every string in `value` made hostile, except the catalog and invitation ids (which route
/// requests; the CLI refuses a hostile id before sending, tested below) and dates (which must
/// parse).
fn poison(value: &mut Value) {
    match value {
        Value::String(text) => *text = hostile(text),
        Value::Array(items) => items.iter_mut().for_each(poison),
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                if key != "Catalog" && key != "Id" && !key.ends_with("Date") {
                    poison(member);
                }
            }
        }
        _ => {}
    }
}

/// The demo's received invitations, their full records and members, all made hostile.
struct Hostile {
    summaries: Vec<Value>,
    invitations: Vec<Value>,
    members: Value,
}

async fn hostile_data() -> Hostile {
    let emulator = emulator_with(Faults::default(), 0).await;
    let client = client(&emulator.endpoint(), 1);
    let mut pages = client.paginate_invitations_raw(
        pcinbox::api::model::ListEngagementInvitationsRequest {
            catalog: CATALOG_SANDBOX.into(),
            participant_type: ParticipantType::Receiver,
            ..Default::default()
        },
        Some(6),
    );
    let mut summaries: Vec<Value> = Vec::new();
    while let Some(page) = futures::StreamExt::next(&mut pages).await {
        summaries.extend(page.unwrap());
    }
    let mut invitations = Vec::new();
    for summary in &summaries {
        let id = summary["Id"].as_str().unwrap();
        invitations.push(
            client
                .get_engagement_invitation_raw(CATALOG_SANDBOX, id)
                .await
                .unwrap(),
        );
    }
    let mut members = json!({"EngagementMemberList": [
        {"CompanyName": "Member Co", "WebsiteUrl": "https://member.example.com",
         "AccountId": "444455556666"}
    ]});
    emulator.shutdown().await.unwrap();
    summaries.iter_mut().for_each(poison);
    invitations.iter_mut().for_each(poison);
    poison(&mut members);
    Hostile {
        summaries,
        invitations,
        members,
    }
}

async fn hostile_service(data: &Hostile) -> Service {
    let (summaries, invitations, members) = (
        data.summaries.clone(),
        data.invitations.clone(),
        data.members.clone(),
    );
    Service::start(move |request, _| match request.operation().as_str() {
        "ListEngagementInvitations" => ok(json!({"EngagementInvitationSummaries": summaries})),
        "GetEngagementInvitation" => {
            let id = request.json()["Identifier"].clone();
            match invitations.iter().find(|i| i["Id"] == id) {
                Some(invitation) => ok(invitation.clone()),
                None => Reply::Answer(404, vec![], "{}".into()),
            }
        }
        "ListEngagementMembers" => ok(members.clone()),
        // Accepting fails with a hostile message, and the invitation reads as a hostile status.
        _ => Reply::Answer(
            409,
            vec![],
            json!({"__type": "ConflictException", "Message": hostile("already answered")})
                .to_string(),
        ),
    })
    .await
}

#[tokio::test]
async fn table_output_is_neutralised_and_json_output_is_exact() {
    let data = hostile_data().await;
    let service = hostile_service(&data).await;
    let client = client(&service.url, 1);
    let table = settings(&service.url, OutputFormat::Table);
    let json = settings(&service.url, OutputFormat::Json);

    let out = run_list(&table, &client).await;
    assert_harmless("list --output table", &out);
    assert!(
        out.contains("␛]0;pwned␇"),
        "the payload is shown, inert:\n{out}"
    );
    let out = run_list(&json, &client).await;
    let listed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        listed["EngagementInvitationSummaries"],
        json!(data.summaries)
    );

    for invitation in &data.invitations {
        let id = invitation["Id"].as_str().unwrap().to_owned();
        let out = run_ok(Command::Get { id: id.clone() }, &table, &client).await;
        assert_harmless("get --output table", &out);
        let title = invitation["EngagementTitle"].as_str().unwrap();
        let readable: String = title.chars().filter(|c| c.is_alphanumeric()).collect();
        let shown: String = out.chars().filter(|c| c.is_alphanumeric()).collect();
        assert!(shown.contains(&readable), "the title is readable:\n{out}");
        let (_, out, _) = run(Command::Get { id: id.clone() }, &json, &client).await;
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), *invitation);

        let (code, out, err) = run(Command::Accept { ids: vec![id] }, &table, &client).await;
        assert_ne!(code, ExitCode::SUCCESS);
        assert_harmless("accept's error", &(out + &err));
    }
    let (code, out, err) = run(
        Command::Get {
            id: hostile("engi-0000000000001"),
        },
        &table,
        &client,
    )
    .await;
    assert_eq!(code, ExitCode::from(2), "refused before sending");
    assert_harmless("a refused hostile id", &(out + &err));
    let out = run_ok(
        Command::Members {
            engagement_id: "eng-0123456789abcd".into(),
            page_size: None,
            paging: Default::default(),
        },
        &table,
        &client,
    )
    .await;
    assert_harmless("members --output table", &out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_inbox_screen_is_neutralised() {
    let data = hostile_data().await;
    let service = hostile_service(&data).await;
    let mut d = Driver::start(client(&service.url, 1), 160, 45);
    d.until("the listing lands", |app| app.list.load == LoadState::Idle)
        .await;
    assert_eq!(d.ids().len(), data.summaries.len());
    // Every status (view 2), so every hostile invitation is on screen in turn.
    d.act(TuiCommand::View2);
    for position in 0..data.summaries.len() {
        d.act(TuiCommand::Top);
        for _ in 0..position {
            d.act(TuiCommand::Down);
        }
        let id = d.app.selected_row().unwrap().id().to_owned();
        d.until("the detail arrives", |app| {
            matches!(app.detail.details.get(&id), Some(DetailState::Loaded(_)))
        })
        .await;
        let screen = d.render();
        assert_harmless("the inbox with a detail", &screen);
        assert!(
            screen.contains("pwned"),
            "the text stays readable:\n{screen}"
        );
        d.act(TuiCommand::RawJson);
        assert_harmless("the raw JSON detail", &d.render());
        d.act(TuiCommand::Open);
        d.act(TuiCommand::PageDown);
        assert_harmless("the raw JSON detail, scrolled", &d.render());
        d.act(TuiCommand::RawJson);
        d.act(TuiCommand::Back);
    }
    for action in [TuiCommand::Help, TuiCommand::Help, TuiCommand::Accept] {
        d.act(action);
        assert_harmless("an overlay", &d.render());
    }
    // The accept's hostile error lands in the footer.
    d.act(TuiCommand::Confirm);
    d.until("the accept is answered", |app| app.busy.is_empty())
        .await;
    let screen = d.render();
    assert_harmless("the footer's error", &screen);
    d.act(TuiCommand::Reject);
    assert_harmless("the reject popup", &d.render());
    d.act(Event::Resize(60, 20));
    assert_harmless("a small screen", &d.render());
}

#[test]
fn service_error_messages_are_neutralised() {
    let validation = json!({
        "__type": "ValidationException",
        "Message": hostile("bad request"),
        "Reason": hostile("REQUEST_VALIDATION_FAILED"),
        "ErrorList": [{"FieldName": hostile("Invitation.Message"),
                       "Message": hostile("too long"), "Code": hostile("TOO_LONG")}]
    });
    let unknown = json!({"__type": hostile("NewException"), "message": hostile("went wrong")});
    let cases = [
        (400, None, validation, "too long"),
        (
            409,
            Some("\u{9b}2J\u{202E}ConflictException"),
            unknown.clone(),
            "went wrong",
        ),
        (418, None, unknown, "went wrong"),
    ];
    for (status, type_header, body, readable) in cases {
        let mut headers = http::HeaderMap::new();
        if let Some(value) = type_header {
            // Header values cannot hold C0 controls; C1 and bidi (as UTF-8 bytes) they can.
            let value = http::HeaderValue::from_bytes(value.as_bytes()).unwrap();
            headers.insert("x-amzn-ErrorType", value);
        }
        let error =
            pcinbox::api::Error::from_response(status, &headers, body.to_string().as_bytes());
        let shown = error.to_string();
        assert_harmless("an error message", &shown);
        assert!(shown.contains(readable), "{shown}");
    }
}
