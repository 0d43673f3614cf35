//! The signed client against a scripted local service (`common::Service`): signing, error
//! decoding, retries, idempotent creates, pagination, clock-skew correction, credentials.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::credential_fn::provide_credentials_fn;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use axum::http::Method;
use common::{AKID, Received, Reply, SECRET, Service, create_request, error, get_invitation, ok};
use futures::StreamExt;
use pcinbox::api::Error;
use pcinbox::api::client::{Client, ClientConfig};
use pcinbox::api::model::*;
use pcinbox::api::signing::{is_well_formed_authorization, request_time};
use serde_json::{Value, json};

fn invitation(id: &str) -> Value {
    json!({"Id": id, "Catalog": "Sandbox", "Status": "PENDING",
           "InvitationDate": "2025-01-01T00:00:00Z"})
}

fn list_request() -> ListEngagementInvitationsRequest {
    ListEngagementInvitationsRequest {
        catalog: "Sandbox".into(),
        participant_type: ParticipantType::Receiver,
        ..Default::default()
    }
}

#[tokio::test]
async fn requests_are_signed_aws_json_and_verifiable() {
    let service = Service::start(|_, _| ok(invitation("engi-1"))).await;
    let (client, _) = service.client(None);
    let got = get_invitation(&client).await.unwrap();
    assert_eq!(got.id, "engi-1");

    let [request] = &service.received()[..] else {
        panic!("one request expected")
    };
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.uri.path(), "/");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.0")
    );
    assert_eq!(
        request.header("x-amz-target"),
        Some("AWSPartnerCentralSelling.GetEngagementInvitation")
    );
    assert_eq!(
        request.json(),
        json!({"Catalog": "Sandbox", "Identifier": "engi-1"})
    );
    let authorization = request.header("authorization").unwrap();
    assert!(is_well_formed_authorization(authorization));
    assert!(
        authorization.contains("/us-east-1/partnercentral-selling/aws4_request"),
        "{authorization}"
    );
    assert!(request.header("x-amz-security-token").is_none());
    request.verify(&request.body).unwrap();

    let mut tampered = request.body.to_vec();
    tampered.extend_from_slice(b" ");
    assert!(request.verify(&tampered).is_err());
    let wrong_secret = request.verify_with(&request.body, AKID, "another secret");
    assert!(wrong_secret.is_err());
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let service = Service::start(|_, _| ok(invitation("engi-1"))).await;
    let (client, _) = service.client(Some("SESSION-TOKEN"));
    get_invitation(&client).await.unwrap();
    let request = &service.received()[0];
    assert_eq!(
        request.header("x-amz-security-token"),
        Some("SESSION-TOKEN")
    );
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("x-amz-security-token")
    );
    request.verify(&request.body).unwrap();
}

#[tokio::test]
async fn every_error_form_is_decoded() {
    let replies: Vec<fn() -> Reply> = vec![
        || {
            error(
                404,
                json!({"__type": "ResourceNotFoundException", "Message": "no engi-1"}),
            )
        },
        || {
            error(
                403,
                json!({"__type": "com.amazonaws.partnercentral.selling#AccessDeniedException",
                       "Message": "denied", "Reason": "INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE"}),
            )
        },
        || {
            error(
                409,
                json!({"__type": "ConflictException:http://internal.amazon.com/coral/com.amazonaws/",
                       "message": "lower-case message"}),
            )
        },
        || {
            Reply::Answer(
                402,
                vec![(
                    "x-amzn-ErrorType",
                    "ServiceQuotaExceededException:http://internal.amazon.com/".into(),
                )],
                "{}".into(),
            )
        },
        || {
            error(
                400,
                json!({"__type": "ValidationException", "message": "bad input",
                       "Reason": "REQUEST_VALIDATION_FAILED",
                       "ErrorList": [{"FieldName": "Identifier", "Message": "does not match",
                                      "Code": "INVALID_STRING_FORMAT"}]}),
            )
        },
        || {
            Reply::Answer(
                403,
                vec![("content-type", "text/html".into())],
                "<html><head><title>403 Forbidden</title></head><body>\u{1b}[31mcorporate proxy</body></html>"
                    .into(),
            )
        },
        || {
            error(
                400,
                json!({"__type": "BrandNewException", "Message": "new"}),
            )
        },
        || ok(json!({"Unexpected": true})),
    ];
    let count = replies.len();
    let service = Service::start(move |_, index| replies[index]()).await;
    let (client, _) = service.client(None);
    let mut errors = Vec::new();
    for _ in 0..count {
        errors.push(get_invitation(&client).await.unwrap_err());
    }
    assert_eq!(service.received().len(), count, "none of these is retried");

    assert!(matches!(&errors[0], Error::ResourceNotFound { message } if message == "no engi-1"));
    assert!(
        matches!(&errors[1], Error::AccessDenied { message, reason: Some(reason) }
            if message == "denied" && reason == "INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE")
    );
    assert!(matches!(&errors[2], Error::Conflict { message } if message == "lower-case message"));
    assert!(matches!(&errors[3], Error::ServiceQuotaExceeded { .. }));
    let Error::Validation {
        message,
        reason,
        errors: fields,
    } = &errors[4]
    else {
        panic!("{:?}", errors[4])
    };
    assert_eq!(message, "bad input");
    assert_eq!(reason, &Some(ValidationReason::RequestValidationFailed));
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].field_name.as_deref(), Some("Identifier"));
    assert_eq!(fields[0].code, ValidationErrorCode::InvalidStringFormat);
    let Error::Unknown {
        status: 403,
        message,
        ..
    } = &errors[5]
    else {
        panic!("{:?}", errors[5])
    };
    assert!(message.contains("403 Forbidden") && message.contains("corporate proxy"));
    assert!(
        !message.contains('<') && !message.contains('\u{1b}'),
        "{message}"
    );
    assert!(
        matches!(&errors[6], Error::Unknown { code, status: 400, message } if code == "BrandNewException" && message == "new")
    );
    assert!(matches!(&errors[7], Error::Decode(_)), "{:?}", errors[7]);
}

#[tokio::test]
async fn accept_and_reject_take_an_empty_body_or_an_empty_object() {
    let service = Service::start(|_, index| {
        Reply::Answer(200, vec![], if index == 0 { "" } else { "{}" }.into())
    })
    .await;
    let (client, _) = service.client(None);
    client
        .accept_engagement_invitation("Sandbox", "engi-1")
        .await
        .unwrap();
    client
        .reject_engagement_invitation(&RejectEngagementInvitationRequest {
            catalog: "Sandbox".into(),
            identifier: "engi-2".into(),
            rejection_reason: Some("Customer problem unclear".into()),
        })
        .await
        .unwrap();
    let received = service.received();
    assert_eq!(
        received[0].header("x-amz-target"),
        Some("AWSPartnerCentralSelling.AcceptEngagementInvitation")
    );
    assert_eq!(
        received[1].json()["RejectionReason"],
        "Customer problem unclear"
    );
}

#[tokio::test]
async fn a_redirect_is_an_error_not_followed() {
    let service = Service::start(|_, _| {
        Reply::Answer(
            302,
            vec![("location", "http://127.0.0.1:9/login".into())],
            String::new(),
        )
    })
    .await;
    let (client, _) = service.client(None);
    let failure = get_invitation(&client).await.unwrap_err();
    assert!(
        matches!(&failure, Error::Unknown { status: 302, .. }),
        "{failure:?}"
    );
    assert_eq!(service.received().len(), 1);
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried_until_success() {
    let service = Service::start(|_, index| match index {
        0 => error(
            400,
            json!({"__type": "ThrottlingException", "Message": "slow down"}),
        ),
        1 => Reply::Answer(503, vec![], "<html>Service Unavailable</html>".into()),
        2 => error(500, json!({"__type": "InternalServerException"})),
        3 => Reply::Answer(429, vec![], String::new()),
        _ => ok(invitation("engi-1")),
    })
    .await;
    let (client, sleeper) = service.client(None);
    let notices = Arc::new(Mutex::new(Vec::new()));
    let client = client.with_retry_observer({
        let notices = notices.clone();
        move |notice| notices.lock().unwrap().push(notice)
    });
    let got = get_invitation(&client).await.unwrap();
    assert_eq!(got.id, "engi-1");
    assert_eq!(service.received().len(), 5);
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 4);
    // Full jitter under min(cap, base * 2^(attempt-1)) with a 1 ms base.
    for (attempt, delay) in delays.iter().enumerate() {
        assert!(*delay <= Duration::from_millis(1 << attempt), "{delays:?}");
    }
    // Each retry was announced before its wait, with its cause and the same delay.
    let notices = notices.lock().unwrap();
    let seen: Vec<(u32, &str, Duration)> = notices
        .iter()
        .map(|n| (n.attempt, n.code.as_str(), n.delay))
        .collect();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(seen[0].1, "ThrottlingException");
    assert_eq!(seen[2].1, "InternalServerException");
    assert_eq!(seen.iter().map(|s| s.2).collect::<Vec<_>>(), delays);
    assert!(
        notices
            .iter()
            .all(|n| n.operation == Operation::GetEngagementInvitation && n.max_attempts == 5)
    );
}

#[tokio::test]
async fn spent_retries_keep_the_last_error() {
    let service = Service::start(|_, _| {
        error(
            400,
            json!({"__type": "ThrottlingException", "Message": "slow down"}),
        )
    })
    .await;
    let config = ClientConfig {
        max_attempts: 3,
        ..service.config()
    };
    let (client, sleeper) = service.client_with(config, None);
    let failure = get_invitation(&client).await.unwrap_err();
    let Error::RetriesExhausted { attempts, last } = &failure else {
        panic!("{failure:?}")
    };
    assert_eq!(*attempts, 3);
    assert!(matches!(**last, Error::Throttling { .. }));
    assert_eq!(failure.code(), "ThrottlingException");
    assert_eq!(service.received().len(), 3);
    assert_eq!(sleeper.delays().len(), 2);
}

#[tokio::test]
async fn retry_after_header_sets_the_wait() {
    let service = Service::start(|_, index| match index {
        0 => Reply::Answer(
            503,
            vec![("x-amz-retry-after", "1500".into())],
            String::new(),
        ),
        _ => ok(invitation("engi-1")),
    })
    .await;
    let (client, sleeper) = service.client(None);
    get_invitation(&client).await.unwrap();
    assert_eq!(sleeper.delays(), [Duration::from_millis(1500)]);
}

#[tokio::test]
async fn a_create_whose_connection_dropped_is_retried_with_the_same_token() {
    let service = Service::start(|_, index| match index {
        0 => Reply::Drop,
        _ => ok(json!({"Id": "engi-new", "Arn": "arn:aws:partnercentral:engi-new"})),
    })
    .await;
    let (client, sleeper) = service.client(None);
    let created = client
        .create_engagement_invitation(&create_request(None))
        .await
        .unwrap();
    assert_eq!(created.id, "engi-new");

    let received = service.received();
    assert_eq!(received.len(), 2);
    assert_eq!(sleeper.delays().len(), 1);
    let tokens: Vec<Value> = received
        .iter()
        .map(|r| r.json()["ClientToken"].clone())
        .collect();
    let token = tokens[0].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(token).is_ok(), "{token}");
    assert_eq!(tokens[0], tokens[1]);

    // A token the caller chose is kept.
    client
        .create_engagement_invitation(&create_request(Some("my-token")))
        .await
        .unwrap();
    assert_eq!(service.received()[2].json()["ClientToken"], "my-token");
}

#[tokio::test]
async fn a_read_timeout_is_retried() {
    let service = Service::start(|_, index| match index {
        0 => Reply::Hang,
        _ => ok(invitation("engi-1")),
    })
    .await;
    let config = ClientConfig {
        read_timeout: Duration::from_millis(200),
        ..service.config()
    };
    let (client, sleeper) = service.client_with(config, None);
    get_invitation(&client).await.unwrap();
    assert_eq!(service.received().len(), 2);
    assert_eq!(sleeper.delays().len(), 1);
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_transport_error_after_retries() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let service = Service::start(|_, _| ok(json!({}))).await;
    let config = ClientConfig {
        endpoint: format!("http://127.0.0.1:{port}"),
        max_attempts: 2,
        ..service.config()
    };
    let (client, _) = service.client_with(config, None);
    let failure = get_invitation(&client).await.unwrap_err();
    assert!(
        matches!(failure.root(), Error::Transport { endpoint, .. } if endpoint.contains(&port.to_string())),
        "{failure:?}"
    );
}

/// Pages of four invitations each; the token names the next page.
fn paged_listing(pages: usize) -> impl Fn(&Received, usize) -> Reply {
    move |request, _| {
        let page: usize = request.json()["NextToken"]
            .as_str()
            .map_or(0, |t| t.trim_start_matches("page-").parse().unwrap());
        let items: Vec<Value> = (0..4)
            .map(|i| invitation(&format!("engi-{}", page * 4 + i)))
            .collect();
        let next = (page + 1 < pages).then(|| format!("page-{}", page + 1));
        ok(json!({"EngagementInvitationSummaries": items, "NextToken": next}))
    }
}

#[tokio::test]
async fn pagination_follows_next_token_to_the_end() {
    let service = Service::start(paged_listing(25)).await;
    let (client, _) = service.client(None);
    let pages: Vec<Vec<EngagementInvitationSummary>> = client
        .paginate_invitations(list_request(), None)
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(pages.len(), 25);
    let ids: Vec<String> = pages.into_iter().flatten().map(|s| s.id).collect();
    let expected: Vec<String> = (0..100).map(|i| format!("engi-{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(service.received().len(), 25);
}

#[tokio::test]
async fn pagination_stops_at_max_items() {
    let service = Service::start(paged_listing(25)).await;
    let (client, _) = service.client(None);
    let sizes: Vec<usize> = client
        .paginate_invitations(list_request(), Some(10))
        .map(|page| page.unwrap().len())
        .collect()
        .await;
    assert_eq!(sizes, [4, 4, 2]);
    assert_eq!(service.received().len(), 3);
}

#[tokio::test]
async fn pagination_stops_when_a_token_repeats() {
    let service = Service::start(|_, index| {
        ok(
            json!({"EngagementInvitationSummaries": [invitation(&format!("engi-{index}"))],
                  "NextToken": "same"}),
        )
    })
    .await;
    let (client, _) = service.client(None);
    let pages: Vec<_> = client
        .paginate_invitations(list_request(), None)
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(service.received().len(), 2);
}

#[tokio::test]
async fn pagination_yields_the_error_and_ends() {
    let service = Service::start(|_, index| match index {
        0 => ok(json!({"EngagementInvitationSummaries": [invitation("engi-0")], "NextToken": "t"})),
        _ => error(
            403,
            json!({"__type": "AccessDeniedException", "Message": "no"}),
        ),
    })
    .await;
    let (client, _) = service.client(None);
    let pages: Vec<_> = client
        .paginate_invitations(list_request(), None)
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_ok());
    assert!(matches!(pages[1], Err(Error::AccessDenied { .. })));
}

#[tokio::test]
async fn all_engagement_members_are_merged() {
    let service = Service::start(|request, _| {
        assert_eq!(
            request.header("x-amz-target"),
            Some("AWSPartnerCentralSelling.ListEngagementMembers")
        );
        let page = request.json()["NextToken"].as_str().map_or(0, |t| t.len());
        let next = (page < 2).then(|| "x".repeat(page + 1));
        ok(
            json!({"EngagementMemberList": [{"CompanyName": format!("Member {page}")}],
                  "NextToken": next}),
        )
    })
    .await;
    let (client, _) = service.client(None);
    let members = client
        .list_all_engagement_members("Sandbox", "eng-1")
        .await
        .unwrap();
    let names: Vec<_> = members
        .iter()
        .map(|m| m.company_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["Member 0", "Member 1", "Member 2"]);
    assert_eq!(service.received()[0].json()["Identifier"], "eng-1");
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let service = Service::start(|_, _| {
        ok(json!({"EngagementInvitationSummaries": [{
            "Id": "engi-1", "Catalog": "Sandbox", "Status": "WITHDRAWN",
            "PayloadType": "PartnerInvitation", "ParticipantType": "OBSERVER"}]}))
    })
    .await;
    let (client, _) = service.client(None);
    let response = client
        .list_engagement_invitations(&list_request())
        .await
        .unwrap();
    let summary = &response.engagement_invitation_summaries[0];
    assert_eq!(
        summary.status,
        Some(InvitationStatus::Unknown("WITHDRAWN".into()))
    );
    assert_eq!(
        summary.payload_type,
        Some(PayloadType::Unknown("PartnerInvitation".into()))
    );
    assert_eq!(
        summary.participant_type,
        Some(ParticipantType::Unknown("OBSERVER".into()))
    );
}

#[tokio::test]
async fn clock_skew_is_corrected_from_the_date_header() {
    // The service's clock is an hour ahead; it refuses signatures more than 5 minutes off.
    let service_now = || SystemTime::now() + Duration::from_secs(3600);
    let service = Service::start(move |request, _| {
        let now = service_now();
        let date = chrono::DateTime::<chrono::Utc>::from(now)
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let signed_at = request_time(&request.headers).unwrap();
        let off = now
            .duration_since(signed_at)
            .unwrap_or_else(|e| e.duration());
        if off > Duration::from_secs(300) {
            Reply::Answer(
                403,
                vec![("date", date)],
                json!({"__type": "InvalidSignatureException",
                       "message": "Signature expired: is now earlier than (now - 5 min.)"})
                .to_string(),
            )
        } else {
            Reply::Answer(200, vec![("date", date)], invitation("engi-1").to_string())
        }
    })
    .await;
    let (client, sleeper) = service.client(None);
    get_invitation(&client).await.unwrap();
    assert_eq!(service.received().len(), 2);
    assert!(sleeper.delays().is_empty(), "re-signing does not back off");
    let offset = client.clock_offset_ms();
    assert!((3_595_000..=3_605_000).contains(&offset), "{offset}");

    // The offset is kept: the next call is right the first time.
    get_invitation(&client).await.unwrap();
    let received = service.received();
    assert_eq!(received.len(), 3);
    received[2].verify(&received[2].body).unwrap();
}

#[tokio::test]
async fn a_real_signature_error_is_not_retried() {
    let service = Service::start(|_, _| {
        Reply::Answer(
            403,
            vec![("date", "Mon, 01 Jan 2024 00:00:00 GMT".into())],
            json!({"__type": "InvalidSignatureException",
                   "message": "The request signature we calculated does not match"})
            .to_string(),
        )
    })
    .await;
    let (client, _) = service.client(None);
    let failure = get_invitation(&client).await.unwrap_err();
    assert_eq!(failure.code(), "InvalidSignatureException");
    assert_eq!(service.received().len(), 1);
    assert_eq!(client.clock_offset_ms(), 0);
}

/// A client on `service` whose credentials come from `provider`, cached as in `Client::new`.
fn client_with_provider(service: &Service, provider: impl ProvideCredentials + 'static) -> Client {
    Client::with_credentials_provider(service.config(), SharedCredentialsProvider::new(provider))
        .unwrap()
}

/// A provider handing out credentials valid for an hour, `key(n)` the access key of its `n`th
/// answer (from 1), and the count of its answers.
fn hour_long_credentials(
    key: fn(u32) -> String,
    session_token: Option<&'static str>,
) -> (Arc<AtomicU32>, impl ProvideCredentials + 'static) {
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let provider = provide_credentials_fn(move || {
        let call = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let credentials = Credentials::new(
            key(call),
            SECRET,
            session_token.map(str::to_owned),
            Some(SystemTime::now() + Duration::from_secs(3600)),
            "test",
        );
        async move { Ok(credentials) }
    });
    (calls, provider)
}

#[tokio::test]
async fn provider_credentials_are_cached_across_calls_and_clones() {
    let service = Service::start(|_, _| ok(invitation("engi-1"))).await;
    let (calls, provider) = hour_long_credentials(|_| AKID.to_owned(), Some("TOKEN"));
    let client = client_with_provider(&service, provider);
    let clone = client.clone();
    get_invitation(&client).await.unwrap();
    get_invitation(&clone).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    for request in service.received() {
        request.verify(&request.body).unwrap();
    }
}

#[tokio::test]
async fn credentials_the_service_calls_expired_are_fetched_again() {
    let service = Service::start(|request, _| {
        if request.header("authorization").unwrap().contains("AKID1/") {
            error(
                403,
                json!({"__type": "ExpiredTokenException",
                              "message": "The security token included in the request is expired"}),
            )
        } else {
            ok(invitation("engi-1"))
        }
    })
    .await;
    let (calls, provider) = hour_long_credentials(|call| format!("AKID{call}"), None);
    let client = client_with_provider(&service, provider);
    get_invitation(&client).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(service.received().len(), 2);
}

#[tokio::test]
async fn missing_credentials_say_what_to_do_and_send_nothing() {
    let service = Service::start(|_, _| ok(invitation("engi-1"))).await;
    let client = client_with_provider(
        &service,
        provide_credentials_fn(|| async {
            Err(CredentialsError::not_loaded(
                "no providers in chain provided credentials",
            ))
        }),
    );
    let failure = get_invitation(&client).await.unwrap_err();
    assert!(matches!(failure, Error::Credentials(_)), "{failure:?}");
    let text = failure.to_string();
    assert!(
        text.contains("no providers in chain") && text.contains("--local"),
        "{text}"
    );
    assert!(service.received().is_empty());
}
