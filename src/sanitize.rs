//! Makes text from the network or a file harmless before it reaches a terminal.
//!
//! Service data is data, not terminal commands: an ESC in an engagement title must not retitle
//! the window or clear the screen, and a bidi override must not reorder what the user reads.
//! C0 controls become their visible Control Pictures (`␛`), C1 controls and lone DEL become
//! `�`, and invisible formatting characters (bidi overrides, zero-width) are dropped. JSON output
//! never goes through here: it keeps the exact data.

use std::borrow::Cow;

/// Whether `c` would be dropped because it is invisible formatting that can mislead the reader.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM/RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{061C}' // Arabic letter mark
        | '\u{FEFF}' // BOM / zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation controls
    )
}

fn needs_change(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && !(keep_newlines && c == '\n')) || is_invisible_format(c)
}

fn clean(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_change(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\r' if keep_newlines => {}
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_invisible_format(c) => {}
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'))
            }
            '\u{7F}' => out.push('\u{2421}'),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// For one-line cells (list rows, table output): every line break becomes a space.
pub fn inline(text: &str) -> Cow<'_, str> {
    clean(text, false)
}

/// For wrapped text (descriptions, messages): keeps `\n`, drops `\r`.
pub fn multiline(text: &str) -> Cow<'_, str> {
    clean(text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(inline("Café Ünïcødé 日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_cannot_reach_the_terminal() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\u{9b}31md\u{7f}";
        let shown = inline(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(shown, "a␛]0;pwned␇b␛[2Jc�31md␡");
    }

    #[test]
    fn bidi_and_zero_width_are_dropped() {
        assert_eq!(inline("ab\u{202E}cd\u{200B}e\u{2066}f\u{FEFF}"), "abcdef");
    }

    #[test]
    fn line_breaks_depend_on_the_context() {
        assert_eq!(inline("one\r\ntwo\tthree"), "one  two three");
        assert_eq!(multiline("one\r\ntwo\tthree"), "one\ntwo three");
    }
}
