//! The list part: which invitations are listed (the running listing, its pages and its cache),
//! what the list shows of them (filters, sort, search) and which one is selected.
//!
//! Its functions change only this part and say what the app must do next (ask for the
//! selection's detail, send the worker a request); [`super::app`] routes.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::cache::CacheKey;
use super::line_input::LineInput;
use super::listing::{Filter, Incoming, Listing, Row};
use super::worker::{Known, Request};
use crate::api::model::{EngagementInvitationSummary, InvitationStatus, ParticipantType};

/// Where the listing is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadState {
    Idle,
    Loading { pages: usize, rows: usize },
    Failed(String),
}

/// Where the selection goes when its row leaves the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gone {
    /// To the row now at its position (a row answered away: the next one).
    SamePosition,
    /// To the first row (a new filter: a new view starts at its top).
    First,
}

/// The list's state.
#[derive(Debug)]
pub struct ListPane {
    pub filter: Filter,
    /// The search as typed (the filter holds it lowercased).
    pub search: LineInput,
    /// The search field has the keys.
    pub searching: bool,
    pub listing: Listing,
    /// Display position of the selected row.
    pub selected: usize,
    /// Display position of the first row on screen.
    pub offset: usize,
    pub load: LoadState,
    /// When the listing on screen was cached, while it is not refreshed yet.
    pub stale_since: Option<DateTime<Utc>>,
    /// When the last listing completed (the header shows it).
    pub listed_at: Option<DateTime<Utc>>,
    /// Bumped by every new listing; results of older ones are dropped.
    generation: u64,
    /// Pages of a refresh, swapped in when it completes (and marked new against the rows on
    /// screen); `None` while pages go straight to the screen.
    incoming: Option<Incoming>,
    /// The invitation to select when the running listing completes: the one just created.
    pub select_when_listed: Option<String>,
    /// The running listing is a refresh the user asked for (`r`): its end is announced.
    pub asked: bool,
    refresh_every: Option<chrono::Duration>,
    next_refresh: Option<DateTime<Utc>>,
}

/// What a completed listing brought.
pub struct Completed {
    /// The user asked for it (`r`).
    pub asked: bool,
    /// Invitations not seen before (not counting the one just created).
    pub new: usize,
    pub save: Request,
}

impl ListPane {
    pub fn new(refresh: Option<std::time::Duration>) -> ListPane {
        ListPane {
            filter: Filter::default(),
            search: LineInput::default(),
            searching: false,
            listing: Listing::default(),
            selected: 0,
            offset: 0,
            load: LoadState::Idle,
            stale_since: None,
            listed_at: None,
            generation: 0,
            incoming: None,
            select_when_listed: None,
            asked: false,
            refresh_every: refresh.and_then(|every| chrono::Duration::from_std(every).ok()),
            next_refresh: None,
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.listing.visible_row(self.selected)
    }

    pub fn selected_id(&self) -> Option<String> {
        self.selected_row().map(|row| row.id().to_owned())
    }

    /// Whether the running listing replaces rows already shown (they stay until it is done).
    pub fn is_refreshing(&self) -> bool {
        self.incoming.is_some()
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.load, LoadState::Loading { .. })
    }

    /// Starts a listing (with the cached one first when `cache` is given): a refresh within
    /// the quotas from the rows shown, or from scratch when `full`.
    pub fn begin(
        &mut self,
        catalog: &str,
        view: &ParticipantType,
        cache: Option<CacheKey>,
        full: bool,
    ) -> Vec<Request> {
        self.generation += 1;
        self.asked = false;
        let shown = !self.listing.is_empty();
        self.incoming = shown.then(|| self.listing.incoming());
        self.load = LoadState::Loading { pages: 0, rows: 0 };
        self.next_refresh = None;
        let mut requests = Vec::new();
        if let Some(key) = cache {
            requests.push(Request::LoadCache {
                generation: self.generation,
                key,
            });
        }
        requests.push(Request::List {
            generation: self.generation,
            catalog: catalog.to_owned(),
            view: view.clone(),
            known: if full {
                Known::Nothing
            } else if shown {
                Known::Rows(self.listing.summaries())
            } else {
                Known::Cached
            },
        });
        requests
    }

    /// Empties the list for another catalog or view.
    pub fn clear(&mut self) {
        self.listing.clear();
        self.stale_since = None;
        self.selected = 0;
        self.offset = 0;
    }

    /// Moves the first row shown just enough to keep the selection on screen.
    pub fn scroll(&mut self, rows: usize) {
        self.offset = scroll_offset(
            self.offset,
            self.selected,
            rows,
            self.listing.visible().len(),
        );
    }

    /// Selects display position `position` (clamped); whether the selection moved.
    pub fn select(&mut self, position: usize, rows: usize) -> bool {
        let last = self.listing.visible().len().saturating_sub(1);
        let position = position.min(last);
        if position == self.selected {
            return false;
        }
        self.selected = position;
        self.scroll(rows);
        true
    }

    /// After the visible rows changed: keeps `previous` selected if it is still shown, else
    /// goes where `gone` says. Whether the selected invitation changed.
    pub fn reselect(&mut self, previous: Option<String>, rows: usize, gone: Gone) -> bool {
        let stayed = |id: &str| {
            self.listing
                .visible_row(self.selected)
                .is_some_and(|row| row.id() == id)
        };
        let position = match previous.as_deref() {
            // Usually the selected row did not move (a page arrived below it).
            Some(id) if stayed(id) => Some(self.selected),
            Some(id) => self.listing.position_of(id),
            None => None,
        };
        let position = match (position, gone) {
            (Some(position), _) => position,
            (None, Gone::First) if previous.is_some() => 0,
            (None, _) => self.selected,
        };
        self.selected = position.min(self.listing.visible().len().saturating_sub(1));
        self.scroll(rows);
        self.selected_id() != previous
    }

    /// Applies the filter after it changed; the selection stays, or goes to the top of the new
    /// view when the filter hides it.
    pub fn apply_filter(&mut self, rows: usize) -> bool {
        let previous = self.selected_id();
        self.listing.apply(&self.filter);
        self.reselect(previous, rows, Gone::First)
    }

    /// The search field's text is the filter's search.
    pub fn search_changed(&mut self, rows: usize) -> bool {
        self.filter.search = self.search.text().to_lowercase();
        self.apply_filter(rows)
    }

    /// Drops the search; whether there was one.
    pub fn clear_search(&mut self, rows: usize) -> bool {
        self.searching = false;
        if self.search.is_empty() {
            return false;
        }
        self.search.clear();
        self.search_changed(rows);
        true
    }

    /// A cached listing for `generation`: shown while nothing fresher is.
    pub fn cache_loaded(
        &mut self,
        generation: u64,
        saved_at: DateTime<Utc>,
        summaries: Vec<Arc<EngagementInvitationSummary>>,
        rows: usize,
    ) -> bool {
        if generation != self.generation || !self.listing.is_empty() {
            return false;
        }
        let loaded = summaries.into_iter().map(Row::new).collect();
        self.listing.replace(loaded, &self.filter);
        self.stale_since = Some(saved_at);
        self.incoming = Some(self.listing.incoming());
        self.reselect(None, rows, Gone::SamePosition);
        true
    }

    /// One more page of listing `generation`; whether it reached the screen.
    pub fn page(
        &mut self,
        generation: u64,
        summaries: Vec<EngagementInvitationSummary>,
        rows: usize,
    ) -> bool {
        if generation != self.generation {
            return false;
        }
        if let LoadState::Loading { pages, rows } = &mut self.load {
            *pages += 1;
            *rows += summaries.len();
        }
        match &mut self.incoming {
            Some(incoming) => {
                self.listing.receive(incoming, summaries);
                false
            }
            None => {
                let previous = self.selected_id();
                self.listing
                    .extend(summaries.into_iter().map(Row::new), &self.filter);
                self.reselect(previous, rows, Gone::SamePosition);
                true
            }
        }
    }

    /// Listing `generation` completed at `now`.
    pub fn done(
        &mut self,
        generation: u64,
        now: DateTime<Utc>,
        key: CacheKey,
        rows: usize,
    ) -> Option<Completed> {
        if generation != self.generation {
            return None;
        }
        let created = self.select_when_listed.take();
        let previous = created.clone().or_else(|| self.selected_id());
        let mut new = 0;
        // "Expiring within" counts from now again, so a long-open inbox does not miss the
        // invitations that came into the window.
        self.filter.renew(now);
        let incoming = self.incoming.take();
        if incoming.is_none() && self.filter.expiring.is_some() {
            self.listing.apply(&self.filter);
        }
        if let Some(incoming) = incoming {
            new = self.listing.finish(incoming, &self.filter);
            // The invitation just created is selected, not announced.
            if let Some(id) = &created
                && self
                    .listing
                    .rows()
                    .iter()
                    .any(|row| row.id() == id && row.is_new)
            {
                self.listing.clear_new(id);
                new -= 1;
            }
        }
        self.load = LoadState::Idle;
        self.stale_since = None;
        self.listed_at = Some(now);
        self.schedule_refresh(now);
        self.reselect(previous, rows, Gone::SamePosition);
        Some(Completed {
            asked: std::mem::take(&mut self.asked),
            new,
            save: Request::SaveCache {
                key,
                saved_at: now,
                summaries: self.listing.summaries(),
            },
        })
    }

    /// Listing `generation` failed; whether it was the current one.
    pub fn failed(&mut self, generation: u64, error: &str, now: DateTime<Utc>) -> bool {
        if generation != self.generation {
            return false;
        }
        self.incoming = None;
        self.load = LoadState::Failed(error.to_owned());
        self.schedule_refresh(now);
        true
    }

    /// Whether `--refresh` wants a new listing at `now`.
    pub fn refresh_due(&self, now: DateTime<Utc>) -> bool {
        self.next_refresh.is_some_and(|at| at <= now) && !self.is_loading()
    }

    fn schedule_refresh(&mut self, now: DateTime<Utc>) {
        self.next_refresh = self.refresh_every.map(|every| now + every);
    }

    /// Changes a row's status after an answer; whether the selected invitation changed.
    pub fn set_status(&mut self, id: &str, status: InvitationStatus, rows: usize) -> bool {
        let previous = self.selected_id();
        self.listing.set_status(id, status, &self.filter);
        self.reselect(previous, rows, Gone::SamePosition)
    }

    /// A new Sent view selecting `created`: a filter that would hide a PENDING invitation
    /// goes, or "created" would point at a row nobody can see.
    pub fn show_created(&mut self, created: &str) {
        self.select_when_listed = Some(created.to_owned());
        self.filter.let_through(Some(&InvitationStatus::Pending));
        self.search.clear();
        self.filter.search.clear();
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
