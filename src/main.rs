//! The `pcinbox` binary: parse arguments, resolve settings, start logging, dispatch.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use pcinbox::api::client::{Client, ClientConfig};
use pcinbox::cli::{Cli, run_command};
use pcinbox::config::{FileConfig, Paths, Settings};
use pcinbox::logging;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("pcinbox: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let env = |name: &str| std::env::var(name).ok();
    let paths = Paths::discover(&env)?;
    let file = FileConfig::load(&paths.config_file)?;
    let settings = Settings::resolve(&cli.global.overrides(), &file, &env)?;
    let _log_guard = logging::init(&paths.log_dir, cli.global.debug)
        .with_context(|| format!("cannot write logs under {}", paths.log_dir.display()))?;
    let client = Client::new(client_config(&settings)).await?;
    match cli.command {
        Some(command) => Ok(run_command(
            command,
            &settings,
            &client,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )
        .await?),
        None => anyhow::bail!("the inbox is not built yet; use a subcommand (see --help)"),
    }
}

fn client_config(settings: &Settings) -> ClientConfig {
    ClientConfig {
        endpoint: settings.endpoint.clone(),
        region: settings.region.clone(),
        profile: settings.profile.clone(),
        max_attempts: settings.max_attempts,
        rate_limits: settings.rate_limits,
        connect_timeout: settings.connect_timeout,
        read_timeout: settings.read_timeout,
    }
}
