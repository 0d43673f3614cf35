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

use super::app::{App, DetailState, Focus};
use super::command::Command;
use super::event::Detail;
use super::keymap::KeyMode;
use super::wrap::wrap;
use super::{detail_task, draw, theme};
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
pub(super) fn key(app: &App, command: Command) -> String {
    app.keymap
        .hint(KeyMode::Inbox, command)
        .unwrap_or_else(|| "(unbound)".to_owned())
}

/// Every line of the detail pane at `width` columns.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let mut out = Lines::new(width);
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
    detail_task::render(out, app, &invitation.id);

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
    let pending = status == Some(&InvitationStatus::Pending);
    match &invitation.payload {
        Some(Payload::OpportunityInvitation(payload)) => opportunity(out, payload, pending),
        Some(Payload::LeadInvitation(payload)) => lead(out, payload, pending),
        Some(Payload::Unknown(name, value)) => {
            out.heading(name);
            out.paragraph(&serde_json::to_string_pretty(value).unwrap_or_default());
        }
        None => {}
    }
}

/// For a PENDING invitation, in place of what it does not carry yet: what accepting shows.
const AFTER_ACCEPTING: &str = "shown once you accept";

fn opportunity(out: &mut Lines, payload: &OpportunityInvitationPayload, pending: bool) {
    let customer = &payload.customer;
    out.heading("Customer");
    out.field("Company", &customer.company_name);
    out.field("Industry", customer.industry.as_str());
    out.field(
        "Country",
        &country(&customer.country_code.0, customer.country_code.name()),
    );
    out.field("Website", &customer.website_url);
    if pending {
        // The invitation names the company; the opportunity accepting creates carries the rest.
        for label in ["Contacts", "Address", "AWS account"] {
            out.hidden(label);
        }
    }

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

fn lead(out: &mut Lines, payload: &LeadInvitationPayload, pending: bool) {
    let customer = &payload.customer;
    out.heading("Customer");
    out.field("Company", &customer.company_name);
    let country = customer.country_code.as_ref().map(|code| {
        let name = crate::api::model::CountryCode(code.clone()).name();
        country(code, name)
    });
    let fields = [
        ("Industry", customer.industry.clone()),
        ("Country", country),
        ("Website", customer.website_url.clone()),
        ("AWS maturity", customer.aws_maturity.clone()),
        ("Segment", customer.market_segment.clone()),
    ];
    for (label, value) in fields {
        match value {
            Some(value) => out.field(label, &value),
            // What a PENDING lead leaves out is shared once it is accepted.
            None if pending => out.hidden(label),
            None => {}
        }
    }
    if pending {
        out.hidden("Contacts");
    }

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
                out.wrapped(&sanitize::inline(&member_line(member)), 2, Style::new());
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

/// Lines wrapped to a width, with the pane's few kinds of line (the engagement view's too).
pub(super) struct Lines {
    pub(super) lines: Vec<Line<'static>>,
    width: usize,
}

impl Lines {
    pub(super) fn new(width: u16) -> Lines {
        Lines {
            lines: Vec::new(),
            width: usize::from(width).max(20),
        }
    }

    pub(super) fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    pub(super) fn styled(&mut self, text: &str, style: Style) {
        self.lines.push(Line::styled(text.to_owned(), style));
    }

    /// A section title across the width: `── Customer ─────`.
    pub(super) fn heading(&mut self, title: &str) {
        self.blank();
        let title = format!("── {} ", sanitize::inline(title));
        let used = title.chars().count();
        let rule = "─".repeat(self.width.saturating_sub(used));
        self.lines
            .push(Line::styled(format!("{title}{rule}"), theme::heading()));
    }

    /// `Label       value`, the value wrapped under itself; empty values are left out.
    pub(super) fn field(&mut self, label: &str, value: &str) {
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

    /// `Label       shown once you accept`: a customer detail a PENDING invitation keeps back.
    pub(super) fn hidden(&mut self, label: &str) {
        self.spans(
            label,
            vec![Span::styled(format!("— {AFTER_ACCEPTING}"), theme::dim())],
        );
    }

    /// A label and pre-styled spans on one line (short values such as the status).
    pub(super) fn spans(&mut self, label: &str, spans: Vec<Span<'static>>) {
        let mut line = vec![Span::styled(label_cell(label), theme::label())];
        line.extend(spans);
        self.lines.push(Line::from(line));
    }

    /// Free text from the service, its own line breaks kept, wrapped.
    pub(super) fn paragraph(&mut self, text: &str) {
        for line in sanitize::multiline(text).lines() {
            self.wrapped(line, 0, Style::new());
        }
    }

    /// `text` wrapped at the width minus `indent`, each line indented (the text's own leading
    /// spaces count as indent, which keeps JSON readable).
    pub(super) fn wrapped(&mut self, text: &str, indent: usize, style: Style) {
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

/// One engagement member as the detail and the engagement view list it: company, account, site.
pub fn member_line(member: &EngagementMember) -> String {
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
    text
}
