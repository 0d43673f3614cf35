//! A local Partner Central Selling server: the invitation operations, accepting by task,
//! engagements and opportunities over AWS JSON 1.0, validated with the client's own rules, with
//! demo data, generated data and fault injection.
//!
//! `pcinbox serve` runs it on a fixed port for boto3 and the AWS CLI (`--endpoint-url`);
//! `pcinbox --local` starts it in-process on a free port with the persistent demo store. The
//! persistent store is one SQLite file that any number of these processes share at once.
//!
//! Conventions the model leaves open: listings are newest first unless `Sort` says
//! `ASCENDING`, a page holds 20 invitations (10 members) unless `MaxResults` says otherwise, and
//! only members of an engagement may list its members or invite others to it. Accepting tasks
//! run for `task_duration` and then settle (see `tasks`).

mod database;
mod demo;
mod error;
mod faults;
mod ids;
mod import;
mod request_log;
mod seed;
mod server;
mod store;
mod tasks;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use anyhow::Context;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use error::ServiceError;
pub use faults::Faults;
pub use import::Imported;
pub use request_log::{LoggedRequest, RequestLog};
pub use store::{DEFAULT_MEMBER_PAGE_SIZE, DEFAULT_PAGE_SIZE, INVITATION_LIFETIME_DAYS};
pub use tasks::DEFAULT_TASK_SECONDS;

use crate::api::model::Timestamp;
use database::Database;
use import::JsonStore;
use store::{Caller, Store};

/// `pcinbox serve`'s default port (LocalStack has 4566).
pub const DEFAULT_PORT: u16 = 4599;
/// The account the emulator's user (the "me" partner) has.
pub const DEFAULT_CALLER_ACCOUNT_ID: &str = "111122223333";
/// The company the emulator's user is.
pub const CALLER_COMPANY_NAME: &str = "Example Cloud Partners";
const CALLER_WEBSITE_URL: &str = "https://cloudpartners.example.com";
/// The access key `--local` clients sign with (any key works unless credentials are verified).
pub const LOCAL_ACCESS_KEY_ID: &str = "pcinbox-local";
pub const LOCAL_SECRET_ACCESS_KEY: &str = "pcinbox-local-secret";

/// Where the emulator keeps its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Storage {
    /// A SQLite database file, created with the demo data on first start and shared by every
    /// process that names it. A JSON store of pcinbox 0.1 named here is imported into
    /// `FILE.sqlite3` beside it (once), which is then the store.
    File(PathBuf),
    /// An in-memory database, starting from the demo data every time.
    Ephemeral,
}

/// Credentials whose signatures the emulator verifies (`--verify-credentials AKID:SECRET`).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

impl FromStr for Credentials {
    type Err = String;

    /// Parses `AKID:SECRET`.
    fn from_str(text: &str) -> Result<Self, String> {
        match text.split_once(':') {
            Some((akid, secret)) if !akid.is_empty() && !secret.is_empty() => Ok(Credentials {
                access_key_id: akid.to_owned(),
                secret_access_key: secret.to_owned(),
            }),
            _ => Err("expected ACCESS_KEY_ID:SECRET_ACCESS_KEY".into()),
        }
    }
}

/// How to run the emulator.
#[derive(Clone, Debug)]
pub struct EmulatorOptions {
    /// Address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    pub storage: Storage,
    /// Generated received invitations added to the Sandbox catalog.
    pub seed_count: usize,
    pub faults: Faults,
    /// Verify SigV4 signatures against these credentials; `None` accepts any well-formed one.
    pub verify_credentials: Option<Credentials>,
    /// The caller's 12-digit AWS account id.
    pub caller_account_id: String,
    /// How long an accepting task stays IN_PROGRESS before it settles.
    pub task_duration: std::time::Duration,
    /// A JSON store of pcinbox 0.1 (the default store's predecessor, `emulator.json`) to
    /// import when the database is new, then renamed `NAME.imported-<time>`.
    pub import: Option<PathBuf>,
    /// Append every request to this file as a JSON line (`serve --request-log`).
    pub request_log: Option<PathBuf>,
}

impl Default for EmulatorOptions {
    /// `pcinbox serve` without flags: loopback on the default port, in memory.
    fn default() -> Self {
        EmulatorOptions {
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT),
            storage: Storage::Ephemeral,
            seed_count: 0,
            faults: Faults::default(),
            verify_credentials: None,
            caller_account_id: DEFAULT_CALLER_ACCOUNT_ID.to_owned(),
            task_duration: std::time::Duration::from_secs(tasks::DEFAULT_TASK_SECONDS),
            import: None,
            request_log: None,
        }
    }
}

impl EmulatorOptions {
    /// What `--local` runs: a free loopback port and the persistent store in `data_dir`
    /// (`emulator.sqlite3`, importing a `emulator.json` of pcinbox 0.1 found there).
    pub fn local(data_dir: &Path) -> Self {
        EmulatorOptions {
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            ..EmulatorOptions::default()
        }
        .with_default_store(data_dir)
    }

    /// The persistent store in `data_dir`, as `--local` and `serve` without `--data` use it.
    pub fn with_default_store(self, data_dir: &Path) -> Self {
        EmulatorOptions {
            storage: Storage::File(data_dir.join(STORE_FILE)),
            import: Some(data_dir.join(JSON_STORE_FILE)),
            ..self
        }
    }
}

/// The default store's file name, under the data directory.
pub const STORE_FILE: &str = "emulator.sqlite3";
/// The store file of pcinbox 0.1, imported into [`STORE_FILE`] once.
pub const JSON_STORE_FILE: &str = "emulator.json";

/// What the emulator found when it opened its store, for `serve`'s banner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreReport {
    /// The database file; `None` in memory.
    pub database: Option<PathBuf>,
    /// A JSON store imported now, and where it was renamed to (if it was).
    pub imported: Option<(Imported, Option<PathBuf>)>,
    /// The JSON store this database stands in for (`--data` named a JSON store imported
    /// earlier).
    pub replaces: Option<PathBuf>,
    /// Where a damaged store file was moved.
    pub set_aside: Option<PathBuf>,
}

impl StoreReport {
    /// One line per thing worth telling: where the store is, and what happened to it.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![match &self.database {
            Some(path) => format!(
                "{} (SQLite; shared by every pcinbox using it)",
                path.display()
            ),
            None => "in memory (--ephemeral)".to_owned(),
        }];
        if let Some(aside) = &self.set_aside {
            lines.push(format!(
                "the damaged store was moved to {} and a new one started",
                aside.display()
            ));
        }
        if let Some((imported, renamed)) = &self.imported {
            lines.push(format!(
                "imported {} invitations, {} engagements and {} client tokens from the JSON store {}{}",
                imported.invitations,
                imported.engagements,
                imported.client_tokens,
                imported.from.display(),
                renamed
                    .as_ref()
                    .map(|r| format!(" (now {})", r.display()))
                    .unwrap_or_default()
            ));
        }
        if let Some(json) = &self.replaces {
            lines.push(format!(
                "{} is a JSON store of pcinbox 0.1, imported into this database earlier",
                json.display()
            ));
        }
        lines
    }
}

/// A running emulator; dropping it without [`RunningEmulator::shutdown`] leaves the server
/// running until the runtime stops.
#[derive(Debug)]
pub struct RunningEmulator {
    address: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
    store: StoreReport,
    requests: Arc<RequestLog>,
}

impl RunningEmulator {
    /// Where the store is and what opening it did.
    pub fn store(&self) -> &StoreReport {
        &self.store
    }

    /// Every request received so far (tests count a client's calls with it).
    pub fn requests(&self) -> Arc<RequestLog> {
        Arc::clone(&self.requests)
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL clients use, e.g. `http://127.0.0.1:4599` (loopback if bound to all addresses).
    pub fn endpoint(&self) -> String {
        let ip = match self.address.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.address.port()))
    }

    /// Stops accepting connections, finishes the requests in flight, and waits for the server.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        // The server may already have stopped; then there is nobody to tell.
        let _ = self.stop.send(());
        self.task.await.context("the emulator task failed")??;
        Ok(())
    }
}

/// An AWS CLI command that lists the emulator's Sandbox inbox, for `serve`'s banner.
pub fn aws_cli_example(endpoint: &str) -> String {
    format!(
        "AWS_ACCESS_KEY_ID={LOCAL_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY={LOCAL_SECRET_ACCESS_KEY} \
         aws partnercentral-selling list-engagement-invitations --catalog Sandbox \
         --participant-type RECEIVER --region us-east-1 --endpoint-url {endpoint}"
    )
}

/// How often the background ticker looks for accepting tasks whose time is up.
const TASK_TICK: std::time::Duration = std::time::Duration::from_millis(250);

/// Settles accepting tasks when their time is up even if no request comes, so their effects
/// (an accepted invitation, a new opportunity) are in the store on time; tasks left running by
/// an earlier process settle on the first tick.
async fn settle_tasks_in_background(store: Arc<store::Store>) {
    let mut tick = tokio::time::interval(TASK_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let store = Arc::clone(&store);
        let now = crate::api::model::Timestamp::now();
        let settled = tokio::task::spawn_blocking(move || store.settle_due_tasks(now)).await;
        if let Ok(Err(error)) = settled {
            tracing::error!("settling accepting tasks failed: {}", error.code());
        }
    }
}

/// Loads (or creates) the store, binds, and serves in a spawned task.
pub async fn start(options: EmulatorOptions) -> anyhow::Result<RunningEmulator> {
    options.faults.check().map_err(anyhow::Error::msg)?;
    anyhow::ensure!(
        options.caller_account_id.len() == 12
            && options
                .caller_account_id
                .bytes()
                .all(|b| b.is_ascii_digit()),
        "the caller account id must be 12 digits, got `{}`",
        options.caller_account_id
    );
    let caller = Caller::new(options.caller_account_id.clone());
    let storage = options.storage.clone();
    let import = options.import.clone();
    let seed_count = options.seed_count;
    let (store, report) = tokio::task::spawn_blocking(move || {
        open_store(&storage, import.as_deref(), caller, seed_count)
    })
    .await
    .context("loading the emulator store failed")??;
    for line in report.lines().iter().skip(1) {
        tracing::info!("emulator store: {line}");
    }

    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .with_context(|| format!("cannot listen on {}", options.bind))?;
    let address = listener.local_addr()?;
    let requests = Arc::new(match &options.request_log {
        Some(path) => RequestLog::to_file(path)
            .with_context(|| format!("cannot open the request log {}", path.display()))?,
        None => RequestLog::default(),
    });
    let shared = Arc::new(server::Shared {
        requests: Arc::clone(&requests),
        store: Arc::new(store),
        faults: options.faults,
        dice: options.faults.dice(),
        verify_credentials: options.verify_credentials,
        task_duration: options.task_duration,
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let ticker = tokio::spawn(settle_tasks_in_background(Arc::clone(&shared.store)));
    let app = server::router(shared);
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                // A dropped sender means nobody can ask to stop: keep serving.
                if stopped.await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
            .await;
        ticker.abort();
        served
    });
    tracing::info!("emulator listening on {address}");
    Ok(RunningEmulator {
        address,
        stop,
        task,
        store: report,
        requests,
    })
}

/// The store: its database (new ones get the demo data, or the JSON store to import), then
/// the seed invitations it lacks, in one transaction.
fn open_store(
    storage: &Storage,
    import: Option<&Path>,
    caller: Caller,
    seed_count: usize,
) -> anyhow::Result<(Store, StoreReport)> {
    let mut report = StoreReport::default();
    let (database, json) = match storage {
        Storage::Ephemeral => (Database::open_memory()?, None),
        Storage::File(path) => {
            // `--data` naming a JSON store of pcinbox 0.1: its database is beside it.
            let named_json = !database::is_database(path) && JsonStore::read(path)?.is_some();
            let (file, json) = if named_json {
                let mut file = path.as_os_str().to_owned();
                file.push(".sqlite3");
                report.replaces = Some(path.clone());
                (PathBuf::from(file), Some(path.as_path()))
            } else {
                (path.clone(), import)
            };
            let (database, opened) = Database::open_file(&file)?;
            report.database = Some(file);
            report.set_aside = opened.set_aside;
            (database, json)
        }
    };
    let mut imported = None;
    let store = Store::open(database, caller, |t, caller| {
        match json
            .map(|path| JsonStore::read(path).map(|store| store.map(|store| (path, store))))
            .transpose()?
            .flatten()
        {
            Some((path, json_store)) => {
                let first_start = json_store.first_start();
                imported = Some(json_store.import(t, path)?);
                Ok(first_start)
            }
            None => {
                let first_start = Timestamp::now();
                demo::load(t, caller, first_start)?;
                Ok(first_start)
            }
        }
    })?;
    if let Some(imported) = imported {
        // The default store's predecessor is renamed, so it is imported once; a JSON store
        // named with `--data` stays, and names this database from now on.
        let renamed = match report.replaces.take() {
            Some(_) => None,
            None => Some(import::rename_imported(&imported.from)?),
        };
        tracing::warn!(
            "imported the JSON store {} into the SQLite store",
            imported.from.display()
        );
        report.imported = Some((imported, renamed));
    }
    let seeded = store.seeded()?;
    if seed_count > seeded {
        store.write(|t| {
            seed::add(t, store.caller(), store.first_start(), seeded..seed_count)?;
            Store::record_seeded(t, seed_count)?;
            Ok(())
        })?;
        store.checkpoint()?;
    }
    Ok((store, report))
}
