//! The emulator's SQLite database: opening it (private files, WAL, a busy timeout), its schema
//! and migrations, setting a damaged file aside, and a small pool of connections.
//!
//! Many processes share one database file at once (`pcinbox serve`, any number of `--local`
//! inboxes and CLI calls), so nothing about the store is cached in memory: every operation is
//! one transaction on the file. Writes begin with `BEGIN IMMEDIATE`, so what a write reads and
//! checks cannot change before it commits; WAL lets readers go on while one process writes, and
//! the busy timeout makes a writer wait its turn instead of failing. `synchronous = FULL`: a
//! write is on disk before the emulator answers it.
//!
//! # Migrations
//!
//! The schema's version is `PRAGMA user_version`: the number of entries of [`MIGRATIONS`]
//! applied. Opening a database applies the missing ones in order, in one `BEGIN IMMEDIATE`
//! transaction (so two processes starting at once migrate it once). To change the schema,
//! append one SQL string to [`MIGRATIONS`] (never edit a released one): e.g. a later feature
//! adds `"CREATE TABLE tasks (...); CREATE INDEX ...;"`. A database with a higher version than
//! this build knows was written by a newer pcinbox and is refused, not touched.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

/// The schema, one migration per entry; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    // 1: invitations, engagements and their members, ClientTokens, and the store's facts.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE engagements (
        id          TEXT PRIMARY KEY,
        catalog     TEXT NOT NULL,
        title       TEXT NOT NULL,
        description TEXT NOT NULL
    );
    CREATE TABLE engagement_members (
        engagement_id TEXT NOT NULL REFERENCES engagements(id),
        position      INTEGER NOT NULL,
        account_id    TEXT,
        company_name  TEXT,
        website_url   TEXT,
        PRIMARY KEY (engagement_id, position)
    );
    CREATE INDEX engagement_members_by_account ON engagement_members(engagement_id, account_id);
    CREATE TABLE invitations (
        id                     TEXT NOT NULL UNIQUE,
        catalog                TEXT NOT NULL,
        participant_type       TEXT NOT NULL,
        status                 TEXT NOT NULL,
        invitation_date        TEXT NOT NULL,
        expiration_date        TEXT,
        engagement_id          TEXT,
        engagement_title       TEXT,
        sender_aws_account_id  TEXT,
        sender_company_name    TEXT,
        payload_type           TEXT,
        arn                    TEXT,
        receiver               TEXT,
        rejection_reason       TEXT,
        invitation_message     TEXT,
        engagement_description TEXT,
        payload                TEXT,
        enrichment_context     TEXT
    );
    CREATE INDEX invitations_by_date
        ON invitations(catalog, participant_type, invitation_date, id);
    CREATE INDEX invitations_by_status
        ON invitations(catalog, participant_type, status, invitation_date, id);
    CREATE INDEX invitations_by_sender
        ON invitations(catalog, participant_type, sender_aws_account_id, invitation_date, id);
    CREATE INDEX invitations_by_engagement
        ON invitations(catalog, participant_type, engagement_id, invitation_date, id);
    CREATE TABLE client_tokens (
        catalog       TEXT NOT NULL,
        client_token  TEXT NOT NULL,
        fingerprint   TEXT NOT NULL,
        invitation_id TEXT NOT NULL,
        PRIMARY KEY (catalog, client_token)
    );
    "#,
    // 2: accepting tasks (the whole task as JSON, with the columns listings and the settling
    // look up), the opportunities they create, when an engagement's members last changed, and
    // an engagement's invitations in date order whatever their side (what created it, its
    // context).
    r#"
    CREATE INDEX invitations_in_engagement ON invitations(engagement_id, invitation_date, id);
    CREATE TABLE tasks (
        id             TEXT PRIMARY KEY,
        catalog        TEXT NOT NULL,
        client_token   TEXT NOT NULL,
        invitation_id  TEXT NOT NULL,
        start_time     TEXT NOT NULL,
        due            TEXT NOT NULL,
        status         TEXT NOT NULL,
        task           TEXT NOT NULL,
        UNIQUE (catalog, client_token)
    );
    CREATE INDEX tasks_by_start ON tasks(catalog, start_time, id);
    CREATE INDEX tasks_running ON tasks(status, due);
    CREATE TABLE opportunities (
        id          TEXT PRIMARY KEY,
        catalog     TEXT NOT NULL,
        opportunity TEXT NOT NULL
    );
    ALTER TABLE engagements ADD COLUMN modified_at TEXT;
    ALTER TABLE engagements ADD COLUMN modified_by TEXT;
    "#,
    // 3: each invitation's summary as a listing shows it, as JSON: a page is these joined
    // (filled for the invitations already there by `FILLS`). The indexes of the listings an
    // inbox makes (everything, by status) carry what a page reads, so a page reads its index
    // alone: looking each row up in the table was a third of the server's time per page.
    r#"
    ALTER TABLE invitations ADD COLUMN summary TEXT;
    DROP INDEX invitations_by_date;
    CREATE INDEX invitations_by_date ON invitations(catalog, participant_type, invitation_date,
        id, status, expiration_date, payload_type, summary);
    DROP INDEX invitations_by_status;
    CREATE INDEX invitations_by_status ON invitations(catalog, participant_type, status,
        invitation_date, id, expiration_date, payload_type, summary);
    "#,
];

/// Code that fills what a migration added.
type Fill = fn(&Connection) -> rusqlite::Result<()>;

/// The fills, by the number (from 1) of the migration they follow, in its transaction.
const FILLS: &[(usize, Fill)] = &[(3, super::store::fill_summaries)];

/// `PRAGMA application_id` of a pcinbox store ("pcin"), so another program's database is
/// recognised and never migrated.
const APPLICATION_ID: i32 = 0x7063_696e;
/// How long a write waits for another process's write to finish before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Idle connections kept for reuse; more may be open while requests run at once.
const IDLE_CONNECTIONS: usize = 8;
/// Stores up to this size get the full `PRAGMA integrity_check` when opened (the demo store is
/// about 0.3 MB, 10,000 seeded invitations about 20 MB); bigger ones the quick check.
const FULL_CHECK_BYTES: u64 = 32 * 1024 * 1024;
/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// Where the database lives.
#[derive(Debug)]
enum Location {
    File(PathBuf),
    /// One in-memory database, so one connection (a second would see another database).
    Memory,
}

/// The database: connections handed out one operation at a time.
#[derive(Debug)]
pub struct Database {
    location: Location,
    idle: Mutex<Vec<Connection>>,
}

/// What opening a database file found.
#[derive(Debug, Default)]
pub struct Opened {
    /// Whether the database was created now (it needs its first contents).
    pub created: bool,
    /// Where a file that was not a usable store was moved.
    pub set_aside: Option<PathBuf>,
}

impl Database {
    /// The database at `path`, created (0600, in a 0700 folder) and migrated as needed. A file
    /// that is not a SQLite database or fails `PRAGMA integrity_check` is moved aside as
    /// `NAME.corrupt-<time>` and a new database started in its place.
    pub fn open_file(path: &Path) -> anyhow::Result<(Database, Opened)> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_private_dir(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let mut opened = Opened::default();
        if !is_sqlite_file(path)? {
            opened.set_aside = Some(set_aside(path, "is not a SQLite database")?);
        }
        let connection = match open_checked(path) {
            Ok(connection) => connection,
            Err(OpenError::Damaged(why)) => {
                opened.set_aside = Some(set_aside(path, &why)?);
                open_checked(path).map_err(OpenError::into_anyhow)?
            }
            Err(other) => return Err(other.into_anyhow()),
        };
        opened.created = migrate(&connection)
            .with_context(|| format!("cannot prepare the store {}", path.display()))?;
        Ok((
            Database {
                location: Location::File(path.to_owned()),
                idle: Mutex::new(vec![connection]),
            },
            opened,
        ))
    }

    /// A new in-memory database with the current schema.
    pub fn open_memory() -> anyhow::Result<Database> {
        let connection = Connection::open_in_memory()?;
        configure(&connection)?;
        migrate(&connection)?;
        Ok(Database {
            location: Location::Memory,
            idle: Mutex::new(vec![connection]),
        })
    }

    pub fn is_in_memory(&self) -> bool {
        matches!(self.location, Location::Memory)
    }

    /// Moves everything committed from the write-ahead log into the database file and empties
    /// the log (after a bulk load, so readers do not search a log of hundreds of megabytes).
    pub fn checkpoint(&self) -> rusqlite::Result<()> {
        self.with_connection(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"))
    }

    /// Runs one statement (`operation` must not run more: they would each see another state).
    pub fn query<T>(
        &self,
        operation: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.with_connection(|connection| operation(connection))
    }

    /// Runs `operation` in a read transaction: it sees one consistent state of the store.
    pub fn read<T, E: From<rusqlite::Error>>(
        &self,
        operation: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(TransactionBehavior::Deferred, operation)
    }

    /// Runs `operation` in a write transaction (`BEGIN IMMEDIATE`: no other process writes
    /// between what it reads and what it writes), committed if it succeeds.
    pub fn write<T, E: From<rusqlite::Error>>(
        &self,
        operation: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(TransactionBehavior::Immediate, operation)
    }

    fn transaction<T, E: From<rusqlite::Error>>(
        &self,
        behavior: TransactionBehavior,
        operation: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.with_connection(|connection| {
            let transaction = connection.transaction_with_behavior(behavior)?;
            let result = operation(&transaction)?;
            transaction.commit()?;
            Ok(result)
        })
    }

    /// Lends a connection: an idle one, or a new one (a file database), or waits for the one
    /// connection of an in-memory database.
    fn with_connection<T, E: From<rusqlite::Error>>(
        &self,
        operation: impl FnOnce(&mut Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        match &self.location {
            Location::Memory => {
                let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
                let connection = idle
                    .last_mut()
                    .expect("an in-memory database keeps its connection");
                operation(connection)
            }
            Location::File(path) => {
                let reused = self
                    .idle
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .pop();
                let mut connection = match reused {
                    Some(connection) => connection,
                    None => open_connection(path)?,
                };
                let result = operation(&mut connection);
                let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
                if idle.len() < IDLE_CONNECTIONS {
                    idle.push(connection);
                }
                result
            }
        }
    }
}

/// Why a database file could not be opened.
enum OpenError {
    /// The file is damaged: not a database, or it fails the integrity check.
    Damaged(String),
    Other(anyhow::Error),
}

impl OpenError {
    fn into_anyhow(self) -> anyhow::Error {
        match self {
            OpenError::Damaged(why) => anyhow::anyhow!("the store is damaged: {why}"),
            OpenError::Other(error) => error,
        }
    }
}

/// Opens the file and checks it is a whole store of a version this build can use.
fn open_checked(path: &Path) -> Result<Connection, OpenError> {
    let damaged = |error: rusqlite::Error| match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            OpenError::Damaged(error.to_string())
        }
        _ => OpenError::Other(
            anyhow::Error::new(error).context(format!("cannot open {}", path.display())),
        ),
    };
    create_private_file(path).map_err(|e| OpenError::Other(e.into()))?;
    // Nothing is changed in the file (not even its journal mode) before it is known to be ours.
    let connection = connect(path).map_err(damaged)?;
    // Every process that opens the store checks it. The full check reads every page and index
    // (1.3 s for 100,000 invitations, 200 MB), too slow for each `--local` command on a big
    // store; above FULL_CHECK_BYTES the quick check (8x faster: pages and records, not the
    // indexes' agreement with the table) stands in for it.
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let check = if size <= FULL_CHECK_BYTES {
        "integrity_check"
    } else {
        "quick_check"
    };
    let verdict: String = connection
        .query_row(&format!("PRAGMA {check}(1)"), [], |row| row.get(0))
        .map_err(damaged)?;
    if verdict != "ok" {
        return Err(OpenError::Damaged(format!("{check}: {verdict}")));
    }
    let application_id: i32 = connection
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .map_err(damaged)?;
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(damaged)?;
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(OpenError::Other(anyhow::anyhow!(
            "{} is another program's SQLite database, not a pcinbox store; name another file \
             with --data",
            path.display()
        )));
    }
    if version > MIGRATIONS.len() as i64 {
        return Err(OpenError::Other(anyhow::anyhow!(
            "{} is a store of a newer pcinbox (schema {version}, this version knows up to {}); \
             upgrade pcinbox or name another file with --data",
            path.display(),
            MIGRATIONS.len()
        )));
    }
    configure(&connection).map_err(damaged)?;
    Ok(connection)
}

/// A connection to the file with the store's settings.
fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let connection = connect(path)?;
    configure(&connection)?;
    Ok(connection)
}

/// A connection that waits for other processes' locks (so switching to WAL waits for a process
/// that is creating the file).
fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    Ok(connection)
}

fn configure(connection: &Connection) -> rusqlite::Result<()> {
    let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if mode != "wal" && mode != "memory" {
        tracing::warn!("the emulator store runs in journal mode {mode}, not WAL");
    }
    connection.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    // The bundled SQLite has STAT4, which re-plans a statement whenever a value compared with
    // an indexed column is bound anew: every listing page was compiled again (a tenth of
    // its CPU time). One plan per statement is what the indexes are made for.
    connection.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    connection.set_prepared_statement_cache_capacity(32);
    Ok(())
}

/// Applies the migrations the database lacks; true if it was new (no schema yet).
fn migrate(connection: &Connection) -> rusqlite::Result<bool> {
    connection.execute_batch("BEGIN IMMEDIATE")?;
    let applied = (|| {
        let version: usize =
            connection.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))? as usize;
        for (number, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            connection.execute_batch(migration)?;
            for (_, fill) in FILLS.iter().filter(|(n, _)| *n == number + 1) {
                fill(connection)?;
            }
        }
        if version < MIGRATIONS.len() {
            connection.execute_batch(&format!(
                "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
                MIGRATIONS.len()
            ))?;
        }
        Ok(version == 0)
    })();
    match applied {
        Ok(created) => {
            connection.execute_batch("COMMIT")?;
            Ok(created)
        }
        Err(error) => {
            connection.execute_batch("ROLLBACK")?;
            Err(error)
        }
    }
}

/// Whether `path` is missing, empty (SQLite makes a database of it), or starts like a SQLite
/// database.
fn is_sqlite_file(path: &Path) -> anyhow::Result<bool> {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("cannot read {}", path.display())));
        }
    };
    let mut header = Vec::with_capacity(SQLITE_HEADER.len());
    file.by_ref()
        .take(SQLITE_HEADER.len() as u64)
        .read_to_end(&mut header)?;
    Ok(header.is_empty() || header == SQLITE_HEADER)
}

/// Whether `path` holds a SQLite database (so not a JSON store of an earlier release).
pub fn is_database(path: &Path) -> bool {
    is_sqlite_file(path).unwrap_or(false)
}

/// Creates the database file 0600 before SQLite does, so its `-wal` and `-shm` files (which
/// SQLite creates with the database's permissions) are private too; an existing file is made
/// private.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    drop(options.open(path)?);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// Moves a damaged database (and its `-wal`/`-shm`) aside as `NAME.corrupt-<time>`.
fn set_aside(path: &Path, why: &str) -> anyhow::Result<PathBuf> {
    let aside = crate::files::set_aside(path)
        .with_context(|| format!("cannot move the damaged store {} aside", path.display()))?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let mut moved = aside.as_os_str().to_owned();
        moved.push(suffix);
        match std::fs::rename(&side, &moved) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(anyhow::Error::new(e).context(format!("cannot move {side:?} aside")));
            }
            _ => {}
        }
    }
    tracing::warn!(
        "{} {why} (it is not a valid store): it was moved to {}; the emulator started afresh",
        path.display(),
        aside.display()
    );
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_bring_a_database_to_the_current_version_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        let (_, opened) = Database::open_file(&path).unwrap();
        assert!(opened.created);
        let (database, opened) = Database::open_file(&path).unwrap();
        assert!(!opened.created);
        let version: i64 = database
            .read(|t| t.query_row("PRAGMA user_version", [], |row| row.get(0)))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_store_from_before_stored_summaries_gets_them_filled_as_a_listing_shows_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        {
            let version_2 = Connection::open(&path).unwrap();
            for migration in &MIGRATIONS[..2] {
                version_2.execute_batch(migration).unwrap();
            }
            version_2
                .execute_batch(&format!(
                    "PRAGMA user_version = 2; PRAGMA application_id = {APPLICATION_ID};
                     INSERT INTO invitations (id, catalog, participant_type, status,
                         invitation_date, expiration_date, engagement_title, payload_type,
                         receiver)
                     VALUES ('engi-1', 'Sandbox', 'RECEIVER', 'ACCEPTED',
                         '2026-01-02T03:04:05.000000000Z', '2026-01-17T03:04:05.500000000Z',
                         'A \"quoted\" title', 'OpportunityInvitation',
                         '{{\"Account\":{{\"AwsAccountId\":\"111122223333\"}}}}');"
                ))
                .unwrap();
        }
        let (database, _) = Database::open_file(&path).unwrap();
        let summary: String = database
            .read(|t| t.query_row("SELECT summary FROM invitations", [], |row| row.get(0)))
            .unwrap();
        assert_eq!(
            summary,
            r#"{"PayloadType":"OpportunityInvitation","Id":"engi-1","EngagementTitle":"A \"quoted\" title","Status":"ACCEPTED","InvitationDate":"2026-01-02T03:04:05Z","ExpirationDate":"2026-01-17T03:04:05.500Z","Receiver":{"Account":{"AwsAccountId":"111122223333"}},"Catalog":"Sandbox","ParticipantType":"RECEIVER"}"#
        );
    }

    #[test]
    fn a_database_failing_its_integrity_check_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        let (database, _) = Database::open_file(&path).unwrap();
        database
            .write(|t| {
                for n in 0..2000 {
                    t.execute(
                        "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                        [format!("key {n}"), "x".repeat(100)],
                    )?;
                }
                Ok::<_, rusqlite::Error>(())
            })
            .unwrap();
        drop(database);
        // Scribble over the pages after the first: the header still says SQLite.
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 3 * 4096, "{}", bytes.len());
        for byte in &mut bytes[4096 + 100..3 * 4096] {
            *byte = 0x5a;
        }
        std::fs::write(&path, &bytes).unwrap();

        let (database, opened) = Database::open_file(&path).unwrap();
        let aside = opened.set_aside.expect("set aside");
        assert_eq!(std::fs::read(&aside).unwrap(), bytes, "kept as it was");
        assert!(opened.created, "a fresh store");
        let keys: i64 = database
            .read(|t| t.query_row("SELECT count(*) FROM meta", [], |row| row.get(0)))
            .unwrap();
        assert_eq!(keys, 0);
    }

    #[test]
    fn a_newer_or_foreign_database_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let newer = dir.path().join("newer.sqlite3");
        Database::open_file(&newer).unwrap();
        Connection::open(&newer)
            .unwrap()
            .execute_batch("PRAGMA user_version = 999")
            .unwrap();
        let error = Database::open_file(&newer).unwrap_err().to_string();
        assert!(error.contains("newer pcinbox"), "{error}");

        let foreign = dir.path().join("foreign.sqlite3");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("PRAGMA application_id = 42; CREATE TABLE t(x);")
            .unwrap();
        let error = Database::open_file(&foreign).unwrap_err().to_string();
        assert!(error.contains("another program"), "{error}");
        let journal: String = Connection::open(&foreign)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(journal, "delete", "the foreign database was not changed");
        assert!(
            std::fs::read_dir(dir.path()).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("corrupt")),
            "neither was set aside"
        );
    }
}
