//! Dialogs drawn over the panes: the accept confirmation (or choice, for an opportunity
//! invitation), the AWS catalog confirmation, the rejection reasons and field, and the status
//! picker (the help overlay is `help`, the filter picker draws itself in `filter_picker`). Their keys are
//! the key table's, so what they say is what works.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::app::App;
use super::command::Command;
use super::dialog::{
    Dialog, OTHER_CHOICE, REASON_SHAPE, REJECTION_REASONS, STATUS_CHOICES, status_count,
};
use super::keymap::KeyMode;
use super::line_input::LineInput;
use super::theme;
use crate::api::schema::{self, ShapeKind};
use crate::sanitize;

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let key = |mode: KeyMode, command: Command| {
        Span::styled(
            app.keymap.hint(mode, command).unwrap_or_default(),
            theme::key(),
        )
    };
    match &app.dialog {
        Some(Dialog::Bulk(progress)) => super::bulk::render(frame, area, app, progress),
        Some(Dialog::FilterPicker(picker)) => {
            super::filter_picker::render(frame, area, app, picker)
        }
        Some(Dialog::ConfirmAccept { id, title, marked }) => {
            let mut lines = vec![
                Line::styled(sanitize::inline(title).into_owned(), theme::heading()),
                Line::styled(id.clone(), theme::dim()),
            ];
            lines.extend(
                super::bulk::accept_plan(app, marked)
                    .into_iter()
                    .map(Line::raw),
            );
            lines.push(Line::default());
            if app.is_aws() && !app.local {
                lines.push(Line::styled(
                    "This is the live AWS catalog.",
                    theme::error(),
                ));
            }
            lines.push(Line::from(vec![
                key(KeyMode::Dialog, Command::Confirm),
                Span::raw(" accept   "),
                key(KeyMode::Dialog, Command::Cancel),
                Span::raw(" cancel"),
            ]));
            let heading = if marked.is_empty() {
                " Accept this invitation? ".to_owned()
            } else {
                format!(" Accept {} marked invitations? ", marked.len())
            };
            dialog(frame, area, &heading, lines, app.is_aws() && !app.local);
        }
        Some(Dialog::AcceptChoice { id, title, create }) => {
            let live = app.is_aws() && !app.local;
            let mut lines = vec![
                Line::styled(sanitize::inline(title).into_owned(), theme::heading()),
                Line::styled(id.clone(), theme::dim()),
                Line::default(),
            ];
            if live {
                lines.push(Line::styled(
                    "This is the live AWS catalog.",
                    theme::error(),
                ));
            }
            let choices = [
                (
                    true,
                    "Accept and create the opportunity",
                    "a task accepts, then makes it in your account from this one",
                ),
                (false, "Accept only", "no opportunity is created"),
            ];
            for (creates, name, what) in choices {
                let chosen = creates == *create;
                lines.push(Line::styled(
                    format!("{} {name}", if chosen { "▶" } else { " " }),
                    if chosen {
                        theme::selected_row()
                    } else {
                        theme::label()
                    },
                ));
                lines.push(Line::styled(format!("    {what}"), theme::dim()));
            }
            lines.push(Line::default());
            lines.push(Line::from(vec![
                key(KeyMode::AcceptChoice, Command::Submit),
                Span::raw(" accept   "),
                key(KeyMode::AcceptChoice, Command::Down),
                Span::raw("/"),
                key(KeyMode::AcceptChoice, Command::Up),
                Span::raw(" choose   "),
                key(KeyMode::AcceptChoice, Command::Cancel),
                Span::raw(" cancel"),
            ]));
            dialog(frame, area, " Accept this invitation? ", lines, live);
        }
        Some(Dialog::ConfirmCatalog) => {
            let mut lines = if app.local {
                vec![
                    Line::raw("This is the local emulator (--local): its AWS catalog is"),
                    Line::raw("emulated too, and nothing reaches AWS."),
                ]
            } else {
                vec![
                    Line::raw("AWS is the live catalog: accept and reject answer real"),
                    Line::raw("invitations from real partners."),
                ]
            };
            lines.extend([
                Line::default(),
                Line::from(vec![
                    key(KeyMode::Dialog, Command::Confirm),
                    Span::raw(" switch to AWS   "),
                    key(KeyMode::Dialog, Command::Cancel),
                    Span::raw(" stay in Sandbox"),
                ]),
            ]);
            dialog(
                frame,
                area,
                " Switch to the AWS catalog? ",
                lines,
                !app.local,
            );
        }
        Some(Dialog::RejectReason {
            id,
            title,
            choice,
            reason,
            error,
            marked,
        }) => {
            let width = area.width.saturating_sub(4).min(72);
            let height = 17 + u16::from(error.is_some()) * 2;
            let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
            frame.render_widget(Clear, popup);
            let block = Block::bordered()
                .border_style(theme::border(true))
                .title(Line::styled(
                    if marked.is_empty() {
                        " Reject this invitation ".to_owned()
                    } else {
                        format!(
                            " Reject {} marked invitations, one reason for all ",
                            marked.len()
                        )
                    },
                    theme::label(),
                ));
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            let [about, choices, field, notes] = Layout::vertical([
                Constraint::Length(3),
                Constraint::Length(REJECTION_REASONS.len() as u16 + 2),
                Constraint::Length(3),
                Constraint::Min(0),
            ])
            .areas(inner);
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(sanitize::inline(title).into_owned(), theme::heading()),
                    Line::styled(id.clone(), theme::dim()),
                    Line::from(vec![
                        Span::raw("Why? "),
                        key(KeyMode::Reason, Command::Down),
                        Span::raw("/"),
                        key(KeyMode::Reason, Command::Up),
                        Span::styled(" choose; typing chooses Other", theme::dim()),
                    ]),
                ]),
                about,
            );
            let names = std::iter::once("No reason given").chain(REJECTION_REASONS);
            let mut lines: Vec<Line> = names
                .enumerate()
                .map(|(i, name)| {
                    let chosen = i == *choice;
                    let name = if i == OTHER_CHOICE {
                        "Other, in your words below (Other if none)"
                    } else {
                        name
                    };
                    Line::styled(
                        format!("{} {name}", if chosen { "▶" } else { " " }),
                        if chosen {
                            theme::selected_row()
                        } else {
                            ratatui::style::Style::new()
                        },
                    )
                })
                .collect();
            lines.push(reason_rule(reason));
            frame.render_widget(Paragraph::new(lines), choices);
            let input = Block::bordered().border_style(theme::border(*choice == OTHER_CHOICE));
            let line = reason.line(
                usize::from(input.inner(field).width),
                "your own words, sent instead of Other",
            );
            frame.render_widget(Paragraph::new(line).block(input), field);
            let mut lines = Vec::new();
            if let Some(error) = error {
                lines.push(Line::styled(
                    sanitize::inline(error).into_owned(),
                    theme::error(),
                ));
                lines.push(Line::default());
            }
            lines.push(Line::from(vec![
                key(KeyMode::Reason, Command::Submit),
                Span::raw(" reject   "),
                key(KeyMode::Reason, Command::Cancel),
                Span::raw(" cancel"),
            ]));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), notes);
        }
        Some(Dialog::StatusPicker { at }) => {
            let counts = app.list.listing.counts();
            let lines: Vec<Line> = STATUS_CHOICES
                .iter()
                .enumerate()
                .map(|(i, choice)| {
                    let name = choice.as_ref().map_or("All", |s| s.as_str());
                    let text = format!(
                        "{} {name:<10} {:>6}",
                        if i == *at { "▶" } else { " " },
                        status_count(&counts, choice.as_ref())
                    );
                    let style = if i == *at {
                        theme::selected_row()
                    } else {
                        theme::status(choice.as_ref())
                    };
                    Line::styled(text, style)
                })
                .collect();
            dialog(frame, area, " Show status ", lines, false);
        }
        None => {}
    }
}

/// "Your words (up to 80 characters): 61 left", from the model, so the limit is known
/// before Enter refuses it.
fn reason_rule(reason: &LineInput) -> Line<'static> {
    let max = schema::shape(REASON_SHAPE).and_then(|shape| match &shape.kind {
        ShapeKind::String(string) => string.max_length,
        _ => None,
    });
    let Some(max) = max else {
        return Line::raw("Your words:");
    };
    let used = reason.text().trim().chars().count();
    let (room, style) = if used > max {
        (format!("{} too many", used - max), theme::error())
    } else {
        (format!("{} left", max - used), theme::dim())
    };
    Line::from(vec![
        Span::raw(format!("Your words (up to {max} characters): ")),
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
    // Not trimmed: the status picker's columns line up with leading spaces.
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
