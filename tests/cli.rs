//! The `pcinbox` binary as scripts use it: each test runs the real executable with its own
//! PCINBOX_HOME and HOME (temporary folders), against the in-process emulator (`--endpoint-url`
//! and dummy keys) or the embedded one (`--local`), and checks stdout, stderr and the exit
//! status. Every wait is bounded; nothing sleeps.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use futures::StreamExt;
use pcinbox::api::client::Client;
use pcinbox::api::model::*;
use pcinbox::emulator::{self, EmulatorOptions, Faults, RunningEmulator};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;
use unicode_width::UnicodeWidthStr;

/// How long one run of the binary may take before the test fails.
const WAIT: Duration = Duration::from_secs(60);

/// The dummy keys a user of an emulator signs with (it checks none).
const ACCESS_KEY_ID: &str = "AKIDTEST";
const SECRET_ACCESS_KEY: &str = "test-secret";

/// What one run printed, and how it ended.
#[derive(Debug)]
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Asserts success and returns the JSON printed.
    fn ok_json(&self) -> Value {
        assert_eq!(self.code(), Some(0), "{self:?}");
        self.json()
    }
}

/// A user of the binary: private PCINBOX_HOME and HOME, and nothing else from the environment
/// (no stray AWS variables, no real `~/.aws`).
struct User {
    home: tempfile::TempDir,
    /// The endpoint and dummy keys of an emulator, when not `--local`.
    endpoint: Option<String>,
}

impl User {
    fn new() -> User {
        User {
            home: tempfile::tempdir().unwrap(),
            endpoint: None,
        }
    }

    fn of(emulator: &RunningEmulator) -> User {
        User {
            endpoint: Some(emulator.endpoint()),
            ..User::new()
        }
    }

    fn pcinbox_home(&self) -> PathBuf {
        self.home.path().join("pcinbox")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pcinbox"));
        command
            .env_clear()
            .env("HOME", self.home.path())
            .env("PCINBOX_HOME", self.pcinbox_home())
            // Off an EC2 host this changes nothing; on one it keeps the instance's role out.
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(endpoint) = &self.endpoint {
            command
                .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
                .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
                .args(["--endpoint-url", endpoint]);
        }
        command.args(args);
        command
    }

    async fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, None).await
    }

    async fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut command = self.command(args);
        if stdin.is_some() {
            command.stdin(Stdio::piped());
        }
        let mut child = command.spawn().expect("the pcinbox binary runs");
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().unwrap();
            pipe.write_all(text.as_bytes()).await.unwrap();
            drop(pipe);
        }
        let output = tokio::time::timeout(WAIT, child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("pcinbox {args:?} did not finish within {WAIT:?}"))
            .unwrap();
        Run {
            status: output.status,
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }
}

async fn start(seed_count: usize) -> RunningEmulator {
    support::emulator_with(Faults::default(), seed_count).await
}

/// The test's own view of the emulator, through the library client, with the user's keys.
fn client(emulator: &RunningEmulator) -> Client {
    support::client_as(&emulator.endpoint(), 1, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
}

/// Every invitation of a Sandbox listing, in the emulator's order.
async fn all(client: &Client, request: ListEngagementInvitationsRequest) -> Vec<Value> {
    let mut pages = client.paginate_invitations(request, None);
    let mut rows = Vec::new();
    while let Some(page) = pages.next().await {
        rows.extend(page.unwrap());
    }
    rows.iter()
        .map(|row| serde_json::to_value(row).unwrap())
        .collect()
}

fn listing(participant_type: ParticipantType) -> ListEngagementInvitationsRequest {
    ListEngagementInvitationsRequest {
        catalog: "Sandbox".into(),
        participant_type,
        max_results: Some(100),
        ..Default::default()
    }
}

fn summaries(output: &Value) -> Vec<Value> {
    let object = output.as_object().expect("an object");
    assert_eq!(
        object.keys().collect::<Vec<_>>(),
        ["EngagementInvitationSummaries"],
        "the AWS CLI's shape, nothing else"
    );
    object["EngagementInvitationSummaries"]
        .as_array()
        .unwrap()
        .clone()
}

fn ids(rows: &[Value]) -> Vec<&str> {
    rows.iter().map(|row| row["Id"].as_str().unwrap()).collect()
}

fn dates(rows: &[Value]) -> Vec<&str> {
    rows.iter()
        .map(|row| row["InvitationDate"].as_str().unwrap())
        .collect()
}

/// An engagement the caller belongs to (it sent an invitation in it), so it may invite.
async fn joined_engagement(client: &Client) -> String {
    let sent = all(client, listing(ParticipantType::Sender)).await;
    sent[0]["EngagementId"].as_str().unwrap().to_owned()
}

fn create_document(engagement: &str) -> Value {
    json!({
        "Catalog": "Sandbox",
        "EngagementIdentifier": engagement,
        "Invitation": {
            "Message": "Could your team run the migration workshop for this customer?",
            "Receiver": {"Account": {"AwsAccountId": "555566667777", "Alias": "Globex Integrators"}},
            "Payload": {"LeadInvitation": {
                "Customer": {"CompanyName": "Müller Logistik GmbH", "CountryCode": "DE"},
                "Interaction": {"ContactBusinessTitle": "CTO"}
            }}
        }
    })
}

fn write_document(dir: &Path, name: &str, document: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, document).unwrap();
    path
}

async fn sent_count(client: &Client) -> usize {
    all(client, listing(ParticipantType::Sender)).await.len()
}

// ---------------------------------------------------------------------------------------------
// list

#[tokio::test]
async fn list_json_merges_every_page_into_the_aws_cli_shape() {
    let emulator = start(120).await;
    let expected = all(&client(&emulator), listing(ParticipantType::Receiver)).await;
    assert!(expected.len() > 100, "more than one page of 100");
    let user = User::of(&emulator);

    // Defaults: RECEIVER, newest first, pages of 100, all of them.
    let listed = summaries(&user.run(&["list"]).await.ok_json());
    assert_eq!(listed, expected);
    let mut newest_first = dates(&listed);
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates(&listed), newest_first);
    assert!(
        dates(&listed).iter().all(|d| d.ends_with('Z')),
        "ISO 8601 UTC"
    );

    // Small pages give the same set, global flags after the subcommand.
    let paged = user
        .run(&["list", "--page-size", "7", "--output", "json"])
        .await;
    assert_eq!(summaries(&paged.ok_json()), expected);
}

#[tokio::test]
async fn a_reader_that_stops_early_is_no_error() {
    // Far more output than a pipe buffers, so the writer meets the closed pipe.
    let emulator = start(3000).await;
    let user = User::of(&emulator);
    let mut child = user.command(&["list"]).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(WAIT, lines.next_line())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.as_deref(), Some("{"));
    drop(lines);
    let output = tokio::time::timeout(WAIT, child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A listing `--max-items` cut short: its items under `result_key`, and the NextToken it ends
/// with, if any (nothing else, as the AWS CLI prints it).
fn cut_short(output: &Value, result_key: &str) -> (Vec<Value>, Option<String>) {
    let object = output.as_object().expect("an object");
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    let token = object.get("NextToken").map(|token| {
        assert_eq!(keys, [result_key, "NextToken"], "the AWS CLI's shape");
        token.as_str().expect("a string").to_owned()
    });
    if token.is_none() {
        assert_eq!(keys, [result_key], "the AWS CLI's shape");
    }
    (object[result_key].as_array().unwrap().clone(), token)
}

/// What a NextToken holds: base64 of the JSON botocore's TokenEncoder writes.
fn token_json(token: &str) -> String {
    use base64::Engine;
    let json = base64::engine::general_purpose::STANDARD
        .decode(token)
        .expect("base64");
    String::from_utf8(json).unwrap()
}

/// Every item of a listing (`command`, its items under `result_key`), taken `--max-items
/// step` at a time, each run resuming from the `--starting-token` the one before printed;
/// and what each printed token holds.
async fn in_steps(
    user: &User,
    command: &[&str],
    result_key: &str,
    step: usize,
) -> (Vec<Value>, Vec<String>) {
    let step = step.to_string();
    let mut items = Vec::new();
    let mut tokens: Vec<String> = Vec::new();
    loop {
        let mut args = command.to_vec();
        args.extend(["--max-items", &step]);
        if let Some(token) = tokens.last() {
            args.extend(["--starting-token", token]);
        }
        let (listed, token) = cut_short(&user.run(&args).await.ok_json(), result_key);
        assert!(listed.len() <= step.parse().unwrap(), "{args:?}");
        assert!(tokens.len() < 100, "the listing never ends: {args:?}");
        items.extend(listed);
        match token {
            Some(token) => tokens.push(token),
            None => break,
        }
    }
    (
        items,
        tokens.iter().map(|token| token_json(token)).collect(),
    )
}

#[tokio::test]
async fn max_items_prints_a_next_token_and_starting_token_resumes_with_no_gap_or_repeat() {
    let emulator = start(0).await;
    let expected = all(&client(&emulator), listing(ParticipantType::Receiver)).await;
    assert!(expected.len() > 12, "several steps of 3");
    let user = User::of(&emulator);
    // Pages of 2 are cut mid-page, pages of 3 at their end, the one page of 100 mid-page.
    for (page_size, first_token) in [
        (
            "2",
            r#"^\{"NextToken": "[^"]+", "boto_truncate_amount": 1\}$"#,
        ),
        ("3", r#"^\{"NextToken": "[^"]+"\}$"#),
        (
            "100",
            r#"^\{"NextToken": null, "boto_truncate_amount": 3\}$"#,
        ),
    ] {
        let (listed, tokens) = in_steps(
            &user,
            &["list", "--page-size", page_size],
            "EngagementInvitationSummaries",
            3,
        )
        .await;
        assert_eq!(ids(&listed), ids(&expected), "pages of {page_size}");
        assert!(
            regex::Regex::new(first_token).unwrap().is_match(&tokens[0]),
            "pages of {page_size}: {}",
            tokens[0]
        );
    }

    // The token text output prints (as awscli's text formatter does) resumes just the same.
    let run = user
        .run(&[
            "list",
            "--page-size",
            "2",
            "--max-items",
            "5",
            "--output",
            "text",
        ])
        .await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    let last = run.stdout.lines().last().unwrap();
    let token = last.strip_prefix("NEXTTOKEN\t").expect("the token last");
    let rest = user
        .run(&["list", "--page-size", "2", "--starting-token", token])
        .await;
    assert_eq!(ids(&summaries(&rest.ok_json())), ids(&expected[5..]));
}

#[tokio::test]
async fn members_and_engagements_resume_from_their_next_token_too() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let received = all(&client, listing(ParticipantType::Receiver)).await;
    let mut largest = (Vec::new(), String::new());
    for invitation in received.iter().filter(|i| i["Status"] == "ACCEPTED") {
        let engagement = invitation["EngagementId"].as_str().unwrap();
        let members = client
            .list_all_engagement_members("Sandbox", engagement)
            .await
            .unwrap();
        if members.len() > largest.0.len() {
            largest = (members, engagement.to_owned());
        }
    }
    let (members, engagement) = largest;
    assert!(
        members.len() > 4,
        "an engagement of several pages of members"
    );
    let user = User::of(&emulator);
    let (listed, tokens) = in_steps(
        &user,
        &["members", &engagement, "--page-size", "3"],
        "EngagementMemberList",
        2,
    )
    .await;
    let account_ids =
        |members: Vec<Option<String>>| members.into_iter().map(Option::unwrap).collect::<Vec<_>>();
    assert_eq!(
        account_ids(
            listed
                .iter()
                .map(|m| m["AccountId"].as_str().map(str::to_owned))
                .collect()
        ),
        account_ids(members.iter().map(|m| m.account_id.clone()).collect())
    );
    assert!(tokens.len() >= 2, "{tokens:?}");

    // The whole listing, as one run prints it.
    let everything = user.run(&["engagements"]).await.ok_json();
    let (engagements, _) = cut_short(&everything, "EngagementSummaryList");
    assert!(engagements.len() > 2, "several steps");
    let (listed, _) = in_steps(
        &user,
        &["engagements", "--page-size", "2"],
        "EngagementSummaryList",
        1,
    )
    .await;
    assert_eq!(listed, engagements);
}

#[tokio::test]
async fn a_malformed_starting_token_is_refused_before_anything_is_sent() {
    use base64::Engine;
    let emulator = start(0).await;
    let log = emulator.requests();
    let user = User::of(&emulator);
    let not_a_token = base64::engine::general_purpose::STANDARD.encode(r#"{"Marker": "x"}"#);
    for (args, rule) in [
        (
            vec!["list", "--starting-token", "not-a-token!"],
            "it is not base64",
        ),
        (
            vec![
                "members",
                "eng-0123456789abcd",
                "--starting-token",
                &not_a_token,
            ],
            "it holds `Marker`",
        ),
        (
            vec!["tasks", "--max-items", "0"],
            "must be a whole number, 1 or more",
        ),
    ] {
        let run = user.run(&args).await;
        assert_eq!(run.code(), Some(2), "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert!(
            run.stderr.contains(args[args.len() - 2]) && run.stderr.contains(rule),
            "{}",
            run.stderr
        );
    }
    assert_eq!(log.entries(), Vec::new(), "nothing was sent");
}

#[tokio::test]
async fn filters_and_sort_order_select_what_the_service_would() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let received = all(&client, listing(ParticipantType::Receiver)).await;
    let user = User::of(&emulator);

    // Global flags before the subcommand work too.
    let run = user
        .run(&[
            "--output",
            "json",
            "list",
            "--status",
            "PENDING",
            "--status",
            "EXPIRED",
            "--payload-type",
            "LeadInvitation",
            "--sort-order",
            "ASCENDING",
        ])
        .await;
    let listed = summaries(&run.ok_json());
    let mut expected: Vec<Value> = received
        .iter()
        .filter(|row| {
            ["PENDING", "EXPIRED"].contains(&row["Status"].as_str().unwrap())
                && row["PayloadType"] == "LeadInvitation"
        })
        .cloned()
        .collect();
    expected.reverse();
    assert!(!expected.is_empty(), "the demo has such invitations");
    assert_eq!(ids(&listed), ids(&expected));
    let mut oldest_first = dates(&listed);
    oldest_first.sort();
    assert_eq!(dates(&listed), oldest_first);

    let sender = received[0]["SenderAwsAccountId"].as_str().unwrap();
    let engagement = received[0]["EngagementId"].as_str().unwrap();
    let run = user
        .run(&[
            "list",
            "--sender-aws-account-id",
            sender,
            "--engagement-identifier",
            engagement,
        ])
        .await;
    let listed = summaries(&run.ok_json());
    assert!(listed.iter().any(|row| row["Id"] == received[0]["Id"]));
    assert!(
        listed
            .iter()
            .all(|row| row["EngagementId"] == engagement && row["SenderAwsAccountId"] == sender)
    );

    let sent = summaries(
        &user
            .run(&["list", "--participant-type", "SENDER"])
            .await
            .ok_json(),
    );
    assert_eq!(sent, all(&client, listing(ParticipantType::Sender)).await);
    assert!(sent.iter().all(|row| row["ParticipantType"] == "SENDER"));
}

/// The hostile title planted in the store: an OSC that retitles the terminal, a clear-screen
/// CSI, and a C1 CSI with a bidi override in the sender's name.
const HOSTILE_TITLE: &str = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2JCorp";
const HOSTILE_SENDER: &str = "Bad\u{9b}31mActor\u{202e}";

#[tokio::test]
async fn list_table_is_aligned_with_relative_dates_and_harmless_text() {
    let user = User::new();
    // The first `--local` run creates the persistent demo store; plant hostile text in it.
    let first = user.run(&["--local", "list", "--max-items", "1"]).await;
    let first_id = cut_short(&first.ok_json(), "EngagementInvitationSummaries").0[0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let store = user.pcinbox_home().join("data").join("emulator.sqlite3");
    let planted = rusqlite::Connection::open(&store)
        .unwrap()
        .execute(
            // The columns, and the summary JSON a listing shows.
            "UPDATE invitations SET engagement_title = ?2, sender_company_name = ?3,
                 summary = json_set(summary, '$.EngagementTitle', ?2, '$.SenderCompanyName', ?3)
             WHERE id = ?1",
            [first_id.as_str(), HOSTILE_TITLE, HOSTILE_SENDER],
        )
        .unwrap();
    assert_eq!(planted, 1, "the listed invitation is in the store");

    let json = summaries(&user.run(&["list", "--local"]).await.ok_json());
    assert_eq!(
        json[0]["EngagementTitle"], HOSTILE_TITLE,
        "JSON keeps data as sent"
    );
    let run = user.run(&["list", "--local", "--output", "table"]).await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    let table = &run.stdout;
    assert!(
        !table.chars().any(|c| c.is_control() && c != '\n'),
        "no control character reaches the terminal: {table:?}"
    );
    assert!(!table.contains('\u{202e}'), "bidi overrides dropped");
    assert!(table.contains("Evil␛]0;pwned␇␛[2JCorp"), "{table}");
    assert!(table.contains("Bad�31mActor"), "{table}");

    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        json.len() + 1,
        "a header and one line per invitation"
    );
    let header = lines[0];
    assert!(header.starts_with("STATUS"), "{header}");
    // Aligned: every cell starts at its header's display column.
    for column in ["INVITED", "EXPIRES IN", "TITLE", "FROM", "KIND", "ID"] {
        let at = header[..header.find(column).unwrap()].width();
        for (line, row) in lines[1..].iter().zip(&json) {
            let (before, cell) =
                split_at_width(line, at).unwrap_or_else(|| panic!("{column} aligned in {line:?}"));
            assert!(
                before.ends_with("  ") && !cell.starts_with(' '),
                "{column} in {line:?}"
            );
            match column {
                "ID" => assert_eq!(cell, row["Id"].as_str().unwrap()),
                "INVITED" => {
                    let invited = cell.split("  ").next().unwrap();
                    assert!(is_relative(invited), "relative date, got {invited:?}");
                }
                _ => {}
            }
        }
    }
}

/// `line` cut where its display width reaches `width`, if a character boundary is there.
fn split_at_width(line: &str, width: usize) -> Option<(&str, &str)> {
    let mut seen = 0;
    for (at, c) in line.char_indices() {
        if seen == width {
            return Some(line.split_at(at));
        }
        seen += c.to_string().width();
    }
    None
}

/// `just now`, `5m ago`, `3h ago`, `12d ago`.
fn is_relative(text: &str) -> bool {
    text == "just now"
        || text.strip_suffix(" ago").is_some_and(|amount| {
            amount.ends_with(['m', 'h', 'd']) && amount[..amount.len() - 1].parse::<u32>().is_ok()
        })
}

// ---------------------------------------------------------------------------------------------
// get, members

#[tokio::test]
async fn get_and_members_print_the_operation_response() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let first = &all(&client, listing(ParticipantType::Receiver)).await[0];
    let id = first["Id"].as_str().unwrap();
    let user = User::of(&emulator);

    let got = user.run(&["get", id]).await.ok_json();
    let expected = client
        .get_engagement_invitation("Sandbox", id)
        .await
        .unwrap();
    assert_eq!(got, serde_json::to_value(&expected).unwrap());
    assert_eq!(got["Id"], id);
    assert!(got["Payload"].is_object() && got["InvitationDate"].as_str().unwrap().ends_with('Z'));

    let engagement = joined_engagement(&client).await;
    let members = user.run(&["members", &engagement]).await.ok_json();
    let expected = client
        .list_all_engagement_members("Sandbox", &engagement)
        .await
        .unwrap();
    assert!(expected.len() > 10, "more than one page of members");
    assert_eq!(members, json!({ "EngagementMemberList": expected }));
}

/// Every scalar of `value` as the table prints it, with its member name.
fn leaves(value: &Value, name: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => object.iter().for_each(|(k, v)| leaves(v, k, found)),
        Value::Array(list) => list.iter().for_each(|v| leaves(v, name, found)),
        Value::String(text) => found.push((name.to_owned(), text.clone())),
        other => found.push((name.to_owned(), other.to_string())),
    }
}

#[tokio::test]
async fn get_table_shows_everything_the_service_returned() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let user = User::of(&emulator);
    let mut seen = BTreeSet::new();
    for summary in all(&client, listing(ParticipantType::Receiver)).await {
        let id = summary["Id"].as_str().unwrap();
        let response = user.run(&["get", id]).await.ok_json();
        let table = user.run(&["get", id, "--output", "table"]).await;
        assert_eq!(table.code(), Some(0), "{table:?}");
        let mut found = Vec::new();
        leaves(&response, "", &mut found);
        for (name, text) in found {
            // The table makes line breaks spaces; the rest of the service's text is there.
            let shown = text.replace('\n', " ");
            let line = table
                .stdout
                .lines()
                .find(|line| line.trim_start().starts_with(&name) && line.contains(&shown));
            assert!(
                line.is_some(),
                "{id}: {name} = {text:?} missing from\n{}",
                table.stdout
            );
            seen.insert(name);
        }
    }
    // The demo data has all of these; a table that left one out would fail above.
    for name in [
        "BusinessProblem",
        "Email",
        "ReceiverResponsibilities",
        "LeadReadinessScore",
        "MarketplaceEngagementScore",
        "Amount",
        "InvitationMessage",
        "EngagementDescription",
        "CompanyName",
    ] {
        assert!(seen.contains(name), "no invitation showed {name}: {seen:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// enum flags, --query, --output text

#[tokio::test]
async fn enum_flags_take_any_letter_case_and_send_the_service_spelling() {
    let user = User::new();
    let run = user
        .run(&[
            "--local",
            "--catalog",
            "sandbox",
            "list",
            "--status",
            "pending",
            "--payload-type",
            "leadinvitation",
            "--participant-type",
            "receiver",
            "--sort-order",
            "ascending",
            "--output",
            "JSON",
        ])
        .await;
    let rows = summaries(&run.ok_json());
    assert!(!rows.is_empty(), "{run:?}");
    for row in &rows {
        assert_eq!(
            (
                row["Catalog"].as_str(),
                row["Status"].as_str(),
                row["PayloadType"].as_str()
            ),
            (Some("Sandbox"), Some("PENDING"), Some("LeadInvitation"))
        );
    }
    let mut ascending = dates(&rows);
    ascending.sort();
    assert_eq!(dates(&rows), ascending);
}

#[tokio::test]
async fn unknown_enum_values_exit_2_before_sending_and_help_lists_the_values() {
    // Nothing listens on port 1: had a request been sent, the error would be a network one.
    let user = User {
        endpoint: Some("http://127.0.0.1:1".into()),
        ..User::new()
    };
    for (args, values) in [
        (&["--catalog", "Foo", "list"][..], "AWS, Sandbox"),
        (
            &["list", "--status", "DONE"],
            "ACCEPTED, PENDING, REJECTED, EXPIRED",
        ),
        (
            &["list", "--payload-type", "x"],
            "OpportunityInvitation, LeadInvitation",
        ),
        (&["list", "--participant-type", "x"], "SENDER, RECEIVER"),
        (&["list", "--sort-order", "x"], "ASCENDING, DESCENDING"),
        (&["list", "--output", "yaml"], "json, table, text"),
    ] {
        let run = user.run(args).await;
        assert_eq!(run.code(), Some(2), "{args:?}: {run:?}");
        assert!(run.stderr.contains(values), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("could not reach"), "{}", run.stderr);
    }
    let help = user.run(&["list", "--help"]).await;
    for values in [
        "[possible values: AWS, Sandbox]",
        "[possible values: ACCEPTED, PENDING, REJECTED, EXPIRED]",
        "[possible values: OpportunityInvitation, LeadInvitation]",
        "[possible values: SENDER, RECEIVER]",
        "[possible values: ASCENDING, DESCENDING]",
    ] {
        assert!(help.stdout.contains(values), "{values}: {}", help.stdout);
    }
    // A catalog the config file names is checked the same way.
    std::fs::create_dir_all(user.pcinbox_home()).unwrap();
    std::fs::write(
        user.pcinbox_home().join("config.toml"),
        "catalog = \"Foo\"\n",
    )
    .unwrap();
    let run = user.run(&["list"]).await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(
        run.stderr.contains("catalog: `Foo` must be AWS or Sandbox"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn query_applies_to_the_merged_result_for_json_and_to_each_page_for_text() {
    let emulator = start(0).await;
    let expected = all(&client(&emulator), listing(ParticipantType::Receiver)).await;
    let user = User::of(&emulator);
    let count = "length(EngagementInvitationSummaries)";
    let run = user
        .run(&["list", "--query", count, "--page-size", "10"])
        .await;
    assert_eq!(run.ok_json(), json!(expected.len()));
    let run = user
        .run(&[
            "list",
            "--query",
            count,
            "--page-size",
            "10",
            "--output",
            "text",
        ])
        .await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    let mut per_page = vec!["10"; expected.len() / 10];
    let rest = (expected.len() % 10).to_string();
    if expected.len() % 10 > 0 {
        per_page.push(&rest);
    }
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), per_page);

    let listed = user
        .run(&[
            "list",
            "--query",
            "EngagementInvitationSummaries[].Id",
            "--output",
            "text",
            "--page-size",
            "10",
        ])
        .await;
    let lines: Vec<Vec<&str>> = listed
        .stdout
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(
        lines.len(),
        per_page.len(),
        "one line of ids per page: {}",
        listed.stdout
    );
    assert_eq!(lines.concat(), ids(&expected));

    // A query over a single response, and in a table.
    let id = expected[0]["Id"].as_str().unwrap();
    let run = user
        .run(&["get", id, "--query", "[Id, Status]", "--output", "text"])
        .await;
    assert_eq!(
        run.stdout,
        format!("{id}\t{}\n", expected[0]["Status"].as_str().unwrap())
    );
    let run = user
        .run(&[
            "list",
            "--query",
            "EngagementInvitationSummaries[:2].{Id: Id, Status: Status}",
            "--output",
            "table",
        ])
        .await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("Id ") && lines[0].contains("Status"),
        "{}",
        run.stdout
    );
    assert!(
        lines[1].starts_with(expected[0]["Id"].as_str().unwrap()),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), 3);
}

#[tokio::test]
async fn list_text_is_the_aws_cli_format_one_line_per_invitation() {
    let emulator = start(0).await;
    let expected = all(&client(&emulator), listing(ParticipantType::Receiver)).await;
    let user = User::of(&emulator);
    let run = user.run(&["list", "--output", "text"]).await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("ENGAGEMENTINVITATIONSUMMARIES\t"))
        .collect();
    assert_eq!(rows.len(), expected.len());
    // Columns: every scalar key of any summary, sorted; Id is among them.
    for (row, summary) in rows.iter().zip(&expected) {
        assert!(row.split('\t').any(|cell| cell == summary["Id"]), "{row}");
    }
    // Nested members follow their row, under their own name.
    assert!(run.stdout.contains("\nACCOUNT\t"), "{}", run.stdout);
}

#[tokio::test]
async fn bad_queries_exit_2() {
    let user = User {
        endpoint: Some("http://127.0.0.1:1".into()),
        ..User::new()
    };
    let run = user.run(&["list", "--query", "Summaries[?"]).await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(
        run.stderr.contains("not a JMESPath expression"),
        "{}",
        run.stderr
    );
    // A function given the wrong type is found only on the data: still the query's fault.
    let emulator = start(0).await;
    let run = User::of(&emulator)
        .run(&["list", "--query", "sum(EngagementInvitationSummaries)"])
        .await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(run.stderr.contains("sum"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// shipping: completions, man page, version

#[tokio::test]
async fn completions_man_page_and_version_print_without_settings() {
    let user = User::new();
    // A broken config file does not matter: these read no settings.
    std::fs::create_dir_all(user.pcinbox_home()).unwrap();
    std::fs::write(user.pcinbox_home().join("config.toml"), "nonsense").unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef pcinbox"),
        ("fish", "complete -c pcinbox"),
        ("elvish", "edit:completion:arg-completer[pcinbox]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = user.run(&["completions", shell]).await;
        assert_eq!(run.code(), Some(0), "{shell}: {run:?}");
        assert!(
            run.stdout.contains(marker),
            "{shell}: {}",
            &run.stdout[..200]
        );
    }
    let run = user.run(&["completions", "tcsh"]).await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    let man = user.run(&["man"]).await;
    assert_eq!(man.code(), Some(0), "{man:?}");
    assert!(man.stdout.contains(".TH pcinbox 1") && man.stdout.contains(".SH \"PCINBOX LIST\""));
    let version = user.run(&["--version"]).await;
    assert_eq!(
        version.stdout,
        format!("pcinbox {}\n", env!("CARGO_PKG_VERSION"))
    );
}

// ---------------------------------------------------------------------------------------------
// create

#[tokio::test]
async fn create_dry_run_prints_the_request_and_sends_nothing() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let before = sent_count(&client).await;
    let engagement = joined_engagement(&client).await;
    let user = User::of(&emulator);
    let path = write_document(
        user.home.path(),
        "create.json",
        &create_document(&engagement).to_string(),
    );

    let url = format!("file://{}", path.display());
    let run = user
        .run(&[
            "create",
            "--cli-input-json",
            &url,
            "--client-token",
            "dry-token",
            "--dry-run",
        ])
        .await;
    let mut expected = create_document(&engagement);
    expected["ClientToken"] = json!("dry-token");
    let printed = run.ok_json();
    assert_eq!(
        serde_json::from_value::<CreateEngagementInvitationRequest>(printed).unwrap(),
        serde_json::from_value::<CreateEngagementInvitationRequest>(expected).unwrap()
    );
    assert_eq!(sent_count(&client).await, before, "nothing was sent");

    // Without --dry-run, a plain path: the operation's response, and the invitation is sent.
    let run = user
        .run(&["create", "--cli-input-json", path.to_str().unwrap()])
        .await;
    let response = run.ok_json();
    let id = response["Id"].as_str().unwrap();
    assert!(id.starts_with("engi-"), "{response}");
    assert!(response["Arn"].as_str().unwrap().ends_with(id));
    let sent = all(&client, listing(ParticipantType::Sender)).await;
    assert_eq!(sent.len(), before + 1);
    assert!(ids(&sent).contains(&id));
}

#[tokio::test]
async fn an_invalid_document_names_every_violation_and_sends_nothing() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let before = sent_count(&client).await;
    let user = User::of(&emulator);
    let document = json!({
        "Catalog": "Sandbox",
        "EngagementIdentifier": "eng-x",
        "Invitation": {
            "Message": "",
            "Receiver": {"Account": {"AwsAccountId": "not an id!"}},
            "Payload": {"LeadInvitation": {"Customer": {}, "Interaction": {"ContactBusinessTitle": "CTO"}}}
        }
    });
    let run = user
        .run_with_stdin(
            &["create", "--cli-input-json", "-"],
            Some(&document.to_string()),
        )
        .await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    let named: BTreeSet<&str> = run
        .stderr
        .lines()
        .filter_map(|line| line.trim().split_once(": ").map(|(path, _)| path))
        .collect();
    for path in [
        "EngagementIdentifier",
        "Invitation.Message",
        "Invitation.Receiver.Account.AwsAccountId",
        "Invitation.Payload.LeadInvitation.Customer.CompanyName",
    ] {
        assert!(named.contains(path), "{path} named in {}", run.stderr);
    }
    assert!(run.stderr.contains("4 problem(s)"), "{}", run.stderr);
    assert_eq!(sent_count(&client).await, before, "nothing was sent");
}

#[tokio::test]
async fn malformed_json_is_reported_with_line_and_column() {
    let user = User::new();
    let path = write_document(
        user.home.path(),
        "broken.json",
        "{\n  \"Catalog\": \"Sandbox\",\n  \"Invitation\": {,\n}",
    );
    let run = user
        .run(&["create", "--cli-input-json", path.to_str().unwrap()])
        .await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(run.stderr.contains("line 3, column 18"), "{}", run.stderr);
    assert!(run.stderr.contains("broken.json"), "{}", run.stderr);
    // The composer refuses the same file with the same code (before the terminal is touched).
    let run = user
        .run(&["compose", "--local", "--from", path.to_str().unwrap()])
        .await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(run.stderr.contains("line 3, column 18"), "{}", run.stderr);
    let missing = user.home.path().join("missing.json");
    for command in ["create", "compose"] {
        let flag = if command == "create" {
            "--cli-input-json"
        } else {
            "--from"
        };
        let run = user
            .run(&[command, "--local", flag, missing.to_str().unwrap()])
            .await;
        assert_eq!(run.code(), Some(2), "{command}: {run:?}");
        assert!(run.stderr.contains("missing.json"), "{}", run.stderr);
    }
}

#[tokio::test]
async fn a_catalog_other_than_aws_or_sandbox_is_refused_before_sending() {
    // Nothing listens on port 1: had a request been sent, the error would be a network one.
    let user = User {
        endpoint: Some("http://127.0.0.1:1".into()),
        ..User::new()
    };
    let mut document = create_document("eng-0123456789abcd");
    document["Catalog"] = json!("Foo");
    for dry_run in [true, false] {
        let mut args = vec!["create", "--cli-input-json", "-"];
        if dry_run {
            args.push("--dry-run");
        }
        let run = user
            .run_with_stdin(&args, Some(&document.to_string()))
            .await;
        assert_eq!(run.code(), Some(2), "dry run {dry_run}: {run:?}");
        assert!(
            run.stderr.contains("Catalog: `Foo` must be AWS or Sandbox"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[tokio::test]
async fn a_client_token_conflict_says_what_to_do() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let user = User::of(&emulator);
    let engagement = joined_engagement(&client).await;
    let mut document = create_document(&engagement);
    document["ClientToken"] = json!("my-token-1");
    let run = user
        .run_with_stdin(
            &["create", "--cli-input-json", "-"],
            Some(&document.to_string()),
        )
        .await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    document["Invitation"]["Message"] = json!("Something else entirely");
    let run = user
        .run_with_stdin(
            &["create", "--cli-input-json", "-"],
            Some(&document.to_string()),
        )
        .await;
    assert_eq!(run.code(), Some(1), "{run:?}");
    assert!(run.stderr.contains("ConflictException"), "{}", run.stderr);
    assert!(
        run.stderr.contains("drop ClientToken from the document")
            && run.stderr.contains("--client-token"),
        "{}",
        run.stderr
    );
    let run = user
        .run_with_stdin(
            &[
                "create",
                "--cli-input-json",
                "-",
                "--client-token",
                "my-token-1",
            ],
            Some(&document.to_string()),
        )
        .await;
    assert_eq!(run.code(), Some(1), "{run:?}");
    assert!(
        run.stderr.contains("came from --client-token"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn requests_breaking_the_model_are_refused_before_sending() {
    // Nothing listens on port 1: had a request been sent, the error would be a network one.
    let user = User {
        endpoint: Some("http://127.0.0.1:1".into()),
        ..User::new()
    };
    let run = user.run(&["get", "engi-nope"]).await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(run.stderr.contains("Identifier: must be"), "{}", run.stderr);
    let long = "x".repeat(81);
    let run = user
        .run(&["reject", "engi-0000000000001", "--reason", &long])
        .await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(run.stderr.contains("RejectionReason"), "{}", run.stderr);
    let run = user.run(&["get", "engi-0000000000001"]).await;
    assert_eq!(run.code(), Some(1), "a valid request is sent: {run:?}");
    assert!(run.stderr.contains("could not reach"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// accept, reject

#[tokio::test]
async fn accept_and_reject_answer_once_then_conflict() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let mut pending = listing(ParticipantType::Receiver);
    pending.status = Some(vec![InvitationStatus::Pending]);
    let pending = all(&client, pending).await;
    let (accept_id, reject_id) = (
        pending[0]["Id"].as_str().unwrap(),
        pending[1]["Id"].as_str().unwrap(),
    );
    let user = User::of(&emulator);

    let run = user.run(&["accept", accept_id]).await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    assert!(run.stdout.is_empty(), "empty output, like the AWS CLI");
    let accepted = client
        .get_engagement_invitation("Sandbox", accept_id)
        .await
        .unwrap();
    assert_eq!(accepted.status, Some(InvitationStatus::Accepted));

    let again = user.run(&["accept", accept_id]).await;
    assert_eq!(again.code(), Some(1), "{again:?}");
    assert!(
        again.stderr.contains("ConflictException"),
        "{}",
        again.stderr
    );
    assert!(again.stdout.is_empty());

    let run = user
        .run(&[
            "reject",
            reject_id,
            "--reason",
            "Customer not in our region",
            "--output",
            "table",
        ])
        .await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    assert_eq!(run.stdout, format!("Rejected {reject_id}\n"));
    let rejected = client
        .get_engagement_invitation("Sandbox", reject_id)
        .await
        .unwrap();
    assert_eq!(rejected.status, Some(InvitationStatus::Rejected));
    assert_eq!(
        rejected.rejection_reason.as_deref(),
        Some("Customer not in our region")
    );
}

#[tokio::test]
async fn several_ids_are_answered_one_a_second_with_a_line_each_and_exit_1_if_any_failed() {
    let emulator = start(0).await;
    let client = client(&emulator);
    let mut pending = listing(ParticipantType::Receiver);
    pending.status = Some(vec![InvitationStatus::Pending]);
    let pending = all(&client, pending).await;
    let ids: Vec<&str> = pending[..3]
        .iter()
        .map(|i| i["Id"].as_str().unwrap())
        .collect();
    let user = User::of(&emulator);
    assert_eq!(user.run(&["accept", ids[1]]).await.code(), Some(0));

    let started = std::time::Instant::now();
    let run = user
        .run(&[
            "reject",
            ids[0],
            ids[1],
            ids[2],
            "--reason",
            "Not our region",
        ])
        .await;
    assert_eq!(run.code(), Some(1), "one was already accepted: {run:?}");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "three writes at 1 a second take at least 2 s"
    );
    assert_eq!(
        run.stdout,
        format!("Rejected {}\nRejected {}\n", ids[0], ids[2]),
        "a line per success, in every format, when there are several"
    );
    assert!(
        run.stderr.starts_with(&format!(
            "pcinbox: {} was not rejected: it is already ACCEPTED",
            ids[1]
        )),
        "{}",
        run.stderr
    );
    for (id, status) in [
        (ids[0], InvitationStatus::Rejected),
        (ids[1], InvitationStatus::Accepted),
        (ids[2], InvitationStatus::Rejected),
    ] {
        let invitation = client
            .get_engagement_invitation("Sandbox", id)
            .await
            .unwrap();
        assert_eq!(invitation.status.as_ref(), Some(&status), "{id}");
        if status == InvitationStatus::Rejected {
            assert_eq!(
                invitation.rejection_reason.as_deref(),
                Some("Not our region")
            );
        }
    }

    // Every id is checked before the first is sent.
    let run = user.run(&["accept", ids[0], "engi-nope"]).await;
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert!(run.stderr.contains("Identifier: must be"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// csv

#[tokio::test]
async fn list_csv_has_a_header_and_the_rows_json_output_has() {
    let emulator = start(30).await;
    let user = User::of(&emulator);
    let json = summaries(&user.run(&["list", "--page-size", "7"]).await.ok_json());
    let run = user
        .run(&["list", "--page-size", "7", "--output", "csv"])
        .await;
    assert_eq!(run.code(), Some(0), "{run:?}");
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, pcinbox::invitation_csv::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), json.len());
    for (row, item) in rows.iter().zip(&json) {
        for (column, cell) in header.iter().zip(row.iter()) {
            let expected = item.get(column).and_then(Value::as_str).unwrap_or("");
            assert_eq!(cell, expected, "{column} of {}", item["Id"]);
        }
    }

    for (args, problem) in [
        (
            &["list", "--output", "csv", "--query", "length(@)"][..],
            "--query does not apply",
        ),
        (
            &["get", "engi-0000000000001", "--output", "csv"][..],
            "--output csv is for `list` only",
        ),
    ] {
        let run = user.run(args).await;
        assert_eq!(run.code(), Some(2), "{run:?}");
        assert!(run.stderr.contains(problem), "{}", run.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// credentials, serve

#[tokio::test]
async fn no_credentials_points_at_local() {
    let user = User::new();
    let run = user.run(&["list"]).await;
    assert_eq!(run.code(), Some(1), "{run:?}");
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("no AWS credentials found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--local"), "{}", run.stderr);
}

#[tokio::test]
async fn profile_flag_beats_environment_keys_and_aws_profile_does_not() {
    let emulator = emulator::start(EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        verify_credentials: Some("AKIDPROFILE:profile-secret".parse().unwrap()),
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    // The user has keys for another account in the shell and a profile in ~/.aws/config.
    let user = User::of(&emulator);
    let aws = user.home.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("config"),
        "[profile partner]\naws_access_key_id = AKIDPROFILE\n\
         aws_secret_access_key = profile-secret\n",
    )
    .unwrap();

    let run = user
        .run(&["--profile", "partner", "list", "--max-items", "1"])
        .await;
    let listed = cut_short(&run.ok_json(), "EngagementInvitationSummaries").0;
    assert_eq!(listed.len(), 1);

    let mut command = user.command(&["list", "--max-items", "1"]);
    command.env("AWS_PROFILE", "partner");
    let output = tokio::time::timeout(WAIT, command.output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the environment's keys were used"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("UnrecognizedClientException"), "{stderr}");

    let run = user.run(&["--profile", "nope", "list"]).await;
    assert_eq!(run.code(), Some(1), "{run:?}");
    assert!(run.stderr.contains("nope"), "{}", run.stderr);
}

#[tokio::test]
async fn serve_prints_its_endpoint_and_answers_there() {
    let user = User::new();
    let mut child = user
        .command(&["serve", "--ephemeral", "--port", "0"])
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = Vec::new();
    let endpoint = tokio::time::timeout(WAIT, async {
        while let Some(line) = lines.next_line().await.unwrap() {
            banner.push(line.clone());
            if let Some(endpoint) =
                line.strip_prefix("Partner Central Selling emulator listening on ")
            {
                return endpoint.to_owned();
            }
        }
        panic!("serve exited without printing its endpoint: {banner:?}");
    })
    .await
    .expect("serve printed its endpoint in time");
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let port: u16 = endpoint.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0, "the port actually bound is printed");

    let example = tokio::time::timeout(WAIT, async {
        loop {
            let line = lines
                .next_line()
                .await
                .unwrap()
                .expect("the banner goes on");
            if line.contains("aws partnercentral-selling") {
                return line;
            }
        }
    })
    .await
    .expect("an AWS CLI example in the banner");
    assert!(
        example.contains(&format!("--endpoint-url {endpoint}")),
        "{example}"
    );

    // The banner's own pcinbox command works as printed, with no other credentials around.
    let suggestion = tokio::time::timeout(WAIT, lines.next_line())
        .await
        .expect("the banner goes on")
        .unwrap()
        .unwrap_or_default();
    let words: Vec<&str> = suggestion
        .strip_prefix("Or:")
        .unwrap_or_else(|| panic!("a pcinbox example, got {suggestion:?}"))
        .split_whitespace()
        .collect();
    let at = words.iter().position(|w| *w == "pcinbox").unwrap();
    let user = User::new();
    let mut command = user.command(&words[at + 1..]);
    for assignment in &words[..at] {
        let (name, value) = assignment.split_once('=').unwrap();
        command.env(name, value);
    }
    let output = tokio::time::timeout(WAIT, command.output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .starts_with("STATUS")
    );

    let client = User {
        endpoint: Some(endpoint),
        ..User::new()
    };
    let listed = client.run(&["list", "--max-items", "3"]).await.ok_json();
    assert_eq!(
        cut_short(&listed, "EngagementInvitationSummaries").0.len(),
        3
    );

    // SIGTERM (what `kill` and service managers send) stops it cleanly.
    #[cfg(unix)]
    {
        let pid = child.id().expect("still running").to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(status.success());
        let status = tokio::time::timeout(WAIT, child.wait())
            .await
            .expect("serve stops on SIGTERM")
            .unwrap();
        assert_eq!(status.code(), Some(0), "a clean exit, not death by signal");
    }
    #[cfg(not(unix))]
    child.kill().await.unwrap();
}
