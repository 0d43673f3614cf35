//! Where each pane goes for a terminal size: list and detail side by side when there is room,
//! one pane at a time (the focused one) on narrow terminals such as 80x24.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::Focus;

/// Terminals at least this wide show the list and the detail side by side.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 120;

/// The rectangles of one frame; a pane that does not fit is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// Everything between header and footer (where the composer goes).
    pub body: Rect,
    pub list: Option<Rect>,
    pub detail: Option<Rect>,
    pub footer: Rect,
}

pub fn areas(area: Rect, focus: Focus) -> Areas {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let (list, detail) = if area.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(body);
        (Some(list), Some(detail))
    } else {
        match focus {
            Focus::List => (Some(body), None),
            Focus::Detail => (None, Some(body)),
        }
    };
    Areas {
        header,
        body,
        list,
        detail,
        footer,
    }
}

/// How many invitation rows the list shows (inside its border, below the column titles).
pub fn list_rows(width: u16, height: u16, focus: Focus) -> usize {
    let areas = areas(Rect::new(0, 0, width, height), focus);
    // The list is hidden only while the detail has the focus; moving uses the list's own size.
    let list = areas
        .list
        .unwrap_or_else(|| areas.detail.unwrap_or_default());
    usize::from(list.height.saturating_sub(3)).max(1)
}

/// The text area inside the detail pane's border: (width, height).
pub fn detail_text_size(width: u16, height: u16, focus: Focus) -> (u16, u16) {
    let areas = areas(Rect::new(0, 0, width, height), focus);
    let detail = areas
        .detail
        .unwrap_or_else(|| areas.list.unwrap_or_default());
    (
        detail.width.saturating_sub(3).max(1),
        detail.height.saturating_sub(2).max(1),
    )
}
