//! Everything that can happen to the inbox, as data: each bound key press becomes a
//! [`Command`], and it, typed text and each worker result become one [`Event`] that
//! [`super::app::update`] applies.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use super::command::Command;
use super::composer::draft::Draft;
use crate::api::answer::Settled;
use crate::api::client::RetryNotice;
use crate::api::error::FieldError;
use crate::api::model::{
    CreateEngagementInvitationResponse, EngagementDetails, EngagementInvitation,
    EngagementInvitationSummary, EngagementMember, EngagementTask, InvitationStatus, Opportunity,
};

/// One thing that happened: a command from a key, text typed or pasted, the terminal, the clock
/// or the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A bound key's command (see `keymap`).
    Command(Command),
    /// A key no table binds, typed into the text input that has focus (the search, the
    /// rejection reason, the composer's field or picker).
    Key(KeyEvent),
    /// Text pasted in one piece (bracketed paste): into the composer's field, the search or
    /// the reject reason, never read as keys.
    Paste(String),
    /// A mouse click at (column, row) (with `--mouse`).
    Click {
        column: u16,
        row: u16,
    },
    /// The mouse wheel at (column, row): scrolls the pane under the pointer.
    Wheel {
        column: u16,
        row: u16,
        down: bool,
    },

    // Terminal and clock.
    Resize(u16, u16),
    Tick(DateTime<Utc>),

    // Worker results.
    /// A call failed and the client retries it after a backoff (shown, so a slow or throttled
    /// service does not look frozen).
    Retrying(RetryNotice),
    /// The cached listing for a listing generation, shown at once, marked stale.
    CacheLoaded {
        generation: u64,
        saved_at: DateTime<Utc>,
        summaries: Vec<Arc<EngagementInvitationSummary>>,
    },
    /// One more page of the listing of `generation`.
    ListPage {
        generation: u64,
        summaries: Vec<EngagementInvitationSummary>,
    },
    ListDone {
        generation: u64,
    },
    ListFailed {
        generation: u64,
        error: String,
    },
    /// The answer to detail request `seq`.
    DetailLoaded {
        seq: u64,
        id: String,
        result: Result<Box<Detail>, String>,
    },
    /// An accept's outcome, reconciled with the invitation's true status after a conflict.
    AcceptDone {
        catalog: String,
        id: String,
        result: Result<Settled, String>,
    },
    RejectDone {
        catalog: String,
        id: String,
        reason: Option<String>,
        result: Result<Settled, String>,
    },
    /// The answer to starting the task that accepts `invitation` and creates its opportunity
    /// (StartEngagementByAcceptingInvitationTask).
    TaskStarted {
        catalog: String,
        invitation: String,
        result: Result<EngagementTask, String>,
    },
    /// A followed task as ListEngagementByAcceptingInvitationTasks now lists it.
    TaskUpdated {
        catalog: String,
        task: EngagementTask,
    },
    /// Following task `task_id` stopped on an error; the task runs on in the service.
    TaskFollowFailed {
        catalog: String,
        task_id: String,
        error: String,
    },
    /// The caller's accepting tasks in `catalog`, all pages (at start, on refresh).
    TasksListed {
        catalog: String,
        result: Result<Vec<EngagementTask>, String>,
    },
    /// GetOpportunity's answer for opportunity `id`.
    OpportunityLoaded {
        catalog: String,
        id: String,
        result: Result<Box<Opportunity>, String>,
    },
    /// GetEngagement's answer, with the members, for engagement `id`.
    EngagementLoaded {
        catalog: String,
        id: String,
        result: Result<Box<EngagementInfo>, String>,
    },
    /// One answer of a bulk answer, as it comes.
    BulkAnswered {
        catalog: String,
        id: String,
        wanted: InvitationStatus,
        result: Result<Answered, String>,
    },
    /// The bulk answer ended: every id answered, or stopped (`Esc`).
    BulkFinished,
    /// The answer to the create sent with `client_token`.
    CreateDone {
        client_token: String,
        result: Result<CreateEngagementInvitationResponse, CreateFailure>,
    },

    // Draft file results (see `composer::disk`).
    /// The stored unsent draft (`None`: there is none), with a warning when a torn file was set
    /// aside; `Err` when it could not be read at all.
    DraftLoaded {
        result: Result<Option<Box<Draft>>, String>,
        warning: Option<String>,
    },
    /// The earlier unsent draft was moved here to make room for an imported one.
    DraftSetAside(PathBuf),
    /// Saving or removing the draft failed.
    DraftFileFailed(String),
    Exported {
        path: PathBuf,
        result: Result<(), String>,
    },
}

/// What one answer of a bulk answer came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Answered {
    /// An accept or reject, reconciled with the invitation's true status.
    Settled(Settled),
    /// The task that accepts the invitation and creates its opportunity started; it is followed
    /// as one started with `a` is.
    TaskStarted(EngagementTask),
}

/// Why a create failed: the message, and the service's per-field problems (a
/// ValidationException's ErrorList) so the composer can put them on their fields.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateFailure {
    pub message: String,
    pub field_errors: Vec<FieldError>,
}

impl From<&crate::api::Error> for CreateFailure {
    fn from(error: &crate::api::Error) -> Self {
        let field_errors = match error.root() {
            crate::api::Error::Validation { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        // The first line: per-field problems go on their fields, not into one long message.
        let text = error.to_string();
        CreateFailure {
            message: text.lines().next().unwrap_or_default().to_owned(),
            field_errors,
        }
    }
}

/// Everything the detail pane shows about one invitation.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail {
    pub invitation: EngagementInvitation,
    /// ListEngagementMembers; a receiver who is not a member yet may be refused, which must not
    /// hide the invitation itself.
    pub members: Result<Vec<EngagementMember>, String>,
}

/// Everything the engagement view shows.
#[derive(Clone, Debug, PartialEq)]
pub struct EngagementInfo {
    pub engagement: EngagementDetails,
    /// ListEngagementMembers; only members may list them, so before accepting it is refused.
    pub members: Result<Vec<EngagementMember>, String>,
}

impl From<Command> for Event {
    fn from(command: Command) -> Event {
        Event::Command(command)
    }
}
