//! How the inbox takes what the worker says about accepting tasks, opportunities and
//! engagements: the [`super::tasks::Tasks`] part learns the task, and what a task's end means
//! elsewhere follows here (the row reads ACCEPTED, the detail is read again, the opportunity is
//! asked for, the footer says how it ended). Routed here by `app::update`.

use super::app::{App, Effect};
use super::command::Command;
use super::engagement;
use super::event::Event;
use super::keymap::KeyMode;
use super::tasks::TasksLoad;
use crate::api::model::{EngagementTask, InvitationStatus, TaskStatus};

/// Applies one task, opportunity or engagement event.
pub fn update(app: &mut App, event: Event) -> Vec<Effect> {
    match event {
        Event::TaskStarted {
            catalog,
            invitation,
            result,
        } => {
            if catalog != app.catalog {
                return Vec::new();
            }
            match result {
                Ok(task) => started(app, &catalog, &invitation, task),
                Err(error) => {
                    app.tasks.started(&catalog, &invitation, None);
                    app.error(format!(
                        "Could not start accepting {invitation} and creating its opportunity: {error}"
                    ));
                    Vec::new()
                }
            }
        }
        Event::TaskUpdated { catalog, task } => {
            if catalog != app.catalog {
                return Vec::new();
            }
            tasks_merged(app, &catalog, vec![task], true)
        }
        Event::TaskFollowFailed {
            catalog,
            task_id,
            error,
        } => {
            if catalog == app.catalog {
                app.tasks.follow_failed(&task_id);
                let refresh = app
                    .keymap
                    .hint(KeyMode::Inbox, Command::Refresh)
                    .unwrap_or_default();
                app.error(format!(
                    "Lost track of task {task_id} ({error}); it runs on in Partner Central: {refresh} looks again"
                ));
            }
            Vec::new()
        }
        Event::TasksListed { catalog, result } => {
            if catalog != app.catalog {
                return Vec::new();
            }
            match result {
                Ok(tasks) => {
                    app.tasks.load = TasksLoad::Idle;
                    let mut effects = tasks_merged(app, &catalog, tasks, false);
                    effects.extend(app.request_detail());
                    effects
                }
                Err(error) => {
                    app.tasks.load = TasksLoad::Failed(error);
                    Vec::new()
                }
            }
        }
        Event::OpportunityLoaded {
            catalog,
            id,
            result,
        } => {
            if catalog == app.catalog {
                app.tasks.opportunity_loaded(id, result);
            }
            Vec::new()
        }
        Event::EngagementLoaded {
            catalog,
            id,
            result,
        } => {
            engagement::loaded(app, &catalog, &id, result);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A task accepting `invitation` started (with `a`, or in a bulk accept): it is known from now
/// on and followed while it runs.
pub fn started(
    app: &mut App,
    catalog: &str,
    invitation: &str,
    task: EngagementTask,
) -> Vec<Effect> {
    let requests = app.tasks.started(catalog, invitation, Some(task.clone()));
    let mut effects: Vec<Effect> = requests.into_iter().map(Effect::Request).collect();
    if task.is_finished() {
        effects.extend(task_changed(app, &task, true));
    }
    effects
}

/// A task changed (started, followed, listed): the invitation of a task that completed
/// reads ACCEPTED, its detail is read again (the members now show) and its opportunity is
/// asked for; the footer says how a task that was followed here ended.
fn task_changed(app: &mut App, task: &EngagementTask, followed: bool) -> Vec<Effect> {
    let invitation = task.engagement_invitation_id.clone().unwrap_or_default();
    let task_id = task.task_id.as_deref().unwrap_or("");
    match task.task_status {
        Some(TaskStatus::Complete) => {
            let opportunity = task.opportunity_id.clone().unwrap_or_default();
            if followed {
                app.info(format!(
                    "Opportunity {opportunity} created from {invitation}"
                ));
            }
            let pending = app.list.listing.rows().iter().any(|row| {
                row.id() == invitation && row.summary.status == Some(InvitationStatus::Pending)
            });
            let mut effects = Vec::new();
            if pending {
                let rows = app.list_rows();
                let changed = app
                    .list
                    .set_status(&invitation, InvitationStatus::Accepted, rows);
                app.detail.forget(&invitation);
                effects.extend(app.selection_changed(changed));
            }
            if app.list.selected_id().as_deref() == Some(invitation.as_str()) {
                effects.extend(
                    app.tasks
                        .request_opportunity(&app.catalog, &opportunity)
                        .map(Effect::Request),
                );
            }
            effects
        }
        Some(TaskStatus::InProgress) => Vec::new(),
        _ if followed => {
            app.error(format!(
                "The opportunity for {invitation} was not created (task {task_id}): {}",
                task.failure()
            ));
            // The invitation may have changed under the task (accepted, rejected elsewhere).
            app.detail.forget(&invitation);
            app.request_detail()
        }
        _ => Vec::new(),
    }
}

fn tasks_merged(
    app: &mut App,
    catalog: &str,
    tasks: Vec<EngagementTask>,
    followed: bool,
) -> Vec<Effect> {
    let finished: Vec<EngagementTask> = tasks.iter().filter(|t| t.is_finished()).cloned().collect();
    let mut effects: Vec<Effect> = app
        .tasks
        .merge(catalog, tasks)
        .into_iter()
        .map(Effect::Request)
        .collect();
    for task in &finished {
        effects.extend(task_changed(app, task, followed));
    }
    effects
}
