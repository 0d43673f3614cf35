//! The demo inbox: hand-written invitations and engagements from `assets/demo-invitations.json`,
//! with dates stored as days before the store's first start so the demo always looks current.
//!
//! The file leaves out what follows from the caller and the engagement: received invitations
//! go to the caller, sent ones come from the caller, titles and descriptions come from the
//! engagement, and the caller is a member of every engagement it sent or accepted an
//! invitation in.

use chrono::{Duration, SubsecRound};
use serde::Deserialize;

use rusqlite::Transaction;

use super::ids;
use super::store::{self, Caller, Engagement, StoredInvitation, expiration_of};
use crate::api::model::{
    EngagementInvitation, EngagementMember, EnrichmentContext, InvitationStatus, ParticipantType,
    Payload, Receiver, Timestamp,
};

const DEMO_FILE: &str = include_str!("../../assets/demo-invitations.json");

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DemoFile {
    engagements: Vec<DemoEngagement>,
    invitations: Vec<DemoInvitation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DemoEngagement {
    id: String,
    catalog: String,
    title: String,
    description: String,
    /// Members other than the caller.
    members: Vec<EngagementMember>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DemoInvitation {
    id: String,
    catalog: String,
    participant_type: ParticipantType,
    engagement_id: String,
    status: InvitationStatus,
    /// Days before the first start the invitation was sent (fractions allowed).
    invitation_days_ago: f64,
    /// An opportunity's TargetCompletionDate, in days after the invitation.
    #[serde(default)]
    target_completion_days_after_invitation: Option<i64>,
    /// Received invitations only.
    #[serde(default)]
    sender_aws_account_id: Option<String>,
    #[serde(default)]
    sender_company_name: Option<String>,
    /// Sent invitations only.
    #[serde(default)]
    receiver: Option<Receiver>,
    #[serde(default)]
    rejection_reason: Option<String>,
    invitation_message: String,
    payload: Payload,
    #[serde(default)]
    enrichment_context: Option<EnrichmentContext>,
}

/// Adds the demo engagements and invitations to a new store that first starts at
/// `first_start`.
pub fn load(t: &Transaction<'_>, caller: &Caller, first_start: Timestamp) -> anyhow::Result<()> {
    let demo: DemoFile = serde_json::from_str(DEMO_FILE)?;
    let mut engagements = Vec::with_capacity(demo.engagements.len());
    for e in demo.engagements {
        anyhow::ensure!(ids::is_engagement_id(&e.id), "demo engagement id {}", e.id);
        engagements.push(Engagement {
            id: e.id,
            catalog: e.catalog,
            title: e.title,
            description: e.description,
            members: e.members,
        });
    }
    for d in demo.invitations {
        anyhow::ensure!(ids::is_invitation_id(&d.id), "demo invitation id {}", d.id);
        let engagement = engagements
            .iter_mut()
            .find(|e| e.id == d.engagement_id && e.catalog == d.catalog)
            .ok_or_else(|| anyhow::anyhow!("{}: no engagement {}", d.id, d.engagement_id))?;
        let joined =
            d.participant_type == ParticipantType::Sender || d.status == InvitationStatus::Accepted;
        if joined && !engagement.has_member(&caller.account_id) {
            engagement.members.push(caller.as_member());
        }
        let sent = Timestamp(
            (first_start.0 - Duration::seconds((d.invitation_days_ago * 86_400.0) as i64))
                .trunc_subsecs(3),
        );
        let mut payload = d.payload;
        if let (Payload::OpportunityInvitation(opportunity), Some(days)) =
            (&mut payload, d.target_completion_days_after_invitation)
        {
            opportunity.project.target_completion_date = (sent.0 + Duration::days(days))
                .format("%Y-%m-%d")
                .to_string();
        }
        let (sender_account, sender_name, receiver) = match d.participant_type {
            ParticipantType::Sender => (
                Some(caller.account_id.clone()),
                Some(caller.company_name.clone()),
                d.receiver,
            ),
            _ => (
                d.sender_aws_account_id,
                d.sender_company_name,
                Some(caller.as_receiver()),
            ),
        };
        let invitation = EngagementInvitation {
            arn: Some(ids::invitation_arn(&caller.account_id, &d.catalog, &d.id)),
            payload_type: Some(payload.kind()),
            id: d.id,
            engagement_id: Some(engagement.id.clone()),
            engagement_title: Some(engagement.title.clone()),
            status: Some(d.status),
            invitation_date: Some(sent),
            expiration_date: Some(expiration_of(sent)),
            sender_aws_account_id: sender_account,
            sender_company_name: sender_name,
            receiver,
            catalog: d.catalog,
            rejection_reason: d.rejection_reason,
            payload: Some(payload),
            invitation_message: Some(d.invitation_message),
            engagement_description: Some(engagement.description.clone()),
            existing_members: None,
            enrichment_context: d.enrichment_context,
        };
        store::insert_invitation(
            t,
            &StoredInvitation {
                participant_type: d.participant_type,
                invitation,
            },
            first_start,
        )?;
    }
    for engagement in &engagements {
        store::insert_engagement(t, engagement)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::api::model::{
        CATALOG_AWS, CATALOG_SANDBOX, ListEngagementMembersRequest, PayloadType,
    };
    use crate::api::validate::validate_shape;
    use crate::emulator::database::Database;
    use crate::emulator::store::{INVITATION_LIFETIME_DAYS, Store, effective_status};

    fn demo_store() -> Store {
        let caller = Caller::new(crate::emulator::DEFAULT_CALLER_ACCOUNT_ID.into());
        Store::open(Database::open_memory().unwrap(), caller, |t, caller| {
            let first_start = Timestamp::now();
            load(t, caller, first_start)?;
            Ok(first_start)
        })
        .unwrap()
    }

    fn demo_invitations() -> Vec<EngagementInvitation> {
        let store = demo_store();
        let demo: DemoFile = serde_json::from_str(DEMO_FILE).unwrap();
        demo.invitations
            .iter()
            .map(|d| {
                store
                    .get_invitation(&d.catalog, &d.id, store.first_start())
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn every_demo_invitation_satisfies_the_model() {
        let invitations = demo_invitations();
        // The check does catch a broken record.
        let mut broken = serde_json::to_value(&invitations[0]).unwrap();
        broken["EngagementTitle"] = "x".repeat(41).into();
        assert!(!validate_shape("GetEngagementInvitationResponse", &broken, "").is_empty());
        for invitation in invitations {
            let document = serde_json::to_value(&invitation).unwrap();
            let violations = validate_shape("GetEngagementInvitationResponse", &document, "");
            assert!(violations.is_empty(), "{}: {violations:?}", invitation.id);
            assert!(ids::is_invitation_id(&invitation.id), "{}", invitation.id);
            assert!(ids::is_engagement_id(
                invitation.engagement_id.as_deref().unwrap()
            ));
            let arn = invitation.arn.as_deref().unwrap();
            assert_eq!(ids::id_from_identifier(arn), invitation.id);
            assert!(arn.starts_with("arn:aws:partnercentral::111122223333:"));
        }
    }

    #[test]
    fn each_catalog_has_a_full_inbox() {
        let store = demo_store();
        let now = store.first_start();
        let invitations = demo_invitations();
        for catalog in [CATALOG_AWS, CATALOG_SANDBOX] {
            let in_catalog: Vec<_> = invitations
                .iter()
                .filter(|i| i.catalog == catalog)
                .collect();
            let received: Vec<_> = in_catalog
                .iter()
                .filter(|i| {
                    i.receiver
                        .as_ref()
                        .is_some_and(|r| *r == store.caller().as_receiver())
                })
                .collect();
            let sent = in_catalog
                .iter()
                .filter(|i| i.sender_aws_account_id.as_deref() == Some("111122223333"))
                .count();
            assert!(
                received.len() >= 25,
                "{catalog}: {} received",
                received.len()
            );
            assert!(sent >= 5, "{catalog}: {sent} sent");
            let statuses: HashSet<_> = received.iter().map(|i| effective_status(i, now)).collect();
            assert_eq!(
                statuses.len(),
                InvitationStatus::ALL.len(),
                "{catalog}: {statuses:?}"
            );
            let kinds: HashSet<_> = received
                .iter()
                .filter_map(|i| i.payload_type.clone())
                .collect();
            assert_eq!(kinds.len(), PayloadType::ALL.len(), "{catalog}");
            let expiring_soon = received
                .iter()
                .filter(|i| {
                    effective_status(i, now) == InvitationStatus::Pending
                        && i.expiration_date.unwrap().0 - now.0 < Duration::days(3)
                })
                .count();
            assert!(
                expiring_soon >= 2,
                "{catalog}: {expiring_soon} expiring soon"
            );
            assert!(received.iter().any(|i| i.enrichment_context.is_some()));
            assert!(
                received
                    .iter()
                    .any(|i| i.sender_company_name.as_deref() != Some("AWS"))
            );
        }
        assert!(invitations.iter().any(|i| {
            serde_json::to_string(&i.payload)
                .unwrap()
                .contains("Müller Logistik GmbH")
        }));
        assert!(
            invitations
                .iter()
                .any(|i| !i.engagement_title.as_ref().unwrap().is_ascii())
        );
    }

    #[test]
    fn demo_dates_count_back_from_the_first_start() {
        let store = demo_store();
        for invitation in demo_invitations() {
            let sent = invitation.invitation_date.unwrap();
            assert!(sent <= store.first_start());
            assert_eq!(
                invitation.expiration_date.unwrap().0 - sent.0,
                Duration::days(INVITATION_LIFETIME_DAYS)
            );
        }
    }

    #[test]
    fn accepted_engagements_list_the_caller_among_their_members() {
        let store = demo_store();
        let accepted = demo_invitations()
            .into_iter()
            .find(|i| i.status == Some(InvitationStatus::Accepted))
            .unwrap();
        let mut request = ListEngagementMembersRequest {
            catalog: accepted.catalog.clone(),
            identifier: accepted.engagement_id.clone().unwrap(),
            max_results: None,
            next_token: None,
        };
        let mut members = Vec::new();
        loop {
            let page = store.list_members(&request).unwrap();
            members.extend(page.engagement_member_list);
            match page.next_token {
                Some(token) => request.next_token = Some(token),
                None => break,
            }
        }
        assert!(
            members
                .iter()
                .any(|m| m.account_id.as_deref() == Some("111122223333"))
        );
    }
}
