//! Emulator throughput: pages of a 10,000-invitation inbox over HTTP (the `--seed-count`
//! benchmark setup), first page and deep in the listing, and a filtered listing.

use criterion::{Criterion, criterion_group, criterion_main};
use pcinbox::emulator::{self, EmulatorOptions};
use serde_json::{Value, json};

const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=pcinbox-local/20260101/us-east-1/\
    partnercentral-selling/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, \
    Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

async fn list(http: &reqwest::Client, endpoint: &str, body: &Value) -> Value {
    let response = http
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.0")
        .header(
            "x-amz-target",
            "AWSPartnerCentralSelling.ListEngagementInvitations",
        )
        .header("authorization", AUTHORIZATION)
        .body(body.to_string())
        .send()
        .await
        .expect("the emulator answers");
    serde_json::from_slice(&response.bytes().await.expect("a body")).expect("JSON")
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
    let http = reqwest::Client::new();
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

criterion_group!(benches, listing);
criterion_main!(benches);
