//! The store's side of accepting by task: starting and settling tasks (the rules are in
//! [`crate::emulator::tasks`]), listing them, and reading the engagements and opportunities
//! they lead to. Each operation is one transaction, as in the rest of the store; settling runs
//! in a write transaction, so of several processes sharing the store exactly one settles a task.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{
    Caller, DEFAULT_TASK_PAGE_SIZE, SUMMARY_COLUMNS, ServiceError, Store, accept, check_catalog,
    date_of, date_text, decode_offset_token, effective_status, encode_offset_token, find,
    read_invitation_row,
};
use crate::api::model::{
    EngagementContext, EngagementContextType, EngagementDetails, EngagementInvitation,
    EngagementSummary, EngagementTask, ListEngagementByAcceptingInvitationTasksRequest,
    ListEngagementByAcceptingInvitationTasksResponse, ListEngagementsRequest,
    ListEngagementsResponse, Opportunity, ParticipantType, PayloadType, ReasonCode, SortOrder,
    StartEngagementByAcceptingInvitationTaskRequest, TaskStatus, Timestamp,
};
use crate::emulator::ids;
use crate::emulator::tasks::{self, StoredTask};

/// The running tasks whose time is up (`?1` IN_PROGRESS, `?2` now).
const DUE_TASKS: &str = "SELECT task FROM tasks WHERE status = ?1 AND due <= ?2";
/// A catalog's tasks, oldest first.
const TASKS_BY_START: &str = "SELECT task FROM tasks WHERE catalog = ?1 ORDER BY start_time, id";
/// What orders and filters the engagements of catalog `?1` that `?2` is a member of: the date
/// and sender of each one's first invitation, and whether one is an opportunity (`?3`).
const ENGAGEMENT_KEYS: &str = "SELECT e.id,
        (SELECT invitation_date FROM invitations i WHERE i.engagement_id = e.id
         ORDER BY invitation_date, id LIMIT 1),
        (SELECT sender_aws_account_id FROM invitations i
         WHERE i.engagement_id = e.id ORDER BY invitation_date, id LIMIT 1),
        EXISTS (SELECT 1 FROM invitations i
                WHERE i.engagement_id = e.id AND i.payload_type = ?3)
     FROM engagements e
     WHERE e.catalog = ?1 AND EXISTS (SELECT 1 FROM engagement_members m
        WHERE m.engagement_id = e.id AND m.account_id = ?2)";

/// The most rows one page of tasks may hold (the model's MaxResults bound).
const MAX_TASK_PAGE_SIZE: usize = 1000;
/// The most rows one page of engagements may hold (the model's MaxResults bound).
const MAX_ENGAGEMENT_PAGE_SIZE: usize = 100;

impl Store {
    /// StartEngagementByAcceptingInvitationTask: a new IN_PROGRESS task that settles after
    /// `run_for`; the same ClientToken (with the same parameters) returns the same task.
    pub fn start_task(
        &self,
        request: &StartEngagementByAcceptingInvitationTaskRequest,
        now: Timestamp,
        run_for: std::time::Duration,
    ) -> Result<EngagementTask, ServiceError> {
        check_catalog(&request.catalog)?;
        let fingerprint =
            serde_json::to_string(&(ids::id_from_identifier(&request.identifier), &request.tags))
                .map_err(|e| ServiceError::Serialization(e.to_string()))?;
        let client_token = request
            .client_token
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        self.database.write(|t| {
            let previous: Option<String> = t
                .prepare_cached("SELECT task FROM tasks WHERE catalog = ?1 AND client_token = ?2")?
                .query_row(params![request.catalog, client_token], |row| row.get(0))
                .optional()?;
            if let Some(previous) = previous {
                let previous = task_of(&previous)?;
                if previous.fingerprint != fingerprint {
                    return Err(ServiceError::Conflict(format!(
                        "ClientToken `{client_token}` was already used with different parameters"
                    )));
                }
                return Ok(previous.task);
            }
            let stored = find(t, &request.catalog, &request.identifier)?;
            let invitation_id = stored.invitation.id;
            if stored.participant_type != ParticipantType::Receiver {
                return Err(ServiceError::AccessDenied(format!(
                    "Invitation {invitation_id} was sent by you; only its receiver can accept it"
                )));
            }
            let task = tasks::new_task(
                &self.caller.account_id,
                request,
                &invitation_id,
                &client_token,
                fingerprint,
                now,
                run_for,
            );
            t.prepare_cached(
                "INSERT INTO tasks (id, catalog, client_token, invitation_id, start_time, due,
                    status, task)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                task.task.task_id,
                task.catalog,
                task.client_token,
                invitation_id,
                date_text(task.task.start_time.unwrap_or(now)),
                date_text(task.due),
                TaskStatus::InProgress.as_str(),
                json_text(&task)?,
            ])?;
            Ok(task.task)
        })
    }

    /// Settles every running task whose time is up at `now`. Asking is a read (cheap enough
    /// for every request); only when a task is due does it write.
    pub fn settle_due_tasks(&self, now: Timestamp) -> Result<(), ServiceError> {
        let due = |c: &Connection| -> rusqlite::Result<Vec<String>> {
            c.prepare_cached(DUE_TASKS)?
                .query_map(
                    params![TaskStatus::InProgress.as_str(), date_text(now)],
                    |row| row.get(0),
                )?
                .collect()
        };
        // One statement, no transaction: this runs before every request.
        if self.database.query(due)?.is_empty() {
            return Ok(());
        }
        // Read again in the write transaction: another process may have settled them since.
        self.database.write(|t| {
            let due = due(t)?;
            for text in &due {
                let mut task = task_of(text)?;
                settle(t, &self.caller, &mut task)?;
                t.prepare_cached("UPDATE tasks SET status = ?2, task = ?3 WHERE id = ?1")?
                    .execute(params![
                        task.task.task_id,
                        task.task.task_status.as_ref().map(|s| s.as_str()),
                        json_text(&task)?,
                    ])?;
            }
            Ok(())
        })
    }

    /// ListEngagementByAcceptingInvitationTasks: newest first unless the sort says ASCENDING.
    pub fn list_tasks(
        &self,
        request: &ListEngagementByAcceptingInvitationTasksRequest,
    ) -> Result<ListEngagementByAcceptingInvitationTasksResponse, ServiceError> {
        check_catalog(&request.catalog)?;
        let mut rows: Vec<StoredTask> = self.database.read(|t| {
            let texts: Vec<String> = t
                .prepare_cached(TASKS_BY_START)?
                .query_map([&request.catalog], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            texts
                .iter()
                .map(|text| task_of(text))
                .collect::<Result<Vec<_>, _>>()
        })?;
        rows.retain(|task| tasks::task_matches(task, request));
        let scope = scope_of(&ListEngagementByAcceptingInvitationTasksRequest {
            max_results: None,
            next_token: None,
            ..request.clone()
        });
        let (page, next_token) = offset_page(
            rows,
            tasks::ascending(request),
            request.next_token.as_deref(),
            request.max_results,
            MAX_TASK_PAGE_SIZE,
            &scope,
            "accepting tasks",
        )?;
        Ok(ListEngagementByAcceptingInvitationTasksResponse {
            task_summaries: page.into_iter().map(|t| t.task).collect(),
            next_token,
        })
    }

    /// GetEngagement: for its members and the partners invited to it.
    pub fn get_engagement(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<EngagementDetails, ServiceError> {
        check_catalog(catalog)?;
        let id = ids::id_from_identifier(identifier);
        self.database.read(|t| {
            let row = engagement_row(t, id, &self.caller.account_id)?
                .filter(|row| row.catalog == catalog);
            let Some(row) = row else {
                return Err(ServiceError::ResourceNotFound(format!(
                    "Engagement {id} was not found in catalog {catalog}"
                )));
            };
            let invited = t
                .prepare_cached(
                    "SELECT 1 FROM invitations WHERE engagement_id = ?1 AND participant_type = ?2",
                )?
                .exists(params![id, ParticipantType::Receiver.as_str()])?;
            if !row.is_member && !invited {
                return Err(ServiceError::AccessDenied(format!(
                    "Only members of engagement {id} and partners invited to it can read it"
                )));
            }
            let facts = self.engagement_facts(t, &row)?;
            let summary = facts.summary;
            Ok(EngagementDetails {
                id: summary.id,
                arn: summary.arn,
                title: summary.title,
                description: Some(row.description),
                created_at: summary.created_at,
                created_by: summary.created_by,
                member_count: summary.member_count,
                modified_at: summary.modified_at,
                modified_by: summary.modified_by,
                contexts: Some(facts.context.into_iter().collect()),
            })
        })
    }

    /// ListEngagements: the engagements the caller is a member of, newest first unless the
    /// sort says ASCENDING.
    pub fn list_engagements(
        &self,
        request: &ListEngagementsRequest,
    ) -> Result<ListEngagementsResponse, ServiceError> {
        check_catalog(&request.catalog)?;
        let wanted: Option<Vec<&str>> = request
            .engagement_identifier
            .as_ref()
            .map(|list| list.iter().map(|e| ids::id_from_identifier(e)).collect());
        let ascending = request
            .sort
            .as_ref()
            .is_some_and(|s| s.sort_order == SortOrder::Ascending);
        let scope = scope_of(&ListEngagementsRequest {
            max_results: None,
            next_token: None,
            ..request.clone()
        });
        self.database.read(|t| {
            // What filters and orders the listing, for every engagement in one query; the
            // whole summary only for the rows of the page.
            let mut keys: Vec<EngagementKey> = t
                .prepare_cached(ENGAGEMENT_KEYS)?
                .query_map(
                    params![
                        request.catalog,
                        self.caller.account_id,
                        PayloadType::OpportunityInvitation.as_str()
                    ],
                    |row| {
                        Ok(EngagementKey {
                            id: row.get(0)?,
                            created_at: date_of(row, 1)?.unwrap_or(self.first_start),
                            created_by: row
                                .get::<_, Option<String>>(2)?
                                .unwrap_or_else(|| self.caller.account_id.clone()),
                            context_types: if row.get(3)? {
                                vec![EngagementContextType::CustomerProject]
                            } else {
                                Vec::new()
                            },
                        })
                    },
                )?
                .collect::<rusqlite::Result<_>>()?;
            keys.retain(|key| {
                let any_of = |list: &Option<Vec<EngagementContextType>>| {
                    list.as_ref()
                        .map(|list| list.iter().any(|t| key.context_types.contains(t)))
                };
                wanted.as_ref().is_none_or(|w| w.contains(&key.id.as_str()))
                    && request
                        .created_by
                        .as_ref()
                        .is_none_or(|c| c.contains(&key.created_by))
                    && !request
                        .exclude_created_by
                        .as_ref()
                        .is_some_and(|c| c.contains(&key.created_by))
                    && any_of(&request.context_types) != Some(false)
                    && any_of(&request.exclude_context_types) != Some(true)
            });
            keys.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
            let (page, next_token) = offset_page(
                keys,
                ascending,
                request.next_token.as_deref(),
                request.max_results,
                MAX_ENGAGEMENT_PAGE_SIZE,
                &scope,
                "engagements",
            )?;
            let mut summaries = Vec::with_capacity(page.len());
            for key in &page {
                if let Some(row) = engagement_row(t, &key.id, &self.caller.account_id)? {
                    summaries.push(self.engagement_facts(t, &row)?.summary);
                }
            }
            Ok(ListEngagementsResponse {
                engagement_summary_list: summaries,
                next_token,
            })
        })
    }

    /// GetOpportunity.
    pub fn get_opportunity(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<Opportunity, ServiceError> {
        check_catalog(catalog)?;
        let text: Option<String> = self.database.read(|t| {
            t.prepare_cached(
                "SELECT opportunity FROM opportunities WHERE id = ?1 AND catalog = ?2",
            )?
            .query_row(params![identifier, catalog], |row| row.get(0))
            .optional()
        })?;
        let text = text.ok_or_else(|| {
            ServiceError::ResourceNotFound(format!(
                "Opportunity {identifier} was not found in catalog {catalog}"
            ))
        })?;
        serde_json::from_str(&text).map_err(|e| ServiceError::InternalServer(e.to_string()))
    }

    /// What the engagement listing and GetEngagement say of an engagement: it was created with
    /// its first invitation (by that invitation's sender), and modified when a partner last
    /// joined; its context comes from the first opportunity invitation sent in it.
    fn engagement_facts(
        &self,
        t: &Transaction<'_>,
        row: &EngagementRow,
    ) -> Result<EngagementFacts, ServiceError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, rejection_reason, invitation_message,
                engagement_description, payload, enrichment_context
             FROM invitations WHERE engagement_id = ?1 ORDER BY invitation_date, id"
        );
        let invitations: Vec<EngagementInvitation> = t
            .prepare_cached(&sql)?
            .query_map([&row.id], read_invitation_row)?
            .map(|stored| stored.map(|s| s.invitation))
            .collect::<rusqlite::Result<_>>()?;
        let member_count: i64 = t
            .prepare_cached("SELECT COUNT(*) FROM engagement_members WHERE engagement_id = ?1")?
            .query_row([&row.id], |r| r.get(0))?;
        let first = invitations.first();
        let created_at = first
            .and_then(|i| i.invitation_date)
            .unwrap_or(self.first_start);
        let created_by = first
            .and_then(|i| i.sender_aws_account_id.clone())
            .unwrap_or_else(|| self.caller.account_id.clone());
        let context = tasks::customer_project_context(&invitations);
        let summary = EngagementSummary {
            arn: Some(ids::arn(&created_by, &row.catalog, "engagement", &row.id)),
            id: Some(row.id.clone()),
            title: Some(row.title.clone()),
            created_at: Some(created_at),
            modified_at: Some(row.modified_at.unwrap_or(created_at)),
            modified_by: Some(
                row.modified_by
                    .clone()
                    .unwrap_or_else(|| created_by.clone()),
            ),
            created_by: Some(created_by),
            member_count: Some(member_count),
            context_types: Some(context.iter().map(|c| c.context_type.clone()).collect()),
        };
        Ok(EngagementFacts { summary, context })
    }
}

/// What orders and filters an engagement in ListEngagements (the same facts
/// [`Store::engagement_facts`] reports).
#[derive(Clone)]
struct EngagementKey {
    id: String,
    created_at: Timestamp,
    created_by: String,
    context_types: Vec<EngagementContextType>,
}

/// An engagement's row, and whether the caller is one of its members.
struct EngagementRow {
    id: String,
    catalog: String,
    title: String,
    description: String,
    modified_at: Option<Timestamp>,
    modified_by: Option<String>,
    is_member: bool,
}

struct EngagementFacts {
    summary: EngagementSummary,
    context: Option<EngagementContext>,
}

/// The engagement `id`, with whether `account_id` is one of its members.
fn engagement_row(
    t: &Transaction<'_>,
    id: &str,
    account_id: &str,
) -> Result<Option<EngagementRow>, ServiceError> {
    Ok(t.prepare_cached(
        "SELECT id, catalog, title, description, modified_at, modified_by,
                EXISTS (SELECT 1 FROM engagement_members m
                        WHERE m.engagement_id = e.id AND m.account_id = ?2)
             FROM engagements e WHERE id = ?1",
    )?
    .query_row([id, account_id], |row| {
        Ok(EngagementRow {
            id: row.get(0)?,
            catalog: row.get(1)?,
            title: row.get(2)?,
            description: row.get(3)?,
            modified_at: date_of(row, 4)?,
            modified_by: row.get(5)?,
            is_member: row.get(6)?,
        })
    })
    .optional()?)
}

/// Runs a task as at its due time: it accepts the invitation and creates the opportunity, or
/// fails.
fn settle(t: &Transaction<'_>, caller: &Caller, task: &mut StoredTask) -> Result<(), ServiceError> {
    let ran_at = task.due;
    let invitation_id = task
        .task
        .engagement_invitation_id
        .clone()
        .unwrap_or_default();
    let outcome = match find(t, &task.catalog, &invitation_id) {
        Err(ServiceError::ResourceNotFound(_)) => Err((
            ReasonCode::InvitationValidationFailed,
            format!("Engagement invitation {invitation_id} no longer exists"),
        )),
        Err(other) => return Err(other),
        Ok(stored) => {
            let status = effective_status(&stored.invitation, ran_at);
            tasks::check_acceptable(&invitation_id, &status).map(|()| stored)
        }
    };
    match outcome {
        Ok(stored) => {
            accept(t, caller, &stored, ran_at)?;
            let mut id = ids::new_opportunity_id();
            while t
                .prepare_cached("SELECT 1 FROM opportunities WHERE id = ?1")?
                .exists([&id])?
            {
                id = ids::new_opportunity_id();
            }
            let opportunity =
                tasks::opportunity_from(&stored.invitation, &caller.account_id, &id, ran_at);
            t.prepare_cached(
                "INSERT INTO opportunities (id, catalog, opportunity) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, opportunity.catalog, json_text(&opportunity)?])?;
            tasks::complete(task, &id);
        }
        Err((reason, message)) => tasks::fail(task, reason, message),
    }
    Ok(())
}

fn task_of(text: &str) -> Result<StoredTask, ServiceError> {
    serde_json::from_str(text)
        .map_err(|e| ServiceError::InternalServer(format!("a stored task is damaged: {e}")))
}

fn json_text(value: &impl serde::Serialize) -> Result<String, ServiceError> {
    serde_json::to_string(value).map_err(|e| ServiceError::InternalServer(e.to_string()))
}

/// A hash of a listing request without its page size and token: what a NextToken is bound to.
fn scope_of(request: &impl serde::Serialize) -> String {
    let mut hasher = DefaultHasher::new();
    serde_json::to_string(request)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// One page of `rows` (oldest first; newest first unless `ascending`) from the offset in
/// `token`, and the token of the next page.
fn offset_page<T: Clone>(
    mut rows: Vec<T>,
    ascending: bool,
    token: Option<&str>,
    max_results: Option<u32>,
    max_page: usize,
    scope: &str,
    listing: &str,
) -> Result<(Vec<T>, Option<String>), ServiceError> {
    if !ascending {
        rows.reverse();
    }
    let start = match token {
        Some(token) => decode_offset_token(token, scope, listing)?,
        None => 0,
    };
    let size = max_results
        .map_or(DEFAULT_TASK_PAGE_SIZE, |n| n as usize)
        .clamp(1, max_page);
    let rest = rows.get(start..).unwrap_or_default();
    let page = &rest[..size.min(rest.len())];
    let next = (rest.len() > page.len()).then(|| encode_offset_token(scope, start + page.len()));
    Ok((page.to_vec(), next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::database::Database;

    /// The plan of `sql`, one step a line.
    fn plan(store: &Store, sql: &str, values: &[&str]) -> String {
        let steps: Vec<String> = store
            .database
            .query(|c| {
                c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?
                    .query_map(rusqlite::params_from_iter(values), |row| row.get(3))?
                    .collect()
            })
            .unwrap();
        steps.join("; ")
    }

    #[test]
    fn task_and_engagement_queries_read_indexes_never_a_sort_or_a_scan_of_invitations() {
        let caller = Caller::new(crate::emulator::DEFAULT_CALLER_ACCOUNT_ID.into());
        let store = Store::open(Database::open_memory().unwrap(), caller, |_, _| {
            Ok(Timestamp::now())
        })
        .unwrap();
        let due = plan(&store, DUE_TASKS, &["IN_PROGRESS", "2026-01-01"]);
        assert_eq!(
            due,
            "SEARCH tasks USING INDEX tasks_running (status=? AND due<?)"
        );
        let listed = plan(&store, TASKS_BY_START, &["Sandbox"]);
        assert_eq!(
            listed,
            "SEARCH tasks USING INDEX tasks_by_start (catalog=?)"
        );
        let keys = plan(&store, ENGAGEMENT_KEYS, &["Sandbox", "111122223333", "x"]);
        assert_eq!(
            keys.matches("USING INDEX invitations_in_engagement (engagement_id=?)")
                .count()
                + keys
                    .matches("USING COVERING INDEX invitations_in_engagement (engagement_id=?)")
                    .count(),
            3,
            "{keys}"
        );
        assert!(!keys.contains("TEMP") && !keys.contains("SCAN i"), "{keys}");
    }
}
