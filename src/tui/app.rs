//! The inbox's state and [`update`], the only place it changes.
//!
//! The state is made of parts that each own their state and its rules: the list
//! ([`ListPane`]), the detail ([`DetailPane`]), the dialogs ([`Dialog`]), the accepting tasks
//! and their view ([`Tasks`]), the engagement view ([`EngagementView`]), the help
//! ([`Scroll`]), the footer's [`Message`] and the composer ([`ComposeState`]). `update` routes
//! one [`Event`] to the part it is for and collects the [`Effect`]s (requests for the worker,
//! file work, a clipboard copy, quitting). It never awaits, never touches the terminal and
//! never reads the clock ("now" arrives with `Tick`), so every behaviour is a plain `#[test]`.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use super::TuiOptions;
use super::bulk;
use super::cache::CacheKey;
use super::command::Command;
use super::composer::disk::DiskOp;
use super::composer::session::{self, ComposeState};
use super::details::DetailPane;
use super::dialog::{self, Dialog};
use super::engagement::{self, EngagementView};
use super::event::Event;
use super::inbox_input;
use super::keymap::{KeyMap, KeyMode};
use super::layout;
use super::list::ListPane;
use super::listing::Row;
use super::message::Message;
use super::scroll::Scroll;
use super::tasks::{Progress, Tasks};
use super::views::{View, Views};
use super::worker::Request;
use super::{task_events, tasks_view};
use crate::api::answer::Settled;
use crate::api::model::{CATALOG_AWS, InvitationStatus, ParticipantType, Payload};

pub use super::details::DetailState;
pub use super::list::LoadState;
pub use super::message::MessageKind;

/// Which pane keys go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// What `update` asks the outside world to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Request(Request),
    /// Composer file work: the draft and exports.
    Disk(DiskOp),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Ring the terminal bell (new invitations under `--refresh`).
    Bell,
    Quit,
}

/// The whole state of the inbox.
#[derive(Debug)]
pub struct App {
    pub catalog: String,
    pub profile: String,
    pub read_only: bool,
    /// Ring the bell when a refresh finds new invitations (`--refresh` with `bell` on).
    pub bell: bool,
    /// `--local`: the AWS catalog is the emulator's, not the live one.
    pub local: bool,
    /// Received or sent: what the listing lists.
    pub view: ParticipantType,
    /// The views keys `1`…`9` pick.
    pub views: Arc<Views>,
    /// The view picked last (from 0); the header says when the list no longer shows it as
    /// defined.
    pub active_view: usize,
    pub list: ListPane,
    pub detail: DetailPane,
    pub focus: Focus,
    /// The dialog on top of the panes, if any.
    pub dialog: Option<Dialog>,
    /// The help overlay, while open.
    pub help: Option<Scroll>,
    pub message: Option<Message>,
    pub now: DateTime<Utc>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Invitations with an accept or reject on the way.
    pub busy: HashSet<String>,
    /// The accepting tasks (started here or in earlier sessions) and the tasks view.
    pub tasks: Tasks,
    /// The engagement view (`e`), while open.
    pub engagement: Option<EngagementView>,
    /// Invitations marked (`Space`) for a bulk answer.
    pub marks: HashSet<String>,
    /// The composer (`n`), open or keeping its draft.
    pub compose: ComposeState,
    /// The keys in force.
    pub keymap: Arc<KeyMap>,
    /// Where `E` writes its CSV files (the working directory).
    pub export_dir: std::path::PathBuf,
    dirty: bool,
}

impl App {
    pub fn new(options: &TuiOptions, now: DateTime<Utc>) -> App {
        let first = options.views.first();
        let mut list = ListPane::new(options.refresh);
        list.filter = first.filter(String::new(), now);
        App {
            catalog: options.catalog.clone(),
            profile: options.profile.clone(),
            read_only: options.read_only,
            local: options.local,
            view: first.participant.clone(),
            views: Arc::clone(&options.views),
            active_view: 0,
            list,
            bell: options.bell && options.refresh.is_some(),
            detail: DetailPane::default(),
            focus: Focus::List,
            dialog: None,
            help: None,
            message: None,
            now,
            size: (80, 24),
            busy: HashSet::new(),
            tasks: Tasks::default(),
            engagement: None,
            marks: HashSet::new(),
            compose: ComposeState::new(options.export_dir.clone(), options.compose.clone()),
            keymap: Arc::clone(&options.keymap),
            export_dir: options.export_dir.clone(),
            dirty: true,
        }
    }

    /// The first effects: show the cached listing, and list afresh (and open the composer
    /// for `pcinbox compose`); find the accepting tasks of earlier sessions.
    pub fn start(&mut self) -> Vec<Effect> {
        let mut effects = session::start(self);
        effects.extend(self.begin_listing(true, false));
        effects.push(Effect::Request(self.tasks.list(&self.catalog)));
        effects
    }

    /// The last effects, on any way out: the draft's unsaved changes.
    pub fn finish(&mut self) -> Vec<Effect> {
        session::finish(self)
    }

    /// Whether anything on screen changed since the last call.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub fn is_aws(&self) -> bool {
        self.catalog == CATALOG_AWS
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.list.selected_row()
    }

    /// The view picked last, and whether the list still shows it as defined.
    pub fn active_view(&self) -> (&View, bool) {
        let view = self
            .views
            .get(self.active_view)
            .unwrap_or(self.views.first());
        (view, view.is_shown(&self.view, &self.list.filter))
    }

    /// The key table in force now; `None` while every key is typed text (a picker's filter).
    pub fn key_mode(&self) -> Option<KeyMode> {
        if let Some(composer) = self.compose.visible() {
            return composer.key_mode();
        }
        if self.help.is_some() {
            return Some(KeyMode::Help);
        }
        Some(match &self.dialog {
            Some(dialog) => dialog.key_mode(),
            None if self.engagement.is_some() => KeyMode::Engagement,
            None if self.tasks.view.is_some() => KeyMode::Tasks,
            None if self.list.searching => KeyMode::Search,
            None if self.focus == Focus::Detail => KeyMode::Detail,
            None => KeyMode::Inbox,
        })
    }

    pub fn cache_key(&self) -> CacheKey {
        CacheKey {
            profile: self.profile.clone(),
            catalog: self.catalog.clone(),
            view: self.view.clone(),
        }
    }

    /// How many rows the list shows at this size.
    pub fn list_rows(&self) -> usize {
        layout::list_rows(self.size.0, self.size.1, self.focus)
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message::info(text, self.now));
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message::error(text));
    }

    /// Lists the view: within the quotas from the rows shown (or cached), or every page when
    /// `full`.
    pub(super) fn begin_listing(&mut self, with_cache: bool, full: bool) -> Vec<Effect> {
        let cache = with_cache.then(|| self.cache_key());
        self.list
            .begin(&self.catalog, &self.view, cache, full)
            .into_iter()
            .map(Effect::Request)
            .collect()
    }

    /// Empties the screen for another catalog or view and lists it.
    pub(super) fn switch_listing(&mut self) -> Vec<Effect> {
        // Marks belong to the rows of one catalog and view.
        self.marks.clear();
        self.list.clear();
        self.detail.scroll.reset();
        self.focus = Focus::List;
        self.begin_listing(true, false)
    }

    /// After a create: the Sent view of `catalog`, listed afresh so the new invitation shows,
    /// selected once it is listed.
    pub(super) fn show_sent(&mut self, catalog: &str, created: &str) -> Vec<Effect> {
        let switching = self.view != ParticipantType::Sender;
        self.view = ParticipantType::Sender;
        self.list.show_created(created);
        if catalog != self.catalog {
            self.switch_catalog(catalog)
        } else if switching {
            self.switch_listing()
        } else {
            self.begin_listing(false, false)
        }
    }

    pub(super) fn switch_catalog(&mut self, catalog: &str) -> Vec<Effect> {
        self.catalog = catalog.to_owned();
        self.detail.clear();
        self.busy.clear();
        self.tasks.clear();
        self.info(format!("Catalog {catalog}"));
        let mut effects = self.switch_listing();
        effects.push(Effect::Request(self.tasks.list(catalog)));
        effects
    }

    /// After the selection changed (or may have): the detail starts at its top, and is asked for.
    pub(super) fn selection_changed(&mut self, changed: bool) -> Vec<Effect> {
        if changed {
            self.detail.scroll.reset();
        }
        self.request_detail()
    }

    /// Asks for the selected invitation's detail unless it is known or already asked for last,
    /// and for the opportunity its task created.
    pub(super) fn request_detail(&mut self) -> Vec<Effect> {
        let Some(id) = self.list.selected_id() else {
            return Vec::new();
        };
        let opportunity = match self.tasks.progress(&id) {
            Some(Progress::Complete(task)) => task.opportunity_id.clone(),
            _ => None,
        };
        let mut requests: Vec<Request> = self
            .detail
            .request(&self.catalog, &id)
            .into_iter()
            .collect();
        if let Some(opportunity) = opportunity {
            requests.extend(self.tasks.request_opportunity(&self.catalog, &opportunity));
        }
        requests.into_iter().map(Effect::Request).collect()
    }

    /// Whether `a`/`x` would act on the selected row (the footer offers them only then).
    pub fn selection_is_answerable(&self) -> bool {
        self.selected_row().is_some() && self.refuse_answer("answer").is_none()
    }

    /// Why accept/reject cannot apply to the selected row, if so.
    pub(super) fn refuse_answer(&self, verb: &str) -> Option<String> {
        let row = self.selected_row()?;
        if self.read_only {
            return Some(format!(
                "Read-only: {verb} is turned off (started with --read-only)"
            ));
        }
        if self.view == ParticipantType::Sender {
            return Some(format!(
                "You sent this invitation; only its receiver can {verb} it"
            ));
        }
        if self.busy.contains(row.id()) {
            return Some("An answer to this invitation is already on its way".to_owned());
        }
        if self.tasks.busy(row.id()) {
            return Some(
                "A task is accepting this invitation and creating its opportunity".to_owned(),
            );
        }
        match &row.summary.status {
            Some(InvitationStatus::Pending) => None,
            Some(status) => Some(format!(
                "Only PENDING invitations can be answered; this one is {status}"
            )),
            None => Some("This invitation has no status; refresh with r".to_owned()),
        }
    }

    /// An accept or reject (asking for `wanted`) came back: the row takes the invitation's true
    /// status, and the footer says what happened.
    pub(super) fn answered(
        &mut self,
        catalog: &str,
        id: &str,
        wanted: InvitationStatus,
        result: Result<Settled, String>,
    ) -> Vec<Effect> {
        self.busy.remove(id);
        let settled = match result {
            Ok(settled) => settled,
            Err(error) => {
                let doing = if wanted == InvitationStatus::Accepted {
                    "Accepting"
                } else {
                    "Rejecting"
                };
                self.error(format!("{doing} {id} failed: {error}"));
                return Vec::new();
            }
        };
        let told = settled.describe(&wanted, id);
        let status = settled.status(&wanted);
        if matches!(settled, Settled::Already { .. }) {
            self.error(told);
        } else {
            self.info(told);
        }
        if catalog != self.catalog {
            return Vec::new();
        }
        let rows = self.list_rows();
        let changed = self.list.set_status(id, status, rows);
        // The cached detail says PENDING; an answer still on the way is stale too.
        self.detail.forget(id);
        self.selection_changed(changed)
    }

    /// The search finds what the loaded details say too (customer, project): added to each
    /// listed row as its detail arrives, and again after a listing replaced the rows.
    fn search_details(&mut self) {
        for (id, state) in &self.detail.details {
            if let DetailState::Loaded(detail) = state {
                self.list.listing.add_search_text(
                    id,
                    &detail_search_text(detail),
                    &self.list.filter,
                );
            }
        }
    }
}

/// The words of a detail a search should find that the listing's summary does not have.
fn detail_search_text(detail: &super::event::Detail) -> Vec<String> {
    let invitation = &detail.invitation;
    let mut words: Vec<String> = Vec::new();
    match &invitation.payload {
        Some(Payload::OpportunityInvitation(payload)) => {
            words.push(payload.customer.company_name.clone());
            words.push(payload.project.title.clone());
        }
        Some(Payload::LeadInvitation(payload)) => {
            words.push(payload.customer.company_name.clone());
        }
        _ => {}
    }
    words.extend(invitation.engagement_description.clone());
    words
}

/// `ThrottlingException: retrying ListEngagementInvitations in 1.2s (attempt 2 of 5)`.
fn retry_message(notice: &crate::api::client::RetryNotice) -> String {
    format!(
        "{}: retrying {} in {:.1}s (attempt {} of {})",
        notice.code,
        notice.operation.name(),
        notice.delay.as_secs_f64(),
        notice.attempt + 1,
        notice.max_attempts
    )
}

/// Applies one event.
pub fn update(app: &mut App, event: impl Into<Event>) -> Vec<Effect> {
    let event = event.into();
    if !matches!(event, Event::Tick(_)) {
        app.dirty = true;
    }
    if matches!(
        event,
        Event::Command(_) | Event::Key(_) | Event::Paste(_) | Event::Click { .. }
    ) {
        // What the user does next makes the last message stale.
        app.message = None;
    }
    match event {
        Event::Command(command) => command_event(app, command),
        Event::Key(key) => typed(app, key),
        Event::Paste(text) => paste(app, &text),
        Event::Click { column, row } => inbox_input::click(app, column, row),
        Event::Wheel { column, row, down } => inbox_input::wheel(app, column, row, down),
        Event::Resize(width, height) => {
            app.size = (width, height);
            let rows = app.list_rows();
            app.list.scroll(rows);
            Vec::new()
        }
        Event::Tick(now) => tick(app, now),
        Event::Retrying(notice) => {
            app.info(retry_message(&notice));
            Vec::new()
        }
        Event::CacheLoaded {
            generation,
            saved_at,
            summaries,
        } => {
            let rows = app.list_rows();
            if !app.list.cache_loaded(generation, saved_at, summaries, rows) {
                return Vec::new();
            }
            app.search_details();
            app.request_detail()
        }
        Event::ListPage {
            generation,
            summaries,
        } => {
            let rows = app.list_rows();
            if !app.list.page(generation, summaries, rows) {
                return Vec::new();
            }
            app.search_details();
            app.request_detail()
        }
        Event::ListDone { generation } => {
            let rows = app.list_rows();
            let key = app.cache_key();
            let previous = app.list.selected_id();
            let Some(done) = app.list.done(generation, app.now, key, rows) else {
                return Vec::new();
            };
            let mut effects = vec![Effect::Request(done.save)];
            if done.new > 0 {
                let plural = if done.new == 1 { "" } else { "s" };
                app.info(format!("{} new invitation{plural}", done.new));
                if app.bell {
                    effects.push(Effect::Bell);
                }
            } else if done.asked {
                let count = app.list.listing.rows().len();
                app.info(format!("Refreshed: {count} invitations, none new"));
            }
            app.search_details();
            let changed = app.list.selected_id() != previous;
            effects.extend(app.selection_changed(changed));
            // PENDING details in the background: search covers them, their detail opens at once.
            let pending = app
                .list
                .listing
                .rows()
                .iter()
                .filter(|row| row.summary.status == Some(InvitationStatus::Pending));
            let jobs = app
                .detail
                .prefetch(pending.map(|row| row.id().to_owned()).collect::<Vec<_>>());
            if !jobs.is_empty() {
                effects.push(Effect::Request(Request::Prefetch {
                    catalog: app.catalog.clone(),
                    jobs,
                }));
            }
            effects
        }
        Event::ListFailed { generation, error } => {
            if app.list.failed(generation, &error, app.now) {
                app.error(format!("Listing failed: {error}"));
            }
            Vec::new()
        }
        Event::DetailLoaded { seq, id, result } => {
            if let Some(detail) = app.detail.loaded(seq, id.clone(), result) {
                let words = detail_search_text(detail);
                app.list
                    .listing
                    .add_search_text(&id, &words, &app.list.filter);
            }
            Vec::new()
        }
        Event::AcceptDone {
            catalog,
            id,
            result,
        } => app.answered(&catalog, &id, InvitationStatus::Accepted, result),
        Event::RejectDone {
            catalog,
            id,
            reason: _,
            result,
        } => app.answered(&catalog, &id, InvitationStatus::Rejected, result),
        Event::BulkAnswered {
            catalog,
            id,
            wanted,
            result,
        } => bulk::answered(app, &catalog, &id, wanted, result),
        Event::BulkFinished => bulk::finished(app),
        Event::CreateDone {
            client_token,
            result,
        } => session::created(app, &client_token, result),
        event @ (Event::TaskStarted { .. }
        | Event::TaskUpdated { .. }
        | Event::TaskFollowFailed { .. }
        | Event::TasksListed { .. }
        | Event::OpportunityLoaded { .. }
        | Event::EngagementLoaded { .. }) => task_events::update(app, event),
        Event::DraftLoaded { result, warning } => session::draft_loaded(app, result, warning),
        Event::DraftSetAside(path) => {
            // The folder and the file name, not the whole path: the footer is one line, and
            // a cut-off path names no file at all.
            let parent = path.parent().and_then(Path::file_name).unwrap_or_default();
            let name = path.file_name().unwrap_or_default();
            app.info(format!(
                "Earlier unsent draft kept as {}",
                Path::new(parent).join(name).display()
            ));
            Vec::new()
        }
        Event::DraftFileFailed(error) => {
            app.error(error);
            Vec::new()
        }
        Event::Exported { path, result } => {
            match result {
                Ok(()) => app.info(format!("Exported to {}", path.display())),
                Err(error) => app.error(format!("Export to {} failed: {error}", path.display())),
            }
            Vec::new()
        }
    }
}

/// A command, for the part that has the keys.
fn command_event(app: &mut App, command: Command) -> Vec<Effect> {
    if command == Command::Quit {
        return vec![Effect::Quit];
    }
    if app.compose.visible().is_some() {
        return session::command(app, command);
    }
    if let Some(help) = &mut app.help {
        if !help.command(command) && matches!(command, Command::Cancel | Command::Help) {
            app.help = None;
        }
        return Vec::new();
    }
    if app.dialog.is_some() {
        return dialog::command(app, command);
    }
    if app.engagement.is_some() {
        return engagement::command(app, command);
    }
    if app.tasks.view.is_some() {
        return tasks_view::command(app, command);
    }
    if app.list.searching {
        return inbox_input::search_command(app, command);
    }
    inbox_input::command(app, command)
}

/// A key typed into the text input that has focus.
fn typed(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if app.compose.visible().is_some() {
        return session::key(app, key);
    }
    if app.dialog.is_some() {
        dialog::typed(app, key);
        return Vec::new();
    }
    if app.list.searching && app.list.search.key(key) {
        let changed = app.list.search_changed(app.list_rows());
        return app.selection_changed(changed);
    }
    Vec::new()
}

/// Pasted text where text is being typed.
fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    if app.compose.visible().is_some() {
        return session::paste(app, text);
    }
    if app.dialog.is_some() {
        dialog::paste(app, text);
        return Vec::new();
    }
    if app.list.searching {
        app.list.search.insert(text);
        let changed = app.list.search_changed(app.list_rows());
        return app.selection_changed(changed);
    }
    Vec::new()
}

fn tick(app: &mut App, now: DateTime<Utc>) -> Vec<Effect> {
    // Times on screen have minute precision; redraw when one of them can change.
    if now.timestamp() / 60 != app.now.timestamp() / 60 {
        app.dirty = true;
    }
    app.now = now;
    // A running task's time counts up in the row and the footer.
    if !app.tasks.running().is_empty() {
        app.dirty = true;
    }
    if app.message.as_ref().is_some_and(|m| m.expired(now)) {
        app.message = None;
        app.dirty = true;
    }
    // The tick is the autosave's debounce: changes wait at most one tick.
    let mut effects = session::autosave(app);
    if app.list.refresh_due(now) {
        app.dirty = true;
        effects.extend(app.begin_listing(false, false));
    }
    effects
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::EngagementInvitation;
    use crate::tui::event::Detail;
    use crate::tui::fixtures::{self, NOW, cached, inbox, list, page, summary, type_reason};
    use crate::tui::worker::Known;
    use crossterm::event::KeyCode;

    fn options() -> TuiOptions {
        TuiOptions {
            cache_dir: None,
            ..TuiOptions::default()
        }
    }

    fn loaded() -> App {
        fixtures::loaded(&options(), inbox())
    }

    fn selected_id(app: &App) -> String {
        app.selected_row().expect("a selected row").id().to_owned()
    }

    /// The status row `id` shows.
    fn status_of(app: &App, id: &str) -> Option<InvitationStatus> {
        let row = app.list.listing.rows().iter().find(|r| r.id() == id);
        row.expect("the row is listed").summary.status.clone()
    }

    fn select_id(app: &mut App, id: &str) {
        let position = app.list.listing.position_of(id).expect("row shown");
        while app.list.selected < position {
            update(app, Command::Down);
        }
    }

    fn detail_requests(effects: &[Effect]) -> Vec<(u64, String)> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Request(Request::Detail { seq, id, .. }) => Some((*seq, id.clone())),
                _ => None,
            })
            .collect()
    }

    /// Answers detail request `seq` with a PENDING invitation `id`.
    fn load_detail(app: &mut App, seq: u64, id: &str) {
        let invitation = EngagementInvitation {
            id: id.to_owned(),
            status: Some(InvitationStatus::Pending),
            ..EngagementInvitation::default()
        };
        let result = Ok(Box::new(Detail {
            invitation,
            members: Ok(Vec::new()),
        }));
        update(
            app,
            Event::DetailLoaded {
                seq,
                id: id.to_owned(),
                result,
            },
        );
    }

    /// The message shown is an error that says `text`.
    fn assert_error_says(app: &App, text: &str) {
        let message = app.message.as_ref().expect("a message");
        assert_eq!(message.kind, MessageKind::Error);
        assert!(message.text.contains(text), "{}", message.text);
    }

    /// Answers the accept of `id` in the Sandbox catalog with `result`.
    fn accept_done(app: &mut App, id: &str, result: Result<Settled, String>) -> Vec<Effect> {
        update(
            app,
            Event::AcceptDone {
                catalog: "Sandbox".into(),
                id: id.to_owned(),
                result,
            },
        )
    }

    #[test]
    fn filter_and_sort_keep_the_selected_invitation() {
        let mut app = loaded();
        select_id(&mut app, "engi-3d4e5f6a7b8c9"); // PENDING, 4th newest
        assert_eq!(app.list.selected, 3);
        update(&mut app, Command::CycleStatus);
        assert_eq!(app.list.filter.statuses, [InvitationStatus::Pending]);
        assert_eq!(app.list.listing.visible().len(), 5);
        assert_eq!(selected_id(&app), "engi-3d4e5f6a7b8c9");
        assert_eq!(app.list.selected, 2);
        update(&mut app, Command::FlipSort);
        assert_eq!(selected_id(&app), "engi-3d4e5f6a7b8c9");
        assert_eq!(app.list.selected, 2, "third of five either way round");
        update(&mut app, Command::CycleStatus); // Accepted: the selection cannot stay
        assert!(app.list.listing.visible().iter().all(
            |&i| app.list.listing.rows()[i].summary.status == Some(InvitationStatus::Accepted)
        ));
        assert!(app.list.selected < app.list.listing.visible().len());
    }

    #[test]
    fn a_paste_is_typed_text_not_keys() {
        let mut app = loaded();
        // In the list a paste does nothing: its letters are not commands.
        assert!(update(&mut app, Event::Paste("qaxq".into())).is_empty());
        assert!(app.dialog.is_none() && !app.list.searching);
        update(&mut app, Command::Search);
        update(&mut app, Event::Paste("WOOD\n".into()));
        assert_eq!(app.list.filter.search, "wood ");
        update(&mut app, Command::Back);
        update(&mut app, Command::Reject);
        update(&mut app, Event::Paste("Out of\nregion".into()));
        let Some(Dialog::RejectReason { reason, .. }) = &app.dialog else {
            panic!("still asking for the reason: {:?}", app.dialog)
        };
        assert_eq!(reason.text(), "Out of region");
    }

    #[test]
    fn search_filters_as_typed_and_esc_clears_it() {
        let mut app = loaded();
        update(&mut app, Command::Search);
        for c in "WOOD".chars() {
            update(&mut app, Event::Key(KeyEvent::from(KeyCode::Char(c))));
        }
        assert_eq!(app.list.listing.visible().len(), 1);
        assert_eq!(selected_id(&app), "engi-9d0e1f2a3b4c5");
        update(&mut app, Event::Key(KeyEvent::from(KeyCode::Backspace)));
        assert_eq!(app.list.filter.search, "woo");
        update(&mut app, Command::Submit);
        assert!(app.dialog.is_none() && !app.list.searching);
        assert_eq!(
            app.list.listing.visible().len(),
            1,
            "Enter keeps the filter"
        );
        update(&mut app, Command::Back);
        assert_eq!(app.list.listing.visible().len(), 12);
        assert_eq!(
            selected_id(&app),
            "engi-9d0e1f2a3b4c5",
            "still on the found row"
        );
        // An id matches too.
        update(&mut app, Command::Search);
        for c in "engi-4e5f".chars() {
            update(&mut app, Event::Key(KeyEvent::from(KeyCode::Char(c))));
        }
        assert_eq!(selected_id(&app), "engi-4e5f6a7b8c9d0");
        update(&mut app, Command::Back);
        assert!(app.list.filter.search.is_empty());
    }

    #[test]
    fn selection_stays_on_the_same_invitation_across_a_refresh() {
        let mut app = loaded();
        select_id(&mut app, "engi-2c3d4e5f6a7b8");
        let shown = app.list.listing.summaries();
        let effects = update(&mut app, Command::Refresh);
        assert!(effects.contains(&Effect::Request(Request::List {
            generation: 2,
            catalog: "Sandbox".into(),
            view: ParticipantType::Receiver,
            known: Known::Rows(shown),
        })));
        let mut fresh = vec![summary("engi-new0000000001", InvitationStatus::Pending, 0)];
        fresh.extend(inbox());
        page(&mut app, 2, fresh[..4].to_vec());
        assert_eq!(
            app.list.listing.rows().len(),
            12,
            "the old listing stays until the refresh is done"
        );
        page(&mut app, 2, fresh[4..].to_vec());
        let effects = update(&mut app, Event::ListDone { generation: 2 });
        assert_eq!(app.list.listing.rows().len(), 13);
        assert_eq!(selected_id(&app), "engi-2c3d4e5f6a7b8");
        assert_eq!(app.list.selected, 3, "moved down by the new row above it");
        let new: Vec<&str> = app
            .list
            .listing
            .rows()
            .iter()
            .filter(|r| r.is_new)
            .map(|r| r.id())
            .collect();
        assert_eq!(new, ["engi-new0000000001"]);
        assert_eq!(
            app.message.as_ref().map(|m| m.text.as_str()),
            Some("1 new invitation")
        );
        assert!(effects.iter().any(|e| matches!(e, Effect::Request(Request::SaveCache { summaries, .. }) if summaries.len() == 13)));
    }

    #[test]
    fn results_of_an_older_listing_are_dropped() {
        let mut app = loaded();
        update(&mut app, Command::Refresh);
        list(
            &mut app,
            1,
            vec![summary("engi-stale", InvitationStatus::Pending, 0)],
        );
        update(
            &mut app,
            Event::ListFailed {
                generation: 1,
                error: "old".into(),
            },
        );
        assert!(matches!(app.list.load, LoadState::Loading { pages: 0, .. }));
        assert!(app.list.listing.position_of("engi-stale").is_none());
        assert!(app.message.is_none());
    }

    #[test]
    fn a_cached_listing_shows_at_once_marked_stale_until_the_refresh_lands() {
        let mut app = App::new(&options(), *NOW);
        let effects = app.start();
        assert!(matches!(
            effects[0],
            Effect::Request(Request::LoadCache { generation: 1, .. })
        ));
        let saved_at = *NOW - chrono::Duration::hours(3);
        cached(&mut app, saved_at);
        assert_eq!(app.list.listing.rows().len(), 12);
        assert_eq!(app.list.stale_since, Some(saved_at));
        page(&mut app, 1, inbox()[..2].to_vec());
        assert_eq!(
            app.list.listing.rows().len(),
            12,
            "pages wait until the listing is complete"
        );
        update(&mut app, Event::ListDone { generation: 1 });
        assert_eq!(app.list.listing.rows().len(), 2);
        assert_eq!(app.list.stale_since, None);
        // A cache that arrives after fresh rows are on screen is ignored.
        let mut app = App::new(&options(), *NOW);
        app.start();
        page(&mut app, 1, inbox()[..2].to_vec());
        cached(&mut app, saved_at);
        assert_eq!(app.list.listing.rows().len(), 2);
        assert_eq!(app.list.stale_since, None);
    }

    #[test]
    fn moving_requests_details_once_and_keeps_the_selection_on_screen() {
        let rows: Vec<_> = (0..100)
            .map(|n| summary(&format!("engi-{n:03}"), InvitationStatus::Pending, n))
            .collect();
        let mut app = fixtures::loaded(&options(), rows);
        let page = layout::list_rows(80, 24, Focus::List);
        assert_eq!(page, 18);
        let effects = update(&mut app, Command::PageDown);
        assert_eq!(app.list.selected, 18);
        assert_eq!(app.list.offset, 1);
        assert_eq!(detail_requests(&effects).len(), 1);
        update(&mut app, Command::Bottom);
        assert_eq!(app.list.selected, 99);
        assert_eq!(app.list.offset, 100 - 18);
        update(&mut app, Command::Up);
        assert_eq!(
            app.list.offset,
            100 - 18,
            "moving within the page does not scroll"
        );
        update(&mut app, Command::Top);
        assert_eq!((app.list.selected, app.list.offset), (0, 0));
        // Once an answer arrives, coming back to that row asks nothing.
        let effects = update(&mut app, Command::Down);
        let (seq, id) = detail_requests(&effects).pop().unwrap();
        load_detail(&mut app, seq, &id);
        update(&mut app, Command::Up);
        assert!(
            detail_requests(&update(&mut app, Command::Down)).is_empty(),
            "cached"
        );
    }

    #[test]
    fn stale_detail_answers_are_dropped() {
        let mut app = loaded();
        let id = selected_id(&app);
        let first = app.detail.request_of(&id).unwrap();
        update(&mut app, Command::Accept);
        update(&mut app, Command::Down); // accept only
        let effects = update(&mut app, Command::Confirm);
        assert_eq!(
            effects,
            [Effect::Request(Request::Accept {
                catalog: "Sandbox".into(),
                id: id.clone()
            })]
        );
        let effects = accept_done(&mut app, &id, Ok(Settled::Done));
        let (second, _) = detail_requests(&effects)
            .pop()
            .expect("the detail is asked for again");
        assert!(second > first);
        // The answer to the request made before the accept says PENDING: dropped.
        load_detail(&mut app, first, &id);
        assert!(!app.detail.details.contains_key(&id));
        load_detail(&mut app, second, &id);
        assert!(app.detail.details.contains_key(&id));
        // After a catalog switch, nothing from the old catalog is kept.
        update(&mut app, Command::SwitchCatalog);
        update(&mut app, Command::Confirm);
        load_detail(&mut app, second, &id);
        assert!(app.detail.details.is_empty());
    }

    #[test]
    fn accept_asks_first_then_updates_the_row_in_place() {
        let mut app = loaded();
        update(&mut app, Command::CycleStatus); // Pending only
        let id = selected_id(&app);
        let next = app.list.listing.visible_row(1).unwrap().id().to_owned();
        assert!(
            update(&mut app, Command::Accept).is_empty(),
            "nothing is sent before y"
        );
        assert!(
            matches!(&app.dialog, Some(Dialog::AcceptChoice { id: asked, create: true, .. }) if *asked == id)
        );
        update(&mut app, Command::Cancel);
        assert!(app.dialog.is_none() && !app.list.searching);
        update(&mut app, Command::Accept);
        update(&mut app, Command::Down); // accept only
        update(&mut app, Command::Confirm);
        assert!(app.busy.contains(&id));
        accept_done(&mut app, &id, Ok(Settled::Done));
        assert!(!app.busy.contains(&id));
        assert_eq!(status_of(&app, &id), Some(InvitationStatus::Accepted));
        assert_eq!(app.list.listing.counts().pending, 4);
        assert!(
            app.list.listing.position_of(&id).is_none(),
            "it left the Pending view"
        );
        assert_eq!(selected_id(&app), next);
    }

    #[test]
    fn a_failed_accept_leaves_the_row_and_says_why() {
        let mut app = loaded();
        let id = selected_id(&app);
        update(&mut app, Command::Accept);
        update(&mut app, Command::Down); // accept only
        update(&mut app, Command::Confirm);
        accept_done(&mut app, &id, Err("ConflictException: not PENDING".into()));
        assert_eq!(
            app.selected_row().unwrap().summary.status,
            Some(InvitationStatus::Pending)
        );
        assert_error_says(&app, "ConflictException");
    }

    #[test]
    fn an_answer_refused_as_a_conflict_shows_the_true_status() {
        let mut app = loaded();
        let id = selected_id(&app);
        update(&mut app, Command::Accept);
        update(&mut app, Command::Down); // accept only
        update(&mut app, Command::Confirm);
        accept_done(
            &mut app,
            &id,
            Ok(Settled::Already {
                status: InvitationStatus::Rejected,
                conflict: "not PENDING".into(),
            }),
        );
        assert_eq!(status_of(&app, &id), Some(InvitationStatus::Rejected));
        assert_error_says(&app, "was not accepted: it is already REJECTED");
    }

    #[test]
    fn reject_sends_the_typed_reason_or_none() {
        let mut app = loaded();
        let id = selected_id(&app);
        update(&mut app, Command::Reject);
        type_reason(&mut app, "Not our region");
        let effects = update(&mut app, Command::Submit);
        assert_eq!(
            effects,
            [Effect::Request(Request::Reject {
                catalog: "Sandbox".into(),
                id: id.clone(),
                reason: Some("Not our region".into()),
            })]
        );
        update(
            &mut app,
            Event::RejectDone {
                catalog: "Sandbox".into(),
                id: id.clone(),
                reason: None,
                result: Ok(Settled::Done),
            },
        );
        assert_eq!(status_of(&app, &id), Some(InvitationStatus::Rejected));

        update(&mut app, Command::Down);
        let id = selected_id(&app);
        update(&mut app, Command::Reject);
        let effects = update(&mut app, Command::Submit);
        assert_eq!(
            effects,
            [Effect::Request(Request::Reject {
                catalog: "Sandbox".into(),
                id,
                reason: None
            })]
        );
    }

    #[test]
    fn a_reason_the_model_refuses_is_not_sent() {
        let mut app = loaded();
        update(&mut app, Command::Reject);
        type_reason(&mut app, "emoji 😀 is not allowed");
        assert!(update(&mut app, Command::Submit).is_empty());
        let Some(Dialog::RejectReason {
            error: Some(error), ..
        }) = &app.dialog
        else {
            panic!("still asking, with the rule: {:?}", app.dialog)
        };
        assert!(error.starts_with("Reason: "), "{error}");
        assert!(app.busy.is_empty());
        // Typing clears the complaint.
        update(&mut app, Event::Key(KeyEvent::from(KeyCode::Backspace)));
        assert!(matches!(
            app.dialog,
            Some(Dialog::RejectReason { error: None, .. })
        ));
    }

    #[test]
    fn a_retry_is_shown_so_a_slow_service_does_not_look_frozen() {
        let mut app = loaded();
        let effects = update(
            &mut app,
            Event::Retrying(crate::api::client::RetryNotice {
                operation: crate::api::model::Operation::ListEngagementInvitations,
                attempt: 1,
                max_attempts: 5,
                code: "ThrottlingException".into(),
                delay: std::time::Duration::from_millis(1250),
            }),
        );
        assert!(effects.is_empty());
        let message = app.message.as_ref().expect("a message");
        assert_eq!(message.kind, MessageKind::Info);
        assert_eq!(
            message.text,
            "ThrottlingException: retrying ListEngagementInvitations in 1.2s (attempt 2 of 5)"
        );
        assert!(!app.list.listing.is_empty(), "rows shown stay");
    }

    #[test]
    fn read_only_refuses_accept_and_reject() {
        let options = TuiOptions {
            read_only: true,
            ..options()
        };
        let mut app = fixtures::loaded(&options, inbox());
        for action in [Command::Accept, Command::Reject] {
            app.message = None;
            assert!(update(&mut app, action).is_empty());
            assert!(app.dialog.is_none() && !app.list.searching);
            assert_error_says(&app, "--read-only");
        }
    }

    #[test]
    fn only_pending_received_invitations_can_be_answered() {
        let mut app = loaded();
        select_id(&mut app, "engi-2c3d4e5f6a7b8"); // ACCEPTED
        update(&mut app, Command::Accept);
        assert!(app.dialog.is_none() && !app.list.searching);
        assert!(app.message.as_ref().unwrap().text.contains("ACCEPTED"));
        let mut app = loaded();
        update(&mut app, Command::SwitchView);
        page(&mut app, 2, inbox());
        update(&mut app, Command::Reject);
        assert!(app.dialog.is_none() && !app.list.searching);
        assert!(
            app.message
                .as_ref()
                .unwrap()
                .text
                .contains("only its receiver")
        );
    }

    #[test]
    fn going_to_the_aws_catalog_needs_a_yes_and_coming_back_does_not() {
        let mut app = loaded();
        assert!(update(&mut app, Command::SwitchCatalog).is_empty());
        assert!(matches!(app.dialog, Some(Dialog::ConfirmCatalog)));
        update(&mut app, Command::Cancel);
        assert_eq!(app.catalog, "Sandbox");
        update(&mut app, Command::SwitchCatalog);
        let effects = update(&mut app, Command::Confirm);
        assert_eq!(app.catalog, "AWS");
        assert!(app.list.listing.is_empty());
        assert!(effects.contains(&Effect::Request(Request::List {
            generation: 2,
            catalog: "AWS".into(),
            view: ParticipantType::Receiver,
            known: Known::Cached,
        })));
        let effects = update(&mut app, Command::SwitchCatalog);
        assert_eq!(app.catalog, "Sandbox");
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Request(Request::List { generation: 3, .. })))
        );
    }

    #[test]
    fn refresh_interval_relists_in_the_background() {
        let options = TuiOptions {
            refresh: Some(std::time::Duration::from_secs(60)),
            ..options()
        };
        let mut app = fixtures::loaded(&options, inbox());
        assert!(update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(30))).is_empty());
        let effects = update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(61)));
        assert!(matches!(
            effects.as_slice(),
            [Effect::Request(Request::List { generation: 2, .. })]
        ));
        assert!(
            update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(200))).is_empty(),
            "not while loading"
        );
    }

    /// `--refresh` rings the bell when new invitations arrive, unless `bell = false`.
    #[test]
    fn new_invitations_ring_the_bell_under_refresh_unless_turned_off() {
        for (bell, refresh, rings) in [
            (true, true, true),
            (false, true, false),
            (true, false, false),
        ] {
            let options = TuiOptions {
                refresh: refresh.then(|| std::time::Duration::from_secs(60)),
                bell,
                ..options()
            };
            let mut app = fixtures::loaded(&options, inbox());
            update(&mut app, Command::Refresh);
            let mut fresh = vec![summary("engi-new0000000001", InvitationStatus::Pending, 0)];
            fresh.extend(inbox());
            page(&mut app, 2, fresh);
            let effects = update(&mut app, Event::ListDone { generation: 2 });
            assert_eq!(
                effects.contains(&Effect::Bell),
                rings,
                "bell {bell}, refresh {refresh}"
            );
            // Nothing new: no bell.
            update(&mut app, Command::Refresh);
            let mut same = vec![summary("engi-new0000000001", InvitationStatus::Pending, 0)];
            same.extend(inbox());
            page(&mut app, 3, same);
            let effects = update(&mut app, Event::ListDone { generation: 3 });
            assert!(!effects.contains(&Effect::Bell));
        }
    }

    #[test]
    fn messages_expire_and_ticks_redraw_only_when_needed() {
        let mut app = loaded();
        app.take_dirty();
        update(&mut app, Command::CopyId);
        assert!(app.take_dirty());
        assert!(app.message.is_some());
        update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(2)));
        assert!(!app.take_dirty(), "same minute, message still up");
        update(
            &mut app,
            Event::Tick(*NOW + chrono::Duration::seconds(super::super::message::INFO_SECONDS + 1)),
        );
        assert!(app.message.is_none());
        assert!(app.take_dirty());
    }

    #[test]
    fn o_cycles_newest_oldest_and_soonest_deadline_first() {
        let mut app = loaded();
        let header = |app: &App| fixtures::draw(app).lines().next().unwrap_or("").to_owned();
        update(&mut app, Command::FlipSort);
        assert!(header(&app).contains("oldest first"));
        update(&mut app, Command::FlipSort);
        assert!(header(&app).contains("soonest deadline first"));
        let first = app.list.listing.visible()[0];
        let soonest = app.list.listing.rows()[first].summary.expiration_date;
        let pending = |row: &&Row| row.summary.status == Some(InvitationStatus::Pending);
        assert!(
            app.list
                .listing
                .rows()
                .iter()
                .filter(pending)
                .all(|row| row.summary.expiration_date >= soonest),
            "the first row is the PENDING one with the soonest deadline"
        );
        let last = *app.list.listing.visible().last().unwrap();
        assert!(
            !pending(&&app.list.listing.rows()[last]),
            "answered ones go last"
        );
        update(&mut app, Command::FlipSort);
        assert!(header(&app).contains("newest first"));
    }

    #[test]
    fn copy_puts_the_selected_id_on_the_clipboard() {
        let mut app = loaded();
        let id = selected_id(&app);
        assert_eq!(update(&mut app, Command::CopyId), [Effect::Copy(id)]);
    }

    /// A finished listing asks for the PENDING details in the background; their answers are
    /// taken (search covers them), and selecting one not yet answered asks at once.
    #[test]
    fn a_listing_prefetches_the_pending_details() {
        let mut app = App::new(&options(), *NOW);
        app.start();
        update(&mut app, Event::Resize(80, 24));
        page(&mut app, 1, inbox());
        let effects = update(&mut app, Event::ListDone { generation: 1 });
        let Some(Effect::Request(Request::Prefetch { catalog, jobs })) = effects
            .iter()
            .find(|e| matches!(e, Effect::Request(Request::Prefetch { .. })))
        else {
            panic!("no prefetch in {effects:?}");
        };
        assert_eq!(catalog, "Sandbox");
        let mut pending: Vec<String> = inbox()
            .into_iter()
            .filter(|s| s.status == Some(InvitationStatus::Pending))
            .map(|s| s.id)
            .filter(|id| *id != selected_id(&app))
            .collect();
        let mut prefetched: Vec<String> = jobs.iter().map(|(_, id)| id.clone()).collect();
        pending.sort();
        prefetched.sort();
        assert_eq!(
            prefetched, pending,
            "the selected one was asked for already"
        );
        let (seq, id) = jobs[0].clone();
        load_detail(&mut app, seq, &id);
        assert!(matches!(
            app.detail.details.get(&id),
            Some(DetailState::Loaded(_))
        ));
        let (_, waiting) = jobs[1].clone();
        assert!(
            app.detail.request("Sandbox", &waiting).is_some(),
            "selecting a row still waiting for its prefetch asks at once"
        );
    }

    #[test]
    fn enter_and_esc_move_focus_and_scroll_the_detail() {
        let mut app = loaded();
        let effects = app.request_detail();
        assert!(effects.is_empty(), "already asked when the listing arrived");
        let id = selected_id(&app);
        let seq = app.detail.request_of(&id).unwrap();
        update(
            &mut app,
            Event::DetailLoaded {
                seq,
                id: id.clone(),
                result: Ok(Box::new(Detail {
                    invitation: crate::tui::fixtures::opportunity_detail(),
                    members: Ok(Vec::new()),
                })),
            },
        );
        update(&mut app, Command::Open);
        assert_eq!(app.focus, Focus::Detail);
        update(&mut app, Command::Down);
        assert_eq!(app.detail.scroll.first(), 1);
        assert_eq!(app.list.selected, 0, "keys scroll the detail, not the list");
        // The end is where the last frame measured it: no layout per key.
        fixtures::draw(&app);
        update(&mut app, Command::Bottom);
        let bottom = app.detail.scroll.first();
        assert!(bottom > 1, "the detail is longer than the pane");
        update(&mut app, Command::Down);
        assert_eq!(app.detail.scroll.first(), bottom, "not past the end");
        let screen = fixtures::draw(&app);
        assert!(
            screen.contains("Engagement members"),
            "the last lines show:\n{screen}"
        );
        update(&mut app, Command::Back);
        assert_eq!(app.focus, Focus::List);
    }
}
