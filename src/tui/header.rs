//! The header: catalog (AWS in a warning colour), profile, view, active filters, counts per
//! status, and the listing's progress or staleness.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, LoadState};
use super::command::Command;
use super::keymap::KeyMode;
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
        match &app.list.filter.status {
            None => Span::raw("all statuses"),
            Some(status) => Span::styled(format!("{status} only"), theme::status(Some(status))),
        },
        separator(),
        Span::raw(if app.list.filter.soonest_deadline {
            "soonest deadline first"
        } else if app.list.filter.newest_first {
            "newest first"
        } else {
            "oldest first"
        }),
    ];
    if !app.list.search.is_empty() {
        first.extend([
            separator(),
            Span::styled("search ", theme::dim()),
            Span::raw(format!("\"{}\"", sanitize::inline(app.list.search.text()))),
        ]);
    }
    if app.read_only {
        first.extend([separator(), Span::styled("read-only", theme::label())]);
    }

    let counts = app.list.listing.counts();
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
    if !app.marks.is_empty() {
        second.push(separator());
        second.push(Span::styled(
            format!("✓ {} marked", app.marks.len()),
            theme::info(),
        ));
    }
    match &app.list.load {
        LoadState::Loading { pages, rows } => {
            second.push(separator());
            let doing = if app.list.is_refreshing() {
                "refreshing"
            } else {
                "loading"
            };
            second.push(Span::styled(
                format!("⟳ {doing} page {} ({rows} so far)", pages + 1),
                theme::info(),
            ));
        }
        LoadState::Failed(_) => {
            second.push(separator());
            let retry = app
                .keymap
                .hint(KeyMode::Inbox, Command::Refresh)
                .unwrap_or_else(|| "refresh".to_owned());
            second.push(Span::styled(
                format!("listing failed, {retry} retries"),
                theme::error(),
            ));
        }
        LoadState::Idle => {}
    }
    if let (LoadState::Idle, Some(listed_at)) = (&app.list.load, app.list.listed_at) {
        second.push(separator());
        second.push(Span::styled(
            format!("listed {}", humanize::clock(listed_at)),
            theme::dim(),
        ));
    }
    if let Some(saved_at) = app.list.stale_since {
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
