//! The inbox end to end: the in-process emulator with its demo data, the real signed client and
//! the real worker, driven by the same actions keys produce. Each step waits, with a bound, for
//! the app's state to reach a condition; nothing sleeps.

use std::time::Duration;

use chrono::Utc;
use pcinbox::api::client::{Client, ClientConfig, StaticCredentials};
use pcinbox::api::model::{InvitationStatus, ParticipantType};
use pcinbox::emulator::{self, EmulatorOptions, RunningEmulator, Storage};
use pcinbox::tui::TuiOptions;
use pcinbox::tui::action::Action;
use pcinbox::tui::app::{App, DetailState, Effect, LoadState, update};
use pcinbox::tui::worker::{self, Request};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// How long any one condition may take before the test fails.
const WAIT: Duration = Duration::from_secs(30);

/// The app, its worker and the results channel, as the event loop wires them.
struct Driver {
    app: App,
    requests: UnboundedSender<Request>,
    results: UnboundedReceiver<Action>,
}

impl Driver {
    fn effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Request(request) => self.requests.send(request).expect("worker running"),
                Effect::Copy(_) | Effect::Quit => {}
            }
        }
    }

    fn act(&mut self, action: Action) {
        let effects = update(&mut self.app, action);
        self.effects(effects);
    }

    /// Applies worker results until `condition` holds.
    async fn until(&mut self, what: &str, condition: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !condition(&self.app) {
            let action = tokio::time::timeout_at(deadline, self.results.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting until {what}"))
                .expect("the worker stopped");
            self.act(action);
        }
    }

    fn selected_id(&self) -> String {
        self.app
            .selected_row()
            .expect("a selected row")
            .id()
            .to_owned()
    }

    fn status_of(&self, id: &str) -> Option<InvitationStatus> {
        self.app
            .listing
            .rows()
            .iter()
            .find(|row| row.id() == id)
            .and_then(|row| row.summary.status.clone())
    }
}

async fn start() -> (RunningEmulator, Driver) {
    let emulator = emulator::start(EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        storage: Storage::Ephemeral,
        ..EmulatorOptions::default()
    })
    .await
    .expect("emulator starts");
    let client = Client::with_static_credentials(
        ClientConfig {
            endpoint: emulator.endpoint(),
            region: "us-east-1".into(),
            profile: None,
            max_attempts: 3,
            rate_limits: None,
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(30),
        },
        StaticCredentials {
            access_key_id: emulator::LOCAL_ACCESS_KEY_ID.into(),
            secret_access_key: emulator::LOCAL_SECRET_ACCESS_KEY.into(),
            session_token: None,
        },
    );
    let (results_tx, results) = unbounded_channel();
    let requests = worker::spawn(client, None, results_tx);
    let options = TuiOptions {
        profile: "local".into(),
        cache_dir: None,
        ..TuiOptions::default()
    };
    let mut driver = Driver {
        app: App::new(&options, Utc::now()),
        requests,
        results,
    };
    driver.act(Action::Resize(160, 45));
    let effects = driver.app.start();
    driver.effects(effects);
    (emulator, driver)
}

fn listed(app: &App) -> bool {
    app.load == LoadState::Idle && !app.listing.is_empty()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_open_accept_and_reject_through_the_worker() {
    let (emulator, mut d) = start().await;
    d.until("the demo inbox is listed", listed).await;
    let counts = d.app.listing.counts();
    assert!(
        counts.pending >= 2,
        "the demo data has pending invitations: {counts:?}"
    );

    // Pending only; the first one's detail arrives by itself.
    d.act(Action::CycleStatus);
    let first = d.selected_id();
    d.act(Action::Open);
    d.until("the detail arrives", |app| {
        app.details.contains_key(app.selected_row().unwrap().id())
    })
    .await;
    match &d.app.details[&first] {
        DetailState::Loaded(detail) => {
            assert_eq!(detail.invitation.id, first);
            assert!(
                detail.invitation.payload.is_some(),
                "the full invitation, payload included"
            );
        }
        DetailState::Failed(error) => panic!("detail failed: {error}"),
    }

    // Accept it: y/n first, then the row updates in place and leaves the Pending view.
    d.act(Action::Back);
    d.act(Action::Accept);
    d.act(Action::Confirm);
    d.until("the accept is answered", |app| app.busy.is_empty())
        .await;
    assert_eq!(
        d.status_of(&first),
        Some(InvitationStatus::Accepted),
        "{:?}",
        d.app.message
    );
    assert!(d.app.listing.position_of(&first).is_none());

    // Reject the next one with a reason.
    let second = d.selected_id();
    assert_ne!(second, first);
    d.act(Action::Reject);
    for c in "Outside our region".chars() {
        d.act(Action::ReasonInput(ratatui_textarea::Input {
            key: ratatui_textarea::Key::Char(c),
            ..Default::default()
        }));
    }
    d.act(Action::SubmitReason);
    d.until("the reject is answered", |app| app.busy.is_empty())
        .await;
    assert_eq!(
        d.status_of(&second),
        Some(InvitationStatus::Rejected),
        "{:?}",
        d.app.message
    );

    // A refresh shows what the service now holds, and keeps the selection.
    d.act(Action::CycleStatus); // Accepted
    d.act(Action::CycleStatus); // Rejected
    d.act(Action::CycleStatus); // Expired
    d.act(Action::CycleStatus); // All
    d.act(Action::Down);
    let selected = d.selected_id();
    d.act(Action::Refresh);
    d.until("the refresh lands", listed).await;
    assert_eq!(d.status_of(&first), Some(InvitationStatus::Accepted));
    assert_eq!(d.status_of(&second), Some(InvitationStatus::Rejected));
    assert_eq!(d.selected_id(), selected);
    // The rejected invitation's detail carries the reason.
    d.act(Action::StartSearch);
    for c in second.chars() {
        d.act(Action::SearchChar(c));
    }
    d.act(Action::KeepSearch);
    d.until("the rejected detail arrives", |app| {
        matches!(
            app.details.get(app.selected_row().map_or("", |r| r.id())),
            Some(DetailState::Loaded(_))
        )
    })
    .await;
    let DetailState::Loaded(detail) = &d.app.details[&second] else {
        unreachable!()
    };
    assert_eq!(
        detail.invitation.rejection_reason.as_deref(),
        Some("Outside our region")
    );

    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sent_view_and_sandbox_aws_catalog_switch() {
    let (emulator, mut d) = start().await;
    d.until("the received inbox is listed", listed).await;
    d.act(Action::SwitchView);
    assert_eq!(d.app.view, ParticipantType::Sender);
    d.until("the sent listing lands", |app| app.load == LoadState::Idle)
        .await;
    assert!(
        d.app
            .listing
            .rows()
            .iter()
            .all(|row| row.summary.participant_type != Some(ParticipantType::Receiver))
    );
    d.act(Action::SwitchCatalog);
    d.act(Action::Confirm);
    assert_eq!(d.app.catalog, "AWS");
    d.until("the AWS catalog lists", |app| app.load == LoadState::Idle)
        .await;
    assert!(
        d.app
            .listing
            .rows()
            .iter()
            .all(|row| row.summary.catalog == "AWS")
    );
    emulator.shutdown().await.unwrap();
}
