//! The inbox's views: a name and what the list shows (received or sent, statuses, payload
//! kind, sender, expiring within N days, sort). Keys `1`…`9` pick them in order. The config
//! file's `[[views]]` replace the defaults (To do, Received, Sent); each field is checked as
//! the file writes it ([`View::set`]), and the config loader adds the view and the line.

use chrono::{DateTime, Utc};

use super::listing::{Expiring, Filter, Kind, Sender, Sort};
use crate::api::model::{InvitationStatus, ParticipantType};

/// Keys `1`…`9`: at most this many views.
pub const MAX_VIEWS: usize = 9;

/// The longest "expiring within": ten years of days (a date further away overflows nothing,
/// and no invitation lives that long).
pub const MAX_DAYS: u32 = 3650;

/// The fields of a `[[views]]` entry.
pub const FIELDS: [&str; 7] = [
    "name",
    "participant",
    "status",
    "kind",
    "sender",
    "expiring-within-days",
    "sort",
];

/// One view: what the list shows when it is picked (the search is not part of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub name: String,
    pub participant: ParticipantType,
    /// In the model's order, each once; empty: every status.
    pub statuses: Vec<InvitationStatus>,
    pub kind: Option<Kind>,
    pub sender: Sender,
    pub expiring_within_days: Option<u32>,
    pub sort: Sort,
}

impl View {
    /// A view named `name` of every received invitation, newest first: what a `[[views]]`
    /// entry shows before its fields say otherwise.
    pub fn named(name: &str) -> View {
        View {
            name: name.to_owned(),
            participant: ParticipantType::Receiver,
            statuses: Vec::new(),
            kind: None,
            sender: Sender::Anyone,
            expiring_within_days: None,
            sort: Sort::Newest,
        }
    }

    /// Sets `field` from the config file's `value`; the rule it breaks, if it does.
    pub fn set(&mut self, field: &str, value: &toml::Value) -> Result<(), String> {
        let text = || {
            value
                .as_str()
                .ok_or_else(|| format!("{field}: write a string (in quotes), not `{value}`"))
        };
        match field {
            "name" => {
                let name = text()?.trim();
                if name.is_empty() {
                    return Err("name: must not be empty".to_owned());
                }
                self.name = name.to_owned();
            }
            "participant" => {
                self.participant = match text()?.to_ascii_lowercase().as_str() {
                    "received" => ParticipantType::Receiver,
                    "sent" => ParticipantType::Sender,
                    _ => {
                        return Err(format!(
                            "participant: `{}` must be \"received\" or \"sent\"",
                            text()?
                        ));
                    }
                }
            }
            "status" => self.statuses = statuses(value)?,
            "kind" => {
                let named = text()?;
                self.kind = Some(
                    Kind::ALL
                        .into_iter()
                        .find(|kind| kind.name().eq_ignore_ascii_case(named))
                        .ok_or_else(|| {
                            format!(
                                "kind: `{named}` must be \"opportunity\" or \"lead\" (leave it out for both)"
                            )
                        })?,
                );
            }
            "sender" => {
                let named = text()?.trim();
                self.sender = match named.to_ascii_lowercase().as_str() {
                    "" => return Err("sender: must not be empty (leave it out for anyone)".into()),
                    "aws" => Sender::Aws,
                    "partners" => Sender::Partners,
                    _ => Sender::Named(named.to_owned()),
                };
            }
            "expiring-within-days" => {
                let days = value
                    .as_integer()
                    .and_then(|days| u32::try_from(days).ok())
                    .filter(|days| (1..=MAX_DAYS).contains(days))
                    .ok_or_else(|| {
                        format!(
                            "expiring-within-days: `{value}` must be a whole number of days from 1 to {MAX_DAYS}"
                        )
                    })?;
                self.expiring_within_days = Some(days);
            }
            "sort" => {
                let named = text()?;
                self.sort = Sort::NAMES
                    .into_iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(named))
                    .map(|(_, sort)| sort)
                    .ok_or_else(|| {
                        format!("sort: `{named}` must be \"newest\", \"oldest\" or \"expiry\"")
                    })?;
            }
            _ => {
                return Err(format!(
                    "`{field}` is not a view field; a view has: {}",
                    FIELDS.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// What the list shows for this view at `now`, with `search` kept.
    pub fn filter(&self, search: String, now: DateTime<Utc>) -> Filter {
        Filter {
            statuses: self.statuses.clone(),
            kind: self.kind,
            sender: self.sender.clone(),
            expiring: self
                .expiring_within_days
                .map(|days| Expiring::within(days, now)),
            sort: self.sort,
            search,
        }
    }

    /// Whether the list shows this view as defined (the search aside): `false` once the
    /// status, sort, participant or a filter was changed by hand.
    pub fn is_shown(&self, participant: &ParticipantType, filter: &Filter) -> bool {
        *participant == self.participant
            && filter.statuses == self.statuses
            && filter.kind == self.kind
            && filter.sender == self.sender
            && filter.expiring.map(|e| e.days) == self.expiring_within_days
            && filter.sort == self.sort
    }
}

/// `status = "pending"` or `status = ["PENDING", "expired"]`: in any case, as the service
/// spells them, kept in the model's order.
fn statuses(value: &toml::Value) -> Result<Vec<InvitationStatus>, String> {
    let names: Vec<&toml::Value> = match value {
        toml::Value::Array(names) if names.is_empty() => {
            return Err(
                "status: list at least one status (leave it out for every status)".to_owned(),
            );
        }
        toml::Value::Array(names) => names.iter().collect(),
        one => vec![one],
    };
    let mut wanted = Vec::new();
    for name in names {
        let known = name.as_str().and_then(|name| {
            InvitationStatus::ALL
                .iter()
                .find(|status| status.as_str().eq_ignore_ascii_case(name))
        });
        let Some(status) = known else {
            let name = name
                .as_str()
                .map_or_else(|| name.to_string(), str::to_owned);
            return Err(format!(
                "status: `{name}` is not a status; use {}",
                InvitationStatus::NAMES.join(", ")
            ));
        };
        wanted.push(status.clone());
    }
    Ok(InvitationStatus::ALL
        .iter()
        .filter(|status| wanted.contains(status))
        .cloned()
        .collect())
}

/// The views in force: one to [`MAX_VIEWS`], in key order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Views(Vec<View>);

impl Default for Views {
    /// `1` To do (received PENDING, soonest deadline first), `2` Received, `3` Sent.
    fn default() -> Views {
        Views(vec![
            View {
                statuses: vec![InvitationStatus::Pending],
                sort: Sort::Deadline,
                ..View::named("To do")
            },
            View::named("Received"),
            View {
                participant: ParticipantType::Sender,
                ..View::named("Sent")
            },
        ])
    }
}

impl Views {
    /// The config file's views; `None` when there are none or more than [`MAX_VIEWS`].
    pub fn saved(views: Vec<View>) -> Option<Views> {
        (1..=MAX_VIEWS)
            .contains(&views.len())
            .then_some(Views(views))
    }

    pub fn get(&self, index: usize) -> Option<&View> {
        self.0.get(index)
    }

    /// The view `pcinbox` starts on (key `1`).
    pub fn first(&self) -> &View {
        &self.0[0]
    }

    /// How many views there are (never none).
    pub fn count(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &View> {
        self.0.iter()
    }
}

/// The filters beyond status and sort, in words: `Lead only`, `from AWS`, `expiring within
/// 3 days` (the header and the empty list say them).
pub fn filter_words(filter: &Filter) -> Vec<String> {
    let mut words = Vec::new();
    if let Some(kind) = filter.kind {
        words.push(format!("{} only", kind.name()));
    }
    match &filter.sender {
        Sender::Anyone => {}
        Sender::Aws => words.push("from AWS".to_owned()),
        Sender::Partners => words.push("from partners".to_owned()),
        Sender::Named(name) => words.push(format!("from {name}")),
    }
    if let Some(expiring) = filter.expiring {
        words.push(format!("expiring within {}", days(expiring.days)));
    }
    words
}

/// The statuses a filter shows, in words: `all statuses`, `PENDING only`, `PENDING, EXPIRED`.
pub fn status_words(statuses: &[InvitationStatus]) -> String {
    match statuses {
        [] => "all statuses".to_owned(),
        [one] => format!("{one} only"),
        several => several
            .iter()
            .map(InvitationStatus::as_str)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// `1 day`, `3 days`.
pub fn days(count: u32) -> String {
    if count == 1 {
        "1 day".to_owned()
    } else {
        format!("{count} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(toml: &str) -> Result<View, String> {
        let table: toml::Table = toml::from_str(toml).unwrap();
        let mut view = View::named("?");
        for (field, value) in &table {
            view.set(field, value)?;
        }
        Ok(view)
    }

    #[test]
    fn a_view_reads_every_field_in_any_case() {
        let urgent = view(
            "name = \" Urgent \"\nparticipant = \"SENT\"\nstatus = [\"expired\", \"PENDING\", \"pending\"]\n\
             kind = \"Lead\"\nsender = \"Aws\"\nexpiring-within-days = 3\nsort = \"EXPIRY\"\n",
        )
        .unwrap();
        assert_eq!(
            urgent,
            View {
                name: "Urgent".into(),
                participant: ParticipantType::Sender,
                statuses: vec![InvitationStatus::Pending, InvitationStatus::Expired],
                kind: Some(Kind::Lead),
                sender: Sender::Aws,
                expiring_within_days: Some(3),
                sort: Sort::Deadline,
            }
        );
        assert_eq!(
            view("status = \"accepted\"").unwrap().statuses,
            [InvitationStatus::Accepted]
        );
        assert_eq!(
            view("sender = \"Globex Integrators\"").unwrap().sender,
            Sender::Named("Globex Integrators".into())
        );
        assert_eq!(
            view("sender = \"partners\"").unwrap().sender,
            Sender::Partners
        );
    }

    #[test]
    fn each_bad_field_says_its_rule() {
        for (toml, says) in [
            ("name = \"  \"", "name: must not be empty"),
            ("name = 3", "name: write a string"),
            (
                "participant = \"inbox\"",
                "participant: `inbox` must be \"received\" or \"sent\"",
            ),
            (
                "status = [\"WITHDRAWN\"]",
                "status: `WITHDRAWN` is not a status; use ACCEPTED, PENDING, REJECTED, EXPIRED",
            ),
            ("status = []", "status: list at least one status"),
            (
                "kind = \"opp\"",
                "kind: `opp` must be \"opportunity\" or \"lead\"",
            ),
            ("sender = \"\"", "sender: must not be empty"),
            (
                "expiring-within-days = 0",
                "expiring-within-days: `0` must be a whole number of days from 1 to 3650",
            ),
            ("expiring-within-days = -2", "`-2` must be a whole number"),
            ("expiring-within-days = 2.5", "`2.5` must be a whole number"),
            (
                "expiring-within-days = \"3\"",
                "`\"3\"` must be a whole number",
            ),
            ("expiring-within-days = 99999", "from 1 to 3650"),
            (
                "sort = \"deadline\"",
                "sort: `deadline` must be \"newest\", \"oldest\" or \"expiry\"",
            ),
            (
                "colour = \"red\"",
                "`colour` is not a view field; a view has: name, participant",
            ),
        ] {
            let error = view(toml).expect_err(toml);
            assert!(error.contains(says), "{toml}: {error}");
        }
    }

    #[test]
    fn a_view_is_shown_until_a_filter_changes_by_hand() {
        let now = *crate::tui::fixtures::NOW;
        let to_do = &Views::default().0[0];
        let mut filter = to_do.filter("typed".into(), now);
        assert!(
            to_do.is_shown(&ParticipantType::Receiver, &filter),
            "a search is not a change"
        );
        assert!(!to_do.is_shown(&ParticipantType::Sender, &filter));
        filter.renew(now + chrono::Duration::hours(5));
        assert!(to_do.is_shown(&ParticipantType::Receiver, &filter));
        filter.sort = Sort::Newest;
        assert!(!to_do.is_shown(&ParticipantType::Receiver, &filter));
    }

    #[test]
    fn the_header_words_name_each_filter() {
        let filter = Filter {
            kind: Some(Kind::Opportunity),
            sender: Sender::Named("Globex".into()),
            expiring: Some(Expiring::within(1, *crate::tui::fixtures::NOW)),
            ..Filter::default()
        };
        assert_eq!(
            filter_words(&filter),
            ["Opportunity only", "from Globex", "expiring within 1 day"]
        );
        assert_eq!(status_words(&[]), "all statuses");
        assert_eq!(
            status_words(&[InvitationStatus::Pending, InvitationStatus::Expired]),
            "PENDING, EXPIRED"
        );
    }
}
