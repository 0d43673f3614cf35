//! The inbox with 100,000 invitations: one keystroke that changes the filter, the sort or the
//! search plus the redraw it causes, and a selection move plus redraw, at 200x60 into ratatui's
//! `TestBackend` (issue 6 targets: under 16 ms and under 2 ms).

use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent};
use pcinbox::api::model::{
    AccountReceiver, EngagementInvitationSummary, InvitationStatus, ParticipantType, PayloadType,
    Receiver, Timestamp,
};
use pcinbox::tui::TuiOptions;
use pcinbox::tui::app::{App, update};
use pcinbox::tui::command::Command;
use pcinbox::tui::draw::draw;
use pcinbox::tui::event::Event;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ROWS: usize = 100_000;
const WORDS: &[&str] = &[
    "migration",
    "analytics",
    "modernisation",
    "serverless",
    "data lake",
    "contact centre",
    "generative AI",
    "backup",
    "Kubernetes",
    "fraud detection",
    "IoT",
    "search",
    "SAP",
];
const COMPANIES: &[&str] = &[
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Adatum",
    "Tailspin",
    "Litware",
    "Woodgrove",
    "Proseware",
];

fn summaries() -> Vec<EngagementInvitationSummary> {
    let now = Utc.with_ymd_and_hms(2025, 6, 15, 9, 30, 0).unwrap();
    let statuses = [
        InvitationStatus::Pending,
        InvitationStatus::Accepted,
        InvitationStatus::Rejected,
        InvitationStatus::Expired,
    ];
    (0..ROWS)
        .map(|n| EngagementInvitationSummary {
            arn: None,
            payload_type: Some(if n % 3 == 0 {
                PayloadType::LeadInvitation
            } else {
                PayloadType::OpportunityInvitation
            }),
            id: format!("engi-{n:013x}"),
            engagement_id: Some(format!("eng-{n:013x}")),
            engagement_title: Some(format!(
                "{} {} for {} #{n}",
                WORDS[n % WORDS.len()],
                WORDS[(n / 7) % WORDS.len()],
                COMPANIES[(n / 3) % COMPANIES.len()]
            )),
            status: Some(statuses[n % statuses.len()].clone()),
            invitation_date: Some(Timestamp(now - Duration::minutes(n as i64 * 7))),
            expiration_date: Some(Timestamp(now + Duration::hours((n % 400) as i64))),
            sender_aws_account_id: Some(format!("{:012}", n % 5000)),
            sender_company_name: Some(format!("{} {}", COMPANIES[n % COMPANIES.len()], n % 997)),
            receiver: Some(Receiver::Account(AccountReceiver {
                alias: None,
                aws_account_id: "444455556666".into(),
            })),
            catalog: "Sandbox".into(),
            participant_type: Some(ParticipantType::Receiver),
        })
        .collect()
}

fn loaded_app() -> App {
    let options = TuiOptions {
        cache_dir: None,
        ..TuiOptions::default()
    };
    let mut app = App::new(
        &options,
        Utc.with_ymd_and_hms(2025, 6, 15, 9, 30, 0).unwrap(),
    );
    app.start();
    update(&mut app, Event::Resize(200, 60));
    for page in summaries().chunks(100) {
        update(
            &mut app,
            Event::ListPage {
                generation: 1,
                summaries: page.to_vec(),
            },
        );
    }
    update(&mut app, Event::ListDone { generation: 1 });
    app
}

fn bench(c: &mut Criterion) {
    let mut app = loaded_app();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
    let mut step = |app: &mut App, action: Event| {
        black_box(update(app, action));
        terminal.draw(|frame| draw(frame, app)).expect("draw");
    };

    c.bench_function("inbox_100k/status_filter_keystroke_and_render", |b| {
        b.iter(|| step(&mut app, Command::CycleStatus.into()))
    });
    c.bench_function("inbox_100k/sort_flip_keystroke_and_render", |b| {
        b.iter(|| step(&mut app, Command::FlipSort.into()))
    });
    update(&mut app, Command::Search);
    update(&mut app, Event::Key(KeyEvent::from(KeyCode::Char('e'))));
    let mut typed = false;
    c.bench_function("inbox_100k/search_keystroke_and_render", |b| {
        b.iter(|| {
            // Alternates typing and erasing one letter: each is a full filter over 100k rows.
            let action = if typed {
                Event::Key(KeyEvent::from(KeyCode::Backspace))
            } else {
                Event::Key(KeyEvent::from(KeyCode::Char('n')))
            };
            typed = !typed;
            step(&mut app, action)
        })
    });
    update(&mut app, Command::Back);
    update(&mut app, Command::Bottom);
    update(&mut app, Command::Top);
    let mut down = true;
    c.bench_function("inbox_100k/selection_move_and_render", |b| {
        b.iter(|| {
            let action = if down { Command::Down } else { Command::Up };
            down = !down;
            step(&mut app, action.into())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
