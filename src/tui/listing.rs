//! The loaded invitations and which of them the list shows: rows kept newest first, filters
//! (statuses, payload kind, sender, expiring within N days), a sort and a search, turned into a
//! `Vec<usize>` of visible row indices.
//!
//! Built for 100,000 rows: each row's lowercase search text is computed once when it arrives,
//! a page that continues the order (the usual case: pages come newest first) is appended,
//! counted and filtered on its own, a filter, sort or search change is one pass over the rows
//! with the search compiled once (memchr's `memmem`) and no allocation per row, and typing
//! more of a search only re-checks the rows already shown. A refresh collects its rows in an [`Incoming`] while the
//! previous rows stay on screen; unchanged invitations share the shown row's data, so a
//! refreshed inbox of 100,000 holds one copy of its rows, not two.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use memchr::memmem;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use chrono::{DateTime, Utc};

use crate::api::model::{
    EngagementInvitationSummary, InvitationStatus, PayloadType, Receiver, Timestamp,
};

/// One invitation of the listing with what the list needs precomputed. Its data is shared
/// (`Arc`) with the cache write and with the next refresh while the invitation is unchanged.
#[derive(Clone, Debug)]
pub struct Row {
    pub summary: Arc<EngagementInvitationSummary>,
    /// Seen for the first time by the latest refresh (the list marks it).
    pub is_new: bool,
    /// The summary's status and date, kept inline: a pass over 100,000 rows then reads rows
    /// laid out one after another instead of following a pointer per row.
    status: Option<InvitationStatus>,
    date: Option<Timestamp>,
    /// Lowercase title, company, sender and receiver ids, invitation and engagement ids, and
    /// what the loaded detail adds (customer, project).
    haystack: Arc<str>,
}

impl Row {
    pub fn new(summary: impl Into<Arc<EngagementInvitationSummary>>) -> Row {
        let summary = summary.into();
        let mut haystack = String::with_capacity(160);
        let receiver = match &summary.receiver {
            Some(Receiver::Account(account)) => [
                account.aws_account_id.as_str(),
                account.alias.as_deref().unwrap_or(""),
            ],
            _ => ["", ""],
        };
        for part in [
            summary.engagement_title.as_deref().unwrap_or(""),
            summary.sender_company_name.as_deref().unwrap_or(""),
            summary.sender_aws_account_id.as_deref().unwrap_or(""),
            receiver[0],
            receiver[1],
            summary.id.as_str(),
            summary.engagement_id.as_deref().unwrap_or(""),
        ] {
            push_search_text(&mut haystack, part);
        }
        Row {
            status: summary.status.clone(),
            date: summary.invitation_date,
            summary,
            is_new: false,
            haystack: haystack.into(),
        }
    }

    pub fn id(&self) -> &str {
        &self.summary.id
    }

    /// The rows' order: newest first.
    fn order(&self) -> Reverse<Option<Timestamp>> {
        Reverse(self.date)
    }
}

/// Adds `part` to a row's search text: lowercase, and also without accents.
fn push_search_text(haystack: &mut String, part: &str) {
    // A separator no typed search contains, so a match never spans two fields.
    haystack.push('\u{1}');
    // Ids and most names are ASCII: lowercased a byte at a time, not a char at a time.
    if part.is_ascii() {
        haystack.push_str(part);
        let start = haystack.len() - part.len();
        haystack[start..].make_ascii_lowercase();
    } else {
        let lower = part.to_lowercase();
        haystack.push_str(&lower);
        // Also without accents, so `muller` finds `Müller` (and `müller` still does).
        let plain = without_accents(&lower);
        if plain != lower {
            haystack.push('\u{1}');
            haystack.push_str(&plain);
        }
    }
}

/// A refresh's rows, collected while the previous rows stay on screen.
#[derive(Debug)]
pub struct Incoming {
    rows: Vec<Row>,
    /// The hash of each shown row's id, to its index among the shown rows (which do not move
    /// while a refresh is collected: only pages of the screen's own listing reorder them).
    shown: HashMap<u64, usize>,
    hasher: RandomState,
}

/// `text` with its accents dropped (decomposed, combining marks removed): `müller` → `muller`.
fn without_accents(text: &str) -> String {
    text.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// The order of the rows shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    /// By time left (client-side): the PENDING invitation with the soonest deadline first;
    /// answered ones and those without a deadline last (a deadline only counts while the
    /// invitation can still be answered), newest first among equals.
    Deadline,
}

impl Sort {
    /// The config file's names, in the order `o` cycles through them.
    pub const NAMES: [(&str, Sort); 3] = [
        ("newest", Sort::Newest),
        ("oldest", Sort::Oldest),
        ("expiry", Sort::Deadline),
    ];

    /// The sort `o` moves to: newest → oldest → soonest deadline → newest.
    pub fn next(self) -> Sort {
        match self {
            Sort::Newest => Sort::Oldest,
            Sort::Oldest => Sort::Deadline,
            Sort::Deadline => Sort::Newest,
        }
    }

    /// How the header says it.
    pub fn describe(self) -> &'static str {
        match self {
            Sort::Newest => "newest first",
            Sort::Oldest => "oldest first",
            Sort::Deadline => "soonest deadline first",
        }
    }
}

/// An invitation's payload kind, as a filter picks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Opportunity,
    Lead,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Opportunity, Kind::Lead];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Opportunity => "Opportunity",
            Kind::Lead => "Lead",
        }
    }

    pub fn is_of(self, payload: Option<&PayloadType>) -> bool {
        matches!(
            (self, payload),
            (Kind::Opportunity, Some(PayloadType::OpportunityInvitation))
                | (Kind::Lead, Some(PayloadType::LeadInvitation))
        )
    }
}

/// The company names AWS sends its invitations under (any letter case): the emulator's and
/// Partner Central's `AWS`, and the long form.
const AWS_SENDER_NAMES: [&str; 2] = ["AWS", "Amazon Web Services"];

/// Whether AWS sent the invitation: its SenderCompanyName is `AWS` or `Amazon Web Services`.
/// Any other sender (a name, or none) is a partner.
pub fn sent_by_aws(summary: &EngagementInvitationSummary) -> bool {
    summary.sender_company_name.as_deref().is_some_and(|name| {
        AWS_SENDER_NAMES
            .iter()
            .any(|aws| name.trim().eq_ignore_ascii_case(aws))
    })
}

/// Who sent an invitation as the list names them: the company, else the account id.
pub fn sender_name(summary: &EngagementInvitationSummary) -> Option<&str> {
    summary
        .sender_company_name
        .as_deref()
        .or(summary.sender_aws_account_id.as_deref())
}

/// Which senders' invitations the list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Sender {
    #[default]
    Anyone,
    /// See [`sent_by_aws`].
    Aws,
    /// Everyone but AWS.
    Partners,
    /// One sender, by [`sender_name`] (any letter case).
    Named(String),
}

impl Sender {
    pub fn matches(&self, summary: &EngagementInvitationSummary) -> bool {
        match self {
            Sender::Anyone => true,
            Sender::Aws => sent_by_aws(summary),
            Sender::Partners => !sent_by_aws(summary),
            // Compared a char at a time: no allocation per row.
            Sender::Named(wanted) => sender_name(summary).is_some_and(|name| {
                name.chars()
                    .flat_map(char::to_lowercase)
                    .eq(wanted.chars().flat_map(char::to_lowercase))
            }),
        }
    }
}

/// "Expiring within N days": PENDING with a deadline before `before` (now + N days when the
/// filter was set or the listing last completed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiring {
    pub days: u32,
    pub before: Timestamp,
}

impl Expiring {
    pub fn within(days: u32, now: DateTime<Utc>) -> Expiring {
        Expiring {
            days,
            before: Timestamp(now + chrono::Duration::days(i64::from(days))),
        }
    }

    pub fn matches(self, row: &Row) -> bool {
        row.status == Some(InvitationStatus::Pending)
            && row
                .summary
                .expiration_date
                .is_some_and(|deadline| deadline <= self.before)
    }
}

/// What the list shows of the rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Empty shows every status.
    pub statuses: Vec<InvitationStatus>,
    /// `None` shows both kinds.
    pub kind: Option<Kind>,
    pub sender: Sender,
    pub expiring: Option<Expiring>,
    pub sort: Sort,
    /// Lowercase; empty matches everything.
    pub search: String,
}

impl Filter {
    /// The status filter `S` moves to: All → Pending → Accepted → Rejected → Expired → All
    /// (from several statuses, Pending).
    pub fn next_status(&self) -> Vec<InvitationStatus> {
        match self.statuses.as_slice() {
            [InvitationStatus::Pending] => vec![InvitationStatus::Accepted],
            [InvitationStatus::Accepted] => vec![InvitationStatus::Rejected],
            [InvitationStatus::Rejected] => vec![InvitationStatus::Expired],
            [_] => Vec::new(),
            _ => vec![InvitationStatus::Pending],
        }
    }

    /// Drops the kind, sender and deadline filters, and the status filter unless it shows
    /// `status`: a row that must be seen (one just created, a task's) is not hidden. The sort
    /// and the search stay.
    pub fn let_through(&mut self, status: Option<&InvitationStatus>) {
        let shown =
            self.statuses.is_empty() || status.is_some_and(|status| self.statuses.contains(status));
        if !shown {
            self.statuses.clear();
        }
        self.kind = None;
        self.sender = Sender::Anyone;
        self.expiring = None;
    }

    /// The same filter with "expiring within" counted from `now`.
    pub fn renew(&mut self, now: DateTime<Utc>) {
        if let Some(expiring) = &mut self.expiring {
            *expiring = Expiring::within(expiring.days, now);
        }
    }

    /// The filter made ready for a pass over many rows: the search is compiled once.
    fn matcher(&self) -> Matcher<'_> {
        Matcher {
            statuses: &self.statuses,
            kind: self.kind,
            sender: (self.sender != Sender::Anyone).then_some(&self.sender),
            expiring: self.expiring,
            search: (!self.search.is_empty()).then(|| memmem::Finder::new(&self.search)),
        }
    }

    /// Whether `self` shows only rows `previous` shows (more letters typed into the search),
    /// so the rows `previous` shows are the only ones to check.
    fn narrows(&self, previous: &Filter) -> bool {
        self.statuses == previous.statuses
            && self.kind == previous.kind
            && self.sender == previous.sender
            && self.expiring == previous.expiring
            && self.sort == previous.sort
            && self.search.contains(previous.search.as_str())
    }
}

/// A [`Filter`] ready to test rows; the parts that show everything are left out.
struct Matcher<'a> {
    statuses: &'a [InvitationStatus],
    kind: Option<Kind>,
    sender: Option<&'a Sender>,
    expiring: Option<Expiring>,
    search: Option<memmem::Finder<'a>>,
}

impl Matcher<'_> {
    fn matches(&self, row: &Row) -> bool {
        (self.statuses.is_empty()
            || row
                .status
                .as_ref()
                .is_some_and(|status| self.statuses.contains(status)))
            && self
                .kind
                .is_none_or(|kind| kind.is_of(row.summary.payload_type.as_ref()))
            && self
                .sender
                .is_none_or(|sender| sender.matches(&row.summary))
            && self.expiring.is_none_or(|expiring| expiring.matches(row))
            && self
                .search
                .as_ref()
                .is_none_or(|search| search.find(row.haystack.as_bytes()).is_some())
    }
}

/// How many rows have each status (of all rows, whatever the filter).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub pending: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub expired: usize,
    pub other: usize,
}

impl StatusCounts {
    fn of(rows: &[Row]) -> StatusCounts {
        let mut counts = StatusCounts::default();
        counts.add(rows);
        counts
    }

    fn add(&mut self, rows: &[Row]) {
        for row in rows {
            match row.status {
                Some(InvitationStatus::Pending) => self.pending += 1,
                Some(InvitationStatus::Accepted) => self.accepted += 1,
                Some(InvitationStatus::Rejected) => self.rejected += 1,
                Some(InvitationStatus::Expired) => self.expired += 1,
                _ => self.other += 1,
            }
        }
    }

    pub fn total(&self) -> usize {
        self.pending + self.accepted + self.rejected + self.expired + self.other
    }
}

/// The rows (newest first) and the indices of those the filter shows, in display order.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    rows: Vec<Row>,
    visible: Vec<usize>,
    counts: StatusCounts,
    /// The filter `visible` was computed for; `None` after the rows changed under it.
    applied: Option<Filter>,
}

impl Listing {
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Row indices in display order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    pub fn counts(&self) -> StatusCounts {
        self.counts
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row shown at display position `position`.
    pub fn visible_row(&self, position: usize) -> Option<&Row> {
        self.visible.get(position).map(|&index| &self.rows[index])
    }

    /// The row of invitation `id`, whether the filter shows it or not.
    pub fn row(&self, id: &str) -> Option<&Row> {
        self.rows.iter().find(|row| row.id() == id)
    }

    /// The display position of invitation `id`, if the filter shows it.
    pub fn position_of(&self, id: &str) -> Option<usize> {
        self.visible
            .iter()
            .position(|&index| self.rows[index].id() == id)
    }

    /// Replaces every row (a finished refresh, a cached listing).
    pub fn replace(&mut self, rows: Vec<Row>, filter: &Filter) {
        self.rows = rows;
        self.sort_and_refresh(filter);
    }

    /// Adds one page of rows (a listing shown while it loads).
    pub fn extend(&mut self, rows: impl IntoIterator<Item = Row>, filter: &Filter) {
        let start = self.rows.len();
        self.rows.extend(rows);
        let in_order = self.rows[start.saturating_sub(1)..].is_sorted_by_key(Row::order);
        if !in_order || self.applied.as_ref() != Some(filter) {
            self.sort_and_refresh(filter);
            return;
        }
        // Only the page's rows are new to the counts and the filter.
        self.counts.add(&self.rows[start..]);
        let rows = &self.rows;
        let matcher = filter.matcher();
        let matching = (start..rows.len()).filter(|&index| matcher.matches(&rows[index]));
        if filter.sort != Sort::Oldest {
            self.visible.extend(matching);
        } else {
            // Oldest first: the page's rows (older than every shown row) go before them.
            let before: Vec<usize> = matching.rev().collect();
            self.visible.splice(0..0, before);
        }
        if filter.sort == Sort::Deadline {
            self.sort_by_deadline();
        }
    }

    /// The visible rows by time left; stable, so rows with the same deadline (or none) keep
    /// the date order.
    fn sort_by_deadline(&mut self) {
        let rows = &self.rows;
        self.visible.sort_by_key(|&index| {
            let row = &rows[index];
            let deadline = row
                .summary
                .expiration_date
                .filter(|_| row.status == Some(InvitationStatus::Pending));
            (deadline.is_none(), deadline)
        });
    }

    pub fn clear(&mut self) {
        *self = Listing::default();
    }

    /// Starts collecting a refresh of these rows.
    pub fn incoming(&self) -> Incoming {
        let hasher = RandomState::new();
        let shown = self
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| (hasher.hash_one(row.id()), index))
            .collect();
        Incoming {
            rows: Vec::new(),
            shown,
            hasher,
        }
    }

    /// Adds one page of a refresh: an unchanged invitation shares the shown row, one not shown
    /// before is marked new.
    pub fn receive(&self, incoming: &mut Incoming, summaries: Vec<EngagementInvitationSummary>) {
        incoming.rows.reserve(summaries.len());
        for summary in summaries {
            let shown = incoming
                .shown
                .get(&incoming.hasher.hash_one(summary.id.as_str()))
                .and_then(|&index| self.rows.get(index))
                // Equal hashes of different ids (never seen in practice) count as not shown.
                .filter(|row| row.id() == summary.id);
            let row = match shown {
                Some(row) if *row.summary == summary => Row {
                    is_new: false,
                    ..row.clone()
                },
                Some(_) => Row::new(summary),
                None => Row {
                    is_new: true,
                    ..Row::new(summary)
                },
            };
            incoming.rows.push(row);
        }
    }

    /// Replaces the rows with a completed refresh; how many of its rows are new.
    pub fn finish(&mut self, incoming: Incoming, filter: &Filter) -> usize {
        let new = incoming.rows.iter().filter(|row| row.is_new).count();
        self.replace(incoming.rows, filter);
        new
    }

    /// Changes one row's status in place (after accept/reject); the filter may now hide it.
    pub fn set_status(&mut self, id: &str, status: InvitationStatus, filter: &Filter) -> bool {
        let Some(row) = self.rows.iter_mut().find(|row| row.id() == id) else {
            return false;
        };
        Arc::make_mut(&mut row.summary).status = Some(status.clone());
        row.status = Some(status);
        row.is_new = false;
        self.counts = StatusCounts::of(&self.rows);
        // The row may now match a filter it did not: a full pass.
        self.applied = None;
        self.apply(filter);
        true
    }

    /// Lets the search find `words` in row `id` too (what its loaded detail says); the
    /// filter is applied again if a search is on. Adding the same words twice adds nothing.
    pub fn add_search_text(&mut self, id: &str, words: &[String], filter: &Filter) {
        let Some(row) = self.rows.iter_mut().find(|row| row.id() == id) else {
            return;
        };
        let mut extra = String::new();
        for word in words.iter().filter(|word| !word.is_empty()) {
            push_search_text(&mut extra, word);
        }
        if extra.is_empty() || row.haystack.contains(extra.as_str()) {
            return;
        }
        row.haystack = format!("{}{extra}", row.haystack).into();
        if !filter.search.is_empty() {
            self.applied = None;
            self.apply(filter);
        }
    }

    pub fn clear_new(&mut self, id: &str) {
        if let Some(row) = self.rows.iter_mut().find(|row| row.id() == id) {
            row.is_new = false;
        }
    }

    /// The rows' data, shared (for the cache write).
    pub fn summaries(&self) -> Vec<Arc<EngagementInvitationSummary>> {
        self.rows
            .iter()
            .map(|row| Arc::clone(&row.summary))
            .collect()
    }

    fn sort_and_refresh(&mut self, filter: &Filter) {
        // Stable and run-aware; a listing that arrived in order is only checked.
        if !self.rows.is_sorted_by_key(Row::order) {
            self.rows.sort_by_key(Row::order);
        }
        self.counts = StatusCounts::of(&self.rows);
        self.applied = None;
        self.apply(filter);
    }

    /// Recomputes the visible indices for `filter`: one pass over the rows, no per-row
    /// allocation; a filter that narrows the last one only re-checks the rows it showed.
    pub fn apply(&mut self, filter: &Filter) {
        let matcher = filter.matcher();
        let rows = &self.rows;
        if self
            .applied
            .as_ref()
            .is_some_and(|previous| filter.narrows(previous))
        {
            self.visible.retain(|&index| matcher.matches(&rows[index]));
        } else {
            self.visible.clear();
            let matching = |(index, row): (usize, &Row)| matcher.matches(row).then_some(index);
            if filter.sort != Sort::Oldest {
                self.visible
                    .extend(rows.iter().enumerate().filter_map(matching));
            } else {
                self.visible
                    .extend(rows.iter().enumerate().rev().filter_map(matching));
            }
            if filter.sort == Sort::Deadline {
                self.sort_by_deadline();
            }
        }
        self.applied = Some(filter.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures::summary;

    fn listing(rows: Vec<EngagementInvitationSummary>, filter: &Filter) -> Listing {
        let mut listing = Listing::default();
        listing.replace(rows.into_iter().map(Row::new).collect(), filter);
        listing
    }

    fn visible_ids(listing: &Listing) -> Vec<&str> {
        (0..listing.visible().len())
            .map(|p| listing.visible_row(p).unwrap().id())
            .collect()
    }

    /// engi-a PENDING 3 days ago, engi-b ACCEPTED 1 day ago, engi-c PENDING 2 days ago.
    fn three_rows() -> Vec<EngagementInvitationSummary> {
        vec![
            summary("engi-a", InvitationStatus::Pending, 3),
            summary("engi-b", InvitationStatus::Accepted, 1),
            summary("engi-c", InvitationStatus::Pending, 2),
        ]
    }

    #[test]
    fn rows_are_newest_first_and_the_sort_flips() {
        let mut filter = Filter::default();
        let mut listing = listing(three_rows(), &filter);
        assert_eq!(visible_ids(&listing), ["engi-b", "engi-c", "engi-a"]);
        filter.sort = Sort::Oldest;
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-a", "engi-c", "engi-b"]);
    }

    #[test]
    fn soonest_deadline_first_sorts_by_time_left_with_none_last_through_pages_and_search() {
        let deadline = |id: &str, days: Option<i64>| {
            let mut row = summary(id, InvitationStatus::Pending, 1);
            row.expiration_date =
                days.map(|d| Timestamp(*crate::tui::fixtures::NOW + chrono::Duration::days(d)));
            row
        };
        let filter = Filter {
            sort: Sort::Deadline,
            ..Filter::default()
        };
        let mut listing = listing(
            vec![
                deadline("engi-late", Some(9)),
                deadline("engi-none", None),
                deadline("engi-soon", Some(1)),
            ],
            &filter,
        );
        assert_eq!(
            visible_ids(&listing),
            ["engi-soon", "engi-late", "engi-none"]
        );
        // A later page (older invitations) is placed by its deadline too.
        let mut older = deadline("engi-older", Some(3));
        older.invitation_date = Some(Timestamp(
            *crate::tui::fixtures::NOW - chrono::Duration::days(30),
        ));
        listing.extend([Row::new(older)], &filter);
        assert_eq!(
            visible_ids(&listing),
            ["engi-soon", "engi-older", "engi-late", "engi-none"]
        );
        // Typing a search narrows without losing the order.
        let narrowed = Filter {
            search: "engi-".into(),
            ..filter.clone()
        };
        listing.apply(&narrowed);
        assert_eq!(
            visible_ids(&listing),
            ["engi-soon", "engi-older", "engi-late", "engi-none"]
        );
        // Back to newest first.
        listing.apply(&Filter::default());
        assert_eq!(visible_ids(&listing)[3], "engi-older");
    }

    #[test]
    fn status_filter_and_search_combine() {
        let mut filter = Filter::default();
        let mut listing = listing(three_rows(), &filter);
        filter.statuses = vec![InvitationStatus::Pending];
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-c", "engi-a"]);
        // The fixture's title contains the id, the company is "Company <id>".
        filter.search = "company engi-a".into();
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-a"]);
        assert_eq!(listing.counts().pending, 2);
        assert_eq!(listing.counts().total(), 3);
    }

    #[test]
    fn search_matches_ids_case_insensitively_but_not_across_fields() {
        let filter = Filter {
            search: "engi-b".into(),
            ..Filter::default()
        };
        let mut rows = vec![
            summary("ENGI-B", InvitationStatus::Pending, 1),
            summary("engi-x", InvitationStatus::Pending, 2),
        ];
        rows[1].engagement_title = Some("ends with engi".into());
        rows[1].sender_company_name = Some("-b starts".into());
        let listing = listing(rows, &filter);
        assert_eq!(visible_ids(&listing), ["ENGI-B"]);
    }

    #[test]
    fn search_ignores_accents_and_keeps_non_latin_text() {
        let mut rows = vec![
            summary("engi-m", InvitationStatus::Pending, 1),
            summary("engi-i", InvitationStatus::Pending, 2),
            summary("engi-k", InvitationStatus::Pending, 3),
        ];
        rows[0].sender_company_name = Some("Müller Logistik GmbH".into());
        rows[1].engagement_title = Some("İstanbul Tekstil A.Ş.".into());
        rows[2].engagement_title = Some("株式会社サクラ".into());
        let mut filter = Filter::default();
        let mut listing = listing(rows, &filter);
        for (search, expected) in [
            ("muller", &["engi-m"][..]),
            ("müller", &["engi-m"]),
            ("istanbul tekstil a.s", &["engi-i"]),
            ("サクラ", &["engi-k"]),
        ] {
            filter.search = search.into();
            listing.apply(&filter);
            assert_eq!(visible_ids(&listing), expected, "{search}");
        }
    }

    #[test]
    fn pages_in_order_or_not_end_up_like_one_sorted_listing() {
        let rows = |days: &[i64]| -> Vec<Row> {
            days.iter()
                .map(|&d| Row::new(summary(&format!("engi-{d}"), InvitationStatus::Pending, d)))
                .collect()
        };
        for sort in [Sort::Newest, Sort::Oldest] {
            let filter = Filter {
                sort,
                search: "engi-1".into(),
                ..Filter::default()
            };
            let mut paged = Listing::default();
            // In order (appended), then a page that belongs in the middle (sorted).
            for page in [&[1, 2, 10][..], &[11, 12], &[3, 13]] {
                paged.extend(rows(page), &filter);
            }
            let mut whole = Listing::default();
            whole.replace(rows(&[1, 2, 3, 10, 11, 12, 13]), &filter);
            assert_eq!(visible_ids(&paged), visible_ids(&whole), "{sort:?}");
            assert_eq!(paged.counts(), whole.counts());
        }
    }

    #[test]
    fn a_refresh_shares_unchanged_rows_and_marks_the_new_ones() {
        let filter = Filter::default();
        let shown = listing(
            vec![
                summary("engi-a", InvitationStatus::Pending, 1),
                summary("engi-b", InvitationStatus::Pending, 2),
            ],
            &filter,
        );
        let mut incoming = shown.incoming();
        shown.receive(
            &mut incoming,
            vec![
                summary("engi-new", InvitationStatus::Pending, 0),
                summary("engi-a", InvitationStatus::Pending, 1),
                summary("engi-b", InvitationStatus::Accepted, 2),
            ],
        );
        let mut refreshed = shown.clone();
        assert_eq!(refreshed.finish(incoming, &filter), 1);
        assert_eq!(visible_ids(&refreshed), ["engi-new", "engi-a", "engi-b"]);
        let row = |listing: &Listing, id: &str| {
            let position = listing.position_of(id).unwrap();
            listing.visible_row(position).unwrap().clone()
        };
        assert!(row(&refreshed, "engi-new").is_new);
        assert!(!row(&refreshed, "engi-a").is_new);
        assert!(
            Arc::ptr_eq(
                &row(&refreshed, "engi-a").summary,
                &row(&shown, "engi-a").summary
            ),
            "an unchanged invitation is not copied"
        );
        assert_eq!(
            row(&refreshed, "engi-b").summary.status,
            Some(InvitationStatus::Accepted),
            "a changed one is the fresh one"
        );
    }

    #[test]
    fn narrowing_widening_and_status_changes_show_what_a_full_pass_shows() {
        let mut filter = Filter::default();
        let mut listing = listing(
            vec![
                summary("engi-a1", InvitationStatus::Pending, 1),
                summary("engi-a2", InvitationStatus::Accepted, 2),
                summary("engi-b1", InvitationStatus::Pending, 3),
            ],
            &filter,
        );
        for (search, expected) in [
            ("engi-", &["engi-a1", "engi-a2", "engi-b1"][..]),
            ("engi-a", &["engi-a1", "engi-a2"]),
            ("engi-a2", &["engi-a2"]),
            ("engi-", &["engi-a1", "engi-a2", "engi-b1"]),
        ] {
            filter.search = search.into();
            listing.apply(&filter);
            assert_eq!(visible_ids(&listing), expected, "{search}");
        }
        // A row whose status now matches appears even though the filter did not change.
        filter.statuses = vec![InvitationStatus::Accepted];
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-a2"]);
        listing.set_status("engi-b1", InvitationStatus::Accepted, &filter);
        assert_eq!(visible_ids(&listing), ["engi-a2", "engi-b1"]);
    }

    #[test]
    fn status_cycle_visits_every_status_once() {
        let mut filter = Filter::default();
        let mut seen = Vec::new();
        for _ in 0..5 {
            filter.statuses = filter.next_status();
            seen.push(filter.statuses.clone());
        }
        assert_eq!(
            seen,
            [
                vec![InvitationStatus::Pending],
                vec![InvitationStatus::Accepted],
                vec![InvitationStatus::Rejected],
                vec![InvitationStatus::Expired],
                vec![]
            ]
        );
        // From several statuses (a view's), the cycle starts again.
        filter.statuses = vec![InvitationStatus::Pending, InvitationStatus::Expired];
        assert_eq!(filter.next_status(), [InvitationStatus::Pending]);
    }

    /// engi-opp (an opportunity from AWS, due in 2 days), engi-lead (a lead from Globex, due in
    /// 10 days), engi-done (an accepted opportunity from "Amazon Web Services", due in 1 day).
    fn kinds_and_senders() -> Vec<EngagementInvitationSummary> {
        let now = *crate::tui::fixtures::NOW;
        let row = |id: &str, status, kind, sender: &str, due_days| {
            let mut row = summary(id, status, 1);
            row.payload_type = Some(kind);
            row.sender_company_name = Some(sender.to_owned());
            row.expiration_date = Some(Timestamp(now + chrono::Duration::days(due_days)));
            row
        };
        vec![
            row(
                "engi-opp",
                InvitationStatus::Pending,
                PayloadType::OpportunityInvitation,
                "AWS",
                2,
            ),
            row(
                "engi-lead",
                InvitationStatus::Pending,
                PayloadType::LeadInvitation,
                "Globex Integrators",
                10,
            ),
            row(
                "engi-done",
                InvitationStatus::Accepted,
                PayloadType::OpportunityInvitation,
                " amazon web services ",
                1,
            ),
        ]
    }

    #[test]
    fn kind_sender_and_several_statuses_filter_the_rows() {
        let mut filter = Filter::default();
        let mut listing = listing(kinds_and_senders(), &filter);
        let mut shows = |change: &dyn Fn(&mut Filter), expected: &[&str]| {
            change(&mut filter);
            listing.apply(&filter);
            let mut shown = visible_ids(&listing);
            shown.sort();
            assert_eq!(shown, expected, "{filter:?}");
        };
        shows(&|f| f.kind = Some(Kind::Lead), &["engi-lead"]);
        shows(
            &|f| f.kind = Some(Kind::Opportunity),
            &["engi-done", "engi-opp"],
        );
        shows(&|f| f.kind = None, &["engi-done", "engi-lead", "engi-opp"]);
        shows(&|f| f.sender = Sender::Aws, &["engi-done", "engi-opp"]);
        shows(&|f| f.sender = Sender::Partners, &["engi-lead"]);
        shows(
            &|f| f.sender = Sender::Named("globex INTEGRATORS".into()),
            &["engi-lead"],
        );
        shows(&|f| f.sender = Sender::Named("Globex".into()), &[]);
        shows(
            &|f| f.sender = Sender::Anyone,
            &["engi-done", "engi-lead", "engi-opp"],
        );
        shows(
            &|f| f.statuses = vec![InvitationStatus::Accepted],
            &["engi-done"],
        );
        shows(
            &|f| f.statuses = vec![InvitationStatus::Pending, InvitationStatus::Accepted],
            &["engi-done", "engi-lead", "engi-opp"],
        );
        shows(
            &|f| f.statuses = vec![InvitationStatus::Rejected, InvitationStatus::Expired],
            &[],
        );
    }

    #[test]
    fn expiring_within_counts_pending_deadlines_from_the_clock_it_was_set_at() {
        let now = *crate::tui::fixtures::NOW;
        let mut filter = Filter {
            expiring: Some(Expiring::within(3, now)),
            ..Filter::default()
        };
        let mut listing = listing(kinds_and_senders(), &filter);
        // engi-done is due tomorrow but answered: no deadline any more.
        assert_eq!(visible_ids(&listing), ["engi-opp"]);
        filter.expiring = Some(Expiring::within(10, now));
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-opp", "engi-lead"]);
        // Nine days later the 3-day window reaches the lead too.
        filter.expiring = Some(Expiring::within(3, now));
        filter.renew(now + chrono::Duration::days(9));
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-opp", "engi-lead"]);
        assert_eq!(filter.expiring.map(|e| e.days), Some(3));
    }

    #[test]
    fn a_new_filter_is_a_full_pass_and_a_longer_search_narrows_within_it() {
        let mut filter = Filter {
            search: "engi-".into(),
            ..Filter::default()
        };
        let mut listing = listing(kinds_and_senders(), &filter);
        filter.sender = Sender::Partners;
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-lead"]);
        // Wider again: a filter dropped is no narrowing, the rows it hid come back.
        filter.sender = Sender::Anyone;
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing).len(), 3);
        filter.kind = Some(Kind::Opportunity);
        listing.apply(&filter);
        filter.search = "engi-o".into();
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-opp"]);
        filter.kind = None;
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-opp"]);
        filter.search = "engi-".into();
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing).len(), 3);
    }

    #[test]
    fn a_row_that_must_be_seen_lets_the_filters_through() {
        let now = *crate::tui::fixtures::NOW;
        let mut filter = Filter {
            statuses: vec![InvitationStatus::Pending],
            kind: Some(Kind::Lead),
            sender: Sender::Aws,
            expiring: Some(Expiring::within(1, now)),
            sort: Sort::Deadline,
            search: "x".into(),
        };
        filter.let_through(Some(&InvitationStatus::Pending));
        assert_eq!(
            filter,
            Filter {
                statuses: vec![InvitationStatus::Pending],
                sort: Sort::Deadline,
                search: "x".into(),
                ..Filter::default()
            }
        );
        filter.let_through(Some(&InvitationStatus::Accepted));
        assert!(filter.statuses.is_empty());
    }
}
