//! One-line text input with the readline keys people type without thinking: Ctrl-A/E (start,
//! end), Ctrl-U (delete to the start), Ctrl-K (to the end), Ctrl-W and Alt-Backspace (the word
//! before), Ctrl-B/F and the arrows. The search and the rejection reason use [`LineInput`];
//! the composer's one-line fields get the same keys through [`readline`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};
use ratatui_textarea::{CursorMove, TextArea};
use unicode_width::UnicodeWidthStr;

use super::theme;
use crate::sanitize;

/// A line of text and a cursor (a char index).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    cursor: usize,
}

impl LineInput {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn clear(&mut self) {
        *self = LineInput::default();
    }

    fn byte(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(at, _)| at)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Inserts text at the cursor; control characters (a pasted line break) become spaces.
    pub fn insert(&mut self, text: &str) {
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let at = self.byte(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    /// Deletes the chars in `from..to` (char indices) and puts the cursor at `from`.
    fn delete(&mut self, from: usize, to: usize) {
        let (start, end) = (self.byte(from), self.byte(to));
        self.text.replace_range(start..end, "");
        self.cursor = from;
    }

    /// Where the word before the cursor starts (spaces before it included, as readline does).
    fn word_start(&self) -> usize {
        let chars: Vec<char> = self.text.chars().take(self.cursor).collect();
        let mut at = chars.len();
        while at > 0 && chars[at - 1].is_whitespace() {
            at -= 1;
        }
        while at > 0 && !chars[at - 1].is_whitespace() {
            at -= 1;
        }
        at
    }

    /// Applies a key; whether the text changed.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let before = self.text.len();
        match key.code {
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.len(),
            KeyCode::Char('b') if ctrl => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Char('f') if ctrl => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Char('u') if ctrl => self.delete(0, self.cursor),
            KeyCode::Char('k') if ctrl => self.delete(self.cursor, self.len()),
            KeyCode::Char('w') if ctrl => self.delete(self.word_start(), self.cursor),
            KeyCode::Backspace if alt => self.delete(self.word_start(), self.cursor),
            KeyCode::Char('h') if ctrl && self.cursor > 0 => {
                self.delete(self.cursor - 1, self.cursor)
            }
            KeyCode::Char(c) if !ctrl && !alt => self.insert(&c.to_string()),
            KeyCode::Backspace if self.cursor > 0 => self.delete(self.cursor - 1, self.cursor),
            KeyCode::Delete if self.cursor < self.len() => {
                self.delete(self.cursor, self.cursor + 1)
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            _ => {}
        }
        self.text.len() != before
    }

    /// The text with a cursor, scrolled so the cursor shows in `width` columns; the
    /// placeholder, dimmed, while empty.
    pub fn line(&self, width: usize, placeholder: &str) -> Line<'static> {
        let cursor = Span::styled("▏", theme::key());
        if self.text.is_empty() {
            return Line::from(vec![
                cursor,
                Span::styled(placeholder.to_owned(), theme::dim()),
            ]);
        }
        let before: String = self.text.chars().take(self.cursor).collect();
        let after: String = self.text.chars().skip(self.cursor).collect();
        let mut before = sanitize::inline(&before).into_owned();
        // Keep the end of what precedes the cursor in view.
        while before.width() + 1 > width.max(2) && !before.is_empty() {
            before.remove(0);
        }
        Line::from(vec![
            Span::raw(before),
            cursor,
            Span::raw(sanitize::inline(&after).into_owned()),
        ])
    }
}

/// The readline keys in a `TextArea` (the composer's one-line fields); `None` when `key` is
/// not one of them, else whether the text changed. (The textarea's own Ctrl-U is undo.)
pub fn readline(editor: &mut TextArea, key: KeyEvent) -> Option<bool> {
    if !key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    match key.code {
        KeyCode::Char('a') => editor.move_cursor(CursorMove::Head),
        KeyCode::Char('e') => editor.move_cursor(CursorMove::End),
        KeyCode::Char('u') => return Some(editor.delete_line_by_head()),
        KeyCode::Char('k') => return Some(editor.delete_line_by_end()),
        KeyCode::Char('w') => return Some(editor.delete_word()),
        _ => return None,
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> LineInput {
        let mut input = LineInput::default();
        input.insert(text);
        input
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn readline_keys_edit_lines_and_words() {
        let mut input = typed("not our region");
        assert!(input.key(ctrl('w')));
        assert_eq!(input.text(), "not our ");
        input.key(ctrl('a'));
        input.key(KeyEvent::from(KeyCode::Char('X')));
        assert_eq!(input.text(), "Xnot our ");
        input.key(ctrl('e'));
        input.insert("area");
        assert_eq!(input.text(), "Xnot our area");
        input.key(ctrl('a'));
        input.key(KeyEvent::from(KeyCode::Right));
        input.key(ctrl('k'));
        assert_eq!(input.text(), "X");
        input.key(ctrl('e'));
        assert!(
            input.key(ctrl('u')),
            "Ctrl-U deletes the whole line before the cursor"
        );
        assert_eq!(input.text(), "");
    }

    #[test]
    fn pasted_line_breaks_are_spaces() {
        assert_eq!(typed("two\nlines").text(), "two lines");
    }

    #[test]
    fn the_textarea_gets_the_same_line_keys() {
        let mut editor = TextArea::from(["hello big world"]);
        editor.move_cursor(CursorMove::End);
        assert_eq!(readline(&mut editor, ctrl('w')), Some(true));
        assert_eq!(editor.lines(), ["hello big "]);
        assert_eq!(readline(&mut editor, ctrl('u')), Some(true));
        assert_eq!(editor.lines(), [""]);
        assert_eq!(
            readline(&mut editor, KeyEvent::from(KeyCode::Char('u'))),
            None
        );
    }
}
