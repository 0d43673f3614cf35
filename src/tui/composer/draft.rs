//! A draft invitation: exactly what the user typed, field by field, as plain text.
//!
//! Drafts keep text (never parsed values) so nothing typed is lost, even while it is invalid, and
//! both payload kinds so switching kind loses nothing. The request is derived from the draft on
//! demand; its ClientToken is made once, when the draft is created, and kept with it, so a retry
//! or a second send after a lost response cannot create a second invitation.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::api::model::{CATALOG_SANDBOX, CreateEngagementInvitationRequest};

/// Which payload the invitation carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PayloadKind {
    #[default]
    Opportunity,
    Lead,
}

impl PayloadKind {
    pub fn label(self) -> &'static str {
        match self {
            PayloadKind::Opportunity => "Opportunity",
            PayloadKind::Lead => "Lead",
        }
    }

    pub fn other(self) -> PayloadKind {
        match self {
            PayloadKind::Opportunity => PayloadKind::Lead,
            PayloadKind::Lead => PayloadKind::Opportunity,
        }
    }
}

/// One expected-customer-spend entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpendDraft {
    pub amount: String,
    pub currency: String,
    pub frequency: String,
    pub target_company: String,
    pub estimation_url: String,
}

impl Default for SpendDraft {
    fn default() -> Self {
        SpendDraft {
            amount: String::new(),
            currency: "USD".into(),
            frequency: "Monthly".into(),
            target_company: "AWS".into(),
            estimation_url: String::new(),
        }
    }
}

/// One sender contact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactDraft {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub business_title: String,
    pub phone: String,
}

/// The opportunity payload's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpportunityDraft {
    pub company_name: String,
    pub industry: String,
    pub country_code: String,
    pub website_url: String,
    pub project_title: String,
    pub business_problem: String,
    pub target_completion_date: String,
    pub spends: Vec<SpendDraft>,
    pub responsibilities: Vec<String>,
    pub contacts: Vec<ContactDraft>,
}

impl Default for OpportunityDraft {
    fn default() -> Self {
        OpportunityDraft {
            company_name: String::new(),
            industry: String::new(),
            country_code: String::new(),
            website_url: String::new(),
            project_title: String::new(),
            business_problem: String::new(),
            target_completion_date: String::new(),
            spends: vec![SpendDraft::default()],
            responsibilities: Vec::new(),
            contacts: vec![ContactDraft::default()],
        }
    }
}

/// The lead payload's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadDraft {
    pub company_name: String,
    pub industry: String,
    pub country_code: String,
    pub website_url: String,
    pub aws_maturity: String,
    pub market_segment: String,
    pub source_type: String,
    pub source_id: String,
    pub source_name: String,
    pub usecase: String,
    pub contact_business_title: String,
}

/// Everything the composer holds for one invitation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub client_token: String,
    pub catalog: String,
    pub engagement_identifier: String,
    pub receiver_account: String,
    pub receiver_alias: String,
    pub message: String,
    pub kind: PayloadKind,
    pub opportunity: OpportunityDraft,
    pub lead: LeadDraft,
}

impl Default for Draft {
    fn default() -> Self {
        Draft::new(CATALOG_SANDBOX)
    }
}

/// Inserts `value` under `key` unless it is empty: optional fields left empty are omitted, never
/// sent as empty strings or nulls (a required one left empty is then reported as missing).
fn put(object: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.is_empty() {
        object.insert(key.to_owned(), Value::String(value.to_owned()));
    }
}

fn object(pairs: &[(&str, &str)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, value) in pairs {
        put(&mut map, key, value);
    }
    map
}

/// Reads a string at `path` of a document, or "" (prefilling is lenient: whatever fits is kept).
fn text_at(document: &Value, path: &[&str]) -> String {
    path.iter()
        .try_fold(document, |node, key| node.get(key))
        .and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

impl Draft {
    /// A new, empty draft with its own ClientToken.
    pub fn new(catalog: &str) -> Draft {
        Draft {
            client_token: uuid::Uuid::new_v4().to_string(),
            catalog: catalog.to_owned(),
            engagement_identifier: String::new(),
            receiver_account: String::new(),
            receiver_alias: String::new(),
            message: String::new(),
            kind: PayloadKind::default(),
            opportunity: OpportunityDraft::default(),
            lead: LeadDraft::default(),
        }
    }

    /// The create request as a JSON document, exactly as it would be sent.
    pub fn to_document(&self) -> Value {
        let mut receiver = Map::new();
        receiver.insert(
            "Account".into(),
            Value::Object(object(&[
                ("AwsAccountId", &self.receiver_account),
                ("Alias", &self.receiver_alias),
            ])),
        );
        let payload = match self.kind {
            PayloadKind::Opportunity => {
                json!({ "OpportunityInvitation": self.opportunity_document() })
            }
            PayloadKind::Lead => json!({ "LeadInvitation": self.lead_document() }),
        };
        let mut invitation = object(&[("Message", &self.message)]);
        invitation.insert("Receiver".into(), Value::Object(receiver));
        invitation.insert("Payload".into(), payload);
        let mut root = object(&[
            ("Catalog", &self.catalog),
            ("ClientToken", &self.client_token),
            ("EngagementIdentifier", &self.engagement_identifier),
        ]);
        root.insert("Invitation".into(), Value::Object(invitation));
        Value::Object(root)
    }

    fn opportunity_document(&self) -> Value {
        let o = &self.opportunity;
        let customer = object(&[
            ("Industry", &o.industry),
            ("CompanyName", &o.company_name),
            ("WebsiteUrl", &o.website_url),
            ("CountryCode", &o.country_code),
        ]);
        let spends: Vec<Value> = o
            .spends
            .iter()
            .map(|s| {
                Value::Object(object(&[
                    ("Amount", &s.amount),
                    ("CurrencyCode", &s.currency),
                    ("Frequency", &s.frequency),
                    ("TargetCompany", &s.target_company),
                    ("EstimationUrl", &s.estimation_url),
                ]))
            })
            .collect();
        let mut project = object(&[
            ("BusinessProblem", &o.business_problem),
            ("Title", &o.project_title),
            ("TargetCompletionDate", &o.target_completion_date),
        ]);
        project.insert("ExpectedCustomerSpend".into(), Value::Array(spends));
        let mut payload = Map::new();
        let contacts: Vec<Value> = o
            .contacts
            .iter()
            .map(|c| {
                Value::Object(object(&[
                    ("Email", &c.email),
                    ("FirstName", &c.first_name),
                    ("LastName", &c.last_name),
                    ("BusinessTitle", &c.business_title),
                    ("Phone", &c.phone),
                ]))
            })
            .collect();
        if !contacts.is_empty() {
            payload.insert("SenderContacts".into(), Value::Array(contacts));
        }
        payload.insert(
            "ReceiverResponsibilities".into(),
            Value::Array(
                o.responsibilities
                    .iter()
                    .cloned()
                    .map(Value::String)
                    .collect(),
            ),
        );
        payload.insert("Customer".into(), Value::Object(customer));
        payload.insert("Project".into(), Value::Object(project));
        Value::Object(payload)
    }

    fn lead_document(&self) -> Value {
        let l = &self.lead;
        json!({
            "Customer": object(&[
                ("Industry", &l.industry),
                ("CompanyName", &l.company_name),
                ("WebsiteUrl", &l.website_url),
                ("CountryCode", &l.country_code),
                ("AwsMaturity", &l.aws_maturity),
                ("MarketSegment", &l.market_segment),
            ]),
            "Interaction": object(&[
                ("SourceType", &l.source_type),
                ("SourceId", &l.source_id),
                ("SourceName", &l.source_name),
                ("Usecase", &l.usecase),
                ("ContactBusinessTitle", &l.contact_business_title),
            ]),
        })
    }

    /// The typed request, when the document fits the model's types.
    pub fn to_request(&self) -> Result<CreateEngagementInvitationRequest, serde_json::Error> {
        serde_json::from_value(self.to_document())
    }

    /// A draft prefilled from an AWS CLI `--cli-input-json` document. Lenient: whatever fits
    /// is kept, so an invalid file can be fixed in the composer; a document without a
    /// ClientToken gets a new one.
    pub fn from_document(document: &Value) -> Draft {
        let mut draft = Draft::new(&text_at(document, &["Catalog"]));
        if draft.catalog.is_empty() {
            draft.catalog = CATALOG_SANDBOX.to_owned();
        }
        let token = text_at(document, &["ClientToken"]);
        if !token.is_empty() {
            draft.client_token = token;
        }
        draft.engagement_identifier = text_at(document, &["EngagementIdentifier"]);
        let invitation = document.get("Invitation").cloned().unwrap_or(Value::Null);
        draft.message = text_at(&invitation, &["Message"]);
        draft.receiver_account = text_at(&invitation, &["Receiver", "Account", "AwsAccountId"]);
        draft.receiver_alias = text_at(&invitation, &["Receiver", "Account", "Alias"]);
        let payload = invitation.get("Payload").cloned().unwrap_or(Value::Null);
        if let Some(lead) = payload.get("LeadInvitation") {
            draft.kind = PayloadKind::Lead;
            let c = |key| text_at(lead, &["Customer", key]);
            let i = |key| text_at(lead, &["Interaction", key]);
            draft.lead = LeadDraft {
                company_name: c("CompanyName"),
                industry: c("Industry"),
                country_code: c("CountryCode"),
                website_url: c("WebsiteUrl"),
                aws_maturity: c("AwsMaturity"),
                market_segment: c("MarketSegment"),
                source_type: i("SourceType"),
                source_id: i("SourceId"),
                source_name: i("SourceName"),
                usecase: i("Usecase"),
                contact_business_title: i("ContactBusinessTitle"),
            };
        }
        if let Some(opp) = payload.get("OpportunityInvitation") {
            draft.kind = PayloadKind::Opportunity;
            let c = |key| text_at(opp, &["Customer", key]);
            let p = |key| text_at(opp, &["Project", key]);
            let list = |value: Option<&Value>| {
                value.and_then(Value::as_array).cloned().unwrap_or_default()
            };
            draft.opportunity = OpportunityDraft {
                company_name: c("CompanyName"),
                industry: c("Industry"),
                country_code: c("CountryCode"),
                website_url: c("WebsiteUrl"),
                project_title: p("Title"),
                business_problem: p("BusinessProblem"),
                target_completion_date: p("TargetCompletionDate"),
                spends: list(opp.pointer("/Project/ExpectedCustomerSpend"))
                    .iter()
                    .map(|s| SpendDraft {
                        amount: text_at(s, &["Amount"]),
                        currency: text_at(s, &["CurrencyCode"]),
                        frequency: text_at(s, &["Frequency"]),
                        target_company: text_at(s, &["TargetCompany"]),
                        estimation_url: text_at(s, &["EstimationUrl"]),
                    })
                    .collect(),
                responsibilities: list(opp.get("ReceiverResponsibilities"))
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect(),
                contacts: list(opp.get("SenderContacts"))
                    .iter()
                    .map(|s| ContactDraft {
                        email: text_at(s, &["Email"]),
                        first_name: text_at(s, &["FirstName"]),
                        last_name: text_at(s, &["LastName"]),
                        business_title: text_at(s, &["BusinessTitle"]),
                        phone: text_at(s, &["Phone"]),
                    })
                    .collect(),
            };
        }
        draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Payload, Receiver};
    use crate::tui::fixtures::valid_draft;

    #[test]
    fn the_request_equals_the_draft_field_for_field() {
        let draft = valid_draft();
        let request = draft.to_request().unwrap();
        assert_eq!(
            request.client_token.as_deref(),
            Some(draft.client_token.as_str())
        );
        assert_eq!(request.invitation.message, "Zusammenarbeit für Müller?");
        let Receiver::Account(account) = &request.invitation.receiver else {
            panic!("receiver is not an account")
        };
        assert_eq!(account.aws_account_id, "123456789012");
        assert_eq!(account.alias, None, "an empty optional is omitted");
        let Payload::OpportunityInvitation(opp) = &request.invitation.payload else {
            panic!("payload is not an opportunity")
        };
        assert_eq!(opp.customer.company_name, "Müller Logistik GmbH");
        assert_eq!(opp.customer.country_code.0, "DE");
        assert_eq!(
            opp.project.expected_customer_spend[0].amount.as_deref(),
            Some("12500.00")
        );
        assert_eq!(opp.project.expected_customer_spend[0].estimation_url, None);
        let contact = &opp.sender_contacts.as_ref().unwrap()[0];
        assert_eq!(
            (contact.email.as_str(), contact.phone.as_deref()),
            ("anna@mueller.example", None)
        );
    }

    #[test]
    fn empty_optionals_are_never_sent_as_empty_strings_or_nulls() {
        let text = serde_json::to_string(&valid_draft().to_document()).unwrap();
        assert!(!text.contains("\"\""), "{text}");
        assert!(!text.contains("null"), "{text}");
    }

    #[test]
    fn switching_kind_keeps_both_payloads() {
        let mut draft = valid_draft();
        draft.kind = PayloadKind::Lead;
        draft.lead.company_name = "São Paulo Saúde".into();
        let doc = draft.to_document();
        assert!(
            doc.pointer("/Invitation/Payload/OpportunityInvitation")
                .is_none()
        );
        assert_eq!(
            doc.pointer("/Invitation/Payload/LeadInvitation/Customer/CompanyName"),
            Some(&Value::String("São Paulo Saúde".into()))
        );
        draft.kind = PayloadKind::Opportunity;
        assert_eq!(draft.opportunity.company_name, "Müller Logistik GmbH");
    }

    #[test]
    fn a_document_round_trips_through_a_draft() {
        let draft = valid_draft();
        let again = Draft::from_document(&draft.to_document());
        assert_eq!(again, draft);
        let mut lead = Draft::new("AWS");
        lead.kind = PayloadKind::Lead;
        lead.lead.company_name = "株式会社サクラ".into();
        lead.lead.contact_business_title = "CTO".into();
        let again = Draft::from_document(&lead.to_document());
        assert_eq!((again.kind, again.lead), (PayloadKind::Lead, lead.lead));
    }

    #[test]
    fn prefill_is_lenient_and_makes_a_token_when_missing() {
        let draft = Draft::from_document(&json!({"Catalog": 7, "Invitation": "nope"}));
        assert_eq!(draft.catalog, "7");
        assert!(!draft.client_token.is_empty());
        assert_eq!(draft.message, "");
    }
}
