//! The detail pane: everything GetEngagementInvitation returns about the selected invitation,
//! laid out for reading, plus its engagement's members; or the raw JSON (`v`).
//!
//! Text is wrapped here rather than by the widget, so the number of lines is known when the
//! pane is laid out: the draw measures it into the pane's [`super::scroll::Scroll`], where
//! `update` stops scrolling at the end without laying anything out per key.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::app::{App, DetailState, Focus};
use super::command::Command;
use super::event::Detail;
use super::keymap::KeyMode;
use super::{draw, theme};
use crate::api::model::{
    EngagementInvitation, EngagementInvitationSummary, EngagementMember, InvitationStatus,
    LeadInvitationPayload, OpportunityInvitationPayload, Payload, PayloadType, Receiver,
};
use crate::{humanize, sanitize};

/// Width of the label column (`AWS maturity  `), the separating space included.
const LABEL_WIDTH: usize = 14;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let title = if app.detail.raw_json {
        " Raw JSON "
    } else {
        " Invitation "
    };
    let block = Block::bordered()
        .border_style(theme::border(app.focus == Focus::Detail))
        .title(Line::styled(title, theme::label()))
        .title(
            Line::styled(
                format!(
                    " {} {} ",
                    key(app, Command::RawJson),
                    if app.detail.raw_json {
                        "formatted"
                    } else {
                        "raw JSON"
                    }
                ),
                theme::dim(),
            )
            .right_aligned(),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // One column is kept for the scrollbar.
    let text = Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let lines = lines(app, text.width);
    let height = usize::from(text.height);
    let scroll = app.detail.scroll.measure(lines.len(), height);
    let shown: Vec<Line> = lines.iter().skip(scroll).take(height).cloned().collect();
    frame.render_widget(Paragraph::new(shown), text);
    draw::scrollbar(frame, area, lines.len(), scroll, height);
}

/// The key in force for a list command, as hints show it.
fn key(app: &App, command: Command) -> String {
    app.keymap
        .hint(KeyMode::Inbox, command)
        .unwrap_or_else(|| "(unbound)".to_owned())
}

/// Every line of the detail pane at `width` columns.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let mut out = Lines {
        lines: Vec::new(),
        width: usize::from(width).max(20),
    };
    let Some(row) = app.selected_row() else {
        out.styled("No invitation selected.", theme::dim());
        return out.lines;
    };
    let state = app.detail.details.get(row.id());
    if app.detail.raw_json {
        let document = match state {
            Some(DetailState::Loaded(detail)) => raw_document(detail),
            _ => serde_json::json!({ "EngagementInvitationSummary": &*row.summary }),
        };
        let pretty = serde_json::to_string_pretty(&document).unwrap_or_default();
        for line in pretty.lines() {
            out.wrapped(&sanitize::inline(line), 0, Style::new());
        }
        return out.lines;
    }
    match state {
        Some(DetailState::Loaded(detail)) => {
            invitation(&mut out, &detail.invitation, app);
            members(&mut out, &detail.invitation, Some(&detail.members));
            insights(&mut out, &detail.invitation);
        }
        Some(DetailState::Failed(error)) => {
            invitation(&mut out, &from_summary(&row.summary), app);
            out.heading("Detail");
            out.wrapped(
                &format!("Could not load the invitation: {}", sanitize::inline(error)),
                0,
                theme::error(),
            );
            out.styled(
                &format!("Press {} to retry.", key(app, Command::Refresh)),
                theme::dim(),
            );
        }
        None => {
            invitation(&mut out, &from_summary(&row.summary), app);
            out.blank();
            let note = if app.detail.loading(row.id()) {
                "Loading the full invitation…"
            } else {
                ""
            };
            out.styled(note, theme::info());
        }
    }
    out.lines
}

/// What raw JSON shows: the GetEngagementInvitation response and the members.
fn raw_document(detail: &Detail) -> serde_json::Value {
    let members = match &detail.members {
        Ok(members) => serde_json::json!({ "EngagementMemberList": members }),
        Err(error) => serde_json::json!({ "Error": error }),
    };
    serde_json::json!({
        "GetEngagementInvitation": detail.invitation,
        "ListEngagementMembers": members,
    })
}

/// The summary's fields as an invitation, shown while the detail loads.
fn from_summary(summary: &EngagementInvitationSummary) -> EngagementInvitation {
    EngagementInvitation {
        arn: summary.arn.clone(),
        payload_type: summary.payload_type.clone(),
        id: summary.id.clone(),
        engagement_id: summary.engagement_id.clone(),
        engagement_title: summary.engagement_title.clone(),
        status: summary.status.clone(),
        invitation_date: summary.invitation_date,
        expiration_date: summary.expiration_date,
        sender_aws_account_id: summary.sender_aws_account_id.clone(),
        sender_company_name: summary.sender_company_name.clone(),
        receiver: summary.receiver.clone(),
        catalog: summary.catalog.clone(),
        ..EngagementInvitation::default()
    }
}

fn invitation(out: &mut Lines, invitation: &EngagementInvitation, app: &App) {
    let title = invitation
        .engagement_title
        .as_deref()
        .unwrap_or("(untitled)");
    out.wrapped(&sanitize::inline(title), 0, theme::heading());
    out.blank();
    let status = invitation.status.as_ref();
    let mut status_spans = vec![Span::styled(
        status.map_or("?", InvitationStatus::as_str).to_owned(),
        theme::status(status),
    )];
    if let (Some(InvitationStatus::Pending), Some(deadline)) = (status, invitation.expiration_date)
    {
        let style = if humanize::expires_soon(deadline.0, app.now) {
            theme::expires_soon()
        } else {
            theme::dim()
        };
        status_spans.push(Span::styled(
            format!("  expires in {}", humanize::time_left(deadline.0, app.now)),
            style,
        ));
    }
    out.spans("Status", status_spans);
    if let Some(date) = invitation.invitation_date {
        out.field(
            "Invited",
            &format!(
                "{} ({})",
                humanize::absolute(date.0),
                humanize::relative(date.0, app.now)
            ),
        );
    }
    if let Some(date) = invitation.expiration_date {
        out.field("Expires", &humanize::absolute(date.0));
    }
    if let Some(kind) = &invitation.payload_type {
        out.field(
            "Kind",
            match kind {
                PayloadType::OpportunityInvitation => "Opportunity invitation",
                PayloadType::LeadInvitation => "Lead invitation",
                PayloadType::Unknown(other) => other,
            },
        );
    }
    let sender = match (
        &invitation.sender_company_name,
        &invitation.sender_aws_account_id,
    ) {
        (Some(company), Some(account)) => format!("{company} ({account})"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => String::new(),
    };
    out.field("From", &sender);
    match &invitation.receiver {
        Some(Receiver::Account(account)) => out.field(
            "To",
            &match &account.alias {
                Some(alias) => format!("{alias} ({})", account.aws_account_id),
                None => account.aws_account_id.clone(),
            },
        ),
        Some(Receiver::Unknown(name, value)) => out.field("To", &format!("{name}: {value}")),
        None => {}
    }
    out.field("Invitation", &invitation.id);
    out.field(
        "Engagement",
        invitation.engagement_id.as_deref().unwrap_or(""),
    );
    out.field("Catalog", &invitation.catalog);
    out.field("ARN", invitation.arn.as_deref().unwrap_or(""));

    if let Some(reason) = &invitation.rejection_reason {
        out.heading("Rejection reason");
        out.paragraph(reason);
    }
    if let Some(message) = &invitation.invitation_message {
        out.heading("Message");
        out.paragraph(message);
    }
    if let Some(description) = &invitation.engagement_description {
        out.heading("Engagement description");
        out.paragraph(description);
    }
    match &invitation.payload {
        Some(Payload::OpportunityInvitation(payload)) => opportunity(out, payload),
        Some(Payload::LeadInvitation(payload)) => lead(out, payload),
        Some(Payload::Unknown(name, value)) => {
            out.heading(name);
            out.paragraph(&serde_json::to_string_pretty(value).unwrap_or_default());
        }
        None => {}
    }
}

fn opportunity(out: &mut Lines, payload: &OpportunityInvitationPayload) {
    let customer = &payload.customer;
    out.heading("Customer");
    out.field("Company", &customer.company_name);
    out.field("Industry", customer.industry.as_str());
    out.field(
        "Country",
        &country(&customer.country_code.0, customer.country_code.name()),
    );
    out.field("Website", &customer.website_url);

    let project = &payload.project;
    out.heading("Project");
    out.field("Title", &project.title);
    out.field("Target date", &project.target_completion_date);
    out.styled("Business problem", theme::label());
    out.paragraph(&project.business_problem);

    if !project.expected_customer_spend.is_empty() {
        out.heading("Expected customer spend");
        for spend in &project.expected_customer_spend {
            let mut text = format!(
                "{} {} {} · {}",
                spend.currency_code.0,
                spend.amount.as_deref().unwrap_or("?"),
                spend.frequency,
                spend.target_company
            );
            if let Some(url) = &spend.estimation_url {
                text.push_str(&format!(" · {url}"));
            }
            out.wrapped(&sanitize::inline(&text), 2, Style::new());
        }
    }
    if !payload.receiver_responsibilities.is_empty() {
        out.heading("Receiver responsibilities");
        let all: Vec<&str> = payload
            .receiver_responsibilities
            .iter()
            .map(|r| r.as_str())
            .collect();
        out.wrapped(&sanitize::inline(&all.join(", ")), 2, Style::new());
    }
    if let Some(contacts) = payload.sender_contacts.as_ref().filter(|c| !c.is_empty()) {
        out.heading("Sender contacts");
        for contact in contacts {
            let name: Vec<&str> = [contact.first_name.as_deref(), contact.last_name.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let mut first = name.join(" ");
            if let Some(title) = &contact.business_title {
                first.push_str(&format!(", {title}"));
            }
            out.wrapped(&sanitize::inline(&first), 2, theme::label());
            let mut reach = contact.email.clone();
            if let Some(phone) = &contact.phone {
                reach.push_str(&format!(" · {phone}"));
            }
            out.wrapped(&sanitize::inline(&reach), 2, Style::new());
        }
    }
}

fn lead(out: &mut Lines, payload: &LeadInvitationPayload) {
    let customer = &payload.customer;
    out.heading("Customer");
    out.field("Company", &customer.company_name);
    out.field("Industry", customer.industry.as_deref().unwrap_or(""));
    if let Some(code) = &customer.country_code {
        let name = crate::api::model::CountryCode(code.clone()).name();
        out.field("Country", &country(code, name));
    }
    out.field("Website", customer.website_url.as_deref().unwrap_or(""));
    out.field(
        "AWS maturity",
        customer.aws_maturity.as_deref().unwrap_or(""),
    );
    out.field("Segment", customer.market_segment.as_deref().unwrap_or(""));

    let interaction = &payload.interaction;
    out.heading("Interaction");
    out.field(
        "Source type",
        interaction.source_type.as_deref().unwrap_or(""),
    );
    out.field("Source id", interaction.source_id.as_deref().unwrap_or(""));
    out.field(
        "Source name",
        interaction.source_name.as_deref().unwrap_or(""),
    );
    out.field("Use case", interaction.usecase.as_deref().unwrap_or(""));
    out.field("Contact", &interaction.contact_business_title);
}

fn country(code: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{name} ({code})"),
        None => code.to_owned(),
    }
}

fn members(
    out: &mut Lines,
    invitation: &EngagementInvitation,
    listed: Option<&Result<Vec<EngagementMember>, String>>,
) {
    out.heading("Engagement members");
    match listed {
        Some(Ok(members)) if !members.is_empty() => {
            for member in members {
                let mut text = member
                    .company_name
                    .clone()
                    .unwrap_or_else(|| "(unnamed)".into());
                if let Some(account) = &member.account_id {
                    text.push_str(&format!(" · account {account}"));
                }
                if let Some(url) = &member.website_url {
                    text.push_str(&format!(" · {url}"));
                }
                out.wrapped(&sanitize::inline(&text), 2, Style::new());
            }
        }
        Some(Ok(_)) => out.styled("  none listed", theme::dim()),
        // Only members may list an engagement's members: before an answer that is expected.
        Some(Err(_)) if invitation.status == Some(InvitationStatus::Pending) => {
            out.styled("  Members are shown once you accept.", theme::dim());
        }
        Some(Err(error)) => {
            out.wrapped(
                &format!("ListEngagementMembers failed: {}", sanitize::inline(error)),
                2,
                theme::dim(),
            );
        }
        None => {}
    }
    if let Some(existing) = invitation
        .existing_members
        .as_ref()
        .filter(|m| !m.is_empty())
    {
        out.styled("From the invitation:", theme::label());
        for member in existing {
            let text = [
                member.company_name.as_deref(),
                member.website_url.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            out.wrapped(&sanitize::inline(&text), 2, Style::new());
        }
    }
}

fn insights(out: &mut Lines, invitation: &EngagementInvitation) {
    let Some(context) = &invitation.enrichment_context else {
        return;
    };
    out.heading("Insights");
    if let Some(result) = &context.prospecting_result_aws {
        if let Some(customer) = &result.customer {
            let fields = [
                ("Account", customer.account_name.as_deref()),
                ("Geo", customer.geo.as_deref()),
                ("Region", customer.region.as_deref()),
                ("Sub-region", customer.sub_region.as_deref()),
                ("Country", customer.country.as_ref().map(|c| c.0.as_str())),
                ("Industry", customer.industry.as_ref().map(|i| i.as_str())),
                ("Sub-industry", customer.sub_industry.as_deref()),
                ("Segment", customer.segment.as_deref()),
                ("Size", customer.company_size.as_deref()),
            ];
            for (label, value) in fields {
                if let Some(value) = value {
                    out.field(label, value);
                }
            }
            if let Some(programs) = customer
                .eligible_programs
                .as_ref()
                .filter(|p| !p.is_empty())
            {
                out.field("Programs", &programs.join(", "));
            }
            if let Some(summary) = &customer.public_profile_summary {
                out.paragraph(summary);
            }
        }
        if let Some(scores) = &result.insights {
            let fields = [
                (
                    "Marketplace",
                    scores.marketplace_engagement_score.as_deref(),
                ),
                ("Solution", scores.solution_score.as_deref()),
                ("Category", scores.solution_category.as_deref()),
                ("Subcategory", scores.solution_sub_category.as_deref()),
            ];
            for (label, value) in fields {
                if let Some(value) = value {
                    out.field(label, value);
                }
            }
        }
    }
    if let Some(score) = context
        .lead_insights
        .as_ref()
        .and_then(|l| l.lead_readiness_score.as_deref())
    {
        out.field("Readiness", score);
    }
}

/// Lines wrapped to a width, with the pane's few kinds of line.
struct Lines {
    lines: Vec<Line<'static>>,
    width: usize,
}

impl Lines {
    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    fn styled(&mut self, text: &str, style: Style) {
        self.lines.push(Line::styled(text.to_owned(), style));
    }

    /// A section title across the width: `── Customer ─────`.
    fn heading(&mut self, title: &str) {
        self.blank();
        let title = format!("── {} ", sanitize::inline(title));
        let used = title.chars().count();
        let rule = "─".repeat(self.width.saturating_sub(used));
        self.lines
            .push(Line::styled(format!("{title}{rule}"), theme::heading()));
    }

    /// `Label       value`, the value wrapped under itself; empty values are left out.
    fn field(&mut self, label: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let value = sanitize::inline(value);
        for (i, part) in wrap(&value, self.width.saturating_sub(LABEL_WIDTH))
            .into_iter()
            .enumerate()
        {
            let label = if i == 0 { label } else { "" };
            self.lines.push(Line::from(vec![
                Span::styled(label_cell(label), theme::label()),
                Span::raw(part),
            ]));
        }
    }

    /// A label and pre-styled spans on one line (short values such as the status).
    fn spans(&mut self, label: &str, spans: Vec<Span<'static>>) {
        let mut line = vec![Span::styled(label_cell(label), theme::label())];
        line.extend(spans);
        self.lines.push(Line::from(line));
    }

    /// Free text from the service, its own line breaks kept, wrapped.
    fn paragraph(&mut self, text: &str) {
        for line in sanitize::multiline(text).lines() {
            self.wrapped(line, 0, Style::new());
        }
    }

    /// `text` wrapped at the width minus `indent`, each line indented (the text's own leading
    /// spaces count as indent, which keeps JSON readable).
    fn wrapped(&mut self, text: &str, indent: usize, style: Style) {
        let body = text.trim_start_matches(' ');
        let indent = (indent + text.len() - body.len()).min(self.width / 2);
        let pad = " ".repeat(indent);
        for part in wrap(body, self.width.saturating_sub(indent)) {
            self.lines.push(Line::styled(format!("{pad}{part}"), style));
        }
    }
}

/// A label padded to the label column, always followed by at least one space.
fn label_cell(label: &str) -> String {
    format!("{label:<width$} ", width = LABEL_WIDTH - 1)
}

/// Greedy word wrap by display width, breaking only at spaces. A token longer than a line
/// (an email address, a URL) starts a line of its own and, only if it is longer than a whole
/// line, breaks after its punctuation (`/ . @ - _ ? & =`), cut mid-word only where it has none.
/// Always at least one (possibly empty) line. (The composer wraps its hints and preview too.)
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let word_width = word.width();
        let gap = usize::from(!line.is_empty());
        if used + gap + word_width <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        while rest.width() > width {
            let cut = break_point(rest, width);
            lines.push(rest[..cut].to_owned());
            rest = &rest[cut..];
        }
        line.push_str(rest);
        used = rest.width();
    }
    lines.push(line);
    lines
}

/// Where to break a token wider than `width`: after the last punctuation that fits, else at
/// the width. A byte index, never 0.
fn break_point(token: &str, width: usize) -> usize {
    let mut used = 0;
    let mut fits = 0;
    let mut after_punctuation = None;
    for (at, c) in token.char_indices() {
        used += c.width().unwrap_or(0);
        if used > width {
            break;
        }
        fits = at + c.len_utf8();
        if matches!(
            c,
            '/' | '.' | '@' | '-' | '_' | '?' | '&' | '=' | ',' | ';' | ':'
        ) {
            after_punctuation = Some(fits);
        }
    }
    // A character wider than the whole line still goes somewhere.
    let fits = fits.max(token.chars().next().map_or(1, char::len_utf8));
    after_punctuation
        .filter(|&at| at < token.len())
        .unwrap_or(fits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("日本語です", 4), ["日本", "語で", "す"]);
    }

    #[test]
    fn long_tokens_get_their_own_line_and_break_after_punctuation() {
        assert_eq!(
            wrap("write to maria@universidad.example.com today", 24),
            ["write to", "maria@universidad.", "example.com today"]
        );
        assert_eq!(
            wrap("see https://example.com/a/very/long/path", 20),
            ["see", "https://example.com/", "a/very/long/path"]
        );
        // Nothing is lost or added.
        let text = "ab https://partner.example/x?y=1&z=2 cd";
        assert_eq!(
            wrap(text, 9).concat().replace(' ', ""),
            text.replace(' ', "")
        );
    }
}
