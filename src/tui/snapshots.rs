//! Snapshot tests of the main screens, drawn into ratatui's `TestBackend` at fixed "now".
//! The `.snap` files next to this one are what a partner manager sees; review them like code.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::TuiOptions;
use super::app::{App, Effect, update};
use super::command::Command;
use super::draw::draw;
use super::event::{Detail, Event};
use super::fixtures::{
    NOW, cached, every_received, inbox, lead_detail, list, opportunity_detail, page, type_reason,
};
use super::worker::Request;
use crate::api::model::{EngagementInvitationSummary, EngagementMember};
use crate::tui::composer::draft::Draft;
use crossterm::event::{KeyCode, KeyEvent};

/// An app at `width`x`height` on view 2 (every received invitation) whose listing holds
/// `rows`, with the details of the fixtures answered as the app asks for them.
fn app(width: u16, height: u16, rows: Vec<EngagementInvitationSummary>) -> App {
    let options = TuiOptions {
        profile: "partner-prod".into(),
        cache_dir: None,
        ..TuiOptions::default()
    };
    let mut app = App::new(&options, *NOW);
    let mut effects = app.start();
    effects.extend(update(&mut app, Event::Resize(width, height)));
    every_received(&mut app);
    effects.extend(list(&mut app, 1, rows));
    answer(&mut app, effects);
    app
}

/// An app at `width`x`height` with the default profile, started, its listing not yet answered.
fn started(width: u16, height: u16) -> App {
    let options = TuiOptions {
        cache_dir: None,
        ..TuiOptions::default()
    };
    let mut app = App::new(&options, *NOW);
    app.start();
    update(&mut app, Event::Resize(width, height));
    app
}

/// Feeds the fixture details for every detail request in `effects`.
fn answer(app: &mut App, effects: Vec<Effect>) {
    for effect in effects {
        if let Effect::Request(Request::Detail { seq, id, .. }) = effect {
            let invitation = [opportunity_detail(), lead_detail()]
                .into_iter()
                .find(|i| i.id == id);
            let Some(mut invitation) = invitation else {
                continue;
            };
            // What the service holds now: an accepted invitation reads ACCEPTED.
            invitation.status = app
                .list
                .listing
                .row(&id)
                .and_then(|row| row.summary.status.clone());
            let members = Ok(vec![EngagementMember {
                company_name: invitation.sender_company_name.clone(),
                website_url: Some("https://partner.example".into()),
                account_id: invitation.sender_aws_account_id.clone(),
            }]);
            let result = Ok(Box::new(Detail {
                invitation,
                members,
            }));
            update(app, Event::DetailLoaded { seq, id, result });
        }
    }
}

fn act(app: &mut App, event: impl Into<Event>) {
    let effects = update(app, event);
    answer(app, effects);
}

fn screen(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|frame| draw(frame, app)).unwrap();
    terminal
}

/// Opens the composer (`n`) on a stored draft whose message and customer were typed, then
/// moves to the customer's country.
fn composing(app: &mut App) {
    let mut draft = Draft::new("Sandbox");
    draft.client_token = "00000000-0000-4000-8000-000000000000".into();
    draft.engagement_identifier = "eng-abcdefghij0123".into();
    draft.receiver_account = "123456789012".into();
    draft.message = "Gemeinsam für Müller?\nZweite Zeile".into();
    draft.opportunity.company_name = "Müller Logistik GmbH".into();
    act(app, Command::Compose);
    act(
        app,
        Event::DraftLoaded {
            result: Ok(Some(Box::new(draft))),
            warning: None,
        },
    );
    for _ in 0..8 {
        act(app, Command::NextField);
    }
}

#[test]
fn composer_wide() {
    let mut app = app(160, 45, inbox());
    composing(&mut app);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn composer_narrow() {
    let mut app = app(80, 24, inbox());
    composing(&mut app);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn inbox_wide_with_opportunity_detail() {
    let app = app(160, 45, inbox());
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn inbox_wide_with_lead_detail() {
    let mut app = app(160, 45, inbox());
    act(&mut app, Command::Down);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn inbox_narrow_list() {
    let app = app(80, 24, inbox());
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn inbox_narrow_opportunity_detail() {
    let mut app = app(80, 24, inbox());
    act(&mut app, Command::Open);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn inbox_narrow_lead_detail_scrolled() {
    let mut app = app(80, 24, inbox());
    act(&mut app, Command::Down);
    act(&mut app, Command::Open);
    // As in the event loop, a frame is drawn (and the pane measured) before the key.
    screen(&app);
    act(&mut app, Command::PageDown);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn raw_json_detail() {
    let mut app = app(160, 45, inbox());
    act(&mut app, Command::RawJson);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn empty_inbox() {
    let app = app(160, 45, Vec::new());
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn listing_error() {
    let mut app = started(160, 45);
    update(&mut app, Event::ListFailed {
        generation: 1,
        error: "AccessDeniedException: User is not authorized to perform partnercentral:ListEngagementInvitations".into(),
    });
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn narrow_error() {
    let mut app = started(80, 24);
    update(&mut app, Event::ListFailed {
        generation: 1,
        error: "could not reach https://partnercentral-selling.us-east-1.api.aws: connection refused".into(),
    });
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn help_overlay() {
    let mut app = app(160, 45, inbox());
    act(&mut app, Command::Help);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn help_overlay_narrow_read_only() {
    let mut app = app(80, 24, inbox());
    app.read_only = true;
    act(&mut app, Command::Help);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn accept_confirmation() {
    let mut app = app(160, 45, inbox());
    act(&mut app, Command::Accept);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn reject_reason_field() {
    let mut app = app(80, 24, inbox());
    act(&mut app, Command::Reject);
    type_reason(&mut app, "Outside our region 😀");
    insta::assert_snapshot!(screen(&app).backend());
    act(&mut app, Command::Submit);
    insta::assert_snapshot!("reject_reason_refused", screen(&app).backend());
}

#[test]
fn the_reason_dialog_counts_the_room_left_before_enter_refuses() {
    let mut app = app(80, 24, inbox());
    act(&mut app, Command::Reject);
    type_reason(&mut app, &"x".repeat(85));
    let screen = format!("{:?}", screen(&app).backend());
    assert!(
        screen.contains("Your words (up to 80 characters): 5 too many"),
        "{screen}"
    );
}

#[test]
fn aws_catalog_confirmation_and_header() {
    let mut app = app(160, 45, inbox());
    act(&mut app, Command::SwitchCatalog);
    let asking = screen(&app);
    insta::assert_snapshot!("aws_catalog_confirmation", asking.backend());
    act(&mut app, Command::Confirm);
    page(&mut app, 2, inbox()[..3].to_vec());
    insta::assert_snapshot!("aws_catalog_loading", screen(&app).backend());
}

#[test]
fn search_and_status_filter() {
    let mut app = app(160, 45, inbox());
    act(&mut app, Command::CycleStatus);
    act(&mut app, Command::Search);
    for c in "ware".chars() {
        act(&mut app, Event::Key(KeyEvent::from(KeyCode::Char(c))));
    }
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn stale_cache_while_refreshing() {
    let mut app = started(160, 45);
    let effects = cached(&mut app, *NOW - chrono::Duration::hours(14));
    answer(&mut app, effects);
    page(&mut app, 1, inbox()[..5].to_vec());
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn hostile_text_cannot_reach_the_terminal() {
    let mut rows = inbox();
    rows[0].engagement_title =
        Some("Evil\u{1b}]0;pwned\u{7}\u{1b}[2J title\u{202E}desrever".into());
    let app = app(160, 45, rows);
    let terminal = screen(&app);
    let cells: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        !cells.chars().any(|c| c.is_control() || c == '\u{202E}'),
        "{cells:?}"
    );
    // The list shows the title with its controls made visible and the bidi override gone.
    assert!(
        cells.contains("Evil␛]0;pwned␇␛[2J titledesre"),
        "{terminal:?}"
    );
}

// ---- from invitation to opportunity ----

/// A task of the first invitation (`engi-0a1b2c3d4e5f6`) as the service lists it.
fn task(status: crate::api::model::TaskStatus) -> crate::api::model::EngagementTask {
    crate::api::model::EngagementTask {
        task_id: Some("task-0a1b2c3d4e5f6".into()),
        task_arn: None,
        start_time: Some(crate::api::model::Timestamp(
            *NOW - chrono::Duration::seconds(4),
        )),
        task_status: Some(status),
        engagement_invitation_id: Some(inbox()[0].id.clone()),
        ..Default::default()
    }
}

/// The first invitation's task, started and followed, now `status` (with its opportunity read
/// when COMPLETE).
fn with_task(app: &mut App, status: crate::api::model::TaskStatus) {
    use crate::api::model::{ReasonCode, TaskStatus};
    act(app, Command::Accept);
    act(app, Command::Submit);
    act(
        app,
        Event::TaskStarted {
            catalog: "Sandbox".into(),
            invitation: inbox()[0].id.clone(),
            result: Ok(task(TaskStatus::InProgress)),
        },
    );
    let task = match status {
        TaskStatus::InProgress => return,
        TaskStatus::Complete => crate::api::model::EngagementTask {
            opportunity_id: Some("O1234567890".into()),
            ..task(status)
        },
        _ => crate::api::model::EngagementTask {
            reason_code: Some(ReasonCode::EngagementInvitationConflict),
            message: Some("Invitation engi-0a1b2c3d4e5f6 is REJECTED".into()),
            ..task(status)
        },
    };
    act(
        app,
        Event::TaskUpdated {
            catalog: "Sandbox".into(),
            task,
        },
    );
    act(
        app,
        Event::OpportunityLoaded {
            catalog: "Sandbox".into(),
            id: "O1234567890".into(),
            result: Ok(Box::new(super::fixtures::opportunity(
                "Sandbox",
                "O1234567890",
            ))),
        },
    );
}

#[test]
fn task_progress_in_the_row_and_footer() {
    let mut app = app(160, 45, inbox());
    with_task(&mut app, crate::api::model::TaskStatus::InProgress);
    app.message = None;
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn completed_task_detail_with_opportunity() {
    let mut app = app(160, 45, inbox());
    with_task(&mut app, crate::api::model::TaskStatus::Complete);
    act(&mut app, Command::Open);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn failed_task_detail() {
    let mut app = app(160, 45, inbox());
    with_task(&mut app, crate::api::model::TaskStatus::Failed);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn tasks_view() {
    use crate::api::model::{EngagementTask, ReasonCode, TaskStatus, Timestamp};
    let mut app = app(160, 45, inbox());
    let at = |minutes| Some(Timestamp(*NOW - chrono::Duration::minutes(minutes)));
    let tasks = vec![
        EngagementTask {
            start_time: at(0),
            ..task(TaskStatus::InProgress)
        },
        EngagementTask {
            task_id: Some("task-3d4e5f6a7b8c9".into()),
            engagement_invitation_id: Some(inbox()[3].id.clone()),
            start_time: at(90),
            task_status: Some(TaskStatus::Complete),
            opportunity_id: Some("O1234567890".into()),
            ..Default::default()
        },
        EngagementTask {
            task_id: Some("task-9d0e1f2a3b4c5".into()),
            engagement_invitation_id: Some("engi-notlisted0001".into()),
            start_time: at(3 * 24 * 60),
            task_status: Some(TaskStatus::Failed),
            reason_code: Some(ReasonCode::EngagementInvitationConflict),
            message: Some("Invitation is EXPIRED".into()),
            ..Default::default()
        },
    ];
    act(&mut app, Command::Tasks);
    act(
        &mut app,
        Event::TasksListed {
            catalog: "Sandbox".into(),
            result: Ok(tasks),
        },
    );
    act(&mut app, Command::Down);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn engagement_view() {
    use crate::api::model::{EngagementContext, EngagementDetails, Timestamp};
    let mut app = app(80, 24, inbox());
    act(&mut app, Command::Engagement);
    let contexts: Vec<EngagementContext> = serde_json::from_value(serde_json::json!([
        {"Id": "ctx-1", "Type": "CustomerProject", "Payload": {"CustomerProject": {
            "Customer": {"Industry": "Retail", "CompanyName": "Northwind Traders",
                         "WebsiteUrl": "https://northwind.example", "CountryCode": "US"},
            "Project": {"Title": "Retail analytics migration",
                        "BusinessProblem": "Nightly batch reports take 9 hours.",
                        "TargetCompletionDate": "2025-12-31"}
        }}}
    ]))
    .unwrap();
    let engagement = EngagementDetails {
        id: inbox()[0].engagement_id.clone(),
        title: Some("Migration of a retail analytics platform to AWS".into()),
        description: Some("Move the retail analytics platform to Amazon Redshift.".into()),
        created_at: Some(Timestamp(*NOW - chrono::Duration::days(3))),
        created_by: Some("111122223333".into()),
        member_count: Some(2),
        contexts: Some(contexts),
        ..Default::default()
    };
    act(
        &mut app,
        Event::EngagementLoaded {
            catalog: "Sandbox".into(),
            id: inbox()[0].engagement_id.clone().unwrap(),
            result: Ok(Box::new(super::event::EngagementInfo {
                engagement,
                members: Ok(vec![
                    EngagementMember {
                        company_name: Some("AWS".into()),
                        website_url: None,
                        account_id: Some("111122223333".into()),
                    },
                    EngagementMember {
                        company_name: Some("Our team".into()),
                        website_url: Some("https://partner.example".into()),
                        account_id: Some("444455556666".into()),
                    },
                ]),
            })),
        },
    );
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn reject_reasons() {
    let mut app = app(80, 24, inbox());
    act(&mut app, Command::Reject);
    act(&mut app, Command::Down);
    act(&mut app, Command::Down);
    insta::assert_snapshot!(screen(&app).backend());
}
