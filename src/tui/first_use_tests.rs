//! What a new user tripped over (issue 11), one test per report, each driven the way the user
//! met it: keys through the key table, worker answers as events, and the screen as drawn.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::TuiOptions;
use super::app::{App, Effect, Focus, MessageKind, update};
use super::dialog::Dialog;
use super::event::{Detail, Event};
use super::fixtures::{self, NOW, draw, inbox, opportunity_detail, press};
use super::worker::Request;
use crate::api::model::{InvitationStatus, Payload};

fn loaded(width: u16, height: u16) -> App {
    let mut app = fixtures::loaded(&TuiOptions::default(), inbox());
    update(&mut app, Event::Resize(width, height));
    app
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, key(KeyCode::Char(c)));
    }
}

fn selected_id(app: &App) -> String {
    app.selected_row().expect("a selected row").id().to_owned()
}

/// Answers the newest detail request for `id` with `invitation` and `members`.
fn answer(
    app: &mut App,
    seq: u64,
    id: &str,
    invitation: crate::api::model::EngagementInvitation,
    members: Result<Vec<crate::api::model::EngagementMember>, String>,
) {
    update(
        app,
        Event::DetailLoaded {
            seq,
            id: id.to_owned(),
            result: Ok(Box::new(Detail {
                invitation,
                members,
            })),
        },
    );
}

/// Answers every detail request in `effects` with `detail` (its id set to the one asked).
fn answer_details(
    app: &mut App,
    effects: Vec<Effect>,
    detail: &crate::api::model::EngagementInvitation,
) {
    for effect in effects {
        if let Effect::Request(Request::Detail { seq, id, .. }) = effect {
            let invitation = crate::api::model::EngagementInvitation {
                id: id.clone(),
                ..detail.clone()
            };
            answer(app, seq, &id, invitation, Ok(Vec::new()));
        }
    }
}

/// 1. `/universidad` finds the invitation whose loaded detail names that customer.
#[test]
fn search_finds_the_customer_and_project_of_a_loaded_detail() {
    let mut app = fixtures::loaded(&TuiOptions::default(), inbox());
    let mut detail = opportunity_detail();
    if let Some(Payload::OpportunityInvitation(payload)) = &mut detail.payload {
        payload.customer.company_name = "Universidad Abierta de la Ciudad de México".into();
        payload.project.title = "Campus data lake".into();
    }
    // The first row's detail was asked for when the listing arrived; move to the third and
    // back so the answer is for a row the user looked at.
    let effects = fixtures::loaded_detail_requests(&app);
    answer_details(&mut app, effects, &detail);
    let id = selected_id(&app);
    press(&mut app, key(KeyCode::Char('/')));
    type_text(&mut app, "universidad");
    assert_eq!(app.list.listing.visible().len(), 1, "{}", draw(&app));
    assert_eq!(selected_id(&app), id);
    // Without accents and by project title too.
    press(&mut app, ctrl('u'));
    type_text(&mut app, "ciudad de mexico");
    assert_eq!(app.list.listing.visible().len(), 1);
    press(&mut app, ctrl('u'));
    type_text(&mut app, "campus data");
    assert_eq!(selected_id(&app), id);
}

/// 2. A status filter that hides the selected invitation selects the new view's first row.
#[test]
fn a_filter_hiding_the_selection_goes_to_the_first_row() {
    let mut app = loaded(80, 24);
    // The last row is EXPIRED.
    press(&mut app, key(KeyCode::Char('G')));
    assert_eq!(
        app.selected_row().unwrap().summary.status,
        Some(InvitationStatus::Expired)
    );
    press(&mut app, key(KeyCode::Char('S'))); // Pending only
    assert_eq!(app.list.selected, 0, "the first row, not the last");
    assert_eq!(app.list.offset, 0);
    // A filter that keeps it showing keeps it selected.
    press(&mut app, key(KeyCode::Char('j')));
    let kept = selected_id(&app);
    press(&mut app, key(KeyCode::Char('o')));
    assert_eq!(selected_id(&app), kept);
}

/// 3. Information clears after a few seconds or on the next command; an error stays until the
///    next command; the composer's "taken from" note goes once the user types.
#[test]
fn footer_messages_go_when_they_are_stale() {
    let mut app = loaded(80, 24);
    press(&mut app, key(KeyCode::Char('y')));
    assert!(app.message.as_ref().unwrap().text.starts_with("Copied"));
    press(&mut app, key(KeyCode::Char('o')));
    assert!(app.message.is_none(), "a new order makes 'Copied' stale");
    press(&mut app, key(KeyCode::Char('y')));
    update(&mut app, Event::Resize(100, 30));
    assert!(app.message.is_some(), "a resize is not an action");
    update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(6)));
    assert!(app.message.is_none(), "information expires");
    // An error outlives the clock, not the next command.
    press(&mut app, key(KeyCode::Char('r')));
    update(
        &mut app,
        Event::ListFailed {
            generation: 2,
            error: "AccessDeniedException".into(),
        },
    );
    assert_eq!(app.message.as_ref().unwrap().kind, MessageKind::Error);
    update(&mut app, Event::Tick(*NOW + chrono::Duration::hours(1)));
    assert!(app.message.is_some(), "an error stays until the user acts");
    press(&mut app, key(KeyCode::Char('j')));
    assert!(app.message.is_none());
}

/// 4. At 80x18 the help scrolls and every key of every mode can be read.
#[test]
fn help_scrolls_to_every_key_at_80x18() {
    let mut app = loaded(80, 18);
    press(&mut app, key(KeyCode::Char('?')));
    let mut seen = String::new();
    for _ in 0..40 {
        seen.push_str(&draw(&app));
        press(&mut app, key(KeyCode::PageDown));
    }
    for (mode, table) in super::keymap::KeyMode::ALL
        .iter()
        .map(|mode| (*mode, app.keymap.table(*mode)))
    {
        assert!(seen.contains(mode.title()), "{}", mode.title());
        for (command, _) in table {
            assert!(
                seen.contains(command.description()),
                "{command:?} in {mode:?}"
            );
        }
    }
    let last = draw(&app);
    assert!(
        last.contains("pcinbox keys"),
        "the last line is reached:\n{last}"
    );
    press(&mut app, key(KeyCode::Char('g')));
    assert!(
        draw(&app).contains("Invitation list"),
        "g goes back to the top"
    );
    press(&mut app, key(KeyCode::Esc));
    assert!(app.help.is_none());
}

/// 5. With the search field focused, the empty result does not offer `s` (it would be typed).
#[test]
fn an_empty_search_result_offers_keys_that_work_in_the_search_field() {
    let mut app = loaded(80, 24);
    press(&mut app, key(KeyCode::Char('/')));
    type_text(&mut app, "zzzz");
    let screen = draw(&app);
    assert!(screen.contains("No invitation matches"), "{screen}");
    assert!(!screen.contains("Press s"), "{screen}");
    assert!(screen.contains("Esc clears it"), "{screen}");
    press(&mut app, key(KeyCode::Enter));
    let screen = draw(&app);
    assert!(
        screen.contains("Press s to change the status filter"),
        "{screen}"
    );
}

/// 6. Readline keys in the reject reason (and the search): Ctrl-U deletes the line.
#[test]
fn readline_keys_work_in_one_line_inputs() {
    let mut app = loaded(80, 24);
    press(&mut app, key(KeyCode::Char('x')));
    type_text(&mut app, "Not our region at all");
    press(&mut app, ctrl('w'));
    let reason = |app: &App| match &app.dialog {
        Some(Dialog::RejectReason { reason, .. }) => reason.text().to_owned(),
        other => panic!("{other:?}"),
    };
    assert_eq!(reason(&app), "Not our region at ");
    press(&mut app, ctrl('u'));
    assert_eq!(
        reason(&app),
        "",
        "Ctrl-U deletes the line, not one character"
    );
    type_text(&mut app, "b");
    press(&mut app, ctrl('a'));
    type_text(&mut app, "a");
    press(&mut app, ctrl('e'));
    type_text(&mut app, "c");
    assert_eq!(reason(&app), "abc");
}

/// 12. Under `--local` the AWS catalog warning says it is the emulator.
#[test]
fn the_aws_warning_under_local_names_the_emulator() {
    let options = TuiOptions {
        local: true,
        ..TuiOptions::default()
    };
    let mut app = fixtures::loaded(&options, inbox());
    update(&mut app, Event::Resize(100, 30));
    press(&mut app, key(KeyCode::Char('c')));
    let screen = draw(&app);
    assert!(screen.contains("local emulator"), "{screen}");
    assert!(!screen.contains("real partners"), "{screen}");
    let mut live = loaded(100, 30);
    press(&mut live, key(KeyCode::Char('c')));
    assert!(draw(&live).contains("real partners"));
}

/// 13. With `--mouse`, a click selects the row under it and the wheel scrolls the pane under
///     the pointer.
#[test]
fn a_click_selects_and_the_wheel_scrolls_the_pane_under_it() {
    let mut app = loaded(160, 45);
    // The list starts at row 2 (below the header), its border and column titles: the first
    // invitation is on screen row 4.
    let effects = update(&mut app, Event::Click { column: 10, row: 7 });
    assert_eq!(app.list.selected, 3);
    answer_details(&mut app, effects, &opportunity_detail());
    assert_eq!(app.focus, Focus::List);
    // The wheel over the detail (the right 40%) scrolls it, not the list.
    let wheel = |down| Event::Wheel {
        column: 140,
        row: 20,
        down,
    };
    draw(&app);
    update(&mut app, wheel(true));
    update(&mut app, wheel(true));
    assert_eq!(app.list.selected, 3, "the list did not move");
    assert_eq!(app.detail.scroll.first(), 2);
    // Over the list, it moves the selection.
    update(
        &mut app,
        Event::Wheel {
            column: 10,
            row: 20,
            down: true,
        },
    );
    assert_eq!(app.list.selected, 4);
}

/// 14. `s` opens a picker of the statuses with their counts; `S` still cycles.
#[test]
fn s_picks_a_status_from_a_list_with_counts() {
    let mut app = loaded(100, 30);
    press(&mut app, key(KeyCode::Char('s')));
    let screen = draw(&app);
    for line in ["All", "PENDING", "ACCEPTED", "REJECTED", "EXPIRED"] {
        assert!(screen.contains(line), "{screen}");
    }
    assert!(
        screen.contains("REJECTED        2"),
        "counts shown:\n{screen}"
    );
    // Rejected in two keys, not four.
    press(&mut app, key(KeyCode::Char('k')));
    press(&mut app, key(KeyCode::Char('k')));
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.list.filter.statuses, [InvitationStatus::Rejected]);
    assert!(app.dialog.is_none());
    press(&mut app, key(KeyCode::Char('s')));
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(
        app.list.filter.statuses,
        [InvitationStatus::Rejected],
        "Esc keeps it"
    );
    press(&mut app, key(KeyCode::Char('S')));
    assert_eq!(
        app.list.filter.statuses,
        [InvitationStatus::Expired],
        "S cycles"
    );
}

/// 15. `r` shows the refresh under way and then the time of the listing.
#[test]
fn refresh_shows_progress_then_when_it_listed() {
    let mut app = loaded(120, 30);
    assert!(draw(&app).contains("listed 09:30 UTC"), "{}", draw(&app));
    press(&mut app, key(KeyCode::Char('r')));
    assert!(draw(&app).contains("⟳ refreshing page 1"), "{}", draw(&app));
    update(&mut app, Event::Tick(*NOW + chrono::Duration::minutes(3)));
    fixtures::page(&mut app, 2, inbox());
    update(&mut app, Event::ListDone { generation: 2 });
    let screen = draw(&app);
    assert!(screen.contains("listed 09:33 UTC"), "{screen}");
    assert!(screen.contains("Refreshed: 12 invitations"), "{screen}");
}

/// 10. A PENDING invitation's members cannot be listed yet: said plainly, not as an error.
#[test]
fn members_of_a_pending_invitation_are_promised_not_an_error() {
    let mut app = loaded(160, 60);
    let id = selected_id(&app);
    let seq = app.detail.request_of(&id).unwrap();
    let refused =
        || Err("AccessDeniedException: only members of the engagement may list its members".into());
    answer(&mut app, seq, &id, opportunity_detail(), refused());
    let screen = draw(&app);
    assert!(
        screen.contains("Members are shown once you accept."),
        "{screen}"
    );
    assert!(!screen.contains("ListEngagementMembers failed"), "{screen}");
    // Once answered, a refusal is a real problem again and says so.
    let mut accepted = opportunity_detail();
    accepted.status = Some(InvitationStatus::Accepted);
    let seq = {
        app.detail.forget(&id);
        match app.detail.request(&app.catalog, &id) {
            Some(Request::Detail { seq, .. }) => seq,
            other => panic!("{other:?}"),
        }
    };
    answer(&mut app, seq, &id, accepted, refused());
    assert!(draw(&app).contains("ListEngagementMembers failed"));
}

/// 11. An email address in the detail is not broken mid-word at the pane's edge.
#[test]
fn email_addresses_in_the_detail_stay_whole() {
    let mut app = loaded(80, 40);
    let id = selected_id(&app);
    let seq = app.detail.request_of(&id).unwrap();
    let mut detail = opportunity_detail();
    if let Some(Payload::OpportunityInvitation(payload)) = &mut detail.payload {
        let contacts = payload.sender_contacts.as_mut().unwrap();
        contacts[0].email = "maria.fernandez-garcia@universidad-abierta.example.com".into();
    }
    answer(&mut app, seq, &id, detail, Ok(Vec::new()));
    press(&mut app, key(KeyCode::Enter));
    let mut screens = String::new();
    for _ in 0..6 {
        screens.push_str(&draw(&app));
        press(&mut app, key(KeyCode::PageDown));
    }
    assert!(
        screens.contains("maria.fernandez-garcia@universidad-abierta.example.com"),
        "the address is on one line when it fits one:\n{screens}"
    );
}

/// 3 (composer). "Engagement … taken from the selected invitation" goes once the user types.
#[test]
fn the_taken_from_note_goes_when_the_user_types() {
    let mut app = loaded(100, 30);
    // The third row is ACCEPTED: its engagement is one the user joined.
    press(&mut app, key(KeyCode::Char('j')));
    press(&mut app, key(KeyCode::Char('j')));
    press(&mut app, key(KeyCode::Char('n')));
    update(
        &mut app,
        Event::DraftLoaded {
            result: Ok(None),
            warning: None,
        },
    );
    let note = app.message.as_ref().expect("the note").text.clone();
    assert!(
        note.contains("taken from the selected invitation"),
        "{note}"
    );
    type_text(&mut app, "x");
    assert!(app.message.is_none(), "stale once the field changed");
}
