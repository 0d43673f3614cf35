//! The emulator's SQLite store as its users meet it: many processes of the real binary sharing
//! one store at once, a server killed mid-write, and the JSON store of pcinbox 0.1 imported.

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pcinbox::api::model::{
    CATALOG_AWS, CATALOG_SANDBOX, InvitationStatus, ListEngagementMembersRequest, ParticipantType,
    RejectEngagementInvitationRequest,
};
use pcinbox::emulator::{self, EmulatorOptions, RunningEmulator, Storage};
use serde_json::Value;
use support::{client, create_request, list_all};

/// The JSON store written by pcinbox 0.1 (commit b88ecc1): the demo data after accepting and
/// rejecting invitations and creating three (two with the ClientTokens below).
const FIXTURE: &str = include_str!("fixtures/emulator-0.1.0.json");

/// The binary, with `PCINBOX_HOME=home` and no AWS configuration from the machine.
fn pcinbox(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pcinbox"));
    command
        .args(args)
        .env("PCINBOX_HOME", home)
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("no-aws-credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn run(home: &Path, args: &[&str]) -> Output {
    pcinbox(home, args).output().expect("the binary runs")
}

/// Runs every command at once (all started before any is waited for).
fn run_at_once(home: &Path, commands: &[Vec<&str>]) -> Vec<Output> {
    let children: Vec<Child> = commands
        .iter()
        .map(|args| pcinbox(home, args).spawn().expect("the binary starts"))
        .collect();
    children
        .into_iter()
        .map(|child| child.wait_with_output().expect("the binary ends"))
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Status by id of every invitation `pcinbox --local list` shows in one catalog and view.
fn statuses(home: &Path, catalog: &str, view: &str) -> BTreeMap<String, String> {
    let output = run(
        home,
        &[
            "--local",
            "--catalog",
            catalog,
            "list",
            "--participant-type",
            view,
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let listed: Value = serde_json::from_slice(&output.stdout).unwrap();
    listed["EngagementInvitationSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["Id"].as_str().unwrap().to_owned(),
                s["Status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pending(statuses: &BTreeMap<String, String>) -> Vec<String> {
    statuses
        .iter()
        .filter(|(_, status)| *status == "PENDING")
        .map(|(id, _)| id.clone())
        .collect()
}

/// `PRAGMA integrity_check` of a store file.
fn integrity(path: &Path) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Many processes, one store

#[test]
fn concurrent_processes_answering_different_invitations_all_stick() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let before = statuses(home, CATALOG_SANDBOX, "RECEIVER");
    let targets: Vec<String> = pending(&before).into_iter().take(10).collect();
    assert_eq!(targets.len(), 10, "the demo has 10 pending invitations");

    let commands: Vec<Vec<&str>> = targets
        .iter()
        .map(|id| vec!["--local", "accept", id.as_str()])
        .collect();
    for (id, output) in targets.iter().zip(run_at_once(home, &commands)) {
        assert!(output.status.success(), "accept {id}: {}", stderr(&output));
    }

    let after = statuses(home, CATALOG_SANDBOX, "RECEIVER");
    for id in &targets {
        assert_eq!(after[id], "ACCEPTED", "{id}");
    }
    // Nothing else changed.
    for (id, status) in &before {
        if !targets.contains(id) {
            assert_eq!(&after[id], status, "{id}");
        }
    }
}

#[test]
fn of_concurrent_answers_to_one_invitation_exactly_one_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let target = pending(&statuses(home, CATALOG_AWS, "RECEIVER"))[0].clone();

    let accept = vec!["--local", "--catalog", "AWS", "accept", target.as_str()];
    let outputs = run_at_once(home, &vec![accept; 4]);
    let succeeded = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(succeeded, 1, "{outputs:?}");
    for output in outputs.iter().filter(|o| !o.status.success()) {
        assert_eq!(output.status.code(), Some(1), "{}", stderr(output));
        let message = stderr(output);
        assert!(
            message.contains("ConflictException") && message.contains("is ACCEPTED"),
            "{message}"
        );
    }
    assert_eq!(statuses(home, CATALOG_AWS, "RECEIVER")[&target], "ACCEPTED");
}

#[test]
fn processes_starting_a_new_store_at_once_load_the_demo_once() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let list = vec!["--local", "list"];
    let outputs = run_at_once(home, &vec![list; 6]);
    let mut counts = Vec::new();
    for output in &outputs {
        assert!(output.status.success(), "{}", stderr(output));
        let listed: Value = serde_json::from_slice(&output.stdout).unwrap();
        counts.push(
            listed["EngagementInvitationSummaries"]
                .as_array()
                .unwrap()
                .len(),
        );
    }
    assert_eq!(
        counts,
        vec![25; 6],
        "every process saw the demo inbox, once"
    );
    assert_eq!(statuses(home, CATALOG_SANDBOX, "RECEIVER").len(), 25);
}

/// Two emulators on one file (as an inbox and a CLI call): each sees the other's writes at
/// once, with no cache to go stale.
#[tokio::test]
async fn each_process_sees_the_others_changes_on_its_next_read() {
    let dir = tempfile::tempdir().unwrap();
    let options = EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        storage: Storage::File(dir.path().join("emulator.sqlite3")),
        ..EmulatorOptions::default()
    };
    let inbox = emulator::start(options.clone()).await.unwrap();
    let cli = emulator::start(options).await.unwrap();
    let (inbox_client, cli_client) = (client(&inbox.endpoint(), 1), client(&cli.endpoint(), 1));

    let pending = |c: &pcinbox::api::client::Client| {
        let c = c.clone();
        async move {
            list_all(&c, CATALOG_SANDBOX, ParticipantType::Receiver, 100)
                .await
                .into_iter()
                .filter(|s| s.status == Some(InvitationStatus::Pending))
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    let target = pending(&inbox_client).await[0].clone();
    cli_client
        .reject_engagement_invitation(&RejectEngagementInvitationRequest {
            catalog: CATALOG_SANDBOX.into(),
            identifier: target.clone(),
            rejection_reason: Some("Not our region".into()),
        })
        .await
        .unwrap();
    assert!(!pending(&inbox_client).await.contains(&target));
    // The inbox's accept of what the CLI rejected is refused, not silently applied.
    let refused = inbox_client
        .accept_engagement_invitation(CATALOG_SANDBOX, &target)
        .await;
    assert!(refused.is_err(), "{refused:?}");
    let invitation = cli_client
        .get_engagement_invitation(CATALOG_SANDBOX, &target)
        .await
        .unwrap();
    assert_eq!(invitation.status, Some(InvitationStatus::Rejected));
    assert_eq!(
        invitation.rejection_reason.as_deref(),
        Some("Not our region")
    );

    // A create in one is listed by the other.
    let sent = list_all(&inbox_client, CATALOG_SANDBOX, ParticipantType::Sender, 100).await;
    let engagement = sent[0].engagement_id.clone().unwrap();
    let created = cli_client
        .create_engagement_invitation(&create_request(&engagement))
        .await
        .unwrap();
    let sent_now = list_all(&inbox_client, CATALOG_SANDBOX, ParticipantType::Sender, 100).await;
    assert_eq!(sent_now.len(), sent.len() + 1);
    assert!(sent_now.iter().any(|s| s.id == created.id));
    inbox.shutdown().await.unwrap();
    cli.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Crashes

/// `pcinbox serve --data FILE --port 0`, and its endpoint from the banner.
fn serve(home: &Path, file: &Path) -> (Child, String) {
    let mut child = pcinbox(
        home,
        &["serve", "--data", file.to_str().unwrap(), "--port", "0"],
    )
    .stderr(Stdio::inherit())
    .spawn()
    .expect("serve starts");
    let mut banner = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    banner.read_line(&mut line).unwrap();
    let endpoint = line
        .trim()
        .rsplit(' ')
        .next()
        .filter(|e| e.starts_with("http://"))
        .unwrap_or_else(|| panic!("the banner names the endpoint: {line}"))
        .to_owned();
    // Keep reading the banner so the server never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut banner, &mut std::io::sink()));
    (child, endpoint)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_create_answered_before_a_kill_9_survives_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let file = home.join("store.sqlite3");
    let (mut server, endpoint) = serve(home, &file);
    let writer = client(&endpoint, 1);
    let sent = list_all(&writer, CATALOG_SANDBOX, ParticipantType::Sender, 100).await;
    let engagement = sent[0].engagement_id.clone().unwrap();

    // Four streams of creates; the server is killed while they run.
    let answered = Arc::new(Mutex::new(Vec::new()));
    let mut streams = Vec::new();
    for _ in 0..4 {
        let (writer, answered, engagement) =
            (writer.clone(), Arc::clone(&answered), engagement.clone());
        streams.push(tokio::spawn(async move {
            let mut failures = 0;
            while failures < 3 {
                match writer
                    .create_engagement_invitation(&create_request(&engagement))
                    .await
                {
                    Ok(created) => answered.lock().unwrap().push(created.id),
                    Err(_) => failures += 1,
                }
            }
        }));
    }
    let deadline = tokio::time::Instant::now() + support::WAIT;
    while answered.lock().unwrap().len() < 40 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "creates are answered"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(server.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    server.wait().unwrap();
    for stream in streams {
        stream.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() >= 40);

    assert_eq!(integrity(&file), "ok");
    let (mut server, endpoint) = serve(home, &file);
    let reader = client(&endpoint, 1);
    let listed: Vec<String> = list_all(&reader, CATALOG_SANDBOX, ParticipantType::Sender, 100)
        .await
        .into_iter()
        .map(|s| s.id)
        .collect();
    let lost: Vec<&String> = answered.iter().filter(|id| !listed.contains(id)).collect();
    assert!(lost.is_empty(), "answered 200 but lost: {lost:?}");
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(integrity(&file), "ok");
}

// ---------------------------------------------------------------------------------------------
// The JSON store of pcinbox 0.1

/// The fixture's invitations: (catalog, id) → (participant type, status, rejection reason).
fn fixture_invitations() -> BTreeMap<(String, String), (String, String, Option<String>)> {
    let document: Value = serde_json::from_str(FIXTURE).unwrap();
    document["Invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stored| {
            let i = &stored["Invitation"];
            (
                (
                    i["Catalog"].as_str().unwrap().to_owned(),
                    i["Id"].as_str().unwrap().to_owned(),
                ),
                (
                    stored["ParticipantType"].as_str().unwrap().to_owned(),
                    i["Status"].as_str().unwrap().to_owned(),
                    i["RejectionReason"].as_str().map(str::to_owned),
                ),
            )
        })
        .collect()
}

async fn start_on(options: EmulatorOptions) -> RunningEmulator {
    emulator::start(EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        ..options
    })
    .await
    .unwrap()
}

/// Every invitation of the fixture is in the emulator, with its status and reason, and the
/// fixture's ClientTokens still make creates idempotent.
async fn assert_holds_the_fixture(emulator: &RunningEmulator) {
    let c = client(&emulator.endpoint(), 1);
    let expected = fixture_invitations();
    assert_eq!(expected.len(), 63);
    let mut found = 0;
    for catalog in [CATALOG_AWS, CATALOG_SANDBOX] {
        for view in [ParticipantType::Receiver, ParticipantType::Sender] {
            for summary in list_all(&c, catalog, view.clone(), 100).await {
                let (participant, status, _) = &expected[&(catalog.to_owned(), summary.id.clone())];
                assert_eq!(participant, view.as_str());
                // A PENDING invitation reads EXPIRED once its 15 days are over.
                let shown = summary.status.unwrap();
                assert!(
                    shown.as_str() == status
                        || (status == "PENDING" && shown == InvitationStatus::Expired),
                    "{}: {status} became {shown}",
                    summary.id
                );
                found += 1;
            }
        }
    }
    assert_eq!(found, expected.len(), "every invitation, nothing more");
    for ((catalog, id), (_, _, reason)) in &expected {
        let invitation = c.get_engagement_invitation(catalog, id).await.unwrap();
        assert_eq!(&invitation.rejection_reason, reason, "{id}");
        assert!(invitation.payload.is_some(), "{id}");
    }
    // What the fixture's user did: an accept (and joining the engagement), a reject, creates.
    let accepted = c
        .get_engagement_invitation(CATALOG_SANDBOX, "engi-sp60k3poi1phe")
        .await
        .unwrap();
    assert_eq!(accepted.status, Some(InvitationStatus::Accepted));
    let members = c
        .list_engagement_members(&ListEngagementMembersRequest {
            catalog: CATALOG_SANDBOX.into(),
            identifier: accepted.engagement_id.unwrap(),
            max_results: None,
            next_token: None,
        })
        .await
        .unwrap();
    assert!(
        members
            .engagement_member_list
            .iter()
            .any(|m| m.account_id.as_deref() == Some("111122223333"))
    );
    let rejected = c
        .get_engagement_invitation(CATALOG_SANDBOX, "engi-7044pizyrnzdx")
        .await
        .unwrap();
    assert_eq!(rejected.status, Some(InvitationStatus::Rejected));
    // The same token and parameters as the fixture's create: the same invitation, not a new one.
    let mut again = create_request("eng-0hgu0muo4p3wzc");
    let document: Value = serde_json::from_str(FIXTURE).unwrap();
    let fingerprint: Value = serde_json::from_str(
        document["ClientTokens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["ClientToken"] == "fixture-token-1")
            .unwrap()["Fingerprint"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    again.invitation = serde_json::from_value(fingerprint["Invitation"].clone()).unwrap();
    again.client_token = Some("fixture-token-1".into());
    let created = c.create_engagement_invitation(&again).await.unwrap();
    assert_eq!(created.id, "engi-73jgw4q6w8g9k");
    // The token with other parameters is a conflict.
    again.invitation.message.push_str(" (changed)");
    assert!(c.create_engagement_invitation(&again).await.is_err());
}

#[tokio::test]
async fn the_json_store_of_the_last_release_is_imported_once_with_everything() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("emulator.json");
    std::fs::write(&json, FIXTURE).unwrap();
    let options = EmulatorOptions::local(dir.path());
    let emulator = start_on(options.clone()).await;
    let report = emulator.store().clone();
    assert_eq!(report.database, Some(dir.path().join("emulator.sqlite3")));
    let (imported, renamed) = report.imported.clone().expect("the report says so");
    assert_eq!(imported.invitations, 63);
    assert_eq!(imported.client_tokens, 3);
    let renamed = renamed.unwrap();
    assert!(!json.exists());
    assert!(
        renamed
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("emulator.json.imported-"),
        "{renamed:?}"
    );
    assert_eq!(std::fs::read_to_string(&renamed).unwrap(), FIXTURE);
    assert!(
        report
            .lines()
            .iter()
            .any(|l| l.contains("imported 63 invitations"))
    );
    assert_holds_the_fixture(&emulator).await;
    emulator.shutdown().await.unwrap();

    // Once: the next start opens the database (even with a JSON store back in its place).
    std::fs::write(&json, FIXTURE).unwrap();
    let emulator = start_on(options).await;
    assert_eq!(emulator.store().imported, None);
    assert!(json.exists(), "left alone");
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_json_store_named_with_data_is_imported_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("team-store.json");
    std::fs::write(&json, FIXTURE).unwrap();
    let options = EmulatorOptions {
        storage: Storage::File(json.clone()),
        ..EmulatorOptions::default()
    };
    let emulator = start_on(options.clone()).await;
    let database = PathBuf::from(format!("{}.sqlite3", json.display()));
    assert_eq!(emulator.store().database, Some(database.clone()));
    let (imported, renamed) = emulator.store().imported.clone().unwrap();
    assert_eq!((imported.from.as_path(), renamed), (json.as_path(), None));
    assert_holds_the_fixture(&emulator).await;
    emulator.shutdown().await.unwrap();

    // The same --data again: the database beside it, not a second import.
    let emulator = start_on(options).await;
    assert_eq!(emulator.store().database, Some(database));
    assert_eq!(emulator.store().imported, None);
    assert_eq!(emulator.store().replaces, Some(json.clone()));
    assert!(
        emulator
            .store()
            .lines()
            .iter()
            .any(|l| l.contains("imported into this database earlier"))
    );
    emulator.shutdown().await.unwrap();
}

/// `pcinbox serve` tells the user about the import in its banner.
#[test]
fn serve_says_it_imported_the_json_store() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    std::fs::create_dir_all(home.join("data")).unwrap();
    std::fs::write(home.join("data/emulator.json"), FIXTURE).unwrap();
    let mut server = pcinbox(home, &["serve", "--port", "0"]).spawn().unwrap();
    let mut banner = BufReader::new(server.stdout.take().unwrap());
    let mut text = String::new();
    while !text.contains("Ctrl-C") {
        assert_ne!(banner.read_line(&mut text).unwrap(), 0, "{text}");
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(text.contains("emulator.sqlite3"), "{text}");
    assert!(
        text.contains("imported 63 invitations") && text.contains("emulator.json.imported-"),
        "{text}"
    );
}
