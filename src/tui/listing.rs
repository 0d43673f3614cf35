//! The loaded invitations and which of them the list shows: rows kept newest first, a status
//! filter, a sort direction and a search, turned into a `Vec<usize>` of visible row indices.
//!
//! Built for 100,000 rows: each row's lowercase search text is computed once when it arrives,
//! rows are sorted once per page (already-sorted runs make that linear), and a filter, sort or
//! search change is one pass over the rows, with no allocation per row.

use std::collections::HashSet;

use crate::api::model::{EngagementInvitationSummary, InvitationStatus, Receiver, Timestamp};

/// One invitation of the listing with what the list needs precomputed.
#[derive(Clone, Debug)]
pub struct Row {
    pub summary: EngagementInvitationSummary,
    /// Seen for the first time by the latest refresh (the list marks it).
    pub is_new: bool,
    /// Lowercase title, company, sender and receiver ids, invitation and engagement ids.
    haystack: String,
}

impl Row {
    pub fn new(summary: EngagementInvitationSummary) -> Row {
        let mut haystack = String::new();
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
            // A separator no typed search contains, so a match never spans two fields.
            haystack.push('\u{1}');
            haystack.extend(part.chars().flat_map(char::to_lowercase));
        }
        Row {
            summary,
            is_new: false,
            haystack,
        }
    }

    pub fn id(&self) -> &str {
        &self.summary.id
    }

    fn date(&self) -> Option<Timestamp> {
        self.summary.invitation_date
    }
}

/// What the list shows of the rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// `None` shows every status.
    pub status: Option<InvitationStatus>,
    pub newest_first: bool,
    /// Lowercase; empty matches everything.
    pub search: String,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            status: None,
            newest_first: true,
            search: String::new(),
        }
    }
}

impl Filter {
    /// The status filter `s` moves to: All → Pending → Accepted → Rejected → Expired → All.
    pub fn next_status(&self) -> Option<InvitationStatus> {
        match self.status {
            None => Some(InvitationStatus::Pending),
            Some(InvitationStatus::Pending) => Some(InvitationStatus::Accepted),
            Some(InvitationStatus::Accepted) => Some(InvitationStatus::Rejected),
            Some(InvitationStatus::Rejected) => Some(InvitationStatus::Expired),
            Some(_) => None,
        }
    }

    fn matches(&self, row: &Row) -> bool {
        (self.status.is_none() || row.summary.status == self.status)
            && (self.search.is_empty() || row.haystack.contains(&self.search))
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
        for row in rows {
            match row.summary.status {
                Some(InvitationStatus::Pending) => counts.pending += 1,
                Some(InvitationStatus::Accepted) => counts.accepted += 1,
                Some(InvitationStatus::Rejected) => counts.rejected += 1,
                Some(InvitationStatus::Expired) => counts.expired += 1,
                _ => counts.other += 1,
            }
        }
        counts
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
        self.rows.extend(rows);
        self.sort_and_refresh(filter);
    }

    pub fn clear(&mut self) {
        *self = Listing::default();
    }

    /// Marks every row whose id is not in `known` as new.
    pub fn mark_new(&mut self, known: &HashSet<String>) {
        for row in &mut self.rows {
            row.is_new = !known.contains(row.id());
        }
    }

    pub fn ids(&self) -> HashSet<String> {
        self.rows.iter().map(|row| row.summary.id.clone()).collect()
    }

    /// Changes one row's status in place (after accept/reject); the filter may now hide it.
    pub fn set_status(&mut self, id: &str, status: InvitationStatus, filter: &Filter) -> bool {
        let Some(row) = self.rows.iter_mut().find(|row| row.id() == id) else {
            return false;
        };
        row.summary.status = Some(status);
        row.is_new = false;
        self.counts = StatusCounts::of(&self.rows);
        self.apply(filter);
        true
    }

    pub fn clear_new(&mut self, id: &str) {
        if let Some(row) = self.rows.iter_mut().find(|row| row.id() == id) {
            row.is_new = false;
        }
    }

    pub fn summaries(&self) -> Vec<EngagementInvitationSummary> {
        self.rows.iter().map(|row| row.summary.clone()).collect()
    }

    fn sort_and_refresh(&mut self, filter: &Filter) {
        // Stable and run-aware: appending a sorted page to sorted rows costs a merge, not a sort.
        self.rows.sort_by_key(|row| std::cmp::Reverse(row.date()));
        self.counts = StatusCounts::of(&self.rows);
        self.apply(filter);
    }

    /// Recomputes the visible indices for `filter`: one pass, no per-row allocation.
    pub fn apply(&mut self, filter: &Filter) {
        self.visible.clear();
        let matching = |(index, row): (usize, &Row)| filter.matches(row).then_some(index);
        if filter.newest_first {
            self.visible
                .extend(self.rows.iter().enumerate().filter_map(matching));
        } else {
            self.visible
                .extend(self.rows.iter().enumerate().rev().filter_map(matching));
        }
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

    #[test]
    fn rows_are_newest_first_and_the_sort_flips() {
        let mut filter = Filter::default();
        let mut listing = listing(
            vec![
                summary("engi-a", InvitationStatus::Pending, 3),
                summary("engi-b", InvitationStatus::Accepted, 1),
                summary("engi-c", InvitationStatus::Pending, 2),
            ],
            &filter,
        );
        assert_eq!(visible_ids(&listing), ["engi-b", "engi-c", "engi-a"]);
        filter.newest_first = false;
        listing.apply(&filter);
        assert_eq!(visible_ids(&listing), ["engi-a", "engi-c", "engi-b"]);
    }

    #[test]
    fn status_filter_and_search_combine() {
        let mut filter = Filter::default();
        let mut listing = listing(
            vec![
                summary("engi-a", InvitationStatus::Pending, 3),
                summary("engi-b", InvitationStatus::Accepted, 1),
                summary("engi-c", InvitationStatus::Pending, 2),
            ],
            &filter,
        );
        filter.status = Some(InvitationStatus::Pending);
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
    fn status_cycle_visits_every_status_once() {
        let mut filter = Filter::default();
        let mut seen = Vec::new();
        for _ in 0..5 {
            filter.status = filter.next_status();
            seen.push(filter.status.clone());
        }
        assert_eq!(
            seen,
            [
                Some(InvitationStatus::Pending),
                Some(InvitationStatus::Accepted),
                Some(InvitationStatus::Rejected),
                Some(InvitationStatus::Expired),
                None
            ]
        );
    }
}
