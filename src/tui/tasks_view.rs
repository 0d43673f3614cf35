//! The accepting tasks view (`t`): the catalog's tasks, newest first, with their status, the
//! invitation they accept (its title when the inbox lists it), the opportunity they created and
//! why one failed. `Enter` goes to the task's invitation in the inbox, `y` copies the
//! opportunity id (the task id before there is one), `r` lists again, `Esc` goes back.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{
    Block, Cell, HighlightSpacing, Paragraph, Row as TableRow, Table, TableState, Wrap,
};

use super::app::{App, Effect, Focus};
use super::command::Command;
use super::keymap::KeyMode;
use super::list::scroll_offset;
use super::tasks::TasksLoad;
use super::{draw, theme};
use crate::api::model::{EngagementTask, TaskStatus};
use crate::{humanize, sanitize};

/// `t`: opens the view on the newest task, and lists the tasks again.
pub fn open(app: &mut App) -> Vec<Effect> {
    app.tasks.view = Some(0);
    vec![Effect::Request(app.tasks.list(&app.catalog))]
}

/// A command while the view is open.
pub fn command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(at) = app.tasks.view else {
        return Vec::new();
    };
    let count = app.tasks.all().len();
    let last = count.saturating_sub(1);
    let page = rows(app.size.1);
    let to = match command {
        Command::Up => at.saturating_sub(1),
        Command::Down => (at + 1).min(last),
        Command::PageUp => at.saturating_sub(page),
        Command::PageDown => (at + page).min(last),
        Command::Top => 0,
        Command::Bottom => last,
        Command::Back => {
            app.tasks.view = None;
            return Vec::new();
        }
        Command::Refresh => {
            app.tasks.retry_failed();
            return vec![Effect::Request(app.tasks.list(&app.catalog))];
        }
        Command::CopyId => {
            let Some(task) = app.tasks.selected() else {
                return Vec::new();
            };
            let id = task
                .opportunity_id
                .clone()
                .or_else(|| task.task_id.clone())
                .unwrap_or_default();
            app.info(format!("Copied {id} to the clipboard"));
            return vec![Effect::Copy(id)];
        }
        Command::Open => return go_to_invitation(app),
        _ => at,
    };
    app.tasks.view = Some(to);
    Vec::new()
}

/// Enter: back to the inbox on the task's invitation (the filters and search cleared when they
/// hide it).
fn go_to_invitation(app: &mut App) -> Vec<Effect> {
    let Some(invitation) = app
        .tasks
        .selected()
        .and_then(|t| t.engagement_invitation_id.clone())
    else {
        return Vec::new();
    };
    let rows = app.list_rows();
    if app.list.listing.position_of(&invitation).is_none() {
        let status = app
            .list
            .listing
            .row(&invitation)
            .and_then(|row| row.summary.status.clone());
        app.list.filter.let_through(status.as_ref());
        app.list.clear_search(rows);
        app.list.apply_filter(rows);
    }
    let Some(position) = app.list.listing.position_of(&invitation) else {
        app.error(format!(
            "{invitation} is not in the {} invitations listed",
            if app.view == crate::api::model::ParticipantType::Sender {
                "sent"
            } else {
                "received"
            }
        ));
        return Vec::new();
    };
    app.tasks.view = None;
    app.focus = Focus::Detail;
    let changed = app.list.select(position, rows);
    app.selection_changed(changed)
}

/// Task rows that fit a terminal `height` rows tall (header, borders, column titles, footer).
fn rows(height: u16) -> usize {
    usize::from(height.saturating_sub(6)).max(1)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let at = app.tasks.view.unwrap_or(0);
    let tasks = app.tasks.all();
    let key = |command| app.keymap.hint(KeyMode::Tasks, command).unwrap_or_default();
    let block = Block::bordered()
        .border_style(theme::border(true))
        .title(Line::styled(" Accepting tasks ", theme::label()))
        .title(
            Line::styled(
                format!(
                    " {} go to invitation · {} copy opportunity id · {} back ",
                    key(Command::Open),
                    key(Command::CopyId),
                    key(Command::Back)
                ),
                theme::dim(),
            )
            .right_aligned(),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if tasks.is_empty() {
        let (text, style) = match &app.tasks.load {
            TasksLoad::Loading => ("Listing the tasks…".to_owned(), theme::info()),
            TasksLoad::Failed(error) => (
                format!(
                    "Could not list the tasks: {}\n\nPress {} to retry.",
                    sanitize::inline(error),
                    key(Command::Refresh)
                ),
                theme::error(),
            ),
            TasksLoad::Idle => (
                format!(
                    "No accepting tasks in the {} catalog yet.\n\nAccepting a PENDING opportunity invitation with the opportunity created starts one.",
                    sanitize::inline(&app.catalog)
                ),
                theme::dim(),
            ),
        };
        let lines: Vec<Line> = text
            .lines()
            .map(|l| Line::styled(l.to_owned(), style))
            .collect();
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        return;
    }
    // The selected task in full below the table: the reason a row cuts short.
    let [inner, about] = Layout::vertical([Constraint::Min(2), Constraint::Length(4)]).areas(inner);
    render_selected(frame, about, app);
    let shown = usize::from(inner.height.saturating_sub(1)).max(1);
    // A listing again may have fewer tasks than the selection assumed.
    let at = at.min(tasks.len() - 1);
    let offset = scroll_offset(0, at, shown, tasks.len());
    let end = (offset + shown).min(tasks.len());
    let header = TableRow::new([
        "Status",
        "Started",
        "Invitation",
        "Opportunity",
        "Why / task",
    ])
    .style(theme::label());
    let widths = [
        Constraint::Length(11),
        Constraint::Length(9),
        Constraint::Fill(1),
        Constraint::Length(14),
        Constraint::Fill(1),
    ];
    let table_rows = tasks[offset..end].iter().map(|task| task_row(task, app));
    let table = Table::new(table_rows, widths)
        .header(header)
        .row_highlight_style(theme::selected_row())
        .highlight_symbol("▶")
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(Some(at - offset));
    frame.render_stateful_widget(table, inner, &mut state);
    draw::scrollbar(frame, area, tasks.len(), offset, shown);
    if let TasksLoad::Failed(error) = &app.tasks.load {
        let bottom = Rect {
            y: inner.y + inner.height.saturating_sub(1),
            height: 1,
            ..inner
        };
        frame.render_widget(
            Line::styled(
                format!("Listing again failed: {}", sanitize::inline(error)),
                theme::error(),
            ),
            bottom,
        );
    }
}

/// The selected task, every field, wrapped.
fn render_selected(frame: &mut Frame, area: Rect, app: &App) {
    let Some(task) = app.tasks.selected() else {
        return;
    };
    let mut text = format!(
        "Task {} · invitation {}",
        task.task_id.as_deref().unwrap_or("?"),
        task.engagement_invitation_id.as_deref().unwrap_or("?")
    );
    if let Some(opportunity) = &task.opportunity_id {
        text.push_str(&format!(" · opportunity {opportunity}"));
    }
    let mut lines = vec![
        Line::styled("─".repeat(usize::from(area.width)), theme::dim()),
        Line::raw(sanitize::inline(&text).into_owned()),
    ];
    if !task.is_finished() {
        lines.push(Line::styled(
            format!("Running for {}", super::inbox::running_for(task, app.now)),
            theme::info(),
        ));
    } else if task.task_status != Some(TaskStatus::Complete) {
        lines.push(Line::styled(
            format!("Failed: {}", sanitize::inline(&task.failure())),
            theme::error(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn task_row<'a>(task: &'a EngagementTask, app: &App) -> TableRow<'a> {
    let status = task.task_status.as_ref().map_or("?", |s| s.as_str());
    let style = match task.task_status {
        Some(TaskStatus::Complete) => {
            theme::status(Some(&crate::api::model::InvitationStatus::Accepted))
        }
        Some(TaskStatus::InProgress) => theme::info(),
        _ => theme::error(),
    };
    let started = task
        .start_time
        .map_or_else(|| "—".to_owned(), |t| humanize::relative(t.0, app.now));
    let invitation = task.engagement_invitation_id.as_deref().unwrap_or("");
    let title = app
        .list
        .listing
        .row(invitation)
        .and_then(|row| row.summary.engagement_title.as_deref());
    let invitation = match title {
        Some(title) => format!("{} · {invitation}", sanitize::inline(title)),
        None => invitation.to_owned(),
    };
    let why = match task.task_status {
        Some(TaskStatus::Complete) | Some(TaskStatus::InProgress) => {
            task.task_id.clone().unwrap_or_default()
        }
        _ => task.failure(),
    };
    TableRow::new([
        Cell::from(sanitize::inline(status).into_owned()).style(style),
        Cell::from(started),
        Cell::from(sanitize::inline(&invitation).into_owned()),
        Cell::from(sanitize::inline(task.opportunity_id.as_deref().unwrap_or("")).into_owned()),
        Cell::from(sanitize::inline(&why).into_owned()),
    ])
}
