//! Where the unsent draft lives: one JSON file under the data dir, replaced atomically on every
//! autosave, so a crash or `kill -9` loses at most the last second of typing. A sent or
//! discarded draft is removed.

use std::path::{Path, PathBuf};

use super::draft::Draft;
use crate::files;

#[derive(Clone, Debug)]
pub struct DraftStore {
    path: PathBuf,
}

impl DraftStore {
    /// The store under `data_dir` (`drafts/invitation.json`).
    pub fn in_dir(data_dir: &Path) -> DraftStore {
        DraftStore {
            path: data_dir.join("drafts").join("invitation.json"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn save(&self, draft: &Draft) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(draft).map_err(std::io::Error::other)?;
        files::write_private(&self.path, &bytes)
    }

    /// The unsent draft, if any; a file that cannot be read is set aside and reported.
    pub fn load(&self) -> std::io::Result<(Option<Draft>, Option<String>)> {
        files::read_json(&self.path)
    }

    /// Moves the unsent draft, if any, to `drafts/invitation.replaced-<time>.json`, so an
    /// imported document can take its place without losing it; says where.
    pub fn set_aside(&self) -> std::io::Result<Option<PathBuf>> {
        if !self.path.exists() {
            return Ok(None);
        }
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        // Two imports in the same second must not rename the second draft over the first.
        let aside = (0..)
            .map(|n| match n {
                0 => format!("invitation.replaced-{stamp}.json"),
                n => format!("invitation.replaced-{stamp}-{n}.json"),
            })
            .map(|name| self.path.with_file_name(name))
            .find(|candidate| !candidate.exists())
            .expect("an unused name");
        match std::fs::rename(&self.path, &aside) {
            Ok(()) => Ok(Some(aside)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn remove(&self) -> std::io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_draft_comes_back_whole_and_removal_is_final() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::in_dir(dir.path());
        assert_eq!(store.load().unwrap(), (None, None));
        let mut draft = Draft::new("Sandbox");
        draft.message = "Grüße aus München\nZeile zwei".into();
        draft.opportunity.contacts[0].email = "half-typed@".into();
        store.save(&draft).unwrap();
        assert_eq!(store.load().unwrap(), (Some(draft.clone()), None));
        store.remove().unwrap();
        store.remove().unwrap();
        assert_eq!(store.load().unwrap(), (None, None));
    }

    #[test]
    fn drafts_set_aside_in_the_same_second_are_all_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::in_dir(dir.path());
        let mut kept = Vec::new();
        for message in ["first", "second", "third"] {
            let mut draft = Draft::new("Sandbox");
            draft.message = message.into();
            store.save(&draft).unwrap();
            kept.push(store.set_aside().unwrap().expect("moved aside"));
        }
        let messages: Vec<String> = kept
            .iter()
            .map(|path| {
                let draft: Draft = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
                draft.message
            })
            .collect();
        assert_eq!(messages, ["first", "second", "third"]);
        assert_eq!(store.set_aside().unwrap(), None, "nothing left to move");
    }

    #[test]
    fn a_torn_draft_is_set_aside_with_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::in_dir(dir.path());
        std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        std::fs::write(store.path(), b"{\"client_token\": \"abc\", \"mess").unwrap();
        let (draft, warning) = store.load().unwrap();
        assert!(draft.is_none());
        assert!(warning.unwrap().contains("moved to"));
    }
}
