//! The composer's fields: which exist for a draft (in tab order), what each is called, how it
//! is edited, where it sits in the request (so validation messages land on the right field), and
//! how to read and write its text in the [`Draft`].

use super::draft::{ContactDraft, Draft, PayloadKind, SpendDraft};
use crate::api::codes::{COUNTRIES, CURRENCIES};
use crate::api::model::{Industry, ReceiverResponsibility};

/// The most entries the model allows in each repeated group.
pub const MAX_SPENDS: usize = 10;
pub const MAX_CONTACTS: usize = 3;
/// The model needs at least one sender contact when the list is sent.
pub const MIN_CONTACTS: usize = 1;

/// One focusable place in the form. Indexed variants belong to a repeated group's entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldId {
    EngagementIdentifier,
    Catalog,
    ReceiverAccount,
    ReceiverAlias,
    Message,
    Kind,
    OppCompany,
    OppIndustry,
    OppCountry,
    OppWebsite,
    ProjectTitle,
    BusinessProblem,
    TargetDate,
    SpendAmount(usize),
    SpendCurrency(usize),
    SpendFrequency(usize),
    SpendTargetCompany(usize),
    SpendEstimationUrl(usize),
    RemoveSpend(usize),
    AddSpend,
    Responsibilities,
    ContactEmail(usize),
    ContactFirstName(usize),
    ContactLastName(usize),
    ContactTitle(usize),
    ContactPhone(usize),
    RemoveContact(usize),
    AddContact,
    LeadCompany,
    LeadIndustry,
    LeadCountry,
    LeadWebsite,
    LeadAwsMaturity,
    LeadMarketSegment,
    LeadSourceType,
    LeadSourceId,
    LeadSourceName,
    LeadUsecase,
    LeadContactTitle,
}

/// How a field is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text {
        multiline: bool,
    },
    /// One value from a list, chosen in a fuzzy picker.
    Pick(Options),
    /// Several values from a list.
    MultiPick(Options),
    /// Opportunity or Lead, flipped in place.
    KindToggle,
    /// A button: adds or removes a repeated group's entry.
    Button,
}

/// The value lists pickers offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Options {
    Catalogs,
    Countries,
    Currencies,
    Industries,
    Frequencies,
    Responsibilities,
}

impl Options {
    /// `(value, description)` pairs; the description is matched too ("germany" finds DE).
    pub fn entries(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Options::Catalogs => vec![("Sandbox", "testing"), ("AWS", "live")],
            Options::Countries => COUNTRIES.to_vec(),
            Options::Currencies => CURRENCIES.to_vec(),
            Options::Industries => Industry::ALL.iter().map(|i| (i.as_str(), "")).collect(),
            Options::Frequencies => vec![("Monthly", "")],
            Options::Responsibilities => ReceiverResponsibility::ALL
                .iter()
                .map(|r| (r.as_str(), ""))
                .collect(),
        }
    }
}

/// Where a field sits in the model: the structure shape and member (for the rule shown beside
/// it) and its path in the request (for validation messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelPlace {
    pub structure: &'static str,
    pub member: &'static str,
    pub path: String,
}

const OPP: &str = "Invitation.Payload.OpportunityInvitation";
const LEAD: &str = "Invitation.Payload.LeadInvitation";

fn place(structure: &'static str, member: &'static str, path: String) -> Option<ModelPlace> {
    Some(ModelPlace {
        structure,
        member,
        path,
    })
}

impl FieldId {
    /// What the user reads beside the field.
    pub fn label(self) -> String {
        use FieldId::*;
        match self {
            EngagementIdentifier => "Engagement identifier".into(),
            Catalog => "Catalog".into(),
            ReceiverAccount => "Receiver account id".into(),
            ReceiverAlias => "Receiver alias".into(),
            Message => "Message".into(),
            Kind => "Payload kind".into(),
            OppCompany | LeadCompany => "Customer company".into(),
            OppIndustry | LeadIndustry => "Customer industry".into(),
            OppCountry | LeadCountry => "Customer country".into(),
            OppWebsite | LeadWebsite => "Customer website".into(),
            ProjectTitle => "Project title".into(),
            BusinessProblem => "Business problem".into(),
            TargetDate => "Target completion date".into(),
            SpendAmount(i) => format!("Spend {} amount", i + 1),
            SpendCurrency(i) => format!("Spend {} currency", i + 1),
            SpendFrequency(i) => format!("Spend {} frequency", i + 1),
            SpendTargetCompany(i) => format!("Spend {} target company", i + 1),
            SpendEstimationUrl(i) => format!("Spend {} estimation URL", i + 1),
            RemoveSpend(i) => format!("Remove spend {}", i + 1),
            AddSpend => "Add a spend entry".into(),
            Responsibilities => "Receiver responsibilities".into(),
            ContactEmail(i) => format!("Contact {} email", i + 1),
            ContactFirstName(i) => format!("Contact {} first name", i + 1),
            ContactLastName(i) => format!("Contact {} last name", i + 1),
            ContactTitle(i) => format!("Contact {} title", i + 1),
            ContactPhone(i) => format!("Contact {} phone", i + 1),
            RemoveContact(i) => format!("Remove contact {}", i + 1),
            AddContact => "Add a contact".into(),
            LeadAwsMaturity => "Customer AWS maturity".into(),
            LeadMarketSegment => "Customer market segment".into(),
            LeadSourceType => "Interaction source type".into(),
            LeadSourceId => "Interaction source id".into(),
            LeadSourceName => "Interaction source name".into(),
            LeadUsecase => "Interaction use case".into(),
            LeadContactTitle => "Contact business title".into(),
        }
    }

    /// The repeated group's entry a Remove button removes ("spend 2"), as the confirmation
    /// names it.
    pub fn entry_name(self) -> String {
        match self {
            FieldId::RemoveSpend(i) => format!("spend {}", i + 1),
            FieldId::RemoveContact(i) => format!("contact {}", i + 1),
            other => other.label(),
        }
    }

    pub fn kind(self) -> FieldKind {
        use FieldId::*;
        match self {
            Catalog => FieldKind::Pick(Options::Catalogs),
            Kind => FieldKind::KindToggle,
            OppIndustry => FieldKind::Pick(Options::Industries),
            OppCountry | LeadCountry => FieldKind::Pick(Options::Countries),
            SpendCurrency(_) => FieldKind::Pick(Options::Currencies),
            SpendFrequency(_) => FieldKind::Pick(Options::Frequencies),
            Responsibilities => FieldKind::MultiPick(Options::Responsibilities),
            RemoveSpend(_) | AddSpend | RemoveContact(_) | AddContact => FieldKind::Button,
            Message | BusinessProblem | LeadUsecase => FieldKind::Text { multiline: true },
            _ => FieldKind::Text { multiline: false },
        }
    }

    /// The field's place in the model; `None` for the kind toggle and the buttons.
    pub fn model_place(self) -> Option<ModelPlace> {
        use FieldId::*;
        let spend = |i: usize, member| {
            place(
                "ExpectedCustomerSpend",
                member,
                format!("{OPP}.Project.ExpectedCustomerSpend[{i}].{member}"),
            )
        };
        let contact = |i: usize, member| {
            place(
                "SenderContact",
                member,
                format!("{OPP}.SenderContacts[{i}].{member}"),
            )
        };
        let customer = |member| {
            place(
                "EngagementCustomer",
                member,
                format!("{OPP}.Customer.{member}"),
            )
        };
        let project = |member| place("ProjectDetails", member, format!("{OPP}.Project.{member}"));
        let lead_customer = |member| {
            place(
                "LeadInvitationCustomer",
                member,
                format!("{LEAD}.Customer.{member}"),
            )
        };
        let interaction = |member| {
            place(
                "LeadInvitationInteraction",
                member,
                format!("{LEAD}.Interaction.{member}"),
            )
        };
        match self {
            EngagementIdentifier => place(
                "CreateEngagementInvitationRequest",
                "EngagementIdentifier",
                "EngagementIdentifier".into(),
            ),
            Catalog => place(
                "CreateEngagementInvitationRequest",
                "Catalog",
                "Catalog".into(),
            ),
            ReceiverAccount => place(
                "AccountReceiver",
                "AwsAccountId",
                "Invitation.Receiver.Account.AwsAccountId".into(),
            ),
            ReceiverAlias => place(
                "AccountReceiver",
                "Alias",
                "Invitation.Receiver.Account.Alias".into(),
            ),
            Message => place("Invitation", "Message", "Invitation.Message".into()),
            Kind | RemoveSpend(_) | AddSpend | RemoveContact(_) | AddContact => None,
            OppCompany => customer("CompanyName"),
            OppIndustry => customer("Industry"),
            OppCountry => customer("CountryCode"),
            OppWebsite => customer("WebsiteUrl"),
            ProjectTitle => project("Title"),
            BusinessProblem => project("BusinessProblem"),
            TargetDate => project("TargetCompletionDate"),
            SpendAmount(i) => spend(i, "Amount"),
            SpendCurrency(i) => spend(i, "CurrencyCode"),
            SpendFrequency(i) => spend(i, "Frequency"),
            SpendTargetCompany(i) => spend(i, "TargetCompany"),
            SpendEstimationUrl(i) => spend(i, "EstimationUrl"),
            Responsibilities => place(
                "OpportunityInvitationPayload",
                "ReceiverResponsibilities",
                format!("{OPP}.ReceiverResponsibilities"),
            ),
            ContactEmail(i) => contact(i, "Email"),
            ContactFirstName(i) => contact(i, "FirstName"),
            ContactLastName(i) => contact(i, "LastName"),
            ContactTitle(i) => contact(i, "BusinessTitle"),
            ContactPhone(i) => contact(i, "Phone"),
            LeadCompany => lead_customer("CompanyName"),
            LeadIndustry => lead_customer("Industry"),
            LeadCountry => lead_customer("CountryCode"),
            LeadWebsite => lead_customer("WebsiteUrl"),
            LeadAwsMaturity => lead_customer("AwsMaturity"),
            LeadMarketSegment => lead_customer("MarketSegment"),
            LeadSourceType => interaction("SourceType"),
            LeadSourceId => interaction("SourceId"),
            LeadSourceName => interaction("SourceName"),
            LeadUsecase => interaction("Usecase"),
            LeadContactTitle => interaction("ContactBusinessTitle"),
        }
    }

    /// The field's text in `draft` (a multi-pick's values joined by ", ").
    pub fn value(self, draft: &Draft) -> String {
        use FieldId::*;
        let o = &draft.opportunity;
        let l = &draft.lead;
        let spend = |i: usize, get: fn(&SpendDraft) -> &String| {
            o.spends.get(i).map(get).cloned().unwrap_or_default()
        };
        let contact = |i: usize, get: fn(&ContactDraft) -> &String| {
            o.contacts.get(i).map(get).cloned().unwrap_or_default()
        };
        match self {
            EngagementIdentifier => draft.engagement_identifier.clone(),
            Catalog => draft.catalog.clone(),
            ReceiverAccount => draft.receiver_account.clone(),
            ReceiverAlias => draft.receiver_alias.clone(),
            Message => draft.message.clone(),
            Kind => draft.kind.label().into(),
            OppCompany => o.company_name.clone(),
            OppIndustry => o.industry.clone(),
            OppCountry => o.country_code.clone(),
            OppWebsite => o.website_url.clone(),
            ProjectTitle => o.project_title.clone(),
            BusinessProblem => o.business_problem.clone(),
            TargetDate => o.target_completion_date.clone(),
            SpendAmount(i) => spend(i, |s| &s.amount),
            SpendCurrency(i) => spend(i, |s| &s.currency),
            SpendFrequency(i) => spend(i, |s| &s.frequency),
            SpendTargetCompany(i) => spend(i, |s| &s.target_company),
            SpendEstimationUrl(i) => spend(i, |s| &s.estimation_url),
            Responsibilities => o.responsibilities.join(", "),
            ContactEmail(i) => contact(i, |c| &c.email),
            ContactFirstName(i) => contact(i, |c| &c.first_name),
            ContactLastName(i) => contact(i, |c| &c.last_name),
            ContactTitle(i) => contact(i, |c| &c.business_title),
            ContactPhone(i) => contact(i, |c| &c.phone),
            RemoveSpend(_) | AddSpend | RemoveContact(_) | AddContact => String::new(),
            LeadCompany => l.company_name.clone(),
            LeadIndustry => l.industry.clone(),
            LeadCountry => l.country_code.clone(),
            LeadWebsite => l.website_url.clone(),
            LeadAwsMaturity => l.aws_maturity.clone(),
            LeadMarketSegment => l.market_segment.clone(),
            LeadSourceType => l.source_type.clone(),
            LeadSourceId => l.source_id.clone(),
            LeadSourceName => l.source_name.clone(),
            LeadUsecase => l.usecase.clone(),
            LeadContactTitle => l.contact_business_title.clone(),
        }
    }

    /// The draft's slot for a text or single-pick field (`None` for toggles, buttons and the
    /// multi-pick, which have their own operations).
    pub fn slot(self, draft: &mut Draft) -> Option<&mut String> {
        use FieldId::*;
        let o = &mut draft.opportunity;
        let l = &mut draft.lead;
        Some(match self {
            EngagementIdentifier => &mut draft.engagement_identifier,
            Catalog => &mut draft.catalog,
            ReceiverAccount => &mut draft.receiver_account,
            ReceiverAlias => &mut draft.receiver_alias,
            Message => &mut draft.message,
            OppCompany => &mut o.company_name,
            OppIndustry => &mut o.industry,
            OppCountry => &mut o.country_code,
            OppWebsite => &mut o.website_url,
            ProjectTitle => &mut o.project_title,
            BusinessProblem => &mut o.business_problem,
            TargetDate => &mut o.target_completion_date,
            SpendAmount(i) => &mut o.spends.get_mut(i)?.amount,
            SpendCurrency(i) => &mut o.spends.get_mut(i)?.currency,
            SpendFrequency(i) => &mut o.spends.get_mut(i)?.frequency,
            SpendTargetCompany(i) => &mut o.spends.get_mut(i)?.target_company,
            SpendEstimationUrl(i) => &mut o.spends.get_mut(i)?.estimation_url,
            ContactEmail(i) => &mut o.contacts.get_mut(i)?.email,
            ContactFirstName(i) => &mut o.contacts.get_mut(i)?.first_name,
            ContactLastName(i) => &mut o.contacts.get_mut(i)?.last_name,
            ContactTitle(i) => &mut o.contacts.get_mut(i)?.business_title,
            ContactPhone(i) => &mut o.contacts.get_mut(i)?.phone,
            LeadCompany => &mut l.company_name,
            LeadIndustry => &mut l.industry,
            LeadCountry => &mut l.country_code,
            LeadWebsite => &mut l.website_url,
            LeadAwsMaturity => &mut l.aws_maturity,
            LeadMarketSegment => &mut l.market_segment,
            LeadSourceType => &mut l.source_type,
            LeadSourceId => &mut l.source_id,
            LeadSourceName => &mut l.source_name,
            LeadUsecase => &mut l.usecase,
            LeadContactTitle => &mut l.contact_business_title,
            Kind | Responsibilities | RemoveSpend(_) | AddSpend | RemoveContact(_) | AddContact => {
                return None;
            }
        })
    }
}

/// The fields of `draft` in tab order: the common ones, then the chosen payload's.
pub fn fields(draft: &Draft) -> Vec<FieldId> {
    use FieldId::*;
    let mut list = vec![
        EngagementIdentifier,
        Catalog,
        ReceiverAccount,
        ReceiverAlias,
        Message,
        Kind,
    ];
    match draft.kind {
        PayloadKind::Opportunity => {
            list.extend([
                OppCompany,
                OppIndustry,
                OppCountry,
                OppWebsite,
                ProjectTitle,
                BusinessProblem,
                TargetDate,
            ]);
            for i in 0..draft.opportunity.spends.len() {
                list.extend([
                    SpendAmount(i),
                    SpendCurrency(i),
                    SpendFrequency(i),
                    SpendTargetCompany(i),
                    SpendEstimationUrl(i),
                    RemoveSpend(i),
                ]);
            }
            if draft.opportunity.spends.len() < MAX_SPENDS {
                list.push(AddSpend);
            }
            list.push(Responsibilities);
            let contacts = draft.opportunity.contacts.len();
            for i in 0..contacts {
                list.extend([
                    ContactEmail(i),
                    ContactFirstName(i),
                    ContactLastName(i),
                    ContactTitle(i),
                    ContactPhone(i),
                ]);
                if contacts > MIN_CONTACTS {
                    list.push(RemoveContact(i));
                }
            }
            if contacts < MAX_CONTACTS {
                list.push(AddContact);
            }
        }
        PayloadKind::Lead => list.extend([
            LeadCompany,
            LeadIndustry,
            LeadCountry,
            LeadWebsite,
            LeadAwsMaturity,
            LeadMarketSegment,
            LeadSourceType,
            LeadSourceId,
            LeadSourceName,
            LeadUsecase,
            LeadContactTitle,
        ]),
    }
    list
}

/// The draft's fields by validation path, built once per check rather than once per problem
/// (a fresh form has a problem for most of its fields, and checks run as fields are left).
pub struct FieldPaths {
    places: Vec<(FieldId, String)>,
    add_spend: bool,
}

impl FieldPaths {
    pub fn of(draft: &Draft) -> FieldPaths {
        let list = fields(draft);
        FieldPaths {
            places: list
                .iter()
                .filter_map(|f| f.model_place().map(|p| (*f, p.path)))
                .collect(),
            add_spend: list.contains(&FieldId::AddSpend),
        }
    }

    /// The field a validation path belongs to: the one at exactly that path, else the first
    /// field inside it (a list-level rule lands on its first entry), else the nearest enclosing
    /// field.
    pub fn field(&self, path: &str) -> Option<FieldId> {
        let places = &self.places;
        places
            .iter()
            .find(|(_, p)| p == path)
            .or_else(|| places.iter().find(|(_, p)| p.starts_with(path)))
            .or_else(|| {
                places
                    .iter()
                    .filter(|(_, p)| path.starts_with(p.as_str()))
                    .max_by_key(|(_, p)| p.len())
            })
            .map(|(f, _)| *f)
            .or_else(|| {
                // A rule about a group with no entries lands on its add button.
                (path.contains("ExpectedCustomerSpend") && self.add_spend)
                    .then_some(FieldId::AddSpend)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_follow_the_payload_kind_and_groups() {
        let mut draft = Draft::new("Sandbox");
        let opportunity = fields(&draft);
        assert_eq!(
            opportunity[0],
            FieldId::EngagementIdentifier,
            "focus starts here"
        );
        assert!(opportunity.contains(&FieldId::SpendAmount(0)));
        assert!(opportunity.contains(&FieldId::AddContact));
        assert!(
            !opportunity.contains(&FieldId::RemoveContact(0)),
            "one contact is the minimum"
        );
        draft.kind = PayloadKind::Lead;
        let lead = fields(&draft);
        assert!(lead.contains(&FieldId::LeadContactTitle));
        assert!(!lead.contains(&FieldId::OppCompany));
    }

    #[test]
    fn add_buttons_disappear_at_the_model_maximum() {
        let mut draft = Draft::new("Sandbox");
        draft.opportunity.spends = vec![SpendDraft::default(); MAX_SPENDS];
        draft.opportunity.contacts = vec![ContactDraft::default(); MAX_CONTACTS];
        let list = fields(&draft);
        assert!(!list.contains(&FieldId::AddSpend));
        assert!(!list.contains(&FieldId::AddContact));
        assert!(list.contains(&FieldId::RemoveContact(2)));
    }

    #[test]
    fn every_text_field_reads_and_writes_its_own_slot() {
        let mut draft = Draft::new("Sandbox");
        let mut all = fields(&draft);
        draft.kind = PayloadKind::Lead;
        all.extend(
            fields(&draft)
                .into_iter()
                .filter(|f| !all.contains(f))
                .collect::<Vec<_>>(),
        );
        for (n, field) in all.iter().enumerate() {
            if let Some(slot) = field.slot(&mut draft) {
                *slot = format!("value {n}");
                assert_eq!(field.value(&draft), format!("value {n}"), "{field:?}");
            }
        }
        for field in &all {
            if field.slot(&mut draft).is_some() {
                let n = all.iter().position(|f| f == field).unwrap();
                assert_eq!(
                    field.value(&draft),
                    format!("value {n}"),
                    "{field:?} was overwritten"
                );
            }
        }
    }

    #[test]
    fn validation_paths_land_on_fields() {
        let draft = Draft::new("Sandbox");
        let country = format!("{OPP}.Customer.CountryCode");
        let paths = FieldPaths::of(&draft);
        assert_eq!(paths.field(&country), Some(FieldId::OppCountry));
        let contacts = format!("{OPP}.SenderContacts");
        assert_eq!(paths.field(&contacts), Some(FieldId::ContactEmail(0)));
        assert_eq!(
            paths.field("Invitation.Receiver"),
            Some(FieldId::ReceiverAccount)
        );
    }
}
