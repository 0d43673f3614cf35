//! The demo inbox: hand-written invitations and engagements from `assets/demo-invitations.json`,
//! with dates stored as days before the store's first start so the demo always looks current.
//!
//! The file leaves out what follows from the caller and the engagement: received invitations
//! go to the caller, sent ones come from the caller, titles and descriptions come from the
//! engagement, and the caller is a member of every engagement it sent or accepted an
//! invitation in.

use chrono::{Duration, SubsecRound};
use serde::Deserialize;

use super::ids;
use super::store::{Engagement, INVITATION_LIFETIME_DAYS, StoredInvitation, Store};
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

/// Adds the demo engagements and invitations to a new store.
pub fn load(store: &mut Store) -> anyhow::Result<()> {
    let demo: DemoFile = serde_json::from_str(DEMO_FILE)?;
    let first_start = store.first_start();
    let caller = store.caller().clone();
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
        let joined = d.participant_type == ParticipantType::Sender
            || d.status == InvitationStatus::Accepted;
        if joined
            && !engagement
                .members
                .iter()
                .any(|m| m.account_id.as_deref() == Some(caller.account_id.as_str()))
        {
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
            opportunity.project.target_completion_date =
                (sent.0 + Duration::days(days)).format("%Y-%m-%d").to_string();
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
            expiration_date: Some(Timestamp(
                sent.0 + Duration::days(INVITATION_LIFETIME_DAYS),
            )),
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
        store.insert_invitation(StoredInvitation {
            participant_type: d.participant_type,
            invitation,
        });
    }
    for engagement in engagements {
        store.insert_engagement(engagement);
    }
    Ok(())
}
