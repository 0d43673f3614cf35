//! Key presses to events, and the footer's hints, both from the key table in force
//! ([`super::keymap::KeyMap`]). A key the table binds is its command; a key it does not bind
//! is typed into the text input that has focus, if any. Ctrl-C quits from anywhere.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Focus};
use super::command::Command;
use super::event::Event;
use super::keymap::KeyMode;

/// The event for `key` in the app's current mode, if any.
pub fn event_for(app: &App, key: KeyEvent) -> Option<Event> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Event::Command(Command::Quit));
    }
    let Some(mode) = app.key_mode() else {
        return Some(Event::Key(key));
    };
    if let Some(command) = app.keymap.command(mode, key) {
        return Some(Event::Command(command));
    }
    takes_text(mode).then_some(Event::Key(key))
}

/// Whether keys a mode does not bind are typed text.
fn takes_text(mode: KeyMode) -> bool {
    matches!(mode, KeyMode::Search | KeyMode::Reason | KeyMode::Composer)
}

/// The keys that work now, for the footer: (keys, what), most useful first.
pub fn hints(app: &App) -> Vec<(String, &'static str)> {
    let Some(mode) = app.key_mode() else {
        return vec![
            ("type".to_owned(), "filter"),
            ("↑↓".to_owned(), "move"),
            ("Enter".to_owned(), "choose"),
            ("Esc".to_owned(), "cancel"),
        ];
    };
    let map = &app.keymap;
    let pair =
        |first: Command, second: Command| match (map.hint(mode, first), map.hint(mode, second)) {
            (Some(a), Some(b)) => Some(format!("{a}/{b}")),
            (one, other) => one.or(other),
        };
    let mut hints: Vec<(Option<String>, &'static str)> = Vec::new();
    let mut add = |keys: Option<String>, what| hints.push((keys, what));
    match mode {
        KeyMode::Inbox | KeyMode::Detail => {
            if app.focus == Focus::Detail {
                add(pair(Command::Down, Command::Up), "scroll");
                add(map.hint(mode, Command::Back), "list");
                add(map.hint(mode, Command::RawJson), "raw JSON");
            } else {
                add(pair(Command::Down, Command::Up), "move");
                add(map.hint(mode, Command::Open), "open");
            }
            if !app.read_only && app.selection_is_answerable() {
                add(map.hint(mode, Command::Accept), "accept");
                add(map.hint(mode, Command::Reject), "reject");
            }
            if !app.read_only {
                add(map.hint(mode, Command::Compose), "new");
            }
            add(map.hint(mode, Command::StatusPicker), "status");
            add(map.hint(mode, Command::Search), "search");
            add(map.hint(mode, Command::SwitchView), "sent/received");
            add(map.hint(mode, Command::SwitchCatalog), "catalog");
            add(map.hint(mode, Command::Refresh), "refresh");
            add(map.hint(mode, Command::Quit), "quit");
            add(map.hint(mode, Command::Help), "help");
        }
        KeyMode::Search => {
            add(map.hint(mode, Command::Submit), "keep filter");
            add(map.hint(mode, Command::Cancel), "clear");
            add(pair(Command::Down, Command::Up), "move");
            add(Some("^U ^W".to_owned()), "delete");
        }
        KeyMode::Dialog => {
            add(map.hint(mode, Command::Confirm), "yes");
            add(map.hint(mode, Command::Cancel), "no");
        }
        KeyMode::Reason => {
            add(map.hint(mode, Command::Submit), "reject");
            add(map.hint(mode, Command::Cancel), "cancel");
            add(Some("^U ^W".to_owned()), "delete");
        }
        KeyMode::StatusPicker => {
            add(pair(Command::Down, Command::Up), "move");
            add(map.hint(mode, Command::Submit), "choose");
            add(map.hint(mode, Command::Cancel), "cancel");
        }
        KeyMode::Help => {
            add(pair(Command::Down, Command::Up), "scroll");
            add(pair(Command::PageDown, Command::PageUp), "page");
            add(map.hint(mode, Command::Cancel), "close help");
        }
        KeyMode::Composer => {
            let sending = app
                .compose
                .visible()
                .is_some_and(|c| c.mode == super::composer::Mode::Sending);
            if sending {
                add(map.hint(mode, Command::Close), "close (the send goes on)");
            } else {
                add(map.hint(mode, Command::NextField), "next");
                add(map.hint(mode, Command::Send), "send");
                add(map.hint(mode, Command::Preview), "preview");
                add(map.hint(mode, Command::Export), "export");
                add(map.hint(mode, Command::Discard), "discard");
                add(map.hint(mode, Command::Close), "close, keep draft");
            }
        }
        KeyMode::Preview => {
            add(pair(Command::Down, Command::Up), "scroll");
            add(pair(Command::PageDown, Command::PageUp), "page");
            add(pair(Command::Top, Command::Bottom), "top/end");
            add(map.hint(mode, Command::Close), "back");
        }
    }
    let multi_picker = app
        .compose
        .visible()
        .and_then(|c| c.picker.as_ref())
        .is_some_and(|p| p.multi);
    let mut hints: Vec<(String, &'static str)> = hints
        .into_iter()
        .filter_map(|(keys, what)| keys.map(|keys| (keys, what)))
        .collect();
    if multi_picker {
        hints.insert(0, ("Space".to_owned(), "tick"));
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::TuiOptions;
    use crate::tui::app::update;
    use crate::tui::fixtures::NOW;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn command(command: Command) -> Option<Event> {
        Some(Event::Command(command))
    }

    #[test]
    fn vim_and_arrow_keys_move_alike() {
        let app = App::new(&TuiOptions::default(), *NOW);
        assert_eq!(
            event_for(&app, press(KeyCode::Char('j'))),
            command(Command::Down)
        );
        assert_eq!(
            event_for(&app, press(KeyCode::Down)),
            command(Command::Down)
        );
        assert_eq!(
            event_for(&app, press(KeyCode::Char('k'))),
            command(Command::Up)
        );
        assert_eq!(event_for(&app, press(KeyCode::Up)), command(Command::Up));
        assert_eq!(
            event_for(&app, press(KeyCode::Char('n'))),
            command(Command::Compose)
        );
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(event_for(&app, ctrl_d), command(Command::PageDown));
    }

    #[test]
    fn letters_type_into_the_search_instead_of_acting() {
        let mut app = App::new(&TuiOptions::default(), *NOW);
        update(&mut app, Command::Search);
        let q = press(KeyCode::Char('q'));
        assert_eq!(event_for(&app, q), Some(Event::Key(q)));
        assert_eq!(
            event_for(&app, press(KeyCode::Esc)),
            command(Command::Cancel)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(event_for(&app, ctrl_c), command(Command::Quit));
    }

    #[test]
    fn the_open_composer_takes_typed_keys_and_its_own_commands() {
        let mut app = App::new(&TuiOptions::default(), *NOW);
        update(&mut app, Command::Compose);
        update(
            &mut app,
            Event::DraftLoaded {
                result: Ok(None),
                warning: None,
            },
        );
        let q = press(KeyCode::Char('q'));
        assert_eq!(event_for(&app, q), Some(Event::Key(q)));
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(event_for(&app, ctrl_s), command(Command::Send));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(event_for(&app, ctrl_c), command(Command::Quit));
        assert!(hints(&app).contains(&("^S".to_owned(), "send")));
    }

    #[test]
    fn esc_run_together_with_the_next_key_cancels_a_dialog() {
        use crate::tui::fixtures::{inbox, loaded};
        let mut app = loaded(&TuiOptions::default(), inbox());
        let alt_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT);
        let alt_y = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::ALT);
        update(&mut app, Command::Reject);
        assert_eq!(event_for(&app, alt_enter), command(Command::Cancel));
        assert_eq!(
            event_for(&app, press(KeyCode::Enter)),
            command(Command::Submit)
        );
        update(&mut app, Command::Cancel);
        update(&mut app, Command::SwitchCatalog);
        assert_eq!(event_for(&app, alt_y), command(Command::Cancel));
        assert_eq!(
            event_for(&app, press(KeyCode::Char('y'))),
            command(Command::Confirm)
        );
    }

    #[test]
    fn triage_hints_only_for_an_answerable_selection() {
        use crate::api::model::InvitationStatus;
        use crate::tui::fixtures::{inbox, loaded};
        let offers = |app: &App| hints(app).iter().any(|(key, _)| key == "a" || key == "x");
        let mut app = loaded(&TuiOptions::default(), inbox());
        assert_eq!(
            app.selected_row()
                .and_then(|row| row.summary.status.clone()),
            Some(InvitationStatus::Pending)
        );
        assert!(offers(&app));
        while app
            .selected_row()
            .and_then(|row| row.summary.status.clone())
            == Some(InvitationStatus::Pending)
        {
            update(&mut app, Command::Down);
        }
        assert!(!offers(&app), "not for an answered invitation");
        update(&mut app, Command::Top);
        app.read_only = true;
        assert!(!offers(&app), "not when read-only");
        assert!(
            !hints(&app).iter().any(|(key, _)| key == "n"),
            "no composing when read-only"
        );
    }

    #[test]
    fn hints_show_the_keys_in_force() {
        use crate::tui::keymap::{Key, KeyMap};
        let mut map = KeyMap::default();
        map.bind(
            KeyMode::Inbox,
            Command::StatusPicker,
            vec![Key::parse("f").unwrap()],
        )
        .unwrap();
        let options = TuiOptions {
            keymap: std::sync::Arc::new(map),
            ..TuiOptions::default()
        };
        let app = App::new(&options, *NOW);
        assert!(hints(&app).contains(&("f".to_owned(), "status")));
        assert_eq!(
            event_for(&app, press(KeyCode::Char('f'))),
            command(Command::StatusPicker)
        );
        assert_eq!(event_for(&app, press(KeyCode::Char('s'))), None);
    }
}
