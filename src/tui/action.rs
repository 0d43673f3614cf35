//! Everything that can happen to the inbox, as data: each key press and each worker result
//! becomes one [`Action`] that [`super::app::update`] applies.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui_textarea::Input;

use crate::api::model::{EngagementInvitation, EngagementInvitationSummary, EngagementMember};

/// One thing that happened, from the keyboard, the clock or the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    // Moving around.
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter on the list: show the detail and move focus to it.
    Open,
    /// Esc: back to the list, or clear the search.
    Back,
    SwitchFocus,

    // What the list shows.
    CycleStatus,
    FlipSort,
    SwitchView,
    SwitchCatalog,
    StartSearch,
    SearchChar(char),
    SearchBackspace,
    /// Enter while searching: keep the filter and leave the search field.
    KeepSearch,

    // Triage.
    Accept,
    Reject,
    /// `y` in a confirmation.
    Confirm,
    /// `n`/Esc in a confirmation or the reason field.
    Cancel,
    /// A key typed into the rejection reason field.
    ReasonInput(Input),
    /// Enter in the rejection reason field.
    SubmitReason,

    // Other commands.
    Refresh,
    CopyId,
    ToggleRawJson,
    ToggleHelp,
    Quit,

    // Terminal and clock.
    Resize(u16, u16),
    Tick(DateTime<Utc>),

    // Worker results.
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
    AcceptDone {
        catalog: String,
        id: String,
        result: Result<(), String>,
    },
    RejectDone {
        catalog: String,
        id: String,
        reason: Option<String>,
        result: Result<(), String>,
    },
}

/// Everything the detail pane shows about one invitation.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail {
    pub invitation: EngagementInvitation,
    /// ListEngagementMembers; a receiver who is not a member yet may be refused, which must not
    /// hide the invitation itself.
    pub members: Result<Vec<EngagementMember>, String>,
}
