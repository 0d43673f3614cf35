//! Round trips against the embedded emulator: the `api` client for every operation, filter,
//! sort, page size, idempotency case, state transition and error, and raw HTTP for what the
//! client never sends (bad JSON, unknown targets, missing signatures).

mod support;

use std::collections::{BTreeSet, HashSet};

use futures::StreamExt;
use pcinbox::api::Error;
use pcinbox::api::client::Client;
use pcinbox::api::model::*;
use pcinbox::emulator::{
    self, Credentials, DEFAULT_CALLER_ACCOUNT_ID, EmulatorOptions, Faults, RunningEmulator, Storage,
};
use serde_json::{Value, json};

/// A SigV4 header of the right form; its signature is only checked with `--verify-credentials`.
const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=pcinbox-local/20260101/us-east-1/\
    partnercentral-selling/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
    Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Asserts that a call failed with the `Error` variant `$variant` (seen through any wrapping).
macro_rules! assert_fails {
    ($result:expr, $variant:path) => {{
        let error = $result.unwrap_err();
        assert!(matches!(error.root(), $variant { .. }), "{error}");
    }};
}

fn loopback() -> std::net::SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

async fn start_with(options: EmulatorOptions) -> RunningEmulator {
    emulator::start(EmulatorOptions {
        bind: loopback(),
        ..options
    })
    .await
    .unwrap()
}

async fn start() -> RunningEmulator {
    start_with(EmulatorOptions::default()).await
}

/// A client of `emulator` signing as `access_key_id`, one attempt per call.
fn client_for(emulator: &RunningEmulator, access_key_id: &str, secret: &str) -> Client {
    support::client_as(&emulator.endpoint(), 1, access_key_id, secret)
}

fn local_client(emulator: &RunningEmulator) -> Client {
    support::client(&emulator.endpoint(), 1)
}

fn listing(catalog: &str, participant: ParticipantType) -> ListEngagementInvitationsRequest {
    ListEngagementInvitationsRequest {
        catalog: catalog.into(),
        participant_type: participant,
        ..Default::default()
    }
}

/// Every summary of a listing, page by page with `max_results`, checking each page's size.
async fn collect(
    client: &Client,
    mut request: ListEngagementInvitationsRequest,
    max_results: Option<u32>,
) -> Vec<EngagementInvitationSummary> {
    request.max_results = max_results;
    let page_size = max_results.map_or(emulator::DEFAULT_PAGE_SIZE, |n| n as usize);
    let mut all = Vec::new();
    loop {
        let page = client.list_engagement_invitations(&request).await.unwrap();
        assert!(page.engagement_invitation_summaries.len() <= page_size);
        if page.next_token.is_some() {
            assert_eq!(page.engagement_invitation_summaries.len(), page_size);
        }
        all.extend(page.engagement_invitation_summaries);
        match page.next_token {
            Some(token) => request.next_token = Some(token),
            None => return all,
        }
    }
}

fn ids(summaries: &[EngagementInvitationSummary]) -> Vec<String> {
    summaries.iter().map(|s| s.id.clone()).collect()
}

fn sorted_by(order: SortOrder) -> Option<InvitationSort> {
    Some(InvitationSort {
        sort_order: order,
        sort_by: SortBy::InvitationDate,
    })
}

/// A received PENDING invitation of the demo (not yet expired).
async fn pending_received(client: &Client, catalog: &str) -> Vec<EngagementInvitationSummary> {
    let mut request = listing(catalog, ParticipantType::Receiver);
    request.status = Some(vec![InvitationStatus::Pending]);
    collect(client, request, Some(100)).await
}

/// An engagement the caller is a member of (it sent an invitation in it).
async fn joined_engagement(client: &Client, catalog: &str) -> String {
    let sent = collect(client, listing(catalog, ParticipantType::Sender), None).await;
    sent[0].engagement_id.clone().unwrap()
}

fn create_request(
    catalog: &str,
    engagement: &str,
    token: Option<&str>,
) -> CreateEngagementInvitationRequest {
    CreateEngagementInvitationRequest {
        catalog: catalog.into(),
        client_token: token.map(str::to_owned),
        engagement_identifier: engagement.into(),
        invitation: Invitation {
            message: "Could your team run the migration workshop for this customer?".into(),
            receiver: Receiver::Account(AccountReceiver {
                alias: Some("Globex Integrators".into()),
                aws_account_id: "555566667777".into(),
            }),
            payload: Payload::LeadInvitation(LeadInvitationPayload {
                customer: LeadInvitationCustomer {
                    company_name: "Müller Logistik GmbH".into(),
                    country_code: Some("DE".into()),
                    ..Default::default()
                },
                interaction: LeadInvitationInteraction {
                    contact_business_title: "CTO".into(),
                    usecase: Some("Data lake migration".into()),
                    ..Default::default()
                },
            }),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Listing

#[tokio::test]
async fn every_page_size_lists_the_same_invitations_in_the_same_order() {
    let emulator = start_with(EmulatorOptions {
        seed_count: 230,
        ..EmulatorOptions::default()
    })
    .await;
    let client = local_client(&emulator);
    for catalog in [CATALOG_SANDBOX, CATALOG_AWS] {
        for order in [SortOrder::Descending, SortOrder::Ascending] {
            let mut request = listing(catalog, ParticipantType::Receiver);
            request.sort = sorted_by(order.clone());
            let reference = ids(&collect(&client, request.clone(), Some(100)).await);
            let expected = if catalog == CATALOG_SANDBOX {
                25 + 230
            } else {
                25
            };
            assert_eq!(reference.len(), expected, "{catalog}");
            assert_eq!(reference.iter().collect::<HashSet<_>>().len(), expected);
            for size in [None, Some(1), Some(7), Some(10), Some(99)] {
                if size == Some(1) && catalog == CATALOG_SANDBOX {
                    continue; // 255 round trips prove nothing more than 7 does
                }
                let paged = ids(&collect(&client, request.clone(), size).await);
                assert_eq!(paged, reference, "{catalog} {order} page size {size:?}");
            }
        }
    }
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_paginator_yields_every_page() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let request = ListEngagementInvitationsRequest {
        max_results: Some(4),
        ..listing(CATALOG_AWS, ParticipantType::Receiver)
    };
    let pages: Vec<_> = client
        .paginate_invitations(request.clone(), None)
        .collect()
        .await;
    let streamed: Vec<String> = pages
        .into_iter()
        .flat_map(|page| ids(&page.unwrap()))
        .collect();
    assert_eq!(
        streamed,
        ids(&collect(&client, request.clone(), Some(4)).await)
    );
    let limited: usize = client
        .paginate_invitations(request, Some(6))
        .map(|page| page.unwrap().len())
        .fold(0, |sum, n| async move { sum + n })
        .await;
    assert_eq!(limited, 6);
}

#[tokio::test]
async fn listings_are_newest_first_unless_sorted_ascending() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let default = collect(
        &client,
        listing(CATALOG_SANDBOX, ParticipantType::Receiver),
        None,
    )
    .await;
    let dates: Vec<_> = default.iter().map(|s| s.invitation_date.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let mut ascending_request = listing(CATALOG_SANDBOX, ParticipantType::Receiver);
    ascending_request.sort = sorted_by(SortOrder::Ascending);
    let ascending = ids(&collect(&client, ascending_request, None).await);
    let mut descending = ids(&default);
    descending.reverse();
    assert_eq!(ascending, descending);
}

#[tokio::test]
async fn filters_select_exactly_the_matching_invitations() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let all = collect(
        &client,
        listing(CATALOG_AWS, ParticipantType::Receiver),
        Some(100),
    )
    .await;
    assert!(
        all.iter()
            .all(|s| s.participant_type == Some(ParticipantType::Receiver))
    );
    assert!(all.iter().all(|s| s.catalog == CATALOG_AWS));

    // Status: each value selects its rows, and together they partition the inbox.
    let mut by_status = 0;
    for status in InvitationStatus::ALL {
        let mut request = listing(CATALOG_AWS, ParticipantType::Receiver);
        request.status = Some(vec![status.clone()]);
        let rows = collect(&client, request, Some(3)).await;
        assert!(!rows.is_empty(), "{status}");
        assert!(rows.iter().all(|s| s.status.as_ref() == Some(status)));
        by_status += rows.len();
    }
    assert_eq!(by_status, all.len());
    let mut two = listing(CATALOG_AWS, ParticipantType::Receiver);
    two.status = Some(vec![InvitationStatus::Accepted, InvitationStatus::Rejected]);
    let expected = all
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                Some(InvitationStatus::Accepted | InvitationStatus::Rejected)
            )
        })
        .count();
    assert_eq!(collect(&client, two, Some(5)).await.len(), expected);

    // Payload type.
    for kind in PayloadType::ALL {
        let mut request = listing(CATALOG_AWS, ParticipantType::Receiver);
        request.payload_type = Some(vec![kind.clone()]);
        let rows = collect(&client, request, None).await;
        let expected: Vec<_> = all
            .iter()
            .filter(|s| s.payload_type.as_ref() == Some(kind))
            .collect();
        assert!(!rows.is_empty());
        assert_eq!(rows.len(), expected.len(), "{kind}");
    }

    // Engagement identifier, by id and by ARN.
    let target = &all[3];
    let engagement = target.engagement_id.clone().unwrap();
    for identifier in [
        engagement.clone(),
        format!("arn:aws:partnercentral::{DEFAULT_CALLER_ACCOUNT_ID}:AWS/engagement/{engagement}"),
    ] {
        let mut request = listing(CATALOG_AWS, ParticipantType::Receiver);
        request.engagement_identifier = Some(vec![identifier]);
        assert_eq!(
            ids(&collect(&client, request, None).await),
            vec![target.id.clone()]
        );
    }

    // Sender account.
    let partner_sent: Vec<_> = all
        .iter()
        .filter(|s| s.sender_aws_account_id.as_deref() != Some("444455556666"))
        .collect();
    assert!(!partner_sent.is_empty());
    let sender = partner_sent[0].sender_aws_account_id.clone().unwrap();
    let mut request = listing(CATALOG_AWS, ParticipantType::Receiver);
    request.sender_aws_account_id = Some(vec![sender.clone()]);
    let rows = collect(&client, request, None).await;
    assert_eq!(
        rows.len(),
        all.iter()
            .filter(|s| s.sender_aws_account_id.as_ref() == Some(&sender))
            .count()
    );

    // Filters combine (AND), and a page token works with them.
    let mut combined = listing(CATALOG_AWS, ParticipantType::Receiver);
    combined.status = Some(vec![InvitationStatus::Pending]);
    combined.payload_type = Some(vec![PayloadType::OpportunityInvitation]);
    let rows = collect(&client, combined, Some(2)).await;
    let expected = all
        .iter()
        .filter(|s| {
            s.status == Some(InvitationStatus::Pending)
                && s.payload_type == Some(PayloadType::OpportunityInvitation)
        })
        .count();
    assert!(expected > 2);
    assert_eq!(rows.len(), expected);

    // The other side of the inbox.
    let sent = collect(&client, listing(CATALOG_AWS, ParticipantType::Sender), None).await;
    assert!(sent.len() >= 5);
    assert!(sent.iter().all(|s| {
        s.participant_type == Some(ParticipantType::Sender)
            && s.sender_aws_account_id.as_deref() == Some(DEFAULT_CALLER_ACCOUNT_ID)
    }));
}

#[tokio::test]
async fn a_token_from_another_listing_is_a_validation_error() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let mut request = listing(CATALOG_SANDBOX, ParticipantType::Receiver);
    request.max_results = Some(2);
    let token = client
        .list_engagement_invitations(&request)
        .await
        .unwrap()
        .next_token;
    request.next_token = token;
    request.status = Some(vec![InvitationStatus::Pending]);
    let error = client
        .list_engagement_invitations(&request)
        .await
        .unwrap_err();
    let Error::Validation { errors, .. } = error.root() else {
        panic!("{error}")
    };
    assert_eq!(errors[0].field_name.as_deref(), Some("NextToken"));
}

// ---------------------------------------------------------------------------------------------
// Get

#[tokio::test]
async fn get_returns_what_the_listing_summarised() {
    let emulator = start().await;
    let client = local_client(&emulator);
    for catalog in [CATALOG_AWS, CATALOG_SANDBOX] {
        for participant in ParticipantType::ALL {
            for summary in collect(&client, listing(catalog, participant.clone()), None).await {
                let invitation = client
                    .get_engagement_invitation(catalog, &summary.id)
                    .await
                    .unwrap();
                assert_eq!(invitation.id, summary.id);
                assert_eq!(invitation.arn, summary.arn);
                assert_eq!(invitation.status, summary.status);
                assert_eq!(invitation.invitation_date, summary.invitation_date);
                assert_eq!(invitation.engagement_title, summary.engagement_title);
                assert_eq!(invitation.receiver, summary.receiver);
                assert_eq!(
                    invitation.payload.as_ref().map(Payload::kind),
                    summary.payload_type
                );
                assert!(invitation.existing_members.is_some_and(|m| !m.is_empty()));
                let by_arn = client
                    .get_engagement_invitation(catalog, summary.arn.as_deref().unwrap())
                    .await
                    .unwrap();
                assert_eq!(
                    by_arn,
                    client
                        .get_engagement_invitation(catalog, &summary.id)
                        .await
                        .unwrap()
                );
            }
        }
    }
}

#[tokio::test]
async fn unknown_invitations_are_not_found() {
    let emulator = start().await;
    let client = local_client(&emulator);
    assert_fails!(
        client
            .get_engagement_invitation(CATALOG_SANDBOX, "engi-zzzzzzzzzzzzz")
            .await,
        Error::ResourceNotFound
    );
    // An invitation exists in one catalog only.
    let aws = collect(
        &client,
        listing(CATALOG_AWS, ParticipantType::Receiver),
        Some(1),
    )
    .await;
    assert_fails!(
        client
            .get_engagement_invitation(CATALOG_SANDBOX, &aws[0].id)
            .await,
        Error::ResourceNotFound
    );
    assert_fails!(
        client
            .accept_engagement_invitation(CATALOG_SANDBOX, "engi-zzzzzzzzzzzzz")
            .await,
        Error::ResourceNotFound
    );
}

// ---------------------------------------------------------------------------------------------
// Accept and reject

#[tokio::test]
async fn accept_moves_a_pending_invitation_to_accepted_once() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let pending = pending_received(&client, CATALOG_SANDBOX).await;
    let target = &pending[0];
    let engagement = target.engagement_id.clone().unwrap();
    // Only members may list an engagement's members; accepting joins it.
    assert_fails!(
        client
            .list_all_engagement_members(CATALOG_SANDBOX, &engagement)
            .await,
        Error::AccessDenied
    );

    client
        .accept_engagement_invitation(CATALOG_SANDBOX, &target.id)
        .await
        .unwrap();
    let accepted = client
        .get_engagement_invitation(CATALOG_SANDBOX, &target.id)
        .await
        .unwrap();
    assert_eq!(accepted.status, Some(InvitationStatus::Accepted));
    let members = client
        .list_all_engagement_members(CATALOG_SANDBOX, &engagement)
        .await
        .unwrap();
    assert!(
        members
            .iter()
            .any(|m| m.account_id.as_deref() == Some(DEFAULT_CALLER_ACCOUNT_ID))
    );

    for again in [
        client
            .accept_engagement_invitation(CATALOG_SANDBOX, &target.id)
            .await,
        client
            .reject_engagement_invitation(&RejectEngagementInvitationRequest {
                catalog: CATALOG_SANDBOX.into(),
                identifier: target.id.clone(),
                rejection_reason: None,
            })
            .await,
    ] {
        assert_fails!(again, Error::Conflict);
    }
}

#[tokio::test]
async fn reject_keeps_the_reason() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let pending = pending_received(&client, CATALOG_AWS).await;
    let arn = pending[1].arn.clone().unwrap();
    client
        .reject_engagement_invitation(&RejectEngagementInvitationRequest {
            catalog: CATALOG_AWS.into(),
            identifier: arn.clone(),
            rejection_reason: Some("No capacity in São Paulo this quarter".into()),
        })
        .await
        .unwrap();
    let rejected = client
        .get_engagement_invitation(CATALOG_AWS, &arn)
        .await
        .unwrap();
    assert_eq!(rejected.status, Some(InvitationStatus::Rejected));
    assert_eq!(
        rejected.rejection_reason.as_deref(),
        Some("No capacity in São Paulo this quarter")
    );
    assert_fails!(
        client.accept_engagement_invitation(CATALOG_AWS, &arn).await,
        Error::Conflict
    );
}

#[tokio::test]
async fn expired_and_sent_invitations_cannot_be_answered() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let mut request = listing(CATALOG_SANDBOX, ParticipantType::Receiver);
    request.status = Some(vec![InvitationStatus::Expired]);
    let expired = collect(&client, request, None).await;
    assert!(!expired.is_empty());
    for summary in &expired {
        assert!(summary.expiration_date.unwrap().0 <= chrono::Utc::now());
        assert_fails!(
            client
                .accept_engagement_invitation(CATALOG_SANDBOX, &summary.id)
                .await,
            Error::Conflict
        );
    }
    let sent = collect(
        &client,
        listing(CATALOG_SANDBOX, ParticipantType::Sender),
        None,
    )
    .await;
    let pending_sent = sent
        .iter()
        .find(|s| s.status == Some(InvitationStatus::Pending))
        .unwrap();
    assert_fails!(
        client
            .accept_engagement_invitation(CATALOG_SANDBOX, &pending_sent.id)
            .await,
        Error::AccessDenied
    );
}

// ---------------------------------------------------------------------------------------------
// Create

#[tokio::test]
async fn create_sends_a_pending_invitation_listed_for_the_sender() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let engagement = joined_engagement(&client, CATALOG_SANDBOX).await;
    let before = chrono::Utc::now();
    let created = client
        .create_engagement_invitation(&create_request(CATALOG_SANDBOX, &engagement, None))
        .await
        .unwrap();
    let suffix = created.id.strip_prefix("engi-").unwrap();
    assert_eq!(suffix.len(), 13);
    assert!(
        suffix
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    );
    assert_eq!(
        created.arn,
        format!(
            "arn:aws:partnercentral::{DEFAULT_CALLER_ACCOUNT_ID}:Sandbox/engagement-invitation/{}",
            created.id
        )
    );

    let sent = collect(
        &client,
        listing(CATALOG_SANDBOX, ParticipantType::Sender),
        None,
    )
    .await;
    assert_eq!(sent[0].id, created.id, "newest first");
    let invitation = client
        .get_engagement_invitation(CATALOG_SANDBOX, &created.id)
        .await
        .unwrap();
    assert_eq!(invitation.status, Some(InvitationStatus::Pending));
    assert_eq!(invitation.payload_type, Some(PayloadType::LeadInvitation));
    assert_eq!(
        invitation.engagement_id.as_deref(),
        Some(engagement.as_str())
    );
    assert_eq!(
        invitation.sender_aws_account_id.as_deref(),
        Some(DEFAULT_CALLER_ACCOUNT_ID)
    );
    let sent_at = invitation.invitation_date.unwrap().0;
    assert!(sent_at >= before - chrono::Duration::milliseconds(1) && sent_at <= chrono::Utc::now());
    assert_eq!(
        invitation.expiration_date.unwrap().0 - sent_at,
        chrono::Duration::days(15)
    );
    let request = create_request(CATALOG_SANDBOX, &engagement, None);
    assert_eq!(invitation.payload, Some(request.invitation.payload));
    assert_eq!(invitation.receiver, Some(request.invitation.receiver));
    // It is not in the received inbox.
    let received = collect(
        &client,
        listing(CATALOG_SANDBOX, ParticipantType::Receiver),
        Some(100),
    )
    .await;
    assert!(!ids(&received).contains(&created.id));
}

#[tokio::test]
async fn client_token_makes_create_idempotent() {
    let emulator = start().await;
    let client = local_client(&emulator);
    let engagement = joined_engagement(&client, CATALOG_AWS).await;
    let request = create_request(
        CATALOG_AWS,
        &engagement,
        Some("7b0e9a53-7a1c-4c7e-9d0c-2f1b9a0f0c11"),
    );
    let first = client.create_engagement_invitation(&request).await.unwrap();
    let again = client.create_engagement_invitation(&request).await.unwrap();
    assert_eq!(first, again);
    let sent = collect(&client, listing(CATALOG_AWS, ParticipantType::Sender), None).await;
    assert_eq!(sent.iter().filter(|s| s.id == first.id).count(), 1);

    let mut changed = request.clone();
    changed.invitation.message = "A different message".into();
    assert_fails!(
        client.create_engagement_invitation(&changed).await,
        Error::Conflict
    );

    // Another token is another invitation.
    let other = create_request(CATALOG_AWS, &engagement, Some("another-token"));
    assert_ne!(
        client
            .create_engagement_invitation(&other)
            .await
            .unwrap()
            .id,
        first.id
    );
}

#[tokio::test]
async fn create_needs_an_engagement_the_caller_belongs_to() {
    let emulator = start().await;
    let client = local_client(&emulator);
    assert_fails!(
        client
            .create_engagement_invitation(&create_request(
                CATALOG_SANDBOX,
                "eng-zzzzzzzzzzzzzz",
                None
            ))
            .await,
        Error::ResourceNotFound
    );
    let pending = pending_received(&client, CATALOG_SANDBOX).await;
    let not_joined = pending[0].engagement_id.clone().unwrap();
    assert_fails!(
        client
            .create_engagement_invitation(&create_request(CATALOG_SANDBOX, &not_joined, None))
            .await,
        Error::AccessDenied
    );
}

// ---------------------------------------------------------------------------------------------
// Members

#[tokio::test]
async fn members_come_in_pages_of_at_most_ten() {
    let emulator = start().await;
    let client = local_client(&emulator);
    for catalog in [CATALOG_AWS, CATALOG_SANDBOX] {
        // The demo's consortium engagement has more members than one page holds.
        let mut largest = (0, String::new());
        let mut request = listing(catalog, ParticipantType::Receiver);
        request.status = Some(vec![InvitationStatus::Accepted]);
        for summary in collect(&client, request, None).await {
            let engagement = summary.engagement_id.unwrap();
            let members = client
                .list_all_engagement_members(catalog, &engagement)
                .await
                .unwrap();
            if members.len() > largest.0 {
                largest = (members.len(), engagement);
            }
        }
        let (count, engagement) = largest;
        assert!(count > 10, "{catalog}: {count}");
        let mut seen = Vec::new();
        let mut request = ListEngagementMembersRequest {
            catalog: catalog.into(),
            identifier: engagement.clone(),
            max_results: Some(4),
            next_token: None,
        };
        loop {
            let page = client.list_engagement_members(&request).await.unwrap();
            assert!(page.engagement_member_list.len() <= 4);
            seen.extend(page.engagement_member_list);
            match page.next_token {
                Some(token) => request.next_token = Some(token),
                None => break,
            }
        }
        assert_eq!(seen.len(), count);
        assert!(seen.iter().all(|m| m.account_id.is_some()));
        let first_page = client
            .list_engagement_members(&ListEngagementMembersRequest {
                catalog: catalog.into(),
                identifier: engagement,
                max_results: None,
                next_token: None,
            })
            .await
            .unwrap();
        assert_eq!(first_page.engagement_member_list.len(), 10);
    }
}

// ---------------------------------------------------------------------------------------------
// Persistence, seeding and faults

#[tokio::test]
async fn state_survives_a_restart_from_the_store_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("emulator.sqlite3");
    let options = EmulatorOptions {
        storage: Storage::File(file.clone()),
        ..EmulatorOptions::default()
    };
    let emulator = start_with(options.clone()).await;
    let client = local_client(&emulator);
    let target = pending_received(&client, CATALOG_SANDBOX).await[0]
        .id
        .clone();
    let first_listing = ids(&collect(
        &client,
        listing(CATALOG_SANDBOX, ParticipantType::Receiver),
        None,
    )
    .await);
    client
        .accept_engagement_invitation(CATALOG_SANDBOX, &target)
        .await
        .unwrap();
    emulator.shutdown().await.unwrap();

    let emulator = start_with(options).await;
    let client = local_client(&emulator);
    let invitation = client
        .get_engagement_invitation(CATALOG_SANDBOX, &target)
        .await
        .unwrap();
    assert_eq!(invitation.status, Some(InvitationStatus::Accepted));
    // The demo was not loaded a second time, and its dates did not move.
    let second_listing = ids(&collect(
        &client,
        listing(CATALOG_SANDBOX, ParticipantType::Receiver),
        None,
    )
    .await);
    assert_eq!(first_listing, second_listing);
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_corrupt_store_file_is_set_aside_and_the_demo_served() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("emulator.sqlite3");
    std::fs::write(&file, "{ not a database").unwrap();
    let emulator = start_with(EmulatorOptions {
        storage: Storage::File(file.clone()),
        ..EmulatorOptions::default()
    })
    .await;
    let aside = emulator
        .store()
        .set_aside
        .clone()
        .expect("the report says so");
    assert_eq!(std::fs::read(&aside).unwrap(), b"{ not a database");
    let client = local_client(&emulator);
    let inbox = collect(
        &client,
        listing(CATALOG_SANDBOX, ParticipantType::Receiver),
        None,
    )
    .await;
    assert_eq!(inbox.len(), 25);
    let names: BTreeSet<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.contains("emulator.sqlite3"), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("emulator.sqlite3.corrupt-")),
        "{names:?}"
    );
}

#[tokio::test]
async fn injected_faults_answer_with_the_model_errors() {
    let throttled = start_with(EmulatorOptions {
        faults: Faults {
            throttle_rate: 1.0,
            ..Faults::default()
        },
        ..EmulatorOptions::default()
    })
    .await;
    assert_fails!(
        local_client(&throttled)
            .list_engagement_invitations(&listing(CATALOG_SANDBOX, ParticipantType::Receiver))
            .await,
        Error::Throttling
    );

    let failing = start_with(EmulatorOptions {
        faults: Faults {
            error_rate: 1.0,
            ..Faults::default()
        },
        ..EmulatorOptions::default()
    })
    .await;
    assert_fails!(
        local_client(&failing)
            .get_engagement_invitation(CATALOG_SANDBOX, "engi-zzzzzzzzzzzzz")
            .await,
        Error::InternalServer
    );
}

#[tokio::test]
async fn verified_credentials_accept_good_signatures_and_refuse_others() {
    let emulator = start_with(EmulatorOptions {
        verify_credentials: Some(Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        }),
        ..EmulatorOptions::default()
    })
    .await;
    let good = client_for(
        &emulator,
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    );
    let inbox = collect(
        &good,
        listing(CATALOG_SANDBOX, ParticipantType::Receiver),
        None,
    )
    .await;
    assert_eq!(inbox.len(), 25);
    let bad = client_for(&emulator, "AKIDEXAMPLE", "not-the-secret");
    let error = bad
        .list_engagement_invitations(&listing(CATALOG_SANDBOX, ParticipantType::Receiver))
        .await
        .unwrap_err();
    match error.root() {
        Error::Unknown { code, status, .. } => {
            assert_eq!((code.as_str(), *status), ("InvalidSignatureException", 403));
        }
        other => panic!("{other}"),
    }
    let stranger = client_for(
        &emulator,
        "AKIDSTRANGER",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    );
    let error = stranger
        .get_engagement_invitation(CATALOG_SANDBOX, "engi-zzzzzzzzzzzzz")
        .await
        .unwrap_err();
    match error.root() {
        Error::Unknown { code, status, .. } => {
            assert_eq!(
                (code.as_str(), *status),
                ("UnrecognizedClientException", 403)
            );
        }
        other => panic!("{other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The wire, as other clients see it

async fn post(
    emulator: &RunningEmulator,
    target: Option<&str>,
    authorization: Option<&str>,
    body: &str,
) -> (u16, reqwest::header::HeaderMap, String) {
    // pcinbox's own pool: reqwest is built without a TLS crypto provider of its own.
    let http = pcinbox::api::transport::plain_http_client(
        std::time::Duration::from_secs(10),
        std::time::Duration::from_secs(60),
    );
    let mut request = http
        .post(emulator.endpoint())
        .header("content-type", "application/x-amz-json-1.0")
        .body(body.to_owned());
    if let Some(target) = target {
        request = request.header("x-amz-target", target);
    }
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

async fn call(emulator: &RunningEmulator, operation: &str, body: Value) -> (u16, Value) {
    let target = format!("AWSPartnerCentralSelling.{operation}");
    let (status, headers, text) = post(
        emulator,
        Some(&target),
        Some(AUTHORIZATION),
        &body.to_string(),
    )
    .await;
    assert_eq!(headers["content-type"], "application/x-amz-json-1.0");
    assert!(!headers["x-amzn-requestid"].is_empty());
    (
        status,
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        },
    )
}

#[tokio::test]
async fn requests_breaking_the_model_get_a_validation_exception_naming_each_field() {
    let emulator = start().await;
    let (status, body) = call(
        &emulator,
        "ListEngagementInvitations",
        json!({"Catalog": "Sandbox", "ParticipantType": "BYSTANDER", "MaxResults": 101}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["__type"],
        "com.amazonaws.partnercentralselling#ValidationException"
    );
    assert_eq!(body["Reason"], "REQUEST_VALIDATION_FAILED");
    let fields: BTreeSet<&str> = body["ErrorList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["FieldName"].as_str().unwrap())
        .collect();
    assert_eq!(fields, BTreeSet::from(["MaxResults", "ParticipantType"]));
    assert!(
        body["ErrorList"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["Code"].is_string() && e["Message"].is_string())
    );

    let (status, body) = call(
        &emulator,
        "GetEngagementInvitation",
        json!({"Catalog": "Sandbox"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["ErrorList"][0]["FieldName"], "Identifier");
    assert_eq!(body["ErrorList"][0]["Code"], "REQUIRED_FIELD_MISSING");

    let (status, body) = call(
        &emulator,
        "ListEngagementInvitations",
        json!({"Catalog": "Galaxy", "ParticipantType": "RECEIVER"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["ErrorList"][0]["FieldName"], "Catalog");
}

#[tokio::test]
async fn responses_carry_exactly_the_model_members() {
    let emulator = start().await;
    let (status, body) = call(
        &emulator,
        "ListEngagementInvitations",
        json!({"Catalog": "Sandbox", "ParticipantType": "RECEIVER", "MaxResults": 100}),
    )
    .await;
    assert_eq!(status, 200);
    let summaries = body["EngagementInvitationSummaries"].as_array().unwrap();
    for summary in summaries {
        let violations =
            pcinbox::api::validate::validate_shape("EngagementInvitationSummary", summary, "");
        assert!(violations.is_empty(), "{violations:?}");
        let date = summary["InvitationDate"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(date).is_ok(), "{date}");
        let (status, invitation) = call(
            &emulator,
            "GetEngagementInvitation",
            json!({"Catalog": "Sandbox", "Identifier": summary["Id"]}),
        )
        .await;
        assert_eq!(status, 200);
        let violations = pcinbox::api::validate::validate_shape(
            "GetEngagementInvitationResponse",
            &invitation,
            "",
        );
        assert!(violations.is_empty(), "{violations:?}");
    }
    let pending = summaries.iter().find(|s| s["Status"] == "PENDING").unwrap();
    let (status, body) = call(
        &emulator,
        "AcceptEngagementInvitation",
        json!({"Catalog": "Sandbox", "Identifier": pending["Id"]}),
    )
    .await;
    assert_eq!((status, body), (200, Value::Null), "empty body");
}

#[tokio::test]
async fn protocol_errors_use_the_aws_front_end_encoding() {
    let emulator = start().await;
    let target = Some("AWSPartnerCentralSelling.ListEngagementInvitations");
    let body = r#"{"Catalog":"Sandbox","ParticipantType":"RECEIVER"}"#;
    let cases = [
        (
            Some("AWSPartnerCentralSelling.DeleteEverything"),
            Some(AUTHORIZATION),
            body,
            400,
            "UnknownOperationException",
        ),
        (
            None,
            Some(AUTHORIZATION),
            body,
            400,
            "UnknownOperationException",
        ),
        (
            target,
            Some(AUTHORIZATION),
            "{\"Catalog\": ",
            400,
            "SerializationException",
        ),
        (
            target,
            Some(AUTHORIZATION),
            "[1, 2]",
            400,
            "SerializationException",
        ),
        (
            target,
            None,
            body,
            403,
            "MissingAuthenticationTokenException",
        ),
        (
            target,
            Some("Basic dXNlcjpwYXNz"),
            body,
            403,
            "IncompleteSignatureException",
        ),
    ];
    for (target, authorization, body, status, code) in cases {
        let (got_status, _, text) = post(&emulator, target, authorization, body).await;
        let error: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(got_status, status, "{code}: {text}");
        let type_id = error["__type"].as_str().unwrap();
        assert_eq!(type_id.rsplit('#').next(), Some(code), "{text}");
        assert!(error["Message"].is_string());
    }
    // An empty body is an empty request object: here, one missing its required members.
    let (status, _, text) = post(&emulator, target, Some(AUTHORIZATION), "").await;
    assert_eq!(status, 400);
    assert!(text.contains("ValidationException"), "{text}");
}

#[tokio::test]
async fn a_wrong_signature_is_refused_when_credentials_are_verified() {
    let emulator = start_with(EmulatorOptions {
        verify_credentials: Some("pcinbox-local:secret".parse().unwrap()),
        ..EmulatorOptions::default()
    })
    .await;
    let (status, _, text) = post(
        &emulator,
        Some("AWSPartnerCentralSelling.ListEngagementInvitations"),
        Some(AUTHORIZATION),
        r#"{"Catalog":"Sandbox","ParticipantType":"RECEIVER"}"#,
    )
    .await;
    assert_eq!(status, 403);
    assert!(text.contains("#InvalidSignatureException"), "{text}");
}
