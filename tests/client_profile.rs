//! `Client::new` reads credentials through aws-config as the AWS CLI does: named profiles from
//! `AWS_CONFIG_FILE`, `credential_process` (cached, not run per call), and a clear error for a
//! profile that does not exist.
//!
//! Its own test binary with a single test, because it points the process environment at a
//! temporary AWS config; no other test runs beside it.

mod common;

use common::{Service, get_invitation, ok};
use pcinbox::api::Error;
use pcinbox::api::client::{Client, ClientConfig};
use serde_json::json;

const PROCESS_SECRET: &str = "process-secret";

fn config(service: &Service, profile: &str) -> ClientConfig {
    ClientConfig {
        profile: Some(profile.into()),
        ..service.config()
    }
}

#[tokio::test]
async fn profiles_and_credential_process_come_from_the_aws_config() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs");
    let script = dir.path().join("credentials.sh");
    let expiration = (chrono::Utc::now() + chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho run >> '{}'\necho '{}'\n",
            runs.display(),
            json!({"Version": 1, "AccessKeyId": "AKIDPROCESS",
                   "SecretAccessKey": PROCESS_SECRET, "SessionToken": "process-token",
                   "Expiration": expiration})
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config_file = dir.path().join("config");
    std::fs::write(
        &config_file,
        format!(
            "[profile pcinbox-process]\ncredential_process = {}\n\n\
             [profile pcinbox-static]\naws_access_key_id = AKIDSTATIC\n\
             aws_secret_access_key = static-secret\n",
            script.display()
        ),
    )
    .unwrap();
    let credentials_file = dir.path().join("credentials");
    std::fs::write(&credentials_file, "").unwrap();
    // SAFETY: this binary's only test, before any thread that could read the environment.
    unsafe {
        std::env::set_var("AWS_CONFIG_FILE", &config_file);
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &credentials_file);
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        for name in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_ARN",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        ] {
            std::env::remove_var(name);
        }
    }

    let service = Service::start(|_, _| ok(json!({"Id": "engi-1", "Catalog": "Sandbox"}))).await;

    // credential_process: used for signing, with its session token, and run once for two calls.
    let client = Client::new(config(&service, "pcinbox-process"))
        .await
        .unwrap();
    for _ in 0..2 {
        get_invitation(&client).await.unwrap();
    }
    for request in service.received() {
        assert_eq!(
            request.header("x-amz-security-token"),
            Some("process-token")
        );
        request
            .verify_with(&request.body, "AKIDPROCESS", PROCESS_SECRET)
            .unwrap();
    }
    let runs = std::fs::read_to_string(&runs).unwrap();
    assert_eq!(runs.lines().count(), 1, "credential_process ran {runs:?}");

    // A profile with static keys.
    let client = Client::new(config(&service, "pcinbox-static"))
        .await
        .unwrap();
    get_invitation(&client).await.unwrap();
    let request = service.received().pop().unwrap();
    assert!(request.header("x-amz-security-token").is_none());
    request
        .verify_with(&request.body, "AKIDSTATIC", "static-secret")
        .unwrap();

    // A profile that does not exist: nothing is sent, and the error says what to do.
    let sent = service.received().len();
    let client = Client::new(config(&service, "pcinbox-missing"))
        .await
        .unwrap();
    let failure = get_invitation(&client).await.unwrap_err();
    assert!(matches!(failure, Error::Credentials(_)), "{failure:?}");
    let text = failure.to_string();
    assert!(
        text.contains("--local") && text.contains("AWS_PROFILE"),
        "{text}"
    );
    assert_eq!(service.received().len(), sent);
}
