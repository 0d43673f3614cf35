//! Settings resolution: command-line flags, then environment, then the config file, then defaults.
//!
//! The config file is TOML at `<config dir>/pcinbox/config.toml`; every key is optional and
//! unknown keys are an error (a typo should not be silently ignored). The AWS settings (profile,
//! region, endpoint) come from the same environment variables the AWS CLI reads.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde::Deserialize;

use crate::api::client::{DEFAULT_REGION, RateLimits};
use crate::api::endpoint::resolve_endpoint_with;
use crate::api::model::{CATALOG_SANDBOX, known_catalog};
use crate::api::rate_limit::default_rate_limits;

const SERVICE_QUOTAS: RateLimits = RateLimits::SERVICE_QUOTAS;

/// Where pcinbox keeps its files. `PCINBOX_HOME` puts them all under one folder (tests, demos);
/// otherwise the platform's directories (XDG on Linux).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    pub cache_dir: PathBuf,
    pub log_dir: PathBuf,
}

impl Paths {
    pub fn discover(env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Paths> {
        if let Some(home) = env("PCINBOX_HOME").filter(|h| !h.is_empty()) {
            let home = PathBuf::from(home);
            return Ok(Paths {
                config_file: home.join("config.toml"),
                data_dir: home.join("data"),
                cache_dir: home.join("cache"),
                log_dir: home.join("logs"),
            });
        }
        let dirs = directories::ProjectDirs::from("", "", "pcinbox")
            .context("cannot find a home directory for pcinbox's files; set PCINBOX_HOME")?;
        Ok(Paths {
            config_file: dirs.config_dir().join("config.toml"),
            data_dir: dirs.data_dir().to_path_buf(),
            cache_dir: dirs.cache_dir().to_path_buf(),
            log_dir: dirs
                .state_dir()
                .unwrap_or_else(|| dirs.data_local_dir())
                .join("logs"),
        })
    }
}

/// Output of the scripting commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// The AWS CLI's JSON shape, for scripts and jq.
    #[default]
    Json,
    /// Aligned columns for people.
    Table,
    /// The AWS CLI's tab-separated text, for cut, awk and shell loops.
    Text,
}

/// The config file. Every key has a default.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    /// `AWS` or `Sandbox` (default Sandbox).
    pub catalog: Option<String>,
    pub output: Option<OutputFormat>,
    /// Mouse capture in the inbox (off by default: it breaks native text selection).
    pub mouse: Option<bool>,
    /// Re-list in the background every N seconds.
    pub refresh_secs: Option<u64>,
    /// Total attempts per call, including the first (default 5).
    pub max_attempts: Option<u32>,
    /// Client-side rate limits; on by default only against the service's own endpoint.
    pub reads_per_second: Option<f64>,
    pub writes_per_second: Option<f64>,
    pub connect_timeout_secs: Option<u64>,
    pub read_timeout_secs: Option<u64>,
}

impl FileConfig {
    /// Reads the file; a missing file is the defaults, a malformed one an error naming the line.
    pub fn load(path: &Path) -> anyhow::Result<FileConfig> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))
    }

    /// The client-side rate limits the file sets, if any; set, they apply to every endpoint.
    fn rate_limits(&self) -> Option<RateLimits> {
        match (self.reads_per_second, self.writes_per_second) {
            (None, None) => None,
            (reads, writes) => Some(RateLimits {
                reads_per_second: reads.unwrap_or(SERVICE_QUOTAS.reads_per_second),
                writes_per_second: writes.unwrap_or(SERVICE_QUOTAS.writes_per_second),
            }),
        }
    }
}

/// What the command line says (the global flags), before resolution.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub catalog: Option<String>,
    pub output: Option<OutputFormat>,
    pub mouse: bool,
    pub refresh_secs: Option<u64>,
    pub max_attempts: Option<u32>,
}

/// Resolved settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub catalog: String,
    pub output: OutputFormat,
    pub profile: Option<String>,
    pub region: String,
    pub endpoint: String,
    /// Whether `endpoint` is the service's own (the rate limiter's default depends on it).
    pub endpoint_is_service: bool,
    pub max_attempts: u32,
    pub rate_limits: Option<RateLimits>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub mouse: bool,
    pub refresh: Option<Duration>,
}

impl Settings {
    pub fn resolve(
        flags: &Overrides,
        file: &FileConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Settings> {
        let non_empty = |name: &str| env(name).filter(|v| !v.is_empty());
        let named = flags.catalog.as_deref().or(file.catalog.as_deref());
        // Any letter case, sent as the service spells it (`sandbox` is Sandbox).
        let catalog = match named.map(|name| (name, known_catalog(name))) {
            None => CATALOG_SANDBOX.to_owned(),
            Some((_, Some(known))) => known.to_owned(),
            Some((name, None)) => anyhow::bail!("catalog: `{name}` must be AWS or Sandbox"),
        };
        let (endpoint, endpoint_is_service) =
            resolve_endpoint_with(flags.endpoint_url.as_deref(), env);
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
            anyhow::bail!("endpoint URL `{endpoint}` must start with http:// or https://");
        }
        let configured_limits = file.rate_limits();
        if let Some(limits) = configured_limits
            && !(limits.reads_per_second > 0.0 && limits.writes_per_second > 0.0)
        {
            anyhow::bail!("reads-per-second and writes-per-second must be greater than 0");
        }
        let max_attempts = flags.max_attempts.or(file.max_attempts).unwrap_or(5);
        if max_attempts == 0 {
            anyhow::bail!("max-attempts must be at least 1");
        }
        Ok(Settings {
            catalog,
            output: flags.output.or(file.output).unwrap_or_default(),
            profile: flags.profile.clone().or_else(|| non_empty("AWS_PROFILE")),
            region: flags
                .region
                .clone()
                .or_else(|| non_empty("AWS_REGION"))
                .unwrap_or_else(|| DEFAULT_REGION.to_owned()),
            rate_limits: configured_limits.or(default_rate_limits(endpoint_is_service)),
            endpoint,
            endpoint_is_service,
            max_attempts,
            connect_timeout: Duration::from_secs(file.connect_timeout_secs.unwrap_or(5)),
            read_timeout: Duration::from_secs(file.read_timeout_secs.unwrap_or(30)),
            mouse: flags.mouse || file.mouse.unwrap_or(false),
            refresh: flags
                .refresh_secs
                .or(file.refresh_secs)
                .filter(|s| *s > 0)
                .map(Duration::from_secs),
        })
    }

    /// `--local`: the embedded emulator at `endpoint`, without a rate limiter unless the config
    /// file sets one, and the Sandbox catalog (the demo's) unless `--catalog` names another,
    /// even when the config file picks AWS for the real service.
    pub fn use_emulator(&mut self, endpoint: String, flags: &Overrides, file: &FileConfig) {
        self.endpoint = endpoint;
        self.endpoint_is_service = false;
        self.rate_limits = file.rate_limits();
        self.catalog = flags
            .catalog
            .as_deref()
            .and_then(known_catalog)
            .unwrap_or(CATALOG_SANDBOX)
            .to_owned();
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::api::env_of;

    #[test]
    fn defaults_target_the_service_with_its_quotas() {
        let s =
            Settings::resolve(&Overrides::default(), &FileConfig::default(), &env_of(&[])).unwrap();
        assert_eq!(s.endpoint, crate::api::endpoint::DEFAULT_ENDPOINT);
        assert_eq!(s.region, "us-east-1");
        assert_eq!(s.catalog, "Sandbox");
        assert_eq!(s.rate_limits, Some(SERVICE_QUOTAS));
        assert_eq!(s.max_attempts, 5);
        assert!(!s.mouse);
    }

    #[test]
    fn endpoint_precedence_follows_the_aws_cli() {
        let env = env_of(&[
            ("AWS_ENDPOINT_URL", "http://generic:1"),
            (
                "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING",
                "http://specific:2/",
            ),
        ]);
        let file = FileConfig::default();
        let s = Settings::resolve(&Overrides::default(), &file, &env).unwrap();
        assert_eq!(s.endpoint, "http://specific:2");
        assert_eq!(s.rate_limits, None, "limiter is off for a custom endpoint");
        let flags = Overrides {
            endpoint_url: Some("http://flag:3".into()),
            ..Overrides::default()
        };
        assert_eq!(
            Settings::resolve(&flags, &file, &env).unwrap().endpoint,
            "http://flag:3"
        );
        let generic_only = env_of(&[("AWS_ENDPOINT_URL", "http://generic:1")]);
        let s = Settings::resolve(&Overrides::default(), &file, &generic_only).unwrap();
        assert_eq!(s.endpoint, "http://generic:1");
    }

    #[test]
    fn flags_beat_environment_beat_file() {
        let env = env_of(&[("AWS_PROFILE", "envprof"), ("AWS_REGION", "eu-west-1")]);
        let file: FileConfig =
            toml::from_str("catalog = \"AWS\"\noutput = \"table\"\nmax-attempts = 3\n").unwrap();
        let s = Settings::resolve(&Overrides::default(), &file, &env).unwrap();
        assert_eq!(
            (s.profile.as_deref(), s.region.as_str(), s.catalog.as_str()),
            (Some("envprof"), "eu-west-1", "AWS")
        );
        assert_eq!((s.output, s.max_attempts), (OutputFormat::Table, 3));
        let flags = Overrides {
            profile: Some("flagprof".into()),
            catalog: Some("Sandbox".into()),
            output: Some(OutputFormat::Json),
            ..Overrides::default()
        };
        let s = Settings::resolve(&flags, &file, &env).unwrap();
        assert_eq!(
            (s.profile.as_deref(), s.catalog.as_str(), s.output),
            (Some("flagprof"), "Sandbox", OutputFormat::Json)
        );
    }

    #[test]
    fn configured_limits_apply_to_any_endpoint() {
        let file: FileConfig = toml::from_str("reads-per-second = 2.5").unwrap();
        let env = env_of(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:9")]);
        let s = Settings::resolve(&Overrides::default(), &file, &env).unwrap();
        assert_eq!(
            s.rate_limits,
            Some(RateLimits {
                reads_per_second: 2.5,
                writes_per_second: 1.0
            })
        );
    }

    #[test]
    fn the_emulator_gets_the_sandbox_and_only_configured_limits() {
        let file: FileConfig = toml::from_str("catalog = \"AWS\"").unwrap();
        let mut s = Settings::resolve(&Overrides::default(), &file, &env_of(&[])).unwrap();
        assert_eq!(
            (s.catalog.as_str(), s.rate_limits),
            ("AWS", Some(SERVICE_QUOTAS))
        );
        s.use_emulator("http://127.0.0.1:9".into(), &Overrides::default(), &file);
        assert_eq!(
            (s.endpoint.as_str(), s.catalog.as_str(), s.rate_limits),
            ("http://127.0.0.1:9", "Sandbox", None)
        );
        let limited: FileConfig = toml::from_str("writes-per-second = 0.5").unwrap();
        let flags = Overrides {
            catalog: Some("AWS".into()),
            ..Overrides::default()
        };
        s.use_emulator("http://127.0.0.1:9".into(), &flags, &limited);
        assert_eq!(s.catalog, "AWS");
        assert_eq!(
            s.rate_limits,
            Some(RateLimits {
                reads_per_second: 10.0,
                writes_per_second: 0.5
            })
        );
    }

    #[test]
    fn catalogs_are_matched_in_any_case_and_sent_as_the_service_spells_them() {
        for (named, sent) in [
            ("sandbox", "Sandbox"),
            ("aws", "AWS"),
            ("SANDBOX", "Sandbox"),
        ] {
            let file: FileConfig = toml::from_str(&format!("catalog = \"{named}\"")).unwrap();
            let s = Settings::resolve(&Overrides::default(), &file, &env_of(&[])).unwrap();
            assert_eq!(s.catalog, sent);
        }
        let file: FileConfig = toml::from_str("catalog = \"Foo\"").unwrap();
        let err = Settings::resolve(&Overrides::default(), &file, &env_of(&[]))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "catalog: `Foo` must be AWS or Sandbox");
    }

    #[test]
    fn bad_settings_are_named() {
        let bad_catalog = Overrides {
            catalog: Some("AWS 2".into()),
            ..Overrides::default()
        };
        let err = Settings::resolve(&bad_catalog, &FileConfig::default(), &env_of(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("catalog"), "{err}");
        let err = toml::from_str::<FileConfig>("catalgo = \"AWS\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("catalgo"), "{err}");
    }

    #[test]
    fn missing_config_file_is_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            FileConfig::load(&dir.path().join("nope.toml")).unwrap(),
            FileConfig::default()
        );
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "mouse = true\nrefresh-secs = 60\n").unwrap();
        let file = FileConfig::load(&path).unwrap();
        assert_eq!((file.mouse, file.refresh_secs), (Some(true), Some(60)));
    }

    #[test]
    fn pcinbox_home_holds_every_file() {
        let paths = Paths::discover(&env_of(&[("PCINBOX_HOME", "/tmp/x")])).unwrap();
        assert_eq!(paths.config_file, PathBuf::from("/tmp/x/config.toml"));
        assert_eq!(paths.log_dir, PathBuf::from("/tmp/x/logs"));
    }
}
