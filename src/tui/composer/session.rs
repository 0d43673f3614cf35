//! The composer inside the inbox app: opening it (`n`, `pcinbox compose`), routing keys to it,
//! autosaving its draft, and turning its outcomes into effects (save, remove, export, create)
//! and the worker's answers back into state. Pure like the rest of `update`: file work goes out
//! as [`DiskOp`]s, the create as a worker request.

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use serde_json::Value;

use super::disk::{DiskOp, export_path};
use super::draft::Draft;
use super::{Composer, Outcome};
use crate::api::model::{CreateEngagementInvitationResponse, InvitationStatus, ParticipantType};
use crate::tui::app::{App, Effect};
use crate::tui::command::Command;
use crate::tui::event::CreateFailure;
use crate::tui::worker::Request;

/// How `pcinbox compose` opens the app.
#[derive(Clone, Debug, PartialEq)]
pub enum ComposeStart {
    /// On the unsent draft, or a new one, as `n` does.
    Draft,
    /// On a new draft prefilled from a `--cli-input-json` document; `source` names it.
    Document { source: String, document: Value },
}

/// The app's composer state.
#[derive(Debug)]
pub struct ComposeState {
    /// The draft being composed, shown or not: Esc hides it and keeps it (here and on disk).
    pub composer: Option<Box<Composer>>,
    /// The composer is on screen and gets the keys.
    pub open: bool,
    /// Changes not saved yet; the next tick (at most a second away) saves them.
    unsaved: bool,
    /// `n` is waiting for the stored draft.
    loading: bool,
    /// Where Ctrl-E writes.
    export_dir: PathBuf,
    /// How to open at start, taken by [`start`].
    start: Option<ComposeStart>,
}

impl ComposeState {
    pub fn new(export_dir: PathBuf, start: Option<ComposeStart>) -> ComposeState {
        ComposeState {
            composer: None,
            open: false,
            unsaved: false,
            loading: false,
            export_dir,
            start,
        }
    }

    /// The composer, while it is on screen.
    pub fn visible(&self) -> Option<&Composer> {
        self.composer.as_deref().filter(|_| self.open)
    }

    /// Whether a change waits for the next autosave.
    pub fn unsaved(&self) -> bool {
        self.unsaved
    }

    /// The save of changes not saved yet, if any.
    fn save_now(&mut self) -> Option<Effect> {
        if !std::mem::take(&mut self.unsaved) {
            return None;
        }
        let draft = &self.composer.as_ref()?.draft;
        Some(Effect::Disk(DiskOp::Save(Box::new(draft.clone()))))
    }

    fn open_on(&mut self, composer: Composer) {
        self.composer = Some(Box::new(composer));
        self.open = true;
    }

    fn close_for_good(&mut self) {
        self.composer = None;
        self.open = false;
        self.unsaved = false;
    }
}

const READ_ONLY: &str = "Read-only: compose is turned off (started with --read-only)";

/// The first effects: `pcinbox compose` opens the composer at once.
pub fn start(app: &mut App) -> Vec<Effect> {
    match app.compose.start.take() {
        None => Vec::new(),
        Some(ComposeStart::Draft) => compose(app),
        Some(ComposeStart::Document { .. }) if app.read_only => {
            app.error(READ_ONLY);
            Vec::new()
        }
        Some(ComposeStart::Document {
            source,
            mut document,
        }) => {
            if let Some(object) = document.as_object_mut() {
                object
                    .entry("Catalog")
                    .or_insert_with(|| Value::String(app.catalog.clone()));
            }
            let mut composer = Composer::new(Draft::from_document(&document));
            // With problems, the status line counts them down as they are fixed.
            if composer
                .check_all_counting(format!("Opened {source}"))
                .is_none()
            {
                composer.status = Some(format!("Opened {source}; Ctrl-S sends it"));
            }
            app.compose.open_on(composer);
            // The imported draft replaces the stored one on the first autosave; the stored one
            // is moved aside first (the disk task keeps the order).
            app.compose.unsaved = true;
            vec![Effect::Disk(DiskOp::SetAside)]
        }
    }
}

/// `n`: shows the composer; the first time, on the stored unsent draft (or a new one).
pub fn compose(app: &mut App) -> Vec<Effect> {
    if app.read_only {
        app.error(READ_ONLY);
        return Vec::new();
    }
    if app.compose.composer.is_some() {
        app.compose.open = true;
        return Vec::new();
    }
    if std::mem::replace(&mut app.compose.loading, true) {
        return Vec::new();
    }
    vec![Effect::Disk(DiskOp::Load)]
}

/// The stored draft arrived: open the composer on it, or on a new draft.
pub fn draft_loaded(
    app: &mut App,
    result: Result<Option<Box<Draft>>, String>,
    warning: Option<String>,
) -> Vec<Effect> {
    if !std::mem::take(&mut app.compose.loading) || app.compose.composer.is_some() {
        return Vec::new();
    }
    let stored = match result {
        Ok(stored) => stored,
        Err(error) => {
            // Not opening: a new draft's first autosave would replace the one that could not
            // be read.
            app.error(error);
            return Vec::new();
        }
    };
    match (&warning, &stored) {
        (Some(warning), _) => app.error(warning.clone()),
        (None, Some(_)) => app.info("Reopened your unsent draft"),
        (None, None) => {}
    }
    let draft = match stored {
        Some(draft) => *draft,
        None => new_draft(app),
    };
    app.compose.open_on(Composer::new(draft));
    Vec::new()
}

/// A new draft in the inbox's catalog. On an invitation the caller has joined the engagement
/// of (one it accepted, or sent), that engagement is filled in: inviting another partner to it
/// is the usual next step, and its id is otherwise hard to find.
fn new_draft(app: &mut App) -> Draft {
    let mut draft = Draft::new(&app.catalog);
    let joined = app
        .selected_row()
        .map(|row| &row.summary)
        .filter(|summary| {
            app.view == ParticipantType::Sender
                || summary.status == Some(InvitationStatus::Accepted)
        })
        .and_then(|summary| summary.engagement_id.clone());
    if let Some(engagement) = joined {
        app.info(format!(
            "Engagement {engagement} taken from the selected invitation"
        ));
        draft.engagement_identifier = engagement;
    }
    draft
}

/// A command while the composer is open.
pub fn command(app: &mut App, command: Command) -> Vec<Effect> {
    with_composer(app, |composer| composer.command(command))
}

/// A key typed while the composer is open.
pub fn key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    with_composer(app, |composer| composer.handle_key(key))
}

/// Pasted text while the composer is open.
pub fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    with_composer(app, |composer| composer.paste(text))
}

/// Gives the open composer an input and carries out what it asks for.
fn with_composer(app: &mut App, input: impl FnOnce(&mut Composer) -> Outcome) -> Vec<Effect> {
    let state = &mut app.compose;
    let Some(composer) = state.composer.as_mut() else {
        state.open = false;
        return Vec::new();
    };
    match input(composer) {
        Outcome::Nothing => Vec::new(),
        Outcome::Changed => {
            state.unsaved = true;
            Vec::new()
        }
        Outcome::Close => {
            state.open = false;
            state.save_now().into_iter().collect()
        }
        Outcome::Discard => {
            state.close_for_good();
            app.info("Draft discarded");
            vec![Effect::Disk(DiskOp::Remove)]
        }
        Outcome::Send(request) => {
            // Saved with the send: if pcinbox dies before the answer, the draft comes back with
            // the same ClientToken (every save carries it), so sending it again cannot make a
            // second invitation.
            let mut effects: Vec<Effect> = state.save_now().into_iter().collect();
            effects.push(Effect::Request(Request::Create(request)));
            effects
        }
        Outcome::Export(document) => {
            let path = export_path(&state.export_dir, &composer.draft);
            vec![Effect::Disk(DiskOp::Export { path, document })]
        }
    }
}

/// Each tick: saves what changed since the last one.
pub fn autosave(app: &mut App) -> Vec<Effect> {
    app.compose.save_now().into_iter().collect()
}

/// On the way out (quit, signal, error): saves what is not saved yet.
pub fn finish(app: &mut App) -> Vec<Effect> {
    autosave(app)
}

/// The create's answer. Success closes the composer, removes the draft and shows the Sent view;
/// a failure keeps everything typed and says why, on the fields when the service named them.
pub fn created(
    app: &mut App,
    client_token: &str,
    result: Result<CreateEngagementInvitationResponse, CreateFailure>,
) -> Vec<Effect> {
    let ours = app
        .compose
        .composer
        .as_mut()
        .filter(|composer| composer.draft.client_token == client_token);
    match result {
        Ok(response) => {
            let Some(composer) = ours else {
                app.info(format!("Sent: invitation {} created", response.id));
                return Vec::new();
            };
            let catalog = composer.draft.catalog.clone();
            app.compose.close_for_good();
            let mut effects = vec![Effect::Disk(DiskOp::Remove)];
            effects.extend(app.show_sent(&catalog, &response.id));
            app.info(format!(
                "Sent: invitation {} created in {catalog}",
                response.id
            ));
            effects
        }
        Err(failure) => {
            if let Some(composer) = ours {
                composer.send_failed(failure.message.clone(), &failure.field_errors);
            }
            app.error(format!("Not sent: {}", failure.message));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};

    use super::*;
    use crate::api::model::ParticipantType;
    use crate::tui::TuiOptions;
    use crate::tui::app::{MessageKind, update};
    use crate::tui::event::Event;
    use crate::tui::fixtures::{self, NOW, valid_draft};

    fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        fixtures::press(app, KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
        fixtures::press(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
        text.chars()
            .flat_map(|c| press(app, KeyCode::Char(c)))
            .collect()
    }

    fn app_with(options: TuiOptions) -> App {
        let mut app = App::new(&options, *NOW);
        app.start();
        crate::tui::fixtures::every_received(&mut app);
        app
    }

    fn app() -> App {
        app_with(TuiOptions::default())
    }

    /// Presses `n` and answers the load with `stored`.
    fn open(app: &mut App, stored: Option<Draft>) {
        assert_eq!(update(app, Command::Compose), [Effect::Disk(DiskOp::Load)]);
        update(
            app,
            Event::DraftLoaded {
                result: Ok(stored.map(Box::new)),
                warning: None,
            },
        );
        assert!(app.compose.visible().is_some());
    }

    /// Opens the valid draft, sends it with Ctrl-S and answers the create with `result`: the
    /// draft sent and what the answer did.
    fn send_answered(
        app: &mut App,
        result: Result<CreateEngagementInvitationResponse, CreateFailure>,
    ) -> (Draft, Vec<Effect>) {
        let stored = valid_draft();
        open(app, Some(stored.clone()));
        ctrl(app, 's');
        let effects = update(
            app,
            Event::CreateDone {
                client_token: stored.client_token.clone(),
                result,
            },
        );
        (stored, effects)
    }

    fn created(id: &str) -> Result<CreateEngagementInvitationResponse, CreateFailure> {
        Ok(CreateEngagementInvitationResponse {
            id: id.into(),
            arn: String::new(),
        })
    }

    fn draft(app: &App) -> &Draft {
        &app.compose.composer.as_ref().expect("a composer").draft
    }

    fn saves(effects: &[Effect]) -> Vec<&Draft> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Disk(DiskOp::Save(draft)) => Some(draft.as_ref()),
                _ => None,
            })
            .collect()
    }

    fn creates(effects: &[Effect]) -> Vec<&crate::api::model::CreateEngagementInvitationRequest> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Request(Request::Create(request)) => Some(request.as_ref()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn n_opens_a_new_draft_in_the_inbox_catalog_with_its_own_token() {
        let mut app = app_with(TuiOptions {
            catalog: "AWS".into(),
            ..TuiOptions::default()
        });
        open(&mut app, None);
        assert_eq!(draft(&app).catalog, "AWS");
        assert!(uuid::Uuid::parse_str(&draft(&app).client_token).is_ok());
        assert!(!app.compose.unsaved(), "nothing typed, nothing to save");
    }

    #[test]
    fn a_new_draft_invites_to_the_engagement_of_an_accepted_selection() {
        use crate::tui::fixtures::{list, summary};
        let mut app = app();
        list(
            &mut app,
            1,
            vec![
                summary("engi-pending00001", InvitationStatus::Pending, 1),
                summary("engi-accepted0001", InvitationStatus::Accepted, 2),
            ],
        );
        assert_eq!(app.selected_row().unwrap().id(), "engi-pending00001");
        open(&mut app, None);
        assert_eq!(
            draft(&app).engagement_identifier,
            "",
            "not a member of a pending invitation's engagement"
        );
        ctrl(&mut app, 'd');
        press(&mut app, KeyCode::Char('y'));
        update(&mut app, Command::Down);
        open(&mut app, None);
        assert_eq!(draft(&app).engagement_identifier, "eng-engi-accepted0001");
        assert!(
            app.message
                .as_ref()
                .unwrap()
                .text
                .contains("eng-engi-accepted0001"),
            "said, not silent"
        );
    }

    #[test]
    fn n_reopens_the_stored_draft_with_everything_typed() {
        let mut app = app();
        let mut stored = Draft::new("Sandbox");
        stored.message = "Grüße, halb getippt".into();
        open(&mut app, Some(stored.clone()));
        assert_eq!(*draft(&app), stored);
        assert!(app.message.as_ref().unwrap().text.contains("Reopened"));
        // Esc hides it and keeps it; n shows the same one again without reading the disk.
        type_text(&mut app, "x");
        let effects = press(&mut app, KeyCode::Esc);
        assert!(app.compose.visible().is_none());
        assert_eq!(saves(&effects).len(), 1, "closing saves: {effects:?}");
        assert!(update(&mut app, Command::Compose).is_empty());
        assert_eq!(draft(&app).engagement_identifier, "x");
        assert_eq!(draft(&app).client_token, stored.client_token);
    }

    #[test]
    fn a_draft_that_cannot_be_read_is_not_replaced() {
        let mut app = app();
        update(&mut app, Command::Compose);
        assert!(
            update(&mut app, Command::Compose).is_empty(),
            "one load at a time"
        );
        update(
            &mut app,
            Event::DraftLoaded {
                result: Err("cannot read the saved draft: permission denied".into()),
                warning: None,
            },
        );
        assert!(app.compose.composer.is_none());
        assert_eq!(app.message.as_ref().unwrap().kind, MessageKind::Error);
    }

    #[test]
    fn read_only_refuses_to_compose() {
        let mut app = app_with(TuiOptions {
            read_only: true,
            ..TuiOptions::default()
        });
        assert!(update(&mut app, Command::Compose).is_empty());
        assert!(app.compose.composer.is_none());
        assert!(app.message.as_ref().unwrap().text.contains("--read-only"));
    }

    #[test]
    fn changes_are_saved_on_the_next_tick_once() {
        let mut app = app();
        open(&mut app, None);
        let effects = type_text(&mut app, "eng-abc");
        assert!(saves(&effects).is_empty(), "not on every key");
        assert!(app.compose.unsaved());
        let effects = update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(1)));
        let saved = saves(&effects);
        assert_eq!(saved.len(), 1, "seven keys, one save");
        assert_eq!(saved[0].engagement_identifier, "eng-abc");
        let effects = update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(2)));
        assert!(saves(&effects).is_empty(), "nothing new to save");
        // Moving between fields changes nothing.
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::BackTab);
        assert!(!app.compose.unsaved());
        // Quitting saves what the last tick did not.
        type_text(&mut app, "x");
        assert_eq!(saves(&finish(&mut app)).len(), 1);
        assert!(saves(&finish(&mut app)).is_empty());
    }

    #[test]
    fn discarding_asks_then_removes_the_draft() {
        let mut app = app();
        open(&mut app, None);
        type_text(&mut app, "eng-abc");
        assert!(ctrl(&mut app, 'd').is_empty());
        assert!(app.compose.composer.is_some(), "asked first");
        let effects = press(&mut app, KeyCode::Char('y'));
        assert_eq!(effects, [Effect::Disk(DiskOp::Remove)]);
        assert!(app.compose.composer.is_none());
        assert!(
            saves(&update(
                &mut app,
                Event::Tick(*NOW + chrono::Duration::seconds(1))
            ))
            .is_empty(),
            "a discarded draft is not saved again"
        );
    }

    #[test]
    fn send_saves_then_creates_once_with_the_draft_token() {
        let mut app = app();
        let stored = valid_draft();
        open(&mut app, Some(stored.clone()));
        let effects = ctrl(&mut app, 's');
        let sent = creates(&effects);
        assert_eq!(sent.len(), 1, "{effects:?}");
        assert_eq!(
            sent[0].client_token.as_deref(),
            Some(stored.client_token.as_str())
        );
        assert_eq!(*sent[0], stored.to_request().unwrap());
        // A second Ctrl-S while the first is in flight sends nothing.
        assert!(creates(&ctrl(&mut app, 's')).is_empty());

        // A change is on disk before the create goes out.
        let mut app = self::app();
        open(&mut app, Some(stored.clone()));
        press(&mut app, KeyCode::Backspace);
        type_text(&mut app, "3");
        let effects = ctrl(&mut app, 's');
        assert!(
            matches!(
                effects.as_slice(),
                [
                    Effect::Disk(DiskOp::Save(_)),
                    Effect::Request(Request::Create(_))
                ]
            ),
            "{effects:?}"
        );
    }

    #[test]
    fn success_closes_removes_the_draft_and_shows_sent() {
        let mut app = app();
        let (_, effects) = send_answered(&mut app, created("engi-0000000000new"));
        assert!(app.compose.composer.is_none() && !app.compose.open);
        assert_eq!(effects[0], Effect::Disk(DiskOp::Remove));
        assert_eq!(app.view, ParticipantType::Sender);
        assert!(
            effects.iter().any(|e| matches!(
                e,
                Effect::Request(Request::List {
                    view: ParticipantType::Sender,
                    ..
                })
            )),
            "{effects:?}"
        );
        let message = app.message.as_ref().unwrap();
        assert!(
            message.text.contains("engi-0000000000new"),
            "{}",
            message.text
        );
    }

    #[test]
    fn a_sent_invitation_is_not_hidden_by_the_inbox_filters() {
        let mut inbox = app();
        inbox.list.filter.statuses = vec![crate::api::model::InvitationStatus::Accepted];
        inbox.list.search.insert("wood");
        inbox.list.filter.search = "wood".into();
        send_answered(&mut inbox, created("engi-0000000000new"));
        assert_eq!(
            inbox.list.filter.statuses,
            [],
            "a new invitation is PENDING"
        );
        assert!(inbox.list.filter.search.is_empty() && inbox.list.search.is_empty());
        // A Pending-only view shows it, so it stays.
        let mut inbox = app();
        inbox.list.filter.statuses = vec![crate::api::model::InvitationStatus::Pending];
        send_answered(&mut inbox, created("engi-0000000000new"));
        assert_eq!(
            inbox.list.filter.statuses,
            [crate::api::model::InvitationStatus::Pending]
        );
    }

    #[test]
    fn a_send_from_the_sent_view_selects_the_new_invitation_and_keeps_the_confirmation() {
        use crate::api::model::InvitationStatus;
        use crate::tui::fixtures::{inbox, list, summary};
        let mut app = app();
        app.view = ParticipantType::Sender;
        list(&mut app, 1, inbox());
        let before = app.selected_row().unwrap().id().to_owned();
        send_answered(&mut app, created("engi-0000000000new"));
        let mut listed = inbox();
        listed.push(summary("engi-0000000000new", InvitationStatus::Pending, 0));
        list(&mut app, 2, listed);
        let row = app.selected_row().unwrap();
        assert_eq!(row.id(), "engi-0000000000new", "was on {before}");
        assert!(!row.is_new, "selected, not announced as new");
        let message = &app.message.as_ref().unwrap().text;
        assert!(
            message.starts_with("Sent: invitation engi-0000000000new"),
            "{message}"
        );
    }

    #[test]
    fn the_set_aside_draft_is_named_in_a_line_that_fits_80_columns() {
        let mut app = app();
        let path =
            "/home/partner/.local/share/pcinbox/drafts/invitation.replaced-20261123T112058.json";
        update(&mut app, Event::DraftSetAside(PathBuf::from(path)));
        let text = &app.message.as_ref().unwrap().text;
        assert_eq!(
            text,
            "Earlier unsent draft kept as drafts/invitation.replaced-20261123T112058.json"
        );
        assert!(text.chars().count() + 2 <= 80, "the footer shows it whole");
    }

    #[test]
    fn failure_keeps_the_draft_and_puts_service_problems_on_fields() {
        let mut app = app();
        let (stored, effects) = send_answered(
            &mut app,
            Err(CreateFailure {
                message: "ValidationException: bad engagement".into(),
                field_errors: vec![crate::api::error::FieldError {
                    field_name: Some("EngagementIdentifier".into()),
                    message: "Engagement is closed".into(),
                    code: crate::api::model::ValidationErrorCode::InvalidValue,
                }],
            }),
        );
        assert!(effects.is_empty(), "nothing removed: {effects:?}");
        assert_eq!(*draft(&app), stored);
        let composer = app.compose.composer.as_ref().unwrap();
        assert_eq!(
            composer.errors[&super::super::form::FieldId::EngagementIdentifier],
            "Engagement identifier: Engagement is closed"
        );
        assert_eq!(composer.mode, super::super::Mode::Editing);
        // Sending again reuses the token.
        let effects = ctrl(&mut app, 's');
        assert_eq!(
            creates(&effects)[0].client_token.as_deref(),
            Some(stored.client_token.as_str())
        );
    }

    #[test]
    fn export_goes_to_the_export_dir_named_after_the_engagement() {
        let mut app = app_with(TuiOptions {
            export_dir: PathBuf::from("/exports"),
            ..TuiOptions::default()
        });
        open(&mut app, Some(valid_draft()));
        let effects = ctrl(&mut app, 'e');
        let [Effect::Disk(DiskOp::Export { path, document })] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(
            path,
            &PathBuf::from("/exports/invitation-eng-abcdefghij0123.json")
        );
        assert_eq!(document, &draft(&app).to_document());
    }

    #[test]
    fn compose_from_a_document_opens_with_its_problems_shown_and_sets_the_old_draft_aside() {
        let mut document = valid_draft().to_document();
        document["Invitation"]["Receiver"]["Account"]["AwsAccountId"] = "12345678901234".into();
        document.as_object_mut().unwrap().remove("Catalog");
        let options = TuiOptions {
            catalog: "AWS".into(),
            compose: Some(ComposeStart::Document {
                source: "create.json".into(),
                document,
            }),
            ..TuiOptions::default()
        };
        let mut app = App::new(&options, *NOW);
        let effects = app.start();
        assert_eq!(effects[0], Effect::Disk(DiskOp::SetAside));
        let composer = app.compose.visible().expect("open at start");
        assert_eq!(
            composer.draft.catalog, "AWS",
            "the inbox's catalog fills a gap"
        );
        assert!(
            composer.errors[&super::super::form::FieldId::ReceiverAccount]
                .starts_with("Receiver account id: ")
        );
        assert!(
            composer
                .status
                .as_ref()
                .unwrap()
                .contains("1 field(s) to fix")
        );
        assert_eq!(
            composer.focused(),
            super::super::form::FieldId::ReceiverAccount,
            "focus on the first problem"
        );
        let effects = update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(1)));
        assert_eq!(
            saves(&effects).len(),
            1,
            "the import replaces the stored draft"
        );
        // Esc leaves to the inbox, keeping the draft.
        press(&mut app, KeyCode::Esc);
        assert!(app.compose.visible().is_none() && app.compose.composer.is_some());
    }
}
