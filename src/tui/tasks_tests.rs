//! `update` from invitation to opportunity: the accept choice, the task's progress, its end
//! (the opportunity, or why it failed), tasks of earlier sessions, the tasks and engagement
//! views, and the rejection reasons. Plain tests: events in, state and effects out.

use super::TuiOptions;
use super::app::{App, Effect, Focus, MessageKind, update};
use super::command::Command;
use super::dialog::Dialog;
use super::event::{EngagementInfo, Event};
use super::fixtures::{self, NOW, inbox, opportunity, type_reason};
use super::tasks::{OpportunityState, Progress};
use super::worker::Request;
use crate::api::model::{
    EngagementDetails, EngagementTask, InvitationStatus, ReasonCode, TaskStatus, Timestamp,
};

const FIRST: &str = "engi-0a1b2c3d4e5f6"; // PENDING opportunity invitation, selected
const LEAD: &str = "engi-1b2c3d4e5f6a7"; // PENDING lead invitation
const TASK: &str = "task-0000000000001";

fn loaded() -> App {
    fixtures::loaded(&TuiOptions::default(), inbox())
}

fn requests(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Request(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn task(invitation: &str, status: TaskStatus) -> EngagementTask {
    EngagementTask {
        task_id: Some(TASK.into()),
        task_status: Some(status),
        start_time: Some(Timestamp(*NOW - chrono::Duration::seconds(3))),
        engagement_invitation_id: Some(invitation.into()),
        ..EngagementTask::default()
    }
}

fn complete(invitation: &str) -> EngagementTask {
    EngagementTask {
        opportunity_id: Some("O1234567890".into()),
        ..task(invitation, TaskStatus::Complete)
    }
}

fn failed(invitation: &str) -> EngagementTask {
    EngagementTask {
        reason_code: Some(ReasonCode::EngagementInvitationConflict),
        message: Some("Invitation is REJECTED".into()),
        ..task(invitation, TaskStatus::Failed)
    }
}

fn status_of(app: &App, id: &str) -> Option<InvitationStatus> {
    let row = app.list.listing.rows().iter().find(|r| r.id() == id);
    row.expect("listed").summary.status.clone()
}

/// `a`, Enter on the selected invitation, then the start's answer: a running task.
fn start_task(app: &mut App) -> Vec<Effect> {
    update(app, Command::Accept);
    update(app, Command::Submit);
    update(
        app,
        Event::TaskStarted {
            catalog: "Sandbox".into(),
            invitation: FIRST.into(),
            result: Ok(task(FIRST, TaskStatus::InProgress)),
        },
    )
}

fn updated(app: &mut App, task: EngagementTask) -> Vec<Effect> {
    update(
        app,
        Event::TaskUpdated {
            catalog: "Sandbox".into(),
            task,
        },
    )
}

#[test]
fn accept_on_an_opportunity_invitation_offers_creating_it_by_default() {
    let mut app = loaded();
    assert!(update(&mut app, Command::Accept).is_empty());
    assert!(matches!(
        &app.dialog,
        Some(Dialog::AcceptChoice { id, create: true, .. }) if id == FIRST
    ));
    // Enter (or y, bound to the same command) takes the default: the task.
    let effects = update(&mut app, Command::Submit);
    assert_eq!(
        requests(&effects),
        [Request::StartTask {
            catalog: "Sandbox".into(),
            invitation: FIRST.into()
        }]
    );
    assert_eq!(app.tasks.progress(FIRST), Some(Progress::Starting));
    // No second answer while it runs.
    assert!(update(&mut app, Command::Accept).is_empty());
    assert!(app.dialog.is_none());
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("A task is accepting")
    );

    // Down chooses "Accept only": AcceptEngagementInvitation, as before.
    let mut app = loaded();
    update(&mut app, Command::Accept);
    update(&mut app, Command::Down);
    assert!(matches!(
        app.dialog,
        Some(Dialog::AcceptChoice { create: false, .. })
    ));
    let effects = update(&mut app, Command::Confirm);
    assert_eq!(
        requests(&effects),
        [Request::Accept {
            catalog: "Sandbox".into(),
            id: FIRST.into()
        }]
    );
}

#[test]
fn other_invitations_keep_the_yes_no_accept() {
    let mut app = loaded();
    update(&mut app, Command::Down);
    assert_eq!(app.list.selected_id().as_deref(), Some(LEAD));
    update(&mut app, Command::Accept);
    assert!(matches!(app.dialog, Some(Dialog::ConfirmAccept { .. })));
    let effects = update(&mut app, Command::Confirm);
    assert!(matches!(
        requests(&effects).as_slice(),
        [Request::Accept { id, .. }] if id == LEAD
    ));
}

#[test]
fn a_running_task_is_followed_and_its_opportunity_shown_when_it_completes() {
    let mut app = loaded();
    let effects = start_task(&mut app);
    assert_eq!(
        requests(&effects),
        [Request::FollowTask {
            catalog: "Sandbox".into(),
            task_id: TASK.into()
        }]
    );
    assert!(matches!(
        app.tasks.progress(FIRST),
        Some(Progress::Running(_))
    ));
    assert_eq!(app.tasks.running().len(), 1);
    // The clock redraws while it runs (its time counts up).
    app.take_dirty();
    update(&mut app, Event::Tick(*NOW + chrono::Duration::seconds(1)));
    assert!(app.take_dirty());
    // A look that still says IN_PROGRESS asks for nothing more.
    assert!(updated(&mut app, task(FIRST, TaskStatus::InProgress)).is_empty());

    let effects = updated(&mut app, complete(FIRST));
    assert_eq!(status_of(&app, FIRST), Some(InvitationStatus::Accepted));
    let message = app.message.as_ref().unwrap();
    assert_eq!(message.kind, MessageKind::Info);
    assert!(message.text.contains("O1234567890"), "{}", message.text);
    let requested = requests(&effects);
    assert!(requested.contains(&Request::Opportunity {
        catalog: "Sandbox".into(),
        id: "O1234567890".into()
    }));
    assert!(app.tasks.running().is_empty());
    update(
        &mut app,
        Event::OpportunityLoaded {
            catalog: "Sandbox".into(),
            id: "O1234567890".into(),
            result: Ok(Box::new(opportunity("Sandbox", "O1234567890"))),
        },
    );
    assert!(matches!(
        app.tasks.opportunities.get("O1234567890"),
        Some(OpportunityState::Loaded(_))
    ));
    // y in the list copies the invitation id; in the detail, the opportunity's.
    update(&mut app, Command::CycleStatus); // Pending: the accepted one leaves
    update(&mut app, Command::CycleStatus); // Accepted
    let position = app.list.listing.position_of(FIRST).unwrap();
    app.list.select(position, 10);
    assert_eq!(
        update(&mut app, Command::CopyId),
        [Effect::Copy(FIRST.into())]
    );
    update(&mut app, Command::Open);
    assert_eq!(app.focus, Focus::Detail);
    assert_eq!(
        update(&mut app, Command::CopyId),
        [Effect::Copy("O1234567890".into())]
    );
}

#[test]
fn a_failed_task_says_why_in_plain_words_and_leaves_the_invitation() {
    let mut app = loaded();
    start_task(&mut app);
    updated(&mut app, failed(FIRST));
    let message = app.message.as_ref().unwrap();
    assert_eq!(message.kind, MessageKind::Error);
    assert!(
        message.text.contains("no longer PENDING") && message.text.contains("REJECTED"),
        "{}",
        message.text
    );
    assert_eq!(status_of(&app, FIRST), Some(InvitationStatus::Pending));
    assert!(matches!(
        app.tasks.progress(FIRST),
        Some(Progress::Failed(_))
    ));
    // It may be tried again.
    update(&mut app, Command::Accept);
    assert!(matches!(app.dialog, Some(Dialog::AcceptChoice { .. })));

    // A start the service refuses says so and leaves nothing running.
    let mut app = loaded();
    update(&mut app, Command::Accept);
    update(&mut app, Command::Submit);
    update(
        &mut app,
        Event::TaskStarted {
            catalog: "Sandbox".into(),
            invitation: FIRST.into(),
            result: Err("ConflictException: not PENDING".into()),
        },
    );
    assert_eq!(app.tasks.progress(FIRST), None);
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("ConflictException")
    );
}

#[test]
fn tasks_of_earlier_sessions_are_found_at_start_and_on_refresh() {
    let mut app = App::new(&TuiOptions::default(), *NOW);
    let effects = app.start();
    assert!(requests(&effects).contains(&Request::ListTasks {
        catalog: "Sandbox".into()
    }));
    fixtures::every_received(&mut app);
    fixtures::list(&mut app, 1, inbox());
    // One still running (followed from now on), one that completed while pcinbox was closed.
    let effects = update(
        &mut app,
        Event::TasksListed {
            catalog: "Sandbox".into(),
            result: Ok(vec![
                EngagementTask {
                    task_id: Some("task-0000000000002".into()),
                    ..task(LEAD, TaskStatus::InProgress)
                },
                complete(FIRST),
            ]),
        },
    );
    let requested = requests(&effects);
    assert!(requested.contains(&Request::FollowTask {
        catalog: "Sandbox".into(),
        task_id: "task-0000000000002".into()
    }));
    assert!(
        requested.contains(&Request::Opportunity {
            catalog: "Sandbox".into(),
            id: "O1234567890".into()
        }),
        "the selected invitation's opportunity: {requested:?}"
    );
    assert_eq!(status_of(&app, FIRST), Some(InvitationStatus::Accepted));
    assert!(
        app.message.is_none(),
        "nothing to announce from earlier sessions"
    );
    // A refresh lists them again, and follows no task twice.
    let effects = update(&mut app, Command::Refresh);
    assert!(requests(&effects).contains(&Request::ListTasks {
        catalog: "Sandbox".into()
    }));
    let effects = update(
        &mut app,
        Event::TasksListed {
            catalog: "Sandbox".into(),
            result: Ok(vec![EngagementTask {
                task_id: Some("task-0000000000002".into()),
                ..task(LEAD, TaskStatus::InProgress)
            }]),
        },
    );
    assert!(
        !requests(&effects)
            .iter()
            .any(|r| matches!(r, Request::FollowTask { .. }))
    );
    // Another catalog's answers are not this one's.
    let effects = update(
        &mut app,
        Event::TasksListed {
            catalog: "AWS".into(),
            result: Ok(vec![task("engi-other", TaskStatus::InProgress)]),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(app.tasks.all().len(), 2);
}

#[test]
fn the_tasks_view_lists_moves_and_goes_to_the_invitation() {
    let mut app = loaded();
    update(
        &mut app,
        Event::TasksListed {
            catalog: "Sandbox".into(),
            result: Ok(vec![
                EngagementTask {
                    task_id: Some("task-new".into()),
                    start_time: Some(Timestamp(*NOW)),
                    ..failed(LEAD)
                },
                complete(FIRST),
            ]),
        },
    );
    let effects = update(&mut app, Command::Tasks);
    assert_eq!(app.tasks.view, Some(0));
    assert!(requests(&effects).contains(&Request::ListTasks {
        catalog: "Sandbox".into()
    }));
    assert_eq!(
        app.key_mode(),
        Some(super::keymap::KeyMode::Tasks),
        "its own keys"
    );
    update(&mut app, Command::Down);
    update(&mut app, Command::Down);
    assert_eq!(app.tasks.view, Some(1), "stops at the last task");
    assert_eq!(
        update(&mut app, Command::CopyId),
        [Effect::Copy("O1234567890".into())]
    );
    // Enter: back on the task's invitation, even when the filter hid it.
    update(&mut app, Command::Back);
    update(&mut app, Command::CycleStatus); // Pending: the accepted one is hidden
    update(&mut app, Command::Tasks);
    update(&mut app, Command::Bottom);
    update(&mut app, Command::Open);
    assert_eq!(app.tasks.view, None);
    assert_eq!(app.list.selected_id().as_deref(), Some(FIRST));
    assert_eq!(app.focus, Focus::Detail);
    assert_eq!(app.list.filter.statuses, []);
}

#[test]
fn the_engagement_view_opens_loads_and_goes_back() {
    let mut app = loaded();
    update(&mut app, Command::Open);
    let effects = update(&mut app, Command::Engagement);
    let engagement = format!("eng-{FIRST}");
    assert_eq!(
        requests(&effects),
        [Request::Engagement {
            catalog: "Sandbox".into(),
            id: engagement.clone()
        }]
    );
    let info = |title: &str| {
        Ok(Box::new(EngagementInfo {
            engagement: EngagementDetails {
                title: Some(title.into()),
                ..EngagementDetails::default()
            },
            members: Err("AccessDeniedException".into()),
        }))
    };
    // An answer for another engagement is not this one's.
    update(
        &mut app,
        Event::EngagementLoaded {
            catalog: "Sandbox".into(),
            id: "eng-other".into(),
            result: info("Other"),
        },
    );
    assert!(app.engagement.as_ref().unwrap().info.is_none());
    update(
        &mut app,
        Event::EngagementLoaded {
            catalog: "Sandbox".into(),
            id: engagement.clone(),
            result: info("Retail"),
        },
    );
    assert!(app.engagement.as_ref().unwrap().info.is_some());
    let screen = fixtures::draw(&app);
    assert!(
        screen.contains("Members are shown once you accept."),
        "{screen}"
    );
    assert_eq!(
        update(&mut app, Command::CopyId),
        [Effect::Copy(engagement)]
    );
    update(&mut app, Command::Back);
    assert!(app.engagement.is_none());
    assert_eq!(app.focus, Focus::Detail, "back where it was opened");
}

/// `x`, then `moves` Down, then Enter: the reason sent.
fn reject_with(moves: usize, typed: &str) -> Option<String> {
    let mut app = loaded();
    update(&mut app, Command::Reject);
    for _ in 0..moves {
        update(&mut app, Command::Down);
    }
    type_reason(&mut app, typed);
    match requests(&update(&mut app, Command::Submit)).as_slice() {
        [Request::Reject { reason, .. }] => reason.clone(),
        other => panic!("not a reject: {other:?}"),
    }
}

#[test]
fn reject_offers_the_documented_reasons_and_free_text() {
    assert_eq!(reject_with(0, ""), None);
    assert_eq!(
        reject_with(1, "").as_deref(),
        Some("Customer problem unclear")
    );
    assert_eq!(reject_with(2, "").as_deref(), Some("Next steps unclear"));
    assert_eq!(reject_with(3, "").as_deref(), Some("Unable to support"));
    assert_eq!(
        reject_with(4, "").as_deref(),
        Some("Duplicate of partner referral")
    );
    assert_eq!(reject_with(5, "").as_deref(), Some("Other"));
    // Typing chooses Other, and the words are sent instead.
    assert_eq!(
        reject_with(0, "Outside our region").as_deref(),
        Some("Outside our region")
    );
    // Up from the first choice wraps to Other; words too long are refused, nothing sent.
    let mut app = loaded();
    update(&mut app, Command::Reject);
    update(&mut app, Command::Up);
    assert!(matches!(
        app.dialog,
        Some(Dialog::RejectReason { choice: 5, .. })
    ));
    type_reason(&mut app, &"x".repeat(81));
    assert!(update(&mut app, Command::Submit).is_empty());
    assert!(matches!(
        app.dialog,
        Some(Dialog::RejectReason { error: Some(_), .. })
    ));
}

#[test]
fn a_pending_invitation_says_which_customer_details_wait_for_accepting() {
    let mut app = loaded();
    let seq = app.detail.request_of(FIRST).unwrap();
    update(
        &mut app,
        Event::DetailLoaded {
            seq,
            id: FIRST.into(),
            result: Ok(Box::new(super::event::Detail {
                invitation: fixtures::opportunity_detail(),
                members: Err("AccessDeniedException".into()),
            })),
        },
    );
    let text = |app: &App| -> String {
        super::detail::lines(app, 100)
            .iter()
            .map(|line| line.to_string() + "\n")
            .collect()
    };
    let pending = text(&app);
    for label in ["Contacts", "Address", "AWS account"] {
        assert!(
            pending.contains(&format!("{label:<13} — shown once you accept")),
            "{pending}"
        );
    }
    // Once it is accepted, the note is gone.
    start_task(&mut app);
    updated(&mut app, complete(FIRST));
    let mut invitation = fixtures::opportunity_detail();
    invitation.status = Some(InvitationStatus::Accepted);
    let seq = app.detail.request_of(FIRST).unwrap();
    update(
        &mut app,
        Event::DetailLoaded {
            seq,
            id: FIRST.into(),
            result: Ok(Box::new(super::event::Detail {
                invitation,
                members: Ok(Vec::new()),
            })),
        },
    );
    let accepted = text(&app);
    assert!(!accepted.contains("shown once you accept"), "{accepted}");
    assert!(accepted.contains("O1234567890"), "{accepted}");
}

#[test]
fn the_mouse_works_the_view_on_screen_not_the_list_under_it() {
    let mut app = loaded();
    update(&mut app, Command::Engagement);
    update(&mut app, Event::Click { column: 5, row: 5 });
    assert_eq!(app.list.selected, 0, "the list is not on screen");
    update(
        &mut app,
        Event::Wheel {
            column: 5,
            row: 5,
            down: true,
        },
    );
    assert_eq!(app.engagement.as_ref().unwrap().scroll.first(), 1);
    assert_eq!(app.list.selected, 0);
}

#[test]
fn a_follow_that_fails_is_said_and_a_refresh_follows_again() {
    let mut app = loaded();
    start_task(&mut app);
    update(
        &mut app,
        Event::TaskFollowFailed {
            catalog: "Sandbox".into(),
            task_id: TASK.into(),
            error: "ThrottlingException".into(),
        },
    );
    let message = app.message.as_ref().unwrap();
    assert_eq!(message.kind, MessageKind::Error);
    assert!(message.text.contains("runs on"), "{}", message.text);
    let effects = update(
        &mut app,
        Event::TasksListed {
            catalog: "Sandbox".into(),
            result: Ok(vec![task(FIRST, TaskStatus::InProgress)]),
        },
    );
    assert!(requests(&effects).contains(&Request::FollowTask {
        catalog: "Sandbox".into(),
        task_id: TASK.into()
    }));
}
