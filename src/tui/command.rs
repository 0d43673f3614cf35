//! What a user can bind to a key: one [`Command`] per thing the inbox does on a key press.
//!
//! Commands are data: the config file names them (`[keys.inbox] accept = "A"`, snake_case), the
//! help overlay shows [`Command::description`], and `update` applies them. Everything else that
//! happens (worker results, ticks, typed text, paste) is an [`super::event::Event`].

use serde::{Deserialize, Serialize};

/// One bindable command. The names are the config file's (`status_picker`, `copy_id`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    // Moving.
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    SwitchFocus,
    // What the list shows.
    StatusPicker,
    CycleStatus,
    FilterPicker,
    FlipSort,
    SwitchView,
    SwitchCatalog,
    Search,
    // The views, in key order (`1`…`9`).
    #[serde(rename = "view_1")]
    View1,
    #[serde(rename = "view_2")]
    View2,
    #[serde(rename = "view_3")]
    View3,
    #[serde(rename = "view_4")]
    View4,
    #[serde(rename = "view_5")]
    View5,
    #[serde(rename = "view_6")]
    View6,
    #[serde(rename = "view_7")]
    View7,
    #[serde(rename = "view_8")]
    View8,
    #[serde(rename = "view_9")]
    View9,
    // Triage.
    Mark,
    Accept,
    Reject,
    Compose,
    // Views.
    Tasks,
    Engagement,
    // Other.
    Refresh,
    RefreshAll,
    CopyId,
    RawJson,
    ExportCsv,
    Help,
    Quit,
    // Dialogs and text inputs.
    Confirm,
    Cancel,
    Submit,
    Choose,
    // The composer.
    Send,
    Preview,
    Export,
    Discard,
    Close,
    NextField,
    PreviousField,
}

impl Command {
    /// The commands picking views, in key order.
    pub const VIEWS: [Command; 9] = [
        Command::View1,
        Command::View2,
        Command::View3,
        Command::View4,
        Command::View5,
        Command::View6,
        Command::View7,
        Command::View8,
        Command::View9,
    ];

    /// Which view (from 0) the command picks, if it picks one.
    pub fn view_index(self) -> Option<usize> {
        Command::VIEWS.iter().position(|view| *view == self)
    }

    /// The config file's name of the command (its serde name).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// One line for the help overlay and `pcinbox keys`.
    pub fn description(self) -> &'static str {
        match self {
            Command::Up => "move up (scroll, where a pane has focus)",
            Command::Down => "move down (scroll, where a pane has focus)",
            Command::PageUp => "one page up",
            Command::PageDown => "one page down",
            Command::Top => "first line",
            Command::Bottom => "last line",
            Command::Open => "open the detail (in the tasks: the task's invitation)",
            Command::Back => "back (to the list, to the inbox); clear the search",
            Command::SwitchFocus => "switch focus between list and detail",
            Command::StatusPicker => "pick the status filter (with counts)",
            Command::CycleStatus => "status: All → Pending → Accepted → Rejected → Expired",
            Command::FilterPicker => "filter by kind, sender, expiring within N days",
            Command::FlipSort => "sort: newest / oldest first / soonest deadline",
            Command::SwitchView => "switch Received / Sent invitations",
            Command::SwitchCatalog => "switch catalog Sandbox / AWS (asks before AWS)",
            Command::Search => "search title, company, customer, project, ids",
            Command::View1 => "view 1 (To do unless the config's [[views]] say)",
            Command::View2 => "view 2 (Received unless the config's [[views]] say)",
            Command::View3 => "view 3 (Sent unless the config's [[views]] say)",
            Command::View4 => "view 4 (a config [[views]] entry)",
            Command::View5 => "view 5 (a config [[views]] entry)",
            Command::View6 => "view 6 (a config [[views]] entry)",
            Command::View7 => "view 7 (a config [[views]] entry)",
            Command::View8 => "view 8 (a config [[views]] entry)",
            Command::View9 => "view 9 (a config [[views]] entry)",
            Command::Accept => "accept the selected PENDING invitation (asks how)",
            Command::Reject => "reject it, with a listed reason, your words or none",
            Command::Compose => "compose an invitation (reopens the unsent draft)",
            Command::Tasks => "the accepting tasks: status, invitation, opportunity",
            Command::Engagement => "the invitation's engagement: members, contexts",
            Command::Refresh => "refresh (pending and new ones, and the tasks)",
            Command::RefreshAll => "list every invitation again",
            Command::CopyId => "copy the id (OSC 52; in the detail: its opportunity's)",
            Command::RawJson => "detail: raw JSON / formatted",
            Command::Mark => "mark / unmark for a bulk accept or reject (a, x)",
            Command::ExportCsv => "export the rows shown as CSV (never overwrites)",
            Command::Help => "this help",
            Command::Quit => "quit",
            Command::Confirm => "yes",
            Command::Cancel => "no, close",
            Command::Submit => "done: keep, send or choose",
            Command::Choose => "choose the highlighted (one per group)",
            Command::Send => "check and send the invitation",
            Command::Preview => "preview the exact request",
            Command::Export => "export as --cli-input-json",
            Command::Discard => "discard the draft (asks y/n)",
            Command::Close => "close, keeping the draft",
            Command::NextField => "next field",
            Command::PreviousField => "previous field",
        }
    }

    /// Whether the command changes data (turned off by `--read-only`).
    pub fn writes(self) -> bool {
        matches!(self, Command::Accept | Command::Reject | Command::Compose)
    }
}
