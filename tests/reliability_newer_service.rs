//! Data a newer service may send: an unknown status and payload type, an unknown payload and
//! receiver union member, new fields (nested too), missing optional fields, epoch-number
//! timestamps and 100,000-character strings, served by a scripted local service.
//!
//! JSON output keeps every byte of meaning exactly as sent; table output and the inbox show it
//! without panicking, unknown values as sent.

mod common;
mod support;

use common::{Reply, Service, ok};
use pcinbox::api::model::{EngagementInvitation, EngagementInvitationSummary};
use pcinbox::cli::Command;
use pcinbox::config::OutputFormat;
use pcinbox::tui::app::{App, DetailState, LoadState};
use pcinbox::tui::command::Command as TuiCommand;
use pcinbox::tui::event::{Detail, Event};
use serde_json::{Value, json};
use support::{Driver, client, render, run_list, run_ok, settings};

fn long(what: &str) -> String {
    let mut text = format!("{what} ");
    while text.len() < 100_000 {
        text.push_str("and more words that go on ");
    }
    text
}

/// A summary with everything a newer service might do to it.
fn strange_summary() -> Value {
    json!({
        "Id": "engi-newer00000001",
        "Catalog": "Sandbox",
        "Status": "ON_HOLD",
        "PayloadType": "PartnerReferralInvitation",
        "EngagementTitle": long("A very long title"),
        "InvitationDate": 1_767_225_600,
        "ExpirationDate": 1_767_830_400.25,
        "SenderCompanyName": "Newer Fields Inc",
        "Receiver": {"PartnerGroup": {"GroupId": "grp-1", "Size": 3}},
        "ParticipantType": "OBSERVER",
        "Priority": {"Level": 3, "Labels": ["hot"]}
    })
}

/// A summary with only the required members.
fn bare_summary() -> Value {
    json!({"Id": "engi-bare000000002", "Catalog": "Sandbox"})
}

fn strange_invitation() -> Value {
    json!({
        "Id": "engi-newer00000001",
        "Arn": "arn:aws:partnercentral::111122223333:Sandbox/engagement-invitation/engi-newer00000001",
        "Catalog": "Sandbox",
        "Status": "ON_HOLD",
        "PayloadType": "PartnerReferralInvitation",
        "EngagementId": "eng-newer00000001",
        "EngagementTitle": "Referral from a newer service",
        "InvitationDate": 1_767_225_600,
        "ExpirationDate": "2026-01-08T00:00:00.123Z",
        "SenderAwsAccountId": "444455556666",
        "InvitationMessage": long("A very long message"),
        "EngagementDescription": "Line one\nLine two",
        "Payload": {"PartnerReferralInvitation": {
            "Referrer": {"Name": "Ada", "Tier": "GOLD"},
            "Amounts": [1, 2.5, "3"]
        }},
        "Receiver": {"PartnerGroup": {"GroupId": "grp-1"}},
        "ExistingMembers": [{"CompanyName": "Member Co", "Role": "LEAD"}],
        "EnrichmentContext": {"Future": true},
        "Sla": {"Hours": 48}
    })
}

/// Two pages of listing, the strange invitation, and members with a new field.
async fn newer_service() -> Service {
    Service::start(|request, _| match request.operation().as_str() {
        "ListEngagementInvitations" => match request.json()["NextToken"].as_str() {
            None => ok(json!({
                "EngagementInvitationSummaries": [strange_summary()],
                "NextToken": "page-2",
                "ResultCount": 2
            })),
            Some(_) => ok(json!({"EngagementInvitationSummaries": [bare_summary()]})),
        },
        "GetEngagementInvitation" => ok(strange_invitation()),
        "ListEngagementMembers" => ok(json!({
            "EngagementMemberList": [{"CompanyName": "Member Co", "AccountId": "444455556666",
                                      "JoinedAt": 1_767_225_600}]
        })),
        other => Reply::Answer(
            400,
            vec![],
            format!("{{\"__type\":\"Unexpected {other}\"}}"),
        ),
    })
    .await
}

#[tokio::test]
async fn json_output_keeps_what_a_newer_service_sends_exactly() {
    let service = newer_service().await;
    let client = client(&service.url, 1);
    let json = settings(&service.url, OutputFormat::Json);

    let out = run_list(&json, &client).await;
    let listed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        listed,
        json!({"EngagementInvitationSummaries": [strange_summary(), bare_summary()]})
    );

    let out = run_ok(
        Command::Get {
            id: "engi-newer00000001".into(),
        },
        &json,
        &client,
    )
    .await;
    let got: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got, strange_invitation());
}

#[tokio::test]
async fn table_output_shows_unknown_values_as_sent() {
    let service = newer_service().await;
    let client = client(&service.url, 1);
    let table = settings(&service.url, OutputFormat::Table);

    let out = run_list(&table, &client).await;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two rows:\n{out}");
    assert!(lines[1].starts_with("ON_HOLD"), "{out}");
    assert!(
        lines[1].contains("PartnerReferralInvita…"),
        "cut to the column: {out}"
    );
    assert!(lines[1].contains("A very long title"), "{out}");
    assert!(
        lines.iter().all(|line| line.chars().count() < 400),
        "long values are cut in a table:\n{out}"
    );

    let out = run_ok(
        Command::Get {
            id: "engi-newer00000001".into(),
        },
        &table,
        &client,
    )
    .await;
    assert!(out.contains("ON_HOLD"), "{out}");
    assert!(out.contains("PartnerReferralInvitation"), "{out}");
    assert!(
        out.contains("2026-01-01T00:00:00Z"),
        "epoch date shown: {out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_lists_and_shows_a_newer_services_data() {
    let service = newer_service().await;
    let mut d = Driver::start(client(&service.url, 1), 160, 45);
    d.until("the listing lands", |app| app.list.load == LoadState::Idle)
        .await;
    assert_eq!(d.ids(), ["engi-newer00000001", "engi-bare000000002"]);
    // Every status (view 2): To do shows PENDING only, and these have statuses of their own.
    d.act(TuiCommand::View2);
    d.act(TuiCommand::Top);
    d.until("the detail arrives", |app| {
        matches!(
            app.detail.details.get("engi-newer00000001"),
            Some(DetailState::Loaded(_))
        )
    })
    .await;
    let screen = d.render();
    assert!(screen.contains("ON_HOLD"), "{screen}");
    assert!(screen.contains("PartnerReferralInvitation"), "{screen}");
    d.act(TuiCommand::Open);
    d.act(TuiCommand::PageDown);
    d.act(TuiCommand::RawJson);
    d.act(TuiCommand::Bottom);
    render(&d.app);
}

/// Every pane at several sizes, from the decoded data directly: no panic, unknown values shown.
#[test]
fn every_size_renders_the_newer_data() {
    let summaries: Vec<EngagementInvitationSummary> = [strange_summary(), bare_summary()]
        .into_iter()
        .map(|value| serde_json::from_value(value).unwrap())
        .collect();
    let invitation: EngagementInvitation = serde_json::from_value(strange_invitation()).unwrap();
    for (width, height) in [(160, 45), (80, 24), (40, 12), (20, 6)] {
        let mut app = App::new(&pcinbox::tui::TuiOptions::default(), chrono::Utc::now());
        pcinbox::tui::app::update(&mut app, Event::Resize(width, height));
        let effects = app.start();
        // Every status (view 2): To do shows PENDING only.
        pcinbox::tui::app::update(&mut app, TuiCommand::View2);
        let generation = effects
            .iter()
            .find_map(|effect| match effect {
                pcinbox::tui::app::Effect::Request(pcinbox::tui::worker::Request::List {
                    generation,
                    ..
                }) => Some(*generation),
                _ => None,
            })
            .unwrap();
        pcinbox::tui::app::update(
            &mut app,
            Event::ListPage {
                generation,
                summaries: summaries.clone(),
            },
        );
        pcinbox::tui::app::update(&mut app, Event::ListDone { generation });
        for seq in 1..=4 {
            pcinbox::tui::app::update(
                &mut app,
                Event::DetailLoaded {
                    seq,
                    id: invitation.id.clone(),
                    result: Ok(Box::new(Detail {
                        invitation: invitation.clone(),
                        members: Ok(Vec::new()),
                    })),
                },
            );
        }
        let screen = render(&app);
        if width >= 80 {
            assert!(screen.contains("ON_HOLD"), "{width}x{height}:\n{screen}");
        }
        for action in [
            TuiCommand::Open,
            TuiCommand::PageDown,
            TuiCommand::Bottom,
            TuiCommand::RawJson,
            TuiCommand::PageDown,
            TuiCommand::Back,
            TuiCommand::Down,
            TuiCommand::Help,
        ] {
            pcinbox::tui::app::update(&mut app, action);
            render(&app);
        }
    }
}
