//! Drawing the composer: a scrolling form (label, value, the field's rule and remaining length,
//! its problem), with overlays for the picker, the request preview and confirmations. Reads the
//! composer's state, never changes it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::form::{FieldId, FieldKind, ModelPlace};
use super::{Composer, Mode};
use crate::api::model::CATALOG_AWS;
use crate::api::schema::{self, ShapeKind};
use crate::api::validate::rule_summary;
use crate::tui::scroll::Scroll;
use crate::tui::theme;
use crate::tui::wrap::wrap;
use crate::{humanize, sanitize};

/// Width of the label column: the longest label with its required mark ("Receiver
/// responsibilities *") and a space.
const LABEL_WIDTH: u16 = 30;
/// Most lines a multi-line field shows while focused.
const MAX_EDITOR_LINES: u16 = 6;
/// Most lines of the status line (sent, exported, problems) when it wraps.
const MAX_STATUS_LINES: u16 = 3;

/// The section a field starts, if it is the first of one.
fn section_title(field: FieldId) -> Option<String> {
    use FieldId::*;
    Some(match field {
        EngagementIdentifier => "Invitation".into(),
        OppCompany | LeadCompany => "Customer".into(),
        ProjectTitle => "Project".into(),
        SpendAmount(i) => format!("Expected customer spend {}", i + 1),
        Responsibilities => "Receiver responsibilities".into(),
        ContactEmail(i) => format!("Sender contact {}", i + 1),
        LeadSourceType => "Interaction".into(),
        _ => return None,
    })
}

/// "N left" for a field with a maximum length.
fn remaining(place: &ModelPlace, value: &str) -> Option<String> {
    let member = schema::member(place.structure, place.member)?;
    let ShapeKind::String(string) = &schema::shape(&member.shape)?.kind else {
        return None;
    };
    let max = string.max_length?;
    let used = value.chars().count();
    Some(if used > max {
        format!("{} too many", used - max)
    } else {
        format!("{} left", max - used)
    })
}

/// The hint shown under a field: its rule, and the room left.
fn hint(field: FieldId, value: &str) -> String {
    match (field.kind(), field.model_place()) {
        (FieldKind::Button, _) => "Enter".into(),
        (FieldKind::KindToggle, _) => "Space switches Opportunity / Lead".into(),
        (kind, Some(place)) => {
            let mut parts = vec![rule_summary(place.structure, place.member)];
            if let FieldKind::Text { .. } = kind
                && let Some(left) = remaining(&place, value)
            {
                parts.push(left);
            }
            if matches!(kind, FieldKind::Pick(_) | FieldKind::MultiPick(_)) {
                parts.push("Enter or type to pick".into());
            }
            parts.join(" · ")
        }
        (_, None) => String::new(),
    }
}

/// A field's value as shown when it is not being edited: a multi-line field wrapped to
/// `width` (at most [`MAX_EDITOR_LINES`], the last ending in `…` when there is more).
fn value_lines(composer: &Composer, field: FieldId, width: usize) -> Vec<Line<'static>> {
    let value = field.value(&composer.draft);
    if field.kind() != (FieldKind::Text { multiline: true }) || value.is_empty() {
        return vec![value_line(field, value)];
    }
    let mut lines: Vec<String> = sanitize::multiline(&value)
        .lines()
        .flat_map(|line| wrap(line, width))
        .collect();
    let most = usize::from(MAX_EDITOR_LINES);
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            *last = humanize::truncate(&format!("{last} …"), width);
        }
    }
    lines.into_iter().map(Line::from).collect()
}

/// The lines a multi-line text takes wrapped at `width`, as the editor shows it.
fn wrapped_height(text: &str, width: usize) -> u16 {
    let lines: usize = text.split('\n').map(|line| wrap(line, width).len()).sum();
    u16::try_from(lines)
        .unwrap_or(u16::MAX)
        .clamp(1, MAX_EDITOR_LINES)
}

fn value_line(field: FieldId, value: String) -> Line<'static> {
    match field.kind() {
        FieldKind::Button => Line::styled(format!("[ {} ]", field.label()), theme::key()),
        FieldKind::KindToggle => Line::from(vec![
            Span::raw(if value == "Opportunity" {
                "(•) "
            } else {
                "( ) "
            }),
            Span::raw("Opportunity   "),
            Span::raw(if value == "Lead" { "(•) " } else { "( ) " }),
            Span::raw("Lead"),
        ]),
        _ if value.is_empty() => Line::styled("—", theme::dim()),
        _ => Line::from(sanitize::inline(&value).into_owned()),
    }
}

/// One form row: its height and how to draw it.
struct Row {
    field: FieldId,
    section: Option<String>,
    /// The field's rule and its problem, wrapped to the value column (never cut off).
    hint: Vec<String>,
    error: Vec<String>,
    height: u16,
}

/// The form's rows for a value column `width` cells wide.
fn rows(composer: &Composer, width: u16) -> Vec<Row> {
    let focused = composer.focused();
    let width = usize::from(width);
    composer
        .fields()
        .into_iter()
        .map(|field| {
            let section = section_title(field);
            let editor_lines = match field.kind() {
                FieldKind::Text { multiline: true } if field == focused => {
                    wrapped_height(&composer.editor.lines().join("\n"), width)
                }
                FieldKind::Text { multiline: true } => {
                    wrapped_height(&field.value(&composer.draft), width)
                }
                _ => 1,
            };
            let hint = wrap(&hint(field, &field.value(&composer.draft)), width);
            let error = composer
                .errors
                .get(&field)
                .map(|error| wrap(&format!("✗ {}", sanitize::inline(error)), width))
                .unwrap_or_default();
            let height =
                u16::from(section.is_some()) + editor_lines + (hint.len() + error.len()) as u16;
            Row {
                field,
                section,
                hint,
                error,
                height,
            }
        })
        .collect()
}

pub fn render(frame: &mut Frame, area: Rect, composer: &Composer) {
    frame.render_widget(Clear, area);
    let catalog_style = theme::catalog(composer.draft.catalog == CATALOG_AWS);
    let title = Line::from(vec![
        Span::raw(" New engagement invitation  "),
        Span::styled(format!(" {} ", composer.draft.catalog), catalog_style),
        Span::raw(" "),
    ]);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // The keys that work now are in the app's footer (`keys::hints`), not repeated here.
    // The status wraps (a service's refusal can be long) over at most three lines.
    let status = composer
        .status
        .as_deref()
        .map(|status| wrap(&sanitize::inline(status), usize::from(inner.width)))
        .unwrap_or_else(|| vec![String::new()]);
    let status_height = (status.len() as u16).min(MAX_STATUS_LINES);
    let [form_area, status_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(status_height)]).areas(inner);
    render_form(frame, form_area, composer);
    let style = if composer.status_is_problem() {
        theme::error()
    } else {
        theme::info()
    };
    let lines: Vec<Line> = status.into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(lines).style(style), status_area);
    match &composer.mode {
        Mode::Preview(scroll) => render_preview(frame, area, composer, scroll),
        Mode::ConfirmDiscard => confirm(
            frame,
            area,
            "Discard this draft? Everything typed is lost. (y/n)",
        ),
        Mode::ConfirmRemove(button) => confirm(
            frame,
            area,
            &format!(
                "Remove {} and everything typed in it? (y/n)",
                button.entry_name()
            ),
        ),
        Mode::ConfirmSend => confirm(
            frame,
            area,
            "Send to the live AWS catalog? This creates a real invitation. (y/n)",
        ),
        Mode::Editing | Mode::Sending => {}
    }
    if composer.picker.is_some() {
        render_picker(frame, area, composer);
    }
}

fn render_form(frame: &mut Frame, area: Rect, composer: &Composer) {
    let rows = rows(composer, area.width.saturating_sub(LABEL_WIDTH).max(1));
    // Scroll so the focused row is fully visible, keeping as much above it as fits.
    let focus = composer.focus.min(rows.len().saturating_sub(1));
    let mut first = 0;
    let height_through =
        |from: usize, to: usize| rows[from..=to].iter().map(|r| r.height).sum::<u16>();
    while first < focus && height_through(first, focus) > area.height {
        first += 1;
    }
    let mut y = area.y;
    for row in &rows[first..] {
        if y >= area.bottom() {
            break;
        }
        let height = row.height.min(area.bottom() - y);
        let mut rect = Rect::new(area.x, y, area.width, height);
        y += height;
        if let Some(section) = &row.section {
            frame.render_widget(
                Line::from(section.clone()).bold().underlined(),
                Rect { height: 1, ..rect },
            );
            rect.y += 1;
            rect.height = rect.height.saturating_sub(1);
        }
        render_field(frame, rect, composer, row);
    }
}

fn render_field(frame: &mut Frame, rect: Rect, composer: &Composer, row: &Row) {
    if rect.height == 0 {
        return;
    }
    let field = row.field;
    let focused = field == composer.focused();
    let [label_area, value_area] =
        Layout::horizontal([Constraint::Length(LABEL_WIDTH), Constraint::Min(1)]).areas(rect);
    let required = field
        .model_place()
        .and_then(|p| schema::member(p.structure, p.member))
        .is_some_and(|m| m.must_be_set());
    let marker = if focused { "▶ " } else { "  " };
    let label = format!(
        "{marker}{}{}",
        field.label(),
        if required { " *" } else { "" }
    );
    let label_style = if focused { theme::key() } else { Style::new() };
    frame.render_widget(Paragraph::new(label).style(label_style), label_area);
    let value_height = rect
        .height
        .saturating_sub((row.hint.len() + row.error.len()) as u16)
        .max(1);
    let value_rect = Rect {
        height: value_height,
        ..value_area
    };
    let editing_text =
        focused && matches!(field.kind(), FieldKind::Text { .. }) && composer.picker.is_none();
    if editing_text {
        frame.render_widget(&composer.editor, value_rect);
    } else {
        let mut lines = value_lines(composer, field, usize::from(value_rect.width));
        if focused {
            lines = lines.into_iter().map(Line::reversed).collect();
        }
        frame.render_widget(Text::from(lines), value_rect);
    }
    let below = row
        .hint
        .iter()
        .map(|line| Line::styled(line.clone(), theme::dim()).italic())
        .chain(
            row.error
                .iter()
                .map(|line| Line::styled(line.clone(), theme::error())),
        );
    for (y, line) in (value_rect.bottom()..rect.bottom()).zip(below) {
        frame.render_widget(line, Rect::new(value_area.x, y, value_area.width, 1));
    }
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn confirm(frame: &mut Frame, area: Rect, question: &str) {
    let rect = popup(area, 60, 5);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(question).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .border_type(BorderType::Double)
                .title(" Confirm "),
        ),
        rect,
    );
}

fn render_preview(frame: &mut Frame, area: Rect, composer: &Composer, scroll: &Scroll) {
    let rect = popup(
        area,
        area.width.saturating_sub(8),
        area.height.saturating_sub(4),
    );
    let block = Block::bordered().title(" Request preview (exactly what Ctrl-S sends) ");
    let inner = block.inner(rect);
    // Long values wrap under themselves: nothing sent is hidden past the pane's edge.
    let json = composer.preview_json();
    let width = usize::from(inner.width).max(1);
    let mut lines = Vec::new();
    for line in sanitize::multiline(&json).lines() {
        let body = line.trim_start_matches(' ');
        let indent = (line.len() - body.len()).min(width / 2);
        // Continuation lines are indented two more, so a wrapped value reads as one.
        let room = width.saturating_sub(indent + 2).max(1);
        for (i, part) in wrap(body, room).into_iter().enumerate() {
            let pad = if i == 0 { indent } else { indent + 2 };
            lines.push(Line::raw(format!("{}{part}", " ".repeat(pad))));
        }
    }
    let shown = usize::from(inner.height);
    let first = scroll.measure(lines.len(), shown);
    let visible: Vec<Line> = lines.into_iter().skip(first).take(shown).collect();
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(visible).block(block), rect);
}

fn render_picker(frame: &mut Frame, area: Rect, composer: &Composer) {
    let Some(picker) = &composer.picker else {
        return;
    };
    let rect = popup(area, 60, area.height.saturating_sub(6).min(20));
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(format!(" {} ", composer.focused().label()))
        .title_bottom(if picker.multi {
            " Space toggles · Enter done · Esc cancel "
        } else {
            " ↑↓ move · Enter choose · Esc cancel "
        });
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [query_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Line::from(vec![
            Span::raw("› "),
            Span::raw(picker.query.clone()).bold(),
            Span::raw("▏"),
        ]),
        query_area,
    );
    let entries = picker.options.entries();
    let visible = list_area.height as usize;
    let start = picker.cursor.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = picker
        .matches
        .iter()
        .enumerate()
        .skip(start)
        .take(visible)
        .map(|(n, &i)| {
            let (value, name) = entries[i];
            let check = if picker.multi {
                if picker.chosen.iter().any(|c| c == value) {
                    "[x] "
                } else {
                    "[ ] "
                }
            } else {
                ""
            };
            let text = if name.is_empty() {
                format!("{check}{value}")
            } else {
                format!("{check}{value}  {name}")
            };
            if n == picker.cursor {
                Line::from(text).reversed()
            } else {
                Line::from(text)
            }
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(Line::styled("no match", theme::dim()), list_area);
    } else {
        frame.render_widget(Text::from(lines), list_area);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::tui::composer::draft::Draft;

    fn draw(composer: &Composer, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| render(frame, frame.area(), composer))
            .unwrap();
        terminal
    }

    fn composer() -> Composer {
        let mut draft = Draft::new("Sandbox");
        draft.client_token = "00000000-0000-4000-8000-000000000000".into();
        Composer::new(draft)
    }

    fn press(composer: &mut Composer, code: KeyCode, modifiers: KeyModifiers) {
        composer.press_key(KeyEvent::new(code, modifiers));
    }

    #[test]
    fn empty_form() {
        insta::assert_snapshot!(draw(&composer(), 120, 40).backend());
    }

    #[test]
    fn problems_after_a_refused_send() {
        let mut c = composer();
        for ch in "eng-bad".chars() {
            press(&mut c, KeyCode::Char(ch), KeyModifiers::NONE);
        }
        press(&mut c, KeyCode::Char('s'), KeyModifiers::CONTROL);
        insta::assert_snapshot!(draw(&c, 120, 40).backend());
    }

    #[test]
    fn rules_and_problems_wrap_at_80_columns_instead_of_being_cut() {
        let mut c = composer();
        c.focus_field(FieldId::SpendAmount(0));
        for ch in "12,500.50".chars() {
            press(&mut c, KeyCode::Char(ch), KeyModifiers::NONE);
        }
        press(&mut c, KeyCode::Tab, KeyModifiers::NONE);
        let terminal = draw(&c, 80, 24);
        let screen = format!("{:?}", terminal.backend());
        assert!(screen.contains("e.g. 1500.00"), "{screen}");
        insta::assert_snapshot!(terminal.backend());
    }

    #[test]
    fn a_long_refusal_wraps_in_the_status_line() {
        let mut c = composer();
        c.send_failed(
            "ResourceNotFoundException: Engagement eng-zzzzzzzzzzzzzz was not found in catalog Sandbox".into(),
            &[],
        );
        let screen = format!("{:?}", draw(&c, 80, 24).backend());
        assert!(screen.contains("catalog Sandbox"), "{screen}");
    }

    #[test]
    fn country_picker_filters_by_name() {
        let mut c = composer();
        c.focus_field(FieldId::OppCountry);
        for ch in "united".chars() {
            press(&mut c, KeyCode::Char(ch), KeyModifiers::NONE);
        }
        insta::assert_snapshot!(draw(&c, 100, 30).backend());
    }

    #[test]
    fn request_preview_and_lead_form_at_80x24() {
        let mut c = composer();
        c.focus_field(FieldId::Kind);
        press(&mut c, KeyCode::Char(' '), KeyModifiers::NONE);
        c.focus_field(FieldId::LeadCompany);
        for ch in "株式会社サクラ".chars() {
            press(&mut c, KeyCode::Char(ch), KeyModifiers::NONE);
        }
        insta::assert_snapshot!("lead_form_80x24", draw(&c, 80, 24).backend());
        press(&mut c, KeyCode::Char('p'), KeyModifiers::CONTROL);
        insta::assert_snapshot!("preview_80x24", draw(&c, 80, 24).backend());
    }

    /// The screen's text, one line per row.
    fn text(terminal: &Terminal<TestBackend>) -> String {
        let buffer = terminal.backend().buffer();
        buffer
            .content()
            .chunks(usize::from(buffer.area.width))
            .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>() + "\n")
            .collect()
    }

    /// The screen's words, in order (wrapping may break lines anywhere between them).
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| c.is_whitespace() || "│║█▶".contains(c))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }

    const LONG: &str = "Nightly batch reports take nine hours on the on-premises warehouse and \
        miss the morning stand-up; the customer wants dashboards for four hundred stores";

    /// Issue 11, fix 8: a multi-line field wraps to its width, while editing and when shown.
    #[test]
    fn multiline_fields_wrap_to_the_field_width() {
        let mut c = composer();
        c.focus_field(FieldId::Message);
        for ch in LONG.chars() {
            press(&mut c, KeyCode::Char(ch), KeyModifiers::NONE);
        }
        // Every character is on screen, in order, whichever line it wrapped to.
        let squeezed = |text: &str| words(text).concat();
        let all = squeezed(LONG);
        let screen = text(&draw(&c, 80, 30));
        assert!(squeezed(&screen).contains(&all), "while editing:\n{screen}");
        press(&mut c, KeyCode::Tab, KeyModifiers::NONE);
        let screen = text(&draw(&c, 80, 30));
        assert!(squeezed(&screen).contains(&all), "when shown:\n{screen}");
        assert!(
            screen.contains("Message *                   Nightly batch reports take nine hours"),
            "wrapped at words when shown:\n{screen}"
        );
    }

    /// Issue 11, fix 7: the preview wraps long values instead of cutting them at the edge.
    #[test]
    fn the_preview_wraps_long_values() {
        let mut c = composer();
        c.focus_field(FieldId::Message);
        for ch in LONG.chars() {
            press(&mut c, KeyCode::Char(ch), KeyModifiers::NONE);
        }
        press(&mut c, KeyCode::Char('p'), KeyModifiers::CONTROL);
        let screen = text(&draw(&c, 80, 40));
        // Inside the preview's border only (columns 5 to 74 of 80).
        let inside: String = screen
            .lines()
            .map(|row| row.chars().skip(5).take(70).collect::<String>() + "\n")
            .collect();
        let squeezed = |text: &str| words(text).concat().replace(['"', ','], "");
        assert!(squeezed(&inside).contains(&squeezed(LONG)), "{screen}");
    }

    /// Issue 11, fix 6: readline keys in the composer's one-line fields.
    #[test]
    fn one_line_fields_take_readline_keys() {
        let mut c = composer();
        c.focus_field(FieldId::ReceiverAlias);
        for ch in "Partner Team".chars() {
            press(&mut c, KeyCode::Char(ch), KeyModifiers::NONE);
        }
        press(&mut c, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(c.draft.receiver_alias, "Partner ");
        press(&mut c, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(
            c.draft.receiver_alias, "",
            "Ctrl-U deletes the line, not undoes"
        );
    }
}
