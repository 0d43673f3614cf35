//! `--output table`: aligned columns and key/value blocks for people. Every value from the
//! service passes through `sanitize::inline`, so control characters in the data are harmless.

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthStr;

use crate::api::model::{
    EngagementInvitation, EngagementInvitationSummary, EngagementMember, InvitationStatus, Payload,
    Receiver,
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

/// One invitation as `Key  value` lines, the payload's main facts included.
pub fn invitation(inv: &EngagementInvitation, now: DateTime<Utc>) -> String {
    let mut pairs: Vec<(&str, String)> = vec![
        ("Id", inv.id.clone()),
        ("Title", inv.engagement_title.clone().unwrap_or_default()),
        ("Engagement", inv.engagement_id.clone().unwrap_or_default()),
        (
            "Status",
            inv.status
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
        ("Catalog", inv.catalog.clone()),
        (
            "From",
            match (&inv.sender_company_name, &inv.sender_aws_account_id) {
                (Some(name), Some(account)) => format!("{name} ({account})"),
                (name, account) => name.clone().or(account.clone()).unwrap_or_default(),
            },
        ),
        ("To", receiver_name(inv.receiver.as_ref())),
    ];
    if let Some(at) = inv.invitation_date {
        pairs.push(("Invited", format!("{} ({})", at, relative(at.0, now))));
    }
    if let Some(at) = inv.expiration_date {
        pairs.push(("Expires", format!("{} ({})", at, relative(at.0, now))));
    }
    if let Some(message) = &inv.invitation_message {
        pairs.push(("Message", message.clone()));
    }
    if let Some(reason) = &inv.rejection_reason {
        pairs.push(("Rejection reason", reason.clone()));
    }
    match &inv.payload {
        Some(Payload::OpportunityInvitation(opportunity)) => {
            let customer = &opportunity.customer;
            pairs.push(("Kind", "OpportunityInvitation".into()));
            pairs.push(("Customer", customer.company_name.clone()));
            pairs.push(("Industry", customer.industry.to_string()));
            pairs.push(("Country", customer.country_code.0.clone()));
            pairs.push(("Website", customer.website_url.clone()));
            pairs.push(("Project", opportunity.project.title.clone()));
            pairs.push((
                "Target date",
                opportunity.project.target_completion_date.clone(),
            ));
            for spend in &opportunity.project.expected_customer_spend {
                pairs.push((
                    "Expected spend",
                    format!(
                        "{} {} {}",
                        spend.amount.as_deref().unwrap_or("?"),
                        spend.currency_code.0,
                        spend.frequency
                    ),
                ));
            }
        }
        Some(Payload::LeadInvitation(lead)) => {
            pairs.push(("Kind", "LeadInvitation".into()));
            pairs.push(("Customer", lead.customer.company_name.clone()));
            pairs.push((
                "Contact title",
                lead.interaction.contact_business_title.clone(),
            ));
        }
        Some(Payload::Unknown(member, _)) => pairs.push(("Kind", member.clone())),
        None => {}
    }
    key_values(&pairs)
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
    use crate::api::model::{AccountReceiver, Timestamp};

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
        let inv = EngagementInvitation {
            id: "engi-0000000000001".into(),
            catalog: "Sandbox".into(),
            invitation_message: Some("line1\n\u{1b}[31mred".into()),
            ..Default::default()
        };
        let text = invitation(&inv, now());
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("line1 ␛[31mred"), "{text}");
    }
}
