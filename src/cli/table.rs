//! `--output table`: aligned columns and key/value blocks for people. Every value from the
//! service passes through `sanitize::inline`, so control characters in the data are harmless.

use chrono::{DateTime, Utc};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::api::model::{
    EngagementInvitationSummary, EngagementMember, InvitationStatus, Receiver, Timestamp,
};
use crate::humanize::{relative, time_left, truncate};
use crate::sanitize;

/// Aligns `rows` under `headers`; the last column is not padded.
pub(super) fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut out = String::new();
    let header_cells: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header_cells).chain(rows) {
        let last = row.len().saturating_sub(1);
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push('\n');
    }
    out
}

/// A value for a column: sanitized, `-` when absent, cut to `width`.
pub(super) fn clean(text: Option<&str>, width: usize) -> String {
    truncate(&sanitize::inline(text.unwrap_or("-")), width)
}

fn receiver_name(receiver: Option<&Receiver>) -> String {
    match receiver {
        Some(Receiver::Account(account)) => account
            .alias
            .clone()
            .unwrap_or_else(|| account.aws_account_id.clone()),
        Some(Receiver::Unknown(member, _)) => format!("({member})"),
        None => "-".to_owned(),
    }
}

/// The listing: status, age, expiry, title, counterpart, kind, id.
pub fn invitations(rows: &[EngagementInvitationSummary], sent: bool, now: DateTime<Utc>) -> String {
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let counterpart = if sent {
                receiver_name(row.receiver.as_ref())
            } else {
                row.sender_company_name
                    .clone()
                    .or_else(|| row.sender_aws_account_id.clone())
                    .unwrap_or_else(|| "-".to_owned())
            };
            let expires = match (&row.status, row.expiration_date) {
                (Some(InvitationStatus::Pending), Some(at)) => time_left(at.0, now),
                _ => "-".to_owned(),
            };
            vec![
                clean(row.status.as_ref().map(|s| s.as_str()), 12),
                row.invitation_date
                    .map(|t| relative(t.0, now))
                    .unwrap_or_else(|| "-".to_owned()),
                expires,
                clean(row.engagement_title.as_deref(), 40),
                clean(Some(&counterpart), 30),
                clean(row.payload_type.as_ref().map(|p| p.as_str()), 22),
                clean(Some(&row.id), 80),
            ]
        })
        .collect();
    let counterpart = if sent { "TO" } else { "FROM" };
    render(
        &[
            "STATUS",
            "INVITED",
            "EXPIRES IN",
            "TITLE",
            counterpart,
            "KIND",
            "ID",
        ],
        &body,
    )
}

/// One invitation in full: every member GetEngagementInvitation returned (including members
/// this version does not know), as an indented tree of `Key  value` lines under the service's
/// own names (the names `--query` uses); dates also say how long ago or ahead they are.
pub fn invitation(response: &Value, now: DateTime<Utc>) -> String {
    let mut lines = Vec::new();
    // Timestamps (ISO 8601, or epoch seconds from a service that sends numbers) read the same.
    let timestamp = |value: &Value| match value {
        Value::String(text) => Timestamp::parse(text),
        Value::Number(number) => number.as_f64().and_then(Timestamp::from_epoch_seconds),
        _ => None,
    };
    tree(response, 0, &mut lines, &|key, value| {
        let date = key.ends_with("Date") && key != "TargetCompletionDate";
        match timestamp(value).filter(|_| date) {
            Some(at) => format!("{at} ({})", relative(at.0, now)),
            None => cell(value),
        }
    });
    aligned(&lines)
}

/// Any JSON result (what `--query` made of one) for people: an object as an indented tree, a
/// list of objects as columns (every scalar key of any of them, sorted), other lists one
/// element a line, a scalar as itself.
pub fn document(value: &Value) -> String {
    match value {
        Value::Array(list) if !list.is_empty() && list.iter().all(Value::is_object) => {
            let mut headers: Vec<&str> = list
                .iter()
                .filter_map(Value::as_object)
                .flat_map(|object| object.keys().map(String::as_str))
                .collect();
            headers.sort_unstable();
            headers.dedup();
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|object| {
                    headers
                        .iter()
                        .map(|key| cell(object.get(*key).unwrap_or(&Value::Null)))
                        .collect()
                })
                .collect();
            render(&headers, &rows)
        }
        Value::Array(list) => list.iter().map(document).collect(),
        Value::Object(_) => {
            let mut lines = Vec::new();
            tree(value, 0, &mut lines, &|_, value| cell(value));
            aligned(&lines)
        }
        scalar => format!("{}\n", cell(scalar)),
    }
}

/// One line of a tree: indentation, key, value (empty for a heading).
type Line = (usize, String, String);

/// `value`'s members as lines, `depth` levels in; `show` shapes each scalar (key, value).
fn tree(value: &Value, depth: usize, lines: &mut Vec<Line>, show: &dyn Fn(&str, &Value) -> String) {
    let Value::Object(object) = value else {
        lines.push((depth, String::new(), cell(value)));
        return;
    };
    for (key, member) in object {
        match member {
            Value::Object(_) => {
                lines.push((depth, key.clone(), String::new()));
                tree(member, depth + 1, lines, show);
            }
            Value::Array(list) if list.iter().all(|e| !e.is_object() && !e.is_array()) => {
                let joined: Vec<String> = list.iter().map(cell).collect();
                lines.push((depth, key.clone(), joined.join(", ")));
            }
            Value::Array(list) => {
                for (i, element) in list.iter().enumerate() {
                    lines.push((depth, format!("{key}[{i}]"), String::new()));
                    tree(element, depth + 1, lines, show);
                }
            }
            scalar => lines.push((depth, key.clone(), show(key, scalar))),
        }
    }
}

/// Tree lines with every value in one column, every value made harmless.
fn aligned(lines: &[Line]) -> String {
    let width = lines
        .iter()
        .map(|(depth, key, _)| depth * 2 + sanitize::inline(key).width())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (depth, key, value) in lines {
        let indent = depth * 2;
        let cleaned = sanitize::inline(key);
        if value.is_empty() {
            out.push_str(&format!("{:indent$}{cleaned}\n", ""));
        } else {
            let pad = width - indent - cleaned.width();
            out.push_str(&format!(
                "{:indent$}{cleaned}{:pad$}  {}\n",
                "",
                "",
                sanitize::inline(value)
            ));
        }
    }
    out
}

/// A value in a cell: strings as they are, other scalars as JSON, nested values as compact
/// JSON; always made harmless.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Null => "-".to_owned(),
        other => other.to_string(),
    };
    sanitize::inline(&text).into_owned()
}

/// `Key  value` lines, keys aligned, values sanitized.
pub(super) fn key_values(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    pairs
        .iter()
        .map(|(key, value)| format!("{key:<width$}  {}\n", sanitize::inline(value)))
        .collect()
}

/// Engagement members: company, account, website.
pub fn members(list: &[EngagementMember]) -> String {
    let body: Vec<Vec<String>> = list
        .iter()
        .map(|m| {
            vec![
                clean(m.company_name.as_deref(), 60),
                clean(m.account_id.as_deref(), 20),
                clean(m.website_url.as_deref(), 80),
            ]
        })
        .collect();
    render(&["COMPANY", "ACCOUNT", "WEBSITE"], &body)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::api::model::AccountReceiver;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
    }

    fn summary(title: &str, company: &str) -> EngagementInvitationSummary {
        EngagementInvitationSummary {
            id: "engi-0000000000001".into(),
            catalog: "Sandbox".into(),
            engagement_title: Some(title.into()),
            sender_company_name: Some(company.into()),
            status: Some(InvitationStatus::Pending),
            invitation_date: Some(Timestamp(now() - chrono::Duration::days(3))),
            expiration_date: Some(Timestamp(now() + chrono::Duration::hours(30))),
            receiver: Some(Receiver::Account(AccountReceiver {
                alias: Some("Me".into()),
                aws_account_id: "123456789012".into(),
            })),
            ..Default::default()
        }
    }

    #[test]
    fn columns_align_by_display_width() {
        let rows = [
            summary("Cloud migration", "株式会社サクラ"),
            summary("ML", "Acme"),
        ];
        let text = invitations(&rows, false, now());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        let id_column = |line: &str| line[..line.find("engi-").unwrap()].width();
        assert_eq!(id_column(lines[1]), id_column(lines[2]));
        assert!(
            lines[1].starts_with("PENDING  3d ago   1d 6h"),
            "{}",
            lines[1]
        );
        assert!(invitations(&rows, true, now()).contains("Me"));
    }

    #[test]
    fn control_characters_from_the_service_are_harmless() {
        let rows = [summary("evil\u{1b}]0;title\u{7}", "x\u{1b}[2J")];
        let text = invitations(&rows, false, now());
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        let inv = serde_json::json!({
            "Id": "engi-0000000000001",
            "Catalog": "Sandbox",
            "InvitationMessage": "line1\n\u{1b}[31mred",
        });
        let text = invitation(&inv, now());
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("line1 ␛[31mred"), "{text}");
    }
}
