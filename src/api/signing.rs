//! SigV4 for Partner Central Selling: signing the client's requests with aws-sigv4, and
//! checking a received request's signature (the emulator's `--verify-credentials`).

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;

/// The service's SigV4 signing name.
pub const SIGNING_NAME: &str = "partnercentral-selling";

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// Format of `X-Amz-Date`.
const AMZ_DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Signs a request and returns the headers to add: `authorization`, `x-amz-date` and, for
/// temporary credentials, `x-amz-security-token`. `url` is absolute; `headers` are the ones to
/// sign besides those (`host` comes from the URL).
pub fn signing_headers(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    credentials: &Credentials,
    region: &str,
    time: SystemTime,
) -> Result<Vec<(&'static str, String)>, String> {
    let identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(SIGNING_NAME)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| e.to_string())?;
    // aws-sigv4 traces its parameters, access key id included; credentials never reach a log.
    let signed =
        tracing::dispatcher::with_default(&tracing::Dispatch::none(), || sign(request, &params));
    let (instructions, _signature) = signed.map_err(|e| e.to_string())?.into_parts();
    let (headers, _params) = instructions.into_parts();
    Ok(headers
        .into_iter()
        .map(|h| (h.name(), h.value().to_owned()))
        .collect())
}

/// The parts of a SigV4 `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    /// `YYYYMMDD` of the credential scope.
    pub date: String,
    pub region: String,
    pub service: String,
    /// Lower-case names, in the header's order.
    pub signed_headers: Vec<String>,
    /// 64 lower-case hex digits.
    pub signature: String,
}

impl Authorization {
    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
    /// SignedHeaders=a;b, Signature=hex`; `None` if any part is missing or malformed.
    pub fn parse(header: &str) -> Option<Authorization> {
        let rest = header.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in rest.split(',') {
            let (key, value) = part.trim().split_once('=')?;
            let slot = match key {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => return None,
            };
            if slot.replace(value).is_some() {
                return None;
            }
        }
        let scope: Vec<&str> = credential?.split('/').collect();
        let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
            return None;
        };
        let signed_headers: Vec<String> = signed_headers?.split(';').map(str::to_owned).collect();
        let signature = signature?;
        let well_formed = !access_key_id.is_empty()
            && date.len() == 8
            && date.bytes().all(|b| b.is_ascii_digit())
            && !region.is_empty()
            && !service.is_empty()
            && signed_headers.iter().all(|h| {
                !h.is_empty()
                    && h.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
            && signed_headers.iter().any(|h| h == "host")
            && signature.len() == 64
            && signature
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| Authorization {
            access_key_id: access_key_id.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            signed_headers,
            signature: signature.to_owned(),
        })
    }
}

/// Whether an `Authorization` header is a well-formed SigV4 header (any credentials).
pub fn is_well_formed_authorization(header: &str) -> bool {
    Authorization::parse(header).is_some()
}

/// The signing time of a request (`X-Amz-Date`, e.g. `20261123T092332Z`).
pub fn request_time(headers: &http::HeaderMap) -> Option<SystemTime> {
    let value = headers.get("x-amz-date")?.to_str().ok()?;
    chrono::NaiveDateTime::parse_from_str(value, AMZ_DATE_FORMAT)
        .ok()
        .map(|t| SystemTime::from(t.and_utc()))
}

/// Recomputes a request's SigV4 signature with the given credentials and compares it with its
/// `Authorization` header; the error says what did not match.
///
/// The request is re-signed with aws-sigv4 at its own `X-Amz-Date`, over exactly the headers
/// it says it signed, so any change to the body, a signed header, the scope or the secret key
/// shows. Whether the date is recent enough is the caller's policy, not checked here.
pub fn verify_signature(
    method: &str,
    uri: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    access_key_id: &str,
    secret_access_key: &str,
) -> Result<(), String> {
    let header = headers
        .get(http::header::AUTHORIZATION)
        .ok_or("the request has no Authorization header")?
        .to_str()
        .map_err(|_| "the Authorization header is not text")?;
    let claimed = Authorization::parse(header)
        .ok_or("the Authorization header is not a well-formed SigV4 header")?;
    if claimed.access_key_id != access_key_id {
        return Err(format!(
            "signed with access key `{}`, expected `{access_key_id}`",
            claimed.access_key_id
        ));
    }
    if claimed.service != SIGNING_NAME {
        return Err(format!(
            "signed for service `{}`, expected `{SIGNING_NAME}`",
            claimed.service
        ));
    }
    if !claimed.signed_headers.iter().any(|h| h == "x-amz-date") {
        return Err("X-Amz-Date is not among the signed headers".into());
    }
    let time = request_time(headers).ok_or("X-Amz-Date is missing or not YYYYMMDDTHHMMSSZ")?;
    let scope_date = chrono::DateTime::<chrono::Utc>::from(time)
        .format("%Y%m%d")
        .to_string();
    if scope_date != claimed.date {
        return Err(format!(
            "the credential scope date {} is not the X-Amz-Date's day {scope_date}",
            claimed.date
        ));
    }

    // The signer adds x-amz-date and the session token itself; every other signed header is
    // passed with all its values.
    let mut signed = Vec::new();
    for name in &claimed.signed_headers {
        if name == "x-amz-date" || name == "x-amz-security-token" {
            continue;
        }
        let values: Vec<&str> = headers
            .get_all(name.as_str())
            .iter()
            .map(|v| {
                v.to_str()
                    .map_err(|_| format!("signed header `{name}` is not text"))
            })
            .collect::<Result<_, _>>()?;
        if values.is_empty() {
            return Err(format!(
                "signed header `{name}` is missing from the request"
            ));
        }
        signed.extend(values.into_iter().map(|v| (name.as_str(), v)));
    }
    let session_token = if claimed
        .signed_headers
        .iter()
        .any(|h| h == "x-amz-security-token")
    {
        let token = headers
            .get("x-amz-security-token")
            .ok_or("signed header `x-amz-security-token` is missing from the request")?
            .to_str()
            .map_err(|_| "X-Amz-Security-Token is not text")?;
        Some(token.to_owned())
    } else {
        None
    };
    // Only the path and query count; the host comes from the signed `host` header.
    let path_and_query = match uri.parse::<http::Uri>() {
        Ok(parsed) => parsed
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
        Err(_) => return Err(format!("`{uri}` is not a request URI")),
    };
    let url = format!("http://signed-host{path_and_query}");
    let credentials = Credentials::new(
        access_key_id,
        secret_access_key,
        session_token,
        None,
        "verify",
    );
    let expected = signing_headers(
        method,
        &url,
        &signed,
        body,
        &credentials,
        &claimed.region,
        time,
    )?;
    let recomputed = expected
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, value)| Authorization::parse(value))
        .ok_or("could not recompute the signature")?;
    if recomputed.signed_headers != claimed.signed_headers {
        return Err(format!(
            "signed headers `{}` are not in canonical order (expected `{}`)",
            claimed.signed_headers.join(";"),
            recomputed.signed_headers.join(";")
        ));
    }
    if !constant_time_eq(
        recomputed.signature.as_bytes(),
        claimed.signature.as_bytes(),
    ) {
        return Err(
            "the signature does not match: the secret key, the body or a signed header differs"
                .into(),
        );
    }
    Ok(())
}

/// Compares without stopping at the first difference, so timing does not leak the signature.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNATURE: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn authorization_header_parses() {
        let header = format!(
            "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/partnercentral-selling/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature={SIGNATURE}"
        );
        let parsed = Authorization::parse(&header).unwrap();
        assert_eq!(parsed.access_key_id, "AKID");
        assert_eq!(parsed.region, "us-east-1");
        assert_eq!(
            parsed.signed_headers,
            ["content-type", "host", "x-amz-date"]
        );
        assert!(is_well_formed_authorization(&header));
    }

    #[test]
    fn malformed_authorization_headers_are_refused() {
        let good_scope = "Credential=AKID/20261123/us-east-1/svc/aws4_request";
        for header in [
            String::new(),
            "AWS4-HMAC-SHA256".into(),
            format!("AWS4-HMAC-SHA256 {good_scope}, SignedHeaders=host"),
            format!("AWS4-HMAC-SHA256 {good_scope}, SignedHeaders=host, Signature=zz"),
            format!(
                "AWS4-HMAC-SHA256 {good_scope}, SignedHeaders=x-amz-date, Signature={SIGNATURE}"
            ),
            format!(
                "AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/svc/aws4_request, SignedHeaders=host, Signature={SIGNATURE}"
            ),
            format!(
                "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/svc/other, SignedHeaders=host, Signature={SIGNATURE}"
            ),
            format!("Bearer {good_scope}, SignedHeaders=host, Signature={SIGNATURE}"),
        ] {
            assert!(!is_well_formed_authorization(&header), "{header}");
        }
    }

    fn signed_request(body: &[u8], session_token: Option<&str>) -> http::HeaderMap {
        let credentials = Credentials::new(
            "AKID",
            "SECRET",
            session_token.map(str::to_owned),
            None,
            "test",
        );
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000);
        let added = signing_headers(
            "POST",
            "http://127.0.0.1:4567/",
            &[("content-type", "application/x-amz-json-1.0")],
            body,
            &credentials,
            "us-east-1",
            time,
        )
        .unwrap();
        let mut headers = http::HeaderMap::new();
        headers.insert("host", "127.0.0.1:4567".parse().unwrap());
        headers.insert(
            "content-type",
            "application/x-amz-json-1.0".parse().unwrap(),
        );
        for (name, value) in added {
            headers.insert(name, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn a_signed_request_verifies_and_a_changed_one_does_not() {
        for token in [None, Some("TOKEN")] {
            let headers = signed_request(b"{}", token);
            assert_eq!(
                headers
                    .get("x-amz-security-token")
                    .map(|v| v.to_str().unwrap()),
                token
            );
            verify_signature("POST", "/", &headers, b"{}", "AKID", "SECRET").unwrap();
            assert!(verify_signature("POST", "/", &headers, b"{ }", "AKID", "SECRET").is_err());
            assert!(verify_signature("POST", "/", &headers, b"{}", "AKID", "OTHER").is_err());
            let other_key = verify_signature("POST", "/", &headers, b"{}", "AKID2", "SECRET");
            assert!(other_key.unwrap_err().contains("access key"));
            let mut moved = headers.clone();
            moved.insert("host", "example.com".parse().unwrap());
            assert!(verify_signature("POST", "/", &moved, b"{}", "AKID", "SECRET").is_err());
        }
    }

    #[test]
    fn unsigned_extra_headers_do_not_matter() {
        let mut headers = signed_request(b"{}", None);
        headers.insert("user-agent", "curl".parse().unwrap());
        verify_signature("POST", "/", &headers, b"{}", "AKID", "SECRET").unwrap();
        headers.remove("content-type");
        let missing = verify_signature("POST", "/", &headers, b"{}", "AKID", "SECRET");
        assert!(missing.unwrap_err().contains("content-type"));
    }
}
