//! The detail part: the invitations' details as they arrive (each asked for once, a stale
//! answer dropped), how the pane scrolls and whether it shows raw JSON. Drawn by `detail`.

use std::collections::HashMap;

use super::event::Detail;
use super::scroll::Scroll;
use super::worker::Request;

/// The detail of one invitation, once asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum DetailState {
    Loaded(Box<Detail>),
    Failed(String),
}

#[derive(Debug, Default)]
pub struct DetailPane {
    pub details: HashMap<String, DetailState>,
    pub scroll: Scroll,
    pub raw_json: bool,
    seq: u64,
    /// The sequence number of the last request the user's selection made (not a prefetch).
    last_request: u64,
    /// The newest detail request per invitation; an answer to an older one is stale.
    requested: HashMap<String, u64>,
}

impl DetailPane {
    /// Whether the detail of `id` was asked for and has not arrived.
    pub fn loading(&self, id: &str) -> bool {
        self.requested.contains_key(id) && !self.details.contains_key(id)
    }

    /// The request for `id`'s detail, unless it is known or already asked for last.
    pub fn request(&mut self, catalog: &str, id: &str) -> Option<Request> {
        if self.details.contains_key(id) || self.requested.get(id) == Some(&self.last_request) {
            return None;
        }
        self.seq += 1;
        self.last_request = self.seq;
        self.requested.insert(id.to_owned(), self.seq);
        Some(Request::Detail {
            seq: self.seq,
            catalog: catalog.to_owned(),
            id: id.to_owned(),
        })
    }

    /// Background loads of those of `ids` neither known nor asked for: a `(seq, id)` each. A
    /// later `request` of one of them asks again at once (the background answer is then stale).
    pub fn prefetch(&mut self, ids: impl IntoIterator<Item = String>) -> Vec<(u64, String)> {
        let mut jobs = Vec::new();
        for id in ids {
            if self.details.contains_key(&id) || self.requested.contains_key(&id) {
                continue;
            }
            self.seq += 1;
            self.requested.insert(id.clone(), self.seq);
            jobs.push((self.seq, id));
        }
        jobs
    }

    /// The answer to request `seq`; the detail if it is the newest for `id`.
    pub fn loaded(
        &mut self,
        seq: u64,
        id: String,
        result: Result<Box<Detail>, String>,
    ) -> Option<&Detail> {
        if self.requested.get(&id) != Some(&seq) {
            return None;
        }
        let state = match result {
            Ok(detail) => DetailState::Loaded(detail),
            Err(error) => DetailState::Failed(error),
        };
        match self.details.entry(id).insert_entry(state).into_mut() {
            DetailState::Loaded(detail) => Some(detail),
            DetailState::Failed(_) => None,
        }
    }

    /// `id` changed: what is known of it, and any answer on the way, is stale.
    pub fn forget(&mut self, id: &str) {
        self.details.remove(id);
        self.requested.remove(id);
    }

    /// Another catalog: nothing known applies.
    pub fn clear(&mut self) {
        self.details.clear();
        self.requested.clear();
    }

    /// `r`: failed details are asked for again.
    pub fn retry_failed(&mut self) {
        self.details
            .retain(|_, detail| !matches!(detail, DetailState::Failed(_)));
    }

    /// The newest request made for `id` (tests).
    #[cfg(test)]
    pub fn request_of(&self, id: &str) -> Option<u64> {
        self.requested.get(id).copied()
    }
}
