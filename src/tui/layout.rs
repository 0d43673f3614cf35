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

/// What is under the mouse pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    /// The `n`th invitation row on screen (0 is the first row below the column titles).
    ListRow(usize),
    /// The list's border or column titles.
    List,
    Detail,
}

/// The pane at (`column`, `row`) of a `size` terminal.
pub fn pane_at(size: (u16, u16), focus: Focus, column: u16, row: u16) -> Option<Pane> {
    let areas = areas(Rect::new(0, 0, size.0, size.1), focus);
    let position = ratatui::layout::Position::new(column, row);
    if let Some(list) = areas.list.filter(|list| list.contains(position)) {
        // Inside the border, below the column titles.
        let first = list.y + 2;
        let last = list.y + list.height.saturating_sub(1);
        return Some(if row >= first && row < last && column > list.x {
            Pane::ListRow(usize::from(row - first))
        } else {
            Pane::List
        });
    }
    areas
        .detail
        .filter(|detail| detail.contains(position))
        .map(|_| Pane::Detail)
}
