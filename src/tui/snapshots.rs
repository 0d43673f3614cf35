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
    NOW, cached, inbox, lead_detail, list, opportunity_detail, page, type_reason,
};
use super::worker::Request;
use crate::api::model::{EngagementInvitationSummary, EngagementMember};
use crate::tui::composer::draft::Draft;
use crossterm::event::{KeyCode, KeyEvent};

/// An app at `width`x`height` whose listing holds `rows`, with the details of the fixtures
/// answered as the app asks for them.
fn app(width: u16, height: u16, rows: Vec<EngagementInvitationSummary>) -> App {
    let options = TuiOptions {
        profile: "partner-prod".into(),
        cache_dir: None,
        ..TuiOptions::default()
    };
    let mut app = App::new(&options, *NOW);
    let mut effects = app.start();
    effects.extend(update(&mut app, Event::Resize(width, height)));
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
            let Some(invitation) = invitation else {
                continue;
            };
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
        cells.contains("Evil␛]0;pwned␇␛[2J titledesrev"),
        "{terminal:?}"
    );
}
