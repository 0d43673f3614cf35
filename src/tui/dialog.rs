//! The dialogs over the panes: accepting (y/n, or for a PENDING opportunity invitation the
//! choice between creating the opportunity and accepting only), going to the AWS catalog (y/n),
//! the rejection reason, the status filter picker and the filter picker (`filter_picker`). Each holds what it is about; its commands and typed
//! keys change only it, and what it decides comes back as effects. Drawn by `popup`.

use crossterm::event::KeyEvent;

use super::app::{App, Effect};
use super::bulk::{self, Progress};
use super::command::Command;
use super::filter_picker::FilterPicker;
use super::keymap::KeyMode;
use super::line_input::LineInput;
use super::listing::{Filter, StatusCounts};
use super::worker::Request;
use crate::api::model::{CATALOG_AWS, InvitationStatus, PayloadType};
use crate::api::validate::validate_shape;

/// The model's shape of a rejection reason: checked before sending, its room shown as typed.
pub const REASON_SHAPE: &str = "RejectionReasonString";

/// The status filter's choices, in the picker's order (`None`: every status).
pub const STATUS_CHOICES: [Option<InvitationStatus>; 5] = [
    None,
    Some(InvitationStatus::Pending),
    Some(InvitationStatus::Accepted),
    Some(InvitationStatus::Rejected),
    Some(InvitationStatus::Expired),
];

/// How many invitations a status choice shows.
pub fn status_count(counts: &StatusCounts, choice: Option<&InvitationStatus>) -> usize {
    match choice {
        None => counts.total(),
        Some(InvitationStatus::Pending) => counts.pending,
        Some(InvitationStatus::Accepted) => counts.accepted,
        Some(InvitationStatus::Rejected) => counts.rejected,
        Some(InvitationStatus::Expired) => counts.expired,
        Some(_) => counts.other,
    }
}

/// The reasons the model documents for RejectionReason, in its order; the last, `Other`, is
/// sent as typed when the user types one.
pub const REJECTION_REASONS: [&str; 5] = [
    "Customer problem unclear",
    "Next steps unclear",
    "Unable to support",
    "Duplicate of partner referral",
    "Other",
];

/// The reject dialog's choices: no reason, then [`REJECTION_REASONS`].
pub const REASON_CHOICES: usize = REJECTION_REASONS.len() + 1;
/// The choice that sends the typed text.
pub const OTHER_CHOICE: usize = REJECTION_REASONS.len();

#[derive(Debug)]
pub enum Dialog {
    ConfirmAccept {
        id: String,
        title: String,
        /// Answering the marked invitations (empty: only `id`).
        marked: Vec<String>,
    },
    /// A PENDING opportunity invitation: accept and create the opportunity (the default,
    /// `create`) or accept only.
    AcceptChoice {
        id: String,
        title: String,
        create: bool,
    },
    /// Going to the AWS catalog needs a yes.
    ConfirmCatalog,
    RejectReason {
        id: String,
        title: String,
        /// 0: no reason; then the documented reasons (see [`REASON_CHOICES`]).
        choice: usize,
        /// The words for `Other`.
        reason: LineInput,
        /// Why the reason was refused, shown under the field.
        error: Option<String>,
        /// Answering the marked invitations (empty: only `id`).
        marked: Vec<String>,
    },
    /// A bulk answer's progress, then its summary.
    Bulk(Progress),
    /// `s`: the statuses with their counts; `at` is the highlighted one.
    StatusPicker { at: usize },
    /// `f`: kind, sender and expiring within.
    FilterPicker(FilterPicker),
}

impl Dialog {
    pub fn key_mode(&self) -> KeyMode {
        match self {
            Dialog::ConfirmAccept { .. } | Dialog::ConfirmCatalog | Dialog::Bulk(_) => {
                KeyMode::Dialog
            }
            Dialog::AcceptChoice { .. } => KeyMode::AcceptChoice,
            Dialog::RejectReason { .. } => KeyMode::Reason,
            Dialog::StatusPicker { .. } => KeyMode::StatusPicker,
            Dialog::FilterPicker(_) => KeyMode::FilterPicker,
        }
    }

    /// The picker, on the filter in force (on All when it shows several statuses).
    pub fn status_picker(filter: &Filter) -> Dialog {
        let at = STATUS_CHOICES
            .iter()
            .position(|choice| choice.as_slice() == filter.statuses.as_slice())
            .unwrap_or(0);
        Dialog::StatusPicker { at }
    }
}

/// `a` or `x`: the question for the selected invitation, or why it cannot be answered.
pub fn ask_answer(app: &mut App, command: Command) -> Vec<Effect> {
    let verb = if command == Command::Accept {
        "accept"
    } else {
        "reject"
    };
    if let Some(refusal) = app.refuse_answer(verb) {
        app.error(refusal);
        return Vec::new();
    }
    let Some(row) = app.selected_row() else {
        return Vec::new();
    };
    let id = row.id().to_owned();
    let title = row.summary.engagement_title.clone().unwrap_or_default();
    let opportunity = row.summary.payload_type == Some(PayloadType::OpportunityInvitation);
    app.dialog = Some(match command {
        Command::Accept if opportunity => Dialog::AcceptChoice {
            id,
            title,
            create: true,
        },
        Command::Accept => Dialog::ConfirmAccept {
            id,
            title,
            marked: Vec::new(),
        },
        _ => Dialog::RejectReason {
            id,
            title,
            choice: 0,
            reason: LineInput::default(),
            error: None,
            marked: Vec::new(),
        },
    });
    Vec::new()
}

/// A command while a dialog is open.
pub fn command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(dialog) = app.dialog.take() else {
        return Vec::new();
    };
    match (dialog, command) {
        (Dialog::Bulk(progress), command) => bulk::command(app, progress, command),
        (_, Command::Cancel) => Vec::new(),
        (Dialog::ConfirmAccept { marked, .. }, Command::Confirm) if !marked.is_empty() => {
            bulk::start(app, InvitationStatus::Accepted, marked, None)
        }
        (Dialog::ConfirmAccept { id, .. }, Command::Confirm)
        | (
            Dialog::AcceptChoice {
                id, create: false, ..
            },
            Command::Confirm | Command::Submit,
        ) => {
            app.busy.insert(id.clone());
            app.info(format!("Accepting {id}…"));
            vec![Effect::Request(Request::Accept {
                catalog: app.catalog.clone(),
                id,
            })]
        }
        (
            Dialog::AcceptChoice {
                id, create: true, ..
            },
            Command::Confirm | Command::Submit,
        ) => {
            // The footer shows the task from now on, whatever else is on screen.
            vec![Effect::Request(app.tasks.start(&app.catalog, &id))]
        }
        (Dialog::AcceptChoice { id, title, create }, Command::Up | Command::Down) => {
            app.dialog = Some(Dialog::AcceptChoice {
                id,
                title,
                create: !create,
            });
            Vec::new()
        }
        (mut dialog @ Dialog::RejectReason { .. }, Command::Up | Command::Down) => {
            if let Dialog::RejectReason { choice, .. } = &mut dialog {
                *choice = if command == Command::Up {
                    (*choice + REASON_CHOICES - 1) % REASON_CHOICES
                } else {
                    (*choice + 1) % REASON_CHOICES
                };
            }
            app.dialog = Some(dialog);
            Vec::new()
        }
        (Dialog::ConfirmCatalog, Command::Confirm) => app.switch_catalog(CATALOG_AWS),
        (
            Dialog::RejectReason {
                id,
                title,
                choice,
                reason,
                marked,
                ..
            },
            Command::Submit,
        ) => submit_reason(app, id, title, choice, reason, marked),
        (Dialog::StatusPicker { at }, Command::Up | Command::Down) => {
            let last = STATUS_CHOICES.len() - 1;
            let at = if command == Command::Up {
                at.checked_sub(1).unwrap_or(last)
            } else if at == last {
                0
            } else {
                at + 1
            };
            app.dialog = Some(Dialog::StatusPicker { at });
            Vec::new()
        }
        (Dialog::StatusPicker { at }, Command::Submit) => {
            app.list.filter.statuses = STATUS_CHOICES[at].iter().cloned().collect();
            let changed = app.list.apply_filter(app.list_rows());
            app.selection_changed(changed)
        }
        (Dialog::FilterPicker(mut picker), Command::Up | Command::Down | Command::Choose) => {
            picker.command(command);
            app.dialog = Some(Dialog::FilterPicker(picker));
            Vec::new()
        }
        (Dialog::FilterPicker(picker), Command::Submit) => {
            if let Err(picker) = picker.apply(&mut app.list.filter, app.now) {
                app.dialog = Some(Dialog::FilterPicker(picker));
                return Vec::new();
            }
            let changed = app.list.apply_filter(app.list_rows());
            app.selection_changed(changed)
        }
        (dialog, _) => {
            app.dialog = Some(dialog);
            Vec::new()
        }
    }
}

/// Enter in the reject dialog: no reason, a documented one, or for `Other` the typed words
/// (`Other` itself when none were typed), sent if the model allows them, else the rule under
/// the field.
fn submit_reason(
    app: &mut App,
    id: String,
    title: String,
    choice: usize,
    reason: LineInput,
    marked: Vec<String>,
) -> Vec<Effect> {
    let typed = reason.text().trim().to_owned();
    let text = match choice {
        0 => String::new(),
        OTHER_CHOICE if !typed.is_empty() => typed,
        n => REJECTION_REASONS[n - 1].to_owned(),
    };
    if choice == OTHER_CHOICE {
        let violations = validate_shape(
            REASON_SHAPE,
            &serde_json::Value::String(text.clone()),
            // Named as the dialog names it.
            "Reason",
        );
        if !violations.is_empty() {
            let messages: Vec<String> = violations.iter().map(ToString::to_string).collect();
            app.dialog = Some(Dialog::RejectReason {
                id,
                title,
                choice,
                reason,
                error: Some(messages.join("; ")),
                marked,
            });
            return Vec::new();
        }
    }
    let reason = (!text.is_empty()).then_some(text);
    if !marked.is_empty() {
        return bulk::start(app, InvitationStatus::Rejected, marked, reason);
    }
    app.busy.insert(id.clone());
    app.info(format!("Rejecting {id}…"));
    vec![Effect::Request(Request::Reject {
        catalog: app.catalog.clone(),
        id,
        reason,
    })]
}

/// A key typed into the dialog (the reason field takes text, which chooses `Other`; the
/// others take none).
pub fn typed(app: &mut App, key: KeyEvent) {
    if let Some(Dialog::FilterPicker(picker)) = &mut app.dialog {
        picker.key(key);
    }
    if let Some(Dialog::RejectReason {
        choice,
        reason,
        error,
        ..
    }) = &mut app.dialog
        && reason.key(key)
    {
        *error = None;
        *choice = OTHER_CHOICE;
    }
}

/// Pasted text: into the reason field, on one line.
pub fn paste(app: &mut App, text: &str) {
    if let Some(Dialog::RejectReason {
        choice,
        reason,
        error,
        ..
    }) = &mut app.dialog
    {
        reason.insert(text);
        *error = None;
        *choice = OTHER_CHOICE;
    }
}
