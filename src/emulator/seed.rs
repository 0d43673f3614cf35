//! `--seed-count N`: N generated invitations received in the Sandbox catalog, for benchmarks
//! and large inboxes. Invitation `i` is always the same (its own seeded generator), so seeding
//! a persistent store twice adds nothing new.

use std::ops::Range;

use chrono::{Duration, SubsecRound};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Transaction;

use super::ids;
use super::store::{self, Caller, Engagement, StoredInvitation, expiration_of};
use crate::api::model::{
    CATALOG_SANDBOX, CountryCode, CurrencyCode, EngagementCustomer, EngagementInvitation,
    EngagementMember, ExpectedCustomerSpend, Industry, InvitationStatus, LeadInvitationCustomer,
    LeadInvitationInteraction, LeadInvitationPayload, OpportunityInvitationPayload,
    ParticipantType, Payload, PaymentFrequency, ProjectDetails, ReceiverResponsibility,
    SenderContact, Timestamp,
};

/// Seeded invitations come from AWS, as most received invitations do.
const SENDER_ACCOUNT_ID: &str = "444455556666";
const SENDER_COMPANY_NAME: &str = "AWS";
/// Seeded invitations are spread over this many days before the first start.
const SPREAD_DAYS: i64 = 60;

const NAMES: &[&str] = &[
    "Acme",
    "Blue Harbor",
    "Cedar",
    "Delta Ridge",
    "Evergreen",
    "Fjord",
    "Granite",
    "Helios",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nordwind",
    "Orchid",
    "Pioneer",
    "Quarry",
    "Riverside",
    "Summit",
    "Tidewater",
];
const KINDS: &[&str] = &[
    "Logistics",
    "Health",
    "Retail Group",
    "Energy",
    "Bank",
    "Foods",
    "Robotics",
    "Media",
    "Insurance",
    "Labs",
];
const COUNTRIES: &[&str] = &["US", "DE", "FR", "GB", "JP", "BR", "IN", "AU", "CA", "SG"];
const CURRENCIES: &[&str] = &[
    "USD", "EUR", "EUR", "GBP", "JPY", "BRL", "INR", "AUD", "CAD", "SGD",
];
const PROJECTS: &[&str] = &[
    "Data lake migration",
    "Contact center modernisation",
    "SAP on AWS",
    "Generative AI assistant",
    "Mainframe modernisation",
    "Disaster recovery",
    "Analytics platform",
    "E-commerce replatforming",
];

/// Adds the seeded invitations `indexes` that the store does not have yet, in the caller's
/// transaction (100,000 of them commit at once).
pub fn add(
    t: &Transaction<'_>,
    caller: &Caller,
    first_start: Timestamp,
    indexes: Range<usize>,
) -> rusqlite::Result<()> {
    for index in indexes {
        let mut rng = StdRng::seed_from_u64(index as u64);
        let id = format!("engi-seed{index:09}");
        let engagement_id = format!("eng-seed{index:010}");
        let company = format!(
            "{} {}",
            NAMES[rng.random_range(0..NAMES.len())],
            KINDS[rng.random_range(0..KINDS.len())]
        );
        let country = rng.random_range(0..COUNTRIES.len());
        let project = PROJECTS[rng.random_range(0..PROJECTS.len())];
        let title = format!("{project} for {company}");
        let title: String = title.chars().take(40).collect();
        let website = format!(
            "https://www.{}.example.com",
            company.to_lowercase().replace(' ', "-")
        );
        let sent = Timestamp(
            (first_start.0 - Duration::seconds(rng.random_range(0..SPREAD_DAYS * 86_400)))
                .trunc_subsecs(3),
        );
        let status = match rng.random_range(0..10) {
            0..=5 => InvitationStatus::Pending,
            6..=7 => InvitationStatus::Accepted,
            _ => InvitationStatus::Rejected,
        };
        let payload = if rng.random_bool(0.7) {
            Payload::OpportunityInvitation(OpportunityInvitationPayload {
                sender_contacts: Some(vec![SenderContact {
                    email: format!("pdm{}@amazon.example.com", index % 100),
                    first_name: Some("Alex".into()),
                    last_name: Some("Rivera".into()),
                    business_title: Some("Partner Development Manager".into()),
                    phone: None,
                }]),
                receiver_responsibilities: vec![ReceiverResponsibility::ServicesPartner],
                customer: EngagementCustomer {
                    industry: Industry::ALL[rng.random_range(0..Industry::ALL.len())].clone(),
                    company_name: company.clone(),
                    website_url: website.clone(),
                    country_code: CountryCode(COUNTRIES[country].into()),
                },
                project: ProjectDetails {
                    business_problem: format!(
                        "{company} wants help with: {project}. The customer asked AWS for a \
                         partner with delivery experience in their region."
                    ),
                    title: title.clone(),
                    target_completion_date: (sent.0 + Duration::days(180))
                        .format("%Y-%m-%d")
                        .to_string(),
                    expected_customer_spend: vec![ExpectedCustomerSpend {
                        amount: Some(format!("{}", rng.random_range(1..500) * 1000)),
                        currency_code: CurrencyCode(CURRENCIES[country].into()),
                        frequency: PaymentFrequency::Monthly,
                        target_company: "AWS".into(),
                        estimation_url: None,
                    }],
                },
            })
        } else {
            Payload::LeadInvitation(LeadInvitationPayload {
                customer: LeadInvitationCustomer {
                    company_name: company.clone(),
                    website_url: Some(website.clone()),
                    country_code: Some(COUNTRIES[country].into()),
                    ..LeadInvitationCustomer::default()
                },
                interaction: LeadInvitationInteraction {
                    source_type: Some("Event".into()),
                    source_name: Some("AWS Summit".into()),
                    usecase: Some(project.into()),
                    contact_business_title: "Head of IT".into(),
                    ..LeadInvitationInteraction::default()
                },
            })
        };
        let mut members = vec![EngagementMember {
            company_name: Some(SENDER_COMPANY_NAME.into()),
            website_url: Some("https://aws.amazon.com".into()),
            account_id: Some(SENDER_ACCOUNT_ID.into()),
        }];
        if status == InvitationStatus::Accepted {
            members.push(caller.as_member());
        }
        let description = format!("AWS co-sell engagement: {project} for {company}.");
        store::insert_engagement(
            t,
            &Engagement {
                id: engagement_id.clone(),
                catalog: CATALOG_SANDBOX.into(),
                title: title.clone(),
                description: description.clone(),
                members,
            },
        )?;
        let stored = StoredInvitation {
            participant_type: ParticipantType::Receiver,
            invitation: EngagementInvitation {
                arn: Some(ids::invitation_arn(
                    &caller.account_id,
                    CATALOG_SANDBOX,
                    &id,
                )),
                payload_type: Some(payload.kind()),
                id,
                engagement_id: Some(engagement_id),
                engagement_title: Some(title),
                status: Some(status.clone()),
                invitation_date: Some(sent),
                expiration_date: Some(expiration_of(sent)),
                sender_aws_account_id: Some(SENDER_ACCOUNT_ID.into()),
                sender_company_name: Some(SENDER_COMPANY_NAME.into()),
                receiver: Some(caller.as_receiver()),
                catalog: CATALOG_SANDBOX.into(),
                rejection_reason: (status == InvitationStatus::Rejected)
                    .then(|| "Outside our delivery regions this quarter".to_owned()),
                payload: Some(payload),
                invitation_message: Some(format!(
                    "AWS invites you to co-sell {project} with {company}."
                )),
                engagement_description: Some(description),
                existing_members: None,
                enrichment_context: None,
            },
        };
        store::insert_invitation(t, &stored, first_start)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::ListEngagementInvitationsRequest;
    use crate::api::validate::validate_shape;
    use crate::emulator::database::Database;
    use crate::emulator::store::Store;

    fn seeded(count: usize) -> Store {
        let caller = Caller::new(crate::emulator::DEFAULT_CALLER_ACCOUNT_ID.into());
        let first_start = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
        let store = Store::open(Database::open_memory().unwrap(), caller, |_, _| {
            Ok(first_start)
        })
        .unwrap();
        seed(&store, 0..count);
        store
    }

    fn seed(store: &Store, indexes: Range<usize>) {
        store
            .write(|t| Ok(add(t, store.caller(), store.first_start(), indexes)?))
            .unwrap();
    }

    fn all_received(store: &Store) -> Vec<EngagementInvitation> {
        let listing = store
            .list_invitations(
                &ListEngagementInvitationsRequest {
                    catalog: CATALOG_SANDBOX.into(),
                    participant_type: ParticipantType::Receiver,
                    max_results: Some(100),
                    ..Default::default()
                },
                store.first_start(),
            )
            .unwrap();
        assert!(listing.next_token.is_none());
        listing
            .engagement_invitation_summaries
            .iter()
            .map(|s| {
                store
                    .get_invitation(CATALOG_SANDBOX, &s.id, store.first_start())
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn seeded_invitations_are_valid_received_sandbox_invitations() {
        let invitations = all_received(&seeded(60));
        assert_eq!(invitations.len(), 60);
        for invitation in &invitations {
            let document = serde_json::to_value(invitation).unwrap();
            let violations = validate_shape("GetEngagementInvitationResponse", &document, "");
            assert!(violations.is_empty(), "{}: {violations:?}", invitation.id);
            assert!(ids::is_invitation_id(&invitation.id));
            assert!(ids::is_engagement_id(
                invitation.engagement_id.as_deref().unwrap()
            ));
        }
        let kinds: std::collections::HashSet<_> =
            invitations.iter().map(|i| i.payload_type.clone()).collect();
        assert_eq!(kinds.len(), 2);
    }

    #[test]
    fn seeding_is_deterministic_and_adds_nothing_twice() {
        let first = seeded(30);
        let second = seeded(30);
        assert_eq!(all_received(&first), all_received(&second));
        seed(&second, 0..30);
        assert_eq!(all_received(&first), all_received(&second));
    }
}
