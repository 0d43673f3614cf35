//! The last listing per profile, catalog and view, kept under the cache dir so the next start
//! shows it at once (marked stale) while a refresh runs. Written atomically and privately: a
//! crash mid-write leaves the previous file. A file is JSON lines, a header (`saved_at`) and
//! then one summary per line, so loading 100,000 holds one line of text at a time, never the
//! whole file. A file that cannot be read is set aside and the listing starts afresh.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::model::{EngagementInvitationSummary, ParticipantType};
use crate::files;

/// Which listing a cache file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheKey {
    pub profile: String,
    pub catalog: String,
    pub view: ParticipantType,
}

impl CacheKey {
    /// `listings/<profile>-<catalog>-<view>.json`, with anything unusual in the profile name
    /// replaced so it stays one file name.
    fn path(&self, dir: &Path) -> PathBuf {
        let safe = files::name_part;
        dir.join("listings").join(format!(
            "{}-{}-{}.json",
            safe(&self.profile),
            safe(&self.catalog),
            safe(self.view.as_str()).to_lowercase()
        ))
    }
}

/// A cached listing.
#[derive(Debug)]
pub struct CachedListing {
    pub saved_at: DateTime<Utc>,
    pub summaries: Vec<Arc<EngagementInvitationSummary>>,
}

/// The first line of a cache file. Unknown fields are refused, so a file in another format is
/// reported and ignored rather than read as an empty listing.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    saved_at: DateTime<Utc>,
}

/// Reads the cached listing for `key`; `Ok(None)` when there is none yet. A file that cannot be
/// read (torn by a crash, say) is set aside with a warning in the log and the listing starts
/// afresh.
pub fn load(dir: &Path, key: &CacheKey) -> anyhow::Result<Option<CachedListing>> {
    let path = key.path(dir);
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(anyhow::anyhow!("reading {}: {e}", path.display())),
    };
    match read_listing(file) {
        Ok(listing) => Ok(Some(listing)),
        Err(error) => {
            let aside = files::set_aside(&path)
                .map_err(|e| anyhow::anyhow!("setting aside {}: {e}", path.display()))?;
            tracing::warn!(
                "cached listing: {} is not a cached listing ({error}); it was moved to {}",
                path.display(),
                aside.display()
            );
            Ok(None)
        }
    }
}

/// Parses a cache file: the header line, then one summary per line.
fn read_listing(file: File) -> Result<CachedListing, String> {
    let mut lines = BufReader::new(file).lines();
    let header = lines.next().unwrap_or_else(|| Ok(String::new()));
    let header: Header =
        serde_json::from_str(&header.map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let mut summaries = Vec::new();
    for line in lines {
        let line = line.map_err(|e| e.to_string())?;
        summaries.push(Arc::new(
            serde_json::from_str(&line).map_err(|e| e.to_string())?,
        ));
    }
    Ok(CachedListing {
        saved_at: header.saved_at,
        summaries,
    })
}

/// Writes the listing for `key` atomically, private to the user; `summaries` are those the
/// rows on screen share.
pub fn save(
    dir: &Path,
    key: &CacheKey,
    saved_at: DateTime<Utc>,
    summaries: &[Arc<EngagementInvitationSummary>],
) -> anyhow::Result<()> {
    files::write_private_with(&key.path(dir), |out| {
        serde_json::to_writer(&mut *out, &Header { saved_at })?;
        for summary in summaries {
            out.write_all(b"\n")?;
            serde_json::to_writer(&mut *out, &**summary)?;
        }
        out.write_all(b"\n")
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::InvitationStatus;
    use crate::tui::fixtures::{NOW, summary};

    #[test]
    fn saves_and_loads_per_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = CacheKey {
            profile: "team/prod".into(),
            catalog: "AWS".into(),
            view: ParticipantType::Receiver,
        };
        let other = CacheKey {
            catalog: "Sandbox".into(),
            ..key.clone()
        };
        assert!(load(dir.path(), &key).unwrap().is_none());
        let shared = vec![Arc::new(summary("engi-1", InvitationStatus::Pending, 1))];
        save(dir.path(), &key, *NOW, &shared).unwrap();
        let back = load(dir.path(), &key).unwrap().unwrap();
        assert_eq!(back.saved_at, *NOW);
        assert_eq!(back.summaries, shared);
        assert!(load(dir.path(), &other).unwrap().is_none());
        assert!(
            key.path(dir.path())
                .ends_with("listings/team-prod-AWS-receiver.json")
        );
    }

    #[test]
    fn a_corrupt_file_is_set_aside_and_the_listing_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let key = CacheKey {
            profile: "p".into(),
            catalog: "Sandbox".into(),
            view: ParticipantType::Sender,
        };
        std::fs::create_dir_all(dir.path().join("listings")).unwrap();
        std::fs::write(key.path(dir.path()), b"{not json").unwrap();
        assert!(load(dir.path(), &key).unwrap().is_none());
        let names: Vec<String> = std::fs::read_dir(dir.path().join("listings"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(
            names[0].starts_with("p-Sandbox-sender.json.corrupt-"),
            "{names:?}"
        );
        // The earlier format, one JSON object, is set aside too rather than read as empty.
        std::fs::write(
            key.path(dir.path()),
            br#"{"saved_at":"2025-06-15T09:30:00Z","summaries":[]}"#,
        )
        .unwrap();
        assert!(load(dir.path(), &key).unwrap().is_none());
        assert!(!key.path(dir.path()).exists(), "set aside");
    }
}
