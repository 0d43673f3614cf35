//! `--output json` of a listing, built page by page: the bytes `write_json` would print for
//! `{"<result key>": [...]}`, with each item (as the service sent it) reindented into place as
//! its page arrives, while the next page is fetched. A listing of 10,000 is held as its JSON
//! text only, never as values. Nothing reaches stdout until the listing is complete, so a
//! failed listing prints no partial document.
//!
//! Reindenting copies the service's text: only strings with escapes and numbers that are not
//! plain integers go through serde_json, so they print exactly as `write_json` prints them.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use serde_json::value::RawValue;

const INDENT: &[u8] = b"    ";

/// The listing's JSON so far.
pub struct ListingJson {
    text: Vec<u8>,
    /// Where the serializer of the whole document would be: inside the array, two levels deep.
    formatter: PrettyFormatter<'static>,
    first: bool,
}

impl ListingJson {
    /// `{"<result_key>": [`, through the formatter so its indentation follows.
    pub fn new(result_key: &str) -> ListingJson {
        let mut text = Vec::with_capacity(1 << 20);
        let mut formatter = PrettyFormatter::with_indent(INDENT);
        head(&mut text, &mut formatter, result_key).expect("writing into a Vec does not fail");
        ListingJson {
            text,
            formatter,
            first: true,
        }
    }

    /// Appends one item, exactly as the service sent it.
    pub fn push_raw(&mut self, item: &RawValue) -> std::io::Result<()> {
        self.formatter
            .begin_array_value(&mut self.text, self.first)?;
        reindent(item.get().as_bytes(), 2, &mut self.text)?;
        self.formatter.end_array_value(&mut self.text)?;
        self.first = false;
        Ok(())
    }

    /// The whole document, with the final newline `write_json` adds; `next_token`, if any, as
    /// a `NextToken` member after the items, where the AWS CLI puts the token of a listing
    /// cut short.
    pub fn finish(mut self, next_token: Option<&str>) -> std::io::Result<Vec<u8>> {
        self.formatter.end_array(&mut self.text)?;
        self.formatter.end_object_value(&mut self.text)?;
        if let Some(token) = next_token {
            self.formatter.begin_object_key(&mut self.text, false)?;
            serde_json::to_writer(&mut self.text, "NextToken")?;
            self.formatter.end_object_key(&mut self.text)?;
            self.formatter.begin_object_value(&mut self.text)?;
            serde_json::to_writer(&mut self.text, token)?;
            self.formatter.end_object_value(&mut self.text)?;
        }
        self.formatter.end_object(&mut self.text)?;
        self.text.push(b'\n');
        Ok(self.text)
    }
}

fn head(text: &mut Vec<u8>, formatter: &mut PrettyFormatter, key: &str) -> std::io::Result<()> {
    formatter.begin_object(text)?;
    formatter.begin_object_key(text, true)?;
    serde_json::to_writer(&mut *text, key)?;
    formatter.end_object_key(text)?;
    formatter.begin_object_value(text)?;
    formatter.begin_array(text)
}

fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    for _ in 0..depth {
        out.extend_from_slice(INDENT);
    }
}

/// Writes the valid JSON value `input` (a `RawValue`) as serde_json's pretty printer with a
/// four-space indent would, starting `depth` levels deep.
fn reindent(input: &[u8], mut depth: usize, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                let next = skip_space(input, i + 1);
                out.push(open);
                if input.get(next) == Some(&close) {
                    out.push(close);
                    i = next + 1;
                } else {
                    depth += 1;
                    newline(out, depth);
                    i += 1;
                }
            }
            close @ (b'}' | b']') => {
                depth -= 1;
                newline(out, depth);
                out.push(close);
                i += 1;
            }
            b',' => {
                out.push(b',');
                newline(out, depth);
                i += 1;
            }
            b':' => {
                out.extend_from_slice(b": ");
                i += 1;
            }
            b'"' => i = string(input, i, out)?,
            _ => i = scalar(input, i, out)?,
        }
    }
    Ok(())
}

fn skip_space(input: &[u8], mut i: usize) -> usize {
    while matches!(input.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The string starting at `start` (its opening quote); returns the index after it.
fn string(input: &[u8], start: usize, out: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut i = start + 1;
    let mut escaped = false;
    loop {
        match memchr::memchr2(b'"', b'\\', &input[i..]) {
            Some(at) if input[i + at] == b'\\' => {
                escaped = true;
                i += at + 2;
            }
            Some(at) => {
                i += at + 1;
                break;
            }
            None => return Err(std::io::Error::other("unterminated string in a listing")),
        }
    }
    let literal = &input[start..i];
    if escaped {
        // Escapes as serde_json writes them (`\u00e9` becomes `é`, `\/` becomes `/`).
        let text: String = serde_json::from_slice(literal).map_err(std::io::Error::other)?;
        serde_json::to_writer(&mut *out, &text)?;
    } else {
        out.extend_from_slice(literal);
    }
    Ok(i)
}

/// A number, `true`, `false` or `null` starting at `start`; returns the index after it.
fn scalar(input: &[u8], start: usize, out: &mut Vec<u8>) -> std::io::Result<usize> {
    let end = input[start..]
        .iter()
        .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
        .map_or(input.len(), |at| start + at);
    let literal = &input[start..end];
    let digits = literal.strip_prefix(b"-").unwrap_or(literal);
    let plain_integer = !digits.is_empty()
        && digits.len() < 19
        && digits.iter().all(u8::is_ascii_digit)
        && literal != b"-0";
    if plain_integer || matches!(literal, b"true" | b"false" | b"null") {
        out.extend_from_slice(literal);
    } else {
        // Fractions, exponents and huge integers as serde_json prints the number it reads.
        let number: serde_json::Value =
            serde_json::from_slice(literal).map_err(std::io::Error::other)?;
        number
            .serialize(&mut serde_json::Serializer::new(&mut *out))
            .map_err(std::io::Error::other)?;
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::cli::output::write_json;

    /// The bytes `write_json` prints for `{key: items}` (and its NextToken), items decoded
    /// first.
    fn expected(key: &str, items: &[&str], next_token: Option<&str>) -> String {
        let values: Vec<Value> = items
            .iter()
            .map(|item| serde_json::from_str(item).unwrap())
            .collect();
        let mut document = serde_json::Map::new();
        document.insert(key.to_owned(), Value::Array(values));
        if let Some(token) = next_token {
            document.insert("NextToken".to_owned(), Value::from(token));
        }
        let mut printed = Vec::new();
        write_json(&mut printed, &Value::Object(document)).unwrap();
        String::from_utf8(printed).unwrap()
    }

    fn listed(key: &str, items: &[&str], next_token: Option<&str>) -> String {
        let mut json = ListingJson::new(key);
        for item in items {
            let raw: Box<RawValue> = serde_json::from_str(item).unwrap();
            json.push_raw(&raw).unwrap();
        }
        String::from_utf8(json.finish(next_token).unwrap()).unwrap()
    }

    #[test]
    fn the_bytes_are_those_of_the_whole_document_pretty_printed() {
        let items = [
            r#"{"Id":"engi-1","Title":"Title \"1\"\nwith a newline and \u00fcn\u00efcode \/ ok","Catalog":"Sandbox"}"#,
            r#"{ "Id" : "engi-2", "Receiver": {"Account": {"Alias": "A", "AwsAccountId": "4444"}},
                 "Empty": {}, "None": [ ], "List": [1, -2, 3.50, 1e3, 12345678901234567890, -0, true, null, "ü"],
                 "Nested": [[], [{}], {"a": [ {"b": false} ]}] }"#,
            r#""a bare string""#,
            "42",
            "[]",
        ];
        for count in 0..=items.len() {
            for next_token in [None, Some("eyJOZXh0VG9rZW4iOiBudWxsfQ==")] {
                assert_eq!(
                    listed("EngagementMemberList", &items[..count], next_token),
                    expected("EngagementMemberList", &items[..count], next_token),
                    "{count} items, NextToken {next_token:?}"
                );
            }
        }
    }
}
