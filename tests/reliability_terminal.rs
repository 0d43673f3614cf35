//! The terminal is restored on every way out: the real binary (`pcinbox --local`, its own
//! PCINBOX_HOME) runs the inbox on a pseudo-terminal, and after SIGTERM, SIGHUP, Ctrl-C (a key
//! in raw mode, which quits) and a forced panic (`PCINBOX_TEST_PANIC=1`, see `tui` module doc)
//! its output ends by leaving the alternate screen and showing the cursor, the terminal is back
//! in cooked mode, and the process exits.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use nix::pty::{OpenptyResult, Winsize, openpty};
use nix::sys::signal::{Signal, kill};
use nix::sys::termios::{LocalFlags, tcgetattr};
use nix::unistd::Pid;

/// How long any one step may take before the test fails.
const WAIT: Duration = Duration::from_secs(60);

const ENTER_ALTERNATE: &str = "\u{1b}[?1049h";
const LEAVE_ALTERNATE: &str = "\u{1b}[?1049l";
const HIDE_CURSOR: &str = "\u{1b}[?25l";
const SHOW_CURSOR: &str = "\u{1b}[?25h";

/// The inbox on a pseudo-terminal: the child, the terminal's master side, and its output.
struct Session {
    child: Child,
    master: OwnedFd,
    chunks: Receiver<Vec<u8>>,
    output: Vec<u8>,
    _home: tempfile::TempDir,
}

impl Session {
    fn start(env: &[(&str, &str)]) -> Session {
        let home = tempfile::tempdir().unwrap();
        let size = Winsize {
            ws_row: 30,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let OpenptyResult { master, slave } = openpty(Some(&size), None).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_pcinbox"))
            .arg("--local")
            .env("PCINBOX_HOME", home.path())
            .env("TERM", "xterm-256color")
            .envs(env.iter().copied())
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave))
            .spawn()
            .unwrap();
        // Our copies of the slave side are closed now, so reading ends when the child is gone.
        let (send, chunks) = channel();
        let mut reader = File::from(master.try_clone().unwrap());
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            // EIO once the last slave descriptor closes.
            while let Ok(n @ 1..) = reader.read(&mut buffer) {
                if send.send(buffer[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            master,
            chunks,
            output: Vec::new(),
            _home: home,
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output).into_owned()
    }

    /// Reads output until `condition` holds; `false` if the output ended first.
    fn read_until(&mut self, what: &str, condition: impl Fn(&str) -> bool) -> bool {
        let deadline = Instant::now() + WAIT;
        while !condition(&self.text()) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => self.output.extend(chunk),
                Err(RecvTimeoutError::Disconnected) => return false,
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    panic!(
                        "timed out waiting for {what}; output so far:\n{:?}",
                        self.text()
                    )
                }
            }
        }
        true
    }

    fn wait_for_first_frame(&mut self) {
        let drawn = self.read_until("the inbox's first frame", |text| {
            text.contains(ENTER_ALTERNATE) && text.contains("total")
        });
        assert!(drawn, "the inbox never drew:\n{:?}", self.text());
    }

    fn signal(&self, signal: Signal) {
        kill(Pid::from_raw(self.child.id() as i32), signal).unwrap();
    }

    fn type_keys(&self, keys: &[u8]) {
        let mut writer = File::from(self.master.try_clone().unwrap());
        writer.write_all(keys).unwrap();
    }

    /// Reads to the end of the output and waits for the exit, with a bound.
    fn finish(&mut self) -> ExitStatus {
        self.read_until("the end of the output", |_| false);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the process did not exit");
            std::thread::yield_now();
        }
    }

    /// The output ends with the alternate screen left and the cursor shown, and the terminal
    /// is back in cooked mode (line editing and echo).
    fn assert_restored(&self) {
        let text = self.text();
        let last = |needle: &str| text.rfind(needle);
        assert!(
            last(LEAVE_ALTERNATE) > last(ENTER_ALTERNATE),
            "the alternate screen is left last:\n{text:?}"
        );
        assert!(
            last(SHOW_CURSOR) > last(HIDE_CURSOR),
            "the cursor is shown last:\n{text:?}"
        );
        let modes = tcgetattr(&self.master).unwrap().local_flags;
        assert!(
            modes.contains(LocalFlags::ICANON | LocalFlags::ECHO),
            "raw mode is undone: {modes:?}"
        );
    }
}

fn quits_cleanly_after(stop: impl FnOnce(&Session)) {
    let mut session = Session::start(&[]);
    session.wait_for_first_frame();
    stop(&session);
    let status = session.finish();
    assert!(status.success(), "{status:?}\n{:?}", session.text());
    session.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    quits_cleanly_after(|session| session.signal(Signal::SIGTERM));
}

#[test]
fn sighup_restores_the_terminal() {
    quits_cleanly_after(|session| session.signal(Signal::SIGHUP));
}

#[test]
fn ctrl_c_quits_and_restores_the_terminal() {
    // In raw mode Ctrl-C is a key, not SIGINT; the inbox quits on it.
    quits_cleanly_after(|session| session.type_keys(b"\x03"));
}

#[test]
fn a_panic_restores_the_terminal_before_reporting() {
    let mut session = Session::start(&[("PCINBOX_TEST_PANIC", "1")]);
    session.wait_for_first_frame();
    let status = session.finish();
    assert_eq!(status.code(), Some(101), "a panic exits with 101");
    session.assert_restored();
    let text = session.text();
    let report = text
        .find("panicking on purpose")
        .expect("the panic is reported");
    assert!(
        report > text.rfind(LEAVE_ALTERNATE).unwrap(),
        "the report is printed on the restored screen, not the alternate one"
    );
}

/// Whether `text` sets a foreground or background colour (SGR 30–37, 40–47, 90–97, 100–107,
/// 38;… and 48;…); the resets 39 and 49 are not colours.
fn sets_a_colour(text: &str) -> bool {
    let sgr = regex::Regex::new(r"\x1b\[([0-9;]*)m").unwrap();
    sgr.captures_iter(text).any(|found| {
        found[1].split(';').any(|code| {
            matches!(
                code.parse::<u16>(),
                Ok(30..=37 | 40..=47 | 90..=97 | 100..=107 | 38 | 48)
            )
        })
    })
}

#[test]
fn no_color_emits_no_colour_but_still_marks_the_selection() {
    let mut coloured = Session::start(&[]);
    coloured.wait_for_first_frame();
    assert!(sets_a_colour(&coloured.text()), "colours by default");
    coloured.type_keys(b"q");
    coloured.finish();

    let mut plain = Session::start(&[("NO_COLOR", "1")]);
    // The rows' dates (`2h ago`): the header says PENDING before any row is listed.
    plain.read_until("the listed rows", |text| text.contains(" ago"));
    let text = plain.text();
    assert!(!sets_a_colour(&text), "no colour with NO_COLOR: {text:?}");
    // Reverse video (SGR 7) marks the selected row instead.
    assert!(
        text.contains("\u{1b}[7m") || text.contains(";7m"),
        "{text:?}"
    );
    plain.type_keys(b"q");
    let status = plain.finish();
    assert!(status.success());
}
