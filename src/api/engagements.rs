//! Typed requests and responses of the operations that turn an invitation into an opportunity:
//! the accepting task (`StartEngagementByAcceptingInvitationTask` and its listing), engagements
//! (`GetEngagement`, `ListEngagements`) and opportunities (`GetOpportunity`).
//!
//! Same conventions as [`super::model`]: field names follow the service model, unknown enum
//! values and union members are kept verbatim, unknown fields are ignored. Parts of an
//! opportunity pcinbox does not read (marketing, software revenue, team, contacts) stay JSON.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::model::{
    CountryCode, EngagementCustomer, ExpectedCustomerSpend, Industry, SortOrder, Timestamp,
    string_enum, union_serde,
};

string_enum!(
    /// `TaskStatus`: an accepting task runs, then completes or fails.
    TaskStatus {
        InProgress => "IN_PROGRESS",
        Complete => "COMPLETE",
        Failed => "FAILED",
    }
);

string_enum!(
    /// `ReasonCode`: why a task failed.
    ReasonCode {
        InvitationAccessDenied => "InvitationAccessDenied",
        InvitationValidationFailed => "InvitationValidationFailed",
        EngagementAccessDenied => "EngagementAccessDenied",
        OpportunityAccessDenied => "OpportunityAccessDenied",
        ResourceSnapshotJobAccessDenied => "ResourceSnapshotJobAccessDenied",
        ResourceSnapshotJobValidationFailed => "ResourceSnapshotJobValidationFailed",
        ResourceSnapshotJobConflict => "ResourceSnapshotJobConflict",
        EngagementValidationFailed => "EngagementValidationFailed",
        EngagementConflict => "EngagementConflict",
        OpportunitySubmissionFailed => "OpportunitySubmissionFailed",
        EngagementInvitationConflict => "EngagementInvitationConflict",
        InternalError => "InternalError",
        OpportunityValidationFailed => "OpportunityValidationFailed",
        OpportunityConflict => "OpportunityConflict",
        ResourceSnapshotAccessDenied => "ResourceSnapshotAccessDenied",
        ResourceSnapshotValidationFailed => "ResourceSnapshotValidationFailed",
        ResourceSnapshotConflict => "ResourceSnapshotConflict",
        ServiceQuotaExceeded => "ServiceQuotaExceeded",
        RequestThrottled => "RequestThrottled",
        ContextNotFound => "ContextNotFound",
        CustomerProjectContextNotPermitted => "CustomerProjectContextNotPermitted",
        DisqualifiedLeadNotPermitted => "DisqualifiedLeadNotPermitted",
    }
);

impl ReasonCode {
    /// What the code means, in plain words, for people reading a failed task.
    pub fn explain(&self) -> &'static str {
        match self {
            ReasonCode::EngagementInvitationConflict => {
                "the invitation is no longer PENDING (already accepted, rejected or expired)"
            }
            ReasonCode::InvitationAccessDenied => "you may not accept this invitation",
            ReasonCode::InvitationValidationFailed => "the invitation is not valid",
            ReasonCode::EngagementAccessDenied => "you may not join this engagement",
            ReasonCode::EngagementConflict => "the engagement changed while the task ran",
            ReasonCode::EngagementValidationFailed => "the engagement is not valid",
            ReasonCode::OpportunityAccessDenied => "you may not create this opportunity",
            ReasonCode::OpportunityValidationFailed => {
                "the opportunity built from the invitation is not valid"
            }
            ReasonCode::OpportunityConflict => "a conflicting opportunity exists",
            ReasonCode::OpportunitySubmissionFailed => "the opportunity could not be submitted",
            ReasonCode::ServiceQuotaExceeded => "a service quota was reached",
            ReasonCode::RequestThrottled => "the service throttled the task",
            ReasonCode::ContextNotFound => "the engagement has no context to copy",
            ReasonCode::CustomerProjectContextNotPermitted => {
                "the engagement's customer project may not be copied"
            }
            ReasonCode::DisqualifiedLeadNotPermitted => "the lead was disqualified",
            ReasonCode::InternalError => "the service failed internally",
            ReasonCode::ResourceSnapshotJobAccessDenied
            | ReasonCode::ResourceSnapshotJobValidationFailed
            | ReasonCode::ResourceSnapshotJobConflict
            | ReasonCode::ResourceSnapshotAccessDenied
            | ReasonCode::ResourceSnapshotValidationFailed
            | ReasonCode::ResourceSnapshotConflict => {
                "the snapshot of the opportunity could not be made"
            }
            ReasonCode::Unknown(_) => "a reason this version of pcinbox does not know",
        }
    }
}

string_enum!(
    /// `EngagementContextType`.
    EngagementContextType {
        CustomerProject => "CustomerProject",
        Lead => "Lead",
        ProspectingResult => "ProspectingResult",
    }
);

string_enum!(
    /// `ListTasksSortName`.
    TaskSortName {
        StartTime => "StartTime",
    }
);

string_enum!(
    /// `EngagementSortName`.
    EngagementSortName {
        CreatedDate => "CreatedDate",
    }
);

/// `Tag`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// `StartEngagementByAcceptingInvitationTaskRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct StartEngagementByAcceptingInvitationTaskRequest {
    pub catalog: String,
    /// Filled by the client when left out; the same token on every retry gives the same task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// `StartEngagementByAcceptingInvitationTaskResponse`, and the same members in
/// `ListEngagementByAcceptingInvitationTaskSummary`: one accepting task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementTask {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_status: Option<TaskStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<ReasonCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_snapshot_job_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_invitation_id: Option<String>,
}

impl EngagementTask {
    /// Whether the task has ended (COMPLETE or FAILED, or a status this version does not know
    /// and so cannot wait for).
    pub fn is_finished(&self) -> bool {
        !matches!(self.task_status, Some(TaskStatus::InProgress) | None)
    }

    /// Why a FAILED task failed, in plain words: the reason code explained, then the service's
    /// message.
    pub fn failure(&self) -> String {
        let reason = self
            .reason_code
            .as_ref()
            .map(|code| format!("{} ({code})", code.explain()));
        let message = self.message.as_deref().filter(|m| !m.trim().is_empty());
        match (reason, message) {
            (Some(reason), Some(message)) => format!("{reason}: {message}"),
            (Some(reason), None) => reason,
            (None, Some(message)) => message.to_owned(),
            (None, None) => "the service gave no reason".to_owned(),
        }
    }
}

/// `ListTasksSortBase`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskSort {
    pub sort_order: SortOrder,
    pub sort_by: TaskSortName,
}

/// `ListEngagementByAcceptingInvitationTasksRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ListEngagementByAcceptingInvitationTasksRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<TaskSort>,
    pub catalog: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_status: Option<Vec<TaskStatus>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity_identifier: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_invitation_identifier: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_identifier: Option<Vec<String>>,
}

/// `ListEngagementByAcceptingInvitationTasksResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ListEngagementByAcceptingInvitationTasksResponse {
    #[serde(default)]
    pub task_summaries: Vec<EngagementTask>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `GetEngagementResponse`: one engagement with its contexts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contexts: Option<Vec<EngagementContext>>,
}

/// `EngagementContextDetails`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "Type")]
    pub context_type: EngagementContextType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<EngagementContextPayload>,
}

/// `EngagementContextPayload` (a union). Lead and prospecting contexts are kept as JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum EngagementContextPayload {
    CustomerProject(CustomerProjectsContext),
    /// Another member (`Lead`, `ProspectingResult`, or one this version does not know).
    Unknown(String, Value),
}

union_serde!(EngagementContextPayload {
    CustomerProject: CustomerProjectsContext
});

/// `CustomerProjectsContext`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerProjectsContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<EngagementCustomer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<EngagementCustomerProjectDetails>,
}

/// `EngagementCustomerProjectDetails`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementCustomerProjectDetails {
    pub title: String,
    pub business_problem: String,
    /// `YYYY-MM-DD`.
    pub target_completion_date: String,
}

/// `EngagementSort`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementSort {
    pub sort_order: SortOrder,
    pub sort_by: EngagementSortName,
}

/// `ListEngagementsRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ListEngagementsRequest {
    pub catalog: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_created_by: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_types: Option<Vec<EngagementContextType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_context_types: Option<Vec<EngagementContextType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<EngagementSort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_identifier: Option<Vec<String>>,
}

/// `EngagementSummary`: one row of ListEngagements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_types: Option<Vec<EngagementContextType>>,
}

/// `ListEngagementsResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ListEngagementsResponse {
    #[serde(default)]
    pub engagement_summary_list: Vec<EngagementSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `GetOpportunityResponse`: an opportunity in the partner's account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Opportunity {
    pub catalog: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_needs_from_aws: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_security: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_opportunity_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<OpportunityCustomer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<OpportunityProject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_revenue: Option<Value>,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    pub last_modified_date: Timestamp,
    pub created_date: Timestamp,
    #[serde(default)]
    pub related_entity_identifiers: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_cycle: Option<LifeCycle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity_team: Option<Vec<Value>>,
}

/// `Customer` (of an opportunity).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct OpportunityCustomer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<Value>>,
}

/// `Account`: the customer's company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Account {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Industry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_industry: Option<String>,
    pub company_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duns: Option<String>,
}

/// `Address`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_or_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
}

/// `Project` (of an opportunity); the members pcinbox does not read are left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct OpportunityProject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_models: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_customer_spend: Option<Vec<ExpectedCustomerSpend>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_business_problem: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_use_case: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_comments: Option<String>,
}

/// `LifeCycle`: where the opportunity stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct LifeCycle {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_close_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_status: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_summary_round_trips_with_unknown_values_kept() {
        let json = r#"{"TaskId":"task-abcdefghij123","TaskStatus":"PAUSED","ReasonCode":"Novel"}"#;
        let task: EngagementTask = serde_json::from_str(json).unwrap();
        assert_eq!(task.task_status, Some(TaskStatus::Unknown("PAUSED".into())));
        assert!(task.is_finished(), "an unknown status cannot be waited for");
        assert_eq!(serde_json::to_string(&task).unwrap(), json);
    }

    #[test]
    fn a_failure_reads_in_plain_words() {
        let task = EngagementTask {
            task_status: Some(TaskStatus::Failed),
            reason_code: Some(ReasonCode::EngagementInvitationConflict),
            message: Some("Invitation engi-1 is ACCEPTED".into()),
            ..Default::default()
        };
        assert_eq!(
            task.failure(),
            "the invitation is no longer PENDING (already accepted, rejected or expired) \
             (EngagementInvitationConflict): Invitation engi-1 is ACCEPTED"
        );
        assert_eq!(
            EngagementTask::default().failure(),
            "the service gave no reason"
        );
    }

    #[test]
    fn context_payloads_keep_members_this_version_reads_as_json() {
        let json = r#"{"Type":"Lead","Payload":{"Lead":{"QualificationStatus":"x"}}}"#;
        let context: EngagementContext = serde_json::from_str(json).unwrap();
        assert!(matches!(
            context.payload,
            Some(EngagementContextPayload::Unknown(ref name, _)) if name == "Lead"
        ));
        assert_eq!(serde_json::to_string(&context).unwrap(), json);
    }
}
