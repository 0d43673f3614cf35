//! Throttling and outages: the emulator injects ThrottlingException for 30% of requests and
//! InternalServerException for 10% more, with 50 ms of latency (the numbers), and the
//! client's retries must hide all of it: every view lists exactly the full set, and get, accept,
//! reject and create succeed. The retry budget here is 10 attempts (a request fails 37% of the
//! time, so 10 failures in a row are a 1-in-20,000 event per call); backoff is a few milliseconds
//! so the suite stays fast, and the faults are seeded, so a failure can be repeated. A budget that is spent says so, and the inbox keeps what it shows.

mod support;

use std::collections::HashSet;
use std::process::ExitCode;
use std::time::Duration;

use pcinbox::api::Error;
use pcinbox::api::client::Client;
use pcinbox::api::model::{
    CATALOG_AWS, CATALOG_SANDBOX, InvitationStatus, ParticipantType,
    RejectEngagementInvitationRequest,
};
use pcinbox::cli::Command;
use pcinbox::config::OutputFormat;
use pcinbox::emulator::{self, EmulatorOptions, Faults, RunningEmulator, Storage};
use pcinbox::tui::app::LoadState;
use pcinbox::tui::command::Command as TuiCommand;
use support::{Driver, Proxy, client, create_request, list_all, list_args, run, run_ok, settings};

/// The fault mix, seeded so a sequential run meets the same faults every time.
const FAULTS: Faults = Faults {
    throttle_rate: 0.3,
    error_rate: 0.1,
    latency: Duration::from_millis(50),
    seed: Some(7),
};
const BUDGET: u32 = 10;

/// Two emulators on one store file (demo data plus `seed_count` generated invitations): one
/// without faults, to know the truth, and one with `faults`.
async fn twins(
    dir: &std::path::Path,
    seed_count: usize,
    faults: Faults,
) -> (RunningEmulator, RunningEmulator) {
    let options = EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        storage: Storage::File(dir.join("emulator.sqlite3")),
        seed_count,
        ..EmulatorOptions::default()
    };
    let truth = emulator::start(options.clone()).await.unwrap();
    let faulty = emulator::start(EmulatorOptions { faults, ..options })
        .await
        .unwrap();
    (truth, faulty)
}

/// `pcinbox list --output json` of one view: the ids in order.
async fn cli_list(
    client: &Client,
    endpoint: &str,
    catalog: &str,
    view: ParticipantType,
) -> Vec<String> {
    let mut settings = settings(endpoint, OutputFormat::Json);
    settings.catalog = catalog.to_owned();
    let out = run_ok(Command::List(list_args(view, 4)), &settings, client).await;
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    listed["EngagementInvitationSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|summary| summary["Id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_view_lists_exactly_the_full_set_through_faults() {
    let dir = tempfile::tempdir().unwrap();
    let (truth, faulty) = twins(dir.path(), 25, FAULTS).await;
    let reference = client(&truth.endpoint(), 1);
    let retrying = client(&faulty.endpoint(), BUDGET);
    for catalog in [CATALOG_SANDBOX, CATALOG_AWS] {
        for view in [ParticipantType::Receiver, ParticipantType::Sender] {
            let expected = cli_list(&reference, &truth.endpoint(), catalog, view.clone()).await;
            assert!(!expected.is_empty(), "{catalog} {view} has invitations");
            let got = cli_list(&retrying, &faulty.endpoint(), catalog, view.clone()).await;
            assert_eq!(got, expected, "{catalog} {view}: no gaps, no duplicates");
            assert_eq!(got.iter().collect::<HashSet<_>>().len(), got.len());
        }
    }
    truth.shutdown().await.unwrap();
    faulty.shutdown().await.unwrap();
}

#[tokio::test]
async fn get_accept_reject_and_create_succeed_within_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let (truth, faulty) = twins(dir.path(), 0, FAULTS).await;
    let retrying = client(&faulty.endpoint(), BUDGET);
    let received = list_all(&retrying, CATALOG_SANDBOX, ParticipantType::Receiver, 100).await;

    // The faults are real: without retries, some of these fail.
    let single = client(&faulty.endpoint(), 1);
    let mut failures = 0;
    for summary in received.iter().take(20) {
        if single
            .get_engagement_invitation(CATALOG_SANDBOX, &summary.id)
            .await
            .is_err()
        {
            failures += 1;
        }
    }
    assert!(failures > 0, "20 single attempts, none faulted");

    for summary in &received {
        let got = retrying
            .get_engagement_invitation(CATALOG_SANDBOX, &summary.id)
            .await
            .expect("get succeeds within the budget");
        assert_eq!(got.id, summary.id);
    }
    let pending: Vec<&str> = received
        .iter()
        .filter(|s| s.status == Some(InvitationStatus::Pending))
        .map(|s| s.id.as_str())
        .collect();
    retrying
        .accept_engagement_invitation(CATALOG_SANDBOX, pending[0])
        .await
        .expect("accept succeeds within the budget");
    retrying
        .reject_engagement_invitation(&RejectEngagementInvitationRequest {
            catalog: CATALOG_SANDBOX.into(),
            identifier: pending[1].into(),
            rejection_reason: Some("Outside our region".into()),
        })
        .await
        .expect("reject succeeds within the budget");
    for (id, status) in [
        (pending[0], InvitationStatus::Accepted),
        (pending[1], InvitationStatus::Rejected),
    ] {
        let got = retrying
            .get_engagement_invitation(CATALOG_SANDBOX, id)
            .await
            .unwrap();
        assert_eq!(got.status, Some(status));
    }

    let sent = list_all(&retrying, CATALOG_SANDBOX, ParticipantType::Sender, 100).await;
    let engagement = sent[0].engagement_id.as_deref().unwrap();
    let created = retrying
        .create_engagement_invitation(&create_request(engagement))
        .await
        .expect("create succeeds within the budget");
    let after = list_all(&retrying, CATALOG_SANDBOX, ParticipantType::Sender, 100).await;
    assert_eq!(after.len(), sent.len() + 1);
    assert!(after.iter().any(|s| s.id == created.id));
    truth.shutdown().await.unwrap();
    faulty.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_spent_budget_says_how_many_attempts_it_made() {
    let always = Faults {
        throttle_rate: 1.0,
        latency: Duration::from_millis(1),
        ..Faults::default()
    };
    let emulator = support::emulator_with(always, 0).await;
    let retrying = client(&emulator.endpoint(), 3);
    let error = retrying
        .get_engagement_invitation(CATALOG_SANDBOX, "engi-0000000000001")
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::RetriesExhausted { attempts: 3, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("gave up after 3 attempts: ThrottlingException"),
        "{message}"
    );

    let (code, out, err) = run(
        Command::List(list_args(ParticipantType::Receiver, 10)),
        &settings(&emulator.endpoint(), OutputFormat::Json),
        &retrying,
    )
    .await;
    assert_ne!(code, ExitCode::SUCCESS);
    assert_eq!(out, "", "nothing half-listed on stdout");
    assert!(err.contains("gave up after 3 attempts"), "{err}");
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_lists_through_faults_and_a_failed_refresh_keeps_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (truth, faulty) = twins(dir.path(), 120, FAULTS).await;
    let expected: Vec<String> = list_all(
        &client(&truth.endpoint(), 1),
        CATALOG_SANDBOX,
        ParticipantType::Receiver,
        100,
    )
    .await
    .into_iter()
    .map(|s| s.id)
    .collect();
    let proxy = Proxy::start(faulty.address()).await;
    let mut d = Driver::start(client(&proxy.endpoint, BUDGET), 160, 45);

    // Progress is shown while pages arrive, and keys still work meanwhile.
    d.until("the first page is on screen", |app| {
        !app.list.listing.is_empty()
    })
    .await;
    if matches!(d.app.list.load, LoadState::Loading { .. }) {
        assert!(d.render().contains("⟳ loading page"), "{}", d.render());
    }
    d.act(TuiCommand::Down);
    assert_eq!(d.app.list.selected, 1);
    d.until("the listing completes", |app| {
        app.list.load == LoadState::Idle
    })
    .await;
    assert_eq!(d.ids(), expected, "the full set, no gaps, no duplicates");

    // The service goes away: the refresh spends its budget and says so; the rows stay.
    proxy.refuse(true);
    d.act(TuiCommand::Refresh);
    d.until("the refresh fails", |app| {
        matches!(app.list.load, LoadState::Failed(_))
    })
    .await;
    assert_eq!(d.ids(), expected, "nothing already shown is lost");
    let LoadState::Failed(error) = &d.app.list.load else {
        unreachable!()
    };
    assert!(
        error.contains(&format!("gave up after {BUDGET} attempts")),
        "{error}"
    );
    let screen = d.render();
    assert!(
        screen.contains("Listing failed: gave up after 10 attempts"),
        "{screen}"
    );
    assert!(screen.contains("listing failed, r retries"), "{screen}");
    assert!(
        screen.contains(&format!("{} total", expected.len())),
        "{screen}"
    );
    let title = d
        .app
        .selected_row()
        .unwrap()
        .summary
        .engagement_title
        .clone()
        .unwrap();
    let start: String = title.chars().take(20).collect();
    assert!(
        screen.contains(&start),
        "the rows are still drawn: {screen}"
    );

    // Back again: r lists afresh.
    proxy.refuse(false);
    d.act(TuiCommand::Refresh);
    d.until("the retry lands", |app| app.list.load == LoadState::Idle)
        .await;
    assert_eq!(d.ids(), expected);
    truth.shutdown().await.unwrap();
    faulty.shutdown().await.unwrap();
}
