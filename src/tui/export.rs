//! `E`: the invitations the list shows (its view, status filter, search and order) written as
//! CSV, the same columns as `pcinbox list --output csv` ([`crate::invitation_csv`]), to a new
//! file in the working directory. The document is built here from the rows on screen; the disk
//! task writes it ([`DiskOp::WriteNew`]: never over an existing file) and the footer names it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::app::{App, Effect};
use super::composer::disk::DiskOp;
use crate::api::model::ParticipantType;
use crate::invitation_csv;

/// `invitations-<catalog>-<received|sent>-<UTC time>.csv` in `dir`.
pub fn csv_path(dir: &Path, catalog: &str, view: &ParticipantType, now: DateTime<Utc>) -> PathBuf {
    let view = match view {
        ParticipantType::Sender => "sent",
        _ => "received",
    };
    dir.join(format!(
        "invitations-{}-{view}-{}.csv",
        catalog.to_lowercase(),
        now.format("%Y%m%d-%H%M%S")
    ))
}

/// The export of the current view, or a message saying why there is none.
pub fn export_view(app: &mut App) -> Vec<Effect> {
    let listing = &app.list.listing;
    if listing.visible().is_empty() {
        app.info("Nothing to export: the list shows no invitations");
        return Vec::new();
    }
    let rows = listing.rows();
    let document =
        invitation_csv::document(listing.visible().iter().map(|&index| &*rows[index].summary));
    match document {
        Ok(bytes) => {
            let path = csv_path(&app.export_dir, &app.catalog, &app.view, app.now);
            vec![Effect::Disk(DiskOp::WriteNew { path, bytes })]
        }
        Err(error) => {
            app.error(format!("Cannot build the CSV: {error}"));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::TuiOptions;
    use crate::tui::app::update;
    use crate::tui::command::Command;
    use crate::tui::event::Event;
    use crate::tui::fixtures::{self, inbox};

    #[test]
    fn the_rows_shown_are_written_in_their_order_to_a_new_file_named_in_the_footer() {
        let dir = tempfile::tempdir().unwrap();
        let options = TuiOptions {
            cache_dir: None,
            export_dir: dir.path().to_owned(),
            ..TuiOptions::default()
        };
        let mut app = fixtures::loaded(&options, inbox());
        update(&mut app, Command::CycleStatus); // Pending only
        let shown: Vec<String> = app
            .list
            .listing
            .visible()
            .iter()
            .map(|&i| app.list.listing.rows()[i].id().to_owned())
            .collect();
        assert!(!shown.is_empty() && shown.len() < inbox().len());

        let effects = update(&mut app, Command::ExportCsv);
        let [Effect::Disk(DiskOp::WriteNew { path, bytes })] = effects.as_slice() else {
            panic!("one file write: {effects:?}")
        };
        assert_eq!(
            path,
            &dir.path()
                .join("invitations-sandbox-received-20250615-093000.csv")
        );
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let ids: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
        assert_eq!(ids, shown);

        // Written twice, the second export takes a new name; the footer says which.
        for expected in ["", "-2"] {
            let written = crate::files::write_private_new(path, bytes).unwrap();
            update(
                &mut app,
                Event::Exported {
                    path: written.clone(),
                    result: Ok(()),
                },
            );
            assert!(
                written
                    .to_string_lossy()
                    .ends_with(&format!("093000{expected}.csv"))
            );
            let footer = fixtures::draw(&app);
            assert!(footer.contains("Exported to"), "{footer}");
        }
    }

    #[test]
    fn an_empty_view_writes_nothing() {
        let mut app = fixtures::loaded(&TuiOptions::default(), Vec::new());
        assert!(update(&mut app, Command::ExportCsv).is_empty());
        assert!(app.message.is_some());
    }
}
