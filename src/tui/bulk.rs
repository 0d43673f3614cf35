//! Marks and bulk answers: `Space` marks the selected PENDING invitation; `a` / `x` with marks
//! answer every marked one after one confirmation (a reject: one reason for all; an accept takes
//! each opportunity invitation through the accepting task, which creates its opportunity, and
//! the confirmation says how many). The worker sends them one a second, the write quota
//! ([`crate::api::answer::answer_each`]); a progress box says `3 of 12`, `Esc` stops the rest,
//! and when it ends the box lists the tasks started with how each is doing, and what failed and
//! why. Rows answered (or whose task started) leave the marks; those that failed keep them,
//! ready for another try.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::app::{App, Effect};
use super::command::Command;
use super::dialog::Dialog;
use super::event::Answered;
use super::inbox::running_for;
use super::keymap::KeyMode;
use super::task_events;
use super::tasks;
use super::theme;
use super::worker::{Answer, Request};
use crate::api::answer::Settled;
use crate::api::model::{InvitationStatus, PayloadType};
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
    /// The invitations whose accepting task started, in order: the tasks part follows them.
    pub tasks: Vec<String>,
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

/// The marked invitations still listed, newest first, whether or not the filter or search shows
/// them now (the header counts them all); marks of rows no longer listed are dropped.
pub fn marked_ids(app: &mut App) -> Vec<String> {
    let ids: Vec<String> = app
        .list
        .listing
        .rows()
        .iter()
        .map(|row| row.id())
        .filter(|id| app.marks.contains(*id))
        .map(str::to_owned)
        .collect();
    app.marks.retain(|id| ids.contains(id));
    ids
}

/// How marked invitation `id` is answered: an accept of an opportunity invitation goes through
/// the accepting task, which creates its opportunity too (as `a` on one does unless told
/// otherwise); a lead invitation is accepted directly; a reject is a reject.
fn answer_for(app: &App, id: &str, wanted: &InvitationStatus, reason: &Option<String>) -> Answer {
    if *wanted == InvitationStatus::Rejected {
        return Answer::Reject(reason.clone());
    }
    let opportunity = app.list.listing.rows().iter().any(|row| {
        row.id() == id && row.summary.payload_type == Some(PayloadType::OpportunityInvitation)
    });
    if opportunity {
        Answer::AcceptCreatingOpportunity
    } else {
        Answer::Accept
    }
}

/// What accepting `marked` will do, for the confirmation: how many go through the accepting
/// task and how many are accepted directly.
pub fn accept_plan(app: &App, marked: &[String]) -> Vec<String> {
    let through_task = marked
        .iter()
        .filter(|id| {
            answer_for(app, id, &InvitationStatus::Accepted, &None)
                == Answer::AcceptCreatingOpportunity
        })
        .count();
    let directly = marked.len() - through_task;
    let mut plan = Vec::new();
    if through_task > 0 {
        plan.push(format!(
            "{through_task} through the accepting task (creates their opportunities)"
        ));
    }
    if directly > 0 {
        plan.push(format!("{directly} directly"));
    }
    plan
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
            choice: 0,
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
    let answers = ids
        .into_iter()
        .map(|id| {
            let answer = answer_for(app, &id, &wanted, &reason);
            (id, answer)
        })
        .collect::<Vec<_>>();
    app.dialog = Some(Dialog::Bulk(Progress {
        wanted,
        total: answers.len(),
        done: 0,
        failures: Vec::new(),
        tasks: Vec::new(),
        stopping: false,
        finished: false,
    }));
    vec![Effect::Request(Request::AnswerMany {
        catalog: app.catalog.clone(),
        answers,
    })]
}

/// One answer came back: the row takes its status (or its task, followed as one started with
/// `a` is), the mark goes if it took effect.
pub fn answered(
    app: &mut App,
    catalog: &str,
    id: &str,
    wanted: InvitationStatus,
    result: Result<Answered, String>,
) -> Vec<Effect> {
    let mut started = false;
    let (failure, effects) = match result {
        Ok(Answered::TaskStarted(task)) => {
            app.busy.remove(id);
            started = true;
            let effects = if catalog == app.catalog {
                task_events::started(app, catalog, id, task)
            } else {
                Vec::new()
            };
            (None, effects)
        }
        Ok(Answered::Settled(settled)) => {
            let failure =
                matches!(settled, Settled::Already { .. }).then(|| settled.describe(&wanted, id));
            (failure, app.answered(catalog, id, wanted, Ok(settled)))
        }
        Err(error) => (
            Some(error.clone()),
            app.answered(catalog, id, wanted, Err(error)),
        ),
    };
    if failure.is_none() {
        app.marks.remove(id);
    }
    if let Some(Dialog::Bulk(progress)) = &mut app.dialog {
        progress.done += 1;
        if let Some(why) = failure {
            progress.failures.push((id.to_owned(), why));
        }
        if started {
            progress.tasks.push(id.to_owned());
        }
        app.message = None;
    }
    effects
}

/// How the task accepting `invitation` is doing, for the summary.
fn task_outcome(app: &App, invitation: &str) -> (String, ratatui::style::Style) {
    match app.tasks.progress(invitation) {
        Some(tasks::Progress::Running(task)) => (
            format!("creating the opportunity ({})", running_for(task, app.now)),
            theme::info(),
        ),
        Some(tasks::Progress::Complete(task)) => (
            format!(
                "opportunity {} created",
                task.opportunity_id.as_deref().unwrap_or("")
            ),
            theme::heading(),
        ),
        Some(tasks::Progress::Failed(task)) => {
            (format!("not created: {}", task.failure()), theme::error())
        }
        Some(tasks::Progress::Starting) | None => ("task started".to_owned(), theme::info()),
    }
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
        let done = progress.done - progress.failures.len() - progress.tasks.len();
        let past = if progress.wanted == InvitationStatus::Accepted {
            "accepted"
        } else {
            "rejected"
        };
        let how = if progress.tasks.is_empty() {
            ""
        } else {
            " directly"
        };
        lines.push(Line::styled(
            format!("{done} of {} {past}{how}", progress.total),
            theme::heading(),
        ));
        if !progress.tasks.is_empty() {
            let tasks_key = app
                .keymap
                .hint(KeyMode::Inbox, Command::Tasks)
                .unwrap_or_default();
            lines.push(Line::styled(
                format!(
                    "{} through the accepting task ({tasks_key} lists the tasks):",
                    progress.tasks.len()
                ),
                theme::heading(),
            ));
            for id in &progress.tasks {
                let (outcome, style) = task_outcome(app, id);
                lines.push(Line::styled(
                    format!("{id}: {}", sanitize::inline(&outcome)),
                    style,
                ));
            }
        }
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
        if !progress.tasks.is_empty() {
            lines.push(Line::styled(
                match progress.tasks.len() {
                    1 => "1 accepting task started so far".to_owned(),
                    n => format!("{n} accepting tasks started so far"),
                },
                theme::info(),
            ));
        }
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

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent};

    use super::*;
    use crate::tui::TuiOptions;
    use crate::tui::app::update;
    use crate::tui::event::Event;
    use crate::tui::fixtures::{self, inbox, press, type_reason};

    fn app() -> App {
        let mut app = fixtures::loaded(&TuiOptions::default(), inbox());
        app.size = (120, 30);
        app
    }

    fn space(app: &mut App) -> Vec<Effect> {
        press(app, KeyEvent::from(KeyCode::Char(' ')))
    }

    fn id_at(app: &App, position: usize) -> String {
        let index = app.list.listing.visible()[position];
        app.list.listing.rows()[index].id().to_owned()
    }

    fn answer(app: &mut App, id: &str, result: Result<Settled, String>) -> Vec<Effect> {
        answer_with(app, id, result.map(Answered::Settled))
    }

    fn answer_with(app: &mut App, id: &str, result: Result<Answered, String>) -> Vec<Effect> {
        let wanted = match &app.dialog {
            Some(Dialog::Bulk(progress)) => progress.wanted.clone(),
            _ => panic!("no bulk answer running"),
        };
        update(
            app,
            Event::BulkAnswered {
                catalog: "Sandbox".into(),
                id: id.to_owned(),
                wanted,
                result,
            },
        )
    }

    /// Marks the first two rows (PENDING) and the fourth (PENDING), skipping the third
    /// (ACCEPTED), which refuses a mark.
    fn marked_three(app: &mut App) -> Vec<String> {
        space(app);
        space(app);
        assert_eq!(app.list.selected, 2);
        space(app);
        assert!(app.message.as_ref().unwrap().text.contains("ACCEPTED"));
        assert_eq!(app.list.selected, 2, "a refused mark does not move");
        app.list.select(3, app.list_rows());
        space(app);
        vec![id_at(app, 0), id_at(app, 1), id_at(app, 3)]
    }

    #[test]
    fn space_marks_pending_rows_moving_down_and_unmarks() {
        let mut app = app();
        let marked = marked_three(&mut app);
        assert_eq!(app.marks.len(), 3);
        assert!(marked.iter().all(|id| app.marks.contains(id)));
        app.list.select(0, app.list_rows());
        space(&mut app);
        assert!(!app.marks.contains(&marked[0]), "a second press unmarks");
        insta::assert_snapshot!("marks_in_the_list", {
            space(&mut app);
            fixtures::draw(&app)
        });
    }

    #[test]
    fn a_bulk_reject_sends_every_mark_with_one_reason_and_sums_up() {
        let mut app = app();
        let marked = marked_three(&mut app);
        press(&mut app, KeyEvent::from(KeyCode::Char('x')));
        assert!(matches!(
            &app.dialog,
            Some(Dialog::RejectReason { marked: asked, .. }) if *asked == marked
        ));
        type_reason(&mut app, "Outside our regions");
        let effects = press(&mut app, KeyEvent::from(KeyCode::Enter));
        let reject = Answer::Reject(Some("Outside our regions".into()));
        assert_eq!(
            effects,
            [Effect::Request(Request::AnswerMany {
                catalog: "Sandbox".into(),
                answers: marked
                    .iter()
                    .map(|id| (id.clone(), reject.clone()))
                    .collect(),
            })],
            "a reject is a reject, whatever the invitation's kind"
        );
        assert!(marked.iter().all(|id| app.busy.contains(id)));

        answer(&mut app, &marked[0], Ok(Settled::Done));
        insta::assert_snapshot!("bulk_progress", fixtures::draw(&app));
        assert!(!app.marks.contains(&marked[0]), "answered: unmarked");
        assert_eq!(
            app.list
                .listing
                .rows()
                .iter()
                .find(|r| r.id() == marked[0])
                .unwrap()
                .summary
                .status,
            Some(InvitationStatus::Rejected)
        );
        answer(
            &mut app,
            &marked[1],
            Err("ThrottlingException: slow down".into()),
        );
        assert!(app.marks.contains(&marked[1]), "failed: still marked");

        // Esc stops the rest: the third is never sent.
        let effects = press(&mut app, KeyEvent::from(KeyCode::Esc));
        assert_eq!(effects, [Effect::Request(Request::StopAnswering)]);
        update(&mut app, Event::BulkFinished);
        assert!(app.busy.is_empty(), "nothing is on its way any more");
        insta::assert_snapshot!("bulk_summary", fixtures::draw(&app));
        press(&mut app, KeyEvent::from(KeyCode::Esc));
        assert!(app.dialog.is_none());
        assert_eq!(app.marks.len(), 2, "the failed and the unsent stay marked");
    }

    /// Two opportunity invitations and a lead invitation marked: the confirmation says what
    /// happens to each kind; the opportunity invitations go through the accepting task (followed
    /// and listed like one started with `a`), the lead is accepted directly, and the summary says
    /// how each task is doing and what failed.
    #[test]
    fn a_bulk_accept_takes_opportunity_invitations_through_the_accepting_task() {
        use crate::api::model::{EngagementTask, TaskStatus, Timestamp};
        let mut app = app();
        let marked = marked_three(&mut app); // opportunity, lead, opportunity
        press(&mut app, KeyEvent::from(KeyCode::Char('a')));
        let screen = fixtures::draw(&app);
        assert!(
            screen.contains("2 through the accepting task (creates their opportunities)"),
            "{screen}"
        );
        assert!(screen.contains("1 directly"), "{screen}");
        insta::assert_snapshot!("bulk_accept_confirmation", screen);
        let effects = press(&mut app, KeyEvent::from(KeyCode::Char('y')));
        assert_eq!(
            effects,
            [Effect::Request(Request::AnswerMany {
                catalog: "Sandbox".into(),
                answers: vec![
                    (marked[0].clone(), Answer::AcceptCreatingOpportunity),
                    (marked[1].clone(), Answer::Accept),
                    (marked[2].clone(), Answer::AcceptCreatingOpportunity),
                ],
            })]
        );
        let task = EngagementTask {
            task_id: Some("task-0000000000001".into()),
            task_status: Some(TaskStatus::InProgress),
            start_time: Some(Timestamp(*fixtures::NOW - chrono::Duration::seconds(4))),
            engagement_invitation_id: Some(marked[0].clone()),
            ..EngagementTask::default()
        };
        let effects = answer_with(
            &mut app,
            &marked[0],
            Ok(Answered::TaskStarted(task.clone())),
        );
        assert_eq!(
            effects,
            [Effect::Request(Request::FollowTask {
                catalog: "Sandbox".into(),
                task_id: "task-0000000000001".into(),
            })],
            "followed as a task started with `a` is"
        );
        assert_eq!(
            app.tasks.all(),
            std::slice::from_ref(&task),
            "the tasks view lists it"
        );
        assert!(app.tasks.busy(&marked[0]));
        assert!(!app.busy.contains(&marked[0]) && !app.marks.contains(&marked[0]));
        let screen = fixtures::draw(&app);
        assert!(
            screen.contains("Accepting 2 of 3")
                && screen.contains("1 accepting task started so far"),
            "{screen}"
        );
        answer(&mut app, &marked[1], Ok(Settled::Done));
        answer_with(
            &mut app,
            &marked[2],
            Err("ThrottlingException: slow down".into()),
        );
        update(&mut app, Event::BulkFinished);
        insta::assert_snapshot!("bulk_accept_summary_task_running", fixtures::draw(&app));

        // The task completes while the summary is up: the row reads ACCEPTED, the summary
        // names the opportunity.
        update(
            &mut app,
            Event::TaskUpdated {
                catalog: "Sandbox".into(),
                task: EngagementTask {
                    task_status: Some(TaskStatus::Complete),
                    opportunity_id: Some("O1234567890".into()),
                    ..task
                },
            },
        );
        let row = app.list.listing.rows().iter().find(|r| r.id() == marked[0]);
        assert_eq!(
            row.unwrap().summary.status,
            Some(InvitationStatus::Accepted)
        );
        let screen = fixtures::draw(&app);
        assert!(
            screen.contains("1 of 3 accepted directly")
                && screen.contains("1 through the accepting task")
                && screen.contains(&format!("{}: opportunity O1234567890 created", marked[0]))
                && screen.contains(&format!("{}: ThrottlingException", marked[2])),
            "{screen}"
        );
        assert_eq!(app.marks.iter().collect::<Vec<_>>(), [&marked[2]]);
    }

    #[test]
    fn a_bulk_accept_of_leads_asks_once_and_a_conflict_is_a_failure() {
        let mut app = app();
        let lead = id_at(&app, 1);
        app.list.select(1, app.list_rows());
        space(&mut app);
        press(&mut app, KeyEvent::from(KeyCode::Char('a')));
        let screen = fixtures::draw(&app);
        assert!(
            screen.contains("1 directly") && !screen.contains("accepting task"),
            "{screen}"
        );
        let effects = press(&mut app, KeyEvent::from(KeyCode::Char('y')));
        assert_eq!(
            effects,
            [Effect::Request(Request::AnswerMany {
                catalog: "Sandbox".into(),
                answers: vec![(lead.clone(), Answer::Accept)],
            })]
        );
        answer(
            &mut app,
            &lead,
            Ok(Settled::Already {
                status: InvitationStatus::Expired,
                conflict: "not PENDING".into(),
            }),
        );
        update(&mut app, Event::BulkFinished);
        let Some(Dialog::Bulk(progress)) = &app.dialog else {
            panic!("the summary")
        };
        assert_eq!((progress.done, progress.failures.len()), (1, 1));
        assert!(progress.failures[0].1.contains("already EXPIRED"));
        assert_eq!(app.marks.iter().collect::<Vec<_>>(), [&lead]);
    }

    #[test]
    fn marks_hidden_by_a_filter_are_still_answered_and_a_view_switch_clears_them() {
        let mut app = app();
        let marked = marked_three(&mut app);
        update(&mut app, Command::CycleStatus); // Pending only: still all three
        update(&mut app, Command::CycleStatus); // Accepted only: none shown
        press(&mut app, KeyEvent::from(KeyCode::Char('a')));
        assert!(matches!(
            &app.dialog,
            Some(Dialog::ConfirmAccept { marked: asked, .. }) if *asked == marked
        ));
        press(&mut app, KeyEvent::from(KeyCode::Esc));
        update(&mut app, Command::SwitchView);
        assert!(app.marks.is_empty(), "marks belong to one view");
    }

    #[test]
    fn read_only_refuses_marks() {
        let mut app = fixtures::loaded(
            &TuiOptions {
                read_only: true,
                ..TuiOptions::default()
            },
            inbox(),
        );
        space(&mut app);
        assert!(app.marks.is_empty());
    }
}
