//! The signed client's accepting-task, engagement and opportunity calls against a scripted local
//! service (`common::Service`): one ClientToken for every retry of a start, listings merged
//! from every page, and answers decoded without losing what a newer service adds.

mod common;

use common::{Reply, Service, ok};
use pcinbox::api::model::*;
use serde_json::{Value, json};

fn start_request(token: Option<&str>) -> StartEngagementByAcceptingInvitationTaskRequest {
    StartEngagementByAcceptingInvitationTaskRequest {
        catalog: "Sandbox".into(),
        client_token: token.map(str::to_owned),
        identifier: "engi-0000000000001".into(),
        tags: Some(vec![Tag {
            key: "team".into(),
            value: "east".into(),
        }]),
    }
}

#[tokio::test]
async fn a_start_is_retried_with_one_client_token_through_a_lost_answer_and_a_server_error() {
    let service = Service::start(|_, index| match index {
        0 => Reply::Drop,
        1 => Reply::Answer(503, vec![], String::new()),
        _ => ok(
            json!({"TaskId": "task-0000000000001", "TaskStatus": "IN_PROGRESS",
                       "StartTime": "2026-12-02T07:00:00.000Z"}),
        ),
    })
    .await;
    let (client, _) = service.client(None);
    let task = client
        .start_engagement_by_accepting_invitation_task(&start_request(None))
        .await
        .unwrap();
    assert_eq!(task.task_status, Some(TaskStatus::InProgress));
    assert!(!task.is_finished());
    let received = service.received();
    assert_eq!(received.len(), 3);
    assert_eq!(
        received[0].header("x-amz-target"),
        Some("AWSPartnerCentralSelling.StartEngagementByAcceptingInvitationTask")
    );
    let tokens: Vec<Value> = received
        .iter()
        .map(|r| r.json()["ClientToken"].clone())
        .collect();
    assert!(uuid::Uuid::parse_str(tokens[0].as_str().unwrap()).is_ok());
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    assert_eq!(
        received[0].json()["Tags"],
        json!([{"Key": "team", "Value": "east"}])
    );

    // A token the caller chose is kept; another start gets another token.
    client
        .start_engagement_by_accepting_invitation_task(&start_request(Some("mine")))
        .await
        .unwrap();
    client
        .start_engagement_by_accepting_invitation_task(&start_request(None))
        .await
        .unwrap();
    let received = service.received();
    assert_eq!(received[3].json()["ClientToken"], "mine");
    assert_ne!(received[4].json()["ClientToken"], tokens[0]);
}

/// A listing of three pages of one row each, `key` naming the rows' list.
async fn three_pages(key: &'static str, row: fn(usize) -> Value) -> Service {
    Service::start(move |request, _| {
        let page = request.json()["NextToken"]
            .as_str()
            .map_or(0, |t| t.parse().unwrap());
        let next = (page < 2).then(|| (page + 1).to_string());
        ok(json!({ key: [row(page)], "NextToken": next }))
    })
    .await
}

#[tokio::test]
async fn tasks_and_engagements_are_merged_from_every_page() {
    let service = three_pages(
        "TaskSummaries",
        |page| json!({"TaskId": format!("task-000000000000{page}"), "TaskStatus": "COMPLETE"}),
    )
    .await;
    let (client, _) = service.client(None);
    let request = ListEngagementByAcceptingInvitationTasksRequest {
        catalog: "Sandbox".into(),
        task_status: Some(vec![TaskStatus::Complete]),
        engagement_invitation_identifier: Some(vec!["engi-0000000000001".into()]),
        ..Default::default()
    };
    let tasks = client
        .list_all_engagement_by_accepting_invitation_tasks(&request)
        .await
        .unwrap();
    let ids: Vec<_> = tasks.iter().filter_map(|t| t.task_id.clone()).collect();
    assert_eq!(
        ids,
        [
            "task-0000000000000",
            "task-0000000000001",
            "task-0000000000002"
        ]
    );
    let received = service.received();
    assert_eq!(received.len(), 3);
    for sent in &received {
        assert_eq!(sent.json()["TaskStatus"], json!(["COMPLETE"]));
        assert_eq!(
            sent.json()["EngagementInvitationIdentifier"],
            json!(["engi-0000000000001"])
        );
    }

    let service = three_pages(
        "EngagementSummaryList",
        |page| json!({"Id": format!("eng-0000000000000{page}"), "MemberCount": page}),
    )
    .await;
    let (client, _) = service.client(None);
    let engagements = client
        .list_all_engagements(&ListEngagementsRequest {
            catalog: "Sandbox".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let counts: Vec<_> = engagements.iter().filter_map(|e| e.member_count).collect();
    assert_eq!(counts, [0, 1, 2]);
}

#[tokio::test]
async fn one_task_is_read_by_its_identifier() {
    let service = Service::start(|_, _| {
        ok(
            json!({"TaskSummaries": [{"TaskId": "task-0000000000009", "TaskStatus": "FAILED",
                   "ReasonCode": "EngagementInvitationConflict", "Message": "It is ACCEPTED"}]}),
        )
    })
    .await;
    let (client, _) = service.client(None);
    let task = client
        .get_engagement_by_accepting_invitation_task("Sandbox", "task-0000000000009")
        .await
        .unwrap()
        .unwrap();
    assert!(task.is_finished());
    assert!(
        task.failure()
            .ends_with("(EngagementInvitationConflict): It is ACCEPTED")
    );
    let sent = service.received()[0].json();
    assert_eq!(sent["TaskIdentifier"], json!(["task-0000000000009"]));
    assert_eq!(
        service.received()[0].header("x-amz-target"),
        Some("AWSPartnerCentralSelling.ListEngagementByAcceptingInvitationTasks")
    );
}

#[tokio::test]
async fn an_opportunity_decodes_leniently_and_its_raw_answer_keeps_everything() {
    let answer = json!({
        "Catalog": "Sandbox", "Id": "O1234567890",
        "CreatedDate": "2026-12-02T07:00:00Z", "LastModifiedDate": 1764658800,
        "RelatedEntityIdentifiers": {"Solutions": ["S-1"]},
        "Customer": {"Account": {"CompanyName": "Northwind", "Industry": "Quantum Computing",
                                 "Shiny": true}},
        "LifeCycle": {"Stage": "Ideation", "ReviewStatus": "Approved"},
        "Project": {"Title": "Records migration", "DeliveryModels": ["SaaS or PaaS"]},
        "NewThing": {"X": 1}
    });
    let sent = answer.clone();
    let service = Service::start(move |_, _| ok(sent.clone())).await;
    let (client, _) = service.client(None);
    let opportunity = client
        .get_opportunity("Sandbox", "O1234567890")
        .await
        .unwrap();
    let account = opportunity.customer.unwrap().account.unwrap();
    assert_eq!(
        account.industry,
        Some(Industry::Unknown("Quantum Computing".into()))
    );
    assert_eq!(
        opportunity.life_cycle.unwrap().stage.as_deref(),
        Some("Ideation")
    );
    assert_eq!(
        opportunity.related_entity_identifiers["Solutions"],
        json!(["S-1"])
    );
    let raw = client
        .get_raw(Operation::GetOpportunity, "Sandbox", "O1234567890")
        .await
        .unwrap();
    assert_eq!(raw, answer);
}

#[tokio::test]
async fn start_engagement_says_where_to_find_a_task_it_could_not_follow() {
    let service = Service::start(|request, _| match request.header("x-amz-target") {
        Some("AWSPartnerCentralSelling.StartEngagementByAcceptingInvitationTask") => ok(json!({
                "TaskId": "task-0000000000007", "TaskStatus": "IN_PROGRESS",
                "EngagementInvitationId": "engi-0000000000001"})),
        _ => common::error(
            403,
            json!({"__type": "AccessDeniedException", "Message": "No reading tasks"}),
        ),
    })
    .await;
    let (client, _) = service.client(None);
    let overrides = pcinbox::config::Overrides {
        endpoint_url: Some(service.url.clone()),
        ..Default::default()
    };
    let settings = pcinbox::config::Settings::resolve(
        &overrides,
        &pcinbox::config::FileConfig::default(),
        &|_| None,
    )
    .unwrap();
    let command = pcinbox::cli::Command::StartEngagement(pcinbox::cli::StartEngagementArgs {
        id: "engi-0000000000001".into(),
        tags: Vec::new(),
        no_wait: false,
        client_token: None,
    });
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = pcinbox::cli::run_command(command, &settings, &client, &mut out, &mut err)
        .await
        .unwrap();
    assert_eq!(code, std::process::ExitCode::from(1));
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("AccessDeniedException: No reading tasks"),
        "{err}"
    );
    assert!(
        err.contains(
            "task task-0000000000007 was started and runs on; follow it with \
             `pcinbox tasks --invitation engi-0000000000001`"
        ),
        "{err}"
    );
    assert!(out.is_empty());
}
