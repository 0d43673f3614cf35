//! Marks and bulk answers: `Space` marks the selected PENDING invitation; `a` / `x` with marks
//! answer every marked one after one confirmation (a reject: one reason for all). The worker
//! sends them one a second, the write quota ([`crate::api::answer::answer_each`]); a progress
//! box says `3 of 12`, `Esc` stops the rest, and when it ends the box lists what failed and why.
//! Rows answered leave the marks; those that failed keep them, ready for another try.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::app::{App, Effect};
use super::command::Command;
use super::dialog::Dialog;
use super::keymap::KeyMode;
use super::theme;
use super::worker::Request;
use crate::api::answer::Settled;
use crate::api::model::InvitationStatus;
use crate::sanitize;

/// A bulk answer on its way or just ended.
#[derive(Debug, PartialEq)]
pub struct Progress {
    pub wanted: InvitationStatus,
    pub total: usize,
    /// Answers back so far (done or failed).
    pub done: usize,
    /// The invitations not answered as asked, and why.
    pub failures: Vec<(String, String)>,
    /// `Esc` asked to stop the rest.
    pub stopping: bool,
    /// The worker sends no more.
    pub finished: bool,
}

impl Progress {
    fn verb(&self) -> &'static str {
        if self.wanted == InvitationStatus::Accepted {
            "Accepting"
        } else {
            "Rejecting"
        }
    }
}

/// `Space`: marks or unmarks the selected invitation (only one that can be answered), then
/// moves down so a run of rows is marked with a run of presses.
pub fn toggle_mark(app: &mut App) -> Vec<Effect> {
    let Some(id) = app.list.selected_id() else {
        return Vec::new();
    };
    if !app.marks.remove(&id) {
        if let Some(refusal) = app.refuse_answer("mark and answer") {
            app.error(refusal);
            return Vec::new();
        }
        app.marks.insert(id);
    }
    let rows = app.list_rows();
    let next = app.list.selected + 1;
    let moved = next < app.list.listing.visible().len() && app.list.select(next, rows);
    app.selection_changed(moved)
}

/// The marked invitations still listed, in the list's order (marks of rows gone are dropped).
pub fn marked_ids(app: &mut App) -> Vec<String> {
    let rows = app.list.listing.rows();
    let ids: Vec<String> = app
        .list
        .listing
        .visible()
        .iter()
        .map(|&index| rows[index].id())
        .filter(|id| app.marks.contains(*id))
        .map(str::to_owned)
        .collect();
    app.marks.retain(|id| ids.contains(id));
    ids
}

/// `a` / `x` with marks: the one question for all of them.
pub fn ask(app: &mut App, command: Command) -> Vec<Effect> {
    if app.read_only {
        app.error("Read-only: answers are turned off (started with --read-only)");
        return Vec::new();
    }
    let marked = marked_ids(app);
    let Some(first) = marked.first() else {
        return Vec::new();
    };
    let title = format!("{} marked invitations", marked.len());
    let id = match marked.len() {
        1 => first.clone(),
        n => format!("{first} and {} more", n - 1),
    };
    app.dialog = Some(if command == Command::Accept {
        Dialog::ConfirmAccept { id, title, marked }
    } else {
        Dialog::RejectReason {
            id,
            title,
            reason: Default::default(),
            error: None,
            marked,
        }
    });
    Vec::new()
}

/// The confirmation given: the worker answers them all, the box shows the progress.
pub fn start(
    app: &mut App,
    wanted: InvitationStatus,
    ids: Vec<String>,
    reason: Option<String>,
) -> Vec<Effect> {
    app.busy.extend(ids.iter().cloned());
    app.dialog = Some(Dialog::Bulk(Progress {
        wanted: wanted.clone(),
        total: ids.len(),
        done: 0,
        failures: Vec::new(),
        stopping: false,
        finished: false,
    }));
    vec![Effect::Request(Request::AnswerMany {
        catalog: app.catalog.clone(),
        ids,
        wanted,
        reason,
    })]
}

/// One answer came back: the row takes its status, the mark goes if it took effect.
pub fn answered(
    app: &mut App,
    catalog: &str,
    id: &str,
    wanted: InvitationStatus,
    result: Result<Settled, String>,
) -> Vec<Effect> {
    let failure = match &result {
        Ok(Settled::Already { .. }) => result
            .as_ref()
            .ok()
            .map(|settled| settled.describe(&wanted, id)),
        Ok(_) => None,
        Err(error) => Some(error.clone()),
    };
    let effects = app.answered(catalog, id, wanted, result);
    match &failure {
        Some(_) => {}
        None => {
            app.marks.remove(id);
        }
    }
    if let Some(Dialog::Bulk(progress)) = &mut app.dialog {
        progress.done += 1;
        if let Some(why) = failure {
            progress.failures.push((id.to_owned(), why));
        }
        app.message = None;
    }
    effects
}

/// The worker sends no more: invitations never sent are not busy any longer.
pub fn finished(app: &mut App) -> Vec<Effect> {
    if let Some(Dialog::Bulk(progress)) = &mut app.dialog {
        progress.finished = true;
    }
    let marks = app.marks.clone();
    app.busy.retain(|id| !marks.contains(id));
    Vec::new()
}

/// A key while the box is up: `Esc` stops the rest; once ended, any of the dialog's keys close.
pub fn command(app: &mut App, mut progress: Progress, command: Command) -> Vec<Effect> {
    match command {
        Command::Cancel | Command::Confirm if progress.finished => Vec::new(),
        Command::Cancel if !progress.stopping => {
            progress.stopping = true;
            app.dialog = Some(Dialog::Bulk(progress));
            vec![Effect::Request(Request::StopAnswering)]
        }
        _ => {
            app.dialog = Some(Dialog::Bulk(progress));
            Vec::new()
        }
    }
}

/// The progress, then the summary.
pub fn render(frame: &mut Frame, area: Rect, app: &App, progress: &Progress) {
    let key = |command: Command| {
        Span::styled(
            app.keymap
                .hint(KeyMode::Dialog, command)
                .unwrap_or_default(),
            theme::key(),
        )
    };
    let mut lines = Vec::new();
    let title;
    if progress.finished {
        title = " Bulk answer ended ";
        let done = progress.done - progress.failures.len();
        let past = if progress.wanted == InvitationStatus::Accepted {
            "accepted"
        } else {
            "rejected"
        };
        lines.push(Line::styled(
            format!("{done} of {} {past}", progress.total),
            theme::heading(),
        ));
        let unsent = progress.total - progress.done;
        if unsent > 0 {
            lines.push(Line::raw(format!(
                "{unsent} not sent (stopped); still marked"
            )));
        }
        if !progress.failures.is_empty() {
            lines.push(Line::styled(
                format!("{} failed (still marked):", progress.failures.len()),
                theme::error(),
            ));
            for (id, why) in &progress.failures {
                lines.push(Line::raw(format!("{id}: {}", sanitize::inline(why))));
            }
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![key(Command::Cancel), Span::raw(" close")]));
    } else {
        title = " Bulk answer ";
        lines.push(Line::styled(
            format!(
                "{} {} of {}",
                progress.verb(),
                (progress.done + 1).min(progress.total),
                progress.total
            ),
            theme::heading(),
        ));
        lines.push(Line::styled(
            "One a second: the service's write quota.",
            theme::dim(),
        ));
        if !progress.failures.is_empty() {
            lines.push(Line::styled(
                format!("{} failed so far", progress.failures.len()),
                theme::error(),
            ));
        }
        lines.push(Line::default());
        lines.push(if progress.stopping {
            Line::styled("Stopping after the answer on its way…", theme::info())
        } else {
            Line::from(vec![key(Command::Cancel), Span::raw(" stop the rest")])
        });
    }
    let width = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(0)
        .clamp(30, 76) as u16
        + 4;
    let width = width.min(area.width.saturating_sub(2));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::border(true))
        .title(Line::styled(title, theme::label()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
