//! Draws one frame from the state: header, list, detail (or the composer, the tasks view or
//! the engagement view in their place), footer, then any dialog on top. Reads the state, never changes it.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::app::App;
use super::{composer, detail, engagement, footer, header, help, inbox, layout, popup, tasks_view};

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = layout::areas(frame.area(), app.focus);
    header::render(frame, areas.header, app);
    if let Some(composer) = app.compose.visible() {
        composer::view::render(frame, areas.body, composer);
        footer::render(frame, areas.footer, app);
        return;
    }
    if let Some(view) = &app.engagement {
        engagement::render(frame, areas.body, app, view);
    } else if app.tasks.view.is_some() {
        tasks_view::render(frame, areas.body, app);
    } else if let Some(list) = areas.list {
        inbox::render(frame, list, app);
        if let Some(area) = areas.detail {
            detail::render(frame, area, app);
        }
    } else if let Some(area) = areas.detail {
        detail::render(frame, area, app);
    }
    footer::render(frame, areas.footer, app);
    popup::render(frame, app);
    if let Some(scroll) = &app.help {
        help::render(frame, app, scroll);
    }
}

/// The scrollbar on the right border of a bordered pane, when `total` lines do not fit in the
/// `shown` ones; `first` is the first line shown.
pub(super) fn scrollbar(frame: &mut Frame, pane: Rect, total: usize, first: usize, shown: usize) {
    if total <= shown {
        return;
    }
    let mut state = ScrollbarState::new(total - shown)
        .position(first)
        .viewport_content_length(shown);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None),
        pane.inner(Margin::new(0, 1)),
        &mut state,
    );
}
