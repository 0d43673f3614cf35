//! The help overlay: every key table in force, mode by mode, with each command's description;
//! it scrolls (the key table's moving keys), so every key shows at any terminal size.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::keymap::KeyMode;
use super::scroll::Scroll;
use super::{draw, theme};

/// Every line of the help, for keys `key_width` columns wide.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let key_width = KeyMode::ALL
        .iter()
        .flat_map(|mode| {
            app.keymap
                .table(*mode)
                .iter()
                .map(move |(c, _)| (*mode, *c))
        })
        .map(|(mode, command)| app.keymap.labels(mode, command).chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = Vec::new();
    for mode in KeyMode::ALL {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(format!(" {}", mode.title()), theme::heading()));
        for (command, _) in app.keymap.table(mode) {
            let keys = app.keymap.labels(mode, *command);
            let what = if command.writes() && app.read_only {
                "off: started with --read-only"
            } else {
                command.description()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<key_width$}"), theme::key()),
                Span::raw(what),
            ]));
        }
    }
    lines.push(Line::default());
    for note in [
        " Ctrl-C quits from anywhere; text fields take ^A ^E ^U ^K ^W.",
        " `pcinbox keys` prints these keys for the config file's [keys].",
    ] {
        lines.push(Line::styled(note, theme::dim()));
    }
    lines
}

pub fn render(frame: &mut Frame, app: &App, scroll: &Scroll) {
    let area = frame.area();
    let lines = lines(app);
    let width = area.width.saturating_sub(4).min(96);
    let height = (lines.len() as u16 + 2)
        .min(area.height.saturating_sub(2))
        .max(3);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::border(true))
        .title(Line::styled(" Keys ", theme::label()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let shown = usize::from(inner.height);
    let first = scroll.measure(lines.len(), shown);
    let text = Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let visible: Vec<Line> = lines.iter().skip(first).take(shown).cloned().collect();
    frame.render_widget(Paragraph::new(visible), text);
    draw::scrollbar(frame, popup, lines.len(), first, shown);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::TuiOptions;
    use crate::tui::command::Command;
    use crate::tui::fixtures::{NOW, rebound};

    fn text(lines: &[Line]) -> String {
        lines.iter().map(|line| line.to_string() + "\n").collect()
    }

    #[test]
    fn the_help_shows_the_keys_in_force() {
        let options = rebound(Command::Accept, "A");
        let help = text(&lines(&App::new(&options, *NOW)));
        let accept = help
            .lines()
            .find(|line| line.contains(Command::Accept.description()))
            .unwrap();
        assert!(accept.trim_start().starts_with("A "), "{accept}");
        let read_only = TuiOptions {
            read_only: true,
            ..TuiOptions::default()
        };
        let help = text(&lines(&App::new(&read_only, *NOW)));
        assert!(!help.contains(Command::Accept.description()));
        assert!(help.contains("off: started with --read-only"));
    }
}
