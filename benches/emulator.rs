//! Emulator throughput over HTTP: pages of a 10,000-invitation inbox (the `--seed-count`
//! benchmark setup), first page and deep in the listing, and a filtered listing; and the cost
//! of a write (accept, reject, create) on a store file of the demo's 25 received invitations
//! and on one of 100,000, which should be about the same (target 7 of benches/README.md).

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use pcinbox::emulator::{self, EmulatorOptions, RunningEmulator, Storage};
use serde_json::{Value, json};

const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=pcinbox-local/20260101/us-east-1/\
    partnercentral-selling/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, \
    Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Calls `operation` with `body`; the answer's JSON (`null` for an empty body).
async fn call(http: &reqwest::Client, endpoint: &str, operation: &str, body: &Value) -> Value {
    let response = http
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.0")
        .header(
            "x-amz-target",
            format!("AWSPartnerCentralSelling.{operation}"),
        )
        .header("authorization", AUTHORIZATION)
        .body(body.to_string())
        .send()
        .await
        .expect("the emulator answers");
    let status = response.status();
    let bytes = response.bytes().await.expect("a body");
    assert!(
        status.is_success(),
        "{operation}: {status} {}",
        String::from_utf8_lossy(&bytes)
    );
    if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON")
    }
}

async fn list(http: &reqwest::Client, endpoint: &str, body: &Value) -> Value {
    call(http, endpoint, "ListEngagementInvitations", body).await
}

fn listing(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let running = runtime.block_on(emulator::start(EmulatorOptions {
        bind: "127.0.0.1:0".parse().expect("an address"),
        seed_count: 10_000,
        ..EmulatorOptions::default()
    }));
    let running = running.expect("the emulator starts");
    let endpoint = running.endpoint();
    // pcinbox's own pool: reqwest is built without a TLS crypto provider of its own.
    let http = pcinbox::api::transport::plain_http_client(
        std::time::Duration::from_secs(10),
        std::time::Duration::from_secs(60),
    );
    let first = json!({"Catalog": "Sandbox", "ParticipantType": "RECEIVER", "MaxResults": 100});

    // A token 50 pages into the listing.
    let deep = runtime.block_on(async {
        let mut body = first.clone();
        for _ in 0..50 {
            let page = list(&http, &endpoint, &body).await;
            body["NextToken"] = page["NextToken"].clone();
        }
        body
    });
    let filtered = json!({"Catalog": "Sandbox", "ParticipantType": "RECEIVER", "MaxResults": 100,
        "Status": ["REJECTED"], "PayloadType": ["LeadInvitation"]});

    let mut group = c.benchmark_group("emulator list 10k");
    for (name, body) in [
        ("first page", &first),
        ("page 51", &deep),
        ("filtered", &filtered),
    ] {
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| list(&http, &endpoint, body));
        });
    }
    group.finish();
    runtime
        .block_on(running.shutdown())
        .expect("the emulator stops");
}

/// The request body of a timed call, given the target invitation's id.
type RequestBody<'a> = dyn Fn(&str) -> Value + 'a;

/// Invitations answered (or created) between two resets of the store.
const BATCH: usize = 10;

/// Puts invitations back to PENDING, and removes the invitations (and tokens) the create
/// benchmark made, behind the emulator's back (untimed), so every timed accept or reject answers
/// a PENDING invitation and the store keeps its size.
fn reset(store: &rusqlite::Connection, ids: &[String]) {
    for id in ids {
        store
            .execute(
                "UPDATE invitations SET status = 'PENDING', rejection_reason = NULL WHERE id = ?1",
                [id],
            )
            .expect("the reset");
    }
    store
        .execute_batch(
            "DELETE FROM invitations WHERE catalog = 'Sandbox' AND participant_type = 'SENDER'
                AND invitation_message = 'benchmark';
             DELETE FROM client_tokens WHERE client_token LIKE 'bench-%';",
        )
        .expect("the clean-up");
}

/// The time of `iterations` calls of `operation`, BATCH at a time: before each batch (untimed)
/// the store is reset by another connection, which empties the emulator's page cache (SQLite
/// drops it when another connection writes), then warmed with a read of each target, as a
/// server that keeps working on the store has it.
async fn timed_batches(
    http: &reqwest::Client,
    endpoint: &str,
    store: &rusqlite::Connection,
    targets: &[String],
    iterations: u64,
    operation: &str,
    body: impl Fn(&str) -> Value,
) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0;
    while done < iterations {
        reset(store, targets);
        for id in targets {
            let get = json!({"Catalog": "Sandbox", "Identifier": id});
            call(http, endpoint, "GetEngagementInvitation", &get).await;
        }
        for id in targets.iter().take((iterations - done) as usize) {
            let body = body(id);
            let start = Instant::now();
            call(http, endpoint, operation, &body).await;
            total += start.elapsed();
            done += 1;
        }
    }
    total
}

fn writes(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    // pcinbox's own pool: reqwest is built without a TLS crypto provider of its own.
    let http = pcinbox::api::transport::plain_http_client(
        std::time::Duration::from_secs(10),
        std::time::Duration::from_secs(60),
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("emulator writes");
    for (name, seed_count) in [("25", 0), ("100k", 100_000)] {
        let file = dir.path().join(format!("store-{name}.sqlite3"));
        let running: RunningEmulator = runtime
            .block_on(emulator::start(EmulatorOptions {
                bind: "127.0.0.1:0".parse().expect("an address"),
                storage: Storage::File(file.clone()),
                seed_count,
                ..EmulatorOptions::default()
            }))
            .expect("the emulator starts");
        let endpoint = running.endpoint();
        let store = open(&file);
        let (targets, engagement) = runtime.block_on(async {
            let pending = list(
                &http,
                &endpoint,
                &json!({"Catalog": "Sandbox", "ParticipantType": "RECEIVER",
                    "MaxResults": BATCH, "Status": ["PENDING"]}),
            )
            .await;
            let sent = list(
                &http,
                &endpoint,
                &json!({"Catalog": "Sandbox", "ParticipantType": "SENDER", "MaxResults": 1}),
            )
            .await;
            let targets: Vec<String> = pending["EngagementInvitationSummaries"]
                .as_array()
                .expect("a page")
                .iter()
                .map(|s| s["Id"].as_str().expect("an id").to_owned())
                .collect();
            (
                targets,
                sent["EngagementInvitationSummaries"][0]["EngagementId"].clone(),
            )
        });
        assert_eq!(targets.len(), BATCH, "{BATCH} pending invitations");
        let answer = |id: &str| json!({"Catalog": "Sandbox", "Identifier": id});
        let create = |_: &str| {
            json!({"Catalog": "Sandbox", "EngagementIdentifier": engagement,
                "ClientToken": format!("bench-{}", uuid::Uuid::new_v4()),
                "Invitation": {"Message": "benchmark",
                    "Receiver": {"Account": {"AwsAccountId": "555566667777"}},
                    "Payload": {"LeadInvitation": {
                        "Customer": {"CompanyName": "Müller Logistik GmbH"},
                        "Interaction": {"ContactBusinessTitle": "CTO"}}}}})
        };
        let runs: [(&str, &str, &RequestBody<'_>); 3] = [
            ("accept", "AcceptEngagementInvitation", &answer),
            ("reject", "RejectEngagementInvitation", &answer),
            ("create", "CreateEngagementInvitation", &create),
        ];
        for (label, operation, body) in runs {
            group.bench_function(format!("{label}, {name} invitations"), |b| {
                b.to_async(&runtime).iter_custom(|iterations| {
                    timed_batches(
                        &http, &endpoint, &store, &targets, iterations, operation, body,
                    )
                });
            });
        }
        reset(&store, &[]);
        runtime
            .block_on(running.shutdown())
            .expect("the emulator stops");
    }
    group.finish();
}

fn open(file: &Path) -> rusqlite::Connection {
    let store = rusqlite::Connection::open(file).expect("the store opens");
    store
        .busy_timeout(std::time::Duration::from_secs(10))
        .expect("a busy timeout");
    store
}

criterion_group!(benches, listing, writes);
criterion_main!(benches);
