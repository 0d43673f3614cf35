//! The store's side of accepting by task: starting and settling tasks (the rules are in
//! [`crate::emulator::tasks`]), listing them, and reading the engagements and opportunities
//! they lead to.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use super::{
    DEFAULT_TASK_PAGE_SIZE, Engagement, ServiceError, Store, check_catalog, decode_offset_token,
    effective_status, encode_offset_token,
};
use crate::api::model::{
    EngagementContextType, EngagementDetails, EngagementInvitation, EngagementSummary,
    EngagementTask, ListEngagementByAcceptingInvitationTasksRequest,
    ListEngagementByAcceptingInvitationTasksResponse, ListEngagementsRequest,
    ListEngagementsResponse, Opportunity, ParticipantType, ReasonCode,
    StartEngagementByAcceptingInvitationTaskRequest, Timestamp,
};
use crate::emulator::ids;
use crate::emulator::tasks::{self, StoredTask};

/// The most rows one page of tasks may hold (the model's MaxResults bound).
const MAX_TASK_PAGE_SIZE: usize = 1000;
/// The most rows one page of engagements may hold (the model's MaxResults bound).
const MAX_ENGAGEMENT_PAGE_SIZE: usize = 100;

impl Store {
    /// StartEngagementByAcceptingInvitationTask: a new IN_PROGRESS task that settles after
    /// `run_for`; the same ClientToken (with the same parameters) returns the same task.
    pub fn start_task(
        &mut self,
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
        if let Some(previous) = self
            .tasks
            .iter()
            .find(|t| t.catalog == request.catalog && t.client_token == client_token)
        {
            if previous.fingerprint != fingerprint {
                return Err(ServiceError::Conflict(format!(
                    "ClientToken `{client_token}` was already used with different parameters"
                )));
            }
            return Ok(previous.task.clone());
        }
        let slot = self.find(&request.catalog, &request.identifier)?;
        let stored = &self.invitations[slot];
        let invitation_id = stored.invitation.id.clone();
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
        let answer = task.task.clone();
        self.tasks.push(task);
        self.generation += 1;
        Ok(answer)
    }

    /// When the next running task is due, if any is running.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.tasks
            .iter()
            .filter(|t| t.is_running())
            .map(|t| t.due)
            .min()
    }

    /// Settles every running task whose time is up; how many it settled.
    pub fn settle_due_tasks(&mut self, now: Timestamp) -> usize {
        let due: Vec<usize> = (0..self.tasks.len())
            .filter(|&i| self.tasks[i].is_due(now))
            .collect();
        for &index in &due {
            self.settle(index);
        }
        due.len()
    }

    /// Runs one task as at its due time: it accepts the invitation and creates the opportunity,
    /// or fails.
    fn settle(&mut self, index: usize) {
        let task = &self.tasks[index];
        let ran_at = task.due;
        let invitation_id = task
            .task
            .engagement_invitation_id
            .clone()
            .unwrap_or_default();
        let outcome = self
            .find(&task.catalog, &invitation_id)
            .map_err(|_| {
                (
                    ReasonCode::InvitationValidationFailed,
                    format!("Engagement invitation {invitation_id} no longer exists"),
                )
            })
            .and_then(|slot| {
                let status = effective_status(&self.invitations[slot].invitation, ran_at);
                tasks::check_acceptable(&invitation_id, &status).map(|()| slot)
            });
        match outcome {
            Ok(slot) => {
                self.accept_slot(slot, ran_at);
                let mut id = ids::new_opportunity_id();
                while self.opportunities.contains_key(&id) {
                    id = ids::new_opportunity_id();
                }
                let opportunity = tasks::opportunity_from(
                    &self.invitations[slot].invitation,
                    &self.caller.account_id,
                    &id,
                    ran_at,
                );
                self.opportunities.insert(id.clone(), opportunity);
                tasks::complete(&mut self.tasks[index], &id);
            }
            Err((reason, message)) => tasks::fail(&mut self.tasks[index], reason, message),
        }
        self.generation += 1;
    }

    /// ListEngagementByAcceptingInvitationTasks: newest first unless the sort says ASCENDING.
    pub fn list_tasks(
        &self,
        request: &ListEngagementByAcceptingInvitationTasksRequest,
    ) -> Result<ListEngagementByAcceptingInvitationTasksResponse, ServiceError> {
        check_catalog(&request.catalog)?;
        let mut rows: Vec<&StoredTask> = self
            .tasks
            .iter()
            .filter(|t| tasks::task_matches(t, request))
            .collect();
        if !tasks::ascending(request) {
            rows.reverse();
        }
        let scope = scope_of(&ListEngagementByAcceptingInvitationTasksRequest {
            max_results: None,
            next_token: None,
            ..request.clone()
        });
        let (page, next_token) = offset_page(
            &rows,
            request.next_token.as_deref(),
            request.max_results,
            MAX_TASK_PAGE_SIZE,
            &scope,
            "accepting tasks",
        )?;
        Ok(ListEngagementByAcceptingInvitationTasksResponse {
            task_summaries: page.iter().map(|t| t.task.clone()).collect(),
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
        let engagement = self
            .engagements
            .get(id)
            .filter(|e| e.catalog == catalog)
            .ok_or_else(|| {
                ServiceError::ResourceNotFound(format!(
                    "Engagement {id} was not found in catalog {catalog}"
                ))
            })?;
        let invitations = self.invitations_by_engagement();
        let sent_in = invitations.get(id).map(Vec::as_slice).unwrap_or_default();
        let invited = self.invitations.iter().any(|s| {
            s.participant_type == ParticipantType::Receiver
                && s.invitation.engagement_id.as_deref() == Some(id)
        });
        if !engagement.has_member(&self.caller.account_id) && !invited {
            return Err(ServiceError::AccessDenied(format!(
                "Only members of engagement {id} and partners invited to it can read it"
            )));
        }
        let summary = self.engagement_summary(engagement, sent_in);
        Ok(EngagementDetails {
            id: summary.id,
            arn: summary.arn,
            title: summary.title,
            description: Some(engagement.description.clone()),
            created_at: summary.created_at,
            created_by: summary.created_by,
            member_count: summary.member_count,
            modified_at: summary.modified_at,
            modified_by: summary.modified_by,
            contexts: Some(
                tasks::customer_project_context(sent_in.iter().copied())
                    .into_iter()
                    .collect(),
            ),
        })
    }

    /// ListEngagements: the engagements the caller is a member of, newest first unless the
    /// sort says ASCENDING.
    pub fn list_engagements(
        &self,
        request: &ListEngagementsRequest,
    ) -> Result<ListEngagementsResponse, ServiceError> {
        check_catalog(&request.catalog)?;
        let invitations = self.invitations_by_engagement();
        let wanted: Option<Vec<&str>> = request
            .engagement_identifier
            .as_ref()
            .map(|list| list.iter().map(|e| ids::id_from_identifier(e)).collect());
        let has_any = |list: &Option<Vec<EngagementContextType>>,
                       types: &[EngagementContextType]| {
            list.as_ref()
                .map(|list| list.iter().any(|t| types.contains(t)))
        };
        let mut rows: Vec<EngagementSummary> = self
            .engagements
            .values()
            .filter(|e| e.catalog == request.catalog && e.has_member(&self.caller.account_id))
            .filter(|e| wanted.as_ref().is_none_or(|w| w.contains(&e.id.as_str())))
            .map(|e| {
                let sent_in = invitations.get(e.id.as_str()).map(Vec::as_slice);
                self.engagement_summary(e, sent_in.unwrap_or_default())
            })
            .filter(|s| {
                let by = s.created_by.clone().unwrap_or_default();
                let types = s.context_types.clone().unwrap_or_default();
                request.created_by.as_ref().is_none_or(|c| c.contains(&by))
                    && !request
                        .exclude_created_by
                        .as_ref()
                        .is_some_and(|c| c.contains(&by))
                    && has_any(&request.context_types, &types) != Some(false)
                    && has_any(&request.exclude_context_types, &types) != Some(true)
            })
            .collect();
        let ascending = request
            .sort
            .as_ref()
            .is_some_and(|s| s.sort_order == crate::api::model::SortOrder::Ascending);
        rows.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        if !ascending {
            rows.reverse();
        }
        let scope = scope_of(&ListEngagementsRequest {
            max_results: None,
            next_token: None,
            ..request.clone()
        });
        let (page, next_token) = offset_page(
            &rows,
            request.next_token.as_deref(),
            request.max_results,
            MAX_ENGAGEMENT_PAGE_SIZE,
            &scope,
            "engagements",
        )?;
        Ok(ListEngagementsResponse {
            engagement_summary_list: page,
            next_token,
        })
    }

    /// GetOpportunity.
    pub fn get_opportunity(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<Opportunity, ServiceError> {
        check_catalog(catalog)?;
        self.opportunities
            .get(identifier)
            .filter(|o| o.catalog == catalog)
            .cloned()
            .ok_or_else(|| {
                ServiceError::ResourceNotFound(format!(
                    "Opportunity {identifier} was not found in catalog {catalog}"
                ))
            })
    }

    /// Each engagement's invitations, oldest first.
    fn invitations_by_engagement(&self) -> HashMap<&str, Vec<&EngagementInvitation>> {
        let mut by_engagement: HashMap<&str, Vec<&EngagementInvitation>> = HashMap::new();
        for stored in &self.invitations {
            if let Some(id) = stored.invitation.engagement_id.as_deref() {
                by_engagement
                    .entry(id)
                    .or_default()
                    .push(&stored.invitation);
            }
        }
        for invitations in by_engagement.values_mut() {
            invitations.sort_by_key(|i| i.invitation_date);
        }
        by_engagement
    }

    /// What ListEngagements says of an engagement: it was created with its first invitation
    /// (by that invitation's sender), and modified when a partner last joined.
    fn engagement_summary(
        &self,
        engagement: &Engagement,
        sent_in: &[&EngagementInvitation],
    ) -> EngagementSummary {
        let first = sent_in.first();
        let created_at = first
            .and_then(|i| i.invitation_date)
            .unwrap_or(self.first_start);
        let created_by = first
            .and_then(|i| i.sender_aws_account_id.clone())
            .unwrap_or_else(|| self.caller.account_id.clone());
        let context_types = tasks::customer_project_context(sent_in.iter().copied())
            .map(|c| c.context_type)
            .into_iter()
            .collect();
        EngagementSummary {
            arn: Some(ids::arn(
                &created_by,
                &engagement.catalog,
                "engagement",
                &engagement.id,
            )),
            id: Some(engagement.id.clone()),
            title: Some(engagement.title.clone()),
            created_at: Some(created_at),
            modified_at: Some(engagement.modified_at.unwrap_or(created_at)),
            modified_by: Some(
                engagement
                    .modified_by
                    .clone()
                    .unwrap_or_else(|| created_by.clone()),
            ),
            created_by: Some(created_by),
            member_count: Some(engagement.members.len() as i64),
            context_types: Some(context_types),
        }
    }
}

/// A hash of a listing request without its page size and token: what a NextToken is bound to.
fn scope_of(request: &impl serde::Serialize) -> String {
    let mut hasher = DefaultHasher::new();
    serde_json::to_string(request)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// One page of `rows` from the offset in `token`, and the token of the next page.
fn offset_page<T: Clone>(
    rows: &[T],
    token: Option<&str>,
    max_results: Option<u32>,
    max_page: usize,
    scope: &str,
    listing: &str,
) -> Result<(Vec<T>, Option<String>), ServiceError> {
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
