//! The list pane: one row per invitation, built only for the rows on screen, with a
//! scrollbar and an `n of m` position.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{
    Block, Cell, HighlightSpacing, Paragraph, Row as TableRow, Table, TableState, Wrap,
};

use super::app::{App, Focus, LoadState};
use super::command::Command;
use super::keymap::KeyMode;
use super::list::scroll_offset;
use super::listing::Row;
use super::tasks::Progress;
use super::views::{filter_words, status_words};
use super::{draw, theme};
use crate::api::model::{EngagementTask, InvitationStatus, ParticipantType, PayloadType, Receiver};
use crate::{humanize, sanitize};

/// Below this inner width the payload kind is abbreviated to leave room for the title.
const FULL_KIND_MIN_WIDTH: u16 = 90;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let visible = app.list.listing.visible();
    let title = match app.view {
        ParticipantType::Sender => " Sent invitations ",
        _ => " Received invitations ",
    };
    let position = if visible.is_empty() {
        " 0 of 0 ".to_owned()
    } else {
        format!(" {} of {} ", app.list.selected + 1, visible.len())
    };
    let block = Block::bordered()
        .border_style(theme::border(app.focus == Focus::List))
        .title(Line::styled(title, theme::label()))
        .title(Line::from(position).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);

    if visible.is_empty() {
        render_empty(frame, inner, app);
        return;
    }

    // Below the column titles; the same count `update` scrolls with (layout::list_rows).
    let rows = usize::from(inner.height.saturating_sub(1)).max(1);
    let offset = scroll_offset(app.list.offset, app.list.selected, rows, visible.len());
    let end = (offset + rows).min(visible.len());
    let full_kind = inner.width >= FULL_KIND_MIN_WIDTH;
    let table_rows = visible[offset..end]
        .iter()
        .map(|&index| table_row(&app.list.listing.rows()[index], app, full_kind));
    let counterpart = match app.view {
        ParticipantType::Sender => "Receiver",
        _ => "From",
    };
    let widths = [
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Fill(3),
        Constraint::Fill(2),
        Constraint::Length(if full_kind { 11 } else { 4 }),
        Constraint::Length(9),
    ];
    let header = TableRow::new([
        "",
        "",
        "Status",
        "Invited",
        "Title",
        counterpart,
        "Kind",
        "Expires",
    ])
    .style(theme::label());
    let table = Table::new(table_rows, widths)
        .header(header)
        .row_highlight_style(theme::selected_row())
        // Visible without colours too (monochrome terminals, screen readers, snapshots).
        .highlight_symbol("▶")
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(Some(app.list.selected - offset));
    frame.render_stateful_widget(table, inner, &mut state);

    draw::scrollbar(frame, area, visible.len(), offset, rows);
}

fn table_row<'a>(row: &'a Row, app: &App, full_kind: bool) -> TableRow<'a> {
    let summary = &row.summary;
    let progress = app.tasks.progress(row.id());
    // A task accepting the invitation shows in the row: its time so far, or how it failed.
    let task_status = match progress {
        Some(Progress::Starting) => Some(Cell::from("starting").style(theme::info())),
        Some(Progress::Running(task)) => {
            Some(Cell::from(format!("task {}", running_for(task, app.now))).style(theme::info()))
        }
        _ => None,
    };
    let marker = if app.busy.contains(row.id())
        || matches!(progress, Some(Progress::Starting | Progress::Running(_)))
    {
        Cell::from("⟳").style(theme::info())
    } else if matches!(progress, Some(Progress::Failed(_)))
        && summary.status == Some(InvitationStatus::Pending)
    {
        Cell::from("✗").style(theme::error())
    } else if row.is_new {
        Cell::from("●").style(theme::new_marker())
    } else {
        Cell::from("")
    };
    let mark = if app.marks.contains(row.id()) {
        Cell::from("✓").style(theme::info())
    } else {
        Cell::from("")
    };
    // A status this version does not know is the service's text: neutralised like the rest.
    let status = task_status.unwrap_or_else(|| {
        Cell::from(
            sanitize::inline(
                summary
                    .status
                    .as_ref()
                    .map_or("?", InvitationStatus::as_str),
            )
            .into_owned(),
        )
        .style(theme::status(summary.status.as_ref()))
    });
    let invited = summary
        .invitation_date
        .map_or_else(|| "—".to_owned(), |t| humanize::relative(t.0, app.now));
    let title = sanitize::inline(summary.engagement_title.as_deref().unwrap_or("(untitled)"));
    let counterpart = match app.view {
        ParticipantType::Sender => match &summary.receiver {
            Some(Receiver::Account(account)) => {
                account.alias.as_deref().unwrap_or(&account.aws_account_id)
            }
            Some(Receiver::Unknown(name, _)) => name.as_str(),
            None => "",
        },
        _ => summary
            .sender_company_name
            .as_deref()
            .or(summary.sender_aws_account_id.as_deref())
            .unwrap_or(""),
    };
    let kind = match &summary.payload_type {
        Some(PayloadType::OpportunityInvitation) if full_kind => "Opportunity",
        Some(PayloadType::OpportunityInvitation) => "Opp",
        Some(PayloadType::LeadInvitation) => "Lead",
        Some(PayloadType::Unknown(other)) => other.as_str(),
        None => "",
    };
    let expires = match (&summary.status, summary.expiration_date) {
        (Some(InvitationStatus::Pending), Some(deadline)) => {
            let style = if humanize::expires_soon(deadline.0, app.now) {
                theme::expires_soon()
            } else {
                theme::dim()
            };
            Cell::from(humanize::time_left(deadline.0, app.now)).style(style)
        }
        _ => Cell::from(""),
    };
    TableRow::new([
        mark,
        marker,
        status,
        Cell::from(invited),
        Cell::from(title),
        Cell::from(sanitize::inline(counterpart)),
        Cell::from(sanitize::inline(kind)),
        expires,
    ])
}

/// What the pane says when no row is shown: loading, an error, an empty inbox, or a filter
/// that hides everything.
fn render_empty(frame: &mut Frame, area: Rect, app: &App) {
    let key = |command| {
        app.keymap
            .hint(KeyMode::Inbox, command)
            .unwrap_or_else(|| "(unbound)".to_owned())
    };
    let listing = &app.list.listing;
    let (text, style) = match &app.list.load {
        LoadState::Failed(error) if listing.is_empty() => (
            format!(
                "Could not list invitations:\n{}\n\nPress {} to retry.",
                sanitize::multiline(error),
                key(Command::Refresh)
            ),
            theme::error(),
        ),
        LoadState::Loading { .. } if listing.is_empty() => {
            ("Loading invitations…".to_owned(), theme::info())
        }
        _ if listing.is_empty() => (
            format!(
                "No {} invitations in the {} catalog.\n\nPress {} to switch Received/Sent, {} to switch catalog, {} to refresh.",
                match app.view {
                    ParticipantType::Sender => "sent",
                    _ => "received",
                },
                sanitize::inline(&app.catalog),
                key(Command::SwitchView),
                key(Command::SwitchCatalog),
                key(Command::Refresh),
            ),
            theme::dim(),
        ),
        _ => (
            format!(
                "No invitation matches{}{}.\n\n{}",
                {
                    let filter = &app.list.filter;
                    let mut words = filter_words(filter);
                    if !filter.statuses.is_empty() {
                        words.insert(0, status_words(&filter.statuses));
                    }
                    if words.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", sanitize::inline(&words.join(", ")))
                    }
                },
                if app.list.search.is_empty() {
                    String::new()
                } else {
                    format!(" \"{}\"", sanitize::inline(app.list.search.text()))
                },
                no_match_hint(app),
            ),
            theme::dim(),
        ),
    };
    let lines: Vec<Line> = text
        .lines()
        .map(|l| Line::styled(l.to_owned(), style))
        .collect();
    let top = area.height.saturating_sub(lines.len() as u16) / 3;
    let area = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// What to do when nothing matches, in the keys that work now: while the search field has the
/// keys, letters are typed into it, so only its own keys are offered.
fn no_match_hint(app: &App) -> String {
    let key = |mode, command| {
        app.keymap
            .hint(mode, command)
            .unwrap_or_else(|| "(unbound)".to_owned())
    };
    if app.list.searching {
        return format!(
            "Backspace edits the search, {} clears it.",
            key(KeyMode::Search, Command::Cancel)
        );
    }
    let mut hint = format!(
        "Press {} to change the status filter, {} the others",
        key(KeyMode::Inbox, Command::StatusPicker),
        key(KeyMode::Inbox, Command::FilterPicker)
    );
    if !app.list.search.is_empty() {
        hint.push_str(&format!(
            ", {} to clear the search",
            key(KeyMode::Inbox, Command::Back)
        ));
    }
    hint + "."
}

/// How long a task has run, `12s` or `3m`, from its start time (nothing before it is known).
pub fn running_for(task: &EngagementTask, now: chrono::DateTime<chrono::Utc>) -> String {
    let Some(start) = task.start_time else {
        return String::new();
    };
    let seconds = (now - start.0).num_seconds().max(0);
    if seconds < 120 {
        format!("{seconds}s")
    } else {
        format!("{}m", seconds / 60)
    }
}
