//! Which key does what: key presses become [`Action`]s according to the mode, and the help
//! overlay and the footer read their key lists from here, so they cannot drift apart. While the
//! composer is open every key but Ctrl-C goes to it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::{App, Focus, Mode};
use super::composer;

/// Every key of the inbox for the help overlay: (keys, what they do, changes data).
pub const HELP: &[(&str, &str, bool)] = &[
    (
        "j k ↓ ↑",
        "move; scroll the detail when it has focus",
        false,
    ),
    ("g G Home End", "first / last invitation", false),
    ("PgUp PgDn ^U ^D", "one page up / down", false),
    ("Enter", "open the detail of the selected invitation", false),
    ("Esc", "back to the list; clear the search", false),
    ("Tab", "switch focus between list and detail", false),
    (
        "s",
        "status: All → Pending → Accepted → Rejected → Expired",
        false,
    ),
    ("o", "sort by invitation date: newest / oldest first", false),
    ("p", "switch Received / Sent invitations", false),
    ("c", "switch catalog Sandbox / AWS (asks before AWS)", false),
    (
        "/",
        "search title, company, sender, ids (Enter keeps it)",
        false,
    ),
    (
        "a",
        "accept the selected PENDING invitation (asks y/n)",
        true,
    ),
    (
        "x",
        "reject it, with an optional reason (Enter sends)",
        true,
    ),
    (
        "n",
        "compose an invitation (reopens the unsent draft)",
        true,
    ),
    ("r", "refresh the listing", false),
    (
        "y",
        "copy the invitation id (OSC 52, works over SSH)",
        false,
    ),
    ("v", "detail: raw JSON / formatted", false),
    ("?", "this help", false),
    ("q Ctrl-C", "quit", false),
];

/// The action for `key` in the app's current mode, if any.
pub fn action_for(app: &App, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if app.compose.visible().is_some() {
        return Some(Action::ComposerKey(key));
    }
    match &app.mode {
        Mode::Search => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::KeepSearch),
            KeyCode::Backspace => Some(Action::SearchBackspace),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Char(c) if !ctrl => Some(Action::SearchChar(c)),
            _ => None,
        },
        // A terminal sends Esc and a key typed right after it as one Alt+key: in a dialog that
        // is the Esc, so a quick Esc, Enter never rejects (or accepts) by accident.
        Mode::ConfirmAccept { .. } | Mode::ConfirmCatalog | Mode::RejectReason { .. }
            if key.modifiers.contains(KeyModifiers::ALT) =>
        {
            Some(Action::Cancel)
        }
        Mode::ConfirmAccept { .. } | Mode::ConfirmCatalog => match key.code {
            KeyCode::Char('y' | 'Y') => Some(Action::Confirm),
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => Some(Action::Cancel),
            _ => None,
        },
        Mode::RejectReason { .. } => match key.code {
            KeyCode::Enter => Some(Action::SubmitReason),
            KeyCode::Esc => Some(Action::Cancel),
            _ => Some(Action::ReasonInput(key.into())),
        },
        Mode::Help => match key.code {
            KeyCode::Esc | KeyCode::Char('?' | 'q') => Some(Action::ToggleHelp),
            _ => None,
        },
        Mode::Normal => normal(key, ctrl),
    }
}

fn normal(key: KeyEvent, ctrl: bool) -> Option<Action> {
    let action = match key.code {
        KeyCode::Char('d') if ctrl => Action::PageDown,
        KeyCode::Char('u') if ctrl => Action::PageUp,
        _ if ctrl => return None,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Enter => Action::Open,
        KeyCode::Esc => Action::Back,
        KeyCode::Tab | KeyCode::BackTab => Action::SwitchFocus,
        KeyCode::Char('s') => Action::CycleStatus,
        KeyCode::Char('o') => Action::FlipSort,
        KeyCode::Char('p') => Action::SwitchView,
        KeyCode::Char('c') => Action::SwitchCatalog,
        KeyCode::Char('/') => Action::StartSearch,
        KeyCode::Char('a') => Action::Accept,
        KeyCode::Char('x') => Action::Reject,
        KeyCode::Char('n') => Action::Compose,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('y') => Action::CopyId,
        KeyCode::Char('v') => Action::ToggleRawJson,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    };
    Some(action)
}

/// The keys that work now, for the footer: (key, what).
pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    if let Some(composer) = app.compose.visible() {
        return composer_hints(composer);
    }
    match &app.mode {
        Mode::Search => vec![("Enter", "keep filter"), ("Esc", "clear"), ("↑↓", "move")],
        Mode::ConfirmAccept { .. } | Mode::ConfirmCatalog => vec![("y", "yes"), ("n", "no")],
        Mode::RejectReason { .. } => vec![("Enter", "reject"), ("Esc", "cancel")],
        Mode::Help => vec![("Esc", "close help")],
        Mode::Normal => {
            let mut hints = match app.focus {
                Focus::List => vec![("j/k", "move"), ("Enter", "open")],
                Focus::Detail => vec![("j/k", "scroll"), ("Esc", "list"), ("v", "raw JSON")],
            };
            if !app.read_only && app.selection_is_answerable() {
                hints.extend([("a", "accept"), ("x", "reject")]);
            }
            if !app.read_only {
                hints.push(("n", "new"));
            }
            // Most useful first: a narrow footer drops hints from the end, but keeps `?`.
            hints.extend([
                ("s", "status"),
                ("/", "search"),
                ("p", "sent/received"),
                ("c", "catalog"),
                ("r", "refresh"),
                ("q", "quit"),
                ("?", "help"),
            ]);
            hints
        }
    }
}

/// The composer's keys for its current state.
fn composer_hints(composer: &composer::Composer) -> Vec<(&'static str, &'static str)> {
    match composer.mode {
        composer::Mode::Preview(_) => {
            vec![("j/k PgUp/PgDn g/G", "scroll"), ("any other key", "back")]
        }
        composer::Mode::ConfirmDiscard
        | composer::Mode::ConfirmRemove(_)
        | composer::Mode::ConfirmSend => {
            vec![("y", "yes"), ("n", "no")]
        }
        composer::Mode::Sending => vec![("Esc", "close (the send goes on)")],
        composer::Mode::Editing if composer.picker.as_ref().is_some_and(|p| p.multi) => vec![
            ("type", "filter"),
            ("↑↓", "move"),
            ("Space", "tick"),
            ("Enter", "done"),
            ("Esc", "cancel"),
        ],
        composer::Mode::Editing if composer.picker.is_some() => vec![
            ("type", "filter"),
            ("↑↓", "move"),
            ("Enter", "choose"),
            ("Tab", "choose, next"),
            ("Esc", "cancel"),
        ],
        composer::Mode::Editing => vec![
            ("Tab", "next"),
            ("^S", "send"),
            ("^P", "preview"),
            ("^E", "export"),
            ("^D", "discard"),
            ("Esc", "close, keep draft"),
        ],
    }
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

    #[test]
    fn vim_and_arrow_keys_move_alike() {
        let app = App::new(&TuiOptions::default(), *NOW);
        assert_eq!(
            action_for(&app, press(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(action_for(&app, press(KeyCode::Down)), Some(Action::Down));
        assert_eq!(
            action_for(&app, press(KeyCode::Char('k'))),
            Some(Action::Up)
        );
        assert_eq!(action_for(&app, press(KeyCode::Up)), Some(Action::Up));
        assert_eq!(
            action_for(&app, press(KeyCode::Char('n'))),
            Some(Action::Compose)
        );
    }

    #[test]
    fn the_help_lists_the_ctrl_paging_keys_that_work() {
        let app = App::new(&TuiOptions::default(), *NOW);
        let in_help = |key: &str| {
            HELP.iter()
                .any(|(keys, _, _)| keys.split(' ').any(|k| k == key))
        };
        for (c, action, name) in [('d', Action::PageDown, "^D"), ('u', Action::PageUp, "^U")] {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
            assert_eq!(action_for(&app, key), Some(action));
            assert!(in_help(name), "{name} works but the help does not say so");
        }
    }

    #[test]
    fn letters_type_into_the_search_instead_of_acting() {
        let mut app = App::new(&TuiOptions::default(), *NOW);
        app.mode = Mode::Search;
        assert_eq!(
            action_for(&app, press(KeyCode::Char('q'))),
            Some(Action::SearchChar('q'))
        );
        assert_eq!(action_for(&app, press(KeyCode::Esc)), Some(Action::Back));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(&app, ctrl_c), Some(Action::Quit));
    }

    #[test]
    fn the_open_composer_takes_every_key_but_ctrl_c() {
        let mut app = App::new(&TuiOptions::default(), *NOW);
        update(&mut app, Action::Compose);
        update(
            &mut app,
            Action::DraftLoaded {
                result: Ok(None),
                warning: None,
            },
        );
        let q = press(KeyCode::Char('q'));
        assert_eq!(action_for(&app, q), Some(Action::ComposerKey(q)));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(&app, ctrl_c), Some(Action::Quit));
        assert!(hints(&app).contains(&("^S", "send")));
    }

    #[test]
    fn the_footer_tells_a_multi_select_picker_from_a_single_one() {
        use crate::tui::composer::draft::Draft;
        use crate::tui::composer::form::Options;
        use crate::tui::composer::picker::Picker;
        let mut composer = composer::Composer::new(Draft::new("Sandbox"));
        composer.picker = Some(Picker::open(Options::Countries, false, &[]));
        assert!(composer_hints(&composer).contains(&("Enter", "choose")));
        composer.picker = Some(Picker::open(Options::Responsibilities, true, &[]));
        let hints = composer_hints(&composer);
        assert!(hints.contains(&("Space", "tick")) && hints.contains(&("Enter", "done")));
    }

    #[test]
    fn esc_run_together_with_the_next_key_cancels_a_dialog() {
        let mut app = App::new(&TuiOptions::default(), *NOW);
        let alt_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT);
        let alt_y = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::ALT);
        app.mode = Mode::RejectReason {
            id: "engi-1".into(),
            title: "A title".into(),
            reason: Default::default(),
            error: None,
        };
        assert_eq!(action_for(&app, alt_enter), Some(Action::Cancel));
        assert_eq!(
            action_for(&app, press(KeyCode::Enter)),
            Some(Action::SubmitReason)
        );
        app.mode = Mode::ConfirmCatalog;
        assert_eq!(action_for(&app, alt_y), Some(Action::Cancel));
        assert_eq!(
            action_for(&app, press(KeyCode::Char('y'))),
            Some(Action::Confirm)
        );
    }

    #[test]
    fn triage_hints_only_for_an_answerable_selection() {
        use crate::api::model::InvitationStatus;
        use crate::tui::fixtures::{inbox, loaded};
        let offers = |app: &App| hints(app).iter().any(|(key, _)| *key == "a" || *key == "x");
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
            update(&mut app, Action::Down);
        }
        assert!(!offers(&app), "not for an answered invitation");
        update(&mut app, Action::Top);
        app.read_only = true;
        assert!(!offers(&app), "not when read-only");
        assert!(
            !hints(&app).iter().any(|(key, _)| *key == "n"),
            "no composing when read-only"
        );
    }
}
