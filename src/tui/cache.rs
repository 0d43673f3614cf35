//! The last listing per profile, catalog and view, kept under the cache dir so the next start
//! shows it at once (marked stale) while a refresh runs. Written atomically and privately: a
//! crash mid-write leaves the previous file.

use std::path::{Path, PathBuf};

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
        let safe = |text: &str| -> String {
            text.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect()
        };
        dir.join("listings").join(format!(
            "{}-{}-{}.json",
            safe(&self.profile),
            safe(&self.catalog),
            safe(self.view.as_str()).to_lowercase()
        ))
    }
}

/// What a cache file holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct CachedListing {
    pub saved_at: DateTime<Utc>,
    pub summaries: Vec<EngagementInvitationSummary>,
}

/// Reads the cached listing for `key`; `Ok(None)` when there is none yet. A file that cannot be
/// read (torn by a crash, say) is set aside with a warning in the log and the listing starts
/// afresh.
pub fn load(dir: &Path, key: &CacheKey) -> anyhow::Result<Option<CachedListing>> {
    let path = key.path(dir);
    let (listing, warning) =
        files::read_json(&path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    if let Some(warning) = warning {
        tracing::warn!("cached listing: {warning}");
    }
    Ok(listing)
}

/// Writes the listing for `key` atomically, private to the user.
pub fn save(dir: &Path, key: &CacheKey, listing: &CachedListing) -> anyhow::Result<()> {
    let bytes = serde_json::to_vec(listing)?;
    files::write_private(&key.path(dir), &bytes)?;
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
        let listing = CachedListing {
            saved_at: *NOW,
            summaries: vec![summary("engi-1", InvitationStatus::Pending, 1)],
        };
        save(dir.path(), &key, &listing).unwrap();
        let back = load(dir.path(), &key).unwrap().unwrap();
        assert_eq!(back.saved_at, *NOW);
        assert_eq!(back.summaries, listing.summaries);
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
    }
}
