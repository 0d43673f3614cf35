//! A scripted local Partner Central service (axum on 127.0.0.1:0) that records what it
//! receives, and a client wired to it with recorded (not slept) backoff waits.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use pcinbox::api::Error;
use pcinbox::api::client::{Client, ClientConfig, StaticCredentials};
use pcinbox::api::model::{CreateEngagementInvitationRequest, EngagementInvitation};
use pcinbox::api::retry::{RetryPolicy, Sleeper};
use pcinbox::api::signing::verify_signature;
use serde_json::{Value, json};

pub const AKID: &str = "AKIDEXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// One request as the test service received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// The operation named by `X-Amz-Target`, without the service prefix.
    pub fn operation(&self) -> String {
        self.header("x-amz-target")
            .unwrap_or_default()
            .trim_start_matches("AWSPartnerCentralSelling.")
            .to_owned()
    }

    /// Checks the signature over `body` against the test client's credentials.
    pub fn verify(&self, body: &[u8]) -> Result<(), String> {
        self.verify_with(body, AKID, SECRET)
    }

    /// Checks the signature over `body` against the given credentials.
    pub fn verify_with(
        &self,
        body: &[u8],
        access_key_id: &str,
        secret_access_key: &str,
    ) -> Result<(), String> {
        verify_signature(
            self.method.as_str(),
            &self.uri.to_string(),
            &self.headers,
            body,
            access_key_id,
            secret_access_key,
        )
    }
}

/// What the test service does with a request.
pub enum Reply {
    /// Status, extra headers, body.
    Answer(u16, Vec<(&'static str, String)>, String),
    /// Closes the connection without answering.
    Drop,
    /// Never answers (for read timeouts).
    Hang,
}

pub fn ok(body: Value) -> Reply {
    Reply::Answer(200, vec![], body.to_string())
}

pub fn error(status: u16, body: Value) -> Reply {
    Reply::Answer(status, vec![], body.to_string())
}

/// How the test service answers the `index`th request.
type Script = dyn Fn(&Received, usize) -> Reply + Send + Sync;

/// The test service's state: what it received and how it answers.
struct Shared {
    received: Mutex<Vec<Received>>,
    script: Box<Script>,
}

async fn handle(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Received {
        method,
        uri,
        headers,
        body,
    };
    let index = {
        let mut received = shared.received.lock().unwrap();
        received.push(request.clone());
        received.len() - 1
    };
    match (shared.script)(&request, index) {
        Reply::Answer(status, headers, body) => {
            let mut response = (StatusCode::from_u16(status).unwrap(), body).into_response();
            for (name, value) in headers {
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            response
        }
        // A panic in the handler ends the connection's task, closing the socket without an
        // answer; resume_unwind skips the panic hook's noise.
        Reply::Drop => std::panic::resume_unwind(Box::new("drop the connection")),
        Reply::Hang => std::future::pending().await,
    }
}

pub struct Service {
    pub url: String,
    shared: Arc<Shared>,
}

impl Service {
    /// Serves `script(request, index)` for every request, recording each one first.
    pub async fn start(
        script: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static,
    ) -> Service {
        let shared = Arc::new(Shared {
            received: Mutex::new(Vec::new()),
            script: Box::new(script),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Service { url, shared }
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn config(&self) -> ClientConfig {
        ClientConfig {
            endpoint: self.url.clone(),
            region: "us-east-1".into(),
            profile: None,
            max_attempts: 5,
            rate_limits: None,
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(30),
        }
    }

    /// A client with static credentials whose backoff waits are recorded, not slept.
    pub fn client(&self, session_token: Option<&str>) -> (Client, Arc<RecordingSleeper>) {
        self.client_with(self.config(), session_token)
    }

    pub fn client_with(
        &self,
        config: ClientConfig,
        session_token: Option<&str>,
    ) -> (Client, Arc<RecordingSleeper>) {
        let sleeper = Arc::new(RecordingSleeper::default());
        let client = Client::with_static_credentials(
            config,
            StaticCredentials {
                access_key_id: AKID.into(),
                secret_access_key: SECRET.into(),
                session_token: session_token.map(str::to_owned),
            },
        )
        .with_retry_policy(RetryPolicy {
            throttling_base: Duration::from_millis(1),
            transient_base: Duration::from_millis(1),
            max_backoff: Duration::from_secs(20),
            sleeper: sleeper.clone(),
        });
        (client, sleeper)
    }
}

/// Records the waits the retry loop asks for and returns at once.
#[derive(Debug, Default)]
pub struct RecordingSleeper {
    delays: Mutex<Vec<Duration>>,
}

impl RecordingSleeper {
    pub fn delays(&self) -> Vec<Duration> {
        self.delays.lock().unwrap().clone()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()> {
        self.delays.lock().unwrap().push(delay);
        Box::pin(async {})
    }
}

/// GetEngagementInvitation of `engi-1` in the Sandbox catalog: the call most tests make.
pub async fn get_invitation(client: &Client) -> Result<EngagementInvitation, Error> {
    client.get_engagement_invitation("Sandbox", "engi-1").await
}

/// A valid create request (a lead invitation), with or without its own ClientToken.
pub fn create_request(client_token: Option<&str>) -> CreateEngagementInvitationRequest {
    serde_json::from_value(json!({
        "Catalog": "Sandbox",
        "ClientToken": client_token,
        "EngagementIdentifier": "eng-0123456789abcd",
        "Invitation": {
            "Message": "Join us",
            "Receiver": {"Account": {"AwsAccountId": "123456789012"}},
            "Payload": {"LeadInvitation": {
                "Customer": {"CompanyName": "Example"},
                "Interaction": {"ContactBusinessTitle": "CTO"}
            }}
        }
    }))
    .unwrap()
}
