//! From invitation to opportunity against the in-process emulator, through the library client:
//! the accepting task and how it settles, the engagement and opportunity it leads to, listings
//! and their pages, a start whose answer is lost, a task that fails, and a task still running
//! when the emulator stops.

mod support;

use std::time::Duration;

use pcinbox::api::Error;
use pcinbox::api::client::Client;
use pcinbox::api::model::*;
use pcinbox::cli::{Command, StartEngagementArgs};
use pcinbox::config::OutputFormat;
use pcinbox::emulator::{self, EmulatorOptions, RunningEmulator, Storage};
use support::{Proxy, WAIT, client, list_all, pending_opportunity_invitations, run, settings};

/// An emulator whose tasks run for `task_duration`, kept in `storage`.
async fn emulator_with_tasks(task_duration: Duration, storage: Storage) -> RunningEmulator {
    emulator::start(EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        storage,
        task_duration,
        ..EmulatorOptions::default()
    })
    .await
    .expect("the emulator starts")
}

fn start_request(
    invitation: &str,
    token: Option<&str>,
) -> StartEngagementByAcceptingInvitationTaskRequest {
    StartEngagementByAcceptingInvitationTaskRequest {
        catalog: CATALOG_SANDBOX.into(),
        client_token: token.map(str::to_owned),
        identifier: invitation.into(),
        tags: None,
    }
}

/// The caller's tasks for one invitation.
async fn tasks_of(client: &Client, invitation: &str) -> Vec<EngagementTask> {
    client
        .list_all_engagement_by_accepting_invitation_tasks(
            &ListEngagementByAcceptingInvitationTasksRequest {
                catalog: CATALOG_SANDBOX.into(),
                engagement_invitation_identifier: Some(vec![invitation.into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

/// Waits (bounded) until the task has finished, and returns it.
async fn finished(client: &Client, task_id: &str) -> EngagementTask {
    tokio::time::timeout(WAIT, async {
        loop {
            let task = client
                .get_engagement_by_accepting_invitation_task(CATALOG_SANDBOX, task_id)
                .await
                .unwrap()
                .expect("the task is listed");
            if task.is_finished() {
                return task;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the task finishes")
}

#[tokio::test]
async fn a_completed_task_accepts_joins_and_creates_the_opportunity_from_the_invitation() {
    let emulator = emulator_with_tasks(Duration::from_millis(300), Storage::Ephemeral).await;
    let client = client(&emulator.endpoint(), 1);
    let summary = pending_opportunity_invitations(&client).await.remove(0);
    let invitation = client
        .get_engagement_invitation(CATALOG_SANDBOX, &summary.id)
        .await
        .unwrap();
    let engagement_id = invitation.engagement_id.clone().unwrap();
    let before = client
        .get_engagement(CATALOG_SANDBOX, &engagement_id)
        .await
        .expect("an invited partner may read the engagement");
    let listed_before = client
        .list_all_engagements(&ListEngagementsRequest {
            catalog: CATALOG_SANDBOX.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        listed_before
            .iter()
            .all(|e| e.id.as_deref() != Some(&engagement_id)),
        "not a member yet, so not listed"
    );

    let started = client
        .start_engagement_by_accepting_invitation_task(
            &StartEngagementByAcceptingInvitationTaskRequest {
                tags: Some(vec![Tag {
                    key: "team".into(),
                    value: "east".into(),
                }]),
                ..start_request(&summary.id, None)
            },
        )
        .await
        .unwrap();
    assert_eq!(started.task_status, Some(TaskStatus::InProgress));
    assert_eq!(
        started.engagement_invitation_id.as_deref(),
        Some(summary.id.as_str())
    );
    assert!(started.opportunity_id.is_none());
    let task_id = started.task_id.clone().unwrap();
    assert!(task_id.starts_with("task-"), "{task_id}");

    let task = finished(&client, &task_id).await;
    assert_eq!(task.task_status, Some(TaskStatus::Complete), "{task:?}");
    let opportunity_id = task.opportunity_id.clone().expect("an opportunity");
    assert!(
        opportunity_id.starts_with('O') && opportunity_id[1..].bytes().all(|b| b.is_ascii_digit()),
        "{opportunity_id}"
    );

    let accepted = client
        .get_engagement_invitation(CATALOG_SANDBOX, &summary.id)
        .await
        .unwrap();
    assert_eq!(accepted.status, Some(InvitationStatus::Accepted));

    let after = client
        .get_engagement(CATALOG_SANDBOX, &engagement_id)
        .await
        .unwrap();
    assert_eq!(after.member_count, before.member_count.map(|n| n + 1));
    assert_eq!(
        after.modified_by.as_deref(),
        Some(emulator::DEFAULT_CALLER_ACCOUNT_ID)
    );
    let members = client
        .list_all_engagement_members(CATALOG_SANDBOX, &engagement_id)
        .await
        .expect("a member may list the members");
    assert!(
        members
            .iter()
            .any(|m| m.account_id.as_deref() == Some(emulator::DEFAULT_CALLER_ACCOUNT_ID))
    );
    assert_eq!(members.len() as i64, after.member_count.unwrap());
    let listed = client
        .list_all_engagements(&ListEngagementsRequest {
            catalog: CATALOG_SANDBOX.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let row = listed
        .iter()
        .find(|e| e.id.as_deref() == Some(&engagement_id))
        .expect("a member now, so listed");
    assert_eq!(row.member_count, after.member_count);
    assert_eq!(
        row.context_types,
        Some(vec![EngagementContextType::CustomerProject])
    );

    let Some(Payload::OpportunityInvitation(payload)) = &invitation.payload else {
        panic!("an opportunity invitation")
    };
    let opportunity = client
        .get_opportunity(CATALOG_SANDBOX, &opportunity_id)
        .await
        .unwrap();
    let account = opportunity.customer.unwrap().account.unwrap();
    assert_eq!(account.company_name, payload.customer.company_name);
    assert_eq!(account.industry, Some(payload.customer.industry.clone()));
    assert_eq!(
        account.address.unwrap().country_code,
        Some(payload.customer.country_code.clone())
    );
    let project = opportunity.project.unwrap();
    assert_eq!(
        project.title.as_deref(),
        Some(payload.project.title.as_str())
    );
    assert_eq!(
        project.customer_business_problem.as_deref(),
        Some(payload.project.business_problem.as_str())
    );
    assert_eq!(
        project.expected_customer_spend.unwrap_or_default(),
        payload.project.expected_customer_spend
    );
    assert_eq!(
        opportunity.life_cycle.unwrap().target_close_date.as_deref(),
        Some(payload.project.target_completion_date.as_str())
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_same_client_token_returns_the_same_task_and_other_parameters_conflict() {
    let emulator = emulator_with_tasks(Duration::from_millis(100), Storage::Ephemeral).await;
    let client = client(&emulator.endpoint(), 1);
    let invitation = pending_opportunity_invitations(&client).await.remove(0).id;
    let first = client
        .start_engagement_by_accepting_invitation_task(&start_request(&invitation, Some("token-1")))
        .await
        .unwrap();
    let again = client
        .start_engagement_by_accepting_invitation_task(&start_request(&invitation, Some("token-1")))
        .await
        .unwrap();
    assert_eq!(again.task_id, first.task_id);
    let other = StartEngagementByAcceptingInvitationTaskRequest {
        tags: Some(vec![Tag {
            key: "k".into(),
            value: "v".into(),
        }]),
        ..start_request(&invitation, Some("token-1"))
    };
    let refused = client
        .start_engagement_by_accepting_invitation_task(&other)
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Conflict { .. }), "{refused:?}");
    assert_eq!(tasks_of(&client, &invitation).await.len(), 1);
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_task_for_an_invitation_no_longer_pending_fails_with_the_reason() {
    let emulator = emulator_with_tasks(Duration::from_millis(100), Storage::Ephemeral).await;
    let client = client(&emulator.endpoint(), 1);
    let invitation = pending_opportunity_invitations(&client).await.remove(0).id;
    client
        .reject_engagement_invitation(&RejectEngagementInvitationRequest {
            catalog: CATALOG_SANDBOX.into(),
            identifier: invitation.clone(),
            rejection_reason: Some("Unable to support".into()),
        })
        .await
        .unwrap();
    let started = client
        .start_engagement_by_accepting_invitation_task(&start_request(&invitation, None))
        .await
        .expect("the task starts; the status is checked when it runs");
    let task = finished(&client, started.task_id.as_deref().unwrap()).await;
    assert_eq!(task.task_status, Some(TaskStatus::Failed));
    assert_eq!(
        task.reason_code,
        Some(ReasonCode::EngagementInvitationConflict)
    );
    assert!(
        task.message.as_deref().unwrap().contains("REJECTED"),
        "{task:?}"
    );
    assert!(task.opportunity_id.is_none());
    assert_eq!(
        client
            .get_engagement_invitation(CATALOG_SANDBOX, &invitation)
            .await
            .unwrap()
            .status,
        Some(InvitationStatus::Rejected),
        "a failed task changes nothing"
    );

    // An unknown invitation is refused at once; a sent one may not be accepted by its sender.
    let missing = client
        .start_engagement_by_accepting_invitation_task(&start_request("engi-zzzzzzzzzzzzz", None))
        .await
        .unwrap_err();
    assert!(
        matches!(missing, Error::ResourceNotFound { .. }),
        "{missing:?}"
    );
    let sent = list_all(&client, CATALOG_SANDBOX, ParticipantType::Sender, 100).await[0]
        .id
        .clone();
    let denied = client
        .start_engagement_by_accepting_invitation_task(&start_request(&sent, None))
        .await
        .unwrap_err();
    assert!(matches!(denied, Error::AccessDenied { .. }), "{denied:?}");
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn listings_filter_and_page_and_the_client_merges_every_page() {
    let emulator = emulator_with_tasks(Duration::from_millis(50), Storage::Ephemeral).await;
    let client = client(&emulator.endpoint(), 1);
    let pending = pending_opportunity_invitations(&client).await;
    assert!(
        pending.len() >= 3,
        "the demo has pending opportunity invitations"
    );
    let mut started = Vec::new();
    for summary in &pending[..3] {
        let task = client
            .start_engagement_by_accepting_invitation_task(&start_request(&summary.id, None))
            .await
            .unwrap();
        started.push(task.task_id.unwrap());
    }
    for id in &started {
        finished(&client, id).await;
    }
    let one_per_page = ListEngagementByAcceptingInvitationTasksRequest {
        catalog: CATALOG_SANDBOX.into(),
        max_results: Some(1),
        ..Default::default()
    };
    let first_page = client
        .list_engagement_by_accepting_invitation_tasks(&one_per_page)
        .await
        .unwrap();
    assert_eq!(first_page.task_summaries.len(), 1);
    assert!(first_page.next_token.is_some());
    let all = client
        .list_all_engagement_by_accepting_invitation_tasks(&one_per_page)
        .await
        .unwrap();
    let mut ids: Vec<String> = all.iter().filter_map(|t| t.task_id.clone()).collect();
    assert_eq!(ids.first(), started.last(), "newest first");
    ids.sort();
    let mut expected = started.clone();
    expected.sort();
    assert_eq!(ids, expected);
    let failed = client
        .list_all_engagement_by_accepting_invitation_tasks(
            &ListEngagementByAcceptingInvitationTasksRequest {
                task_status: Some(vec![TaskStatus::Failed]),
                ..one_per_page.clone()
            },
        )
        .await
        .unwrap();
    assert!(failed.is_empty());
    let by_opportunity = client
        .list_all_engagement_by_accepting_invitation_tasks(
            &ListEngagementByAcceptingInvitationTasksRequest {
                opportunity_identifier: Some(vec![all[0].opportunity_id.clone().unwrap()]),
                ..one_per_page.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_opportunity, vec![all[0].clone()]);

    // A token from another listing is refused.
    let other = client
        .list_engagement_by_accepting_invitation_tasks(
            &ListEngagementByAcceptingInvitationTasksRequest {
                task_status: Some(vec![TaskStatus::Complete]),
                next_token: first_page.next_token.clone(),
                ..one_per_page.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(other, Error::Validation { .. }), "{other:?}");

    let two_per_page = ListEngagementsRequest {
        catalog: CATALOG_SANDBOX.into(),
        max_results: Some(2),
        ..Default::default()
    };
    let page = client.list_engagements(&two_per_page).await.unwrap();
    assert_eq!(page.engagement_summary_list.len(), 2);
    let engagements = client.list_all_engagements(&two_per_page).await.unwrap();
    let everything = client
        .list_all_engagements(&ListEngagementsRequest {
            max_results: Some(100),
            ..two_per_page.clone()
        })
        .await
        .unwrap();
    assert_eq!(engagements, everything);
    assert!(engagements.len() > 2);
    let created: Vec<_> = everything.iter().map(|e| e.created_at).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");

    // Filters: context types split the listing in two; CreatedBy keeps one sender's.
    let with = |request: ListEngagementsRequest| {
        let client = client.clone();
        async move { client.list_all_engagements(&request).await.unwrap() }
    };
    let customer_project = Some(vec![EngagementContextType::CustomerProject]);
    let projects = with(ListEngagementsRequest {
        context_types: customer_project.clone(),
        ..two_per_page.clone()
    })
    .await;
    let others = with(ListEngagementsRequest {
        exclude_context_types: customer_project.clone(),
        ..two_per_page.clone()
    })
    .await;
    assert!(!projects.is_empty());
    assert!(projects.iter().all(|e| e.context_types == customer_project));
    assert!(others.iter().all(|e| e.context_types == Some(vec![])));
    assert_eq!(projects.len() + others.len(), everything.len());
    let sender = everything[0].created_by.clone().unwrap();
    let by_sender = with(ListEngagementsRequest {
        created_by: Some(vec![sender.clone()]),
        ..two_per_page.clone()
    })
    .await;
    assert!(!by_sender.is_empty());
    assert!(
        by_sender
            .iter()
            .all(|e| e.created_by.as_ref() == Some(&sender))
    );
    let not_sender = with(ListEngagementsRequest {
        exclude_created_by: Some(vec![sender.clone()]),
        ..two_per_page.clone()
    })
    .await;
    assert_eq!(by_sender.len() + not_sender.len(), everything.len());
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_start_whose_answer_is_lost_gives_one_task_and_one_opportunity() {
    let emulator = emulator_with_tasks(Duration::from_millis(200), Storage::Ephemeral).await;
    let direct = client(&emulator.endpoint(), 1);
    let proxy = Proxy::start(emulator.address()).await;
    let through_proxy = client(&proxy.endpoint, 5);
    let pending = pending_opportunity_invitations(&direct).await;

    // The library call.
    proxy.lose_responses("StartEngagementByAcceptingInvitationTask", 1);
    let task = through_proxy
        .start_engagement_by_accepting_invitation_task(&start_request(&pending[0].id, None))
        .await
        .expect("the retry gets the answer");
    assert_eq!(proxy.lost(), 1);
    let tasks = tasks_of(&direct, &pending[0].id).await;
    assert_eq!(tasks.len(), 1, "one task: {tasks:?}");
    assert_eq!(tasks[0].task_id, task.task_id);

    // `pcinbox start-engagement`, losing the first two answers, then following the task.
    proxy.lose_responses("StartEngagementByAcceptingInvitationTask", 2);
    let (code, out, err) = run(
        Command::StartEngagement(StartEngagementArgs {
            id: pending[1].id.clone(),
            tags: Vec::new(),
            no_wait: false,
            client_token: None,
        }),
        &settings(&proxy.endpoint, OutputFormat::Json),
        &through_proxy,
    )
    .await;
    assert_eq!(proxy.lost(), 3);
    assert_eq!(code, std::process::ExitCode::SUCCESS, "{err}");
    let printed: EngagementTask = serde_json::from_str(&out).unwrap();
    assert_eq!(printed.task_status, Some(TaskStatus::Complete));
    let tasks = tasks_of(&direct, &pending[1].id).await;
    assert_eq!(tasks.len(), 1, "one task: {tasks:?}");
    assert_eq!(tasks[0], printed);
    let opportunities: Vec<String> = direct
        .list_all_engagement_by_accepting_invitation_tasks(
            &ListEngagementByAcceptingInvitationTasksRequest {
                catalog: CATALOG_SANDBOX.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .filter_map(|t| t.opportunity_id)
        .collect();
    assert_eq!(opportunities.len(), 2, "one opportunity per invitation");
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_task_running_when_the_emulator_stops_completes_after_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("emulator.sqlite3");
    let emulator =
        emulator_with_tasks(Duration::from_millis(700), Storage::File(file.clone())).await;
    let first = client(&emulator.endpoint(), 1);
    let pending = pending_opportunity_invitations(&first).await;
    let running = first
        .start_engagement_by_accepting_invitation_task(&start_request(&pending[0].id, Some("t-1")))
        .await
        .unwrap();
    let task_id = running.task_id.clone().unwrap();
    emulator.shutdown().await.unwrap();

    // Restarted at once: the task is still IN_PROGRESS, then settles on time.
    let emulator =
        emulator_with_tasks(Duration::from_millis(700), Storage::File(file.clone())).await;
    let second = client(&emulator.endpoint(), 1);
    let task = finished(&second, &task_id).await;
    assert_eq!(task.task_status, Some(TaskStatus::Complete), "{task:?}");
    assert_eq!(task.start_time, running.start_time);
    let opportunity_id = task.opportunity_id.clone().unwrap();
    // The same token after the restart is still the same task.
    let again = second
        .start_engagement_by_accepting_invitation_task(&start_request(&pending[0].id, Some("t-1")))
        .await
        .unwrap();
    assert_eq!(again.task_id.as_deref(), Some(task_id.as_str()));

    // A task due while nothing ran settles as soon as the emulator is back.
    let late = second
        .start_engagement_by_accepting_invitation_task(&start_request(&pending[1].id, None))
        .await
        .unwrap();
    emulator.shutdown().await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let emulator =
        emulator_with_tasks(Duration::from_millis(700), Storage::File(file.clone())).await;
    let third = client(&emulator.endpoint(), 1);
    let listed = third
        .get_engagement_by_accepting_invitation_task(
            CATALOG_SANDBOX,
            late.task_id.as_deref().unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed.task_status, Some(TaskStatus::Complete), "{listed:?}");
    // Everything survived both restarts.
    assert!(
        third
            .get_opportunity(CATALOG_SANDBOX, &opportunity_id)
            .await
            .is_ok()
    );
    assert_eq!(
        third
            .get_engagement_invitation(CATALOG_SANDBOX, &pending[0].id)
            .await
            .unwrap()
            .status,
        Some(InvitationStatus::Accepted)
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_store_of_schema_version_1_gains_tasks_and_keeps_its_invitations() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("emulator.sqlite3");
    let emulator =
        emulator_with_tasks(Duration::from_millis(100), Storage::File(file.clone())).await;
    let before = client(&emulator.endpoint(), 1);
    let pending = pending_opportunity_invitations(&before).await;
    before
        .accept_engagement_invitation(CATALOG_SANDBOX, &pending[1].id)
        .await
        .unwrap();
    emulator.shutdown().await.unwrap();
    // Back to what the store of issue 10 wrote: migration 1 only.
    let connection = rusqlite::Connection::open(&file).unwrap();
    connection
        .execute_batch(
            "DROP INDEX invitations_by_date; DROP INDEX invitations_by_status;
             ALTER TABLE invitations DROP COLUMN summary;
             CREATE INDEX invitations_by_date
                 ON invitations(catalog, participant_type, invitation_date, id);
             CREATE INDEX invitations_by_status
                 ON invitations(catalog, participant_type, status, invitation_date, id);
             DROP TABLE tasks; DROP TABLE opportunities; DROP INDEX invitations_in_engagement;
             ALTER TABLE engagements DROP COLUMN modified_at;
             ALTER TABLE engagements DROP COLUMN modified_by;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    drop(connection);

    let emulator =
        emulator_with_tasks(Duration::from_millis(100), Storage::File(file.clone())).await;
    let after = client(&emulator.endpoint(), 1);
    assert_eq!(
        after
            .get_engagement_invitation(CATALOG_SANDBOX, &pending[1].id)
            .await
            .unwrap()
            .status,
        Some(InvitationStatus::Accepted),
        "what the old store held is still there"
    );
    let listed = list_all(&after, CATALOG_SANDBOX, ParticipantType::Receiver, 100).await;
    assert_eq!(
        listed
            .iter()
            .find(|s| s.id == pending[1].id)
            .map(|s| &s.status),
        Some(&Some(InvitationStatus::Accepted)),
        "a listing shows the summaries the migration wrote from the old columns"
    );
    let started = after
        .start_engagement_by_accepting_invitation_task(&start_request(&pending[0].id, None))
        .await
        .unwrap();
    let task = finished(&after, started.task_id.as_deref().unwrap()).await;
    assert_eq!(task.task_status, Some(TaskStatus::Complete), "{task:?}");
    emulator.shutdown().await.unwrap();
    let version: i64 = rusqlite::Connection::open(&file)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 3, "migrated to the stored summaries too");
}

#[tokio::test]
async fn two_emulators_sharing_a_store_settle_each_task_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("emulator.sqlite3");
    let one = emulator_with_tasks(Duration::from_millis(300), Storage::File(file.clone())).await;
    let two = emulator_with_tasks(Duration::from_millis(300), Storage::File(file.clone())).await;
    let (first, second) = (client(&one.endpoint(), 1), client(&two.endpoint(), 1));
    let pending = pending_opportunity_invitations(&first).await;
    let mut started = Vec::new();
    for summary in &pending[..3] {
        let task = first
            .start_engagement_by_accepting_invitation_task(&start_request(&summary.id, None))
            .await
            .unwrap();
        started.push(task.task_id.unwrap());
    }
    for id in &started {
        let task = finished(&second, id).await;
        assert_eq!(task.task_status, Some(TaskStatus::Complete), "{task:?}");
        // Both tickers ran; one opportunity each, seen alike by both processes.
        let opportunity = task.opportunity_id.unwrap();
        assert!(
            first
                .get_opportunity(CATALOG_SANDBOX, &opportunity)
                .await
                .is_ok()
        );
    }
    let engagement = pending[0].engagement_id.clone().unwrap();
    let members = second
        .list_all_engagement_members(CATALOG_SANDBOX, &engagement)
        .await
        .unwrap();
    let caller = members
        .iter()
        .filter(|m| m.account_id.as_deref() == Some(emulator::DEFAULT_CALLER_ACCOUNT_ID))
        .count();
    assert_eq!(caller, 1, "the caller joined once: {members:?}");
    one.shutdown().await.unwrap();
    two.shutdown().await.unwrap();
    let opportunities: i64 = rusqlite::Connection::open(&file)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM opportunities", [], |row| row.get(0))
        .unwrap();
    assert_eq!(opportunities, 3, "each task made one opportunity");
}
