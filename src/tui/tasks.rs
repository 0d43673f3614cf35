//! The accepting tasks part: every task that accepts an invitation and creates its opportunity
//! (StartEngagementByAcceptingInvitationTask), those started now and those of earlier sessions
//! (found again by listing them), which of them are followed, the opportunities they created as
//! GetOpportunity returns them, and the tasks view's selection. It decides what to ask the
//! worker; `app` routes events here and turns what changed into the listing's status and the
//! footer's message. Drawn by `tasks_view` (the view), `inbox` (the row), `footer` and `detail`.

use std::collections::{HashMap, HashSet};

use super::worker::Request;
use crate::api::model::{EngagementTask, Opportunity, TaskStatus};

/// GetOpportunity's answer, once asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum OpportunityState {
    Loading,
    Loaded(Box<Opportunity>),
    Failed(String),
}

/// Where the listing of tasks stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum TasksLoad {
    #[default]
    Idle,
    Loading,
    Failed(String),
}

/// What an invitation's accepting task is doing, for the row, the footer and the detail.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Progress<'a> {
    /// The start was sent; its answer has not come.
    Starting,
    Running(&'a EngagementTask),
    Complete(&'a EngagementTask),
    Failed(&'a EngagementTask),
}

/// The tasks of the catalog on screen.
#[derive(Debug, Default)]
pub struct Tasks {
    /// Newest first.
    tasks: Vec<EngagementTask>,
    /// Invitations whose task is being started.
    starting: HashSet<String>,
    /// Task ids the worker follows.
    following: HashSet<String>,
    pub opportunities: HashMap<String, OpportunityState>,
    pub load: TasksLoad,
    /// The tasks view (`t`), while open: the selected task.
    pub view: Option<usize>,
}

impl Tasks {
    /// Every known task, newest first.
    pub fn all(&self) -> &[EngagementTask] {
        &self.tasks
    }

    /// Another catalog: nothing known applies.
    pub fn clear(&mut self) {
        *self = Tasks {
            view: self.view,
            ..Tasks::default()
        };
    }

    /// Lists the tasks (at start, on refresh, in another catalog).
    pub fn list(&mut self, catalog: &str) -> Request {
        self.load = TasksLoad::Loading;
        Request::ListTasks {
            catalog: catalog.to_owned(),
        }
    }

    /// What `invitation`'s newest task is doing, if it has one.
    pub fn progress(&self, invitation: &str) -> Option<Progress<'_>> {
        if self.starting.contains(invitation) {
            return Some(Progress::Starting);
        }
        let task = self
            .tasks
            .iter()
            .find(|t| t.engagement_invitation_id.as_deref() == Some(invitation))?;
        Some(match task.task_status {
            Some(TaskStatus::Complete) => Progress::Complete(task),
            Some(TaskStatus::Failed) => Progress::Failed(task),
            _ if !task.is_finished() => Progress::Running(task),
            // A status this version does not know reads as a failure, with the service's words.
            _ => Progress::Failed(task),
        })
    }

    /// Whether a task for `invitation` is starting or running (no second one then).
    pub fn busy(&self, invitation: &str) -> bool {
        matches!(
            self.progress(invitation),
            Some(Progress::Starting | Progress::Running(_))
        )
    }

    /// The tasks starting or running, for the footer: (invitation, task once started).
    pub fn running(&self) -> Vec<(&str, Option<&EngagementTask>)> {
        let mut running: Vec<(&str, Option<&EngagementTask>)> =
            self.starting.iter().map(|id| (id.as_str(), None)).collect();
        running.sort_by_key(|(id, _)| *id);
        running.extend(
            self.tasks
                .iter()
                .filter(|t| !t.is_finished())
                .map(|t| (t.engagement_invitation_id.as_deref().unwrap_or(""), Some(t))),
        );
        running
    }

    /// Starts the task for `invitation`.
    pub fn start(&mut self, catalog: &str, invitation: &str) -> Request {
        self.starting.insert(invitation.to_owned());
        Request::StartTask {
            catalog: catalog.to_owned(),
            invitation: invitation.to_owned(),
        }
    }

    /// The start's answer: the task is known (and followed while it runs); the follow request.
    pub fn started(
        &mut self,
        catalog: &str,
        invitation: &str,
        task: Option<EngagementTask>,
    ) -> Vec<Request> {
        self.starting.remove(invitation);
        match task {
            Some(task) => self.merge(catalog, vec![task]),
            None => Vec::new(),
        }
    }

    /// Tasks as the service lists them now, replacing what was known of them; the follow
    /// requests for those that run and are not followed yet.
    pub fn merge(&mut self, catalog: &str, tasks: Vec<EngagementTask>) -> Vec<Request> {
        let mut follow = Vec::new();
        for task in tasks {
            let Some(id) = task.task_id.clone() else {
                continue;
            };
            if task.is_finished() {
                self.following.remove(&id);
            } else if self.following.insert(id.clone()) {
                follow.push(Request::FollowTask {
                    catalog: catalog.to_owned(),
                    task_id: id.clone(),
                });
            }
            match self
                .tasks
                .iter_mut()
                .find(|t| t.task_id.as_ref() == Some(&id))
            {
                Some(known) => *known = task,
                None => self.tasks.push(task),
            }
        }
        // Newest first; a task without a start time goes last.
        self.tasks
            .sort_by(|a, b| b.start_time.map(|t| t.0).cmp(&a.start_time.map(|t| t.0)));
        follow
    }

    /// Following `task_id` stopped; a refresh looks again.
    pub fn follow_failed(&mut self, task_id: &str) {
        self.following.remove(task_id);
    }

    /// The request for opportunity `id`, unless it is known or on its way.
    pub fn request_opportunity(&mut self, catalog: &str, id: &str) -> Option<Request> {
        if matches!(
            self.opportunities.get(id),
            Some(OpportunityState::Loaded(_) | OpportunityState::Loading)
        ) {
            return None;
        }
        self.opportunities
            .insert(id.to_owned(), OpportunityState::Loading);
        Some(Request::Opportunity {
            catalog: catalog.to_owned(),
            id: id.to_owned(),
        })
    }

    pub fn opportunity_loaded(&mut self, id: String, result: Result<Box<Opportunity>, String>) {
        let state = match result {
            Ok(opportunity) => OpportunityState::Loaded(opportunity),
            Err(error) => OpportunityState::Failed(error),
        };
        self.opportunities.insert(id, state);
    }

    /// `r`: opportunities that could not be read are asked for again.
    pub fn retry_failed(&mut self) {
        self.opportunities
            .retain(|_, state| !matches!(state, OpportunityState::Failed(_)));
    }

    /// The task selected in the tasks view.
    pub fn selected(&self) -> Option<&EngagementTask> {
        let last = self.tasks.len().checked_sub(1)?;
        self.view.and_then(|at| self.tasks.get(at.min(last)))
    }
}
