//! The header: catalog (AWS in a warning colour), profile, the view picked (`*` once changed
//! by hand; the list's title says received or sent), the filters and sort in force, counts per status, and the
//! listing's progress or staleness.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, LoadState};
use super::command::Command;
use super::keymap::KeyMode;
use super::theme;
use super::views::{filter_words, status_words};
use crate::api::model::InvitationStatus;
use crate::{humanize, sanitize};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let separator = || Span::styled(" · ", theme::dim());
    let filter = &app.list.filter;
    let (view, as_defined) = app.active_view();
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
        // The view's key and name; `*` once the list no longer shows it as defined.
        Span::styled(
            format!(
                "{} {}{}",
                app.active_view + 1,
                sanitize::inline(&view.name),
                if as_defined { "" } else { "*" }
            ),
            theme::heading(),
        ),
        separator(),
        match filter.statuses.as_slice() {
            [one] => Span::styled(status_words(&filter.statuses), theme::status(Some(one))),
            _ => Span::raw(status_words(&filter.statuses)),
        },
        separator(),
        Span::raw(filter.sort.describe()),
    ];
    for words in filter_words(filter) {
        first.extend([
            separator(),
            Span::raw(sanitize::inline(&words).into_owned()),
        ]);
    }
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
