//! The refresh within the quotas, against the emulator, its cost read from the emulator's
//! request log: an unchanged inbox costs its PENDING pages plus one request, and new
//! invitations and status changes made by another client are picked up.

mod support;

use std::sync::Arc;

use pcinbox::api::model::{CATALOG_SANDBOX, InvitationStatus, ParticipantType};
use pcinbox::emulator::{Faults, LoggedRequest};
use pcinbox::sync::refresh::{self, Change};
use support::{client, create_request, emulator_with, list_all};

/// The whole of `view`, as a refresh knows it.
async fn known_listing(
    client: &pcinbox::api::client::Client,
    view: ParticipantType,
) -> Vec<Arc<pcinbox::api::model::EngagementInvitationSummary>> {
    refresh::full(client, CATALOG_SANDBOX, view)
        .await
        .unwrap()
        .into_iter()
        .map(Arc::new)
        .collect()
}

fn listing(status: Option<&str>, next_page: bool) -> LoggedRequest {
    LoggedRequest {
        operation: "ListEngagementInvitations".into(),
        status: status.map(|s| vec![s.to_owned()]),
        next_page,
    }
}

#[tokio::test]
async fn an_unchanged_inbox_costs_its_pending_pages_plus_one_request() {
    let emulator = emulator_with(Faults::default(), 1_000).await;
    let client = client(&emulator.endpoint(), 1);
    let view = ParticipantType::Receiver;
    let known = known_listing(&client, view.clone()).await;
    let pending = known
        .iter()
        .filter(|s| s.status == Some(InvitationStatus::Pending))
        .count();
    assert!(pending > 100, "two PENDING pages at least, got {pending}");
    let log = emulator.requests();
    log.clear();

    let refreshed = refresh::refresh(&client, CATALOG_SANDBOX, view, &known)
        .await
        .unwrap();

    assert_eq!(refreshed.changes, Vec::new());
    assert_eq!(refreshed.summaries, known);
    let pending_pages = pending.div_ceil(100);
    let mut expected: Vec<_> = (0..pending_pages)
        .map(|page| listing(Some("PENDING"), page > 0))
        .collect();
    expected.push(listing(None, false));
    assert_eq!(log.entries(), expected);
    assert!(
        known.len() > 1_000,
        "the full listing took {} pages",
        known.len().div_ceil(100)
    );
}

#[tokio::test]
async fn status_changes_made_elsewhere_are_picked_up() {
    let emulator = emulator_with(Faults::default(), 1_000).await;
    let client = client(&emulator.endpoint(), 1);
    let other = support::client(&emulator.endpoint(), 1);
    let view = ParticipantType::Receiver;
    let known = known_listing(&client, view.clone()).await;
    // The oldest PENDING one: not on the newest page, so only a Get tells its new status.
    let answered = known
        .iter()
        .rev()
        .find(|s| s.status == Some(InvitationStatus::Pending))
        .unwrap()
        .clone();
    assert!(known.iter().position(|s| s.id == answered.id).unwrap() >= 100);
    other
        .reject_engagement_invitation(&pcinbox::api::model::RejectEngagementInvitationRequest {
            catalog: CATALOG_SANDBOX.into(),
            identifier: answered.id.clone(),
            rejection_reason: None,
        })
        .await
        .unwrap();
    let log = emulator.requests();
    log.clear();

    let refreshed = refresh::refresh(&client, CATALOG_SANDBOX, view.clone(), &known)
        .await
        .unwrap();

    let [Change::Status { before, now }] = refreshed.changes.as_slice() else {
        panic!("one status change expected, got {:?}", refreshed.changes);
    };
    assert_eq!(now.id, answered.id);
    assert_eq!(before, &Some(InvitationStatus::Pending));
    assert_eq!(now.status, Some(InvitationStatus::Rejected));
    let full = list_all(&client, CATALOG_SANDBOX, view, 100).await;
    assert_eq!(
        refreshed
            .summaries
            .iter()
            .map(|s| (&s.id, &s.status))
            .collect::<Vec<_>>(),
        full.iter().map(|s| (&s.id, &s.status)).collect::<Vec<_>>()
    );
    let gets = log
        .entries()
        .iter()
        .filter(|r| r.operation == "GetEngagementInvitation")
        .count();
    assert_eq!(gets, 1, "one read for the one change: {:?}", log.entries());
}

#[tokio::test]
async fn new_invitations_made_elsewhere_are_picked_up() {
    let emulator = emulator_with(Faults::default(), 0).await;
    let client = client(&emulator.endpoint(), 1);
    let other = support::client(&emulator.endpoint(), 1);
    let view = ParticipantType::Sender;
    let known = known_listing(&client, view.clone()).await;
    let engagement = known[0].engagement_id.clone().unwrap();
    let created = other
        .create_engagement_invitation(&create_request(&engagement))
        .await
        .unwrap();

    let refreshed = refresh::refresh(&client, CATALOG_SANDBOX, view, &known)
        .await
        .unwrap();

    let [Change::New(new)] = refreshed.changes.as_slice() else {
        panic!("one new invitation expected, got {:?}", refreshed.changes);
    };
    assert_eq!(new.id, created.id);
    assert_eq!(refreshed.summaries[0].id, created.id);
    assert_eq!(refreshed.summaries.len(), known.len() + 1);
}

/// The inbox's worker: `r` (the rows shown are known) costs the PENDING pages plus one
/// request; `R` (nothing known) lists every page.
#[tokio::test]
async fn the_inbox_refreshes_within_the_quotas_and_r_lists_everything() {
    use pcinbox::tui::event::Event;
    use pcinbox::tui::worker::{self, Known, Request};
    let emulator = emulator_with(Faults::default(), 500).await;
    let client = client(&emulator.endpoint(), 1);
    let view = ParticipantType::Receiver;
    let known = known_listing(&client, view.clone()).await;
    let pending_pages = known
        .iter()
        .filter(|s| s.status == Some(InvitationStatus::Pending))
        .count()
        .div_ceil(100);
    let (results_tx, mut results) = tokio::sync::mpsc::unbounded_channel();
    let requests = worker::spawn(client, None, results_tx);
    let log = emulator.requests();
    for (generation, known_rows, expected_requests) in [
        (1, Known::Rows(known.clone()), pending_pages + 1),
        (2, Known::Nothing, known.len().div_ceil(100)),
    ] {
        log.clear();
        requests
            .send(Request::List {
                generation,
                catalog: CATALOG_SANDBOX.into(),
                view: view.clone(),
                known: known_rows,
            })
            .unwrap();
        let mut listed = Vec::new();
        loop {
            match tokio::time::timeout(support::WAIT, results.recv())
                .await
                .unwrap()
                .unwrap()
            {
                Event::ListPage { summaries, .. } => listed.extend(summaries),
                Event::ListDone { .. } => break,
                Event::ListFailed { error, .. } => panic!("{error}"),
                _ => {}
            }
        }
        assert_eq!(
            listed.iter().map(|s| &s.id).collect::<Vec<_>>(),
            known.iter().map(|s| &s.id).collect::<Vec<_>>()
        );
        assert_eq!(log.len(), expected_requests, "{:?}", log.entries());
    }
}

/// Invitations that arrived since the inbox was last open (for this profile, catalog and view)
/// are marked new (`●`) at the next start: the cached listing is what was known.
#[tokio::test]
async fn the_next_start_marks_what_arrived_since_and_refreshes_from_the_cache() {
    use pcinbox::tui::command::Command;
    use support::Driver;
    let emulator = emulator_with(Faults::default(), 0).await;
    let cache = tempfile::tempdir().unwrap();
    let cached = cache.path().join("listings/local-Sandbox-sender.json");
    {
        let mut first = Driver::cached(client(&emulator.endpoint(), 1), cache.path(), 120, 40);
        first.act(Command::SwitchView);
        first.until("the Sent view is listed", sent_view_app).await;
        let deadline = tokio::time::Instant::now() + support::WAIT;
        while !cached.exists() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the listing was cached"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    let other = client(&emulator.endpoint(), 1);
    let sent = list_all(&other, CATALOG_SANDBOX, ParticipantType::Sender, 100).await;
    let created = other
        .create_engagement_invitation(&create_request(sent[0].engagement_id.as_deref().unwrap()))
        .await
        .unwrap();
    let mut second = Driver::cached(client(&emulator.endpoint(), 1), cache.path(), 120, 40);
    second.act(Command::SwitchView);
    second
        .until("the Sent view is refreshed", |app| {
            sent_view_app(app) && app.list.listing.rows().iter().any(|r| r.id() == created.id)
        })
        .await;

    let new: Vec<_> = second
        .app
        .list
        .listing
        .rows()
        .iter()
        .filter(|r| r.is_new)
        .map(|r| r.id().to_owned())
        .collect();
    assert_eq!(new, [created.id]);
    assert!(second.render().contains('●'), "{}", second.render());
}

/// The Sent view is on screen, listed and not refreshing.
fn sent_view_app(app: &pcinbox::tui::app::App) -> bool {
    app.view == ParticipantType::Sender
        && !app.list.is_loading()
        && !app.list.is_refreshing()
        && !app.list.listing.rows().is_empty()
}
