//! The JSON store of pcinbox 0.1 (`emulator.json`, one document rewritten on every change),
//! imported once into a new SQLite store with everything in it: invitations with their
//! statuses, engagements with their members, and ClientTokens.

use std::path::{Path, PathBuf};

use anyhow::Context;
use rusqlite::Transaction;
use serde::Deserialize;

use super::store::{self, Engagement, IdempotencyRecord, StoredInvitation};
use crate::api::model::Timestamp;

/// The only layout pcinbox 0.1 wrote.
const FILE_FORMAT: u32 = 1;

/// The JSON store's document.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JsonStore {
    format: u32,
    first_start: Timestamp,
    invitations: Vec<StoredInvitation>,
    engagements: Vec<Engagement>,
    #[serde(default)]
    client_tokens: Vec<IdempotencyRecord>,
}

/// What an import brought in, for the banner and the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub from: PathBuf,
    pub invitations: usize,
    pub engagements: usize,
    pub client_tokens: usize,
}

impl JsonStore {
    /// Reads `path` if it is a JSON store of pcinbox 0.1; `None` if it is not one (missing, or
    /// anything else).
    pub fn read(path: &Path) -> anyhow::Result<Option<JsonStore>> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(
                    anyhow::Error::new(e).context(format!("cannot read {}", path.display()))
                );
            }
        };
        Ok(serde_json::from_slice::<JsonStore>(&bytes)
            .ok()
            .filter(|store| store.format == FILE_FORMAT))
    }

    /// When the JSON store first started (so the demo's relative dates stay where they were).
    pub fn first_start(&self) -> Timestamp {
        self.first_start
    }

    /// Writes everything into a new store's transaction.
    pub fn import(self, t: &Transaction<'_>, from: &Path) -> anyhow::Result<Imported> {
        let counted = Imported {
            from: from.to_owned(),
            invitations: self.invitations.len(),
            engagements: self.engagements.len(),
            client_tokens: self.client_tokens.len(),
        };
        for engagement in &self.engagements {
            store::insert_engagement(t, engagement)?;
        }
        for stored in &self.invitations {
            store::insert_invitation(t, stored, self.first_start)?;
        }
        for record in &self.client_tokens {
            store::insert_client_token(t, record)?;
        }
        Ok(counted)
    }
}

/// Renames an imported JSON store to `NAME.imported-<UTC time>`, so it is imported once and
/// kept.
pub fn rename_imported(path: &Path) -> anyhow::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".imported-{stamp}"));
    let renamed = path.with_file_name(name);
    std::fs::rename(path, &renamed).with_context(|| {
        format!(
            "cannot rename the imported store {} to {}",
            path.display(),
            renamed.display()
        )
    })?;
    Ok(renamed)
}
