//! `pcinbox watch`: a quiet watcher between inbox sessions. Every interval it refreshes the
//! listing within the quotas (`sync::refresh`) and prints one JSON line per event: `new` (an
//! invitation it had not seen), `status` (a status changed), `expiring` (a PENDING invitation
//! with under 24 hours left, once per invitation). `--exec CMD` runs CMD per event, the event's
//! JSON on its standard input. What it has seen and reported is kept per profile, catalog and
//! view under the data dir (`watch/`), so a restarted watcher reports only what happened
//! since; its first run ever takes the listing as the baseline (no `new` events for what was
//! already there). Ctrl-C and SIGTERM stop it between two steps, exit 0.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::Args;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio::signal::unix::{SignalKind, signal};

use clap::builder::TypedValueParser;

use super::one_of;
use crate::api::client::Client;
use crate::api::model::{EngagementInvitationSummary, InvitationStatus, ParticipantType};
use crate::files;
use crate::sync::refresh::{self, Change};

/// How close to its expiration a PENDING invitation is reported `expiring`.
const EXPIRING_WITHIN: chrono::Duration = chrono::Duration::hours(24);

#[derive(Debug, Args, Clone)]
pub struct WatchArgs {
    /// Seconds between two refreshes (at least 1).
    #[arg(long, default_value_t = 60, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,
    /// Run this shell command per event: the event's JSON on its standard input,
    /// PCINBOX_EVENT and PCINBOX_INVITATION_ID in its environment.
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
    /// Refresh once, print the events and exit (for cron and scripts).
    #[arg(long)]
    pub once: bool,
    /// RECEIVER (invitations to you, the default) or SENDER (invitations you sent: their
    /// answers show as `status` events).
    #[arg(long, default_value = "RECEIVER", ignore_case = true,
          value_parser = one_of(ParticipantType::NAMES).map(|v| ParticipantType::from(v.as_str())))]
    pub participant_type: ParticipantType,
}

/// Where a watcher is and what it remembers.
pub struct Watcher {
    pub client: Client,
    pub catalog: String,
    /// The profile the state file is named after (`local` for `--local`).
    pub profile: String,
    /// The data dir; the state goes under `watch/`.
    pub data_dir: PathBuf,
}

/// One line of output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WatchEvent {
    pub event: &'static str,
    pub id: String,
    pub status: Option<String>,
    pub title: Option<String>,
    pub expires: Option<String>,
}

impl WatchEvent {
    fn of(event: &'static str, summary: &EngagementInvitationSummary) -> WatchEvent {
        WatchEvent {
            event,
            id: summary.id.clone(),
            status: summary.status.as_ref().map(|s| s.as_str().to_owned()),
            title: summary.engagement_title.clone(),
            expires: summary
                .expiration_date
                .map(|t| t.0.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        }
    }
}

/// What a watcher keeps between runs.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    summaries: Vec<Arc<EngagementInvitationSummary>>,
    /// Invitations already reported `expiring`.
    expiring_reported: BTreeSet<String>,
}

/// The events of one refresh, and what the state becomes. Pure: `now` decides `expiring`.
fn events_of(
    state: &mut State,
    summaries: Vec<Arc<EngagementInvitationSummary>>,
    changes: &[Change],
    now: DateTime<Utc>,
) -> Vec<WatchEvent> {
    let mut events: Vec<WatchEvent> = changes
        .iter()
        .map(|change| match change {
            Change::New(summary) => WatchEvent::of("new", summary),
            Change::Status { now, .. } => WatchEvent::of("status", now),
        })
        .collect();
    let mut still_pending = BTreeSet::new();
    for summary in &summaries {
        if summary.status != Some(InvitationStatus::Pending) {
            continue;
        }
        still_pending.insert(summary.id.clone());
        let expiring = summary
            .expiration_date
            .is_some_and(|t| t.0 > now && t.0 - now < EXPIRING_WITHIN);
        if expiring && state.expiring_reported.insert(summary.id.clone()) {
            events.push(WatchEvent::of("expiring", summary));
        }
    }
    // Answered or expired ones need no memory: they cannot be expiring again.
    state
        .expiring_reported
        .retain(|id| still_pending.contains(id));
    state.summaries = summaries;
    events
}

fn state_path(watcher: &Watcher, view: &ParticipantType) -> PathBuf {
    let safe = files::name_part;
    watcher.data_dir.join("watch").join(format!(
        "{}-{}-{}.json",
        safe(&watcher.profile),
        safe(&watcher.catalog),
        view.as_str().to_lowercase()
    ))
}

fn load(path: &Path) -> anyhow::Result<Option<State>> {
    let (state, problem) = files::read_json(path)?;
    if let Some(problem) = problem {
        eprintln!("pcinbox: {problem}");
    }
    Ok(state)
}

/// Runs the watcher until a signal (or after one refresh with `--once`). A failed refresh is
/// reported on stderr and tried again at the next interval; the exit code is 0 unless
/// `--once` failed.
pub async fn run(args: WatchArgs, watcher: Watcher) -> anyhow::Result<bool> {
    let mut terminate = signal(SignalKind::terminate())?;
    let path = state_path(&watcher, &args.participant_type);
    let mut state = load(&path)?;
    let mut stdout = std::io::stdout();
    loop {
        let step = step(&args, &watcher, state.take(), &mut stdout);
        let outcome = tokio::select! {
            outcome = step => outcome,
            _ = terminate.recv() => return Ok(true),
            _ = tokio::signal::ctrl_c() => return Ok(true),
        };
        let succeeded = match outcome {
            Ok(new_state) => {
                files::write_private(&path, &serde_json::to_vec(&new_state)?)?;
                state = Some(new_state);
                true
            }
            Err(error) => {
                eprintln!("pcinbox watch: {error:#}");
                state = load(&path)?;
                false
            }
        };
        if args.once {
            return Ok(succeeded);
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(args.interval)) => {}
            _ = terminate.recv() => return Ok(true),
            _ = tokio::signal::ctrl_c() => return Ok(true),
        }
    }
}

/// One refresh: the events printed (and run), the state to keep.
async fn step(
    args: &WatchArgs,
    watcher: &Watcher,
    state: Option<State>,
    out: &mut impl Write,
) -> anyhow::Result<State> {
    let view = args.participant_type.clone();
    let (mut state, summaries, changes) = match state {
        Some(state) => {
            let refreshed =
                refresh::refresh(&watcher.client, &watcher.catalog, view, &state.summaries).await?;
            (state, refreshed.summaries, refreshed.changes)
        }
        None => {
            let all = refresh::full(&watcher.client, &watcher.catalog, view).await?;
            let all = all.into_iter().map(Arc::new).collect();
            (State::default(), all, Vec::new())
        }
    };
    for event in events_of(&mut state, summaries, &changes, Utc::now()) {
        let line = serde_json::to_string(&event)?;
        match writeln!(out, "{line}").and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        }
        if let Some(command) = &args.exec {
            exec(command, &event, &line).await;
        }
    }
    Ok(state)
}

/// Runs `command` for one event and waits for it, so handlers see events in order; its
/// failure is reported, not fatal.
async fn exec(command: &str, event: &WatchEvent, line: &str) {
    let child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("PCINBOX_EVENT", event.event)
        .env("PCINBOX_INVITATION_ID", &event.id)
        .stdin(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            eprintln!("pcinbox watch: cannot run --exec command: {e}");
            return;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input is fine.
        let _ = stdin.write_all(format!("{line}\n").as_bytes()).await;
    }
    match child.wait().await {
        Ok(status) if status.success() => {}
        Ok(status) => eprintln!(
            "pcinbox watch: --exec command {status} for {} {}",
            event.event, event.id
        ),
        Err(e) => eprintln!("pcinbox watch: --exec command: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Timestamp;

    fn pending(id: &str, expires: DateTime<Utc>) -> Arc<EngagementInvitationSummary> {
        Arc::new(EngagementInvitationSummary {
            id: id.into(),
            status: Some(InvitationStatus::Pending),
            expiration_date: Some(Timestamp(expires)),
            ..EngagementInvitationSummary::default()
        })
    }

    #[test]
    fn expiring_is_reported_once_and_forgotten_once_answered() {
        let now = Utc::now();
        let soon = pending("soon", now + chrono::Duration::hours(3));
        let later = pending("later", now + chrono::Duration::hours(30));
        let mut state = State::default();
        let first = events_of(&mut state, vec![soon.clone(), later.clone()], &[], now);
        assert_eq!(first, vec![WatchEvent::of("expiring", &soon)]);
        let again = events_of(&mut state, vec![soon.clone(), later.clone()], &[], now);
        assert_eq!(again, Vec::new(), "once per invitation");
        let accepted = Arc::new(EngagementInvitationSummary {
            status: Some(InvitationStatus::Accepted),
            ..(*soon).clone()
        });
        events_of(&mut state, vec![accepted, later], &[], now);
        assert!(state.expiring_reported.is_empty());
    }
}
