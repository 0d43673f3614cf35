//! Draws one frame from the state: header, list, detail (or the composer in their place),
//! footer, then any dialog on top. Reads the state, never changes it.

use ratatui::Frame;

use super::app::App;
use super::{composer, detail, footer, header, inbox, layout, popup};

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = layout::areas(frame.area(), app.focus);
    header::render(frame, areas.header, app);
    if let Some(composer) = app.compose.visible() {
        composer::view::render(frame, areas.body, composer);
        footer::render(frame, areas.footer, app);
        return;
    }
    if let Some(list) = areas.list {
        inbox::render(frame, list, app);
    }
    if let Some(area) = areas.detail {
        detail::render(frame, area, app);
    }
    footer::render(frame, areas.footer, app);
    popup::render(frame, app);
}
