//! A local Partner Central Selling server: the invitation operations, accepting by task,
//! engagements and opportunities over AWS JSON 1.0, validated with the client's own rules, with
//! demo data, generated data and fault injection.
//!
//! `pcinbox serve` runs it on a fixed port for boto3 and the AWS CLI (`--endpoint-url`);
//! `pcinbox --local` starts it in-process on a free port with the persistent demo store.
//!
//! Conventions the model leaves open: listings are newest first unless `Sort` says
//! `ASCENDING`, a page holds 20 invitations (10 members) unless `MaxResults` says otherwise, and
//! only members of an engagement may list its members or invite others to it.

mod demo;
mod error;
mod faults;
mod ids;
mod seed;
mod server;
mod store;
mod tasks;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use error::ServiceError;
pub use faults::Faults;
pub use store::{DEFAULT_MEMBER_PAGE_SIZE, DEFAULT_PAGE_SIZE, INVITATION_LIFETIME_DAYS};
pub use tasks::DEFAULT_TASK_SECONDS;

use crate::api::model::Timestamp;
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
    /// A JSON file, created with the demo data on first start.
    File(PathBuf),
    /// In memory only, starting from the demo data every time.
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
        }
    }
}

impl EmulatorOptions {
    /// What `--local` runs: a free loopback port and the persistent demo store (in memory if
    /// the platform has no data directory).
    pub fn local() -> Self {
        EmulatorOptions {
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            storage: default_data_file().map_or(Storage::Ephemeral, Storage::File),
            ..EmulatorOptions::default()
        }
    }
}

/// The persistent store's default path, under the user's data directory.
pub fn default_data_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pcinbox")
        .map(|dirs| dirs.data_dir().join("emulator.json"))
}

/// A running emulator; dropping it without [`RunningEmulator::shutdown`] leaves the server
/// running until the runtime stops.
#[derive(Debug)]
pub struct RunningEmulator {
    address: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningEmulator {
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
    let seed_count = options.seed_count;
    let store = tokio::task::spawn_blocking(move || open_store(&storage, caller, seed_count))
        .await
        .context("loading the emulator store failed")??;

    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .with_context(|| format!("cannot listen on {}", options.bind))?;
    let address = listener.local_addr()?;
    let shared = Arc::new(server::Shared {
        written: Arc::new(Mutex::new(store.generation())),
        store: RwLock::new(store),
        file: match options.storage {
            Storage::File(path) => Some(path),
            Storage::Ephemeral => None,
        },
        faults: options.faults,
        dice: options.faults.dice(),
        verify_credentials: options.verify_credentials,
        task_duration: options.task_duration,
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let ticker = tokio::spawn(settle_tasks_in_background(Arc::clone(&shared)));
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
    })
}

/// How often the background ticker looks for tasks whose time is up.
const TASK_TICK: std::time::Duration = std::time::Duration::from_millis(100);

/// Settles accepting tasks when their time is up even if no request comes, so their effects
/// (an accepted invitation, a new opportunity) are saved on time; tasks left running by an
/// earlier process settle on the first tick.
async fn settle_tasks_in_background(shared: Arc<server::Shared>) {
    let mut tick = tokio::time::interval(TASK_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = server::settle_due_tasks(&shared, Timestamp::now()).await {
            tracing::error!("settling accepting tasks failed: {}", error.code());
        }
    }
}

/// The store from its file, or a new one with the demo data; then the seed invitations. A new
/// or grown store is written back at once, so the first start's date is kept.
fn open_store(storage: &Storage, caller: Caller, seed_count: usize) -> anyhow::Result<Store> {
    let loaded = match storage {
        Storage::File(path) => store::load_file(path, &caller)?,
        Storage::Ephemeral => None,
    };
    let is_new = loaded.is_none();
    let mut store = match loaded {
        Some(store) => store,
        None => {
            let mut store = Store::new(caller, Timestamp::now());
            demo::load(&mut store)?;
            store
        }
    };
    let before = store.generation();
    seed::add(&mut store, seed_count);
    if let Storage::File(path) = storage
        && (is_new || store.generation() != before)
    {
        crate::files::write_private(path, &store.to_json()?)
            .with_context(|| format!("cannot write the store file {}", path.display()))?;
    }
    Ok(store)
}
