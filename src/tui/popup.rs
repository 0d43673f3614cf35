//! Dialogs drawn over the panes: the accept confirmation, the AWS catalog confirmation, the
//! rejection reason field and the help overlay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use ratatui_textarea::TextArea;

use super::app::{App, Mode, REASON_SHAPE, reason_text};
use super::{keys, theme};
use crate::api::schema::{self, ShapeKind};
use crate::sanitize;

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    match &app.mode {
        Mode::ConfirmAccept { id, title } => {
            let mut lines = vec![
                Line::styled(sanitize::inline(title).into_owned(), theme::heading()),
                Line::styled(id.clone(), theme::dim()),
                Line::default(),
            ];
            if app.is_aws() {
                lines.push(Line::styled(
                    "This is the live AWS catalog.",
                    theme::error(),
                ));
            }
            lines.push(Line::from(vec![
                Span::styled("y", theme::key()),
                Span::raw(" accept   "),
                Span::styled("n", theme::key()),
                Span::raw(" cancel"),
            ]));
            dialog(
                frame,
                area,
                " Accept this invitation? ",
                lines,
                app.is_aws(),
            );
        }
        Mode::ConfirmCatalog => {
            let lines = vec![
                Line::raw("AWS is the live catalog: accept and reject answer real"),
                Line::raw("invitations from real partners."),
                Line::default(),
                Line::from(vec![
                    Span::styled("y", theme::key()),
                    Span::raw(" switch to AWS   "),
                    Span::styled("n", theme::key()),
                    Span::raw(" stay in Sandbox"),
                ]),
            ];
            dialog(frame, area, " Switch to the AWS catalog? ", lines, true);
        }
        Mode::RejectReason {
            id,
            title,
            reason,
            error,
        } => {
            let width = area.width.saturating_sub(4).min(72);
            let height = 10 + u16::from(error.is_some()) * 2;
            let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
            frame.render_widget(Clear, popup);
            let block = Block::bordered()
                .border_style(theme::border(true))
                .title(Line::styled(" Reject this invitation ", theme::label()));
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            let [about, field, notes] = Layout::vertical([
                Constraint::Length(3),
                Constraint::Length(3),
                Constraint::Min(0),
            ])
            .areas(inner);
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(sanitize::inline(title).into_owned(), theme::heading()),
                    Line::styled(id.clone(), theme::dim()),
                    reason_rule(reason),
                ]),
                about,
            );
            frame.render_widget(reason.as_ref(), field);
            let mut lines = Vec::new();
            if let Some(error) = error {
                lines.push(Line::styled(
                    sanitize::inline(error).into_owned(),
                    theme::error(),
                ));
                lines.push(Line::default());
            }
            lines.push(Line::from(vec![
                Span::styled("Enter", theme::key()),
                Span::raw(" reject   "),
                Span::styled("Esc", theme::key()),
                Span::raw(" cancel"),
            ]));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), notes);
        }
        Mode::Help => help(frame, area, app),
        Mode::Normal | Mode::Search => {}
    }
}

/// "Reason (optional, up to 80 characters): 61 left", from the model, so the limit is known
/// before Enter refuses it.
fn reason_rule(reason: &TextArea) -> Line<'static> {
    let max = schema::shape(REASON_SHAPE).and_then(|shape| match &shape.kind {
        ShapeKind::String(string) => string.max_length,
        _ => None,
    });
    let Some(max) = max else {
        return Line::raw("Reason (optional):");
    };
    let used = reason_text(reason).chars().count();
    let (room, style) = if used > max {
        (format!("{} too many", used - max), theme::error())
    } else {
        (format!("{} left", max - used), theme::dim())
    };
    Line::from(vec![
        Span::raw(format!("Reason (optional, up to {max} characters): ")),
        Span::styled(room, style),
    ])
}

/// A centred box with a title and a few lines.
fn dialog(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, warning: bool) {
    let width = lines
        .iter()
        .map(Line::width)
        .chain([title.chars().count()])
        .max()
        .unwrap_or(0) as u16
        + 4;
    let width = width.min(area.width.saturating_sub(2));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    let border = if warning {
        theme::error()
    } else {
        theme::border(true)
    };
    let block = Block::bordered()
        .border_style(border)
        .title(Line::styled(title.to_owned(), theme::label()));
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        popup,
    );
}

fn help(frame: &mut Frame, area: Rect, app: &App) {
    let key_width = keys::HELP
        .iter()
        .map(|(k, _, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines: Vec<Line> = keys::HELP
        .iter()
        .map(|(key, what, changes)| {
            let what = if *changes && app.read_only {
                "off: started with --read-only"
            } else {
                what
            };
            Line::from(vec![
                Span::styled(format!(" {key:<key_width$}"), theme::key()),
                Span::raw(what),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::styled(
        " Esc or ? closes this help. In the composer, its keys are in the footer.",
        theme::dim(),
    ));
    let width = area.width.saturating_sub(4).min(84);
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::border(true))
        .title(Line::styled(" Keys ", theme::label()));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
