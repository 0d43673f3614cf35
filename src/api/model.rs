//! Typed requests and responses of the Partner Central Selling invitation operations pcinbox
//! uses (the engagement, task and opportunity ones are in [`super::engagements`]).
//!
//! Field names and shapes follow the service model (`assets/…shapes.json`) exactly, so
//! `serde_json` output is the wire format. The model is forward compatible on purpose: an enum
//! value or union member this version does not know is kept verbatim (`Unknown`) and written back
//! as received, and unknown fields are ignored, so a newer service never breaks the inbox.

use std::fmt;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

pub use super::engagements::*;

/// Declares a string enum of the model with an `Unknown(String)` catch-all that round-trips.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)+
            /// A value this version of the model does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// Every value the model defines, in model order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The same values as the wire spells them (command-line choices, help).
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(other) => other,
                }
            }

            /// Whether the model defines this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(wire: &str) -> Self {
                match wire {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            /// Parses a known value; unlike `From<&str>`, refuses values the model lacks
            /// (for command-line arguments).
            fn from_str(s: &str) -> Result<Self, String> {
                match $name::from(s) {
                    $name::Unknown(other) => Err(format!(
                        "`{other}` is not one of {}",
                        $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                    )),
                    known => Ok(known),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let wire = String::deserialize(deserializer)?;
                Ok($name::from(wire.as_str()))
            }
        }
    };
}

pub(crate) use string_enum;

string_enum!(
    /// `InvitationStatus`.
    InvitationStatus {
        Accepted => "ACCEPTED",
        Pending => "PENDING",
        Rejected => "REJECTED",
        Expired => "EXPIRED",
    }
);

string_enum!(
    /// `EngagementInvitationPayloadType`.
    PayloadType {
        OpportunityInvitation => "OpportunityInvitation",
        LeadInvitation => "LeadInvitation",
    }
);

string_enum!(
    /// `ParticipantType`: whether the caller received or sent the invitation.
    ParticipantType {
        Sender => "SENDER",
        Receiver => "RECEIVER",
    }
);

string_enum!(
    /// `SortOrder`.
    SortOrder {
        Ascending => "ASCENDING",
        Descending => "DESCENDING",
    }
);

string_enum!(
    /// `OpportunityEngagementInvitationSortName`.
    SortBy {
        InvitationDate => "InvitationDate",
    }
);

string_enum!(
    /// `Industry` (of an opportunity's customer and of prospecting results).
    Industry {
        Aerospace => "Aerospace",
        Agriculture => "Agriculture",
        Automotive => "Automotive",
        ComputersAndElectronics => "Computers and Electronics",
        ConsumerGoods => "Consumer Goods",
        Education => "Education",
        EnergyOilAndGas => "Energy - Oil and Gas",
        EnergyPowerAndUtilities => "Energy - Power and Utilities",
        FinancialServices => "Financial Services",
        Gaming => "Gaming",
        Government => "Government",
        Healthcare => "Healthcare",
        Hospitality => "Hospitality",
        LifeSciences => "Life Sciences",
        Manufacturing => "Manufacturing",
        MarketingAndAdvertising => "Marketing and Advertising",
        MediaAndEntertainment => "Media and Entertainment",
        Mining => "Mining",
        NonProfitOrganization => "Non-Profit Organization",
        ProfessionalServices => "Professional Services",
        RealEstateAndConstruction => "Real Estate and Construction",
        Retail => "Retail",
        SoftwareAndInternet => "Software and Internet",
        Telecommunications => "Telecommunications",
        TransportationAndLogistics => "Transportation and Logistics",
        Travel => "Travel",
        WholesaleAndDistribution => "Wholesale and Distribution",
        Other => "Other",
    }
);

string_enum!(
    /// `ReceiverResponsibility`.
    ReceiverResponsibility {
        Distributor => "Distributor",
        Reseller => "Reseller",
        HardwarePartner => "Hardware Partner",
        ManagedServiceProvider => "Managed Service Provider",
        SoftwarePartner => "Software Partner",
        ServicesPartner => "Services Partner",
        TrainingPartner => "Training Partner",
        CoSellFacilitator => "Co-Sell Facilitator",
        Facilitator => "Facilitator",
    }
);

string_enum!(
    /// `PaymentFrequency`.
    PaymentFrequency {
        Monthly => "Monthly",
    }
);

string_enum!(
    /// `ValidationExceptionErrorCode`.
    ValidationErrorCode {
        RequiredFieldMissing => "REQUIRED_FIELD_MISSING",
        InvalidEnumValue => "INVALID_ENUM_VALUE",
        InvalidStringFormat => "INVALID_STRING_FORMAT",
        InvalidValue => "INVALID_VALUE",
        NotEnoughValues => "NOT_ENOUGH_VALUES",
        TooManyValues => "TOO_MANY_VALUES",
        InvalidResourceState => "INVALID_RESOURCE_STATE",
        DuplicateKeyValue => "DUPLICATE_KEY_VALUE",
        ValueOutOfRange => "VALUE_OUT_OF_RANGE",
        ActionNotPermitted => "ACTION_NOT_PERMITTED",
    }
);

string_enum!(
    /// `ValidationExceptionReason`.
    ValidationReason {
        RequestValidationFailed => "REQUEST_VALIDATION_FAILED",
        BusinessValidationFailed => "BUSINESS_VALIDATION_FAILED",
    }
);

/// A `DateTime` of the model: ISO 8601 on the wire, parsed leniently.
///
/// Accepts fractional seconds, `Z` or numeric offsets, and (as a fallback for services that send
/// them) epoch seconds as a number or numeric string. Always written as ISO 8601 UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn now() -> Self {
        Timestamp(Utc::now())
    }

    /// Parses any timestamp form the service may send.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Some(Timestamp(t.with_timezone(&Utc)));
        }
        // ISO 8601 without an offset means UTC; also accept a space instead of `T`.
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M%#z",
        ] {
            if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(text, format) {
                return Some(Timestamp(Utc.from_utc_datetime(&naive)));
            }
        }
        if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%#z") {
            return Some(Timestamp(t.with_timezone(&Utc)));
        }
        text.parse::<f64>().ok().and_then(Self::from_epoch_seconds)
    }

    pub fn from_epoch_seconds(seconds: f64) -> Option<Self> {
        if !seconds.is_finite() {
            return None;
        }
        let whole = seconds.floor();
        let nanos = ((seconds - whole) * 1e9).round().min(999_999_999.0) as u32;
        if whole.abs() > 1e14 {
            return None;
        }
        Utc.timestamp_opt(whole as i64, nanos)
            .single()
            .map(Timestamp)
    }

    /// ISO 8601 UTC, millisecond precision when there is a fraction, like the AWS CLI prints.
    pub fn to_iso8601(&self) -> String {
        self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_iso8601())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor rather than a `Value` first: listings parse two timestamps per row.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 8601 string or epoch seconds")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
                Timestamp::parse(text)
                    .ok_or_else(|| E::custom(format!("`{text}` is not an ISO 8601 timestamp")))
            }

            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Timestamp, E> {
                Timestamp::from_epoch_seconds(n)
                    .ok_or_else(|| E::custom(format!("{n} is not an epoch timestamp")))
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Timestamp, E> {
                self.visit_f64(n as f64)
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Timestamp, E> {
                self.visit_f64(n as f64)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A country code (`CountryCode` enum, ~250 values), kept as a string so an unknown one survives.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct CountryCode(pub String);

impl CountryCode {
    /// The English name, if the model knows the code.
    pub fn name(&self) -> Option<&'static str> {
        super::codes::COUNTRIES
            .iter()
            .find(|(code, _)| *code == self.0)
            .map(|(_, name)| *name)
    }
}

/// A currency code (`CurrencyCode` enum, ~170 values), kept as a string like [`CountryCode`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct CurrencyCode(pub String);

impl CurrencyCode {
    /// The English name, if the model knows the code.
    pub fn name(&self) -> Option<&'static str> {
        super::codes::CURRENCIES
            .iter()
            .find(|(code, _)| *code == self.0)
            .map(|(_, name)| *name)
    }
}

/// `Receiver` (a union): who an invitation is for.
#[derive(Clone, Debug, PartialEq)]
pub enum Receiver {
    Account(AccountReceiver),
    /// A union member this version does not know: its name and value, kept as sent.
    Unknown(String, Value),
}

/// `AccountReceiver`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct AccountReceiver {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    pub aws_account_id: String,
}

/// `Payload` (a union): what the invitation is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    OpportunityInvitation(OpportunityInvitationPayload),
    LeadInvitation(LeadInvitationPayload),
    /// A union member this version does not know: its name and value, kept as sent.
    Unknown(String, Value),
}

impl Payload {
    /// The payload kind as the model names it (an unknown member's own name otherwise).
    pub fn kind(&self) -> PayloadType {
        match self {
            Payload::OpportunityInvitation(_) => PayloadType::OpportunityInvitation,
            Payload::LeadInvitation(_) => PayloadType::LeadInvitation,
            Payload::Unknown(name, _) => PayloadType::from(name.as_str()),
        }
    }
}

/// Serializes and deserializes a model union: a JSON object with exactly one member set.
///
/// A union from the network with an unknown member is kept as `Unknown`; one with no member or
/// several is an error (the validation module reports that case for documents users write).
macro_rules! union_serde {
    ($name:ident { $($member:ident: $type:ty),+ }) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                match self {
                    $($name::$member(value) => map.serialize_entry(stringify!($member), value)?,)+
                    $name::Unknown(member, value) => map.serialize_entry(member, value)?,
                }
                map.end()
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // A map visitor, so known members parse straight into their types (no `Value`
                // detour for every row of a listing).
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        use serde::de::Error;
                        let one = || {
                            A::Error::custom(concat!(
                                stringify!($name),
                                " must have exactly one member set"
                            ))
                        };
                        let mut found = None;
                        while let Some(member) = map.next_key::<String>()? {
                            // Null members are "not set" in AWS JSON.
                            let value = match member.as_str() {
                                $(stringify!($member) => map
                                    .next_value::<Option<$type>>()
                                    .map_err(|e| {
                                        A::Error::custom(format!("{}: {e}", stringify!($member)))
                                    })?
                                    .map($name::$member),)+
                                _ => match map.next_value::<Value>()? {
                                    Value::Null => None,
                                    value => Some($name::Unknown(member, value)),
                                },
                            };
                            if let Some(value) = value
                                && found.replace(value).is_some()
                            {
                                return Err(one());
                            }
                        }
                        found.ok_or_else(one)
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    };
}

pub(crate) use union_serde;

union_serde!(Receiver {
    Account: AccountReceiver
});
union_serde!(Payload {
    OpportunityInvitation: OpportunityInvitationPayload,
    LeadInvitation: LeadInvitationPayload
});

/// `OpportunityInvitationPayload`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct OpportunityInvitationPayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_contacts: Option<Vec<SenderContact>>,
    #[serde(default)]
    pub receiver_responsibilities: Vec<ReceiverResponsibility>,
    pub customer: EngagementCustomer,
    pub project: ProjectDetails,
}

/// `SenderContact`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct SenderContact {
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// `EngagementCustomer` (an opportunity's customer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementCustomer {
    pub industry: Industry,
    pub company_name: String,
    pub website_url: String,
    pub country_code: CountryCode,
}

impl Default for EngagementCustomer {
    fn default() -> Self {
        EngagementCustomer {
            industry: Industry::Other,
            company_name: String::new(),
            website_url: String::new(),
            country_code: CountryCode::default(),
        }
    }
}

/// `ProjectDetails`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ProjectDetails {
    pub business_problem: String,
    pub title: String,
    /// `Date`: `YYYY-MM-DD`.
    pub target_completion_date: String,
    #[serde(default)]
    pub expected_customer_spend: Vec<ExpectedCustomerSpend>,
}

/// `ExpectedCustomerSpend`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExpectedCustomerSpend {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    pub currency_code: CurrencyCode,
    pub frequency: PaymentFrequency,
    pub target_company: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimation_url: Option<String>,
}

/// `LeadInvitationPayload`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct LeadInvitationPayload {
    pub customer: LeadInvitationCustomer,
    pub interaction: LeadInvitationInteraction,
}

/// `LeadInvitationCustomer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct LeadInvitationCustomer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    pub company_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_maturity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_segment: Option<String>,
}

/// `LeadInvitationInteraction`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct LeadInvitationInteraction {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usecase: Option<String>,
    pub contact_business_title: String,
}

/// `EngagementMemberSummary` (in an invitation's `ExistingMembers`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementMemberSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_url: Option<String>,
}

/// `EngagementMember` (from ListEngagementMembers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementMember {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

/// `EnrichmentContext`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EnrichmentContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prospecting_result_aws: Option<InvitationProspectingResultAws>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_insights: Option<LeadInsights>,
}

/// `InvitationProspectingResultAws`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct InvitationProspectingResultAws {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<ProspectingResultCustomer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insights: Option<ProspectingInsights>,
}

/// `ProspectingResultCustomer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ProspectingResultCustomer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Industry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_programs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_profile_summary: Option<String>,
}

/// `ProspectingInsights`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ProspectingInsights {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketplace_engagement_score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution_score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution_category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution_sub_category: Option<String>,
}

/// `LeadInsights`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct LeadInsights {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_readiness_score: Option<String>,
}

/// `EngagementInvitationSummary`: one row of a listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementInvitationSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_type: Option<PayloadType>,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InvitationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_aws_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<Receiver>,
    pub catalog: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_type: Option<ParticipantType>,
}

impl EngagementInvitation {
    /// What a listing of `view` shows of this invitation (GetEngagementInvitation does not say
    /// the view).
    pub fn into_summary(self, view: ParticipantType) -> EngagementInvitationSummary {
        EngagementInvitationSummary {
            arn: self.arn,
            payload_type: self.payload_type,
            id: self.id,
            engagement_id: self.engagement_id,
            engagement_title: self.engagement_title,
            status: self.status,
            invitation_date: self.invitation_date,
            expiration_date: self.expiration_date,
            sender_aws_account_id: self.sender_aws_account_id,
            sender_company_name: self.sender_company_name,
            receiver: self.receiver,
            catalog: self.catalog,
            participant_type: Some(view),
        }
    }
}

/// `ListEngagementInvitationsRequest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ListEngagementInvitationsRequest {
    pub catalog: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<InvitationSort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_type: Option<Vec<PayloadType>>,
    pub participant_type: ParticipantType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<InvitationStatus>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_identifier: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_aws_account_id: Option<Vec<String>>,
}

// Listing what you received is the common case; the enum comes from a macro, so no #[default].
#[allow(clippy::derivable_impls)]
impl Default for ParticipantType {
    fn default() -> Self {
        ParticipantType::Receiver
    }
}

/// `OpportunityEngagementInvitationSort`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InvitationSort {
    pub sort_order: SortOrder,
    pub sort_by: SortBy,
}

/// `ListEngagementInvitationsResponse`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ListEngagementInvitationsResponse {
    #[serde(default)]
    pub engagement_invitation_summaries: Vec<EngagementInvitationSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `GetEngagementInvitationRequest`, and the same Catalog and Identifier of
/// AcceptEngagementInvitation, GetEngagement and GetOpportunity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct InvitationRequest {
    pub catalog: String,
    pub identifier: String,
}

impl InvitationRequest {
    pub fn new(catalog: &str, identifier: &str) -> InvitationRequest {
        InvitationRequest {
            catalog: catalog.to_owned(),
            identifier: identifier.to_owned(),
        }
    }
}

/// `RejectEngagementInvitationRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct RejectEngagementInvitationRequest {
    pub catalog: String,
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
}

/// `GetEngagementInvitationResponse`: everything about one invitation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EngagementInvitation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_type: Option<PayloadType>,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InvitationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_aws_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<Receiver>,
    pub catalog: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Payload>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_members: Option<Vec<EngagementMemberSummary>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrichment_context: Option<EnrichmentContext>,
}

/// `Invitation`: what a create sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Invitation {
    pub message: String,
    pub receiver: Receiver,
    pub payload: Payload,
}

/// `CreateEngagementInvitationRequest`; also the AWS CLI's `--cli-input-json` document for
/// `create-engagement-invitation` (where `ClientToken` may be left out).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateEngagementInvitationRequest {
    pub catalog: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    pub engagement_identifier: String,
    pub invitation: Invitation,
}

/// `CreateEngagementInvitationResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct CreateEngagementInvitationResponse {
    pub id: String,
    pub arn: String,
}

/// `ListEngagementMembersRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ListEngagementMembersRequest {
    pub catalog: String,
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListEngagementMembersResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ListEngagementMembersResponse {
    #[serde(default)]
    pub engagement_member_list: Vec<EngagementMember>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The operations pcinbox calls, with their `X-Amz-Target` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    ListEngagementInvitations,
    GetEngagementInvitation,
    CreateEngagementInvitation,
    AcceptEngagementInvitation,
    RejectEngagementInvitation,
    ListEngagementMembers,
    StartEngagementByAcceptingInvitationTask,
    ListEngagementByAcceptingInvitationTasks,
    GetEngagement,
    ListEngagements,
    GetOpportunity,
}

impl Operation {
    pub const ALL: [Operation; 11] = [
        Operation::ListEngagementInvitations,
        Operation::GetEngagementInvitation,
        Operation::CreateEngagementInvitation,
        Operation::AcceptEngagementInvitation,
        Operation::RejectEngagementInvitation,
        Operation::ListEngagementMembers,
        Operation::StartEngagementByAcceptingInvitationTask,
        Operation::ListEngagementByAcceptingInvitationTasks,
        Operation::GetEngagement,
        Operation::ListEngagements,
        Operation::GetOpportunity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operation::ListEngagementInvitations => "ListEngagementInvitations",
            Operation::GetEngagementInvitation => "GetEngagementInvitation",
            Operation::CreateEngagementInvitation => "CreateEngagementInvitation",
            Operation::AcceptEngagementInvitation => "AcceptEngagementInvitation",
            Operation::RejectEngagementInvitation => "RejectEngagementInvitation",
            Operation::ListEngagementMembers => "ListEngagementMembers",
            Operation::StartEngagementByAcceptingInvitationTask => {
                "StartEngagementByAcceptingInvitationTask"
            }
            Operation::ListEngagementByAcceptingInvitationTasks => {
                "ListEngagementByAcceptingInvitationTasks"
            }
            Operation::GetEngagement => "GetEngagement",
            Operation::ListEngagements => "ListEngagements",
            Operation::GetOpportunity => "GetOpportunity",
        }
    }

    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The model's input shape name.
    pub fn input_shape(self) -> &'static str {
        match self {
            Operation::ListEngagementInvitations => "ListEngagementInvitationsRequest",
            Operation::GetEngagementInvitation => "GetEngagementInvitationRequest",
            Operation::CreateEngagementInvitation => "CreateEngagementInvitationRequest",
            Operation::AcceptEngagementInvitation => "AcceptEngagementInvitationRequest",
            Operation::RejectEngagementInvitation => "RejectEngagementInvitationRequest",
            Operation::ListEngagementMembers => "ListEngagementMembersRequest",
            Operation::StartEngagementByAcceptingInvitationTask => {
                "StartEngagementByAcceptingInvitationTaskRequest"
            }
            Operation::ListEngagementByAcceptingInvitationTasks => {
                "ListEngagementByAcceptingInvitationTasksRequest"
            }
            Operation::GetEngagement => "GetEngagementRequest",
            Operation::ListEngagements => "ListEngagementsRequest",
            Operation::GetOpportunity => "GetOpportunityRequest",
        }
    }

    /// Reads (get, list) and writes have separate quotas (10/s and 1/s).
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Operation::CreateEngagementInvitation
                | Operation::AcceptEngagementInvitation
                | Operation::RejectEngagementInvitation
                | Operation::StartEngagementByAcceptingInvitationTask
        )
    }
}

/// The catalogs: `AWS` is live, `Sandbox` is for testing.
pub const CATALOG_AWS: &str = "AWS";
pub const CATALOG_SANDBOX: &str = "Sandbox";
/// The catalogs the service knows (the model's pattern is only `[a-zA-Z]+`: the service checks
/// the value against this list at runtime).
pub const CATALOGS: &[&str] = &[CATALOG_AWS, CATALOG_SANDBOX];

/// The catalog `name` means, in any letter case, spelled as the service spells it.
pub fn known_catalog(name: &str) -> Option<&'static str> {
    CATALOGS
        .iter()
        .copied()
        .find(|c| c.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_enum_values_round_trip() {
        let status: InvitationStatus = serde_json::from_str("\"WITHDRAWN\"").unwrap();
        assert_eq!(status, InvitationStatus::Unknown("WITHDRAWN".into()));
        assert_eq!(serde_json::to_string(&status).unwrap(), "\"WITHDRAWN\"");
        assert_eq!(InvitationStatus::from("PENDING"), InvitationStatus::Pending);
        assert!("PENDING".parse::<InvitationStatus>().is_ok());
        assert!("WITHDRAWN".parse::<InvitationStatus>().is_err());
    }

    #[test]
    fn unknown_union_member_round_trips() {
        let json = r#"{"PartnerInvitation":{"X":1}}"#;
        let payload: Payload = serde_json::from_str(json).unwrap();
        assert_eq!(
            payload.kind(),
            PayloadType::Unknown("PartnerInvitation".into())
        );
        assert_eq!(serde_json::to_string(&payload).unwrap(), json);
        assert!(serde_json::from_str::<Payload>("{}").is_err());
        assert!(
            serde_json::from_str::<Receiver>(r#"{"Account":{"AwsAccountId":"1"},"B":{}}"#).is_err()
        );
    }

    #[test]
    fn timestamps_parse_leniently() {
        let expected = Timestamp::parse("2025-03-01T12:00:00Z").unwrap();
        for form in [
            "2025-03-01T12:00:00.000Z",
            "2025-03-01T13:00:00+01:00",
            "2025-03-01T12:00:00",
            "2025-03-01T14:00:00.000+0200",
            "1740830400",
        ] {
            assert_eq!(Timestamp::parse(form), Some(expected), "{form}");
        }
        let from_number: Timestamp = serde_json::from_str("1740830400.0").unwrap();
        assert_eq!(from_number, expected);
        assert_eq!(expected.to_iso8601(), "2025-03-01T12:00:00Z");
        assert!(Timestamp::parse("yesterday").is_none());
        assert!(Timestamp::from_epoch_seconds(f64::NAN).is_none());
    }

    #[test]
    fn summary_ignores_unknown_fields_and_keeps_optional_ones_absent() {
        let json = r#"{"Id":"engi-0000000000001","Catalog":"Sandbox","Shiny":true,
            "Status":"PENDING","InvitationDate":"2025-01-01T00:00:00Z"}"#;
        let summary: EngagementInvitationSummary = serde_json::from_str(json).unwrap();
        assert_eq!(summary.status, Some(InvitationStatus::Pending));
        let back = serde_json::to_value(&summary).unwrap();
        assert_eq!(back.as_object().unwrap().len(), 4);
    }
}
