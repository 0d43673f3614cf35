//! Measuring-only hooks for `benches/run.sh`, read from the environment once at start; with none
//! of these variables set the inbox behaves exactly as without this module.
//!
//! - `PCINBOX_EXIT_AFTER_FIRST_FRAME=1`: quit right after the first frame that shows invitations
//!   (with a cached listing, the cached rows), so start-to-first-frame can be timed from outside.
//! - `PCINBOX_EXIT_AFTER_LISTING=1`: quit right after the first frame drawn once a listing has
//!   completed (warms the cache; peak memory of a full load).
//! - `PCINBOX_FRAME_LOG=FILE`: one line per frame, `<ms since start> <busy ms> <rows> <loading>`,
//!   where busy is the time from the loop waking up to the frame being on the terminal (how long
//!   keys would have waited).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use anyhow::Context;

use super::app::{App, LoadState};

const EXIT_AFTER_FIRST_FRAME: &str = "PCINBOX_EXIT_AFTER_FIRST_FRAME";
const EXIT_AFTER_LISTING: &str = "PCINBOX_EXIT_AFTER_LISTING";
const FRAME_LOG: &str = "PCINBOX_FRAME_LOG";

/// When a measuring run quits by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ExitAfter {
    FirstFrame,
    Listing,
}

/// The hooks one run asked for.
pub struct Measure {
    exit_after: Option<ExitAfter>,
    frame_log: Option<BufWriter<File>>,
    started: Instant,
}

impl Measure {
    /// The hooks the environment turns on.
    pub fn from_env() -> anyhow::Result<Measure> {
        let on = |name: &str| std::env::var_os(name).is_some_and(|v| v == "1");
        let exit_after = if on(EXIT_AFTER_FIRST_FRAME) {
            Some(ExitAfter::FirstFrame)
        } else if on(EXIT_AFTER_LISTING) {
            Some(ExitAfter::Listing)
        } else {
            None
        };
        let frame_log = match std::env::var_os(FRAME_LOG) {
            Some(path) if !path.is_empty() => {
                Some(BufWriter::new(File::create(&path).with_context(|| {
                    format!("{FRAME_LOG}: cannot create {}", path.display())
                })?))
            }
            _ => None,
        };
        Ok(Measure {
            exit_after,
            frame_log,
            started: Instant::now(),
        })
    }

    /// Records a frame drawn after the loop woke up at `woke`; true when the run should quit.
    pub fn frame_drawn(&mut self, app: &App, woke: Instant) -> std::io::Result<bool> {
        let loading = matches!(app.list.load, LoadState::Loading { .. });
        if let Some(log) = &mut self.frame_log {
            let now = Instant::now();
            writeln!(
                log,
                "{:.3} {:.3} {} {}",
                (now - self.started).as_secs_f64() * 1e3,
                (now - woke).as_secs_f64() * 1e3,
                app.list.listing.rows().len(),
                u8::from(loading)
            )?;
        }
        let shows_rows = !app.list.listing.is_empty();
        let quit = match self.exit_after {
            Some(ExitAfter::FirstFrame) => shows_rows,
            Some(ExitAfter::Listing) => shows_rows && app.list.load == LoadState::Idle,
            None => false,
        };
        Ok(quit)
    }
}
