//! Quitting is instant even while a slow server holds a request: the worker's network calls
//! are aborted, not waited for. Time is paused in the test's runtime, so "instant" is exact:
//! no virtual time passes, where waiting for the worker's results to close (the old way) ran
//! to its timeout.

use std::time::Duration;

use tokio::sync::mpsc::unbounded_channel;

use super::event::Event;
use super::worker::{self, Known, Request};
use super::{WORKER_STOP, stop_background};
use crate::api::client::{Client, ClientConfig, StaticCredentials};
use crate::api::model::ParticipantType;
use crate::emulator::{self, EmulatorOptions, Faults};

#[tokio::test(start_paused = true)]
async fn quitting_does_not_wait_for_a_request_in_flight() {
    // The emulator runs on its own thread and runtime, on real time, answering after an hour.
    let (endpoint_tx, endpoint_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let running = emulator::start(EmulatorOptions {
                bind: "127.0.0.1:0".parse().unwrap(),
                faults: Faults {
                    latency: Duration::from_secs(3600),
                    ..Faults::default()
                },
                ..EmulatorOptions::default()
            })
            .await
            .unwrap();
            endpoint_tx
                .send((running.endpoint(), running.requests()))
                .unwrap();
            let _ = stop_rx.await;
        });
        // Dropping the runtime abandons the request still sleeping.
    });
    let (endpoint, log) = endpoint_rx.recv().unwrap();
    let (results, mut events) = unbounded_channel();
    let retries = results.clone();
    // The inbox's client: its retry observer holds a sender of the results channel.
    let client = Client::with_static_credentials(
        ClientConfig {
            endpoint,
            rate_limits: None,
            ..ClientConfig::default()
        },
        StaticCredentials {
            access_key_id: emulator::LOCAL_ACCESS_KEY_ID.into(),
            secret_access_key: emulator::LOCAL_SECRET_ACCESS_KEY.into(),
            session_token: None,
        },
    )
    .with_retry_observer(move |notice| {
        let _ = retries.send(Event::Retrying(notice));
    });
    let worker = worker::start(client, None, results.clone());
    worker
        .requests
        .send(Request::List {
            generation: 1,
            catalog: "Sandbox".into(),
            view: ParticipantType::Receiver,
            known: Known::Nothing,
        })
        .unwrap();
    // Until the server has the request (yielding keeps the paused clock still).
    while log.is_empty() {
        tokio::task::yield_now().await;
    }
    let (disk, disk_task) = super::composer::disk::spawn(None, results);
    drop(disk);
    let started = tokio::time::Instant::now();
    stop_background(worker, disk_task).await;
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "quitting waited (up to {WORKER_STOP:?}) for the request in flight"
    );
    assert!(
        events.try_recv().is_err(),
        "no page arrived: the call was aborted"
    );
    let _ = stop_tx.send(());
    server.join().unwrap();
}
