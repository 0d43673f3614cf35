//! Scrolling a pane whose length is known only once it is laid out (the detail, the help, the
//! composer's preview): `update` moves the first line shown, and stops at the last page as the
//! last frame measured it; the draw measures and clamps. No layout work happens per key.

use std::cell::Cell;

use super::command::Command;

/// The first line shown, and what the last frame measured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scroll {
    first: usize,
    /// (lines in all, lines shown) as last drawn; `None` before the first frame.
    measured: Cell<Option<(usize, usize)>>,
}

impl Scroll {
    pub fn first(&self) -> usize {
        self.first
    }

    pub fn reset(&mut self) {
        self.first = 0;
    }

    /// Moves for a moving command; whether it was one.
    pub fn command(&mut self, command: Command) -> bool {
        let (total, shown) = self.measured.get().unwrap_or((usize::MAX, 1));
        let page = shown.max(1);
        let last = total.saturating_sub(shown);
        self.first = match command {
            Command::Up => self.first.saturating_sub(1),
            Command::Down => self.first.saturating_add(1),
            Command::PageUp => self.first.saturating_sub(page),
            Command::PageDown => self.first.saturating_add(page),
            Command::Top => 0,
            Command::Bottom => last,
            _ => return false,
        }
        .min(last);
        true
    }

    /// For the draw: `total` lines, `shown` of them on screen; the first line to show.
    pub fn measure(&self, total: usize, shown: usize) -> usize {
        self.measured.set(Some((total, shown)));
        self.first.min(total.saturating_sub(shown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_stops_at_the_last_page_measured() {
        let mut scroll = Scroll::default();
        assert_eq!(scroll.measure(100, 20), 0);
        scroll.command(Command::Bottom);
        assert_eq!(scroll.first(), 80);
        scroll.command(Command::Down);
        assert_eq!(scroll.first(), 80, "not past the end");
        scroll.command(Command::PageUp);
        assert_eq!(scroll.first(), 60);
        // A narrower frame wraps to more lines: the next draw measures again.
        assert_eq!(scroll.measure(70, 20), 50);
        assert!(!scroll.command(Command::Accept));
    }
}
