//! The header: catalog (AWS in a warning colour), profile, view, active filters, counts per
//! status, and the listing's progress or staleness.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, LoadState};
use super::theme;
use crate::api::model::{InvitationStatus, ParticipantType};
use crate::{humanize, sanitize};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let separator = || Span::styled(" · ", theme::dim());
    let mut first = vec![
        Span::styled(" pcinbox ", theme::heading()),
        Span::styled(
            if app.is_aws() {
                // Said in words as well as colour: this is live data.
                " AWS · live ".to_owned()
            } else {
                format!(" {} ", sanitize::inline(&app.catalog))
            },
            theme::catalog(app.is_aws()),
        ),
        Span::raw(" "),
        Span::raw(sanitize::inline(&app.profile).into_owned()),
        separator(),
        Span::styled(
            match app.view {
                ParticipantType::Sender => "Sent",
                _ => "Received",
            },
            theme::label(),
        ),
        separator(),
        match &app.filter.status {
            None => Span::raw("all statuses"),
            Some(status) => Span::styled(format!("{status} only"), theme::status(Some(status))),
        },
        separator(),
        Span::raw(if app.filter.newest_first {
            "newest first"
        } else {
            "oldest first"
        }),
    ];
    if !app.search_input.is_empty() {
        first.extend([
            separator(),
            Span::styled("search ", theme::dim()),
            Span::raw(format!("\"{}\"", sanitize::inline(&app.search_input))),
        ]);
    }
    if app.read_only {
        first.extend([separator(), Span::styled("read-only", theme::label())]);
    }

    let counts = app.listing.counts();
    let mut second = vec![Span::raw(" ")];
    for (status, count) in [
        (InvitationStatus::Pending, counts.pending),
        (InvitationStatus::Accepted, counts.accepted),
        (InvitationStatus::Rejected, counts.rejected),
        (InvitationStatus::Expired, counts.expired),
    ] {
        second.push(Span::styled(
            format!("{count} {}", status.as_str().to_lowercase()),
            theme::status(Some(&status)),
        ));
        second.push(Span::styled(" · ", theme::dim()));
    }
    second.push(Span::raw(format!("{} total", counts.total())));
    match &app.load {
        LoadState::Loading { pages, rows } => {
            second.push(separator());
            second.push(Span::styled(
                format!("⟳ loading page {} ({rows} so far)", pages + 1),
                theme::info(),
            ));
        }
        LoadState::Failed(_) => {
            second.push(separator());
            second.push(Span::styled("listing failed, r retries", theme::error()));
        }
        LoadState::Idle => {}
    }
    if let Some(saved_at) = app.stale_since {
        second.push(separator());
        second.push(Span::styled(
            format!("stale: cached {}", humanize::relative(saved_at, app.now)),
            theme::expires_soon(),
        ));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}
