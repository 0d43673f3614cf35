//! What the emulator-backed tests share: the in-process emulator and clients of it with fast
//! backoff, a TCP proxy that loses responses or refuses service on demand, the inbox driven
//! through its real worker (and disk task), and a scripting command run in-process.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;
use pcinbox::api::client::{Client, ClientConfig, StaticCredentials};
use pcinbox::api::model::{
    AccountReceiver, CATALOG_SANDBOX, CreateEngagementInvitationRequest,
    EngagementInvitationSummary, Invitation, InvitationStatus, LeadInvitationCustomer,
    LeadInvitationInteraction, LeadInvitationPayload, ListEngagementInvitationsRequest,
    ParticipantType, Payload, PayloadType, Receiver, SortOrder,
};
use pcinbox::api::retry::{RetryPolicy, TokioSleeper};
use pcinbox::cli::{Command, ListArgs};
use pcinbox::config::{FileConfig, OutputFormat, Overrides, Settings};
use pcinbox::emulator::{self, EmulatorOptions, Faults, RunningEmulator, Storage};
use pcinbox::tui::TuiOptions;
use pcinbox::tui::app::{App, Effect, update};
use pcinbox::tui::composer::disk::{self, DiskOp};
use pcinbox::tui::composer::store::DraftStore;
use pcinbox::tui::event::Event;
use pcinbox::tui::worker::{self, Request};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// How long any one condition may take before a test fails.
pub const WAIT: Duration = Duration::from_secs(60);

/// An in-memory emulator with the demo data, `seed_count` generated invitations and `faults`.
pub async fn emulator_with(faults: Faults, seed_count: usize) -> RunningEmulator {
    emulator::start(EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        storage: Storage::Ephemeral,
        seed_count,
        faults,
        ..EmulatorOptions::default()
    })
    .await
    .expect("the emulator starts")
}

/// A client of `endpoint` with the local credentials, `max_attempts` attempts per call and
/// millisecond backoff (real waits, only short).
pub fn client(endpoint: &str, max_attempts: u32) -> Client {
    client_as(
        endpoint,
        max_attempts,
        emulator::LOCAL_ACCESS_KEY_ID,
        emulator::LOCAL_SECRET_ACCESS_KEY,
    )
}

/// As [`client`], signing with `access_key_id` and `secret`.
pub fn client_as(endpoint: &str, max_attempts: u32, access_key_id: &str, secret: &str) -> Client {
    Client::with_static_credentials(
        ClientConfig {
            endpoint: endpoint.to_owned(),
            region: "us-east-1".into(),
            profile: None,
            max_attempts,
            rate_limits: None,
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(30),
        },
        StaticCredentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret.into(),
            session_token: None,
        },
    )
    .with_retry_policy(RetryPolicy {
        throttling_base: Duration::from_millis(2),
        transient_base: Duration::from_millis(1),
        max_backoff: Duration::from_millis(20),
        sleeper: Arc::new(TokioSleeper),
    })
}

/// Every invitation of one view, all pages, `page_size` per page.
pub async fn list_all(
    client: &Client,
    catalog: &str,
    view: ParticipantType,
    page_size: u32,
) -> Vec<EngagementInvitationSummary> {
    let request = ListEngagementInvitationsRequest {
        catalog: catalog.into(),
        participant_type: view,
        max_results: Some(page_size),
        ..Default::default()
    };
    let mut pages = client.paginate_invitations(request, None);
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        all.extend(page.expect("a page"));
    }
    all
}

/// PENDING opportunity invitations the caller received in the Sandbox, newest first.
pub async fn pending_opportunity_invitations(client: &Client) -> Vec<EngagementInvitationSummary> {
    list_all(client, CATALOG_SANDBOX, ParticipantType::Receiver, 100)
        .await
        .into_iter()
        .filter(|s| {
            s.status == Some(InvitationStatus::Pending)
                && s.payload_type == Some(PayloadType::OpportunityInvitation)
        })
        .collect()
}

/// `pcinbox list` of one view, newest first, every item, `page_size` per page.
pub fn list_args(view: ParticipantType, page_size: u32) -> ListArgs {
    ListArgs {
        participant_type: view,
        statuses: Vec::new(),
        payload_types: Vec::new(),
        engagement_identifiers: Vec::new(),
        sender_aws_account_ids: Vec::new(),
        sort_order: SortOrder::Descending,
        paging: Default::default(),
        page_size,
    }
}

/// A valid lead invitation to `engagement`, without a ClientToken (the client makes one).
pub fn create_request(engagement: &str) -> CreateEngagementInvitationRequest {
    CreateEngagementInvitationRequest {
        catalog: CATALOG_SANDBOX.into(),
        client_token: None,
        engagement_identifier: engagement.into(),
        invitation: Invitation {
            message: "Could your team run the migration workshop?".into(),
            receiver: Receiver::Account(AccountReceiver {
                alias: None,
                aws_account_id: "555566667777".into(),
            }),
            payload: Payload::LeadInvitation(LeadInvitationPayload {
                customer: LeadInvitationCustomer {
                    company_name: "Müller Logistik GmbH".into(),
                    ..Default::default()
                },
                interaction: LeadInvitationInteraction {
                    contact_business_title: "CTO".into(),
                    ..Default::default()
                },
            }),
        },
    }
}

/// Settings of a scripting command against `endpoint`.
pub fn settings(endpoint: &str, output: OutputFormat) -> Settings {
    let overrides = Overrides {
        endpoint_url: Some(endpoint.to_owned()),
        output: Some(output),
        ..Overrides::default()
    };
    let mut settings =
        Settings::resolve(&overrides, &FileConfig::default(), &|_| None).expect("settings resolve");
    settings.rate_limits = None;
    settings
}

/// Runs one scripting command in-process: exit code, stdout, stderr.
pub async fn run(
    command: Command,
    settings: &Settings,
    client: &Client,
) -> (ExitCode, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = pcinbox::cli::run_command(command, settings, None, client, &mut out, &mut err)
        .await
        .expect("output can be written");
    (
        code,
        String::from_utf8(out).expect("UTF-8 output"),
        String::from_utf8(err).expect("UTF-8 errors"),
    )
}

/// Runs one scripting command in-process that must succeed (stderr shown if not): its stdout.
pub async fn run_ok(command: Command, settings: &Settings, client: &Client) -> String {
    let (code, out, err) = run(command, settings, client).await;
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    out
}

/// `pcinbox list` of the received view, 100 per page, which must succeed: its stdout.
pub async fn run_list(settings: &Settings, client: &Client) -> String {
    let command = Command::List(list_args(ParticipantType::Receiver, 100));
    run_ok(command, settings, client).await
}

// ---- a proxy that loses responses ----

/// A TCP proxy in front of a service. It forwards both ways, and on demand loses the response
/// to a request after the service has answered it (the request was carried out, the client
/// never hears), or refuses every connection.
pub struct Proxy {
    pub endpoint: String,
    state: Arc<ProxyState>,
}

struct ProxyState {
    upstream: SocketAddr,
    /// Lose the responses to this many more requests whose `X-Amz-Target` is this operation.
    lose: Mutex<Option<(String, usize)>>,
    refuse: AtomicBool,
    lost: AtomicUsize,
}

impl ProxyState {
    /// Whether the response to this request (its first bytes) is to be lost.
    fn doom(&self, request: &[u8]) -> bool {
        let mut lose = self.lose.lock().unwrap();
        let Some((operation, left)) = lose.as_mut() else {
            return false;
        };
        let header =
            format!("x-amz-target: awspartnercentralselling.{operation}\r\n").to_ascii_lowercase();
        let text = String::from_utf8_lossy(request).to_ascii_lowercase();
        if *left == 0 || !text.contains(&header) {
            return false;
        }
        *left -= 1;
        true
    }
}

impl Proxy {
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(ProxyState {
            upstream,
            lose: Mutex::new(None),
            refuse: AtomicBool::new(false),
            lost: AtomicUsize::new(0),
        });
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(connection(client, shared.clone()));
            }
        });
        Proxy { endpoint, state }
    }

    /// Loses the responses to the next `count` requests of `operation` (e.g. `CreateEngagementInvitation`).
    pub fn lose_responses(&self, operation: &str, count: usize) {
        *self.state.lose.lock().unwrap() = Some((operation.to_owned(), count));
    }

    /// While on, every connection and request is closed unanswered and unforwarded.
    pub fn refuse(&self, on: bool) {
        self.state.refuse.store(on, Ordering::SeqCst);
    }

    /// How many responses were lost so far.
    pub fn lost(&self) -> usize {
        self.state.lost.load(Ordering::SeqCst)
    }
}

async fn connection(mut client: TcpStream, state: Arc<ProxyState>) {
    if state.refuse.load(Ordering::SeqCst) {
        return;
    }
    let Ok(mut upstream) = TcpStream::connect(state.upstream).await else {
        return;
    };
    let (mut client_read, mut client_write) = client.split();
    let (mut upstream_read, mut upstream_write) = upstream.split();
    let mut request = vec![0u8; 64 * 1024];
    let mut response = vec![0u8; 64 * 1024];
    // HTTP/1.1 without pipelining: the next bytes from the service answer the last request.
    let mut doomed = false;
    loop {
        tokio::select! {
            read = client_read.read(&mut request) => {
                let n = match read { Ok(0) | Err(_) => return, Ok(n) => n };
                if state.refuse.load(Ordering::SeqCst) {
                    return;
                }
                doomed |= state.doom(&request[..n]);
                if upstream_write.write_all(&request[..n]).await.is_err() {
                    return;
                }
            }
            read = upstream_read.read(&mut response) => {
                let n = match read { Ok(0) | Err(_) => return, Ok(n) => n };
                if doomed {
                    // The service has answered, so it carried the request out; the client
                    // sees the connection close instead.
                    state.lost.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                if client_write.write_all(&response[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}

// ---- the inbox through its real worker ----

/// The app, its worker and the results channel, wired as the event loop wires them; with the
/// composer's real disk task too when the test composes.
pub struct Driver {
    pub app: App,
    requests: UnboundedSender<Request>,
    /// The disk task and the folder its drafts live in (kept alive for the test).
    disk: Option<(UnboundedSender<DiskOp>, tempfile::TempDir)>,
    results: UnboundedReceiver<Event>,
    /// Every request the app sent to the worker, in order.
    pub sent: Vec<Request>,
}

impl Driver {
    /// The inbox on `client`, sized `width`×`height`, started (listing on its way); draft work
    /// is dropped.
    pub fn start(client: Client, width: u16, height: u16) -> Driver {
        Driver::launch(client, width, height, false, None)
    }

    /// As [`Driver::start`], with the listings cached in `cache_dir` (as the binary caches).
    pub fn cached(client: Client, cache_dir: &Path, width: u16, height: u16) -> Driver {
        Driver::launch(client, width, height, false, Some(cache_dir.to_owned()))
    }

    /// As [`Driver::start`], with the composer's disk task keeping drafts in a temporary folder.
    pub fn composing(client: Client, width: u16, height: u16) -> Driver {
        Driver::launch(client, width, height, true, None)
    }

    fn launch(
        client: Client,
        width: u16,
        height: u16,
        drafts: bool,
        cache_dir: Option<std::path::PathBuf>,
    ) -> Driver {
        let (results_tx, results) = unbounded_channel();
        let requests = worker::spawn(client, cache_dir.clone(), results_tx.clone());
        let disk = drafts.then(|| {
            let data_dir = tempfile::tempdir().unwrap();
            let (disk, _task) = disk::spawn(Some(DraftStore::in_dir(data_dir.path())), results_tx);
            (disk, data_dir)
        });
        let options = TuiOptions {
            profile: "local".into(),
            cache_dir,
            ..TuiOptions::default()
        };
        let mut driver = Driver {
            app: App::new(&options, Utc::now()),
            requests,
            disk,
            results,
            sent: Vec::new(),
        };
        driver.act(Event::Resize(width, height));
        let effects = driver.app.start();
        driver.effects(effects);
        driver
    }

    /// Where the disk task keeps drafts.
    pub fn data_dir(&self) -> &Path {
        let (_, data_dir) = self.disk.as_ref().expect("started with Driver::composing");
        data_dir.path()
    }

    fn effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Request(request) => {
                    self.sent.push(request.clone());
                    self.requests.send(request).expect("worker running")
                }
                Effect::Disk(op) => {
                    if let Some((disk, _)) = &self.disk {
                        disk.send(op).expect("disk task running")
                    }
                }
                Effect::Copy(_) | Effect::Bell | Effect::Quit => {}
            }
        }
    }

    pub fn act(&mut self, event: impl Into<Event>) {
        let effects = update(&mut self.app, event);
        self.effects(effects);
    }

    /// Presses `key` as the terminal would: through the key table in force.
    pub fn press(&mut self, key: crossterm::event::KeyEvent) {
        if let Some(event) = pcinbox::tui::keys::event_for(&self.app, key) {
            self.act(event);
        }
    }

    /// Types `text`, a key per character, into whatever has the keys.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char(c),
            ));
        }
    }

    /// Applies worker results until `condition` holds.
    pub async fn until(&mut self, what: &str, condition: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !condition(&self.app) {
            let action = tokio::time::timeout_at(deadline, self.results.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting until {what}"))
                .expect("the worker stopped");
            self.act(action);
        }
    }

    /// The id of the selected row.
    pub fn selected_id(&self) -> String {
        self.app
            .selected_row()
            .expect("a selected row")
            .id()
            .to_owned()
    }

    /// The status the listing shows for `id`.
    pub fn row_status(&self, id: &str) -> Option<InvitationStatus> {
        self.app
            .list
            .listing
            .rows()
            .iter()
            .find(|row| row.id() == id)
            .and_then(|row| row.summary.status.clone())
    }

    /// The ids of every row the listing holds, in order.
    pub fn ids(&self) -> Vec<String> {
        self.app
            .list
            .listing
            .rows()
            .iter()
            .map(|row| row.id().to_owned())
            .collect()
    }

    /// The screen as the user sees it.
    pub fn render(&self) -> String {
        render(&self.app)
    }
}

/// Draws `app` on a test terminal of its size; the buffer's symbols, one line per row.
pub fn render(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| pcinbox::tui::draw::draw(frame, app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut screen = String::new();
    for y in 0..height {
        for x in 0..width {
            screen.push_str(buffer[(x, y)].symbol());
        }
        screen.push('\n');
    }
    screen
}
