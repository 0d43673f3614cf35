//! The inbox's state and [`update`], the only place it changes.
//!
//! `update` turns one [`Action`] into new state plus [`Effect`]s (requests for the worker, a
//! clipboard copy, quitting). It never awaits, never touches the terminal and never reads the
//! clock ("now" arrives with `Tick`), so every behaviour is a plain `#[test]`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use ratatui::widgets::Block;
use ratatui_textarea::TextArea;

use super::TuiOptions;
use super::action::{Action, Detail};
use super::cache::CacheKey;
use super::composer::disk::DiskOp;
use super::composer::session::{self, ComposeState};
use super::layout;
use super::listing::{Filter, Incoming, Listing, Row};
use super::worker::Request;
use crate::api::answer::Settled;
use crate::api::model::{CATALOG_AWS, CATALOG_SANDBOX, InvitationStatus, ParticipantType};
use crate::api::validate::validate_shape;

/// How long a transient message stays in the footer.
const MESSAGE_SECONDS: i64 = 6;
/// The model's shape of a rejection reason: checked before sending, its room shown as typed.
pub(super) const REASON_SHAPE: &str = "RejectionReasonString";

/// The rejection reason as it is sent: its lines joined, trimmed.
pub(super) fn reason_text(reason: &TextArea) -> String {
    reason.lines().join(" ").trim().to_owned()
}

/// Which pane keys go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// What the keyboard is doing right now.
#[derive(Debug)]
pub enum Mode {
    Normal,
    /// Typing a search; the list filters as it is typed.
    Search,
    Help,
    ConfirmAccept {
        id: String,
        title: String,
    },
    /// Going to the live AWS catalog needs a yes.
    ConfirmCatalog,
    RejectReason {
        id: String,
        title: String,
        reason: Box<TextArea<'static>>,
        /// Why the reason was refused, shown under the field.
        error: Option<String>,
    },
}

/// The detail of one invitation, once asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum DetailState {
    Loaded(Box<Detail>),
    Failed(String),
}

/// Where the listing is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadState {
    Idle,
    Loading { pages: usize, rows: usize },
    Failed(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

/// A transient footer message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub kind: MessageKind,
    pub until: DateTime<Utc>,
}

/// What `update` asks the outside world to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Request(Request),
    /// Composer file work: the draft and exports.
    Disk(DiskOp),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    Quit,
}

/// The whole state of the inbox.
#[derive(Debug)]
pub struct App {
    pub catalog: String,
    pub profile: String,
    pub read_only: bool,
    pub view: ParticipantType,
    pub filter: Filter,
    /// The search as typed (the filter holds it lowercased).
    pub search_input: String,
    pub listing: Listing,
    /// Display position of the selected row.
    pub selected: usize,
    /// Display position of the first row on screen.
    pub list_offset: usize,
    pub focus: Focus,
    pub mode: Mode,
    pub details: HashMap<String, DetailState>,
    pub detail_scroll: usize,
    pub raw_json: bool,
    pub load: LoadState,
    /// When the listing on screen was cached, while it is not refreshed yet.
    pub stale_since: Option<DateTime<Utc>>,
    pub message: Option<Message>,
    pub now: DateTime<Utc>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Invitations with an accept or reject on the way.
    pub busy: HashSet<String>,
    /// The composer (`n`), open or keeping its draft.
    pub compose: ComposeState,
    refresh_every: Option<chrono::Duration>,
    next_refresh: Option<DateTime<Utc>>,
    /// Bumped by every new listing; results of older ones are dropped.
    generation: u64,
    /// Pages of a refresh, swapped in when it completes (and marked new against the rows on
    /// screen); `None` while pages go straight to the screen (nothing was shown when the
    /// listing started).
    incoming: Option<Incoming>,
    /// The invitation to select when the running listing completes: the one just created.
    select_when_listed: Option<String>,
    detail_seq: u64,
    /// The newest detail request per invitation; an answer to an older one is stale.
    requested: HashMap<String, u64>,
    dirty: bool,
}

impl App {
    pub fn new(options: &TuiOptions, now: DateTime<Utc>) -> App {
        App {
            catalog: options.catalog.clone(),
            profile: options.profile.clone(),
            read_only: options.read_only,
            view: ParticipantType::Receiver,
            filter: Filter::default(),
            search_input: String::new(),
            listing: Listing::default(),
            selected: 0,
            list_offset: 0,
            focus: Focus::List,
            mode: Mode::Normal,
            details: HashMap::new(),
            detail_scroll: 0,
            raw_json: false,
            load: LoadState::Idle,
            stale_since: None,
            message: None,
            now,
            size: (80, 24),
            busy: HashSet::new(),
            compose: ComposeState::new(options.export_dir.clone(), options.compose.clone()),
            refresh_every: options
                .refresh
                .and_then(|every| chrono::Duration::from_std(every).ok()),
            next_refresh: None,
            generation: 0,
            incoming: None,
            select_when_listed: None,
            detail_seq: 0,
            requested: HashMap::new(),
            dirty: true,
        }
    }

    /// The first effects: show the cached listing, and list afresh (and open the composer
    /// for `pcinbox compose`).
    pub fn start(&mut self) -> Vec<Effect> {
        let mut effects = session::start(self);
        effects.extend(self.begin_listing(true));
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
        self.listing.visible_row(self.selected)
    }

    fn selected_id(&self) -> Option<String> {
        self.selected_row().map(|row| row.id().to_owned())
    }

    /// Whether the detail of `id` was asked for and has not arrived.
    pub fn detail_loading(&self, id: &str) -> bool {
        self.requested.contains_key(id) && !self.details.contains_key(id)
    }

    pub fn cache_key(&self) -> CacheKey {
        CacheKey {
            profile: self.profile.clone(),
            catalog: self.catalog.clone(),
            view: self.view.clone(),
        }
    }

    fn list_rows(&self) -> usize {
        layout::list_rows(self.size.0, self.size.1, self.focus)
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.set_message(text.into(), MessageKind::Info);
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.set_message(text.into(), MessageKind::Error);
    }

    fn set_message(&mut self, text: String, kind: MessageKind) {
        self.message = Some(Message {
            text,
            kind,
            until: self.now + chrono::Duration::seconds(MESSAGE_SECONDS),
        });
    }

    fn begin_listing(&mut self, with_cache: bool) -> Vec<Effect> {
        self.generation += 1;
        let shown = !self.listing.is_empty();
        self.incoming = shown.then(|| self.listing.incoming());
        self.load = LoadState::Loading { pages: 0, rows: 0 };
        self.next_refresh = None;
        let mut effects = Vec::new();
        if with_cache {
            effects.push(Effect::Request(Request::LoadCache {
                generation: self.generation,
                key: self.cache_key(),
            }));
        }
        effects.push(Effect::Request(Request::List {
            generation: self.generation,
            catalog: self.catalog.clone(),
            view: self.view.clone(),
        }));
        effects
    }

    /// Empties the screen for another catalog or view and lists it.
    fn switch_listing(&mut self) -> Vec<Effect> {
        self.listing.clear();
        self.stale_since = None;
        self.selected = 0;
        self.list_offset = 0;
        self.detail_scroll = 0;
        self.focus = Focus::List;
        self.begin_listing(true)
    }

    /// After a create: the Sent view of `catalog`, listed afresh so the new invitation shows,
    /// selected once it is listed.
    pub(super) fn show_sent(&mut self, catalog: &str, created: &str) -> Vec<Effect> {
        let switching = self.view != ParticipantType::Sender;
        self.view = ParticipantType::Sender;
        self.select_when_listed = Some(created.to_owned());
        // A new invitation is PENDING: a filter that would hide it goes, or "created" would
        // point at a row nobody can see.
        if self
            .filter
            .status
            .as_ref()
            .is_some_and(|status| *status != InvitationStatus::Pending)
        {
            self.filter.status = None;
        }
        self.search_input.clear();
        self.filter.search.clear();
        if catalog != self.catalog {
            self.switch_catalog(catalog)
        } else if switching {
            self.switch_listing()
        } else {
            self.begin_listing(false)
        }
    }

    fn switch_catalog(&mut self, catalog: &str) -> Vec<Effect> {
        self.catalog = catalog.to_owned();
        self.details.clear();
        self.requested.clear();
        self.busy.clear();
        self.info(format!("Catalog {catalog}"));
        self.switch_listing()
    }

    /// After the visible rows changed: keep `previous` selected if it is still shown, else stay
    /// at the same position (so a row leaving the view selects the next one).
    fn reselect(&mut self, previous: Option<String>) -> Vec<Effect> {
        let position = previous
            .as_deref()
            .and_then(|id| {
                // Usually the selected row did not move (a page arrived below it).
                let stayed = self
                    .listing
                    .visible_row(self.selected)
                    .is_some_and(|row| row.id() == id);
                if stayed {
                    Some(self.selected)
                } else {
                    self.listing.position_of(id)
                }
            })
            .unwrap_or(self.selected);
        self.selected = position.min(self.listing.visible().len().saturating_sub(1));
        self.scroll_list();
        if self.selected_id() != previous {
            self.detail_scroll = 0;
        }
        self.request_detail()
    }

    fn select(&mut self, position: usize) -> Vec<Effect> {
        let last = self.listing.visible().len().saturating_sub(1);
        let position = position.min(last);
        if position == self.selected {
            return Vec::new();
        }
        self.selected = position;
        self.detail_scroll = 0;
        self.scroll_list();
        self.request_detail()
    }

    /// Moves the list's first row just enough to keep the selection on screen.
    fn scroll_list(&mut self) {
        self.list_offset = scroll_offset(
            self.list_offset,
            self.selected,
            self.list_rows(),
            self.listing.visible().len(),
        );
    }

    /// Asks for the selected invitation's detail unless it is known or already asked for last.
    fn request_detail(&mut self) -> Vec<Effect> {
        let Some(id) = self.selected_id() else {
            return Vec::new();
        };
        if self.details.contains_key(&id) || self.requested.get(&id) == Some(&self.detail_seq) {
            return Vec::new();
        }
        self.detail_seq += 1;
        self.requested.insert(id.clone(), self.detail_seq);
        vec![Effect::Request(Request::Detail {
            seq: self.detail_seq,
            catalog: self.catalog.clone(),
            id,
        })]
    }

    fn apply_filter(&mut self) -> Vec<Effect> {
        let previous = self.selected_id();
        self.listing.apply(&self.filter);
        self.reselect(previous)
    }

    /// Whether `a`/`x` would act on the selected row (the footer offers them only then).
    pub fn selection_is_answerable(&self) -> bool {
        self.selected_row().is_some() && self.refuse_answer("answer").is_none()
    }

    /// Why accept/reject cannot apply to the selected row, if so.
    fn refuse_answer(&self, verb: &str) -> Option<String> {
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
        match &row.summary.status {
            Some(InvitationStatus::Pending) => None,
            Some(status) => Some(format!(
                "Only PENDING invitations can be answered; this one is {status}"
            )),
            None => Some("This invitation has no status; refresh with r".to_owned()),
        }
    }

    fn scroll_detail(&mut self, to: impl FnOnce(usize, usize) -> usize) {
        let (width, height) = layout::detail_text_size(self.size.0, self.size.1, self.focus);
        let lines = super::detail::lines(self, width).len();
        let max = lines.saturating_sub(usize::from(height));
        self.detail_scroll = to(self.detail_scroll, usize::from(height)).min(max);
    }

    /// An accept or reject (asking for `wanted`) came back: the row takes the invitation's true
    /// status, and the footer says what happened.
    fn answered(
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
        let previous = self.selected_id();
        self.listing.set_status(id, status, &self.filter);
        // The cached detail says PENDING; an answer still on the way is stale too.
        self.details.remove(id);
        self.requested.remove(id);
        self.reselect(previous)
    }
}

/// The first row to show so that `selected` is on screen, moving `offset` as little as possible.
pub fn scroll_offset(offset: usize, selected: usize, rows: usize, len: usize) -> usize {
    let rows = rows.max(1);
    let offset = offset.min(len.saturating_sub(rows));
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
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

/// Pasted text where text is being typed; a line break in one-line input is a space.
fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    if app.compose.visible().is_some() {
        return session::paste(app, text);
    }
    let one_line = || text.chars().map(|c| if c.is_control() { ' ' } else { c });
    match &mut app.mode {
        Mode::Search => {
            app.search_input.extend(one_line());
            app.filter.search = app.search_input.to_lowercase();
            app.apply_filter()
        }
        Mode::RejectReason { reason, error, .. } => {
            reason.insert_str(one_line().collect::<String>());
            *error = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Applies one action.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if !matches!(action, Action::Tick(_)) {
        app.dirty = true;
    }
    match action {
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => navigate(app, action),
        Action::Open => {
            if app.selected_row().is_none() {
                return Vec::new();
            }
            app.focus = Focus::Detail;
            app.request_detail()
        }
        Action::Back => {
            if matches!(app.mode, Mode::Search) {
                app.mode = Mode::Normal;
                app.search_input.clear();
                app.filter.search.clear();
                return app.apply_filter();
            }
            if app.focus == Focus::Detail {
                app.focus = Focus::List;
                app.scroll_list();
            } else if !app.filter.search.is_empty() {
                app.search_input.clear();
                app.filter.search.clear();
                return app.apply_filter();
            }
            Vec::new()
        }
        Action::SwitchFocus => {
            app.focus = match app.focus {
                Focus::List => Focus::Detail,
                Focus::Detail => Focus::List,
            };
            app.scroll_list();
            Vec::new()
        }
        Action::CycleStatus => {
            app.filter.status = app.filter.next_status();
            app.apply_filter()
        }
        Action::FlipSort => {
            app.filter.newest_first = !app.filter.newest_first;
            app.apply_filter()
        }
        Action::SwitchView => {
            app.view = match app.view {
                ParticipantType::Sender => ParticipantType::Receiver,
                _ => ParticipantType::Sender,
            };
            app.switch_listing()
        }
        Action::SwitchCatalog => {
            if app.is_aws() {
                app.switch_catalog(CATALOG_SANDBOX)
            } else {
                app.mode = Mode::ConfirmCatalog;
                Vec::new()
            }
        }
        Action::StartSearch => {
            app.mode = Mode::Search;
            app.focus = Focus::List;
            Vec::new()
        }
        Action::SearchChar(c) => {
            app.search_input.push(c);
            app.filter.search = app.search_input.to_lowercase();
            app.apply_filter()
        }
        Action::SearchBackspace => {
            app.search_input.pop();
            app.filter.search = app.search_input.to_lowercase();
            app.apply_filter()
        }
        Action::KeepSearch => {
            app.mode = Mode::Normal;
            Vec::new()
        }
        Action::Accept => {
            if let Some(refusal) = app.refuse_answer("accept") {
                app.error(refusal);
            } else if let Some(row) = app.selected_row() {
                app.mode = Mode::ConfirmAccept {
                    id: row.id().to_owned(),
                    title: row.summary.engagement_title.clone().unwrap_or_default(),
                };
            }
            Vec::new()
        }
        Action::Reject => {
            if let Some(refusal) = app.refuse_answer("reject") {
                app.error(refusal);
            } else if let Some(row) = app.selected_row() {
                let mut reason = TextArea::default();
                reason.set_placeholder_text("optional: why this is not a fit");
                reason.set_block(Block::bordered().border_style(super::theme::border(true)));
                app.mode = Mode::RejectReason {
                    id: row.id().to_owned(),
                    title: row.summary.engagement_title.clone().unwrap_or_default(),
                    reason: Box::new(reason),
                    error: None,
                };
            }
            Vec::new()
        }
        Action::Confirm => match std::mem::replace(&mut app.mode, Mode::Normal) {
            Mode::ConfirmAccept { id, .. } => {
                app.busy.insert(id.clone());
                app.info(format!("Accepting {id}…"));
                vec![Effect::Request(Request::Accept {
                    catalog: app.catalog.clone(),
                    id,
                })]
            }
            Mode::ConfirmCatalog => app.switch_catalog(CATALOG_AWS),
            other => {
                app.mode = other;
                Vec::new()
            }
        },
        Action::Cancel => {
            app.mode = Mode::Normal;
            Vec::new()
        }
        Action::ReasonInput(input) => {
            if let Mode::RejectReason { reason, error, .. } = &mut app.mode {
                reason.input(input);
                *error = None;
            }
            Vec::new()
        }
        Action::SubmitReason => submit_reason(app),
        Action::Compose => session::compose(app),
        Action::ComposerKey(key) => session::key(app, key),
        Action::Paste(text) => paste(app, &text),
        Action::CreateDone {
            client_token,
            result,
        } => session::created(app, &client_token, result),
        Action::DraftLoaded { result, warning } => session::draft_loaded(app, result, warning),
        Action::DraftSetAside(path) => {
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
        Action::DraftFileFailed(error) => {
            app.error(error);
            Vec::new()
        }
        Action::Exported { path, result } => {
            match result {
                Ok(()) => app.info(format!("Exported to {}", path.display())),
                Err(error) => app.error(format!("Export to {} failed: {error}", path.display())),
            }
            Vec::new()
        }
        Action::Refresh => {
            app.details
                .retain(|_, detail| !matches!(detail, DetailState::Failed(_)));
            let mut effects = app.begin_listing(false);
            effects.extend(app.request_detail());
            effects
        }
        Action::CopyId => match app.selected_id() {
            Some(id) => {
                app.info(format!("Copied {id} to the clipboard"));
                vec![Effect::Copy(id)]
            }
            None => Vec::new(),
        },
        Action::ToggleRawJson => {
            app.raw_json = !app.raw_json;
            app.detail_scroll = 0;
            Vec::new()
        }
        Action::ToggleHelp => {
            app.mode = match app.mode {
                Mode::Help => Mode::Normal,
                _ => Mode::Help,
            };
            Vec::new()
        }
        Action::Quit => vec![Effect::Quit],
        Action::Resize(width, height) => {
            app.size = (width, height);
            app.scroll_list();
            Vec::new()
        }
        Action::Tick(now) => tick(app, now),
        Action::Retrying(notice) => {
            app.info(retry_message(&notice));
            Vec::new()
        }
        Action::CacheLoaded {
            generation,
            saved_at,
            summaries,
        } => {
            // Only while nothing fresher is on screen.
            if generation != app.generation || !app.listing.is_empty() {
                return Vec::new();
            }
            let rows = summaries.into_iter().map(Row::new).collect();
            app.listing.replace(rows, &app.filter);
            app.stale_since = Some(saved_at);
            app.incoming = Some(app.listing.incoming());
            app.reselect(None)
        }
        Action::ListPage {
            generation,
            summaries,
        } => {
            if generation != app.generation {
                return Vec::new();
            }
            if let LoadState::Loading { pages, rows } = &mut app.load {
                *pages += 1;
                *rows += summaries.len();
            }
            match &mut app.incoming {
                Some(incoming) => {
                    app.listing.receive(incoming, summaries);
                    Vec::new()
                }
                None => {
                    let previous = app.selected_id();
                    app.listing
                        .extend(summaries.into_iter().map(Row::new), &app.filter);
                    app.reselect(previous)
                }
            }
        }
        Action::ListDone { generation } => list_done(app, generation),
        Action::ListFailed { generation, error } => {
            if generation != app.generation {
                return Vec::new();
            }
            app.incoming = None;
            app.load = LoadState::Failed(error.clone());
            app.error(format!("Listing failed: {error}"));
            app.schedule_refresh();
            Vec::new()
        }
        Action::DetailLoaded { seq, id, result } => {
            if app.requested.get(&id) != Some(&seq) {
                return Vec::new();
            }
            let state = match result {
                Ok(detail) => DetailState::Loaded(detail),
                Err(error) => DetailState::Failed(error),
            };
            app.details.insert(id, state);
            Vec::new()
        }
        Action::AcceptDone {
            catalog,
            id,
            result,
        } => app.answered(&catalog, &id, InvitationStatus::Accepted, result),
        Action::RejectDone {
            catalog,
            id,
            reason: _,
            result,
        } => app.answered(&catalog, &id, InvitationStatus::Rejected, result),
    }
}

fn navigate(app: &mut App, action: Action) -> Vec<Effect> {
    if app.focus == Focus::Detail {
        app.scroll_detail(|scroll, page| match action {
            Action::Up => scroll.saturating_sub(1),
            Action::Down => scroll + 1,
            Action::PageUp => scroll.saturating_sub(page),
            Action::PageDown => scroll + page,
            Action::Top => 0,
            _ => usize::MAX,
        });
        return Vec::new();
    }
    let page = app.list_rows();
    let to = match action {
        Action::Up => app.selected.saturating_sub(1),
        Action::Down => app.selected + 1,
        Action::PageUp => app.selected.saturating_sub(page),
        Action::PageDown => app.selected + page,
        Action::Top => 0,
        _ => usize::MAX,
    };
    app.select(to)
}

fn submit_reason(app: &mut App) -> Vec<Effect> {
    let Mode::RejectReason {
        id, reason, error, ..
    } = &mut app.mode
    else {
        return Vec::new();
    };
    let text = reason_text(reason);
    if !text.is_empty() {
        let violations = validate_shape(
            REASON_SHAPE,
            &serde_json::Value::String(text.clone()),
            // Named as the dialog names it.
            "Reason",
        );
        if !violations.is_empty() {
            let messages: Vec<String> = violations.iter().map(ToString::to_string).collect();
            *error = Some(messages.join("; "));
            return Vec::new();
        }
    }
    let id = id.clone();
    app.mode = Mode::Normal;
    app.busy.insert(id.clone());
    app.info(format!("Rejecting {id}…"));
    vec![Effect::Request(Request::Reject {
        catalog: app.catalog.clone(),
        id,
        reason: (!text.is_empty()).then_some(text),
    })]
}

fn list_done(app: &mut App, generation: u64) -> Vec<Effect> {
    if generation != app.generation {
        return Vec::new();
    }
    let created = app.select_when_listed.take();
    let previous = created.clone().or_else(|| app.selected_id());
    if let Some(incoming) = app.incoming.take() {
        let mut new = app.listing.finish(incoming, &app.filter);
        // The invitation just created is selected, not announced: "1 new invitation" would
        // replace the "Sent: … created" message.
        if let Some(id) = &created
            && app
                .listing
                .rows()
                .iter()
                .any(|row| row.id() == id && row.is_new)
        {
            app.listing.clear_new(id);
            new -= 1;
        }
        if new > 0 {
            let plural = if new == 1 { "" } else { "s" };
            app.info(format!("{new} new invitation{plural}"));
        }
    }
    app.load = LoadState::Idle;
    app.stale_since = None;
    app.schedule_refresh();
    let mut effects = vec![Effect::Request(Request::SaveCache {
        key: app.cache_key(),
        saved_at: app.now,
        summaries: app.listing.summaries(),
    })];
    effects.extend(app.reselect(previous));
    effects
}

fn tick(app: &mut App, now: DateTime<Utc>) -> Vec<Effect> {
    // Times on screen have minute precision; redraw when one of them can change.
    if now.timestamp() / 60 != app.now.timestamp() / 60 {
        app.dirty = true;
    }
    app.now = now;
    if app.message.as_ref().is_some_and(|m| m.until <= now) {
        app.message = None;
        app.dirty = true;
    }
    // The tick is the autosave's debounce: changes wait at most one tick.
    let mut effects = session::autosave(app);
    if app.next_refresh.is_some_and(|at| at <= now)
        && !matches!(app.load, LoadState::Loading { .. })
    {
        app.dirty = true;
        effects.extend(app.begin_listing(false));
    }
    effects
}

impl App {
    fn schedule_refresh(&mut self) {
        self.next_refresh = self.refresh_every.map(|every| self.now + every);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::EngagementInvitation;
    use crate::tui::fixtures::{self, NOW, cached, inbox, list, page, summary, type_reason};

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

    fn select_id(app: &mut App, id: &str) {
        let position = app.listing.position_of(id).expect("row shown");
        while app.selected < position {
            update(app, Action::Down);
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
            Action::DetailLoaded {
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
            Action::AcceptDone {
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
        assert_eq!(app.selected, 3);
        update(&mut app, Action::CycleStatus);
        assert_eq!(app.filter.status, Some(InvitationStatus::Pending));
        assert_eq!(app.listing.visible().len(), 5);
        assert_eq!(selected_id(&app), "engi-3d4e5f6a7b8c9");
        assert_eq!(app.selected, 2);
        update(&mut app, Action::FlipSort);
        assert_eq!(selected_id(&app), "engi-3d4e5f6a7b8c9");
        assert_eq!(app.selected, 2, "third of five either way round");
        update(&mut app, Action::CycleStatus); // Accepted: the selection cannot stay
        assert!(
            app.listing
                .visible()
                .iter()
                .all(|&i| app.listing.rows()[i].summary.status == Some(InvitationStatus::Accepted))
        );
        assert!(app.selected < app.listing.visible().len());
    }

    #[test]
    fn a_paste_is_typed_text_not_keys() {
        let mut app = loaded();
        // In the list a paste does nothing: its letters are not commands.
        assert!(update(&mut app, Action::Paste("qaxq".into())).is_empty());
        assert!(matches!(app.mode, Mode::Normal));
        update(&mut app, Action::StartSearch);
        update(&mut app, Action::Paste("WOOD\n".into()));
        assert_eq!(app.filter.search, "wood ");
        update(&mut app, Action::Back);
        update(&mut app, Action::Reject);
        update(&mut app, Action::Paste("Out of\nregion".into()));
        let Mode::RejectReason { reason, .. } = &app.mode else {
            panic!("still asking for the reason: {:?}", app.mode)
        };
        assert_eq!(reason.lines(), ["Out of region"]);
    }

    #[test]
    fn search_filters_as_typed_and_esc_clears_it() {
        let mut app = loaded();
        update(&mut app, Action::StartSearch);
        for c in "WOOD".chars() {
            update(&mut app, Action::SearchChar(c));
        }
        assert_eq!(app.listing.visible().len(), 1);
        assert_eq!(selected_id(&app), "engi-9d0e1f2a3b4c5");
        update(&mut app, Action::SearchBackspace);
        assert_eq!(app.filter.search, "woo");
        update(&mut app, Action::KeepSearch);
        assert!(matches!(app.mode, Mode::Normal));
        assert_eq!(app.listing.visible().len(), 1, "Enter keeps the filter");
        update(&mut app, Action::Back);
        assert_eq!(app.listing.visible().len(), 12);
        assert_eq!(
            selected_id(&app),
            "engi-9d0e1f2a3b4c5",
            "still on the found row"
        );
        // An id matches too.
        update(&mut app, Action::StartSearch);
        for c in "engi-4e5f".chars() {
            update(&mut app, Action::SearchChar(c));
        }
        assert_eq!(selected_id(&app), "engi-4e5f6a7b8c9d0");
        update(&mut app, Action::Back);
        assert!(app.filter.search.is_empty());
    }

    #[test]
    fn selection_stays_on_the_same_invitation_across_a_refresh() {
        let mut app = loaded();
        select_id(&mut app, "engi-2c3d4e5f6a7b8");
        let effects = update(&mut app, Action::Refresh);
        assert!(effects.contains(&Effect::Request(Request::List {
            generation: 2,
            catalog: "Sandbox".into(),
            view: ParticipantType::Receiver,
        })));
        let mut fresh = vec![summary("engi-new0000000001", InvitationStatus::Pending, 0)];
        fresh.extend(inbox());
        page(&mut app, 2, fresh[..4].to_vec());
        assert_eq!(
            app.listing.rows().len(),
            12,
            "the old listing stays until the refresh is done"
        );
        page(&mut app, 2, fresh[4..].to_vec());
        let effects = update(&mut app, Action::ListDone { generation: 2 });
        assert_eq!(app.listing.rows().len(), 13);
        assert_eq!(selected_id(&app), "engi-2c3d4e5f6a7b8");
        assert_eq!(app.selected, 3, "moved down by the new row above it");
        let new: Vec<&str> = app
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
        update(&mut app, Action::Refresh);
        list(
            &mut app,
            1,
            vec![summary("engi-stale", InvitationStatus::Pending, 0)],
        );
        update(
            &mut app,
            Action::ListFailed {
                generation: 1,
                error: "old".into(),
            },
        );
        assert!(matches!(app.load, LoadState::Loading { pages: 0, .. }));
        assert!(app.listing.position_of("engi-stale").is_none());
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
        assert_eq!(app.listing.rows().len(), 12);
        assert_eq!(app.stale_since, Some(saved_at));
        page(&mut app, 1, inbox()[..2].to_vec());
        assert_eq!(
            app.listing.rows().len(),
            12,
            "pages wait until the listing is complete"
        );
        update(&mut app, Action::ListDone { generation: 1 });
        assert_eq!(app.listing.rows().len(), 2);
        assert_eq!(app.stale_since, None);
        // A cache that arrives after fresh rows are on screen is ignored.
        let mut app = App::new(&options(), *NOW);
        app.start();
        page(&mut app, 1, inbox()[..2].to_vec());
        cached(&mut app, saved_at);
        assert_eq!(app.listing.rows().len(), 2);
        assert_eq!(app.stale_since, None);
    }

    #[test]
    fn moving_requests_details_once_and_keeps_the_selection_on_screen() {
        let rows: Vec<_> = (0..100)
            .map(|n| summary(&format!("engi-{n:03}"), InvitationStatus::Pending, n))
            .collect();
        let mut app = fixtures::loaded(&options(), rows);
        let page = layout::list_rows(80, 24, Focus::List);
        assert_eq!(page, 18);
        let effects = update(&mut app, Action::PageDown);
        assert_eq!(app.selected, 18);
        assert_eq!(app.list_offset, 1);
        assert_eq!(detail_requests(&effects).len(), 1);
        update(&mut app, Action::Bottom);
        assert_eq!(app.selected, 99);
        assert_eq!(app.list_offset, 100 - 18);
        update(&mut app, Action::Up);
        assert_eq!(
            app.list_offset,
            100 - 18,
            "moving within the page does not scroll"
        );
        update(&mut app, Action::Top);
        assert_eq!((app.selected, app.list_offset), (0, 0));
        // Once an answer arrives, coming back to that row asks nothing.
        let effects = update(&mut app, Action::Down);
        let (seq, id) = detail_requests(&effects).pop().unwrap();
        load_detail(&mut app, seq, &id);
        update(&mut app, Action::Up);
        assert!(
            detail_requests(&update(&mut app, Action::Down)).is_empty(),
            "cached"
        );
    }

    #[test]
    fn stale_detail_answers_are_dropped() {
        let mut app = loaded();
        let id = selected_id(&app);
        let first = app.requested[&id];
        update(&mut app, Action::Accept);
        let effects = update(&mut app, Action::Confirm);
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
        assert!(!app.details.contains_key(&id));
        load_detail(&mut app, second, &id);
        assert!(app.details.contains_key(&id));
        // After a catalog switch, nothing from the old catalog is kept.
        update(&mut app, Action::SwitchCatalog);
        update(&mut app, Action::Confirm);
        load_detail(&mut app, second, &id);
        assert!(app.details.is_empty());
    }

    #[test]
    fn accept_asks_first_then_updates_the_row_in_place() {
        let mut app = loaded();
        update(&mut app, Action::CycleStatus); // Pending only
        let id = selected_id(&app);
        let next = app.listing.visible_row(1).unwrap().id().to_owned();
        assert!(
            update(&mut app, Action::Accept).is_empty(),
            "nothing is sent before y"
        );
        assert!(matches!(&app.mode, Mode::ConfirmAccept { id: asked, .. } if *asked == id));
        update(&mut app, Action::Cancel);
        assert!(matches!(app.mode, Mode::Normal));
        update(&mut app, Action::Accept);
        update(&mut app, Action::Confirm);
        assert!(app.busy.contains(&id));
        accept_done(&mut app, &id, Ok(Settled::Done));
        assert!(!app.busy.contains(&id));
        let row = app.listing.rows().iter().find(|r| r.id() == id).unwrap();
        assert_eq!(row.summary.status, Some(InvitationStatus::Accepted));
        assert_eq!(app.listing.counts().pending, 4);
        assert!(
            app.listing.position_of(&id).is_none(),
            "it left the Pending view"
        );
        assert_eq!(selected_id(&app), next);
    }

    #[test]
    fn a_failed_accept_leaves_the_row_and_says_why() {
        let mut app = loaded();
        let id = selected_id(&app);
        update(&mut app, Action::Accept);
        update(&mut app, Action::Confirm);
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
        update(&mut app, Action::Accept);
        update(&mut app, Action::Confirm);
        accept_done(
            &mut app,
            &id,
            Ok(Settled::Already {
                status: InvitationStatus::Rejected,
                conflict: "not PENDING".into(),
            }),
        );
        let row = app.listing.rows().iter().find(|r| r.id() == id).unwrap();
        assert_eq!(row.summary.status, Some(InvitationStatus::Rejected));
        assert_error_says(&app, "was not accepted: it is already REJECTED");
    }

    #[test]
    fn reject_sends_the_typed_reason_or_none() {
        let mut app = loaded();
        let id = selected_id(&app);
        update(&mut app, Action::Reject);
        type_reason(&mut app, "Not our region");
        let effects = update(&mut app, Action::SubmitReason);
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
            Action::RejectDone {
                catalog: "Sandbox".into(),
                id: id.clone(),
                reason: None,
                result: Ok(Settled::Done),
            },
        );
        assert_eq!(
            app.listing
                .rows()
                .iter()
                .find(|r| r.id() == id)
                .unwrap()
                .summary
                .status,
            Some(InvitationStatus::Rejected)
        );

        update(&mut app, Action::Down);
        let id = selected_id(&app);
        update(&mut app, Action::Reject);
        let effects = update(&mut app, Action::SubmitReason);
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
        update(&mut app, Action::Reject);
        type_reason(&mut app, "emoji 😀 is not allowed");
        assert!(update(&mut app, Action::SubmitReason).is_empty());
        let Mode::RejectReason {
            error: Some(error), ..
        } = &app.mode
        else {
            panic!("still asking, with the rule: {:?}", app.mode)
        };
        assert!(error.starts_with("Reason: "), "{error}");
        assert!(app.busy.is_empty());
        // Typing clears the complaint.
        update(
            &mut app,
            Action::ReasonInput(ratatui_textarea::Input {
                key: ratatui_textarea::Key::Backspace,
                ..Default::default()
            }),
        );
        assert!(matches!(app.mode, Mode::RejectReason { error: None, .. }));
    }

    #[test]
    fn a_retry_is_shown_so_a_slow_service_does_not_look_frozen() {
        let mut app = loaded();
        let effects = update(
            &mut app,
            Action::Retrying(crate::api::client::RetryNotice {
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
        assert!(!app.listing.is_empty(), "rows shown stay");
    }

    #[test]
    fn read_only_refuses_accept_and_reject() {
        let options = TuiOptions {
            read_only: true,
            ..options()
        };
        let mut app = fixtures::loaded(&options, inbox());
        for action in [Action::Accept, Action::Reject] {
            app.message = None;
            assert!(update(&mut app, action).is_empty());
            assert!(matches!(app.mode, Mode::Normal));
            assert_error_says(&app, "--read-only");
        }
    }

    #[test]
    fn only_pending_received_invitations_can_be_answered() {
        let mut app = loaded();
        select_id(&mut app, "engi-2c3d4e5f6a7b8"); // ACCEPTED
        update(&mut app, Action::Accept);
        assert!(matches!(app.mode, Mode::Normal));
        assert!(app.message.as_ref().unwrap().text.contains("ACCEPTED"));
        let mut app = loaded();
        update(&mut app, Action::SwitchView);
        page(&mut app, 2, inbox());
        update(&mut app, Action::Reject);
        assert!(matches!(app.mode, Mode::Normal));
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
        assert!(update(&mut app, Action::SwitchCatalog).is_empty());
        assert!(matches!(app.mode, Mode::ConfirmCatalog));
        update(&mut app, Action::Cancel);
        assert_eq!(app.catalog, "Sandbox");
        update(&mut app, Action::SwitchCatalog);
        let effects = update(&mut app, Action::Confirm);
        assert_eq!(app.catalog, "AWS");
        assert!(app.listing.is_empty());
        assert!(effects.contains(&Effect::Request(Request::List {
            generation: 2,
            catalog: "AWS".into(),
            view: ParticipantType::Receiver
        })));
        let effects = update(&mut app, Action::SwitchCatalog);
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
        assert!(update(&mut app, Action::Tick(*NOW + chrono::Duration::seconds(30))).is_empty());
        let effects = update(&mut app, Action::Tick(*NOW + chrono::Duration::seconds(61)));
        assert!(matches!(
            effects.as_slice(),
            [Effect::Request(Request::List { generation: 2, .. })]
        ));
        assert!(
            update(
                &mut app,
                Action::Tick(*NOW + chrono::Duration::seconds(200))
            )
            .is_empty(),
            "not while loading"
        );
    }

    #[test]
    fn messages_expire_and_ticks_redraw_only_when_needed() {
        let mut app = loaded();
        app.take_dirty();
        update(&mut app, Action::CopyId);
        assert!(app.take_dirty());
        assert!(app.message.is_some());
        update(&mut app, Action::Tick(*NOW + chrono::Duration::seconds(2)));
        assert!(!app.take_dirty(), "same minute, message still up");
        update(
            &mut app,
            Action::Tick(*NOW + chrono::Duration::seconds(MESSAGE_SECONDS + 1)),
        );
        assert!(app.message.is_none());
        assert!(app.take_dirty());
    }

    #[test]
    fn copy_puts_the_selected_id_on_the_clipboard() {
        let mut app = loaded();
        let id = selected_id(&app);
        assert_eq!(update(&mut app, Action::CopyId), [Effect::Copy(id)]);
    }

    #[test]
    fn enter_and_esc_move_focus_and_scroll_the_detail() {
        let mut app = loaded();
        let effects = app.request_detail();
        assert!(effects.is_empty(), "already asked when the listing arrived");
        let id = selected_id(&app);
        let seq = app.requested[&id];
        update(
            &mut app,
            Action::DetailLoaded {
                seq,
                id: id.clone(),
                result: Ok(Box::new(Detail {
                    invitation: crate::tui::fixtures::opportunity_detail(),
                    members: Ok(Vec::new()),
                })),
            },
        );
        update(&mut app, Action::Open);
        assert_eq!(app.focus, Focus::Detail);
        update(&mut app, Action::Down);
        assert_eq!(app.detail_scroll, 1);
        assert_eq!(app.selected, 0, "keys scroll the detail, not the list");
        update(&mut app, Action::Bottom);
        let (width, height) = layout::detail_text_size(80, 24, Focus::Detail);
        let lines = super::super::detail::lines(&app, width).len();
        assert_eq!(app.detail_scroll, lines - usize::from(height));
        update(&mut app, Action::Back);
        assert_eq!(app.focus, Focus::List);
    }
}
