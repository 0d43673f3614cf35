//! The inbox's colours in one place: statuses, the live AWS catalog warning, focus and
//! selection.

use ratatui::style::{Color, Modifier, Style};

use crate::api::model::InvitationStatus;

pub fn status(status: Option<&InvitationStatus>) -> Style {
    let color = match status {
        Some(InvitationStatus::Pending) => Color::Yellow,
        Some(InvitationStatus::Accepted) => Color::Green,
        Some(InvitationStatus::Rejected) => Color::Red,
        Some(InvitationStatus::Expired) => Color::DarkGray,
        _ => Color::Magenta,
    };
    Style::new().fg(color)
}

/// The catalog badge: AWS is live data and must stand out; Sandbox is calm.
pub fn catalog(is_aws: bool) -> Style {
    if is_aws {
        Style::new()
            .fg(Color::White)
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::Black).bg(Color::Cyan)
    }
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub fn selected_row() -> Style {
    Style::new()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}

pub fn expires_soon() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn label() -> Style {
    Style::new().fg(Color::Gray).add_modifier(Modifier::BOLD)
}

pub fn heading() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn info() -> Style {
    Style::new().fg(Color::Green)
}

pub fn new_marker() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
