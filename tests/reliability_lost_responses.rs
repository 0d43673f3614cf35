//! Responses lost after the service acted: a proxy between the client and the in-process emulator
//! lets the request through and closes the connection instead of returning the answer.
//!
//! A create is retried with the same ClientToken, so exactly one invitation exists. An accept or
//! reject retried this way meets a ConflictException; both the CLI and the inbox read the
//! invitation again and tell the user its true state.

mod support;

use pcinbox::api::Error;
use pcinbox::api::client::Client;
use pcinbox::api::model::{
    CATALOG_SANDBOX, InvitationStatus, ParticipantType, RejectEngagementInvitationRequest,
};
use pcinbox::cli::{Command, CreateArgs};
use pcinbox::config::OutputFormat;
use pcinbox::emulator::Faults;
use pcinbox::tui::command::Command as TuiCommand;
use support::{
    Driver, Proxy, client, create_request, emulator_with, list_all, run, run_ok, settings,
};

async fn sent_ids(client: &Client) -> Vec<String> {
    list_all(client, CATALOG_SANDBOX, ParticipantType::Sender, 100)
        .await
        .into_iter()
        .map(|s| s.id)
        .collect()
}

/// PENDING invitations the caller received, newest first.
async fn pending(client: &Client) -> Vec<String> {
    list_all(client, CATALOG_SANDBOX, ParticipantType::Receiver, 100)
        .await
        .into_iter()
        .filter(|s| s.status == Some(InvitationStatus::Pending))
        .map(|s| s.id)
        .collect()
}

async fn status_of(client: &Client, id: &str) -> InvitationStatus {
    client
        .get_engagement_invitation(CATALOG_SANDBOX, id)
        .await
        .unwrap()
        .status
        .unwrap()
}

#[tokio::test]
async fn a_create_whose_response_is_lost_makes_exactly_one_invitation() {
    let emulator = emulator_with(Faults::default(), 0).await;
    let direct = client(&emulator.endpoint(), 1);
    let proxy = Proxy::start(emulator.address()).await;
    let through_proxy = client(&proxy.endpoint, 5);
    let before = sent_ids(&direct).await;
    let engagement = list_all(&direct, CATALOG_SANDBOX, ParticipantType::Sender, 100).await[0]
        .engagement_id
        .clone()
        .unwrap();

    // The library call.
    proxy.lose_responses("CreateEngagementInvitation", 1);
    let created = through_proxy
        .create_engagement_invitation(&create_request(&engagement))
        .await
        .expect("the retry gets the answer");
    assert_eq!(proxy.lost(), 1, "the first response was lost");
    let after = sent_ids(&direct).await;
    assert_eq!(after.len(), before.len() + 1, "exactly one invitation more");
    assert!(after.contains(&created.id));

    // `pcinbox create` from a file, losing the first two responses.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("create.json");
    std::fs::write(
        &file,
        serde_json::to_vec(&create_request(&engagement)).unwrap(),
    )
    .unwrap();
    proxy.lose_responses("CreateEngagementInvitation", 2);
    let out = run_ok(
        Command::Create(CreateArgs {
            cli_input_json: file.display().to_string(),
            client_token: None,
            dry_run: false,
        }),
        &settings(&proxy.endpoint, OutputFormat::Json),
        &through_proxy,
    )
    .await;
    assert_eq!(proxy.lost(), 3);
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = answer["Id"].as_str().unwrap();
    let last = sent_ids(&direct).await;
    assert_eq!(last.len(), after.len() + 1, "exactly one invitation more");
    assert!(last.iter().any(|sent| sent == id));
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_cli_reconciles_a_lost_accept_and_reject_with_the_true_state() {
    let emulator = emulator_with(Faults::default(), 0).await;
    let direct = client(&emulator.endpoint(), 1);
    let proxy = Proxy::start(emulator.address()).await;
    let through_proxy = client(&proxy.endpoint, 5);
    let table = settings(&proxy.endpoint, OutputFormat::Table);
    let pending = pending(&direct).await;
    assert!(pending.len() >= 3, "the demo has pending invitations");

    proxy.lose_responses("AcceptEngagementInvitation", 1);
    let (code, out, err) = run(
        Command::Accept {
            ids: vec![pending[0].clone()],
        },
        &table,
        &through_proxy,
    )
    .await;
    assert_eq!(proxy.lost(), 1);
    assert_eq!(code, std::process::ExitCode::SUCCESS, "{err}");
    assert_eq!(out, format!("Accepted {}\n", pending[0]));
    assert!(err.contains("the first attempt went through"), "{err}");
    assert_eq!(
        status_of(&direct, &pending[0]).await,
        InvitationStatus::Accepted
    );
    // Asked again, with nothing lost: the conflict is the user's to see, with the true state.
    let (code, _, err) = run(
        Command::Accept {
            ids: vec![pending[0].clone()],
        },
        &table,
        &through_proxy,
    )
    .await;
    assert_ne!(code, std::process::ExitCode::SUCCESS);
    assert!(
        err.contains(&format!(
            "{} was already ACCEPTED; nothing changed (ConflictException",
            pending[0]
        )),
        "{err}"
    );

    proxy.lose_responses("RejectEngagementInvitation", 1);
    let (code, out, err) = run(
        Command::Reject {
            ids: vec![pending[1].clone()],
            reason: Some("Outside our region".into()),
        },
        &table,
        &through_proxy,
    )
    .await;
    assert_eq!(proxy.lost(), 2);
    assert_eq!(code, std::process::ExitCode::SUCCESS, "{err}");
    assert_eq!(out, format!("Rejected {}\n", pending[1]));
    assert_eq!(
        status_of(&direct, &pending[1]).await,
        InvitationStatus::Rejected
    );

    // Someone else rejected it first: the accept did not happen, and the user is told so.
    direct
        .reject_engagement_invitation(&RejectEngagementInvitationRequest {
            catalog: CATALOG_SANDBOX.into(),
            identifier: pending[2].clone(),
            rejection_reason: None,
        })
        .await
        .unwrap();
    let (code, out, err) = run(
        Command::Accept {
            ids: vec![pending[2].clone()],
        },
        &table,
        &through_proxy,
    )
    .await;
    assert_ne!(code, std::process::ExitCode::SUCCESS);
    assert_eq!(out, "");
    assert!(
        err.contains(&format!(
            "{} was not accepted: it is already REJECTED",
            pending[2]
        )),
        "{err}"
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_client_marks_a_conflict_that_follows_a_lost_answer() {
    let emulator = emulator_with(Faults::default(), 0).await;
    let direct = client(&emulator.endpoint(), 1);
    let proxy = Proxy::start(emulator.address()).await;
    let through_proxy = client(&proxy.endpoint, 5);
    let pending = pending(&direct).await;
    proxy.lose_responses("AcceptEngagementInvitation", 1);
    let error = through_proxy
        .accept_engagement_invitation(CATALOG_SANDBOX, &pending[0])
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ConflictOnRetry { attempts: 2, .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), "ConflictException");
    let error = through_proxy
        .accept_engagement_invitation(CATALOG_SANDBOX, &pending[0])
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Conflict { .. }), "{error:?}");
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_reconciles_a_lost_accept_and_reject_with_the_true_state() {
    let emulator = emulator_with(Faults::default(), 0).await;
    let direct = client(&emulator.endpoint(), 1);
    let proxy = Proxy::start(emulator.address()).await;
    let mut d = Driver::start(client(&proxy.endpoint, 5), 160, 45);
    d.until("the inbox is listed", |app| {
        app.list.load == pcinbox::tui::app::LoadState::Idle && !app.list.listing.is_empty()
    })
    .await;
    // The inbox starts on To do: the PENDING ones only.
    let first = d.selected_id();

    proxy.lose_responses("AcceptEngagementInvitation", 1);
    d.act(TuiCommand::Accept);
    if matches!(
        d.app.dialog,
        Some(pcinbox::tui::dialog::Dialog::AcceptChoice { .. })
    ) {
        d.act(TuiCommand::Down); // accept only: AcceptEngagementInvitation
    }
    d.act(TuiCommand::Confirm);
    d.until("the accept is answered", |app| app.busy.is_empty())
        .await;
    assert_eq!(proxy.lost(), 1);
    let message = d.app.message.clone().unwrap().text;
    assert!(
        message.starts_with(&format!("Accepted {first}"))
            && message.contains("the first attempt went through"),
        "{message}"
    );
    assert_eq!(d.row_status(&first), Some(InvitationStatus::Accepted));
    assert_eq!(status_of(&direct, &first).await, InvitationStatus::Accepted);

    let second = d.selected_id();
    assert_ne!(first, second);
    proxy.lose_responses("RejectEngagementInvitation", 1);
    d.act(TuiCommand::Reject);
    d.act(TuiCommand::Submit);
    d.until("the reject is answered", |app| app.busy.is_empty())
        .await;
    assert_eq!(proxy.lost(), 2);
    let message = d.app.message.clone().unwrap().text;
    assert!(
        message.starts_with(&format!("Rejected {second}")),
        "{message}"
    );
    assert_eq!(d.row_status(&second), Some(InvitationStatus::Rejected));
    assert_eq!(
        status_of(&direct, &second).await,
        InvitationStatus::Rejected
    );

    // Accepted elsewhere while the inbox still shows it PENDING: the row takes the true state.
    let third = d.selected_id();
    direct
        .accept_engagement_invitation(CATALOG_SANDBOX, &third)
        .await
        .unwrap();
    d.act(TuiCommand::Reject);
    d.act(TuiCommand::Submit);
    d.until("the reject is answered", |app| app.busy.is_empty())
        .await;
    let message = d.app.message.clone().unwrap().text;
    assert!(
        message.contains(&format!("{third} was not rejected: it is already ACCEPTED")),
        "{message}"
    );
    assert_eq!(d.row_status(&third), Some(InvitationStatus::Accepted));
    emulator.shutdown().await.unwrap();
}
