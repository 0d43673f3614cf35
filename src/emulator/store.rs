//! The emulator's state: invitations, engagements, accepting tasks and opportunities, and what
//! each operation does to them,
//! each operation one transaction on the SQLite database (see `database` for the file, its
//! schema and migrations).
//!
//! Every operation reads the database afresh, so a process sees what other processes sharing
//! the file did as soon as they committed. A write reads, checks and writes inside one
//! `BEGIN IMMEDIATE` transaction: of two accepts of the same invitation, whichever process
//! comes second finds it ACCEPTED and gets a ConflictException.
//!
//! Listings walk an index on (catalog, participant type, InvitationDate, Id) (or one that
//! starts with the status or the sender, when the filter names them), so a page costs the rows
//! it reads, never a sort of the store. NextToken is a keyset cursor (the last row's sort key)
//! bound to a hash of the filter, so pages never repeat or skip a row whatever the page size,
//! even while invitations are created.

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};

mod accepting;

use super::database::Database;
use super::error::ServiceError;
use super::ids;
use crate::api::model::{
    AccountReceiver, CATALOG_AWS, CATALOG_SANDBOX, CreateEngagementInvitationRequest,
    CreateEngagementInvitationResponse, EngagementInvitation, EngagementInvitationSummary,
    EngagementMember, EngagementMemberSummary, InvitationStatus, ListEngagementInvitationsRequest,
    ListEngagementMembersRequest, ListEngagementMembersResponse, ParticipantType, PayloadType,
    Receiver, RejectEngagementInvitationRequest, SortOrder, Timestamp, ValidationErrorCode,
};

/// How long a new invitation stays open (the service's documented 15 days).
pub const INVITATION_LIFETIME_DAYS: i64 = 15;
/// Rows per listing page when the request has no MaxResults.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// Members per page when the request has no MaxResults (the model's maximum).
pub const DEFAULT_MEMBER_PAGE_SIZE: usize = 10;
/// Rows per page of ListEngagements and ListEngagementByAcceptingInvitationTasks when the
/// request has no MaxResults.
pub const DEFAULT_TASK_PAGE_SIZE: usize = 20;

/// `meta` keys.
const META_FIRST_START: &str = "first_start";
const META_SEEDED: &str = "seeded";

/// The partner the emulator's user is: the receiver of received invitations and the sender of
/// sent ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub account_id: String,
    pub company_name: String,
    pub website_url: String,
}

impl Caller {
    /// The emulator's user in the account `account_id`.
    pub fn new(account_id: String) -> Caller {
        Caller {
            account_id,
            company_name: super::CALLER_COMPANY_NAME.to_owned(),
            website_url: super::CALLER_WEBSITE_URL.to_owned(),
        }
    }

    /// The caller as the receiver of an invitation.
    pub fn as_receiver(&self) -> Receiver {
        Receiver::Account(AccountReceiver {
            alias: Some(self.company_name.clone()),
            aws_account_id: self.account_id.clone(),
        })
    }

    pub fn as_member(&self) -> EngagementMember {
        EngagementMember {
            company_name: Some(self.company_name.clone()),
            website_url: Some(self.website_url.clone()),
            account_id: Some(self.account_id.clone()),
        }
    }
}

/// An invitation as stored: what Get returns (with the status as last set) and which side of
/// it the caller is on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StoredInvitation {
    pub participant_type: ParticipantType,
    pub invitation: EngagementInvitation,
}

/// An engagement: the shared context invitations are sent in, and its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Engagement {
    pub id: String,
    pub catalog: String,
    pub title: String,
    pub description: String,
    pub members: Vec<EngagementMember>,
}

impl Engagement {
    /// Whether the account `account_id` is one of the engagement's members.
    pub fn has_member(&self, account_id: &str) -> bool {
        self.members
            .iter()
            .any(|m| m.account_id.as_deref() == Some(account_id))
    }
}

/// A remembered create: the same token with the same parameters returns the same invitation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdempotencyRecord {
    pub catalog: String,
    pub client_token: String,
    /// The request without its token, as canonical JSON.
    pub fingerprint: String,
    pub invitation_id: String,
}

/// The emulator's store: the caller, and the database every operation runs in.
#[derive(Debug)]
pub struct Store {
    caller: Caller,
    first_start: Timestamp,
    database: Database,
}

impl Store {
    /// The store in `database`. A database without contents yet gets them from `fill` (the
    /// demo data, or an imported store), which says when the store first started; this happens
    /// once, even when several processes open a new database at the same moment.
    pub fn open(
        database: Database,
        caller: Caller,
        fill: impl FnOnce(&Transaction<'_>, &Caller) -> anyhow::Result<Timestamp>,
    ) -> anyhow::Result<Store> {
        let first_start = database.write(|t| {
            let recorded: Option<String> = t
                .query_row(
                    "SELECT value FROM meta WHERE key = ?1",
                    [META_FIRST_START],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(text) = recorded {
                return Timestamp::parse(&text).ok_or_else(|| {
                    anyhow::anyhow!("the store's first start `{text}` is not a date")
                });
            }
            let first_start = fill(t, &caller)?;
            t.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![META_FIRST_START, first_start.0.to_rfc3339()],
            )?;
            Ok::<_, anyhow::Error>(first_start)
        })?;
        Ok(Store {
            caller,
            first_start,
            database,
        })
    }

    /// When this store was first created; demo and seed dates are relative to it.
    pub fn first_start(&self) -> Timestamp {
        self.first_start
    }

    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// Whether the store is an in-memory database (`--ephemeral`).
    pub fn is_in_memory(&self) -> bool {
        self.database.is_in_memory()
    }

    /// Runs `operation` in one write transaction (for seeding and tests).
    pub fn write<T>(
        &self,
        operation: impl FnOnce(&Transaction<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        self.database.write(|t| operation(t))
    }

    /// See [`Database::checkpoint`].
    pub fn checkpoint(&self) -> rusqlite::Result<()> {
        self.database.checkpoint()
    }

    /// How many invitations `--seed-count` added so far (seeding adds only the ones after).
    pub fn seeded(&self) -> anyhow::Result<usize> {
        self.database.read(|t| {
            let seeded: Option<String> = t
                .query_row(
                    "SELECT value FROM meta WHERE key = ?1",
                    [META_SEEDED],
                    |row| row.get(0),
                )
                .optional()?;
            Ok(seeded.and_then(|n| n.parse().ok()).unwrap_or(0))
        })
    }

    /// Records that the seed invitations `0..count` are in the store.
    pub fn record_seeded(t: &Transaction<'_>, count: usize) -> rusqlite::Result<()> {
        t.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![META_SEEDED, count.to_string()],
        )?;
        Ok(())
    }

    /// ListEngagementInvitations, typed, for tests.
    #[cfg(test)]
    pub fn list_invitations(
        &self,
        request: &ListEngagementInvitationsRequest,
        now: Timestamp,
    ) -> Result<crate::api::model::ListEngagementInvitationsResponse, ServiceError> {
        let page = self.list_invitations_json(request, now)?;
        serde_json::from_slice(&page).map_err(|e| ServiceError::InternalServer(e.to_string()))
    }

    /// ListEngagementInvitations as the response body: each row's summary is stored as JSON
    /// when the invitation is written, so a page is those texts joined, with no dates or
    /// structures to parse and print again (what the server spends per page, and what a
    /// client listing 10,000 invitations waits for 100 times).
    pub fn list_invitations_json(
        &self,
        request: &ListEngagementInvitationsRequest,
        now: Timestamp,
    ) -> Result<Vec<u8>, ServiceError> {
        check_catalog(&request.catalog)?;
        let filter = Filter::new(request);
        let fingerprint = filter.fingerprint();
        let cursor = match &request.next_token {
            Some(token) => Some(Cursor::decode(token, fingerprint)?),
            None => None,
        };
        // The validation module enforces 1..=100; clamping keeps a page from being empty.
        let page_size = request
            .max_results
            .map_or(DEFAULT_PAGE_SIZE, |n| n as usize)
            .clamp(1, 100);
        let (sql, values) = filter.query(cursor.as_ref(), now, page_size + 1);
        // One statement: consistent on its own, no transaction needed.
        let mut rows = self.database.query(|c| {
            c.prepare_cached(&sql)?
                .query_map(rusqlite::params_from_iter(values), |row| {
                    Ok(ListedRow {
                        summary: row.get(0)?,
                        expired: row.get(1)?,
                        date: row.get(2)?,
                        id: row.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let more = rows.len() > page_size;
        rows.truncate(page_size);
        // A page of 100 summaries is about 85 KB: room for it up front.
        let mut page =
            Vec::with_capacity(rows.iter().map(|r| r.summary.len() + 1).sum::<usize>() + 256);
        page.extend_from_slice(b"{\"EngagementInvitationSummaries\":[");
        for (n, row) in rows.iter().enumerate() {
            if n > 0 {
                page.push(b',');
            }
            page.extend_from_slice(row.listed_summary().as_bytes());
        }
        page.push(b']');
        if more && let Some(last) = rows.last() {
            let token = Cursor {
                fingerprint,
                date: Timestamp::parse(&last.date).unwrap_or(self.first_start),
                id: last.id.clone(),
            }
            .encode();
            page.extend_from_slice(b",\"NextToken\":");
            serde_json::to_writer(&mut page, &token)
                .map_err(|e| ServiceError::InternalServer(e.to_string()))?;
        }
        page.push(b'}');
        Ok(page)
    }

    /// GetEngagementInvitation.
    pub fn get_invitation(
        &self,
        catalog: &str,
        identifier: &str,
        now: Timestamp,
    ) -> Result<EngagementInvitation, ServiceError> {
        self.database.read(|t| {
            let stored = find(t, catalog, identifier)?;
            let mut invitation = stored.invitation;
            invitation.status = Some(effective_status(&invitation, now));
            if let Some(engagement_id) = &invitation.engagement_id
                && engagement_exists(t, engagement_id)?
            {
                invitation.existing_members = Some(
                    members(t, engagement_id)?
                        .into_iter()
                        .map(|m| EngagementMemberSummary {
                            company_name: m.company_name,
                            website_url: m.website_url,
                        })
                        .collect(),
                );
            }
            Ok(invitation)
        })
    }

    /// CreateEngagementInvitation: a PENDING invitation from the caller, idempotent on
    /// ClientToken (in every process sharing the store: the token's row is unique).
    pub fn create_invitation(
        &self,
        request: &CreateEngagementInvitationRequest,
        now: Timestamp,
    ) -> Result<CreateEngagementInvitationResponse, ServiceError> {
        check_catalog(&request.catalog)?;
        let fingerprint = serde_json::to_string(&CreateEngagementInvitationRequest {
            client_token: None,
            ..request.clone()
        })
        .map_err(|e| ServiceError::Serialization(e.to_string()))?;
        let caller = &self.caller;
        self.database.write(|t| {
            if let Some(token) = &request.client_token {
                let previous: Option<(String, String)> = t
                    .prepare_cached(
                        "SELECT fingerprint, invitation_id FROM client_tokens
                         WHERE catalog = ?1 AND client_token = ?2",
                    )?
                    .query_row(params![request.catalog, token], |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                    .optional()?;
                if let Some((previous_fingerprint, invitation_id)) = previous {
                    if previous_fingerprint != fingerprint {
                        return Err(ServiceError::Conflict(format!(
                            "ClientToken `{token}` was already used with different parameters"
                        )));
                    }
                    return Ok(CreateEngagementInvitationResponse {
                        arn: ids::invitation_arn(
                            &caller.account_id,
                            &request.catalog,
                            &invitation_id,
                        ),
                        id: invitation_id,
                    });
                }
            }

            let engagement = member_engagement(
                t,
                caller,
                &request.catalog,
                &request.engagement_identifier,
                "invite partners to it",
            )?;
            let mut id = ids::new_invitation_id();
            while invitation_exists(t, &id)? {
                id = ids::new_invitation_id();
            }
            let arn = ids::invitation_arn(&caller.account_id, &request.catalog, &id);
            let invitation_date = Timestamp(now.0.trunc_subsecs(3));
            let invitation = EngagementInvitation {
                arn: Some(arn.clone()),
                payload_type: Some(request.invitation.payload.kind()),
                id: id.clone(),
                engagement_id: Some(engagement.id),
                engagement_title: Some(engagement.title),
                status: Some(InvitationStatus::Pending),
                invitation_date: Some(invitation_date),
                expiration_date: Some(expiration_of(invitation_date)),
                sender_aws_account_id: Some(caller.account_id.clone()),
                sender_company_name: Some(caller.company_name.clone()),
                receiver: Some(request.invitation.receiver.clone()),
                catalog: request.catalog.clone(),
                rejection_reason: None,
                payload: Some(request.invitation.payload.clone()),
                invitation_message: Some(request.invitation.message.clone()),
                engagement_description: Some(engagement.description),
                existing_members: None,
                enrichment_context: None,
            };
            insert_invitation(
                t,
                &StoredInvitation {
                    participant_type: ParticipantType::Sender,
                    invitation,
                },
                invitation_date,
            )?;
            if let Some(token) = &request.client_token {
                insert_client_token(
                    t,
                    &IdempotencyRecord {
                        catalog: request.catalog.clone(),
                        client_token: token.clone(),
                        fingerprint,
                        invitation_id: id.clone(),
                    },
                )?;
            }
            Ok(CreateEngagementInvitationResponse { id, arn })
        })
    }

    /// AcceptEngagementInvitation: PENDING → ACCEPTED, and the caller joins the engagement.
    pub fn accept_invitation(
        &self,
        catalog: &str,
        identifier: &str,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        self.database.write(|t| {
            let stored = respondable(t, catalog, identifier, now)?;
            accept(t, &self.caller, &stored, now)
        })
    }

    /// RejectEngagementInvitation: PENDING → REJECTED, keeping the reason.
    pub fn reject_invitation(
        &self,
        request: &RejectEngagementInvitationRequest,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        self.database.write(|t| {
            let stored = respondable(t, &request.catalog, &request.identifier, now)?;
            t.prepare_cached(
                "UPDATE invitations SET status = ?2, rejection_reason = ?3, summary = ?4
                 WHERE id = ?1",
            )?
            .execute(params![
                stored.invitation.id,
                InvitationStatus::Rejected.as_str(),
                request.rejection_reason,
                answered_summary(&stored, InvitationStatus::Rejected)?,
            ])?;
            Ok(())
        })
    }

    /// ListEngagementMembers: only members of an engagement may list its members.
    pub fn list_members(
        &self,
        request: &ListEngagementMembersRequest,
    ) -> Result<ListEngagementMembersResponse, ServiceError> {
        check_catalog(&request.catalog)?;
        self.database.read(|t| {
            let engagement = member_engagement(
                t,
                &self.caller,
                &request.catalog,
                &request.identifier,
                "list its members",
            )?;
            let start = match &request.next_token {
                Some(token) => {
                    decode_offset_token(token, &engagement.id, "this engagement's members")?
                }
                None => 0,
            };
            let page_size = request
                .max_results
                .map_or(DEFAULT_MEMBER_PAGE_SIZE, |n| n as usize)
                .clamp(1, DEFAULT_MEMBER_PAGE_SIZE);
            let members = engagement.members.get(start..).unwrap_or_default();
            let page = &members[..page_size.min(members.len())];
            let next_token = (members.len() > page.len())
                .then(|| encode_offset_token(&engagement.id, start + page.len()));
            Ok(ListEngagementMembersResponse {
                engagement_member_list: page.to_vec(),
                next_token,
            })
        })
    }
}

impl From<rusqlite::Error> for ServiceError {
    fn from(error: rusqlite::Error) -> Self {
        tracing::error!("emulator store: {error}");
        let busy = matches!(
            error.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        ServiceError::InternalServer(if busy {
            "The emulator's store stayed busy (another process held it); try again".to_owned()
        } else {
            format!("The emulator's store failed: {error}")
        })
    }
}

/// Adds an invitation unless one with its id exists (so seeding twice adds nothing); an
/// invitation without a date is listed as sent at `undated`.
pub fn insert_invitation(
    t: &Transaction<'_>,
    stored: &StoredInvitation,
    undated: Timestamp,
) -> rusqlite::Result<bool> {
    let i = &stored.invitation;
    let invitation_date = i.invitation_date.unwrap_or(undated);
    let mut summary = summary_of(stored);
    summary.invitation_date = Some(invitation_date);
    let inserted = t
        .prepare_cached(
            "INSERT INTO invitations (id, catalog, participant_type, status, invitation_date,
                expiration_date, engagement_id, engagement_title, sender_aws_account_id,
                sender_company_name, payload_type, arn, receiver, rejection_reason,
                invitation_message, engagement_description, payload, enrichment_context, summary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19)
             ON CONFLICT(id) DO NOTHING",
        )?
        .execute(params![
            i.id,
            i.catalog,
            stored.participant_type.as_str(),
            i.status
                .as_ref()
                .unwrap_or(&InvitationStatus::Pending)
                .as_str(),
            date_text(invitation_date),
            i.expiration_date.map(date_text),
            i.engagement_id,
            i.engagement_title,
            i.sender_aws_account_id,
            i.sender_company_name,
            i.payload_type.as_ref().map(PayloadType::as_str),
            i.arn,
            to_json(&i.receiver)?,
            i.rejection_reason,
            i.invitation_message,
            i.engagement_description,
            to_json(&i.payload)?,
            to_json(&i.enrichment_context)?,
            summary_json(&summary)?,
        ])?;
    Ok(inserted == 1)
}

/// Adds an engagement and its members unless one with its id exists.
pub fn insert_engagement(t: &Transaction<'_>, engagement: &Engagement) -> rusqlite::Result<bool> {
    let inserted = t
        .prepare_cached(
            "INSERT INTO engagements (id, catalog, title, description) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO NOTHING",
        )?
        .execute(params![
            engagement.id,
            engagement.catalog,
            engagement.title,
            engagement.description
        ])?;
    if inserted == 0 {
        return Ok(false);
    }
    for member in &engagement.members {
        add_member(t, &engagement.id, member)?;
    }
    Ok(true)
}

/// Remembers a ClientToken's create (a token already remembered is kept as it was).
pub fn insert_client_token(
    t: &Transaction<'_>,
    record: &IdempotencyRecord,
) -> rusqlite::Result<()> {
    t.prepare_cached(
        "INSERT INTO client_tokens (catalog, client_token, fingerprint, invitation_id)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        record.catalog,
        record.client_token,
        record.fingerprint,
        record.invitation_id
    ])?;
    Ok(())
}

/// Marks a received invitation ACCEPTED and makes the caller a member of its engagement (noting
/// when and by whom the members changed).
fn accept(
    t: &Transaction<'_>,
    caller: &Caller,
    stored: &StoredInvitation,
    now: Timestamp,
) -> Result<(), ServiceError> {
    t.prepare_cached("UPDATE invitations SET status = ?2, summary = ?3 WHERE id = ?1")?
        .execute(params![
            stored.invitation.id,
            InvitationStatus::Accepted.as_str(),
            answered_summary(stored, InvitationStatus::Accepted)?,
        ])?;
    if let Some(engagement_id) = &stored.invitation.engagement_id
        && engagement_exists(t, engagement_id)?
        && !is_member(t, engagement_id, &caller.account_id)?
    {
        add_member(t, engagement_id, &caller.as_member())?;
        t.prepare_cached(
            "UPDATE engagements SET modified_at = ?2, modified_by = ?3 WHERE id = ?1",
        )?
        .execute(params![engagement_id, date_text(now), caller.account_id])?;
    }
    Ok(())
}

/// Appends a member to an engagement's list.
fn add_member(
    t: &Transaction<'_>,
    engagement_id: &str,
    member: &EngagementMember,
) -> rusqlite::Result<()> {
    t.prepare_cached(
        "INSERT INTO engagement_members
            (engagement_id, position, account_id, company_name, website_url)
         VALUES (?1, (SELECT COALESCE(MAX(position) + 1, 0) FROM engagement_members
                      WHERE engagement_id = ?1), ?2, ?3, ?4)",
    )?
    .execute(params![
        engagement_id,
        member.account_id,
        member.company_name,
        member.website_url
    ])?;
    Ok(())
}

fn to_json<T: Serialize>(value: &Option<T>) -> rusqlite::Result<Option<String>> {
    value
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn from_json<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    column: usize,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(column)?;
    text.map(|text| {
        serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                column,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
    })
    .transpose()
}

/// A date as stored: RFC 3339 UTC with nanoseconds, fixed width, so text order is time order
/// (and the `sqlite3` shell shows it readably).
fn date_text(date: Timestamp) -> String {
    date.0.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

fn date_of(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<Timestamp>> {
    let text: Option<String> = row.get(column)?;
    Ok(text.and_then(|text| Timestamp::parse(&text)))
}

/// The columns of a listing row, in the order [`read_summary_row`] reads them.
const SUMMARY_COLUMNS: &str = "id, catalog, participant_type, status, invitation_date, \
    expiration_date, engagement_id, engagement_title, sender_aws_account_id, \
    sender_company_name, payload_type, arn, receiver";

/// What a listing shows of an invitation (no payload, message or description), with the status
/// as stored.
fn read_summary_row(row: &Row<'_>) -> rusqlite::Result<EngagementInvitationSummary> {
    let text = |column: usize| row.get::<_, String>(column);
    Ok(EngagementInvitationSummary {
        id: text(0)?,
        catalog: text(1)?,
        participant_type: Some(ParticipantType::from(text(2)?.as_str())),
        status: Some(InvitationStatus::from(text(3)?.as_str())),
        invitation_date: date_of(row, 4)?,
        expiration_date: date_of(row, 5)?,
        engagement_id: row.get(6)?,
        engagement_title: row.get(7)?,
        sender_aws_account_id: row.get(8)?,
        sender_company_name: row.get(9)?,
        payload_type: row
            .get::<_, Option<String>>(10)?
            .map(|t| PayloadType::from(t.as_str())),
        arn: row.get(11)?,
        receiver: from_json(row, 12)?,
    })
}

/// A listing's row: its summary as stored, and what the page and its cursor need besides.
struct ListedRow {
    /// The summary's JSON, with the status as stored ([`summary_json`]).
    summary: String,
    /// PENDING past its expiration date: read as EXPIRED.
    expired: bool,
    date: String,
    id: String,
}

impl ListedRow {
    /// The summary as a reader sees it now. Its JSON has one unescaped `"Status":"PENDING"`
    /// at most (a quote inside a string is escaped), the status member itself.
    fn listed_summary(&self) -> Cow<'_, str> {
        if self.expired {
            Cow::Owned(
                self.summary
                    .replacen(r#""Status":"PENDING""#, r#""Status":"EXPIRED""#, 1),
            )
        } else {
            Cow::Borrowed(&self.summary)
        }
    }
}

/// What a listing shows of a stored invitation, with the status as stored; its JSON is kept in
/// the `summary` column, written again whenever the status changes.
fn summary_of(stored: &StoredInvitation) -> EngagementInvitationSummary {
    let mut summary = stored
        .invitation
        .clone()
        .into_summary(stored.participant_type.clone());
    summary.status.get_or_insert(InvitationStatus::Pending);
    summary
}

/// The `summary` column of `stored` once answered.
fn answered_summary(
    stored: &StoredInvitation,
    status: InvitationStatus,
) -> rusqlite::Result<String> {
    let mut summary = summary_of(stored);
    summary.status = Some(status);
    summary_json(&summary)
}

fn summary_json(summary: &EngagementInvitationSummary) -> rusqlite::Result<String> {
    serde_json::to_string(summary).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// Fills the `summary` column of a store from before it existed (migration 3).
pub(super) fn fill_summaries(connection: &rusqlite::Connection) -> rusqlite::Result<()> {
    let rows = connection
        .prepare(&format!("SELECT {SUMMARY_COLUMNS} FROM invitations"))?
        .query_map([], read_summary_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update = connection.prepare("UPDATE invitations SET summary = ?2 WHERE id = ?1")?;
    for summary in &rows {
        update.execute(params![summary.id, summary_json(summary)?])?;
    }
    Ok(())
}

/// Everything about an invitation: the listing's columns, then the rest.
fn read_invitation_row(row: &Row<'_>) -> rusqlite::Result<StoredInvitation> {
    let s = read_summary_row(row)?;
    Ok(StoredInvitation {
        participant_type: s.participant_type.unwrap_or(ParticipantType::Receiver),
        invitation: EngagementInvitation {
            arn: s.arn,
            payload_type: s.payload_type,
            id: s.id,
            engagement_id: s.engagement_id,
            engagement_title: s.engagement_title,
            status: s.status,
            invitation_date: s.invitation_date,
            expiration_date: s.expiration_date,
            sender_aws_account_id: s.sender_aws_account_id,
            sender_company_name: s.sender_company_name,
            receiver: s.receiver,
            catalog: s.catalog,
            rejection_reason: row.get(13)?,
            payload: from_json(row, 16)?,
            invitation_message: row.get(14)?,
            engagement_description: row.get(15)?,
            existing_members: None,
            enrichment_context: from_json(row, 17)?,
        },
    })
}

/// The invitation a request names (by id or ARN) in a catalog.
fn find(
    t: &Transaction<'_>,
    catalog: &str,
    identifier: &str,
) -> Result<StoredInvitation, ServiceError> {
    check_catalog(catalog)?;
    let id = ids::id_from_identifier(identifier);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, rejection_reason, invitation_message, engagement_description,
            payload, enrichment_context
         FROM invitations WHERE id = ?1"
    );
    t.prepare_cached(&sql)?
        .query_row([id], read_invitation_row)
        .optional()?
        .filter(|stored| {
            stored.invitation.catalog == catalog
                && (!identifier.starts_with("arn:")
                    || stored.invitation.arn.as_deref() == Some(identifier))
        })
        .ok_or_else(|| {
            ServiceError::ResourceNotFound(format!(
                "Engagement invitation {identifier} was not found in catalog {catalog}"
            ))
        })
}

/// A received invitation the caller may still accept or reject.
fn respondable(
    t: &Transaction<'_>,
    catalog: &str,
    identifier: &str,
    now: Timestamp,
) -> Result<StoredInvitation, ServiceError> {
    let stored = find(t, catalog, identifier)?;
    let id = &stored.invitation.id;
    if stored.participant_type != ParticipantType::Receiver {
        return Err(ServiceError::AccessDenied(format!(
            "Invitation {id} was sent by you; only its receiver can accept or reject it"
        )));
    }
    match effective_status(&stored.invitation, now) {
        InvitationStatus::Pending => Ok(stored),
        status => Err(ServiceError::Conflict(format!(
            "Invitation {id} is {status}; only a PENDING invitation can be accepted or rejected"
        ))),
    }
}

fn invitation_exists(t: &Transaction<'_>, id: &str) -> rusqlite::Result<bool> {
    t.prepare_cached("SELECT 1 FROM invitations WHERE id = ?1")?
        .exists([id])
}

fn engagement_exists(t: &Transaction<'_>, id: &str) -> rusqlite::Result<bool> {
    t.prepare_cached("SELECT 1 FROM engagements WHERE id = ?1")?
        .exists([id])
}

fn is_member(t: &Transaction<'_>, engagement_id: &str, account_id: &str) -> rusqlite::Result<bool> {
    t.prepare_cached(
        "SELECT 1 FROM engagement_members WHERE engagement_id = ?1 AND account_id = ?2",
    )?
    .exists([engagement_id, account_id])
}

/// An engagement's members, in the order they joined.
fn members(t: &Transaction<'_>, engagement_id: &str) -> rusqlite::Result<Vec<EngagementMember>> {
    t.prepare_cached(
        "SELECT company_name, website_url, account_id FROM engagement_members
         WHERE engagement_id = ?1 ORDER BY position",
    )?
    .query_map([engagement_id], |row| {
        Ok(EngagementMember {
            company_name: row.get(0)?,
            website_url: row.get(1)?,
            account_id: row.get(2)?,
        })
    })?
    .collect()
}

/// The engagement a request names (by id or ARN) in a catalog, with its members, if the
/// caller is one of them; `action` says what only members may do, for the error.
fn member_engagement(
    t: &Transaction<'_>,
    caller: &Caller,
    catalog: &str,
    identifier: &str,
    action: &str,
) -> Result<Engagement, ServiceError> {
    let engagement_id = ids::id_from_identifier(identifier);
    let found = t
        .prepare_cached("SELECT id, catalog, title, description FROM engagements WHERE id = ?1")?
        .query_row([engagement_id], |row| {
            Ok(Engagement {
                id: row.get(0)?,
                catalog: row.get(1)?,
                title: row.get(2)?,
                description: row.get(3)?,
                members: Vec::new(),
            })
        })
        .optional()?
        .filter(|e| e.catalog == catalog);
    let Some(mut engagement) = found else {
        return Err(ServiceError::ResourceNotFound(format!(
            "Engagement {engagement_id} was not found in catalog {catalog}"
        )));
    };
    engagement.members = members(t, &engagement.id)?;
    if !engagement.has_member(&caller.account_id) {
        return Err(ServiceError::AccessDenied(format!(
            "Only members of engagement {engagement_id} can {action}"
        )));
    }
    Ok(engagement)
}

/// Only the two catalogs the service has exist.
fn check_catalog(catalog: &str) -> Result<(), ServiceError> {
    if catalog == CATALOG_AWS || catalog == CATALOG_SANDBOX {
        Ok(())
    } else {
        Err(ServiceError::invalid_field(
            "Catalog",
            &format!("`{catalog}` is not a catalog: use AWS or Sandbox"),
            ValidationErrorCode::InvalidValue,
        ))
    }
}

/// When an invitation sent at `sent` expires.
pub fn expiration_of(sent: Timestamp) -> Timestamp {
    Timestamp(sent.0 + Duration::days(INVITATION_LIFETIME_DAYS))
}

/// The status a reader sees: a PENDING invitation past its expiration date is EXPIRED.
/// (A listing decides the same in its query: [`Filter::query`].)
pub fn effective_status(invitation: &EngagementInvitation, now: Timestamp) -> InvitationStatus {
    match (invitation.status.as_ref(), invitation.expiration_date) {
        (Some(InvitationStatus::Pending), Some(expires)) if expires <= now => {
            InvitationStatus::Expired
        }
        (Some(status), _) => status.clone(),
        (None, _) => InvitationStatus::Pending,
    }
}

/// The filters and order of one listing.
struct Filter<'a> {
    request: &'a ListEngagementInvitationsRequest,
    ascending: bool,
    engagement_ids: Option<Vec<&'a str>>,
}

impl<'a> Filter<'a> {
    fn new(request: &'a ListEngagementInvitationsRequest) -> Filter<'a> {
        // Newest first unless asked otherwise: an inbox reads from the top.
        let ascending = request
            .sort
            .as_ref()
            .is_some_and(|s| s.sort_order == SortOrder::Ascending);
        let engagement_ids = request
            .engagement_identifier
            .as_ref()
            .map(|list| list.iter().map(|e| ids::id_from_identifier(e)).collect());
        Filter {
            request,
            ascending,
            engagement_ids,
        }
    }

    /// The page's query: rows matching the filter after `cursor`, in order, at most `limit`.
    fn query(
        &self,
        cursor: Option<&Cursor>,
        now: Timestamp,
        limit: usize,
    ) -> (String, Vec<SqlValue>) {
        let r = self.request;
        // The status a reader sees: PENDING past its expiration date reads as EXPIRED.
        let mut sql = "SELECT summary, IFNULL(status = 'PENDING' AND expiration_date <= ?, 0), \
            invitation_date, id FROM invitations WHERE catalog = ? AND participant_type = ?"
            .to_owned();
        let mut values = vec![
            SqlValue::Text(date_text(now)),
            SqlValue::Text(r.catalog.clone()),
            SqlValue::Text(r.participant_type.as_str().to_owned()),
        ];
        let mut any_of = |sql: &mut String, column: &str, wanted: Vec<&str>| {
            sql.push_str(&format!(
                " AND {column} IN ({})",
                placeholders(wanted.len())
            ));
            values.extend(wanted.into_iter().map(|v| SqlValue::Text(v.to_owned())));
        };
        if let Some(types) = &r.payload_type {
            any_of(
                &mut sql,
                "payload_type",
                types.iter().map(PayloadType::as_str).collect(),
            );
        }
        if let Some(engagements) = &self.engagement_ids {
            any_of(&mut sql, "engagement_id", engagements.clone());
        }
        if let Some(senders) = &r.sender_aws_account_id {
            any_of(
                &mut sql,
                "sender_aws_account_id",
                senders.iter().map(String::as_str).collect(),
            );
        }
        if let Some(statuses) = &r.status {
            // The status a reader sees: PENDING past its expiration date reads as EXPIRED.
            let now = SqlValue::Text(date_text(now));
            let mut either = Vec::new();
            let stored: Vec<&str> = statuses
                .iter()
                .filter(|s| **s != InvitationStatus::Pending)
                .map(InvitationStatus::as_str)
                .collect();
            if !stored.is_empty() {
                either.push(format!("status IN ({})", placeholders(stored.len())));
                values.extend(stored.into_iter().map(|v| SqlValue::Text(v.to_owned())));
            }
            if statuses.contains(&InvitationStatus::Pending) {
                either.push(
                    "(status = 'PENDING' AND (expiration_date IS NULL OR expiration_date > ?))"
                        .to_owned(),
                );
                values.push(now.clone());
            }
            if statuses.contains(&InvitationStatus::Expired) {
                either.push("(status = 'PENDING' AND expiration_date <= ?)".to_owned());
                values.push(now);
            }
            if either.is_empty() {
                either.push("0".to_owned());
            }
            sql.push_str(&format!(" AND ({})", either.join(" OR ")));
        }
        let (after, order) = if self.ascending {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        if let Some(cursor) = cursor {
            sql.push_str(&format!(" AND (invitation_date, id) {after} (?, ?)"));
            values.push(SqlValue::Text(date_text(cursor.date)));
            values.push(SqlValue::Text(cursor.id.clone()));
        }
        sql.push_str(&format!(
            " ORDER BY invitation_date {order}, id {order} LIMIT {limit}"
        ));
        (sql, values)
    }

    /// A hash of everything that decides the listing's rows and order (not the page size).
    fn fingerprint(&self) -> u64 {
        fn canonical<'v>(values: Option<impl Iterator<Item = &'v str>>) -> Option<Vec<&'v str>> {
            values.map(|values| {
                let mut values: Vec<&str> = values.collect();
                values.sort_unstable();
                values.dedup();
                values
            })
        }
        let r = self.request;
        let mut hasher = DefaultHasher::new();
        (
            &r.catalog,
            r.participant_type.as_str(),
            self.ascending,
            canonical(
                r.status
                    .as_ref()
                    .map(|s| s.iter().map(InvitationStatus::as_str)),
            ),
            canonical(
                r.payload_type
                    .as_ref()
                    .map(|p| p.iter().map(PayloadType::as_str)),
            ),
            canonical(self.engagement_ids.as_ref().map(|e| e.iter().copied())),
            canonical(
                r.sender_aws_account_id
                    .as_ref()
                    .map(|s| s.iter().map(String::as_str)),
            ),
        )
            .hash(&mut hasher);
        hasher.finish()
    }
}

/// `?, ?, ?` for `count` values.
fn placeholders(count: usize) -> String {
    vec!["?"; count].join(", ")
}

/// Where a listing stopped: after the row with this sort key, for this filter.
struct Cursor {
    fingerprint: u64,
    date: Timestamp,
    id: String,
}

impl Cursor {
    fn encode(&self) -> String {
        let nanos = self.date.0.timestamp_nanos_opt().unwrap_or_default();
        URL_SAFE_NO_PAD.encode(format!("{:016x}.{nanos}.{}", self.fingerprint, self.id))
    }

    fn decode(token: &str, fingerprint: u64) -> Result<Cursor, ServiceError> {
        let invalid = |why: &str| {
            ServiceError::invalid_field("NextToken", why, ValidationErrorCode::InvalidValue)
        };
        let text = URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| invalid("is not a token this operation returned"))?;
        let mut parts = text.splitn(3, '.');
        let (Some(hash), Some(nanos), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid("is not a token this operation returned"));
        };
        let hash = u64::from_str_radix(hash, 16).ok();
        let nanos: Option<i64> = nanos.parse().ok();
        match (hash, nanos) {
            (Some(hash), Some(nanos)) if hash == fingerprint => Ok(Cursor {
                fingerprint,
                date: Timestamp(DateTime::<Utc>::from_timestamp_nanos(nanos)),
                id: id.to_owned(),
            }),
            (Some(_), Some(_)) => Err(invalid(
                "belongs to a listing with other filters or sort order; start again without it",
            )),
            _ => Err(invalid("is not a token this operation returned")),
        }
    }
}

/// A NextToken for listings paged by position: the offset of the next row within `scope` (an
/// engagement id, or a hash of the listing's filters).
fn encode_offset_token(scope: &str, offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{scope}.{offset}"))
}

/// The offset in a token [`encode_offset_token`] made for `scope`; `listing` names the listing
/// for the error.
fn decode_offset_token(token: &str, scope: &str, listing: &str) -> Result<usize, ServiceError> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            let (id, offset) = text.rsplit_once('.')?;
            (id == scope).then(|| offset.parse().ok())?
        })
        .ok_or_else(|| {
            ServiceError::invalid_field(
                "NextToken",
                &format!("is not a token a listing of {listing} returned"),
                ValidationErrorCode::InvalidValue,
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{InvitationSort, ListEngagementInvitationsResponse, SortBy};

    fn caller() -> Caller {
        Caller::new(crate::emulator::DEFAULT_CALLER_ACCOUNT_ID.into())
    }

    fn at(seconds: i64) -> Timestamp {
        Timestamp(DateTime::<Utc>::from_timestamp(1_700_000_000 + seconds, 0).unwrap())
    }

    fn received(id: &str, date: Timestamp) -> StoredInvitation {
        StoredInvitation {
            participant_type: ParticipantType::Receiver,
            invitation: EngagementInvitation {
                id: id.into(),
                catalog: CATALOG_SANDBOX.into(),
                status: Some(InvitationStatus::Pending),
                invitation_date: Some(date),
                expiration_date: Some(Timestamp(date.0 + Duration::days(15))),
                ..Default::default()
            },
        }
    }

    /// An empty store (no demo data) that first started at `at(0)`.
    fn empty_store() -> Store {
        Store::open(Database::open_memory().unwrap(), caller(), |_, _| Ok(at(0))).unwrap()
    }

    fn insert(store: &Store, stored: StoredInvitation) {
        store
            .write(|t| Ok(insert_invitation(t, &stored, at(0))?))
            .unwrap();
    }

    fn list(
        store: &Store,
        ascending: bool,
        page: u32,
        token: Option<String>,
    ) -> ListEngagementInvitationsResponse {
        store
            .list_invitations(
                &ListEngagementInvitationsRequest {
                    catalog: CATALOG_SANDBOX.into(),
                    participant_type: ParticipantType::Receiver,
                    max_results: Some(page),
                    next_token: token,
                    sort: Some(InvitationSort {
                        sort_order: if ascending {
                            SortOrder::Ascending
                        } else {
                            SortOrder::Descending
                        },
                        sort_by: SortBy::InvitationDate,
                    }),
                    ..Default::default()
                },
                at(0),
            )
            .unwrap()
    }

    #[test]
    fn pages_neither_repeat_nor_skip_rows_created_meanwhile() {
        let store = empty_store();
        // Ties on the date are ordered by id.
        for n in 0..10 {
            insert(
                &store,
                received(&format!("engi-{n:013}"), at(-(n / 2) * 60)),
            );
        }
        let first = list(&store, false, 4, None);
        let ids: Vec<_> = first
            .engagement_invitation_summaries
            .iter()
            .map(|s| s.id.clone())
            .collect();
        assert_eq!(
            ids,
            [
                "engi-0000000000001",
                "engi-0000000000000",
                "engi-0000000000003",
                "engi-0000000000002"
            ]
        );
        // A newer invitation arrives between pages: it belongs before the cursor, so the next
        // pages carry on exactly where the first stopped.
        insert(&store, received("engi-0000000000099", at(10)));
        let mut seen = ids;
        let mut token = first.next_token;
        while let Some(t) = token {
            let page = list(&store, false, 4, Some(t));
            seen.extend(
                page.engagement_invitation_summaries
                    .iter()
                    .map(|s| s.id.clone()),
            );
            token = page.next_token;
        }
        assert_eq!(seen.len(), 10);
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
    }

    #[test]
    fn a_token_only_continues_the_listing_it_came_from() {
        let store = empty_store();
        for n in 0..5 {
            insert(&store, received(&format!("engi-{n:013}"), at(-n)));
        }
        let token = list(&store, false, 2, None).next_token.unwrap();
        let other_order = store.list_invitations(
            &ListEngagementInvitationsRequest {
                catalog: CATALOG_SANDBOX.into(),
                participant_type: ParticipantType::Receiver,
                next_token: Some(token),
                sort: Some(InvitationSort {
                    sort_order: SortOrder::Ascending,
                    sort_by: SortBy::InvitationDate,
                }),
                ..Default::default()
            },
            at(0),
        );
        let Err(ServiceError::Validation { errors, .. }) = other_order else {
            panic!("{other_order:?}")
        };
        assert_eq!(errors[0].field_name.as_deref(), Some("NextToken"));
        let garbage = list_result(&store, "not-a-token");
        assert!(matches!(garbage, Err(ServiceError::Validation { .. })));
    }

    fn list_result(
        store: &Store,
        token: &str,
    ) -> Result<ListEngagementInvitationsResponse, ServiceError> {
        store.list_invitations(
            &ListEngagementInvitationsRequest {
                catalog: CATALOG_SANDBOX.into(),
                participant_type: ParticipantType::Receiver,
                next_token: Some(token.into()),
                ..Default::default()
            },
            at(0),
        )
    }

    #[test]
    fn the_status_filter_selects_the_status_a_reader_sees() {
        let store = empty_store();
        let with_status = |id: &str, days_ago: i64, status: InvitationStatus| {
            let mut stored = received(id, at(-days_ago * 86_400));
            stored.invitation.status = Some(status);
            stored
        };
        insert(
            &store,
            with_status("engi-000000000past", 16, InvitationStatus::Pending),
        );
        insert(
            &store,
            with_status("engi-00000000fresh", 1, InvitationStatus::Pending),
        );
        insert(
            &store,
            with_status("engi-00000000xpird", 2, InvitationStatus::Expired),
        );
        insert(
            &store,
            with_status("engi-00000000accpt", 20, InvitationStatus::Accepted),
        );
        let listed = |statuses: Vec<InvitationStatus>| -> Vec<(String, InvitationStatus)> {
            store
                .list_invitations(
                    &ListEngagementInvitationsRequest {
                        catalog: CATALOG_SANDBOX.into(),
                        participant_type: ParticipantType::Receiver,
                        status: Some(statuses),
                        ..Default::default()
                    },
                    at(0),
                )
                .unwrap()
                .engagement_invitation_summaries
                .into_iter()
                .map(|s| (s.id, s.status.unwrap()))
                .collect()
        };
        use InvitationStatus::{Accepted, Expired, Pending};
        assert_eq!(
            listed(vec![Expired]),
            [
                ("engi-00000000xpird".into(), Expired),
                ("engi-000000000past".into(), Expired)
            ]
        );
        assert_eq!(
            listed(vec![Pending]),
            [("engi-00000000fresh".into(), Pending)]
        );
        assert_eq!(
            listed(vec![Pending, Accepted]),
            [
                ("engi-00000000fresh".into(), Pending),
                ("engi-00000000accpt".into(), Accepted)
            ]
        );
    }

    #[test]
    fn a_pending_invitation_past_its_expiration_reads_as_expired() {
        let invitation = received("engi-0000000000001", at(-16 * 86_400)).invitation;
        assert_eq!(
            effective_status(&invitation, at(0)),
            InvitationStatus::Expired
        );
        assert_eq!(
            effective_status(&invitation, at(-15 * 86_400)),
            InvitationStatus::Pending
        );
    }

    /// Every kind of listing walks an index in the listing's order: no sort and no scan of
    /// the table, so a page costs the rows it reads whatever the store's size.
    #[test]
    fn every_listing_reads_an_index_in_order() {
        let store = empty_store();
        let base = ListEngagementInvitationsRequest {
            catalog: CATALOG_SANDBOX.into(),
            participant_type: ParticipantType::Receiver,
            ..Default::default()
        };
        let cursor = Cursor {
            fingerprint: 0,
            date: at(0),
            id: "engi-0000000000001".into(),
        };
        let filtered = [
            base.clone(),
            ListEngagementInvitationsRequest {
                status: Some(vec![InvitationStatus::Pending]),
                ..base.clone()
            },
            ListEngagementInvitationsRequest {
                status: Some(vec![InvitationStatus::Expired, InvitationStatus::Accepted]),
                ..base.clone()
            },
            ListEngagementInvitationsRequest {
                sender_aws_account_id: Some(vec!["444455556666".into()]),
                ..base.clone()
            },
            ListEngagementInvitationsRequest {
                engagement_identifier: Some(vec!["eng-00000000000001".into()]),
                ..base.clone()
            },
            ListEngagementInvitationsRequest {
                payload_type: Some(vec![PayloadType::LeadInvitation]),
                sort: Some(InvitationSort {
                    sort_order: SortOrder::Ascending,
                    sort_by: SortBy::InvitationDate,
                }),
                ..base.clone()
            },
        ];
        for request in &filtered {
            for after in [None, Some(&cursor)] {
                let (sql, values) = Filter::new(request).query(after, at(0), 21);
                let plan: Vec<String> = store
                    .database
                    .query(|c| {
                        c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?
                            .query_map(rusqlite::params_from_iter(values), |row| row.get(3))?
                            .collect()
                    })
                    .unwrap();
                let plan = plan.join("; ");
                assert!(
                    plan.starts_with("SEARCH invitations USING ") && !plan.contains("TEMP"),
                    "{sql}: {plan}"
                );
                // Everything, by status (an inbox's refresh), by kind: the index alone.
                if request.sender_aws_account_id.is_none()
                    && request.engagement_identifier.is_none()
                {
                    assert!(plan.contains("USING COVERING INDEX"), "{sql}: {plan}");
                }
                if after.is_some() {
                    assert!(plan.contains("(invitation_date,id)"), "{sql}: {plan}");
                }
            }
        }
    }
}
