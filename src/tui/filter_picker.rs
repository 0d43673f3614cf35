//! The filter picker (`f`): payload kind, sender and "expiring within N days" in one popup,
//! each choice with how many listed invitations it matches on its own. Moving changes nothing;
//! the choose key takes the highlighted choice of its group, Enter takes it and applies the
//! three groups, Esc leaves the filters as they were. Digits type a number of days.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::command::Command;
use super::keymap::KeyMode;
use super::listing::{Expiring, Filter, Kind, Row, Sender, sender_name, sent_by_aws};
use super::theme;
use super::views::{MAX_DAYS, days};
use crate::sanitize;

/// The fixed "expiring within" choices, in days.
const WITHIN_DAYS: [u32; 5] = [1, 3, 7, 14, 30];
/// Senders named one by one, the most frequent first; the rest are found with the search.
const NAMED_SENDERS: usize = 8;
/// The longest number of days typed.
const TYPED_DIGITS: usize = 4;

/// One line that can be chosen; each group has one chosen line.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Choice {
    Kind(Option<Kind>),
    Sender(Sender),
    Within(Option<u32>),
    /// The days typed.
    TypedDays,
}

impl Choice {
    fn group(&self) -> usize {
        match self {
            Choice::Kind(_) => 0,
            Choice::Sender(_) => 1,
            Choice::Within(_) | Choice::TypedDays => 2,
        }
    }
}

/// The picker's state: the choices with their counts, the highlighted one, and what is chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterPicker {
    choices: Vec<(Choice, Option<usize>)>,
    /// Senders left out of the list.
    more_senders: usize,
    at: usize,
    kind: Option<Kind>,
    sender: Sender,
    within: Option<u32>,
    /// Digits typed for "within N days".
    typed: String,
}

impl FilterPicker {
    /// The picker on `filter`, counting `rows` at `now`.
    pub fn new(filter: &Filter, rows: &[Row], now: DateTime<Utc>) -> FilterPicker {
        let mut kinds = [0; 2];
        let mut aws = 0;
        let mut within = [0; WITHIN_DAYS.len()];
        let mut senders: HashMap<&str, usize> = HashMap::new();
        for row in rows {
            let summary = &row.summary;
            for (count, kind) in kinds.iter_mut().zip(Kind::ALL) {
                *count += usize::from(kind.is_of(summary.payload_type.as_ref()));
            }
            // AWS is its own choice; the senders named one by one are partners.
            if sent_by_aws(summary) {
                aws += 1;
            } else if let Some(name) = sender_name(summary) {
                *senders.entry(name).or_default() += 1;
            }
            for (count, days) in within.iter_mut().zip(WITHIN_DAYS) {
                *count += usize::from(Expiring::within(days, now).matches(row));
            }
        }
        let mut senders: Vec<(&str, usize)> = senders.into_iter().collect();
        senders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let more_senders = senders.len().saturating_sub(NAMED_SENDERS);
        senders.truncate(NAMED_SENDERS);
        let all = rows.len();
        let mut choices = vec![(Choice::Kind(None), Some(all))];
        choices.extend(
            Kind::ALL
                .into_iter()
                .zip(kinds)
                .map(|(kind, count)| (Choice::Kind(Some(kind)), Some(count))),
        );
        choices.extend([
            (Choice::Sender(Sender::Anyone), Some(all)),
            (Choice::Sender(Sender::Aws), Some(aws)),
            (Choice::Sender(Sender::Partners), Some(all - aws)),
        ]);
        choices.extend(
            senders
                .into_iter()
                .map(|(name, count)| (Choice::Sender(Sender::Named(name.to_owned())), Some(count))),
        );
        // A sender chosen earlier stays choosable even when the listing no longer has it.
        if !choices
            .iter()
            .any(|(c, _)| *c == Choice::Sender(filter.sender.clone()))
        {
            choices.push((Choice::Sender(filter.sender.clone()), None));
        }
        choices.push((Choice::Within(None), Some(all)));
        choices.extend(
            WITHIN_DAYS
                .into_iter()
                .zip(within)
                .map(|(days, count)| (Choice::Within(Some(days)), Some(count))),
        );
        choices.push((Choice::TypedDays, None));
        let within = filter.expiring.map(|e| e.days);
        let typed = within
            .filter(|days| !WITHIN_DAYS.contains(days))
            .map(|days| days.to_string())
            .unwrap_or_default();
        FilterPicker {
            choices,
            more_senders,
            at: 0,
            kind: filter.kind,
            sender: filter.sender.clone(),
            within,
            typed,
        }
    }

    /// Whether `choice` is the chosen one of its group.
    fn chosen(&self, choice: &Choice) -> bool {
        match choice {
            Choice::Kind(kind) => *kind == self.kind,
            Choice::Sender(sender) => *sender == self.sender,
            Choice::Within(days) => *days == self.within && !self.typed_chosen(),
            Choice::TypedDays => self.typed_chosen(),
        }
    }

    /// Whether the days typed are the chosen "within".
    fn typed_chosen(&self) -> bool {
        self.typed_days().is_some() && self.typed_days() == self.within
    }

    /// The days typed, if they are a number the filter takes.
    fn typed_days(&self) -> Option<u32> {
        self.typed
            .parse()
            .ok()
            .filter(|days| (1..=MAX_DAYS).contains(days))
    }

    /// Up, Down (wrapping) and Choose.
    pub fn command(&mut self, command: Command) {
        let last = self.choices.len() - 1;
        match command {
            Command::Up => self.at = self.at.checked_sub(1).unwrap_or(last),
            Command::Down => self.at = if self.at == last { 0 } else { self.at + 1 },
            Command::Choose => self.choose(),
            _ => {}
        }
    }

    /// Takes the highlighted choice for its group.
    fn choose(&mut self) {
        match self.choices[self.at].0.clone() {
            Choice::Kind(kind) => self.kind = kind,
            Choice::Sender(sender) => self.sender = sender,
            Choice::Within(days) => {
                self.within = days;
                self.typed.clear();
            }
            Choice::TypedDays => {
                if let Some(days) = self.typed_days() {
                    self.within = Some(days);
                }
            }
        }
    }

    /// Enter: the highlighted choice taken, the three groups set on `filter` at `now`. Days
    /// typed that are no number of days give the picker back (its line says the rule).
    pub fn apply(mut self, filter: &mut Filter, now: DateTime<Utc>) -> Result<(), FilterPicker> {
        if self.choices[self.at].0 == Choice::TypedDays && self.typed_days().is_none() {
            return Err(self);
        }
        self.choose();
        filter.kind = self.kind;
        filter.sender = self.sender;
        filter.expiring = self.within.map(|days| Expiring::within(days, now));
        Ok(())
    }

    /// A typed key: digits (and Backspace) type a number of days, which is chosen as typed.
    pub fn key(&mut self, key: crossterm::event::KeyEvent) {
        use crossterm::event::KeyCode;
        match key.code {
            KeyCode::Char(digit @ '0'..='9') if self.typed.len() < TYPED_DIGITS => {
                self.typed.push(digit);
            }
            KeyCode::Backspace => {
                self.typed.pop();
            }
            _ => return,
        }
        self.at = self.choices.len() - 1;
        if let Some(days) = self.typed_days() {
            self.within = Some(days);
        }
    }
}

/// Draws the picker centred; the highlighted line is always on screen.
pub fn render(frame: &mut Frame, area: Rect, app: &App, picker: &FilterPicker) {
    let key = |command| {
        Span::styled(
            app.keymap
                .hint(KeyMode::FilterPicker, command)
                .unwrap_or_default(),
            theme::key(),
        )
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut highlighted = 0;
    let headings = ["Kind", "Sender", "Expiring within"];
    for (i, (choice, count)) in picker.choices.iter().enumerate() {
        if i == 0 || picker.choices[i - 1].0.group() != choice.group() {
            lines.push(Line::styled(headings[choice.group()], theme::heading()));
        }
        if i == picker.at {
            highlighted = lines.len();
        }
        let name = match choice {
            Choice::Kind(None) | Choice::Sender(Sender::Anyone) => "All".to_owned(),
            Choice::Kind(Some(kind)) => kind.name().to_owned(),
            Choice::Sender(Sender::Aws) => "AWS".to_owned(),
            Choice::Sender(Sender::Partners) => "Partners (not AWS)".to_owned(),
            Choice::Sender(Sender::Named(name)) => sanitize::inline(name).into_owned(),
            Choice::Within(None) => "any time".to_owned(),
            Choice::Within(Some(count)) => days(*count),
            Choice::TypedDays if picker.typed.is_empty() => "type a number of days".to_owned(),
            Choice::TypedDays => match picker.typed_days() {
                Some(count) => days(count),
                None => format!("{}: 1 to {MAX_DAYS} days", picker.typed),
            },
        };
        let mark = if picker.chosen(choice) { "●" } else { "○" };
        let pointer = if i == picker.at { "▶" } else { " " };
        let count = count.map_or(String::new(), |count| count.to_string());
        let text = format!("{pointer} {mark} {name:<26.26} {count:>6}");
        let style = if i == picker.at {
            theme::selected_row()
        } else if *choice == Choice::TypedDays
            && !picker.typed.is_empty()
            && picker.typed_days().is_none()
        {
            theme::error()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::styled(text, style));
        if *choice == Choice::Sender(Sender::Partners) && picker.more_senders > 0 {
            // Said where the named senders start, so the list's end is not mistaken for all.
            lines.push(Line::styled(
                format!(
                    "    the {NAMED_SENDERS} most frequent; {} more by search",
                    picker.more_senders
                ),
                theme::dim(),
            ));
        }
    }
    let keys = Line::from(vec![
        key(Command::Choose),
        Span::raw(" choose  "),
        key(Command::Submit),
        Span::raw(" apply  "),
        key(Command::Cancel),
        Span::raw(" cancel  "),
        Span::styled("0-9", theme::key()),
        Span::raw(" days"),
    ]);
    let width = lines
        .iter()
        .chain([&keys])
        .map(Line::width)
        .max()
        .unwrap_or(0) as u16
        + 4;
    let width = width.min(area.width.saturating_sub(2));
    // Borders and the keys' line; the choices scroll within the rest.
    let room = usize::from(area.height.saturating_sub(5)).max(1);
    let first = (highlighted + 1).saturating_sub(room);
    let mut shown: Vec<Line> = lines.into_iter().skip(first).take(room).collect();
    shown.push(Line::default());
    shown.push(keys);
    let height = (shown.len() as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::border(true))
        .title(Line::styled(" Filter ", theme::label()));
    frame.render_widget(Paragraph::new(shown).block(block), popup);
}
