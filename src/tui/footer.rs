//! The footer: the accepting tasks running (so they are seen whatever is on screen), then the
//! search field while searching, else the last message (confirmation or error), followed by the
//! keys that work now, as many as fit (the help key always).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, MessageKind};
use super::inbox::running_for;
use super::{keys, theme};
use crate::sanitize;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    // Running tasks first: they go on while the user does anything else.
    let running = app.tasks.running();
    match running.as_slice() {
        [] => {}
        [(invitation, task)] => spans.push(Span::styled(
            format!(
                " ⟳ creating the opportunity for {} {} ",
                sanitize::inline(invitation),
                task.map_or_else(|| "(starting)".to_owned(), |t| running_for(t, app.now))
            ),
            theme::info(),
        )),
        more => spans.push(Span::styled(
            format!(" ⟳ {} opportunities being created ", more.len()),
            theme::info(),
        )),
    }
    if app.list.searching && app.compose.visible().is_none() {
        spans.push(Span::styled(" / ", theme::key()));
        spans.extend(app.list.search.line(usize::from(area.width) / 2, "").spans);
        spans.push(Span::styled("   ", theme::dim()));
    } else if let Some(message) = &app.message {
        let style = match message.kind {
            MessageKind::Info => theme::info(),
            MessageKind::Error => theme::error(),
        };
        spans.push(Span::styled(
            format!(" {} ", sanitize::inline(&message.text)),
            style,
        ));
        spans.push(Span::styled("│ ", theme::dim()));
    } else {
        spans.push(Span::raw(" "));
    }
    let mut hints = keys::hints(app);
    let used: usize = spans.iter().map(Span::width).sum();
    let width = |hints: &[(String, &str)]| -> usize {
        hints
            .iter()
            .map(|(key, what)| key.chars().count() + what.chars().count() + 3)
            .sum()
    };
    // Drop hints before the last (help) until the rest fits.
    while hints.len() > 1 && used + width(&hints) > usize::from(area.width) {
        hints.remove(hints.len() - 2);
    }
    for (key, what) in hints {
        spans.push(Span::styled(key, theme::key()));
        spans.push(Span::styled(format!(" {what}  "), theme::dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
