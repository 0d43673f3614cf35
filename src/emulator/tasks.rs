//! What an accepting task does, as pure functions the store applies: when it settles, whether
//! it succeeds, and the opportunity and engagement context it builds from the invitation.
//!
//! A task is IN_PROGRESS until its due time (`--task-seconds` after it started), then settles
//! once: COMPLETE with a new opportunity if the invitation is still PENDING, FAILED with
//! `EngagementInvitationConflict` otherwise. The due time is stored with the task, so a task
//! still running when the emulator stops settles on the next start as if it had kept running.

use chrono::{Duration, SubsecRound};
use serde::{Deserialize, Serialize};

use crate::api::model::{
    Account, Address, CountryCode, CustomerProjectsContext, EngagementContext,
    EngagementContextPayload, EngagementContextType, EngagementCustomerProjectDetails,
    EngagementInvitation, EngagementTask, Industry, InvitationStatus, LifeCycle,
    ListEngagementByAcceptingInvitationTasksRequest, Opportunity, OpportunityCustomer,
    OpportunityProject, Payload, ReasonCode, SortOrder,
    StartEngagementByAcceptingInvitationTaskRequest, Tag, TaskStatus, Timestamp,
};

use super::ids;

/// How long a task runs when `--task-seconds` is not given.
pub const DEFAULT_TASK_SECONDS: u64 = 2;

/// A task as stored: what the listing returns, plus what settles it and makes it idempotent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StoredTask {
    pub catalog: String,
    pub task: EngagementTask,
    /// When the task settles.
    pub due: Timestamp,
    pub client_token: String,
    /// The request's identifier and tags, so a reused token with other parameters is refused.
    pub fingerprint: String,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A new IN_PROGRESS task of `request` for the invitation `invitation_id`, due `run_for` after
/// `now`; `fingerprint` is what a reuse of its ClientToken must match.
pub fn new_task(
    account_id: &str,
    request: &StartEngagementByAcceptingInvitationTaskRequest,
    invitation_id: &str,
    client_token: &str,
    fingerprint: String,
    now: Timestamp,
    run_for: std::time::Duration,
) -> StoredTask {
    let catalog = request.catalog.as_str();
    let id = ids::new_task_id();
    // Milliseconds, as the service's timestamps have.
    let now = Timestamp(now.0.trunc_subsecs(3));
    let run_for = Duration::from_std(run_for).unwrap_or(Duration::MAX);
    StoredTask {
        catalog: catalog.to_owned(),
        task: EngagementTask {
            task_arn: Some(ids::arn(
                account_id,
                catalog,
                "engagement-by-accepting-invitation-task",
                &id,
            )),
            task_id: Some(id),
            start_time: Some(now),
            task_status: Some(TaskStatus::InProgress),
            engagement_invitation_id: Some(invitation_id.to_owned()),
            ..EngagementTask::default()
        },
        due: Timestamp(now.0.checked_add_signed(run_for).unwrap_or(now.0)),
        client_token: client_token.to_owned(),
        fingerprint,
        tags: request.tags.clone().unwrap_or_default(),
    }
}

/// Whether the task may accept an invitation in `status`; the failure's code and message if not.
pub fn check_acceptable(
    invitation_id: &str,
    status: &InvitationStatus,
) -> Result<(), (ReasonCode, String)> {
    match status {
        InvitationStatus::Pending => Ok(()),
        other => Err((
            ReasonCode::EngagementInvitationConflict,
            format!(
                "Engagement invitation {invitation_id} is {other}; only a PENDING invitation can \
                 be accepted"
            ),
        )),
    }
}

/// Marks the task COMPLETE with its opportunity.
pub fn complete(task: &mut StoredTask, opportunity_id: &str) {
    task.task.task_status = Some(TaskStatus::Complete);
    task.task.opportunity_id = Some(opportunity_id.to_owned());
}

/// Marks the task FAILED with why.
pub fn fail(task: &mut StoredTask, reason: ReasonCode, message: String) {
    task.task.task_status = Some(TaskStatus::Failed);
    task.task.reason_code = Some(reason);
    task.task.message = Some(message);
}

/// The opportunity an accepted invitation becomes in the partner's account: the customer, the
/// project (title, business problem, expected spend) and the target date, as far as the model's
/// `Opportunity` has room for them; a new opportunity is a Prospect pending submission.
pub fn opportunity_from(
    invitation: &EngagementInvitation,
    account_id: &str,
    id: &str,
    now: Timestamp,
) -> Opportunity {
    let (customer, project, target_close_date) = match &invitation.payload {
        Some(Payload::OpportunityInvitation(payload)) => {
            let c = &payload.customer;
            let p = &payload.project;
            (
                Some(Account {
                    industry: Some(c.industry.clone()),
                    company_name: c.company_name.clone(),
                    website_url: Some(c.website_url.clone()).filter(|w| !w.is_empty()),
                    address: Some(Address {
                        country_code: Some(c.country_code.clone()),
                        ..Address::default()
                    }),
                    ..Account::default()
                }),
                Some(OpportunityProject {
                    title: Some(p.title.clone()),
                    customer_business_problem: Some(p.business_problem.clone()),
                    expected_customer_spend: Some(p.expected_customer_spend.clone())
                        .filter(|spend| !spend.is_empty()),
                    ..OpportunityProject::default()
                }),
                Some(p.target_completion_date.clone()),
            )
        }
        Some(Payload::LeadInvitation(payload)) => {
            let c = &payload.customer;
            (
                Some(Account {
                    industry: c.industry.as_deref().map(Industry::from),
                    company_name: c.company_name.clone(),
                    website_url: c.website_url.clone(),
                    address: c.country_code.as_ref().map(|code| Address {
                        country_code: Some(CountryCode(code.clone())),
                        ..Address::default()
                    }),
                    ..Account::default()
                }),
                invitation
                    .engagement_title
                    .as_ref()
                    .map(|title| OpportunityProject {
                        title: Some(title.clone()),
                        ..OpportunityProject::default()
                    }),
                None,
            )
        }
        _ => (None, None, None),
    };
    Opportunity {
        catalog: invitation.catalog.clone(),
        primary_needs_from_aws: None,
        national_security: None,
        partner_opportunity_identifier: None,
        customer: customer.map(|account| OpportunityCustomer {
            account: Some(account),
            contacts: None,
        }),
        project,
        opportunity_type: Some("Net New Business".to_owned()),
        marketing: None,
        software_revenue: None,
        id: id.to_owned(),
        arn: Some(ids::arn(account_id, &invitation.catalog, "opportunity", id)),
        last_modified_date: now,
        created_date: now,
        related_entity_identifiers: Default::default(),
        life_cycle: Some(LifeCycle {
            stage: Some("Prospect".to_owned()),
            review_status: Some("Pending Submission".to_owned()),
            target_close_date,
            next_steps: None,
        }),
        opportunity_team: None,
    }
}

/// The engagement's customer-project context, from the first opportunity invitation sent in it.
pub fn customer_project_context<'a>(
    invitations: impl IntoIterator<Item = &'a EngagementInvitation>,
) -> Option<EngagementContext> {
    invitations.into_iter().find_map(|invitation| {
        let Some(Payload::OpportunityInvitation(payload)) = &invitation.payload else {
            return None;
        };
        Some(EngagementContext {
            id: Some("1".to_owned()),
            context_type: EngagementContextType::CustomerProject,
            payload: Some(EngagementContextPayload::CustomerProject(
                CustomerProjectsContext {
                    customer: Some(payload.customer.clone()),
                    project: Some(EngagementCustomerProjectDetails {
                        title: payload.project.title.clone(),
                        business_problem: payload.project.business_problem.clone(),
                        target_completion_date: payload.project.target_completion_date.clone(),
                    }),
                },
            )),
        })
    })
}

/// Whether a task passes a listing's filters (identifiers by id or ARN).
pub fn task_matches(
    task: &StoredTask,
    request: &ListEngagementByAcceptingInvitationTasksRequest,
) -> bool {
    let t = &task.task;
    let named = |wanted: &Option<Vec<String>>, value: &Option<String>| {
        wanted.as_ref().is_none_or(|list| {
            value
                .as_deref()
                .is_some_and(|v| list.iter().any(|w| ids::id_from_identifier(w) == v))
        })
    };
    task.catalog == request.catalog
        && request
            .task_status
            .as_ref()
            .is_none_or(|s| t.task_status.as_ref().is_some_and(|st| s.contains(st)))
        && named(&request.task_identifier, &t.task_id)
        && named(
            &request.engagement_invitation_identifier,
            &t.engagement_invitation_id,
        )
        && named(&request.opportunity_identifier, &t.opportunity_id)
}

/// Whether a listing of tasks is oldest first (it is newest first unless it says ASCENDING).
pub fn ascending(request: &ListEngagementByAcceptingInvitationTasksRequest) -> bool {
    request
        .sort
        .as_ref()
        .is_some_and(|s| s.sort_order == SortOrder::Ascending)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{
        EngagementCustomer, ExpectedCustomerSpend, OpportunityInvitationPayload, PaymentFrequency,
        ProjectDetails,
    };
    use crate::api::validate::validate_shape;

    fn at(seconds: i64) -> Timestamp {
        Timestamp(chrono::DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap())
    }

    fn invitation() -> EngagementInvitation {
        EngagementInvitation {
            id: "engi-0000000000001".into(),
            catalog: "Sandbox".into(),
            payload: Some(Payload::OpportunityInvitation(
                OpportunityInvitationPayload {
                    customer: EngagementCustomer {
                        industry: Industry::Healthcare,
                        company_name: "Northwind Clinics".into(),
                        website_url: "https://northwind.example.com".into(),
                        country_code: CountryCode("US".into()),
                    },
                    project: ProjectDetails {
                        business_problem: "Move patient records to a managed database".into(),
                        title: "Records migration".into(),
                        target_completion_date: "2027-03-31".into(),
                        expected_customer_spend: vec![ExpectedCustomerSpend {
                            amount: Some("5000".into()),
                            currency_code: crate::api::model::CurrencyCode("USD".into()),
                            frequency: PaymentFrequency::Monthly,
                            target_company: "AWS".into(),
                            estimation_url: None,
                        }],
                    },
                    ..Default::default()
                },
            )),
            ..Default::default()
        }
    }

    #[test]
    fn the_opportunity_carries_customer_project_and_spend_and_fits_the_model() {
        let opportunity = opportunity_from(&invitation(), "111122223333", "O1234567890", at(0));
        let account = opportunity
            .customer
            .as_ref()
            .unwrap()
            .account
            .as_ref()
            .unwrap();
        assert_eq!(account.company_name, "Northwind Clinics");
        assert_eq!(account.industry, Some(Industry::Healthcare));
        let project = opportunity.project.as_ref().unwrap();
        assert_eq!(project.title.as_deref(), Some("Records migration"));
        assert_eq!(project.expected_customer_spend.as_ref().unwrap().len(), 1);
        assert_eq!(
            opportunity
                .life_cycle
                .as_ref()
                .unwrap()
                .target_close_date
                .as_deref(),
            Some("2027-03-31")
        );
        let document = serde_json::to_value(&opportunity).unwrap();
        assert_eq!(
            validate_shape("GetOpportunityResponse", &document, ""),
            vec![]
        );
    }

    #[test]
    fn only_a_pending_invitation_is_acceptable() {
        assert!(check_acceptable("engi-1", &InvitationStatus::Pending).is_ok());
        let (code, message) = check_acceptable("engi-1", &InvitationStatus::Rejected).unwrap_err();
        assert_eq!(code, ReasonCode::EngagementInvitationConflict);
        assert!(message.contains("REJECTED"), "{message}");
    }

    #[test]
    fn a_new_task_runs_until_its_due_time_then_completes_with_its_opportunity() {
        let request = StartEngagementByAcceptingInvitationTaskRequest {
            catalog: "Sandbox".into(),
            identifier: "engi-0000000000001".into(),
            ..Default::default()
        };
        let mut task = new_task(
            "111122223333",
            &request,
            "engi-0000000000001",
            "token",
            String::new(),
            at(0),
            std::time::Duration::from_secs(2),
        );
        assert_eq!(task.task.task_status, Some(TaskStatus::InProgress));
        assert_eq!(task.due, at(2));
        complete(&mut task, "O1");
        assert_eq!(task.task.task_status, Some(TaskStatus::Complete));
        assert_eq!(task.task.opportunity_id.as_deref(), Some("O1"));
        let summary = serde_json::to_value(&task.task).unwrap();
        assert_eq!(
            validate_shape(
                "ListEngagementByAcceptingInvitationTaskSummary",
                &summary,
                ""
            ),
            vec![]
        );
    }

    #[test]
    fn the_context_comes_from_the_first_opportunity_invitation() {
        let context = customer_project_context([&invitation()]).unwrap();
        let document = serde_json::to_value(&context).unwrap();
        assert_eq!(
            validate_shape("EngagementContextDetails", &document, ""),
            vec![]
        );
        assert!(customer_project_context([&EngagementInvitation::default()]).is_none());
    }
}
