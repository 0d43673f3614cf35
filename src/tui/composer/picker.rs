//! The picker for enum fields: type to filter (fuzzy, by value or name: "ger" finds DE Germany),
//! move with the arrows, Enter to choose; for a multi-select, Space toggles.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use super::form::Options;

/// One open picker.
#[derive(Clone, Debug)]
pub struct Picker {
    pub options: Options,
    pub multi: bool,
    pub query: String,
    /// Indices into `options.entries()` that match the query, best first.
    pub matches: Vec<usize>,
    /// Position in `matches`.
    pub cursor: usize,
    /// For a multi-select: the values chosen so far.
    pub chosen: Vec<String>,
}

impl Picker {
    /// Opens on `current` (a single value, or a multi-select's values).
    pub fn open(options: Options, multi: bool, current: &[String]) -> Picker {
        let mut picker = Picker {
            options,
            multi,
            query: String::new(),
            matches: Vec::new(),
            cursor: 0,
            chosen: if multi { current.to_vec() } else { Vec::new() },
        };
        picker.refilter();
        if let Some(first) = current.first() {
            let entries = options.entries();
            if let Some(at) = picker.matches.iter().position(|&i| entries[i].0 == first) {
                picker.cursor = at;
            }
        }
        picker
    }

    fn refilter(&mut self) {
        let entries = self.options.entries();
        self.matches = if self.query.trim().is_empty() {
            (0..entries.len()).collect()
        } else {
            let haystacks: Vec<(usize, String)> = entries
                .iter()
                .enumerate()
                .map(|(i, (value, name))| (i, format!("{value} {name}")))
                .collect();
            let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(Config::DEFAULT);
            let exact = |i: usize| entries[i].0.eq_ignore_ascii_case(self.query.trim());
            let mut scored: Vec<(usize, u32)> = haystacks
                .iter()
                .filter_map(|(i, text)| {
                    let mut buf = Vec::new();
                    pattern
                        .score(nucleo_matcher::Utf32Str::new(text, &mut buf), &mut matcher)
                        .map(|score| (*i, score))
                })
                .collect();
            // An exact code ("DE") comes first, then by score, then in list order.
            scored.sort_by_key(|&(i, score)| (!exact(i), std::cmp::Reverse(score), i));
            scored.into_iter().map(|(i, _)| i).collect()
        };
        self.cursor = self.cursor.min(self.matches.len().saturating_sub(1));
    }

    pub fn type_char(&mut self, c: char) {
        self.query.push(c);
        self.cursor = 0;
        self.refilter();
    }

    pub fn backspace(&mut self) {
        self.query.pop();
        self.refilter();
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.matches.is_empty() {
            return;
        }
        let last = self.matches.len() as isize - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, last) as usize;
    }

    /// The value under the cursor.
    pub fn current(&self) -> Option<&'static str> {
        let entries = self.options.entries();
        self.matches.get(self.cursor).map(|&i| entries[i].0)
    }

    /// Multi-select: adds or removes the value under the cursor, keeping the model's order.
    pub fn toggle(&mut self) {
        let Some(value) = self.current() else { return };
        if let Some(at) = self.chosen.iter().position(|v| v == value) {
            self.chosen.remove(at);
        } else {
            self.chosen.push(value.to_owned());
            let order: Vec<&str> = self.options.entries().iter().map(|(v, _)| *v).collect();
            self.chosen
                .sort_by_key(|v| order.iter().position(|o| o == v).unwrap_or(usize::MAX));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(picker: &Picker) -> &'static str {
        picker.current().unwrap()
    }

    #[test]
    fn countries_match_by_code_and_by_name() {
        let mut picker = Picker::open(Options::Countries, false, &[]);
        for c in "germ".chars() {
            picker.type_char(c);
        }
        assert_eq!(first(&picker), "DE");
        let mut picker = Picker::open(Options::Countries, false, &[]);
        picker.type_char('j');
        picker.type_char('p');
        assert_eq!(first(&picker), "JP", "an exact code wins");
    }

    #[test]
    fn currencies_match_by_name() {
        let mut picker = Picker::open(Options::Currencies, false, &[]);
        for c in "yen".chars() {
            picker.type_char(c);
        }
        assert_eq!(first(&picker), "JPY");
        picker.backspace();
        picker.backspace();
        picker.backspace();
        assert_eq!(picker.matches.len(), Options::Currencies.entries().len());
    }

    #[test]
    fn nothing_matches_nonsense_and_the_cursor_stays_in_range() {
        let mut picker = Picker::open(Options::Industries, false, &[]);
        for c in "zzzzqqq".chars() {
            picker.type_char(c);
        }
        assert!(picker.matches.is_empty() && picker.current().is_none());
        picker.move_by(3);
        assert_eq!(picker.cursor, 0);
    }

    #[test]
    fn opens_on_the_current_value_and_toggles_in_model_order() {
        let current = vec!["Software Partner".to_owned()];
        let mut picker = Picker::open(Options::Responsibilities, true, &current);
        assert_eq!(first(&picker), "Software Partner");
        picker.move_by(-10);
        picker.toggle();
        assert_eq!(picker.chosen, ["Distributor", "Software Partner"]);
        picker.toggle();
        assert_eq!(picker.chosen, ["Software Partner"]);
    }
}
