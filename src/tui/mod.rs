//! The inbox TUI: `pcinbox` with no subcommand, and `pcinbox compose`.
//!
//! This file owns the terminal's lifecycle and the event loop; the state and its rules are in
//! `app`, drawing in `draw` and the panes, network and cache work in `worker`, and the composer's
//! draft and export files in `composer::disk`. The loop
//! `select!`s over terminal events, worker results, a clock tick and termination signals,
//! applies each as an [`event::Event`] and redraws (inside a synchronized update) only when
//! the state changed. The terminal is restored on every way out: quit, error, panic
//! (ratatui's panic hook restores before printing), SIGTERM, SIGHUP and Ctrl-C; after every way
//! but a panic, the composer's unsaved changes are written before pcinbox exits. `measure` adds
//! the measuring-only hooks `benches/run.sh` uses (quit after the first frame, frame times).
//!
//! Test hook: with `PCINBOX_TEST_PANIC=1` in the environment the loop panics right after the
//! first frame, so tests/reliability_terminal.rs can check the panic path on a real terminal
//! (nothing else in the inbox panics on purpose).

pub mod app;
mod bulk;
mod cache;
mod clipboard;
pub mod command;
pub mod composer;
pub(crate) mod detail;
mod detail_task;
pub mod details;
pub mod dialog;
pub mod draw;
pub mod engagement;
pub mod event;
mod export;
mod filter_picker;
mod footer;
mod header;
mod help;
mod inbox;
mod inbox_input;
pub mod keymap;
pub mod keys;
pub mod layout;
mod line_input;
pub mod list;
pub mod listing;
mod measure;
pub mod message;
mod popup;
mod scroll;
mod task_events;
pub mod tasks;
mod tasks_view;
pub mod theme;
pub mod views;
pub mod worker;
mod wrap;

#[cfg(test)]
mod first_use_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod quit_tests;
#[cfg(test)]
mod snapshots;
#[cfg(test)]
mod tasks_tests;
#[cfg(test)]
mod views_tests;

pub use cache::CacheKey;
pub use composer::session::ComposeStart;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event as TerminalEvent, EventStream, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use self::app::{App, Effect, update};
use self::composer::disk::{self, DiskOp};
use self::composer::store::DraftStore;
use self::event::Event;
pub use self::keymap::KeyMap;
use self::measure::Measure;
use self::worker::Request;
use crate::api::client::Client;
use crate::api::model::CATALOG_SANDBOX;

/// Set to `1`, makes the inbox panic after its first frame (the terminal-restore test).
const TEST_PANIC_ENV: &str = "PCINBOX_TEST_PANIC";

/// How often the clock ticks (expiry countdowns, message timeouts, `--refresh`).
const TICK: Duration = Duration::from_secs(1);
/// How long quitting waits for the worker to finish writing the cache (its network calls are
/// aborted, not waited for).
const WORKER_STOP: Duration = Duration::from_secs(5);

/// How the inbox starts.
#[derive(Clone, Debug, PartialEq)]
pub struct TuiOptions {
    /// `Sandbox` (default) or `AWS`.
    pub catalog: String,
    /// Shown in the header and part of the cache key: the AWS profile, or `local` for `--local`.
    pub profile: String,
    /// `--read-only`: accept, reject and compose are hidden and refused.
    pub read_only: bool,
    /// `--mouse`: capture the mouse (wheel scrolls); off keeps native text selection.
    pub mouse: bool,
    /// `--refresh SECS`: re-list in the background this often and mark new invitations.
    pub refresh: Option<Duration>,
    /// With `refresh`: ring the terminal bell when new invitations arrive (config `bell`).
    pub bell: bool,
    /// Where the last listings are cached; `None` turns the cache off.
    pub cache_dir: Option<PathBuf>,
    /// The data dir, where the unsent draft is kept (`drafts/`); `None` keeps it in memory only.
    pub data_dir: Option<PathBuf>,
    /// Where Ctrl-E exports `--cli-input-json` files (the current directory by default).
    pub export_dir: PathBuf,
    /// `pcinbox compose`: open the composer at start.
    pub compose: Option<ComposeStart>,
    /// `--local`: the catalogs are the embedded emulator's (dialogs say so).
    pub local: bool,
    /// The keys in force (the defaults merged with the config file's `[keys]`).
    pub keymap: Arc<KeyMap>,
    /// The views keys `1`…`9` pick (the config file's `[[views]]`, or the defaults); the inbox
    /// starts on the first.
    pub views: Arc<views::Views>,
}

impl Default for TuiOptions {
    fn default() -> Self {
        TuiOptions {
            catalog: CATALOG_SANDBOX.to_owned(),
            profile: "default".to_owned(),
            read_only: false,
            mouse: false,
            refresh: None,
            bell: true,
            cache_dir: None,
            data_dir: None,
            export_dir: PathBuf::from("."),
            compose: None,
            local: false,
            keymap: Arc::new(KeyMap::default()),
            views: Arc::new(views::Views::default()),
        }
    }
}

/// Runs the inbox until the user quits or a termination signal arrives.
pub async fn run(options: TuiOptions, client: Client) -> anyhow::Result<()> {
    let (results, mut actions) = unbounded_channel();
    let retries = results.clone();
    let client = client.with_retry_observer(move |notice| {
        // The UI may be gone while a call is still retrying; nothing to tell then.
        let _ = retries.send(Event::Retrying(notice));
    });
    let worker = worker::start(client, options.cache_dir.clone(), results.clone());
    let store = options.data_dir.as_deref().map(DraftStore::in_dir);
    let (disk, disk_task) = disk::spawn(store, results);
    let mut app = App::new(&options, Utc::now());
    let measure = Measure::from_env()?;
    // Signal handlers first: if they cannot be installed the terminal is still untouched.
    let signals = Signals::new()?;
    let mut terminal = ratatui::init();
    // ratatui's panic hook restores raw mode and the screen; this one also turns off what
    // pcinbox turned on, so the shell after a panic gets neither paste markers nor mouse codes.
    let restore_screen = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(
            std::io::stdout(),
            DisableBracketedPaste,
            DisableMouseCapture
        );
        restore_screen(info);
    }));
    crossterm::execute!(std::io::stdout(), EnableBracketedPaste)?;
    if options.mouse {
        crossterm::execute!(std::io::stdout(), EnableMouseCapture)?;
    }
    let channels = Channels {
        requests: &worker.requests,
        disk: &disk,
    };
    let result = event_loop(
        &mut terminal,
        &mut app,
        channels,
        &mut actions,
        signals,
        measure,
    )
    .await;
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    if options.mouse {
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
    // However the loop ended, the draft's last changes reach the disk before pcinbox exits.
    for effect in app.finish() {
        if let Effect::Disk(op) = effect {
            let _ = disk.send(op);
        }
    }
    drop(disk);
    drop(actions);
    stop_background(worker, disk_task).await;
    result
}

/// Quitting: the draft's last save completes, the worker's network calls are aborted (a slow
/// server must not hold the quit) and its cache writes finish.
async fn stop_background(worker: worker::Worker, disk_task: tokio::task::JoinHandle<()>) {
    if tokio::time::timeout(FLUSH_WAIT, disk_task).await.is_err() {
        eprintln!("pcinbox: the draft could not be saved in time");
    }
    let _ = tokio::time::timeout(WORKER_STOP, worker.stop()).await;
}

/// How long quitting waits for the last draft save.
const FLUSH_WAIT: Duration = Duration::from_secs(10);

/// Where effects go: network requests to the worker, file work to the disk task.
#[derive(Clone, Copy)]
struct Channels<'a> {
    requests: &'a UnboundedSender<Request>,
    disk: &'a UnboundedSender<DiskOp>,
}

/// SIGTERM and SIGHUP end the inbox like `q` does, restoring the terminal.
struct Signals {
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> anyhow::Result<Signals> {
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    channels: Channels<'_>,
    actions: &mut UnboundedReceiver<Event>,
    mut signals: Signals,
    mut measure: Measure,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut pending = vec![Event::Resize(size.width, size.height)];
    let mut effects = app.start();
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    loop {
        let woke = Instant::now();
        for action in pending.drain(..) {
            effects.extend(update(app, action));
        }
        for effect in effects.drain(..) {
            match effect {
                Effect::Request(request) => {
                    if channels.requests.send(request).is_err() {
                        anyhow::bail!("the background worker stopped");
                    }
                }
                Effect::Disk(op) => {
                    if channels.disk.send(op).is_err() {
                        anyhow::bail!("the draft file task stopped");
                    }
                }
                Effect::Copy(text) => {
                    let mut out = std::io::stdout();
                    out.write_all(clipboard::osc52(&text).as_bytes())?;
                    out.flush()?;
                }
                Effect::Bell => {
                    let mut out = std::io::stdout();
                    out.write_all(b"\x07")?;
                    out.flush()?;
                }
                Effect::Quit => return Ok(()),
            }
        }
        if app.take_dirty() {
            crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
            terminal.draw(|frame| draw::draw(frame, app))?;
            crossterm::execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
            if std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| v == "1") {
                panic!("{TEST_PANIC_ENV}=1: panicking on purpose after the first frame");
            }
            if measure.frame_drawn(app, woke)? {
                return Ok(());
            }
        }
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => pending.extend(terminal_event(app, event)),
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(()),
            },
            Some(action) = actions.recv() => {
                pending.push(action);
                // Take every result already waiting, so a burst of pages costs one frame.
                while let Ok(action) = actions.try_recv() {
                    pending.push(action);
                }
            }
            _ = tick.tick() => pending.push(Event::Tick(Utc::now())),
            _ = signals.terminate.recv() => return Ok(()),
            _ = signals.hangup.recv() => return Ok(()),
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}

/// The event for one terminal event, if it means anything.
fn terminal_event(app: &App, event: TerminalEvent) -> Option<Event> {
    match event {
        TerminalEvent::Key(key) if key.kind != KeyEventKind::Release => keys::event_for(app, key),
        TerminalEvent::Resize(width, height) => Some(Event::Resize(width, height)),
        TerminalEvent::Paste(text) => Some(Event::Paste(text)),
        TerminalEvent::Mouse(mouse) => {
            let (column, row) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::ScrollDown => Some(Event::Wheel {
                    column,
                    row,
                    down: true,
                }),
                MouseEventKind::ScrollUp => Some(Event::Wheel {
                    column,
                    row,
                    down: false,
                }),
                MouseEventKind::Down(MouseButton::Left) => Some(Event::Click { column, row }),
                _ => None,
            }
        }
        _ => None,
    }
}
