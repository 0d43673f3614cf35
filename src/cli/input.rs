//! Reading a `--cli-input-json` document for a create: from a file, `file://` URL or stdin,
//! checked in full against the model before anything is sent.
//!
//! The document is the AWS CLI's `create-engagement-invitation` input (Catalog,
//! EngagementIdentifier, Invitation, optional ClientToken), so files people already have work.

use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;

use crate::api::model::{CreateEngagementInvitationRequest, Operation};
use crate::api::validate::{Violation, validate_input};

/// Documents larger than this are refused before parsing (a create is a few KiB at most).
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// Why a document could not become a request.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {source_name}: {error}")]
    Read {
        source_name: String,
        error: std::io::Error,
    },
    #[error("{source_name} is larger than {MAX_INPUT_BYTES} bytes; a create document is a few KiB")]
    TooLarge { source_name: String },
    #[error("{source_name} is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { source_name: String, offset: usize },
    #[error("{source_name}: malformed JSON at line {line}, column {column}: {message}")]
    Json {
        source_name: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{source_name}: the document must be a JSON object")]
    NotAnObject { source_name: String },
    /// Every broken rule of the model, each naming its field.
    #[error("{} problem(s) in the request:{}", .0.len(), .0.iter().map(|v| format!("\n  {v}")).collect::<String>())]
    Invalid(Vec<Violation>),
}

/// Where a create's ClientToken came from: a conflict over a token the user chose needs
/// different advice than one over a fresh token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Document,
    Generated,
}

impl TokenSource {
    /// What to do when the service says the token was used before with other parameters.
    pub fn conflict_advice(self) -> &'static str {
        match self {
            TokenSource::Flag => {
                "The ClientToken came from --client-token: to send this as a new invitation, \
                 pass a new value or leave the flag out (a new token is made)"
            }
            TokenSource::Document => {
                "The ClientToken came from the document: to send this as a new invitation, \
                 drop ClientToken from the document (a new token is made) or pass \
                 --client-token with a new value"
            }
            TokenSource::Generated => "",
        }
    }
}

/// Reads `source` (`file://PATH`, `PATH` or `-`), fills the ClientToken (the flag's, else the
/// document's, else a new UUID) and validates the whole request.
pub fn read_create_input(
    source: &str,
    client_token: Option<&str>,
    stdin: &mut dyn Read,
) -> Result<(CreateEngagementInvitationRequest, TokenSource), InputError> {
    let (source_name, bytes) = read_source(source, stdin)?;
    parse_create_document(&source_name, &bytes, client_token)
}

/// Reads `source` (`file://PATH`, `PATH` or `-`) as a JSON object, without checking the model's
/// rules (the composer opens a document that breaks them, to fix it there); says which source
/// it was, for messages.
pub fn read_document(source: &str, stdin: &mut dyn Read) -> Result<(String, Value), InputError> {
    let (source_name, bytes) = read_source(source, stdin)?;
    let object = parse_document(&source_name, &bytes)?;
    Ok((source_name, Value::Object(object)))
}

fn read_source(source: &str, stdin: &mut dyn Read) -> Result<(String, Vec<u8>), InputError> {
    let mut bytes = Vec::new();
    let source_name;
    let result = if source == "-" {
        source_name = "standard input".to_owned();
        stdin.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)
    } else {
        let path = PathBuf::from(source.strip_prefix("file://").unwrap_or(source));
        source_name = path.display().to_string();
        std::fs::File::open(&path).and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
    };
    if let Err(error) = result {
        return Err(InputError::Read { source_name, error });
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { source_name });
    }
    Ok((source_name, bytes))
}

/// Parses and validates a create document already in memory.
fn parse_create_document(
    source_name: &str,
    bytes: &[u8],
    client_token: Option<&str>,
) -> Result<(CreateEngagementInvitationRequest, TokenSource), InputError> {
    let mut object = parse_document(source_name, bytes)?;
    let token = match client_token {
        Some(token) => {
            object.insert("ClientToken".into(), Value::String(token.to_owned()));
            TokenSource::Flag
        }
        None if object.get("ClientToken").is_none_or(Value::is_null) => {
            object.insert(
                "ClientToken".into(),
                Value::String(uuid::Uuid::new_v4().to_string()),
            );
            TokenSource::Generated
        }
        None => TokenSource::Document,
    };
    let document = Value::Object(object);
    let violations = validate_input(Operation::CreateEngagementInvitation, &document);
    if !violations.is_empty() {
        return Err(InputError::Invalid(violations));
    }
    // Valid under the model means the typed request can hold it; a failure here is still
    // reported, never a panic.
    let request = serde_json::from_value(document).map_err(|e| {
        InputError::Invalid(vec![Violation {
            path: String::new(),
            message: e.to_string(),
            code: crate::api::model::ValidationErrorCode::InvalidValue,
        }])
    })?;
    Ok((request, token))
}

/// UTF-8 JSON whose top level is an object.
fn parse_document(
    source_name: &str,
    bytes: &[u8],
) -> Result<serde_json::Map<String, Value>, InputError> {
    let source_name = source_name.to_owned();
    let text = std::str::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        source_name: source_name.clone(),
        offset: e.valid_up_to(),
    })?;
    let document: Value = serde_json::from_str(text).map_err(|e| InputError::Json {
        source_name: source_name.clone(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    match document {
        Value::Object(object) => Ok(object),
        _ => Err(InputError::NotAnObject { source_name }),
    }
}

/// serde_json appends " at line L column C"; the error already says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"{
        "Catalog": "Sandbox",
        "EngagementIdentifier": "eng-abcdefghij0123",
        "Invitation": {
            "Message": "Let's work on this together",
            "Receiver": {"Account": {"AwsAccountId": "123456789012", "Alias": "Partner"}},
            "Payload": {"LeadInvitation": {
                "Customer": {"CompanyName": "Müller Logistik GmbH"},
                "Interaction": {"ContactBusinessTitle": "CTO"}
            }}
        }
    }"#;

    #[test]
    fn malformed_json_names_line_and_column() {
        let err = parse_create_document(
            "doc.json",
            b"{\n  \"Catalog\": \"Sandbox\",\n  oops\n}",
            None,
        )
        .unwrap_err();
        match err {
            InputError::Json { line, column, .. } => assert_eq!((line, column), (3, 3)),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn non_utf8_and_oversized_input_are_refused() {
        let err = parse_create_document("doc.json", b"{\"a\": \"\xff\"}", None).unwrap_err();
        assert!(
            matches!(err, InputError::NotUtf8 { offset: 7, .. }),
            "{err}"
        );
        let big = vec![b' '; MAX_INPUT_BYTES as usize + 10];
        let err = read_create_input("-", None, &mut big.as_slice()).unwrap_err();
        assert!(matches!(err, InputError::TooLarge { .. }), "{err}");
    }

    #[test]
    fn client_token_comes_from_flag_then_document_then_uuid() {
        let (request, source) =
            parse_create_document("d", VALID.as_bytes(), Some("flag-token")).unwrap();
        assert_eq!(request.client_token.as_deref(), Some("flag-token"));
        assert_eq!(source, TokenSource::Flag);
        let (generated, source) = parse_create_document("d", VALID.as_bytes(), None).unwrap();
        assert_eq!(source, TokenSource::Generated);
        let token = generated.client_token.unwrap();
        assert!(uuid::Uuid::parse_str(&token).is_ok(), "{token}");
        let with_token = VALID.replacen(
            "\"Catalog\"",
            "\"ClientToken\": \"doc-token\", \"Catalog\"",
            1,
        );
        let (request, source) = parse_create_document("d", with_token.as_bytes(), None).unwrap();
        assert_eq!(request.client_token.as_deref(), Some("doc-token"));
        assert_eq!(source, TokenSource::Document);
    }

    #[test]
    fn reads_files_by_path_and_file_url_and_keeps_non_ascii() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("create.json");
        std::fs::write(&path, VALID).unwrap();
        let (by_path, _) =
            read_create_input(path.to_str().unwrap(), None, &mut std::io::empty()).unwrap();
        let (by_url, _) = read_create_input(
            &format!("file://{}", path.display()),
            None,
            &mut std::io::empty(),
        )
        .unwrap();
        assert_eq!(by_path.invitation, by_url.invitation);
        let json = serde_json::to_string(&by_path.invitation).unwrap();
        assert!(json.contains("Müller Logistik GmbH"));
        let missing = read_create_input("/nonexistent/x.json", None, &mut std::io::empty());
        assert!(matches!(missing, Err(InputError::Read { .. })));
    }
}
