//! The composer's file work, off the UI thread and in order: loading, saving and removing the
//! unsent draft, setting it aside for an imported document, and exporting `--cli-input-json`
//! files.
//!
//! One task runs the operations one after another (each on a blocking thread), so a save queued
//! before a removal can never land after it and bring a sent draft back. Dropping the sender lets
//! the task finish what is queued; `tui::run` awaits that on the way out, so the last save
//! reaches the disk.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use super::draft::Draft;
use super::store::DraftStore;
use crate::files;
use crate::tui::event::Event;

/// One file operation.
#[derive(Clone, Debug, PartialEq)]
pub enum DiskOp {
    /// Read the unsent draft; answered with [`Event::DraftLoaded`].
    Load,
    Save(Box<Draft>),
    /// The draft was sent or discarded.
    Remove,
    /// Make room for an imported document; answered with [`Event::DraftSetAside`] if a draft
    /// was there.
    SetAside,
    /// Write a `--cli-input-json` document; answered with [`Event::Exported`].
    Export {
        path: PathBuf,
        document: Value,
    },
    /// Write `bytes` to a new file at `path` or beside it (the inbox's CSV export); answered
    /// with [`Event::Exported`].
    WriteNew {
        path: PathBuf,
        bytes: Vec<u8>,
    },
}

/// Where Ctrl-E writes the draft: `invitation-<engagement id>.json` in `dir`, or
/// `invitation-<ClientToken>.json` while the engagement id is empty or not a plain id (an ARN
/// has `/` and `:`).
pub fn export_path(dir: &Path, draft: &Draft) -> PathBuf {
    let id = &draft.engagement_identifier;
    let plain = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let name = if plain { id } else { &draft.client_token };
    dir.join(format!("invitation-{name}.json"))
}

/// Starts the task; `store` `None` keeps drafts in memory only (nothing to load, save or remove).
pub fn spawn(
    store: Option<DraftStore>,
    results: UnboundedSender<Event>,
) -> (UnboundedSender<DiskOp>, JoinHandle<()>) {
    let (ops, mut receiver) = unbounded_channel::<DiskOp>();
    let task = tokio::spawn(async move {
        while let Some(op) = receiver.recv().await {
            let store = store.clone();
            let answer = tokio::task::spawn_blocking(move || run(store.as_ref(), op)).await;
            match answer {
                Ok(Some(action)) => {
                    let _ = results.send(action);
                }
                Ok(None) => {}
                Err(e) => {
                    let _ = results.send(Event::DraftFileFailed(format!("draft file task: {e}")));
                }
            }
        }
    });
    (ops, task)
}

/// Runs one operation, returning what to tell the app.
fn run(store: Option<&DraftStore>, op: DiskOp) -> Option<Event> {
    match op {
        DiskOp::Load => Some(match store.map(DraftStore::load) {
            None => Event::DraftLoaded {
                result: Ok(None),
                warning: None,
            },
            Some(Ok((draft, warning))) => Event::DraftLoaded {
                result: Ok(draft.map(Box::new)),
                warning,
            },
            Some(Err(e)) => Event::DraftLoaded {
                result: Err(format!("cannot read the saved draft: {e}")),
                warning: None,
            },
        }),
        DiskOp::Save(draft) => {
            let error = store?.save(&draft).err()?;
            tracing::warn!("could not save the draft: {error}");
            Some(Event::DraftFileFailed(format!(
                "Could not save the draft: {error}"
            )))
        }
        DiskOp::Remove => {
            let error = store?.remove().err()?;
            Some(Event::DraftFileFailed(format!(
                "Could not remove the sent draft: {error}"
            )))
        }
        DiskOp::SetAside => match store?.set_aside() {
            Ok(moved) => moved.map(Event::DraftSetAside),
            Err(e) => Some(Event::DraftFileFailed(format!(
                "Could not move the earlier draft aside: {e}"
            ))),
        },
        DiskOp::Export { path, document } => {
            // An earlier export (perhaps with another ClientToken) is never replaced.
            let written = serde_json::to_vec_pretty(&document)
                .map_err(std::io::Error::other)
                .and_then(|mut bytes| {
                    bytes.push(b'\n');
                    files::write_private_new(&path, &bytes)
                });
            Some(exported(path, written))
        }
        DiskOp::WriteNew { path, bytes } => {
            let written = files::write_private_new(&path, &bytes);
            Some(exported(path, written))
        }
    }
}

/// Tells the app which file an export wrote (not always the name asked for), or why it failed.
fn exported(path: PathBuf, written: std::io::Result<PathBuf>) -> Event {
    match written {
        Ok(path) => Event::Exported {
            path,
            result: Ok(()),
        },
        Err(e) => Event::Exported {
            path,
            result: Err(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use tokio::sync::mpsc::UnboundedReceiver;

    use super::super::draft::PayloadKind;
    use super::*;

    async fn next(results: &mut UnboundedReceiver<Event>) -> Event {
        tokio::time::timeout(std::time::Duration::from_secs(30), results.recv())
            .await
            .expect("the disk task answers")
            .expect("the disk task runs")
    }

    fn typed_draft() -> Draft {
        let mut draft = Draft::new("Sandbox");
        draft.kind = PayloadKind::Lead;
        draft.engagement_identifier = "eng-abcdefghij0123".into();
        draft.message = "Grüße aus München 🚀\nzweite Zeile, halb getipp".into();
        draft.lead.company_name = "株式会社サクラ".into();
        draft.opportunity.company_name = "São Paulo Saúde".into();
        draft
    }

    #[tokio::test]
    async fn a_draft_survives_a_crash_and_a_torn_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, mut results) = unbounded_channel();
        let (ops, task) = spawn(Some(DraftStore::in_dir(dir.path())), tx);
        let mut draft = typed_draft();
        ops.send(DiskOp::Save(Box::new(Draft::new("Sandbox"))))
            .unwrap();
        ops.send(DiskOp::Save(Box::new(draft.clone()))).unwrap();
        // A load answers after every earlier operation ran: the order is kept.
        ops.send(DiskOp::Load).unwrap();
        let Event::DraftLoaded {
            result: Ok(Some(loaded)),
            warning: None,
        } = next(&mut results).await
        else {
            panic!("no draft loaded")
        };
        assert_eq!(*loaded, draft);
        // The crash: nothing closes the composer or saves on the way out.
        task.abort();
        drop(ops);
        // A write torn by `kill -9` leaves at most a temp file next to the draft.
        let drafts = dir.path().join("drafts");
        std::fs::write(
            drafts.join(".invitation.json.Xk29fQ"),
            b"{\"client_token\": \"torn\", \"mess",
        )
        .unwrap();
        let store = DraftStore::in_dir(dir.path());
        assert_eq!(store.load().unwrap(), (Some(draft.clone()), None));
        // And the next save replaces the draft as usual.
        draft.message.push('t');
        store.save(&draft).unwrap();
        assert_eq!(store.load().unwrap(), (Some(draft), None));
    }

    #[tokio::test]
    async fn removal_after_saves_is_final_and_export_writes_the_document() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, mut results) = unbounded_channel();
        let (ops, _task) = spawn(Some(DraftStore::in_dir(dir.path())), tx);
        let draft = typed_draft();
        ops.send(DiskOp::Save(Box::new(draft.clone()))).unwrap();
        ops.send(DiskOp::Remove).unwrap();
        let path = export_path(dir.path(), &draft);
        assert_eq!(path, dir.path().join("invitation-eng-abcdefghij0123.json"));
        ops.send(DiskOp::Export {
            path: path.clone(),
            document: draft.to_document(),
        })
        .unwrap();
        assert_eq!(
            next(&mut results).await,
            Event::Exported {
                path: path.clone(),
                result: Ok(())
            }
        );
        assert_eq!(
            DraftStore::in_dir(dir.path()).load().unwrap(),
            (None, None),
            "the save queued before the removal did not bring the draft back"
        );
        let (_, exported) =
            crate::cli::read_document(path.to_str().unwrap(), &mut std::io::empty()).unwrap();
        assert_eq!(exported, draft.to_document());
        // A Lead draft exports the lead only; the rest comes back as typed.
        let lead_only = Draft {
            opportunity: Default::default(),
            ..draft.clone()
        };
        assert_eq!(Draft::from_document(&exported), lead_only);

        // Exporting again (another token, say) keeps the first file and says which is new.
        let mut again = draft;
        again.client_token = "another-token".into();
        for n in [2, 3] {
            ops.send(DiskOp::Export {
                path: path.clone(),
                document: again.to_document(),
            })
            .unwrap();
            let numbered = dir
                .path()
                .join(format!("invitation-eng-abcdefghij0123-{n}.json"));
            assert_eq!(
                next(&mut results).await,
                Event::Exported {
                    path: numbered.clone(),
                    result: Ok(())
                }
            );
            let (_, written) =
                crate::cli::read_document(numbered.to_str().unwrap(), &mut std::io::empty())
                    .unwrap();
            assert_eq!(written, again.to_document());
        }
        let (_, first) =
            crate::cli::read_document(path.to_str().unwrap(), &mut std::io::empty()).unwrap();
        assert_eq!(first, exported, "the first export is untouched");
    }

    #[test]
    fn exports_are_named_after_a_plain_engagement_id_else_the_token() {
        let mut draft = Draft::new("Sandbox");
        let dir = Path::new("/out");
        assert_eq!(
            export_path(dir, &draft),
            dir.join(format!("invitation-{}.json", draft.client_token))
        );
        draft.engagement_identifier =
            "arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/eng-x".into();
        assert_eq!(
            export_path(dir, &draft),
            dir.join(format!("invitation-{}.json", draft.client_token))
        );
    }
}
