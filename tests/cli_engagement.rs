//! The `pcinbox` binary from invitation to opportunity: `start-engagement` (following the task,
//! or `--no-wait`), `tasks`, `engagement`, `engagements` and `opportunity`, against an
//! in-process emulator, checking stdout, stderr and the exit status.

mod support;

use std::process::{Output, Stdio};
use std::time::Duration;

use pcinbox::api::client::Client;
use pcinbox::api::model::*;
use pcinbox::emulator::{self, EmulatorOptions, RunningEmulator, Storage};
use serde_json::Value;
use support::WAIT;
use tokio::process::Command;

/// The binary against `emulator` with dummy keys and nothing else from the environment, its
/// home in `home`.
fn command(emulator: &RunningEmulator, home: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pcinbox"));
    command
        .env_clear()
        .env("HOME", home)
        .env("PCINBOX_HOME", home.join("pcinbox"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", emulator::LOCAL_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", emulator::LOCAL_SECRET_ACCESS_KEY)
        .args(["--endpoint-url", &emulator.endpoint()])
        .args(args)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

/// Runs the binary (see [`command`]) and waits, bounded, for what it printed.
async fn pcinbox(emulator: &RunningEmulator, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut command = command(emulator, home.path(), args);
    tokio::time::timeout(WAIT, command.output())
        .await
        .unwrap_or_else(|_| panic!("pcinbox {args:?} did not finish within {WAIT:?}"))
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {output:?}"))
}

async fn start() -> (RunningEmulator, Client) {
    let emulator = emulator::start(EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        storage: Storage::Ephemeral,
        task_duration: Duration::from_millis(300),
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    let client = support::client(&emulator.endpoint(), 1);
    (emulator, client)
}

async fn pending_opportunity_invitation(client: &Client) -> EngagementInvitationSummary {
    support::pending_opportunity_invitations(client)
        .await
        .into_iter()
        .next()
        .expect("the demo has a pending opportunity invitation")
}

#[tokio::test]
async fn start_engagement_follows_the_task_to_the_opportunity() {
    let (emulator, client) = start().await;
    let invitation = pending_opportunity_invitation(&client).await;
    let output = pcinbox(
        &emulator,
        &["start-engagement", &invitation.id, "--tag", "team=east"],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    // stderr is no terminal here: no progress, nothing at all.
    assert_eq!(text(&output.stderr), "");
    let task = json(&output);
    assert_eq!(task["TaskStatus"], "COMPLETE");
    assert_eq!(task["EngagementInvitationId"], invitation.id.as_str());
    let opportunity_id = task["OpportunityId"].as_str().unwrap().to_owned();
    assert!(task["TaskId"].as_str().unwrap().starts_with("task-"));

    let output = pcinbox(&emulator, &["opportunity", &opportunity_id]).await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let opportunity = json(&output);
    assert_eq!(opportunity["Id"], opportunity_id.as_str());
    assert_eq!(opportunity["LifeCycle"]["Stage"], "Prospect");
    let table = text(
        &pcinbox(
            &emulator,
            &["opportunity", &opportunity_id, "--output", "table"],
        )
        .await
        .stdout,
    );
    let customer = opportunity["Customer"]["Account"]["CompanyName"]
        .as_str()
        .unwrap();
    assert!(
        table.contains(&format!("Customer        {customer}")),
        "{table}"
    );
    assert!(table.lines().next().unwrap().starts_with("Id "), "{table}");

    let engagement_id = invitation.engagement_id.clone().unwrap();
    let output = pcinbox(&emulator, &["engagement", &engagement_id]).await;
    let engagement = json(&output);
    assert_eq!(engagement["Id"], engagement_id.as_str());
    assert_eq!(
        engagement["ModifiedBy"],
        emulator::DEFAULT_CALLER_ACCOUNT_ID
    );
    let table = text(
        &pcinbox(
            &emulator,
            &["engagement", &engagement_id, "--output", "table"],
        )
        .await
        .stdout,
    );
    assert!(
        table.contains(emulator::CALLER_COMPANY_NAME),
        "members are shown: {table}"
    );
    assert!(
        table.contains(&format!("Members      {}", engagement["MemberCount"])),
        "{table}"
    );

    let listed = json(&pcinbox(&emulator, &["engagements"]).await);
    let rows = listed["EngagementSummaryList"].as_array().unwrap();
    assert!(rows.iter().any(|e| e["Id"] == engagement_id.as_str()));
    let table = text(
        &pcinbox(&emulator, &["engagements", "--output", "table"])
            .await
            .stdout,
    );
    assert!(table.starts_with("TITLE"), "{table}");
    assert_eq!(table.lines().count(), rows.len() + 1);

    let tasks = json(&pcinbox(&emulator, &["tasks", "--status", "COMPLETE"]).await);
    assert_eq!(tasks["TaskSummaries"].as_array().unwrap().len(), 1);
    assert_eq!(
        tasks["TaskSummaries"][0]["OpportunityId"],
        opportunity_id.as_str()
    );
    let none = json(&pcinbox(&emulator, &["tasks", "--status", "FAILED"]).await);
    assert_eq!(none["TaskSummaries"], serde_json::json!([]));
    let table = text(
        &pcinbox(
            &emulator,
            &["tasks", "--invitation", &invitation.id, "--output", "table"],
        )
        .await
        .stdout,
    );
    assert!(table.starts_with("STATUS"), "{table}");
    assert!(table.contains(&opportunity_id), "{table}");
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_failed_task_exits_1_with_the_reason_in_plain_words() {
    let (emulator, client) = start().await;
    let invitation = pending_opportunity_invitation(&client).await;
    client
        .accept_engagement_invitation(CATALOG_SANDBOX, &invitation.id)
        .await
        .unwrap();
    let output = pcinbox(
        &emulator,
        &["start-engagement", &invitation.id, "--output", "table"],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("failed: the invitation is no longer PENDING"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(EngagementInvitationConflict)"),
        "{stderr}"
    );
    assert!(stderr.contains("is ACCEPTED"), "{stderr}");
    let stdout = text(&output.stdout);
    assert!(stdout.contains("Status      FAILED"), "{stdout}");
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn no_wait_prints_the_running_task_and_bad_input_is_refused_before_sending() {
    let (emulator, client) = start().await;
    let invitation = pending_opportunity_invitation(&client).await;
    let output = pcinbox(
        &emulator,
        &["start-engagement", &invitation.id, "--no-wait"],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let task = json(&output);
    assert_eq!(task["TaskStatus"], "IN_PROGRESS");
    assert!(task.get("OpportunityId").is_none());

    let output = pcinbox(&emulator, &["start-engagement", "engi-NOT-AN-ID"]).await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(text(&output.stderr).contains("Identifier"), "{output:?}");
    let output = pcinbox(&emulator, &["opportunity", "1234"]).await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        text(&output.stderr).contains("must be `O` followed by 1 to 19 digits"),
        "{output:?}"
    );
    let output = pcinbox(
        &emulator,
        &["start-engagement", &invitation.id, "--tag", "novalue"],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        text(&output.stderr).contains("is not KEY=VALUE"),
        "{output:?}"
    );
    let output = pcinbox(&emulator, &["opportunity", "O999"]).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        text(&output.stderr).contains("ResourceNotFoundException"),
        "{output:?}"
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn progress_goes_to_stderr_only_when_it_is_a_terminal_and_is_wiped_at_the_end() {
    use std::io::Read;

    let (emulator, client) = start().await;
    let invitation = pending_opportunity_invitation(&client).await;
    let nix::pty::OpenptyResult { master, slave } = nix::pty::openpty(None, None).unwrap();
    let home = tempfile::tempdir().unwrap();
    let child = command(
        &emulator,
        home.path(),
        &["start-engagement", &invitation.id],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::from(slave))
    .spawn()
    .unwrap();
    // The child holds the only slave descriptor now, so reading ends when it exits.
    let mut reader = std::fs::File::from(master);
    let terminal = std::thread::spawn(move || {
        let mut text = Vec::new();
        let mut buffer = [0u8; 4096];
        while let Ok(n @ 1..) = reader.read(&mut buffer) {
            text.extend_from_slice(&buffer[..n]);
        }
        String::from_utf8_lossy(&text).into_owned()
    });
    let output = tokio::time::timeout(WAIT, child.wait_with_output())
        .await
        .expect("start-engagement finishes")
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        json(&output)["TaskStatus"],
        "COMPLETE",
        "stdout is only the JSON"
    );
    let shown = terminal.join().unwrap();
    assert!(
        shown.contains("Accepting: task task-") && shown.contains("IN_PROGRESS for "),
        "{shown:?}"
    );
    assert!(
        shown.ends_with("\r\u{1b}[2K"),
        "the line is wiped: {shown:?}"
    );
    emulator.shutdown().await.unwrap();
}
