//! The service model's shapes, loaded once from `assets/…shapes.json` into typed form with their
//! patterns compiled and described in plain words: what the validation rules, the emulator and
//! log redaction read.
//!
//! The model's patterns are Java/ECMAScript regular expressions. The `regex` crate has no
//! look-around, so a leading `(?=.{a,b}$)` becomes a length bound; a pattern that is only a
//! length (`(?s).{a,b}`) or one character class with a length (`[…]{a,b}`) also becomes a length
//! bound, so messages can say "must be at most 80 characters" instead of quoting a regex (a bare
//! `.{a,b}` without `(?s)` keeps a "one line" rule). Lengths count Unicode scalar values. `\w` and
//! `\d` stay ASCII-only, as in the model's dialect.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::model::Operation;

/// The text that replaces a sensitive value in logs (as the AWS SDKs print it).
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// One named shape of the model.
#[derive(Debug)]
pub struct Shape {
    pub name: String,
    pub kind: ShapeKind,
    /// The model marks the shape's values as sensitive: never log them.
    pub sensitive: bool,
}

/// What kind of value a shape describes, with its rules.
#[derive(Debug)]
pub enum ShapeKind {
    Structure(Structure),
    List(List),
    String(StringShape),
    Integer(IntegerShape),
    /// A `DateTime`: ISO 8601 on the wire (epoch seconds accepted too).
    Timestamp,
}

/// A structure, or a union when `union` is set (exactly one member may be set).
#[derive(Debug)]
pub struct Structure {
    /// Members in model order.
    pub members: Vec<Member>,
    pub union: bool,
}

impl Structure {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Member names in model order, for messages and for emitting exactly the model's members.
    pub fn member_names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|m| m.name.as_str())
    }
}

/// One member of a structure.
#[derive(Debug)]
pub struct Member {
    pub name: String,
    /// The member's target shape name.
    pub shape: String,
    pub required: bool,
    /// The SDKs and the AWS CLI fill this member with a fresh token when it is left out.
    pub idempotency_token: bool,
}

impl Member {
    /// Whether a document someone writes must set this member: required, and not an
    /// idempotency token (which the client fills in).
    pub fn must_be_set(&self) -> bool {
        self.required && !self.idempotency_token
    }
}

/// A list: member shape and entry-count bounds.
#[derive(Debug)]
pub struct List {
    pub member: String,
    pub min: Option<usize>,
    pub max: Option<usize>,
}

/// A string: allowed values, length bounds (in chars) and format.
#[derive(Debug)]
pub struct StringShape {
    /// Allowed values; empty when the string is free-form.
    pub enum_values: Vec<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<Pattern>,
}

/// The format part of a model pattern (its length part lives in the length bounds).
#[derive(Debug)]
pub struct Pattern {
    /// The pattern exactly as the model writes it.
    pub model: String,
    /// The format in `regex` syntax, compiled at its first use: a command checks a few shapes,
    /// and compiling all of the model's patterns up front cost every start ~20 ms.
    format: String,
    dot_all: bool,
    regex: OnceLock<Regex>,
    /// The rule in plain words, completing "<field> …", e.g. "must be a date as YYYY-MM-DD".
    pub description: String,
    /// A few words for a form field's hint, e.g. "YYYY-MM-DD".
    pub summary: String,
}

impl Pattern {
    /// Whether `text` matches the format in full.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex().is_match(text)
    }

    /// The compiled format. The asset is compiled in and a test compiles every pattern, so a
    /// pattern that does not compile fails the test suite, never a user's run.
    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            compile(&self.format, self.dot_all).unwrap_or_else(|e| {
                panic!(
                    "pattern `{}` does not compile as `{}`: {e}",
                    self.model, self.format
                )
            })
        })
    }
}

/// An integer with optional bounds.
#[derive(Debug)]
pub struct IntegerShape {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// A shape of the model by name.
pub fn shape(name: &str) -> Option<&'static Shape> {
    MODEL.shapes.get(name)
}

/// The model's input shape name of `operation`.
pub fn input_shape(operation: Operation) -> Option<&'static str> {
    MODEL.operations.get(operation.name())?.input.as_deref()
}

/// The model's output shape name of `operation`; `None` for Accept and Reject, which answer
/// with an empty body.
pub fn output_shape(operation: Operation) -> Option<&'static str> {
    MODEL.operations.get(operation.name())?.output.as_deref()
}

/// A structure (or union) shape by name.
pub fn structure(name: &str) -> Option<&'static Structure> {
    match &shape(name)?.kind {
        ShapeKind::Structure(structure) => Some(structure),
        _ => None,
    }
}

/// A member of a structure (or union) shape.
pub fn member(structure: &str, member: &str) -> Option<&'static Member> {
    self::structure(structure)?.member(member)
}

/// Every shape of the model, in no particular order.
pub fn shapes() -> impl Iterator<Item = &'static Shape> {
    MODEL.shapes.values()
}

/// Whether the model marks `shape` as sensitive.
pub fn is_sensitive(shape: &str) -> bool {
    self::shape(shape).is_some_and(|s| s.sensitive)
}

/// A copy of `value` (a document of shape `shape`) with every value of a sensitive shape
/// replaced by [`REDACTED`], through structures, lists and unions, for logs.
///
/// Members the model does not know are kept as they are; a sensitive value of the wrong JSON
/// type is redacted all the same.
pub fn redact(shape: &str, value: &Value) -> Value {
    let Some(shape) = self::shape(shape) else {
        return value.clone();
    };
    if shape.sensitive && !value.is_null() {
        return Value::String(REDACTED.to_owned());
    }
    match (&shape.kind, value) {
        (ShapeKind::Structure(structure), Value::Object(object)) => Value::Object(
            object
                .iter()
                .map(|(name, member_value)| {
                    let redacted = match structure.member(name) {
                        Some(member) => redact(&member.shape, member_value),
                        None => member_value.clone(),
                    };
                    (name.clone(), redacted)
                })
                .collect::<Map<_, _>>(),
        ),
        (ShapeKind::List(list), Value::Array(entries)) => Value::Array(
            entries
                .iter()
                .map(|entry| redact(&list.member, entry))
                .collect(),
        ),
        _ => value.clone(),
    }
}

struct Model {
    shapes: HashMap<String, Shape>,
    operations: HashMap<String, OperationShapes>,
}

struct OperationShapes {
    input: Option<String>,
    output: Option<String>,
}

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    // The asset is compiled in and every shape is loaded by the tests, so a broken asset fails
    // the test suite, never a user's run.
    let raw: RawModel = serde_json::from_str(include_str!(
        "../../assets/partnercentral-selling-2022-07-26.shapes.json"
    ))
    .expect("the bundled shapes asset is valid JSON of the model's form");
    let shapes = raw
        .shapes
        .into_iter()
        .map(|(name, raw)| {
            let shape = Shape::from_raw(&name, raw);
            (name, shape)
        })
        .collect();
    let operations = raw
        .operations
        .into_iter()
        .map(|(name, raw)| {
            let shapes = OperationShapes {
                input: raw.input.map(|r| r.shape),
                output: raw.output.map(|r| r.shape),
            };
            (name, shapes)
        })
        .collect();
    Model { shapes, operations }
});

#[derive(Deserialize)]
struct RawModel {
    operations: HashMap<String, RawOperation>,
    shapes: HashMap<String, RawShape>,
}

#[derive(Deserialize)]
struct RawOperation {
    input: Option<RawRef>,
    output: Option<RawRef>,
}

#[derive(Deserialize)]
struct RawRef {
    shape: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum RawShape {
    Structure {
        // Kept as a JSON map so the model's member order survives (`preserve_order`).
        members: Map<String, Value>,
        #[serde(default)]
        required: Vec<String>,
        #[serde(default)]
        union: bool,
        #[serde(default)]
        sensitive: bool,
    },
    List {
        member: RawMember,
        min: Option<usize>,
        max: Option<usize>,
        #[serde(default)]
        sensitive: bool,
    },
    String {
        #[serde(rename = "enum", default)]
        enum_values: Vec<String>,
        pattern: Option<String>,
        min: Option<usize>,
        max: Option<usize>,
        #[serde(default)]
        sensitive: bool,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
        #[serde(default)]
        sensitive: bool,
    },
    Timestamp {
        #[serde(default)]
        sensitive: bool,
    },
}

#[derive(Deserialize)]
struct RawMember {
    shape: String,
    #[serde(default, rename = "idempotencyToken")]
    idempotency_token: bool,
}

impl Shape {
    fn from_raw(name: &str, raw: RawShape) -> Shape {
        let (kind, sensitive) = match raw {
            RawShape::Structure {
                members,
                required,
                union,
                sensitive,
            } => {
                let members = members
                    .into_iter()
                    .map(|(member_name, member)| {
                        let member: RawMember = serde_json::from_value(member)
                            .expect("every member of the bundled model names its shape");
                        Member {
                            required: required.contains(&member_name),
                            name: member_name,
                            shape: member.shape,
                            idempotency_token: member.idempotency_token,
                        }
                    })
                    .collect();
                (
                    ShapeKind::Structure(Structure { members, union }),
                    sensitive,
                )
            }
            RawShape::List {
                member,
                min,
                max,
                sensitive,
            } => (
                ShapeKind::List(List {
                    member: member.shape,
                    min,
                    max,
                }),
                sensitive,
            ),
            RawShape::String {
                enum_values,
                pattern,
                min,
                max,
                sensitive,
            } => (
                ShapeKind::String(StringShape::new(name, enum_values, pattern, min, max)),
                sensitive,
            ),
            RawShape::Integer {
                min,
                max,
                sensitive,
            } => (ShapeKind::Integer(IntegerShape { min, max }), sensitive),
            RawShape::Timestamp { sensitive } => (ShapeKind::Timestamp, sensitive),
        };
        Shape {
            name: name.to_owned(),
            kind,
            sensitive,
        }
    }
}

impl StringShape {
    fn new(
        name: &str,
        enum_values: Vec<String>,
        pattern: Option<String>,
        min: Option<usize>,
        max: Option<usize>,
    ) -> StringShape {
        let mut shape = StringShape {
            enum_values,
            min_length: min,
            max_length: max,
            pattern: None,
        };
        if let Some(model) = pattern {
            let converted = convert_pattern(&model);
            if let Some((low, high)) = converted.length {
                shape.min_length = Some(shape.min_length.map_or(low, |m| m.max(low)));
                shape.max_length = Some(shape.max_length.map_or(high, |m| m.min(high)));
            }
            shape.pattern = converted.format.map(|format| {
                let (description, summary) = describe(name, &model);
                Pattern {
                    model,
                    format,
                    dot_all: converted.dot_all,
                    regex: OnceLock::new(),
                    description,
                    summary,
                }
            });
        }
        shape
    }
}

/// A model pattern split into its length bound and the format left to match.
#[derive(Debug, PartialEq)]
struct Converted {
    length: Option<(usize, usize)>,
    /// The rest of the pattern (in `regex` syntax, not yet anchored); `None` when the length is
    /// the whole rule.
    format: Option<String>,
    dot_all: bool,
}

fn convert_pattern(model: &str) -> Converted {
    let mut rest = model;
    let mut length = None;
    if let Some(after) = rest.strip_prefix("(?=.{")
        && let Some((bounds, tail)) = after.split_once("}$)")
        && let Some(bounds) = parse_bounds(bounds)
    {
        length = Some(bounds);
        rest = tail;
    }
    let dot_all = match rest.strip_prefix("(?s)") {
        Some(tail) => {
            rest = tail;
            true
        }
        None => false,
    };
    // `X{a,b}` where X is one "character": `.` or a single class.
    let atom_len = if rest.starts_with('.') {
        Some(1)
    } else if rest.starts_with('[') {
        class_end(rest)
    } else {
        None
    };
    if let Some(atom_len) = atom_len
        && let Some(bounds) = rest[atom_len..]
            .strip_prefix('{')
            .and_then(|b| b.strip_suffix('}'))
            .and_then(parse_bounds)
        && length.is_none()
    {
        let atom = &rest[..atom_len];
        let format = if atom == "." && dot_all {
            None
        } else {
            Some(format!("{}*", ascii_classes(atom)))
        };
        return Converted {
            length: Some(bounds),
            format,
            dot_all,
        };
    }
    Converted {
        length,
        format: Some(ascii_classes(rest)),
        dot_all,
    }
}

/// `a,b` → `(a, b)`.
fn parse_bounds(bounds: &str) -> Option<(usize, usize)> {
    let (low, high) = bounds.split_once(',')?;
    Some((low.parse().ok()?, high.parse().ok()?))
}

/// The byte length of the character class that opens `pattern` (`[` … `]`), if it is one.
fn class_end(pattern: &str) -> Option<usize> {
    let mut chars = pattern.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => return None, // nested classes are not a single simple class
            ']' if i > 1 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Rewrites `\w` and `\d` to their ASCII meaning (the `regex` crate's are Unicode-wide).
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') if in_class => out.push_str("0-9A-Za-z_"),
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Compiles a format as a full match. Without `(?s)`, `.` stops at line breaks as in the
/// model's dialect (`\n` and `\r`).
fn compile(format: &str, dot_all: bool) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&format!("^(?:{format})$"))
        .dot_matches_new_line(dot_all)
        .crlf(true)
        .build()
}

/// Plain words for the format of the model's patterns: (shape, description, summary).
const DESCRIPTIONS: &[(&str, &str, &str)] = &[
    (
        "Amount",
        "must be a number with up to 2 decimals, e.g. 1500.00",
        "number, up to 2 decimals",
    ),
    (
        "AwsAccount",
        "must be a 12-digit AWS account id or an alias of up to 12 letters, digits or _",
        "12-digit account id or alias",
    ),
    (
        "CatalogIdentifier",
        "must be AWS or Sandbox",
        "AWS or Sandbox",
    ),
    ("ClientToken", "must be on one line", "one line"),
    (
        "CompanyWebsiteUrl",
        "must be a website address such as https://example.com",
        "website address",
    ),
    (
        "Date",
        "must be a real calendar date as YYYY-MM-DD, e.g. 2027-03-31",
        "YYYY-MM-DD",
    ),
    (
        "EngagementArnOrIdentifier",
        "must be an engagement ARN (arn:…) or `eng-` followed by 14 lowercase letters or digits",
        "eng-… id or ARN",
    ),
    (
        "EngagementIdentifier",
        "must be `eng-` followed by 14 lowercase letters or digits",
        "eng-…, 14 lowercase letters or digits",
    ),
    (
        "EngagementInvitationArn",
        "must be an invitation ARN such as \
         arn:aws:partnercentral::123456789012:AWS/engagement-invitation/engi-0123456789abc",
        "invitation ARN",
    ),
    (
        "EngagementInvitationArnOrIdentifier",
        "must be an invitation ARN (arn:…) or `engi-` followed by 13 lowercase letters or digits",
        "engi-… id or ARN",
    ),
    (
        "EngagementInvitationIdentifier",
        "must be `engi-` followed by 13 lowercase letters or digits",
        "engi-…, 13 letters or digits",
    ),
    (
        "EstimationUrl",
        "must be an AWS Pricing Calculator estimate link such as \
         https://calculator.aws/#/estimate?id=<32 to 64 hex digits>",
        "calculator.aws estimate link",
    ),
    (
        "PhoneNumber",
        "must be an international number: + and up to 15 digits",
        "+ and up to 15 digits",
    ),
    (
        "RejectionReasonString",
        "must contain only printable characters (no control characters or emoji)",
        "printable characters",
    ),
    (
        "SenderContactEmail",
        "must be an email address",
        "email address",
    ),
    (
        "AwsMarketplaceOfferIdentifier",
        "must be an AWS Marketplace offer ARN (arn:aws:aws-marketplace:…:AWSMarketplace/Offer/…)",
        "Marketplace offer ARN",
    ),
    (
        "AwsMarketplaceOfferSetIdentifier",
        "must be an AWS Marketplace offer set ARN (arn:aws:aws-marketplace:…:AWSMarketplace/OfferSet/offerset-…)",
        "Marketplace offer set ARN",
    ),
    ("AwsMarketplaceProductArn", "must be an ARN (arn:…)", "ARN"),
    (
        "AwsMarketplaceSolutionIdentifier",
        "must be an ARN (arn:…)",
        "ARN",
    ),
    ("DunsNumber", "must be a 9-digit DUNS number", "9 digits"),
    (
        "Email",
        "must be an email address in lowercase",
        "email address",
    ),
    (
        "EngagementArn",
        "must be an engagement ARN (arn:…)",
        "engagement ARN",
    ),
    (
        "EngagementCustomerProjectDetailsTargetCompletionDateString",
        "must be a date as YYYY-MM-DD",
        "YYYY-MM-DD",
    ),
    (
        "MonetaryValueAmountString",
        "must be a number with up to 2 decimals, e.g. 1500.00",
        "number, up to 2 decimals",
    ),
    (
        "OpportunityArn",
        "must be an opportunity ARN (arn:…)",
        "opportunity ARN",
    ),
    (
        "OpportunityIdentifier",
        "must be `O` followed by 1 to 19 digits, e.g. O1234567890",
        "O and digits",
    ),
    (
        "ProspectingTaskIdentifier",
        "must be `task-` followed by 14 lowercase letters or digits",
        "task-…, 14 letters or digits",
    ),
    (
        "ResourceSnapshotJobIdentifier",
        "must be `job-` followed by 13 lowercase letters or digits",
        "job-…, 13 letters or digits",
    ),
    (
        "SolutionIdentifier",
        "must be `S-` followed by 1 to 19 digits",
        "S- and digits",
    ),
    (
        "TagKey",
        "must be letters, digits, spaces or _ . : / = + - @",
        "letters, digits, _.:/=+-@",
    ),
    (
        "TagValue",
        "must be letters, digits, spaces or _ . : / = + - @",
        "letters, digits, _.:/=+-@",
    ),
    ("TaskArn", "must be a task ARN (arn:…)", "task ARN"),
    (
        "TaskArnOrIdentifier",
        "must be a task ARN (arn:…) or `task-` followed by 13 lowercase letters or digits",
        "task-… id or ARN",
    ),
    (
        "TaskIdentifier",
        "must end in `task-` followed by 13 lowercase letters or digits",
        "task-…, 13 letters or digits",
    ),
];

fn describe(shape: &str, model: &str) -> (String, String) {
    match DESCRIPTIONS.iter().find(|(name, _, _)| *name == shape) {
        Some((_, description, summary)) => ((*description).to_owned(), (*summary).to_owned()),
        None => (
            format!("must match the pattern `{model}`"),
            format!("pattern {model}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn string_shape(name: &str) -> &'static StringShape {
        match &shape(name).unwrap().kind {
            ShapeKind::String(s) => s,
            other => panic!("{name} is {other:?}"),
        }
    }

    #[test]
    fn every_pattern_of_the_model_compiles_and_is_described() {
        let mut patterns = 0;
        for shape in shapes() {
            if let ShapeKind::String(string) = &shape.kind
                && let Some(pattern) = &string.pattern
            {
                patterns += 1;
                // Compiled now (it panics naming the pattern if it does not compile).
                pattern.regex();
                assert!(
                    !pattern.description.starts_with("must match the pattern"),
                    "{} has no plain-words description",
                    shape.name
                );
            }
        }
        // Every pattern that keeps a format part is described; the others are pure lengths.
        assert_eq!(patterns, DESCRIPTIONS.len());
    }

    #[test]
    fn every_model_pattern_becomes_a_format_or_a_length() {
        let raw: Value = serde_json::from_str(include_str!(
            "../../assets/partnercentral-selling-2022-07-26.shapes.json"
        ))
        .unwrap();
        let mut checked = 0;
        for (name, raw_shape) in raw["shapes"].as_object().unwrap() {
            let Some(model) = raw_shape.get("pattern").and_then(Value::as_str) else {
                continue;
            };
            let string = string_shape(name);
            let kept = string.pattern.as_ref().map(|p| p.model.as_str());
            assert!(
                kept == Some(model) || (kept.is_none() && string.max_length.is_some()),
                "{name}: `{model}` was neither kept nor turned into a length"
            );
            checked += 1;
        }
        assert_eq!(checked, 69);
    }

    #[test]
    fn the_asset_is_the_generated_subset_without_documentation() {
        let text = include_str!("../../assets/partnercentral-selling-2022-07-26.shapes.json");
        assert!(!text.contains("\"documentation\""));
        // Every shape is reachable from an operation's input, output or errors, as
        // assets/generate-shapes.py keeps them: nothing was added by hand.
        let raw: Value = serde_json::from_str(text).unwrap();
        let mut wanted: Vec<&str> = Vec::new();
        for operation in raw["operations"].as_object().unwrap().values() {
            wanted.extend(operation["input"]["shape"].as_str());
            wanted.extend(operation["output"]["shape"].as_str());
            for error in operation["errors"].as_array().into_iter().flatten() {
                wanted.extend(error["shape"].as_str());
            }
        }
        let mut reached = std::collections::HashSet::new();
        while let Some(name) = wanted.pop() {
            if !reached.insert(name) {
                continue;
            }
            let shape = &raw["shapes"][name];
            wanted.extend(shape["member"]["shape"].as_str());
            for member in shape["members"].as_object().into_iter().flatten() {
                wanted.extend(member.1["shape"].as_str());
            }
        }
        assert_eq!(reached.len(), raw["shapes"].as_object().unwrap().len());
    }

    #[test]
    fn every_referenced_shape_exists() {
        for shape in shapes() {
            let targets: Vec<&str> = match &shape.kind {
                ShapeKind::Structure(structure) => {
                    structure.members.iter().map(|m| m.shape.as_str()).collect()
                }
                ShapeKind::List(list) => vec![list.member.as_str()],
                _ => Vec::new(),
            };
            for target in targets {
                assert!(self::shape(target).is_some(), "{} → {target}", shape.name);
            }
        }
    }

    #[test]
    fn operations_name_the_shapes_the_typed_model_uses() {
        for operation in Operation::ALL {
            assert_eq!(input_shape(operation), Some(operation.input_shape()));
        }
        // The subset holds exactly the operations pcinbox calls (assets/generate-shapes.py).
        let mut names: Vec<&str> = MODEL.operations.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut called: Vec<&str> = Operation::ALL.iter().map(|op| op.name()).collect();
        called.sort_unstable();
        assert_eq!(names, called);
        assert_eq!(
            output_shape(Operation::GetEngagementInvitation),
            Some("GetEngagementInvitationResponse")
        );
        assert_eq!(output_shape(Operation::AcceptEngagementInvitation), None);
    }

    #[test]
    fn look_ahead_becomes_a_length_bound_plus_the_format() {
        let email = string_shape("SenderContactEmail");
        assert_eq!((email.min_length, email.max_length), (Some(1), Some(80)));
        let pattern = email.pattern.as_ref().unwrap();
        assert!(pattern.is_match("ana@example.com"));
        assert!(!pattern.is_match("ana.example.com"));
        let id = string_shape("EngagementInvitationArnOrIdentifier");
        assert_eq!((id.min_length, id.max_length), (Some(1), Some(255)));
        assert!(id.pattern.as_ref().unwrap().is_match("engi-0123456789abc"));
    }

    #[test]
    fn pure_length_patterns_have_no_format() {
        let name = string_shape("CompanyName");
        assert_eq!((name.min_length, name.max_length), (Some(1), Some(120)));
        assert!(name.pattern.is_none());
        assert_eq!(
            convert_pattern("(?s).{0,80}"),
            Converted {
                length: Some((0, 80)),
                format: None,
                dot_all: true
            }
        );
    }

    #[test]
    fn a_single_class_with_a_length_keeps_only_the_class() {
        let reason = string_shape("RejectionReasonString");
        assert_eq!((reason.min_length, reason.max_length), (Some(1), Some(80)));
        let pattern = reason.pattern.as_ref().unwrap();
        assert!(pattern.is_match("Not our segment, é ü"));
        assert!(!pattern.is_match("tab\there"));
        assert!(!pattern.is_match("emoji 🎉"));
    }

    #[test]
    fn dot_without_dot_all_stops_at_line_breaks() {
        let token = string_shape("ClientToken");
        assert_eq!((token.min_length, token.max_length), (Some(1), Some(255)));
        let pattern = token.pattern.as_ref().unwrap();
        assert!(pattern.is_match("token ü"));
        assert!(!pattern.is_match("two\nlines"));
        assert!(!pattern.is_match("two\rlines"));
    }

    #[test]
    fn patterns_are_full_matches_with_ascii_word_and_digit_classes() {
        let account = string_shape("AwsAccount").pattern.as_ref().unwrap();
        assert!(account.is_match("123456789012"));
        assert!(account.is_match("my_alias"));
        assert!(!account.is_match("1234567890123"));
        assert!(!account.is_match("café"));
        let phone = string_shape("PhoneNumber").pattern.as_ref().unwrap();
        assert!(phone.is_match("+14155550100"));
        assert!(!phone.is_match("+1٤١٥")); // Arabic-Indic digits are not \d here
        assert!(!phone.is_match("call +14155550100"));
    }

    #[test]
    fn structures_keep_model_order_required_and_idempotency_flags() {
        let create = structure("CreateEngagementInvitationRequest").unwrap();
        assert_eq!(
            create.member_names().collect::<Vec<_>>(),
            [
                "Catalog",
                "ClientToken",
                "EngagementIdentifier",
                "Invitation"
            ]
        );
        let token = create.member("ClientToken").unwrap();
        assert!(token.required && token.idempotency_token);
        assert!(structure("Payload").unwrap().union);
        assert!(!create.union);
    }

    #[test]
    fn sensitivity_comes_from_the_model() {
        assert!(is_sensitive("SenderContactEmail"));
        assert!(is_sensitive("CountryCode"));
        assert!(!is_sensitive("EngagementIdentifier"));
        assert!(!is_sensitive("NoSuchShape"));
    }

    #[test]
    fn redact_hides_sensitive_values_in_nested_lists_and_unions() {
        let body = json!({
            "Catalog": "Sandbox",
            "Invitation": {
                "Message": "secret",
                "Receiver": {"Account": {"AwsAccountId": "123456789012"}},
                "Payload": {"LeadInvitation": {
                    "Customer": {"CompanyName": "Acme", "Industry": "Retail"},
                    "Interaction": {"ContactBusinessTitle": "CTO", "SourceName": "web"}
                }}
            },
            "Unmodelled": "kept"
        });
        let redacted = redact("CreateEngagementInvitationRequest", &body);
        assert_eq!(
            redacted,
            json!({
                "Catalog": "Sandbox",
                "Invitation": {
                    "Message": REDACTED,
                    "Receiver": {"Account": {"AwsAccountId": REDACTED}},
                    "Payload": {"LeadInvitation": {
                        "Customer": {"CompanyName": REDACTED, "Industry": "Retail"},
                        "Interaction": {"ContactBusinessTitle": REDACTED, "SourceName": "web"}
                    }}
                },
                "Unmodelled": "kept"
            })
        );
    }
}
