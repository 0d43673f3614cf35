//! What the client logs: operation, status and attempt at debug; bodies only at trace and with
//! the model's sensitive fields redacted; never credentials, tokens or signatures.
//!
//! Its own test binary with a single test: tracing caches per-callsite interest globally, so a
//! capturing subscriber can miss events hit first by tests on other threads.

mod common;

use std::sync::Arc;

use common::{AKID, SECRET, Service, create_request, error, ok};
use serde_json::json;

/// Collects formatted log lines.
#[derive(Clone, Default)]
struct Capture(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_redact_sensitive_fields_and_never_hold_credentials() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);

    let service = Service::start(|_, index| match index {
        0 => error(400, json!({"__type": "ThrottlingException"})),
        _ => ok(json!({"Id": "engi-new", "Arn": "arn:aws:partnercentral:engi-new"})),
    })
    .await;
    let (client, _) = service.client(Some("SESSION-TOKEN-VALUE"));
    let mut request = create_request(None);
    request.invitation.message = "A confidential invitation message".into();
    client.create_engagement_invitation(&request).await.unwrap();

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("CreateEngagementInvitation"), "{logs}");
    assert!(
        logs.contains("attempt=2") && logs.contains("status=200"),
        "{logs}"
    );
    assert!(logs.contains(pcinbox::api::schema::REDACTED), "{logs}");
    for secret in [
        AKID,
        SECRET,
        "SESSION-TOKEN-VALUE",
        "Signature=",
        "A confidential invitation message",
        "123456789012",
    ] {
        assert!(
            !logs.contains(secret),
            "`{secret}` leaked into the logs:\n{logs}"
        );
    }
}
