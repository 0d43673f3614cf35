//! Files and crashes: everything pcinbox writes (logs, the emulator's store, the listing cache,
//! drafts) is mode 0600 in 0700 folders; a torn or corrupt store or cache is set aside with a
//! message and the app starts anyway, and a leftover temporary file changes nothing; and the
//! logs, even with `--debug` at trace level, hold no credentials, signatures or sensitive
//! fields, on the client's side and the emulator's.

mod support;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use chrono::Utc;
use pcinbox::api::client::{Client, ClientConfig, StaticCredentials};
use pcinbox::api::model::{InvitationStatus, Operation, ParticipantType};
use pcinbox::api::schema::{REDACTED, output_shape, redact};
use pcinbox::emulator::Faults;
use pcinbox::tui::CacheKey;
use pcinbox::tui::composer::draft::Draft;
use pcinbox::tui::composer::store::DraftStore;
use pcinbox::tui::worker::{self, Known, Request};
use serde_json::Value;
use support::{WAIT, emulator_with};

const AKID: &str = "AKIDRELIABILITYTEST1";
const SECRET: &str = "reliability/Secret+Key/wJalrXUtnFEMI";
const SESSION: &str = "SESSION-TOKEN-reliability-0123456789";

/// Runs the binary with `PCINBOX_HOME=home` and no AWS configuration from the machine.
fn pcinbox(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pcinbox"))
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
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

fn succeeded(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Every file and folder under `dir` (itself excluded), with its permission bits.
fn modes(dir: &Path) -> Vec<(PathBuf, u32)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mode = std::fs::symlink_metadata(&path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        if path.is_dir() {
            found.extend(modes(&path));
        }
        found.push((path, mode));
    }
    found
}

/// The text of every log file under `home/logs`.
fn logs(home: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(home.join("logs")).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    text
}

/// Polls `condition` with a bound; the worker writes on a blocking thread.
async fn eventually(what: &str, condition: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !condition() {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn everything_written_is_private_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    // The binary: logs (with --debug) and the emulator's store.
    succeeded(&pcinbox(&home, &["--local", "--debug", "list"], &[]));
    // The inbox's worker: the listing cache.
    let emulator = emulator_with(Faults::default(), 0).await;
    let (results, _actions) = tokio::sync::mpsc::unbounded_channel();
    let requests = worker::spawn(
        support::client(&emulator.endpoint(), 1),
        Some(home.join("cache")),
        results,
    );
    let key = CacheKey {
        profile: "local".into(),
        catalog: "Sandbox".into(),
        view: ParticipantType::Receiver,
    };
    requests
        .send(Request::SaveCache {
            key,
            saved_at: Utc::now(),
            summaries: Vec::new(),
        })
        .unwrap();
    // The composer's drafts.
    DraftStore::in_dir(&home.join("data"))
        .save(&Draft::new("Sandbox"))
        .unwrap();
    let listings = home.join("cache/listings");
    eventually("the cache is written", || {
        listings.exists() && std::fs::read_dir(&listings).unwrap().count() > 0
    })
    .await;

    let found = modes(&home);
    for expected in [
        "logs",
        "data/emulator.sqlite3",
        "cache/listings",
        "data/drafts",
    ] {
        assert!(
            found
                .iter()
                .any(|(path, _)| path.starts_with(home.join(expected))),
            "{expected} was written: {found:?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|(path, _)| path.parent() == Some(&home.join("logs")) && path.is_file()),
        "a log file: {found:?}"
    );
    for (path, mode) in &found {
        let wanted = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*mode, wanted, "{} is {mode:o}", path.display());
    }
    emulator.shutdown().await.unwrap();
}

#[test]
fn a_torn_or_corrupt_store_never_stops_the_emulator() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let store = home.join("data/emulator.sqlite3");
    let listed = |output: &str| -> Vec<Value> {
        let value: Value = serde_json::from_str(output).unwrap();
        value["EngagementInvitationSummaries"]
            .as_array()
            .unwrap()
            .clone()
    };
    let first = listed(&succeeded(&pcinbox(home, &["--local", "list"], &[])));
    let pending = first.iter().find(|s| s["Status"] == "PENDING").unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    succeeded(&pcinbox(home, &["--local", "accept", &pending], &[]));
    let after = listed(&succeeded(&pcinbox(home, &["--local", "list"], &[])));
    let accepted = after.iter().find(|s| s["Id"] == pending.as_str()).unwrap();
    assert_eq!(
        accepted["Status"], "ACCEPTED",
        "the acknowledged accept survived"
    );

    // The store torn in half (a disk or a copy gone wrong): set aside, started afresh.
    let intact = std::fs::read(&store).unwrap();
    std::fs::write(&store, &intact[..intact.len() / 2]).unwrap();
    let fresh = listed(&succeeded(&pcinbox(home, &["--local", "list"], &[])));
    assert_eq!(fresh.len(), first.len(), "the demo data again");
    let fresh_status = &fresh.iter().find(|s| s["Id"] == pending.as_str()).unwrap()["Status"];
    assert_eq!(fresh_status, "PENDING", "a new store, not the torn one");
    let aside = set_aside_stores(home);
    assert_eq!(aside.len(), 1, "the torn store is kept aside: {aside:?}");
    assert_eq!(
        std::fs::read(home.join("data").join(&aside[0])).unwrap(),
        &intact[..intact.len() / 2],
        "the evidence is kept as it was"
    );
    let message = logs(home);
    assert!(
        message.contains("is not a valid store") && message.contains(aside[0].as_str()),
        "the log says what happened:\n{message}"
    );
    assert_eq!(integrity(&store), "ok", "a whole new store was written");

    // Not a database at all (another file saved under its name): the same.
    std::fs::write(&store, b"{\"Format\": 1, \"Invitations\": [").unwrap();
    let output = pcinbox(home, &["--local", "list"], &[]);
    assert_eq!(listed(&succeeded(&output)).len(), first.len());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("moved to"), "the user is told: {stderr}");
    assert_eq!(set_aside_stores(home).len(), 2);
    assert_eq!(integrity(&store), "ok");
}

/// The names of the stores set aside in `home/data`, oldest first.
fn set_aside_stores(home: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(home.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("emulator.sqlite3.corrupt-"))
        .collect();
    names.sort();
    names
}

/// `PRAGMA integrity_check` of a SQLite file, as the `sqlite3` shell would report it.
fn integrity(path: &Path) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

/// The store's database and its `-wal` and `-shm` files are the user's alone while a process
/// has them open, even when the process's umask would let others read new files.
#[tokio::test]
async fn the_store_and_its_journal_files_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data/emulator.sqlite3");
    let emulator = pcinbox::emulator::start(pcinbox::emulator::EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        storage: pcinbox::emulator::Storage::File(store.clone()),
        ..Default::default()
    })
    .await
    .unwrap();
    let client = support::client(&emulator.endpoint(), 1);
    let pending = client
        .list_engagement_invitations(&pcinbox::api::model::ListEngagementInvitationsRequest {
            catalog: "Sandbox".into(),
            participant_type: ParticipantType::Receiver,
            status: Some(vec![InvitationStatus::Pending]),
            ..Default::default()
        })
        .await
        .unwrap()
        .engagement_invitation_summaries[0]
        .id
        .clone();
    client
        .accept_engagement_invitation("Sandbox", &pending)
        .await
        .unwrap();
    let found = modes(dir.path());
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", store.display()));
        let mode = found
            .iter()
            .find(|(p, _)| *p == path)
            .unwrap_or_else(|| {
                panic!(
                    "{} exists while the store is open: {found:?}",
                    path.display()
                )
            })
            .1;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
    assert_eq!(
        found
            .iter()
            .find(|(p, _)| p == store.parent().unwrap())
            .unwrap()
            .1,
        0o700
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_torn_cache_is_set_aside_and_the_inbox_starts() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator_with(Faults::default(), 0).await;
    let key = CacheKey {
        profile: "local".into(),
        catalog: "Sandbox".into(),
        view: ParticipantType::Receiver,
    };
    let listings = dir.path().join("listings");
    std::fs::create_dir_all(&listings).unwrap();
    let cached = listings.join("local-Sandbox-receiver.json");
    std::fs::write(&cached, b"{\"saved_at\": \"2026-01-01T00:00:00Z\", \"summ").unwrap();

    let (results, mut actions) = tokio::sync::mpsc::unbounded_channel();
    let requests = worker::spawn(
        support::client(&emulator.endpoint(), 1),
        Some(dir.path().to_owned()),
        results,
    );
    requests
        .send(Request::LoadCache {
            generation: 1,
            key: key.clone(),
        })
        .unwrap();
    eventually("the torn cache is set aside", || !cached.exists()).await;
    let names: Vec<String> = std::fs::read_dir(&listings)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names[0].starts_with("local-Sandbox-receiver.json.corrupt-"),
        "{names:?}"
    );
    // The inbox goes on: the listing itself works.
    requests
        .send(Request::List {
            generation: 1,
            catalog: "Sandbox".into(),
            view: ParticipantType::Receiver,
            known: Known::Cached,
        })
        .unwrap();
    loop {
        match tokio::time::timeout(WAIT, actions.recv()).await.unwrap() {
            Some(pcinbox::tui::event::Event::ListDone { .. }) => break,
            Some(pcinbox::tui::event::Event::CacheLoaded { .. }) => {
                panic!("nothing is loaded from a torn cache")
            }
            Some(_) => {}
            None => panic!("the worker stopped"),
        }
    }
    emulator.shutdown().await.unwrap();
}

/// The strings of documents that the model calls sensitive (those `redact` hides), and those
/// it does not.
#[derive(Default)]
struct Strings {
    hidden: Vec<String>,
    shown: Vec<String>,
}

impl Strings {
    fn add(&mut self, value: &Value, shape: &str) {
        self.walk(value, &redact(shape, value));
    }

    fn walk(&mut self, original: &Value, redacted: &Value) {
        match (original, redacted) {
            (Value::String(text), Value::String(redacted)) if redacted == REDACTED => {
                self.hidden.push(text.clone())
            }
            (Value::String(text), _) => self.shown.push(text.clone()),
            (Value::Array(a), Value::Array(b)) => {
                for (a, b) in a.iter().zip(b) {
                    self.walk(a, b);
                }
            }
            (Value::Object(a), Value::Object(b)) => {
                for (key, a) in a {
                    if let Some(b) = b.get(key) {
                        self.walk(a, b);
                    }
                }
            }
            _ => {}
        }
    }

    /// The sensitive strings that no field that is not sensitive holds too (the demo reuses a
    /// project title as an engagement title, a country code as a sub-region), which may be
    /// logged there.
    fn only_sensitive(&self) -> Vec<String> {
        self.hidden
            .iter()
            .filter(|text| !self.shown.iter().any(|shown| shown.contains(text.as_str())))
            .cloned()
            .collect()
    }
}

/// Fails if a secret appears in `logs`. Credentials are looked for anywhere; a sensitive
/// field's value as a whole JSON string (how bodies are logged), and anywhere when it is long
/// enough not to occur by chance (a country code `IN` is inside `INFO`; an account id inside
/// an ARN, which the model does not call sensitive).
fn assert_clean(logs: &str, credentials: &[&str], sensitive: &[String]) {
    for secret in credentials {
        assert!(
            !logs.contains(secret),
            "`{secret}` leaked into the logs:\n{logs}"
        );
    }
    for value in sensitive {
        let quoted = serde_json::to_string(value).unwrap();
        assert!(
            !logs.contains(&quoted) && (value.chars().count() < 16 || !logs.contains(value)),
            "sensitive `{value}` leaked into the logs:\n{logs}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_of_the_client_hold_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let emulator = emulator_with(Faults::default(), 0).await;
    let endpoint = emulator.endpoint();
    let env = [
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", SESSION),
        ("PCINBOX_LOG", "pcinbox=trace"),
    ];
    let run = |args: &[&str]| {
        let mut all = vec!["--debug", "--endpoint-url", &endpoint];
        all.extend_from_slice(args);
        succeeded(&pcinbox(home, &all, &env))
    };
    let listed: Value = serde_json::from_str(&run(&["list"])).unwrap();
    let summaries = listed["EngagementInvitationSummaries"].as_array().unwrap();
    let list_shape = output_shape(Operation::ListEngagementInvitations).unwrap();
    let mut strings = Strings::default();
    strings.add(&listed, list_shape);
    let mut pending = None;
    for summary in summaries.iter().take(8) {
        let id = summary["Id"].as_str().unwrap();
        let got: Value = serde_json::from_str(&run(&["get", id])).unwrap();
        let shape = output_shape(Operation::GetEngagementInvitation).unwrap();
        strings.add(&got, shape);
        if summary["Status"] == "PENDING" {
            pending = Some(id.to_owned());
        }
    }
    let pending = pending.expect("a pending invitation");
    run(&["reject", &pending, "--reason", "Not our region"]);
    // A create's request body: the invitation message is sensitive.
    let sent: Value =
        serde_json::from_str(&run(&["list", "--participant-type", "SENDER"])).unwrap();
    strings.add(&sent, list_shape);
    let engagement = sent["EngagementInvitationSummaries"][0]["EngagementId"].clone();
    let document = home.join("create.json");
    std::fs::write(
        &document,
        serde_json::json!({
            "Catalog": "Sandbox",
            "EngagementIdentifier": engagement,
            "Invitation": {
                "Message": "A confidential invitation message 4711",
                "Receiver": {"Account": {"AwsAccountId": "555566667777"}},
                "Payload": {"LeadInvitation": {
                    "Customer": {"CompanyName": "Confidential Customer 4711"},
                    "Interaction": {"ContactBusinessTitle": "CTO"}
                }}
            }
        })
        .to_string(),
    )
    .unwrap();
    run(&["create", "--cli-input-json", document.to_str().unwrap()]);
    let mut forbidden = strings.only_sensitive();
    forbidden.push("A confidential invitation message 4711".into());
    assert!(forbidden.len() > 10, "the demo data has sensitive fields");
    assert!(forbidden.iter().any(|value| value.chars().count() >= 16));

    let text = logs(home);
    assert!(
        text.contains("GetEngagementInvitation")
            && text.contains("RejectEngagementInvitation")
            && text.contains("CreateEngagementInvitation"),
        "the calls are logged:\n{text}"
    );
    assert!(text.contains(REDACTED), "bodies are logged, redacted");
    assert_clean(
        &text,
        &[AKID, SECRET, SESSION, "Signature=", "Credential="],
        &forbidden,
    );
    let invitation = support::client(&endpoint, 1)
        .get_engagement_invitation("Sandbox", &pending)
        .await
        .unwrap();
    assert_eq!(invitation.status, Some(InvitationStatus::Rejected));
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_of_the_emulator_hold_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let mut serve = Command::new(env!("CARGO_BIN_EXE_pcinbox"))
        .args(["serve", "--port", "0", "--ephemeral", "--debug"])
        .arg("--verify-credentials")
        .arg(format!("{AKID}:{SECRET}"))
        .env("PCINBOX_HOME", home)
        .env("PCINBOX_LOG", "pcinbox=trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut banner = BufReader::new(serve.stdout.take().unwrap());
    let mut line = String::new();
    banner.read_line(&mut line).unwrap();
    let endpoint = line
        .trim()
        .rsplit(' ')
        .next()
        .expect("the banner names the endpoint")
        .to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{line}");

    let client = |secret: &str| {
        Client::with_static_credentials(
            ClientConfig {
                endpoint: endpoint.clone(),
                max_attempts: 1,
                rate_limits: None,
                ..ClientConfig::default()
            },
            StaticCredentials {
                access_key_id: AKID.into(),
                secret_access_key: secret.into(),
                session_token: Some(SESSION.into()),
            },
        )
    };
    let good = client(SECRET);
    let summaries = support::list_all(&good, "Sandbox", ParticipantType::Receiver, 100).await;
    let invitation = good
        .get_engagement_invitation("Sandbox", &summaries[0].id)
        .await
        .unwrap();
    let wrong = client("another-secret-value");
    assert!(
        wrong
            .get_engagement_invitation("Sandbox", &summaries[0].id)
            .await
            .is_err()
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(serve.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    assert!(serve.wait().unwrap().success());

    let text = logs(home);
    assert!(text.contains("listening on"), "the emulator logs:\n{text}");
    let mut strings = Strings::default();
    let value = serde_json::to_value(&invitation).unwrap();
    strings.add(
        &value,
        output_shape(Operation::GetEngagementInvitation).unwrap(),
    );
    let forbidden = strings.only_sensitive();
    assert!(!forbidden.is_empty());
    assert_clean(
        &text,
        &[SECRET, SESSION, "another-secret-value", "Signature="],
        &forbidden,
    );
}
