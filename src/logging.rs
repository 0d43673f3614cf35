//! Logging to a file, never to the screen: the TUI owns the terminal, and scripts own stdout.
//!
//! `--debug` raises the level to request/response metadata; the client redacts bodies before
//! they are logged, and credentials are never logged at any level.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging to `<dir>/pcinbox.log` (daily files, the directory created user-only).
/// `PCINBOX_LOG` (an `EnvFilter` directive) overrides the level. Keep the guard alive: dropping
/// it flushes the file.
pub fn init(dir: &Path, debug: bool) -> anyhow::Result<WorkerGuard> {
    crate::files::create_private_dir(dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("pcinbox")
        .filename_suffix("log")
        .max_log_files(7)
        .build(dir)?;
    // The default queue holds 128,000 lines, allocated and touched at every start (~2 ms of a
    // scripted call); a few thousand lines are plenty between two writes of the logging thread.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(4096)
        .finish(appender);
    let default = if debug {
        "pcinbox=debug"
    } else {
        "pcinbox=info"
    };
    let filter = EnvFilter::try_from_env("PCINBOX_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))?;
    Ok(guard)
}
