//! The `pcinbox` binary: parse arguments, resolve settings, start logging, dispatch.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use std::io::Write;

use clap::Parser;

use pcinbox::api::client::{Client, ClientConfig, StaticCredentials};
use pcinbox::cli::watch::{self, Watcher};
use pcinbox::cli::{
    Cli, Command, ComposeArgs, EXIT_INVALID_INPUT, EXIT_SERVICE_ERROR, InputError, ServeArgs,
    completions, man_page, read_document, run_command,
};
use pcinbox::config::{ConfigError, FileConfig, Paths, Settings};
use pcinbox::emulator::{self, EmulatorOptions, Faults, RunningEmulator, Storage};
use pcinbox::logging;
use pcinbox::tui::{self, ComposeStart, TuiOptions};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Printed from the parsed arguments alone: no settings, logs or files are touched.
    match &cli.command {
        Some(Command::Completions { shell }) => return print_generated(&completions(*shell)),
        Some(Command::Man) => return print_generated(&man_page()),
        _ => {}
    }
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("pcinbox: {error:#}");
            // Refused before anything was sent (a bad document, flag or config file, found
            // before the screen changes): exit 2, as a usage error is.
            if error.is::<Refused>() || error.is::<InputError>() || error.is::<ConfigError>() {
                ExitCode::from(EXIT_INVALID_INPUT)
            } else {
                ExitCode::from(EXIT_SERVICE_ERROR)
            }
        }
    }
}

/// Settings or arguments that refuse the command before anything starts.
#[derive(Debug, thiserror::Error)]
#[error("{0:#}")]
struct Refused(anyhow::Error);

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    pcinbox::files::make_new_files_private();
    let env = |name: &str| std::env::var(name).ok();
    let paths = Paths::discover(&env)?;
    let file = FileConfig::load(&paths.config_file).map_err(Refused)?;
    let mut settings = Settings::resolve(&cli.global.overrides(), &file, &env).map_err(Refused)?;
    let _log_guard = logging::init(&paths.log_dir, cli.global.debug)
        .with_context(|| format!("cannot write logs under {}", paths.log_dir.display()))?;
    if let Some(Command::Serve(args)) = cli.command {
        return serve(args, &paths).await;
    }
    if let Some(Command::Keys) = cli.command {
        print!("{}", file.keymap.to_toml());
        return Ok(ExitCode::SUCCESS);
    }
    // `compose`: a bad document or flag is reported before anything starts or the terminal is
    // touched.
    let compose = match &cli.command {
        Some(Command::Compose(args)) => Some(compose_start(args, cli.global.read_only)?),
        _ => None,
    };
    // `--local`: the embedded emulator, in-process on a free port, with the persistent store
    // (shared with every other `--local` process and `serve`).
    let local = if cli.global.local {
        let running = emulator::start(EmulatorOptions::local(&paths.data_dir)).await?;
        // A store imported or set aside is news; the usual "where it is" is not.
        for line in running.store().lines().iter().skip(1) {
            eprintln!("pcinbox: emulator store: {line}");
        }
        settings.use_emulator(running.endpoint(), &cli.global.overrides(), &file);
        Some(running)
    } else {
        None
    };
    let config = client_config(&settings, cli.global.profile.clone());
    let client = match &local {
        Some(_) => Client::with_static_credentials(config, local_credentials()),
        None => Client::new(config).await?,
    };
    let profile = match (&local, &settings.profile) {
        (Some(_), _) => "local".to_owned(),
        (None, Some(profile)) => profile.clone(),
        (None, None) => "default".to_owned(),
    };
    let code = match cli.command {
        Some(Command::Watch(args)) => {
            let watcher = Watcher {
                client: client.clone(),
                catalog: settings.catalog.clone(),
                profile,
                data_dir: paths.data_dir.clone(),
            };
            if watch::run(args, watcher).await? {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_SERVICE_ERROR)
            }
        }
        Some(command) if compose.is_none() => {
            run_command(
                command,
                &settings,
                cli.global.query.as_ref(),
                &client,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
            .await?
        }
        _ => {
            let options = TuiOptions {
                catalog: settings.catalog.clone(),
                profile,
                read_only: cli.global.read_only,
                mouse: settings.mouse,
                refresh: settings.refresh,
                bell: settings.bell,
                cache_dir: Some(paths.cache_dir.clone()),
                data_dir: Some(paths.data_dir.clone()),
                export_dir: std::env::current_dir().unwrap_or_else(|_| ".".into()),
                compose,
                local: local.is_some(),
                keymap: std::sync::Arc::new(file.keymap.clone()),
                views: std::sync::Arc::new(file.views.clone()),
            };
            let mut colours = file.colours.clone();
            // NO_COLOR (any value): no colour at all; bold, reverse and underline still mark.
            if std::env::var_os("NO_COLOR").is_some() {
                colours.colour = false;
            }
            tui::theme::install(colours);
            tui::run(options, client).await?;
            ExitCode::SUCCESS
        }
    };
    if let Some(running) = local {
        running.shutdown().await?;
    }
    Ok(code)
}

/// How `pcinbox compose` opens: on a document that parses (its rule violations are shown in the
/// composer), or on the unsent draft.
/// A document that cannot be read or parsed is refused as `create` refuses it (exit 2).
fn compose_start(args: &ComposeArgs, read_only: bool) -> anyhow::Result<ComposeStart> {
    if read_only {
        return Err(refused(
            "compose cannot run with --read-only (it creates invitations)",
        ));
    }
    Ok(match &args.from {
        None => ComposeStart::Draft,
        Some(source) => {
            if source == "-" {
                return Err(refused(
                    "compose --from needs a file: standard input belongs to the terminal",
                ));
            }
            let (source, document) = read_document(source, &mut std::io::stdin().lock())?;
            ComposeStart::Document { source, document }
        }
    })
}

fn refused(message: &'static str) -> anyhow::Error {
    Refused(anyhow::anyhow!(message)).into()
}

/// `pcinbox completions SHELL` and `pcinbox man`: printed to stdout.
fn print_generated(text: &[u8]) -> ExitCode {
    match std::io::stdout().lock().write_all(text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pcinbox: cannot write to standard output: {error}");
            ExitCode::from(EXIT_SERVICE_ERROR)
        }
    }
}

/// `pcinbox serve`: the emulator in the foreground until Ctrl-C (or SIGTERM, as service
/// managers and `kill` send it), finishing the requests in flight before it exits.
async fn serve(args: ServeArgs, paths: &Paths) -> anyhow::Result<ExitCode> {
    let options = EmulatorOptions {
        bind: SocketAddr::new(args.bind, args.port),
        seed_count: args.seed_count,
        faults: Faults {
            throttle_rate: args.fault_throttle_rate,
            error_rate: args.fault_error_rate,
            latency: Duration::from_millis(args.latency_ms),
            seed: args.fault_seed,
        },
        verify_credentials: args.verify_credentials,
        task_duration: Duration::from_secs(args.task_seconds),
        request_log: args.request_log,
        ..EmulatorOptions::default()
    };
    let options = match (args.ephemeral, args.data) {
        (true, _) => EmulatorOptions {
            storage: Storage::Ephemeral,
            ..options
        },
        (false, Some(file)) => EmulatorOptions {
            storage: Storage::File(file),
            ..options
        },
        (false, None) => options.with_default_store(&paths.data_dir),
    };
    let running: RunningEmulator = emulator::start(options).await?;
    let endpoint = running.endpoint();
    println!("Partner Central Selling emulator listening on {endpoint}");
    for (n, line) in running.store().lines().iter().enumerate() {
        println!("{}{line}", if n == 0 { "Store: " } else { "       " });
    }
    println!("Try:   {}", emulator::aws_cli_example(&endpoint));
    // Keys are needed to sign, not checked (unless --verify-credentials): the banner's work.
    println!(
        "Or:    AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} pcinbox --endpoint-url {endpoint} list --output table",
        emulator::LOCAL_ACCESS_KEY_ID,
        emulator::LOCAL_SECRET_ACCESS_KEY
    );
    println!("Ctrl-C stops it.");
    stop_signal().await?;
    running.shutdown().await?;
    Ok(ExitCode::SUCCESS)
}

/// Waits for Ctrl-C, or on Unix for SIGTERM too.
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await
}

fn local_credentials() -> StaticCredentials {
    StaticCredentials {
        access_key_id: emulator::LOCAL_ACCESS_KEY_ID.to_owned(),
        secret_access_key: emulator::LOCAL_SECRET_ACCESS_KEY.to_owned(),
        session_token: None,
    }
}

/// `explicit_profile` is `--profile` only: it beats keys in the environment, while AWS_PROFILE
/// (which aws-config reads itself) does not, as in the AWS CLI.
fn client_config(settings: &Settings, explicit_profile: Option<String>) -> ClientConfig {
    ClientConfig {
        endpoint: settings.endpoint.clone(),
        region: settings.region.clone(),
        profile: explicit_profile,
        max_attempts: settings.max_attempts,
        rate_limits: settings.rate_limits,
        connect_timeout: settings.connect_timeout,
        read_timeout: settings.read_timeout,
    }
}
