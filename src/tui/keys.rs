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
    // The filter picker takes digits: a number of days.
    matches!(
        mode,
        KeyMode::Search | KeyMode::Reason | KeyMode::Composer | KeyMode::FilterPicker
    )
}

/// One footer hint: a command's key, two commands' keys (`j/k`), the first and last of a run
/// of keys (`1-3`), or fixed text.
enum Hint {
    Key(Command, &'static str),
    Pair(Command, Command, &'static str),
    Range(Command, Command, &'static str),
    Text(&'static str, &'static str),
}

/// The hints for `mode`, most useful first (a narrow footer drops them from the end).
fn mode_hints(app: &App, mode: KeyMode) -> Vec<Hint> {
    use Command as C;
    use Hint::{Key as K, Pair as P, Range as R, Text as T};
    match mode {
        KeyMode::Inbox | KeyMode::Detail => {
            let mut hints = if app.focus == Focus::Detail {
                vec![
                    P(C::Down, C::Up, "scroll"),
                    K(C::Back, "list"),
                    K(C::RawJson, "raw JSON"),
                ]
            } else {
                vec![P(C::Down, C::Up, "move"), K(C::Open, "open")]
            };
            if !app.read_only && !app.marks.is_empty() {
                hints.extend([
                    K(C::Accept, "accept marked"),
                    K(C::Reject, "reject marked"),
                    K(C::Mark, "mark"),
                ]);
            } else if !app.read_only && app.selection_is_answerable() {
                hints.extend([
                    K(C::Accept, "accept"),
                    K(C::Reject, "reject"),
                    K(C::Mark, "mark"),
                ]);
            }
            if !app.read_only {
                hints.push(K(C::Compose, "new"));
            }
            hints.push(K(C::Tasks, "tasks"));
            if app.focus == Focus::Detail {
                hints.push(K(C::Engagement, "engagement"));
            }
            let last_view = C::VIEWS[app.views.count() - 1];
            hints.extend([
                R(C::View1, last_view, "views"),
                K(C::StatusPicker, "status"),
                K(C::FilterPicker, "filter"),
                K(C::Search, "search"),
                K(C::SwitchView, "sent/received"),
                K(C::SwitchCatalog, "catalog"),
                K(C::Refresh, "refresh"),
                K(C::Quit, "quit"),
                K(C::Help, "help"),
            ]);
            hints
        }
        KeyMode::Search => vec![
            K(C::Submit, "keep filter"),
            K(C::Cancel, "clear"),
            P(C::Down, C::Up, "move"),
            T("^U ^W", "delete"),
        ],
        KeyMode::Dialog => match &app.dialog {
            Some(super::dialog::Dialog::Bulk(progress)) if progress.finished => {
                vec![K(C::Cancel, "close")]
            }
            Some(super::dialog::Dialog::Bulk(_)) => vec![K(C::Cancel, "stop the rest")],
            _ => vec![K(C::Confirm, "yes"), K(C::Cancel, "no")],
        },
        KeyMode::AcceptChoice => vec![
            P(C::Down, C::Up, "choose"),
            K(C::Submit, "accept"),
            K(C::Cancel, "cancel"),
        ],
        KeyMode::Tasks => vec![
            P(C::Down, C::Up, "move"),
            K(C::Open, "go to invitation"),
            K(C::CopyId, "copy opportunity id"),
            K(C::Refresh, "refresh"),
            K(C::Back, "back"),
        ],
        KeyMode::Engagement => vec![
            P(C::Down, C::Up, "scroll"),
            K(C::CopyId, "copy engagement id"),
            K(C::Back, "back"),
        ],
        KeyMode::Reason => vec![
            P(C::Down, C::Up, "reason"),
            K(C::Submit, "reject"),
            K(C::Cancel, "cancel"),
            T("^U ^W", "delete"),
        ],
        KeyMode::StatusPicker => vec![
            P(C::Down, C::Up, "move"),
            K(C::Submit, "choose"),
            K(C::Cancel, "cancel"),
        ],
        KeyMode::FilterPicker => vec![
            P(C::Down, C::Up, "move"),
            K(C::Choose, "choose"),
            K(C::Submit, "apply"),
            T("0-9", "days"),
            K(C::Cancel, "cancel"),
        ],
        KeyMode::Help => vec![
            P(C::Down, C::Up, "scroll"),
            P(C::PageDown, C::PageUp, "page"),
            K(C::Cancel, "close help"),
        ],
        KeyMode::Composer
            if app
                .compose
                .visible()
                .is_some_and(|c| c.mode == super::composer::Mode::Sending) =>
        {
            vec![K(C::Close, "close (the send goes on)")]
        }
        KeyMode::Composer => vec![
            K(C::NextField, "next"),
            K(C::Send, "send"),
            K(C::Preview, "preview"),
            K(C::Export, "export"),
            K(C::Discard, "discard"),
            K(C::Close, "close, keep draft"),
        ],
        KeyMode::Preview => vec![
            P(C::Down, C::Up, "scroll"),
            P(C::PageDown, C::PageUp, "page"),
            P(C::Top, C::Bottom, "top/end"),
            K(C::Close, "back"),
        ],
    }
}

/// The keys that work now, for the footer: (keys, what), most useful first. A command with no
/// key in force is left out.
pub fn hints(app: &App) -> Vec<(String, &'static str)> {
    let Some(mode) = app.key_mode() else {
        // A picker's filter takes every key; its own keys are fixed.
        let multi = app
            .compose
            .visible()
            .and_then(|c| c.picker.as_ref())
            .is_some_and(|p| p.multi);
        let mut hints = vec![
            ("type".to_owned(), "filter"),
            ("↑↓".to_owned(), "move"),
            ("Enter".to_owned(), if multi { "done" } else { "choose" }),
            ("Esc".to_owned(), "cancel"),
        ];
        if multi {
            hints.insert(2, ("Space".to_owned(), "tick"));
        }
        return hints;
    };
    let map = &app.keymap;
    mode_hints(app, mode)
        .into_iter()
        .filter_map(|hint| match hint {
            Hint::Key(command, what) => Some((map.hint(mode, command)?, what)),
            Hint::Pair(first, second, what) => {
                let keys = match (map.hint(mode, first), map.hint(mode, second)) {
                    (Some(a), Some(b)) => format!("{a}/{b}"),
                    (one, other) => one.or(other)?,
                };
                Some((keys, what))
            }
            Hint::Range(first, last, what) => {
                let keys = match (map.hint(mode, first), map.hint(mode, last)) {
                    (Some(a), Some(b)) if first != last => format!("{a}-{b}"),
                    (one, other) => one.or(other)?,
                };
                Some((keys, what))
            }
            Hint::Text(keys, what) => Some((keys.to_owned(), what)),
        })
        .collect()
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

    /// An app with the composer open on a new draft.
    fn composing() -> App {
        let mut app = App::new(&TuiOptions::default(), *NOW);
        update(&mut app, Command::Compose);
        update(
            &mut app,
            Event::DraftLoaded {
                result: Ok(None),
                warning: None,
            },
        );
        app
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
        let app = composing();
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
        let options = crate::tui::fixtures::rebound(Command::StatusPicker, "f");
        let app = App::new(&options, *NOW);
        assert!(hints(&app).contains(&("f".to_owned(), "status")));
        assert_eq!(
            event_for(&app, press(KeyCode::Char('f'))),
            command(Command::StatusPicker)
        );
        assert_eq!(event_for(&app, press(KeyCode::Char('s'))), None);
    }

    #[test]
    fn the_footer_tells_a_multi_select_picker_from_a_single_one() {
        use crate::tui::composer::form::Options;
        use crate::tui::composer::picker::Picker;
        let mut app = composing();
        let composer = app.compose.composer.as_mut().unwrap();
        composer.picker = Some(Picker::open(Options::Countries, false, &[]));
        assert!(hints(&app).contains(&("Enter".to_owned(), "choose")));
        let composer = app.compose.composer.as_mut().unwrap();
        composer.picker = Some(Picker::open(Options::Responsibilities, true, &[]));
        let hints = hints(&app);
        assert!(hints.contains(&("Space".to_owned(), "tick")), "{hints:?}");
        assert!(hints.contains(&("Enter".to_owned(), "done")), "{hints:?}");
    }
}
