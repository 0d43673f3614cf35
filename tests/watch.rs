//! `pcinbox watch` as scripts use it: the real binary against the in-process emulator, its
//! events read as JSON lines, changes made by another client, `--exec` handlers, SIGTERM.
//! Every wait is bounded; nothing sleeps.

mod support;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use pcinbox::api::client::Client;
use pcinbox::api::model::{
    CATALOG_SANDBOX, InvitationStatus, ParticipantType, RejectEngagementInvitationRequest,
};
use pcinbox::emulator::{Faults, RunningEmulator};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const WAIT: Duration = Duration::from_secs(60);

/// A command running the binary against `emulator`, with its own PCINBOX_HOME in `home`.
fn pcinbox(emulator: &RunningEmulator, home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pcinbox"));
    command
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("PCINBOX_HOME", home.join("pcinbox"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret")
        .args(["--endpoint-url", &emulator.endpoint(), "watch"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// `watch --once`: the events it printed, each a JSON object.
async fn once(emulator: &RunningEmulator, home: &Path, args: &[&str]) -> Vec<Value> {
    let mut command = pcinbox(emulator, home, &[&["--once"], args].concat());
    let output = tokio::time::timeout(WAIT, command.output())
        .await
        .expect("watch --once finishes")
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

fn of_kind<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["event"] == kind).collect()
}

fn test_client(emulator: &RunningEmulator) -> Client {
    support::client_as(&emulator.endpoint(), 1, "AKIDTEST", "test-secret")
}

#[tokio::test]
async fn expiring_is_reported_once_across_runs() {
    let emulator = support::emulator_with(Faults::default(), 1_000).await;
    let home = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now();
    let mut expiring: Vec<String> = support::list_all(
        &test_client(&emulator),
        CATALOG_SANDBOX,
        ParticipantType::Receiver,
        100,
    )
    .await
    .into_iter()
    .filter(|s| {
        s.status == Some(InvitationStatus::Pending)
            && s.expiration_date.unwrap().0 - now < chrono::Duration::hours(23)
    })
    .map(|s| s.id)
    .collect();
    assert!(
        !expiring.is_empty(),
        "the seeded inbox has deadlines within a day"
    );

    let first = once(&emulator, home.path(), &[]).await;

    assert_eq!(
        of_kind(&first, "new"),
        Vec::<&Value>::new(),
        "the first run is the baseline"
    );
    let mut reported: Vec<String> = of_kind(&first, "expiring")
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    expiring.sort();
    reported.sort();
    assert!(
        expiring.iter().all(|id| reported.contains(id)),
        "{expiring:?} among {reported:?}"
    );
    let event = of_kind(&first, "expiring")[0];
    assert_eq!(event["status"], "PENDING");
    assert!(event["title"].is_string());
    assert!(event["expires"].as_str().unwrap().ends_with('Z'));
    let log = emulator.requests();
    log.clear();
    let second = once(&emulator, home.path(), &[]).await;
    assert_eq!(second, Vec::<Value>::new(), "nothing happened since");
    assert!(
        log.len() <= 4,
        "the second run refreshes within the quotas: {:?}",
        log.entries()
    );
}

#[tokio::test]
async fn a_new_sent_invitation_is_an_event_in_the_next_run() {
    let emulator = support::emulator_with(Faults::default(), 0).await;
    let home = tempfile::tempdir().unwrap();
    let args = ["--participant-type", "sender"];
    once(&emulator, home.path(), &args).await;
    let client = test_client(&emulator);
    let sent = support::list_all(&client, CATALOG_SANDBOX, ParticipantType::Sender, 100).await;
    let created = client
        .create_engagement_invitation(&support::create_request(
            sent[0].engagement_id.as_deref().unwrap(),
        ))
        .await
        .unwrap();

    let events = once(&emulator, home.path(), &args).await;

    let new = of_kind(&events, "new");
    assert_eq!(new.len(), 1, "{events:?}");
    assert_eq!(new[0]["id"], created.id.as_str());
    assert_eq!(new[0]["status"], "PENDING");
}

#[tokio::test]
async fn a_status_change_runs_the_exec_command_and_sigterm_stops_cleanly() {
    let emulator = support::emulator_with(Faults::default(), 0).await;
    let home = tempfile::tempdir().unwrap();
    let handled = tempfile::tempdir().unwrap();
    once(&emulator, home.path(), &[]).await;
    let exec = format!(
        "cat > '{}'/\"$PCINBOX_INVITATION_ID-$PCINBOX_EVENT\"",
        handled.path().display()
    );
    let mut watcher = pcinbox(
        &emulator,
        home.path(),
        &["--interval", "1", "--exec", &exec],
    )
    .spawn()
    .unwrap();
    let mut lines = BufReader::new(watcher.stdout.take().unwrap()).lines();
    let client = test_client(&emulator);
    let pending = support::list_all(&client, CATALOG_SANDBOX, ParticipantType::Receiver, 100)
        .await
        .into_iter()
        .find(|s| s.status == Some(InvitationStatus::Pending))
        .unwrap();
    client
        .reject_engagement_invitation(&RejectEngagementInvitationRequest {
            catalog: CATALOG_SANDBOX.into(),
            identifier: pending.id.clone(),
            rejection_reason: None,
        })
        .await
        .unwrap();

    let line = tokio::time::timeout(WAIT, async {
        loop {
            let line = lines
                .next_line()
                .await
                .unwrap()
                .expect("the watcher runs on");
            let event: Value = serde_json::from_str(&line).unwrap();
            if event["event"] == "status" {
                return line;
            }
        }
    })
    .await
    .expect("a status event");
    let event: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(event["id"], pending.id.as_str());
    assert_eq!(event["status"], "REJECTED");
    // The line is printed before its handler runs: wait for the handler's file.
    let handled_file = handled.path().join(format!("{}-status", pending.id));
    let stdin = tokio::time::timeout(WAIT, async {
        loop {
            match std::fs::read_to_string(&handled_file) {
                Ok(text) if text.ends_with('\n') => return text,
                _ => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    })
    .await
    .expect("the --exec command ran");
    assert_eq!(stdin, format!("{line}\n"));

    let pid = nix::unistd::Pid::from_raw(watcher.id().unwrap() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let status = tokio::time::timeout(WAIT, watcher.wait())
        .await
        .expect("SIGTERM stops the watcher")
        .unwrap();
    assert_eq!(status.code(), Some(0));
}
