//! Settings resolution: command-line flags, then environment, then the config file, then defaults.
//!
//! The config file is TOML at `<config dir>/pcinbox/config.toml`; every key is optional and
//! unknown keys are an error (a typo should not be silently ignored). The AWS settings (profile,
//! region, endpoint) come from the same environment variables the AWS CLI reads.
//!
//! `[keys.<mode>]` rebinds the inbox's keys, `[theme]` colours it and `[[views]]` replaces its
//! views (keys `1`…`9`); all are checked when the file is read, and any problem is a [`ConfigError`] naming the file and the line (pcinbox then
//! exits 2, before the screen changes).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde::Deserialize;
use toml::Spanned;

use crate::api::client::{DEFAULT_REGION, RateLimits};
use crate::api::endpoint::resolve_endpoint_with;
use crate::api::model::{CATALOG_SANDBOX, known_catalog};
use crate::api::rate_limit::default_rate_limits;
use crate::tui::command::Command;
use crate::tui::keymap::{Key, KeyMap, KeyMode};
use crate::tui::theme::{self, Theme};
use crate::tui::views::{MAX_VIEWS, View, Views};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum OutputFormat {
    /// The AWS CLI's JSON shape, for scripts and jq.
    #[default]
    Json,
    /// Aligned columns for people.
    Table,
    /// The AWS CLI's tab-separated text, for cut, awk and shell loops.
    Text,
    /// RFC 4180 CSV with a header row, for spreadsheets (`list` only).
    Csv,
}

/// In the config file as on the command line (`--output`): any letter case; anything else is
/// refused with the values there are (the file's error names the line).
impl<'de> Deserialize<'de> for OutputFormat {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use clap::ValueEnum;
        let named = String::deserialize(deserializer)?;
        OutputFormat::from_str(&named, true).map_err(|_| {
            let values: Vec<String> = OutputFormat::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .map(|v| v.get_name().to_owned())
                .collect();
            serde::de::Error::custom(format!(
                "output: `{named}` must be one of {} (any letter case)",
                values.join(", ")
            ))
        })
    }
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
    /// Ring the terminal bell when a background refresh finds new invitations (default true).
    pub bell: Option<bool>,
    /// Total attempts per call, including the first (default 5).
    pub max_attempts: Option<u32>,
    /// Client-side rate limits; on by default only against the service's own endpoint.
    pub reads_per_second: Option<f64>,
    pub writes_per_second: Option<f64>,
    pub connect_timeout_secs: Option<u64>,
    pub read_timeout_secs: Option<u64>,
    /// `[keys.<mode>]`: command = key or [keys], replacing the command's default keys there.
    #[serde(default)]
    keys: BTreeMap<String, Spanned<BTreeMap<String, Spanned<KeyList>>>>,
    /// `[theme]`: `preset` and colours by role.
    #[serde(default)]
    theme: BTreeMap<String, Spanned<String>>,
    /// `[[views]]`: the views keys `1`…`9` pick, replacing the defaults.
    #[serde(default, rename = "views")]
    view_tables: Vec<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    /// The views in force: the file's, or the defaults (checked by [`FileConfig::load`]).
    #[serde(skip)]
    pub views: Views,
    /// The keys in force: the defaults with `[keys]` applied (checked by [`FileConfig::load`]).
    #[serde(skip)]
    pub keymap: KeyMap,
    /// The colours `[theme]` asks for (checked by [`FileConfig::load`]).
    #[serde(skip)]
    pub colours: Theme,
}

/// One key or several, as a `[keys]` entry writes them.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    fn keys(&self) -> &[String] {
        match self {
            KeyList::One(key) => std::slice::from_ref(key),
            KeyList::Many(keys) => keys,
        }
    }
}

/// A problem in the config file, with the line it is on when known.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|line| format!(":{line}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

/// The line (from 1) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// A name as serde spells it (`status_picker`, `inbox`) to its value.
fn by_name<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

impl FileConfig {
    /// Reads the file; a missing file is the defaults, a malformed one (bad TOML, an unknown
    /// setting, command, key, colour or preset) a [`ConfigError`] naming the line.
    pub fn load(path: &Path) -> anyhow::Result<FileConfig> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        Ok(FileConfig::parse(&text, path)?)
    }

    /// The file's text as settings, keys and colours.
    pub fn parse(text: &str, path: &Path) -> Result<FileConfig, ConfigError> {
        let error = |offset: Option<usize>, message: String| ConfigError {
            path: path.to_owned(),
            line: offset.map(|offset| line_of(text, offset)),
            message,
        };
        let mut file: FileConfig = toml::from_str(text).map_err(|e: toml::de::Error| {
            let at = e.span().map(|span| span.start);
            // The line itself, so the setting is named even where TOML's message does not.
            let quoted = at
                .and_then(|at| text.lines().nth(line_of(text, at) - 1))
                .map(|line| format!("`{}`: ", line.trim()))
                .unwrap_or_default();
            error(at, format!("{quoted}{}", e.message().trim()))
        })?;
        file.keymap = file
            .build_keymap()
            .map_err(|(offset, message)| error(Some(offset), message))?;
        file.colours = file
            .build_theme()
            .map_err(|(offset, message)| error(Some(offset), message))?;
        file.views = file
            .build_views()
            .map_err(|(offset, message)| error(Some(offset), message))?;
        Ok(file)
    }

    /// The defaults with `[keys]` applied; a problem comes with where it is in the file.
    fn build_keymap(&self) -> Result<KeyMap, (usize, String)> {
        let mut map = KeyMap::default();
        // Where each user binding is, to name the line of a clash.
        let mut bound: Vec<(KeyMode, Command, usize)> = Vec::new();
        for (mode_name, table) in &self.keys {
            let modes: Vec<String> = KeyMode::ALL.iter().map(|mode| mode.name()).collect();
            let mode: KeyMode = by_name(mode_name).ok_or_else(|| {
                (
                    table.span().start,
                    format!(
                        "[keys.{mode_name}] is not a key mode; the modes are: {}",
                        modes.join(", ")
                    ),
                )
            })?;
            for (command_name, keys) in table.get_ref() {
                let at = keys.span().start;
                let in_mode = || {
                    let names: Vec<String> =
                        map.table(mode).iter().map(|(c, _)| c.name()).collect();
                    names.join(", ")
                };
                let command: Command = by_name(command_name).ok_or_else(|| {
                    (
                        at,
                        format!(
                            "[keys.{mode_name}] `{command_name}` is not a command; [keys.{mode_name}] has: {}",
                            in_mode()
                        ),
                    )
                })?;
                let keys = keys
                    .get_ref()
                    .keys()
                    .iter()
                    .map(|key| Key::parse(key))
                    .collect::<Result<Vec<Key>, String>>()
                    .map_err(|e| (at, format!("[keys.{mode_name}] {command_name}: {e}")))?;
                map.bind(mode, command, keys).map_err(|e| (at, e.0))?;
                bound.push((mode, command, at));
            }
        }
        if let Some((mode, key, first, second)) = map.clash() {
            let at = bound
                .iter()
                .find(|(m, c, _)| *m == mode && (*c == first || *c == second))
                .map_or(0, |(_, _, at)| *at);
            return Err((
                at,
                format!(
                    "[keys.{}] `{key}` is bound to both `{}` and `{}`; give one of them another key",
                    mode.name(),
                    first.name(),
                    second.name()
                ),
            ));
        }
        Ok(map)
    }

    /// The preset with `[theme]`'s colours applied.
    fn build_theme(&self) -> Result<Theme, (usize, String)> {
        let mut colours = match self.theme.get("preset") {
            None => Theme::default(),
            Some(preset) => Theme::preset(preset.get_ref()).ok_or_else(|| {
                (
                    preset.span().start,
                    format!(
                        "theme.preset: `{}` is not a preset; use one of: {}",
                        preset.get_ref(),
                        theme::PRESETS.join(", ")
                    ),
                )
            })?,
        };
        for (role, value) in self.theme.iter().filter(|(role, _)| *role != "preset") {
            let at = value.span().start;
            let slot = colours.role_mut(role).ok_or_else(|| {
                (
                    at,
                    format!(
                        "theme.{role} is not a colour role; the roles are: preset, {}",
                        theme::ROLES.join(", ")
                    ),
                )
            })?;
            *slot = theme::parse_colour(value.get_ref())
                .map_err(|e| (at, format!("theme.{role}: {e}")))?;
        }
        Ok(colours)
    }

    /// The `[[views]]`, or the defaults when there are none; a problem names the view (its
    /// position and name), the field and the rule.
    fn build_views(&self) -> Result<Views, (usize, String)> {
        if self.view_tables.is_empty() {
            return Ok(Views::default());
        }
        let mut views = Vec::new();
        for (index, table) in self.view_tables.iter().enumerate() {
            let fields = table.get_ref();
            let name = fields
                .get("name")
                .and_then(|name| name.get_ref().as_str())
                .map(str::trim)
                .filter(|name| !name.is_empty());
            let named = match name {
                Some(name) => format!("[[views]] {} (\"{name}\")", index + 1),
                None => format!("[[views]] {}", index + 1),
            };
            if index == MAX_VIEWS {
                return Err((
                    table.span().start,
                    format!("{named}: at most {MAX_VIEWS} views, one per key 1 to 9"),
                ));
            }
            let mut view = View::named(name.unwrap_or_default());
            for (field, value) in fields {
                view.set(field, value.get_ref())
                    .map_err(|rule| (value.span().start, format!("{named}: {rule}")))?;
            }
            if !fields.contains_key("name") {
                return Err((
                    table.span().start,
                    format!("{named}: name: every view needs one (the header shows it)"),
                ));
            }
            views.push(view);
        }
        Views::saved(views).ok_or((0, "no views".to_owned()))
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
    /// Ring the bell on new invitations found by `--refresh`.
    pub bell: bool,
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
            bell: file.bell.unwrap_or(true),
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
    fn the_output_format_is_matched_in_any_case_as_the_flag_is() {
        for (named, format) in [
            ("TEXT", OutputFormat::Text),
            ("Table", OutputFormat::Table),
            ("json", OutputFormat::Json),
            ("cSv", OutputFormat::Csv),
        ] {
            let file = parse(&format!("output = \"{named}\"")).unwrap();
            assert_eq!(file.output, Some(format), "{named}");
        }
        let (line, message) = refused("mouse = true\noutput = \"yaml\"\n");
        assert_eq!(line, Some(2));
        assert!(message.starts_with("`output = \"yaml\"`: "), "{message}");
        assert!(
            message.contains("output: `yaml` must be one of json, table, text, csv"),
            "{message}"
        );
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

    fn parse(text: &str) -> Result<FileConfig, ConfigError> {
        FileConfig::parse(text, Path::new("config.toml"))
    }

    /// The error for `text`: (line, message).
    fn refused(text: &str) -> (Option<usize>, String) {
        let error = parse(text).expect_err("refused");
        (error.line, error.message)
    }

    #[test]
    fn keys_from_the_file_replace_a_commands_defaults_only() {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let file = parse(
            "[keys.inbox]\naccept = \"A\"\nstatus_picker = [\"s\", \"w\"]\n\n[keys.composer]\nsend = \"ctrl-enter\"\n",
        );
        // `ctrl-enter` parses (a modifier and a named key).
        let file = file.unwrap();
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let map = &file.keymap;
        assert_eq!(map.command(KeyMode::Inbox, key('A')), Some(Command::Accept));
        assert_eq!(
            map.command(KeyMode::Inbox, key('a')),
            None,
            "the default is gone"
        );
        assert_eq!(
            map.command(KeyMode::Inbox, key('w')),
            Some(Command::StatusPicker)
        );
        assert_eq!(map.command(KeyMode::Inbox, key('x')), Some(Command::Reject));
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(map.command(KeyMode::Composer, ctrl_s), None);
    }

    #[test]
    fn a_bad_binding_names_its_line() {
        let (line, message) = refused("mouse = true\n[keys.inbox]\n\nacept = \"A\"\n");
        assert_eq!(line, Some(4));
        assert!(message.contains("`acept` is not a command"), "{message}");
        let (line, message) = refused("[keys.inbox]\nreject = \"ctrl-\"\n");
        assert_eq!(line, Some(2));
        assert!(message.contains("`ctrl-` is not a key"), "{message}");
        let (line, message) = refused("[keys.inbox]\nrefresh = \"r\"\naccept = \"r\"\n");
        assert_eq!(line, Some(3));
        assert!(
            message.contains("`r` is bound to both `accept` and `refresh`"),
            "{message}"
        );
        let (line, message) = refused("\n[keys.nowhere]\nquit = \"q\"\n");
        assert_eq!(line, Some(2));
        assert!(
            message.contains("[keys.nowhere] is not a key mode"),
            "{message}"
        );
        let (_, message) = refused("[keys.dialog]\naccept = \"a\"\n");
        assert!(
            message.contains("not a command of [keys.dialog]"),
            "{message}"
        );
    }

    #[test]
    fn theme_roles_and_presets_from_the_file() {
        use ratatui::style::Color;
        let file =
            parse("[theme]\npreset = \"light\"\naccent = \"#ff8800\"\nmuted = \"gray\"\n").unwrap();
        assert_eq!(file.colours.accent, Color::Rgb(0xff, 0x88, 0x00));
        assert_eq!(file.colours.muted, Color::Gray);
        assert_eq!(
            file.colours.pending,
            Theme::preset("light").unwrap().pending
        );
        assert!(
            !parse("[theme]\npreset = \"mono\"\n")
                .unwrap()
                .colours
                .colour
        );
        let (line, message) = refused("[theme]\n\nerror = \"reddish\"\n");
        assert_eq!(line, Some(3));
        assert!(
            message.contains("theme.error: `reddish` is not a colour"),
            "{message}"
        );
        let (line, message) = refused("[theme]\npreset = \"solarized\"\n");
        assert_eq!(line, Some(2));
        assert!(message.contains("`solarized` is not a preset"), "{message}");
        let (_, message) = refused("[theme]\nbackground = \"red\"\n");
        assert!(
            message.contains("theme.background is not a colour role"),
            "{message}"
        );
    }

    #[test]
    fn a_malformed_setting_is_quoted_with_its_line() {
        let error = parse("catalog = \"AWS\"\nmouse = 3\n").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(
            error.message.starts_with("`mouse = 3`: "),
            "{}",
            error.message
        );
        assert!(error.to_string().starts_with("config.toml:2: "), "{error}");
    }

    #[test]
    fn views_from_the_file_replace_the_defaults_in_order() {
        use crate::api::model::{InvitationStatus, ParticipantType};
        use crate::tui::listing::{Kind, Sender, Sort};
        assert_eq!(parse("mouse = true\n").unwrap().views, Views::default());
        let file = parse(
            "[[views]]\nname = \"Urgent\"\nparticipant = \"received\"\nstatus = [\"PENDING\"]\n\
             kind = \"opportunity\"\nexpiring-within-days = 3\nsort = \"expiry\"\n\n\
             [[views]]\nname = \"Globex\"\nsender = \"Globex Integrators\"\n\n\
             [[views]]\nname = \"Sent leads\"\nparticipant = \"sent\"\nkind = \"lead\"\nsort = \"oldest\"\n",
        )
        .unwrap();
        let views: Vec<&View> = file.views.iter().collect();
        assert_eq!(views.len(), 3);
        assert_eq!(
            *views[0],
            View {
                name: "Urgent".into(),
                participant: ParticipantType::Receiver,
                statuses: vec![InvitationStatus::Pending],
                kind: Some(Kind::Opportunity),
                sender: Sender::Anyone,
                expiring_within_days: Some(3),
                sort: Sort::Deadline,
            }
        );
        assert_eq!(views[1].sender, Sender::Named("Globex Integrators".into()));
        assert_eq!(
            (&views[2].participant, views[2].kind, views[2].sort),
            (&ParticipantType::Sender, Some(Kind::Lead), Sort::Oldest)
        );
    }

    #[test]
    fn a_malformed_view_names_itself_its_field_and_its_line() {
        let good = "[[views]]\nname = \"Fine\"\n\n";
        for (view, line, says) in [
            (
                "[[views]]\nname = \"Urgent\"\nkind = \"opp\"\n",
                6,
                "[[views]] 2 (\"Urgent\"): kind: `opp` must be \"opportunity\" or \"lead\"",
            ),
            (
                "[[views]]\nname = \"Urgent\"\nparticipant = \"inbox\"\n",
                6,
                "[[views]] 2 (\"Urgent\"): participant: `inbox` must be \"received\" or \"sent\"",
            ),
            (
                "[[views]]\nname = \"Urgent\"\nstatus = [\"pending\", \"open\"]\n",
                6,
                "[[views]] 2 (\"Urgent\"): status: `open` is not a status; use ACCEPTED, PENDING, REJECTED, EXPIRED",
            ),
            (
                "[[views]]\nname = \"Urgent\"\n\nsort = \"deadline\"\n",
                7,
                "[[views]] 2 (\"Urgent\"): sort: `deadline` must be \"newest\", \"oldest\" or \"expiry\"",
            ),
            (
                "[[views]]\nname = \"Urgent\"\nexpiring-within-days = 0\n",
                6,
                "[[views]] 2 (\"Urgent\"): expiring-within-days: `0` must be a whole number of days from 1 to 3650",
            ),
            (
                "[[views]]\nname = \"Urgent\"\nexpiring-within = 3\n",
                6,
                "[[views]] 2 (\"Urgent\"): `expiring-within` is not a view field; a view has: name, participant, status, kind, sender, expiring-within-days, sort",
            ),
            (
                "[[views]]\nname = \"\"\n",
                5,
                "[[views]] 2: name: must not be empty",
            ),
            (
                "[[views]]\nstatus = \"pending\"\n",
                4,
                "[[views]] 2: name: every view needs one",
            ),
        ] {
            let (at, message) = refused(&format!("{good}{view}"));
            assert_eq!(at, Some(line), "{view}: {message}");
            assert!(message.starts_with(says), "{view}: {message}");
        }
        let ten: String = (1..=10)
            .map(|n| format!("[[views]]\nname = \"View {n}\"\n"))
            .collect();
        let (at, message) = refused(&ten);
        assert_eq!(at, Some(19));
        assert_eq!(
            message,
            "[[views]] 10 (\"View 10\"): at most 9 views, one per key 1 to 9"
        );
    }
}
