//! `--output text`: the AWS CLI's text format (awscli/text.py), ported rule for rule so the same
//! data prints the same bytes.
//!
//! A JSON object prints its scalar values on one tab-separated line, in key order, after the
//! upper-cased name of the key that holds it; its lists and objects follow, each under its own
//! key's name. The objects of a list share one set of columns (every scalar key of any of
//! them, sorted), so their lines line up. A list of scalars prints on one line, or one line per
//! value under a name. Values print as Python's `str` prints them (`True`, `None`, `1.0`).
//! Like JSON output (and unlike `table`), the data is printed exactly as received.

use serde_json::{Map, Value};

/// Appends the text form of `value` to `out`.
pub fn format(value: &Value, out: &mut String) {
    format_value(value, out, None, None);
}

fn format_value(value: &Value, out: &mut String, identifier: Option<&str>, keys: Option<&[&str]>) {
    match value {
        Value::Object(object) => format_object(object, out, identifier, keys),
        Value::Array(list) => format_list(list, out, identifier),
        scalar => {
            push_str_of(scalar, out);
            out.push('\n');
        }
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

fn format_list(list: &[Value], out: &mut String, identifier: Option<&str>) {
    if list.is_empty() {
        return;
    }
    if list.iter().any(Value::is_object) {
        let keys = scalar_keys(list);
        for element in list {
            format_value(element, out, identifier, Some(&keys));
        }
    } else if list.iter().any(Value::is_array) {
        let (scalars, nested): (Vec<&Value>, Vec<&Value>) =
            list.iter().partition(|element| is_scalar(element));
        if !scalars.is_empty() {
            format_scalars(&scalars, out, identifier);
        }
        for element in nested {
            format_value(element, out, identifier, None);
        }
    } else {
        format_scalars(&list.iter().collect::<Vec<_>>(), out, identifier);
    }
}

fn format_scalars(values: &[&Value], out: &mut String, identifier: Option<&str>) {
    match identifier {
        Some(identifier) => {
            let name = identifier.to_uppercase();
            for value in values {
                out.push_str(&name);
                out.push('\t');
                push_str_of(value, out);
                out.push('\n');
            }
        }
        None => {
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out.push('\t');
                }
                push_str_of(value, out);
            }
            out.push('\n');
        }
    }
}

fn format_object(
    object: &Map<String, Value>,
    out: &mut String,
    identifier: Option<&str>,
    keys: Option<&[&str]>,
) {
    let mut line: Vec<String> = Vec::new();
    let mut nested: Vec<(&str, &Value)> = Vec::new();
    match keys {
        None => {
            let mut sorted: Vec<(&String, &Value)> = object.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in sorted {
                if is_scalar(value) {
                    line.push(str_of(value));
                } else {
                    nested.push((key, value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                line.push(object.get(*key).map(str_of).unwrap_or_default());
            }
            let mut rest: Vec<&String> = object
                .keys()
                .filter(|key| !keys.contains(&key.as_str()))
                .collect();
            rest.sort();
            nested.extend(rest.into_iter().map(|key| (key.as_str(), &object[key])));
        }
    }
    if !line.is_empty() {
        if let Some(identifier) = identifier {
            out.push_str(&identifier.to_uppercase());
            out.push('\t');
        }
        out.push_str(&line.join("\t"));
        out.push('\n');
    }
    for (key, value) in nested {
        format_value(value, out, Some(key), None);
    }
}

/// Every key with a scalar value in any of the objects, sorted.
fn scalar_keys(list: &[Value]) -> Vec<&str> {
    let mut keys: Vec<&str> = list
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|object| object.iter())
        .filter(|(_, value)| is_scalar(value))
        .map(|(key, _)| key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn str_of(value: &Value) -> String {
    let mut text = String::new();
    push_str_of(value, &mut text);
    text
}

/// Appends `value` as Python's `str()` shows the value `json.loads` makes of it.
fn push_str_of(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => out.push_str(text),
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(number) => match number.as_f64().filter(|_| number.is_f64()) {
            Some(float) => out.push_str(&python_float(float)),
            None => out.push_str(&number.to_string()),
        },
        // A list or object as a scalar column (a key scalar in one object, not in another):
        // Python's `repr` of it.
        Value::Array(list) => {
            out.push('[');
            for (i, element) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_repr(element, out);
            }
            out.push(']');
        }
        Value::Object(object) => {
            out.push('{');
            for (i, (key, element)) in object.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_python_string(key, out);
                out.push_str(": ");
                push_repr(element, out);
            }
            out.push('}');
        }
    }
}

fn push_repr(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => push_python_string(text, out),
        other => push_str_of(other, out),
    }
}

/// Python's `repr` of a string, for the printable text service data holds.
fn push_python_string(text: &str, out: &mut String) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's `repr` of a float: the shortest digits that read back the same, positional from
/// 1e-4 up to 1e16 (always with a fraction, `1.0`), scientific outside (`1e+16`, `1.5e-05`).
fn python_float(value: f64) -> String {
    if !value.is_finite() {
        return if value.is_nan() {
            "nan".to_owned()
        } else if value > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    // Rust's `{:e}` gives the same shortest digits: `d[.ddd]e[-]x`.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` exponents are integers");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let fixed = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if digits.len() <= point as usize {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (whole, fraction) = digits.split_at(point as usize);
            format!("{whole}.{fraction}")
        };
        format!("{sign}{fixed}")
    } else {
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exponent_sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn text(value: Value) -> String {
        let mut out = String::new();
        format(&value, &mut out);
        out
    }

    #[test]
    fn a_listing_prints_one_line_per_object_with_shared_sorted_columns() {
        let page = json!({"EngagementInvitationSummaries": [
            {"Id": "engi-1", "Status": "PENDING", "Receiver": {"Account": {"AwsAccountId": "1"}}},
            {"Id": "engi-2", "EngagementTitle": "T"},
        ]});
        assert_eq!(
            text(page),
            "ENGAGEMENTINVITATIONSUMMARIES\t\tengi-1\tPENDING\n\
             ACCOUNT\t1\n\
             ENGAGEMENTINVITATIONSUMMARIES\tT\tengi-2\t\n"
        );
    }

    #[test]
    fn scalars_lists_and_nesting_follow_text_py() {
        assert_eq!(text(json!("x")), "x\n");
        assert_eq!(text(json!(null)), "None\n");
        assert_eq!(text(json!(["a", "b", 3])), "a\tb\t3\n");
        assert_eq!(text(json!([])), "");
        assert_eq!(text(json!({"L": ["a", "b"]})), "L\ta\nL\tb\n");
        assert_eq!(
            text(json!({"B": true, "A": 1.5, "C": {"D": null}})),
            "1.5\tTrue\nC\tNone\n"
        );
        assert_eq!(text(json!([["a", "b"], "c", ["d"]])), "c\na\tb\nd\n");
        assert_eq!(
            text(json!([{"K": "1"}, {"K": ["x"]}])),
            "1\n['x']\n",
            "a key scalar in one object and not in another prints Python's repr"
        );
    }

    #[test]
    fn floats_print_as_python_does() {
        for (value, python) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789.125, "123456789.125"),
            (0.0, "0.0"),
            (1e300, "1e+300"),
        ] {
            assert_eq!(python_float(value), python, "{value}");
        }
    }
}
