//! Word wrapping by display width, for text laid out before it is drawn (the detail, the
//! engagement view, the composer's hints and preview), so the number of lines is known.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Greedy word wrap by display width, breaking only at spaces. A token longer than a line
/// (an email address, a URL) starts a line of its own and, only if it is longer than a whole
/// line, breaks after its punctuation (`/ . @ - _ ? & =`), cut mid-word only where it has none.
/// Always at least one (possibly empty) line. (The composer wraps its hints and preview too.)
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let word_width = word.width();
        let gap = usize::from(!line.is_empty());
        if used + gap + word_width <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        while rest.width() > width {
            let cut = break_point(rest, width);
            lines.push(rest[..cut].to_owned());
            rest = &rest[cut..];
        }
        line.push_str(rest);
        used = rest.width();
    }
    lines.push(line);
    lines
}

/// Where to break a token wider than `width`: after the last punctuation that fits, else at
/// the width. A byte index, never 0.
fn break_point(token: &str, width: usize) -> usize {
    let mut used = 0;
    let mut fits = 0;
    let mut after_punctuation = None;
    for (at, c) in token.char_indices() {
        used += c.width().unwrap_or(0);
        if used > width {
            break;
        }
        fits = at + c.len_utf8();
        if matches!(
            c,
            '/' | '.' | '@' | '-' | '_' | '?' | '&' | '=' | ',' | ';' | ':'
        ) {
            after_punctuation = Some(fits);
        }
    }
    // A character wider than the whole line still goes somewhere.
    let fits = fits.max(token.chars().next().map_or(1, char::len_utf8));
    after_punctuation
        .filter(|&at| at < token.len())
        .unwrap_or(fits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("日本語です", 4), ["日本", "語で", "す"]);
    }

    #[test]
    fn long_tokens_get_their_own_line_and_break_after_punctuation() {
        assert_eq!(
            wrap("write to maria@universidad.example.com today", 24),
            ["write to", "maria@universidad.", "example.com today"]
        );
        assert_eq!(
            wrap("see https://example.com/a/very/long/path", 20),
            ["see", "https://example.com/", "a/very/long/path"]
        );
        // Nothing is lost or added.
        let text = "ab https://partner.example/x?y=1&z=2 cd";
        assert_eq!(
            wrap(text, 9).concat().replace(' ', ""),
            text.replace(' ', "")
        );
    }
}
