//! The views (`1`…`9`) and the filter picker (`f`) as a user meets them: keys through the key
//! table, the listing as worker events, and the screen as drawn.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent};

use super::TuiOptions;
use super::app::{App, Effect, MessageKind, update};
use super::dialog::Dialog;
use super::event::Event;
use super::fixtures::{self, NOW, draw, inbox, list, press};
use super::worker::Request;
use crate::api::model::{InvitationStatus, ParticipantType, PayloadType};
use crate::config::FileConfig;

/// The inbox as it starts, at `width`x`height`, its first listing answered with `rows`.
fn started(options: &TuiOptions, width: u16, height: u16) -> App {
    let mut app = App::new(options, *NOW);
    app.start();
    update(&mut app, Event::Resize(width, height));
    list(&mut app, 1, inbox());
    app
}

fn key(c: char) -> KeyEvent {
    KeyEvent::from(KeyCode::Char(c))
}

fn header(app: &App) -> String {
    draw(app).lines().next().unwrap_or_default().to_owned()
}

fn shown(app: &App) -> Vec<&str> {
    (0..app.list.listing.visible().len())
        .map(|p| app.list.listing.visible_row(p).unwrap().id())
        .collect()
}

fn statuses(app: &App) -> Vec<InvitationStatus> {
    (0..app.list.listing.visible().len())
        .filter_map(|p| {
            app.list
                .listing
                .visible_row(p)
                .unwrap()
                .summary
                .status
                .clone()
        })
        .collect()
}

/// The first view is To do: the PENDING received invitations, the soonest deadline first; `2`
/// shows every received one at once (no request), `3` lists the sent ones.
#[test]
fn keys_1_2_3_pick_to_do_received_and_sent() {
    let mut app = started(&TuiOptions::default(), 100, 30);
    assert!(header(&app).contains("· 1 To do · PENDING only · soonest deadline first"));
    assert_eq!(statuses(&app), vec![InvitationStatus::Pending; 5]);
    // Woodgrove's invitation expires in 45 minutes, Northwind's in a day and a half.
    assert_eq!(
        shown(&app)[..2],
        ["engi-9d0e1f2a3b4c5", "engi-0a1b2c3d4e5f6"]
    );

    let effects = press(&mut app, key('2'));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::Request(Request::List { .. }))),
        "the same participant is not listed again: {effects:?}"
    );
    assert!(header(&app).contains("· 2 Received · all statuses · newest first"));
    assert_eq!(shown(&app).len(), 12);
    assert_eq!(shown(&app)[0], "engi-0a1b2c3d4e5f6");

    let effects = press(&mut app, key('3'));
    assert_eq!(app.view, ParticipantType::Sender);
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::Request(Request::List {
            view: ParticipantType::Sender,
            ..
        })
    )));
    let screen = draw(&app);
    assert!(screen.contains("· 3 Sent · all statuses"), "{screen}");
    assert!(screen.contains("Sent invitations"), "{screen}");

    // Back to To do: received again, listed afresh.
    let effects = press(&mut app, key('1'));
    assert_eq!(app.view, ParticipantType::Receiver);
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::Request(Request::List {
            view: ParticipantType::Receiver,
            ..
        })
    )));
}

/// A change by hand marks the view (`To do*`); its key gives it back as defined, the search
/// kept.
#[test]
fn a_view_changed_by_hand_is_marked_until_its_key_is_pressed_again() {
    let mut app = started(&TuiOptions::default(), 100, 30);
    press(&mut app, key('o'));
    assert!(header(&app).contains("· 1 To do* · PENDING only · newest first"));
    press(&mut app, key('/'));
    for c in "northwind".chars() {
        press(&mut app, key(c));
    }
    press(&mut app, KeyEvent::from(KeyCode::Enter));
    press(&mut app, key('1'));
    assert!(header(&app).contains("· 1 To do · PENDING only · soonest deadline first"));
    assert!(header(&app).contains("search \"northwind\""));
    assert_eq!(shown(&app), ["engi-0a1b2c3d4e5f6"]);
    // The participant switch is a change too: To do's filters on the sent invitations.
    press(&mut app, key('p'));
    assert!(header(&app).contains("· 1 To do* ·"));
    // A key with no view says which there are.
    press(&mut app, key('7'));
    let message = app.message.as_ref().unwrap();
    assert_eq!(message.kind, MessageKind::Error);
    assert_eq!(
        message.text,
        "There is no view 7; the views are: 1 To do, 2 Received, 3 Sent"
    );
}

fn configured(toml: &str) -> TuiOptions {
    let file = FileConfig::parse(toml, std::path::Path::new("config.toml")).unwrap();
    TuiOptions {
        views: Arc::new(file.views),
        ..TuiOptions::default()
    }
}

/// The config's views replace the defaults: the first is where the inbox starts, and `2` picks
/// the second.
#[test]
fn saved_views_replace_the_defaults() {
    let options = configured(
        "[[views]]\nname = \"Leads due\"\nstatus = [\"pending\"]\nkind = \"lead\"\nexpiring-within-days = 14\nsort = \"expiry\"\n\n\
         [[views]]\nname = \"Answered\"\nstatus = [\"ACCEPTED\", \"REJECTED\"]\nsort = \"oldest\"\n",
    );
    let mut app = started(&options, 160, 30);
    assert!(header(&app).contains("· 1 Leads due · PENDING only · soonest deadline first · Lead only · expiring within 14 days"));
    // Contoso's lead is due in 12 days; the other PENDING ones are opportunities.
    assert_eq!(shown(&app), ["engi-1b2c3d4e5f6a7"]);
    press(&mut app, key('2'));
    assert!(header(&app).contains("· 2 Answered · ACCEPTED, REJECTED · oldest first"));
    assert_eq!(
        shown(&app),
        [
            "engi-a0b1c2d3e4f5a",
            "engi-8c9d0e1f2a3b4",
            "engi-7b8c9d0e1f2a3",
            "engi-4e5f6a7b8c9d0",
            "engi-2c3d4e5f6a7b8"
        ]
    );
    press(&mut app, key('3'));
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("1 Leads due, 2 Answered")
    );
}

/// `f`: Lead with `j` and Space, AWS, a typed number of days, Enter applies all three; Esc
/// changes nothing.
#[test]
fn the_filter_picker_sets_kind_sender_and_days() {
    let mut rows = inbox();
    // Two invitations from AWS: Northwind's opportunity and Contoso's lead.
    rows[0].sender_company_name = Some("AWS".into());
    rows[1].sender_company_name = Some("AWS".into());
    let mut app = App::new(&TuiOptions::default(), *NOW);
    app.start();
    update(&mut app, Event::Resize(160, 40));
    fixtures::every_received(&mut app);
    list(&mut app, 1, rows);

    press(&mut app, key('f'));
    assert!(matches!(app.dialog, Some(Dialog::FilterPicker(_))));
    let screen = draw(&app);
    for line in [
        "Opportunity",
        "Lead",
        "AWS",
        "Partners (not AWS)",
        "Adatum Health",
        "any time",
        "type a number of days",
    ] {
        assert!(screen.contains(line), "{line}:\n{screen}");
    }
    // Esc: nothing changes.
    press(&mut app, KeyEvent::from(KeyCode::Esc));
    assert!(app.dialog.is_none());
    assert_eq!(shown(&app).len(), 12);

    press(&mut app, key('f'));
    press(&mut app, key('j'));
    press(&mut app, key('j')); // Lead
    press(&mut app, key(' '));
    press(&mut app, key('j')); // Sender: All
    press(&mut app, key('j')); // AWS
    press(&mut app, key(' '));
    // Digits: within 13 days, chosen as typed.
    press(&mut app, key('1'));
    press(&mut app, key('3'));
    press(&mut app, KeyEvent::from(KeyCode::Enter));
    assert!(app.dialog.is_none());
    assert_eq!(shown(&app), ["engi-1b2c3d4e5f6a7"]);
    assert!(
        header(&app).contains("· 2 Received* · all statuses · newest first · Lead only · from AWS · expiring within 13 days"),
        "{}",
        header(&app)
    );

    // The picker opens on what is in force; Partners hides every AWS row.
    press(&mut app, key('f'));
    for _ in 0..5 {
        press(&mut app, key('j'));
    }
    press(&mut app, KeyEvent::from(KeyCode::Enter)); // Partners
    assert_eq!(app.list.filter.kind, Some(super::listing::Kind::Lead));
    let screen = draw(&app);
    assert!(
        screen.contains("No invitation matches Lead only, from partners, expiring within 13 days."),
        "{screen}"
    );
    assert!(screen.contains("f the others"), "{screen}");
}

/// Days typed that are no number of days are refused where they are typed, and Enter keeps the
/// picker open; Backspace fixes them.
#[test]
fn days_typed_out_of_range_are_refused_in_place() {
    let mut app = started(&TuiOptions::default(), 100, 40);
    fixtures::every_received(&mut app);
    press(&mut app, key('f'));
    press(&mut app, key('0'));
    let screen = draw(&app);
    assert!(screen.contains("0: 1 to 3650 days"), "{screen}");
    press(&mut app, KeyEvent::from(KeyCode::Enter));
    assert!(
        matches!(app.dialog, Some(Dialog::FilterPicker(_))),
        "still open"
    );
    assert_eq!(app.list.filter.expiring, None);
    press(&mut app, KeyEvent::from(KeyCode::Backspace));
    press(&mut app, key('2'));
    press(&mut app, KeyEvent::from(KeyCode::Enter));
    assert_eq!(app.list.filter.expiring.map(|e| e.days), Some(2));
    // Northwind's (1d 12h) and Woodgrove's (45 min) invitations.
    let mut ids = shown(&app);
    ids.sort();
    assert_eq!(ids, ["engi-0a1b2c3d4e5f6", "engi-9d0e1f2a3b4c5"]);
}

/// The filter picker counts what each choice matches in the listing, and its highlighted line
/// stays on screen however small the terminal.
#[test]
fn the_filter_picker_counts_and_scrolls() {
    let mut app = started(&TuiOptions::default(), 80, 24);
    press(&mut app, key('f'));
    let screen = draw(&app);
    // 12 invitations: 8 opportunities, 4 leads; no AWS sender, 12 partners.
    // The count after a choice's name, inside the popup's border.
    let count = |name: &str| -> String {
        let line = screen
            .lines()
            .find(|line| line.contains(name))
            .unwrap_or_else(|| panic!("{name}:\n{screen}"));
        let after = &line[line.find(name).unwrap() + name.len()..];
        after.split('│').next().unwrap().trim().to_owned()
    };
    assert_eq!(count("● All"), "12", "{screen}");
    assert_eq!(count("○ Opportunity"), "8");
    assert_eq!(count("○ Lead"), "4");
    assert_eq!(count("○ AWS"), "0");
    assert_eq!(count("Partners (not AWS)"), "12");
    assert_eq!(count("○ Northwind Traders"), "1");
    assert!(
        screen.contains("4 more by search"),
        "8 of 12 senders named:\n{screen}"
    );
    for _ in 0..40 {
        press(&mut app, key('k'));
        assert!(draw(&app).contains('▶'), "the highlight is on screen");
    }
}

/// Snapshots: the inbox as it starts (To do) and the filter picker over it.
#[test]
fn to_do_and_the_filter_picker() {
    let mut rows = inbox();
    rows[0].sender_company_name = Some("AWS".into());
    rows[3].payload_type = Some(PayloadType::LeadInvitation);
    let mut app = App::new(&TuiOptions::default(), *NOW);
    app.start();
    update(&mut app, Event::Resize(100, 30));
    list(&mut app, 1, rows);
    insta::assert_snapshot!("to_do_start", draw(&app));
    press(&mut app, key('f'));
    insta::assert_snapshot!("filter_picker", draw(&app));
}
