//! The emulator's state: invitations, engagements, accepting tasks and opportunities, what each
//! operation does to them, and their persistence as one JSON file.
//!
//! Listings walk an index kept sorted by (InvitationDate, Id) per catalog and participant side,
//! so a page costs a binary search plus the rows it scans, never a sort or a copy of the store.
//! NextToken is a keyset cursor (the last row's sort key) bound to a hash of the filter, so pages
//! never repeat or skip a row whatever the page size, even while invitations are created.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use super::error::ServiceError;
use super::ids;
use super::tasks::StoredTask;
mod accepting;

use crate::api::model::{
    AccountReceiver, CATALOG_AWS, CATALOG_SANDBOX, CreateEngagementInvitationRequest,
    CreateEngagementInvitationResponse, EngagementInvitation, EngagementInvitationSummary,
    EngagementMember, EngagementMemberSummary, InvitationStatus, ListEngagementInvitationsRequest,
    ListEngagementInvitationsResponse, ListEngagementMembersRequest, ListEngagementMembersResponse,
    Opportunity, ParticipantType, PayloadType, Receiver, RejectEngagementInvitationRequest,
    SortOrder, Timestamp, ValidationErrorCode,
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
/// The version of the store file's layout.
const FILE_FORMAT: u32 = 1;

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Engagement {
    pub id: String,
    pub catalog: String,
    pub title: String,
    pub description: String,
    pub members: Vec<EngagementMember>,
    /// When and by whom the members last changed (a partner joined).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
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
struct IdempotencyRecord {
    catalog: String,
    client_token: String,
    /// The request without its token, as canonical JSON.
    fingerprint: String,
    invitation_id: String,
}

/// The store file's document.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Snapshot {
    /// Checked while reading, so a file of another layout is set aside like a damaged one.
    #[serde(rename = "Format", deserialize_with = "current_format")]
    _format: u32,
    first_start: Timestamp,
    invitations: Vec<StoredInvitation>,
    engagements: Vec<Engagement>,
    #[serde(default)]
    client_tokens: Vec<IdempotencyRecord>,
    #[serde(default)]
    tasks: Vec<StoredTask>,
    #[serde(default)]
    opportunities: Vec<Opportunity>,
}

/// The same document, borrowed for writing.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SnapshotRef<'a> {
    format: u32,
    first_start: Timestamp,
    invitations: &'a [StoredInvitation],
    engagements: Vec<&'a Engagement>,
    client_tokens: Vec<&'a IdempotencyRecord>,
    tasks: &'a [StoredTask],
    opportunities: Vec<&'a Opportunity>,
}

/// A row of a listing index: the sort key and where the invitation is.
#[derive(Clone, Debug)]
struct IndexEntry {
    date: Timestamp,
    id: String,
    slot: usize,
}

impl IndexEntry {
    fn key(&self) -> (Timestamp, &str) {
        (self.date, &self.id)
    }
}

/// Everything the emulator knows, with the indexes that make listing fast.
#[derive(Debug)]
pub struct Store {
    caller: Caller,
    first_start: Timestamp,
    invitations: Vec<StoredInvitation>,
    by_id: HashMap<String, usize>,
    listings: HashMap<(String, ParticipantType), Vec<IndexEntry>>,
    engagements: HashMap<String, Engagement>,
    client_tokens: HashMap<(String, String), IdempotencyRecord>,
    /// Accepting tasks, oldest first.
    tasks: Vec<StoredTask>,
    opportunities: HashMap<String, Opportunity>,
    /// Bumped by every change, so the newest state is the one that reaches the file.
    generation: u64,
}

impl Store {
    /// An empty store whose relative demo dates count from `first_start`.
    pub fn new(caller: Caller, first_start: Timestamp) -> Store {
        Store {
            caller,
            first_start,
            invitations: Vec::new(),
            by_id: HashMap::new(),
            listings: HashMap::new(),
            engagements: HashMap::new(),
            client_tokens: HashMap::new(),
            tasks: Vec::new(),
            opportunities: HashMap::new(),
            generation: 0,
        }
    }

    /// When this store was first created; demo and seed dates are relative to it.
    pub fn first_start(&self) -> Timestamp {
        self.first_start
    }

    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Adds an invitation unless one with its id exists (so seeding twice adds nothing).
    pub fn insert_invitation(&mut self, stored: StoredInvitation) -> bool {
        if self.by_id.contains_key(&stored.invitation.id) {
            return false;
        }
        let slot = self.invitations.len();
        let entry = IndexEntry {
            date: stored
                .invitation
                .invitation_date
                .unwrap_or(self.first_start),
            id: stored.invitation.id.clone(),
            slot,
        };
        let index = self
            .listings
            .entry((
                stored.invitation.catalog.clone(),
                stored.participant_type.clone(),
            ))
            .or_default();
        let at = index.partition_point(|e| e.key() < entry.key());
        index.insert(at, entry);
        self.by_id.insert(stored.invitation.id.clone(), slot);
        self.invitations.push(stored);
        self.generation += 1;
        true
    }

    /// Adds an engagement unless one with its id exists.
    pub fn insert_engagement(&mut self, engagement: Engagement) -> bool {
        if self.engagements.contains_key(&engagement.id) {
            return false;
        }
        self.engagements.insert(engagement.id.clone(), engagement);
        self.generation += 1;
        true
    }

    /// ListEngagementInvitations.
    pub fn list_invitations(
        &self,
        request: &ListEngagementInvitationsRequest,
        now: Timestamp,
    ) -> Result<ListEngagementInvitationsResponse, ServiceError> {
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
        let index = self
            .listings
            .get(&(request.catalog.clone(), request.participant_type.clone()))
            .map_or(&[][..], Vec::as_slice);
        let rows: Box<dyn Iterator<Item = &IndexEntry>> = match (filter.ascending, &cursor) {
            (true, None) => Box::new(index.iter()),
            (true, Some(c)) => {
                let start = index.partition_point(|e| e.key() <= c.key());
                Box::new(index[start..].iter())
            }
            (false, None) => Box::new(index.iter().rev()),
            (false, Some(c)) => {
                let end = index.partition_point(|e| e.key() < c.key());
                Box::new(index[..end].iter().rev())
            }
        };
        let mut summaries = Vec::with_capacity(page_size.min(index.len()));
        let mut last = None;
        let mut more = false;
        for entry in rows {
            let stored = &self.invitations[entry.slot];
            if !filter.matches(stored, now) {
                continue;
            }
            if summaries.len() == page_size {
                more = true;
                break;
            }
            summaries.push(summary(stored, now));
            last = Some(entry);
        }
        let next_token = match (more, last) {
            (true, Some(entry)) => Some(
                Cursor {
                    fingerprint,
                    date: entry.date,
                    id: entry.id.clone(),
                }
                .encode(),
            ),
            _ => None,
        };
        Ok(ListEngagementInvitationsResponse {
            engagement_invitation_summaries: summaries,
            next_token,
        })
    }

    /// GetEngagementInvitation.
    pub fn get_invitation(
        &self,
        catalog: &str,
        identifier: &str,
        now: Timestamp,
    ) -> Result<EngagementInvitation, ServiceError> {
        let stored = &self.invitations[self.find(catalog, identifier)?];
        let mut invitation = stored.invitation.clone();
        invitation.status = Some(effective_status(&stored.invitation, now));
        if let Some(engagement) = invitation
            .engagement_id
            .as_ref()
            .and_then(|id| self.engagements.get(id))
        {
            invitation.existing_members = Some(
                engagement
                    .members
                    .iter()
                    .map(|m| EngagementMemberSummary {
                        company_name: m.company_name.clone(),
                        website_url: m.website_url.clone(),
                    })
                    .collect(),
            );
        }
        Ok(invitation)
    }

    /// CreateEngagementInvitation: a PENDING invitation from the caller, idempotent on
    /// ClientToken.
    pub fn create_invitation(
        &mut self,
        request: &CreateEngagementInvitationRequest,
        now: Timestamp,
    ) -> Result<CreateEngagementInvitationResponse, ServiceError> {
        check_catalog(&request.catalog)?;
        let fingerprint = serde_json::to_string(&CreateEngagementInvitationRequest {
            client_token: None,
            ..request.clone()
        })
        .map_err(|e| ServiceError::Serialization(e.to_string()))?;
        let token_key = request
            .client_token
            .as_ref()
            .map(|token| (request.catalog.clone(), token.clone()));
        if let Some(previous) = token_key.as_ref().and_then(|k| self.client_tokens.get(k)) {
            if previous.fingerprint != fingerprint {
                return Err(ServiceError::Conflict(format!(
                    "ClientToken `{}` was already used with different parameters",
                    previous.client_token
                )));
            }
            return Ok(CreateEngagementInvitationResponse {
                arn: ids::invitation_arn(
                    &self.caller.account_id,
                    &request.catalog,
                    &previous.invitation_id,
                ),
                id: previous.invitation_id.clone(),
            });
        }

        let engagement = self.member_engagement(
            &request.catalog,
            &request.engagement_identifier,
            "invite partners to it",
        )?;

        let mut id = ids::new_invitation_id();
        while self.by_id.contains_key(&id) {
            id = ids::new_invitation_id();
        }
        let arn = ids::invitation_arn(&self.caller.account_id, &request.catalog, &id);
        let invitation_date = Timestamp(now.0.trunc_subsecs(3));
        let invitation = EngagementInvitation {
            arn: Some(arn.clone()),
            payload_type: Some(request.invitation.payload.kind()),
            id: id.clone(),
            engagement_id: Some(engagement.id.clone()),
            engagement_title: Some(engagement.title.clone()),
            status: Some(InvitationStatus::Pending),
            invitation_date: Some(invitation_date),
            expiration_date: Some(expiration_of(invitation_date)),
            sender_aws_account_id: Some(self.caller.account_id.clone()),
            sender_company_name: Some(self.caller.company_name.clone()),
            receiver: Some(request.invitation.receiver.clone()),
            catalog: request.catalog.clone(),
            rejection_reason: None,
            payload: Some(request.invitation.payload.clone()),
            invitation_message: Some(request.invitation.message.clone()),
            engagement_description: Some(engagement.description.clone()),
            existing_members: None,
            enrichment_context: None,
        };
        self.insert_invitation(StoredInvitation {
            participant_type: ParticipantType::Sender,
            invitation,
        });
        if let Some((catalog, client_token)) = token_key {
            self.client_tokens.insert(
                (catalog.clone(), client_token.clone()),
                IdempotencyRecord {
                    catalog,
                    client_token,
                    fingerprint,
                    invitation_id: id.clone(),
                },
            );
        }
        Ok(CreateEngagementInvitationResponse { id, arn })
    }

    /// AcceptEngagementInvitation: PENDING → ACCEPTED, and the caller joins the engagement.
    pub fn accept_invitation(
        &mut self,
        catalog: &str,
        identifier: &str,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        let slot = self.respondable(catalog, identifier, now)?;
        self.accept_slot(slot, now);
        Ok(())
    }

    /// Marks the invitation in `slot` ACCEPTED and makes the caller a member of its engagement.
    fn accept_slot(&mut self, slot: usize, now: Timestamp) {
        let invitation = &mut self.invitations[slot].invitation;
        invitation.status = Some(InvitationStatus::Accepted);
        let member = self.caller.as_member();
        if let Some(engagement) = invitation
            .engagement_id
            .as_ref()
            .and_then(|id| self.engagements.get_mut(id))
            && !engagement.has_member(&self.caller.account_id)
        {
            engagement.members.push(member);
            engagement.modified_at = Some(now);
            engagement.modified_by = Some(self.caller.account_id.clone());
        }
        self.generation += 1;
    }

    /// RejectEngagementInvitation: PENDING → REJECTED, keeping the reason.
    pub fn reject_invitation(
        &mut self,
        request: &RejectEngagementInvitationRequest,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        let slot = self.respondable(&request.catalog, &request.identifier, now)?;
        let invitation = &mut self.invitations[slot].invitation;
        invitation.status = Some(InvitationStatus::Rejected);
        invitation.rejection_reason = request.rejection_reason.clone();
        self.generation += 1;
        Ok(())
    }

    /// ListEngagementMembers: only members of an engagement may list its members.
    pub fn list_members(
        &self,
        request: &ListEngagementMembersRequest,
    ) -> Result<ListEngagementMembersResponse, ServiceError> {
        check_catalog(&request.catalog)?;
        let engagement =
            self.member_engagement(&request.catalog, &request.identifier, "list its members")?;
        let engagement_id = engagement.id.as_str();
        let start = match &request.next_token {
            Some(token) => decode_offset_token(token, engagement_id, "this engagement's members")?,
            None => 0,
        };
        let page_size = request
            .max_results
            .map_or(DEFAULT_MEMBER_PAGE_SIZE, |n| n as usize)
            .clamp(1, DEFAULT_MEMBER_PAGE_SIZE);
        let members = engagement.members.get(start..).unwrap_or_default();
        let page = &members[..page_size.min(members.len())];
        let next_token = (members.len() > page.len())
            .then(|| encode_offset_token(engagement_id, start + page.len()));
        Ok(ListEngagementMembersResponse {
            engagement_member_list: page.to_vec(),
            next_token,
        })
    }

    /// The engagement a request names (by id or ARN) in a catalog, if the caller is one of its
    /// members; `action` says what only members may do, for the error.
    fn member_engagement(
        &self,
        catalog: &str,
        identifier: &str,
        action: &str,
    ) -> Result<&Engagement, ServiceError> {
        let engagement_id = ids::id_from_identifier(identifier);
        let engagement = self
            .engagements
            .get(engagement_id)
            .filter(|e| e.catalog == catalog)
            .ok_or_else(|| {
                ServiceError::ResourceNotFound(format!(
                    "Engagement {engagement_id} was not found in catalog {catalog}"
                ))
            })?;
        if !engagement.has_member(&self.caller.account_id) {
            return Err(ServiceError::AccessDenied(format!(
                "Only members of engagement {engagement_id} can {action}"
            )));
        }
        Ok(engagement)
    }

    /// The slot of a received invitation the caller may still accept or reject.
    fn respondable(
        &self,
        catalog: &str,
        identifier: &str,
        now: Timestamp,
    ) -> Result<usize, ServiceError> {
        let slot = self.find(catalog, identifier)?;
        let stored = &self.invitations[slot];
        let id = &stored.invitation.id;
        if stored.participant_type != ParticipantType::Receiver {
            return Err(ServiceError::AccessDenied(format!(
                "Invitation {id} was sent by you; only its receiver can accept or reject it"
            )));
        }
        match effective_status(&stored.invitation, now) {
            InvitationStatus::Pending => Ok(slot),
            status => Err(ServiceError::Conflict(format!(
                "Invitation {id} is {status}; only a PENDING invitation can be accepted or rejected"
            ))),
        }
    }

    /// The slot of the invitation a request names (by id or ARN) in a catalog.
    fn find(&self, catalog: &str, identifier: &str) -> Result<usize, ServiceError> {
        check_catalog(catalog)?;
        let id = ids::id_from_identifier(identifier);
        self.by_id
            .get(id)
            .copied()
            .filter(|&slot| {
                let invitation = &self.invitations[slot].invitation;
                invitation.catalog == catalog
                    && (!identifier.starts_with("arn:")
                        || invitation.arn.as_deref() == Some(identifier))
            })
            .ok_or_else(|| {
                ServiceError::ResourceNotFound(format!(
                    "Engagement invitation {identifier} was not found in catalog {catalog}"
                ))
            })
    }

    /// The whole state as the store file's JSON.
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        let mut engagements: Vec<&Engagement> = self.engagements.values().collect();
        engagements.sort_by(|a, b| a.id.cmp(&b.id));
        let mut client_tokens: Vec<&IdempotencyRecord> = self.client_tokens.values().collect();
        client_tokens
            .sort_by(|a, b| (&a.catalog, &a.client_token).cmp(&(&b.catalog, &b.client_token)));
        let mut opportunities: Vec<&Opportunity> = self.opportunities.values().collect();
        opportunities.sort_by(|a, b| a.id.cmp(&b.id));
        serde_json::to_vec(&SnapshotRef {
            format: FILE_FORMAT,
            first_start: self.first_start,
            invitations: &self.invitations,
            engagements,
            client_tokens,
            tasks: &self.tasks,
            opportunities,
        })
    }

    /// A store from the store file's document.
    fn from_snapshot(caller: Caller, snapshot: Snapshot) -> Store {
        let mut store = Store::new(caller, snapshot.first_start);
        for engagement in snapshot.engagements {
            store.insert_engagement(engagement);
        }
        for stored in snapshot.invitations {
            store.insert_invitation(stored);
        }
        for record in snapshot.client_tokens {
            store.client_tokens.insert(
                (record.catalog.clone(), record.client_token.clone()),
                record,
            );
        }
        store.tasks = snapshot.tasks;
        store.opportunities = snapshot
            .opportunities
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect();
        store
    }
}

/// The store file's `Format`, refused unless it is the layout this version writes.
fn current_format<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let format = u32::deserialize(deserializer)?;
    if format == FILE_FORMAT {
        Ok(format)
    } else {
        Err(serde::de::Error::custom(format!(
            "store file format {format} is not {FILE_FORMAT}"
        )))
    }
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
pub fn effective_status(invitation: &EngagementInvitation, now: Timestamp) -> InvitationStatus {
    match (&invitation.status, invitation.expiration_date) {
        (Some(InvitationStatus::Pending), Some(expires)) if expires <= now => {
            InvitationStatus::Expired
        }
        (Some(status), _) => status.clone(),
        (None, _) => InvitationStatus::Pending,
    }
}

fn summary(stored: &StoredInvitation, now: Timestamp) -> EngagementInvitationSummary {
    let i = &stored.invitation;
    EngagementInvitationSummary {
        arn: i.arn.clone(),
        payload_type: i.payload_type.clone(),
        id: i.id.clone(),
        engagement_id: i.engagement_id.clone(),
        engagement_title: i.engagement_title.clone(),
        status: Some(effective_status(i, now)),
        invitation_date: i.invitation_date,
        expiration_date: i.expiration_date,
        sender_aws_account_id: i.sender_aws_account_id.clone(),
        sender_company_name: i.sender_company_name.clone(),
        receiver: i.receiver.clone(),
        catalog: i.catalog.clone(),
        participant_type: Some(stored.participant_type.clone()),
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

    fn matches(&self, stored: &StoredInvitation, now: Timestamp) -> bool {
        let i = &stored.invitation;
        let r = self.request;
        r.status
            .as_ref()
            .is_none_or(|s| s.contains(&effective_status(i, now)))
            && r.payload_type
                .as_ref()
                .is_none_or(|p| i.payload_type.as_ref().is_some_and(|t| p.contains(t)))
            && self
                .engagement_ids
                .as_ref()
                .is_none_or(|e| i.engagement_id.as_deref().is_some_and(|id| e.contains(&id)))
            && r.sender_aws_account_id.as_ref().is_none_or(|s| {
                i.sender_aws_account_id
                    .as_ref()
                    .is_some_and(|id| s.contains(id))
            })
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

/// Where a listing stopped: after the row with this sort key, for this filter.
struct Cursor {
    fingerprint: u64,
    date: Timestamp,
    id: String,
}

impl Cursor {
    fn key(&self) -> (Timestamp, &str) {
        (self.date, &self.id)
    }

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

/// Reads the store file; `None` if there is none yet. A file that cannot be read as a store is
/// set aside as `<file>.corrupt-<timestamp>` (with a warning) and `None` returned, so a damaged
/// file never stops the emulator and is never overwritten.
pub fn load_file(path: &Path, caller: &Caller) -> anyhow::Result<Option<Store>> {
    let (snapshot, set_aside) = crate::files::read_json::<Snapshot>(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    if let Some(message) = set_aside {
        tracing::warn!("{message} (it is not a valid store); the emulator started afresh");
    }
    Ok(snapshot.map(|snapshot| Store::from_snapshot(caller.clone(), snapshot)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{InvitationSort, SortBy};

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
        let mut store = Store::new(caller(), at(0));
        // Ties on the date are ordered by id.
        for n in 0..10 {
            store.insert_invitation(received(&format!("engi-{n:013}"), at(-(n / 2) * 60)));
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
        store.insert_invitation(received("engi-0000000000099", at(10)));
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
        let mut store = Store::new(caller(), at(0));
        for n in 0..5 {
            store.insert_invitation(received(&format!("engi-{n:013}"), at(-n)));
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

    #[test]
    fn the_store_file_round_trips_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/emulator.json");
        let mut store = Store::new(caller(), at(0));
        store.insert_invitation(received("engi-0000000000001", at(-5)));
        crate::files::write_private(&path, &store.to_json().unwrap()).unwrap();
        let loaded = load_file(&path, &caller()).unwrap().unwrap();
        assert_eq!(loaded.first_start(), at(0));
        assert_eq!(
            loaded
                .get_invitation(CATALOG_SANDBOX, "engi-0000000000001", at(0))
                .unwrap(),
            store
                .get_invitation(CATALOG_SANDBOX, "engi-0000000000001", at(0))
                .unwrap()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_corrupt_store_file_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("emulator.json");
        std::fs::write(&path, b"{\"Format\": 1, \"Invitations\": [").unwrap();
        assert!(load_file(&path, &caller()).unwrap().is_none());
        assert!(!path.exists());
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(aside.len(), 1);
        assert!(aside[0].starts_with("emulator.json.corrupt-"), "{aside:?}");
        assert_eq!(
            std::fs::read(dir.path().join(&aside[0])).unwrap(),
            b"{\"Format\": 1, \"Invitations\": ["
        );
    }

    #[test]
    fn a_store_file_of_another_format_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("emulator.json");
        let mut json: serde_json::Value =
            serde_json::from_slice(&Store::new(caller(), at(0)).to_json().unwrap()).unwrap();
        json["Format"] = (FILE_FORMAT + 1).into();
        std::fs::write(&path, json.to_string()).unwrap();
        assert!(load_file(&path, &caller()).unwrap().is_none());
        assert!(!path.exists());
    }
}
