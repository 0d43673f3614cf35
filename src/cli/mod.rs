//! The command line: global flags (accepted before or after a subcommand) and the scripting
//! subcommands, which mirror the AWS CLI's `partnercentral-selling` commands.

mod commands;
mod docs;
mod engagement;
mod input;
mod json;
mod output;
mod query;
mod table;
mod text;
pub mod watch;

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

pub use commands::{EXIT_INVALID_INPUT, EXIT_SERVICE_ERROR, run_command};
pub use docs::{completions, man_page};
pub use engagement::{StartEngagementArgs, TasksArgs};
pub use input::{InputError, read_create_input, read_document};
pub use query::Query;

use crate::api::model::{CATALOGS, InvitationStatus, ParticipantType, PayloadType, SortOrder};
use crate::api::pagination::ResumeToken;
use crate::config::{OutputFormat, Overrides};

/// A terminal inbox for AWS Partner Central engagement invitations.
///
/// With no subcommand, opens the inbox. `--local` runs everything against the embedded emulator
/// (no AWS account needed).
#[derive(Debug, Parser)]
#[command(name = "pcinbox", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every subcommand takes, before or after it; their own heading in `--help` keeps a
/// subcommand's flags readable.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// AWS profile from ~/.aws/config (else AWS_PROFILE, else the default chain).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// AWS region for signing (else AWS_REGION, else us-east-1, the service's only region).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Service endpoint (else AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING, else AWS_ENDPOINT_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Catalog: AWS (live) or Sandbox (testing), any letter case. Default Sandbox, or the
    /// config file's.
    #[arg(long, global = true, ignore_case = true, value_parser = one_of(CATALOGS))]
    pub catalog: Option<String>,
    /// Output of the scripting commands (any letter case).
    #[arg(long, global = true, value_enum, ignore_case = true)]
    pub output: Option<OutputFormat>,
    /// A JMESPath expression applied to the result, as in the AWS CLI: to the whole result
    /// (all pages merged) for json and table, to each page for text.
    #[arg(long, global = true, value_name = "JMESPATH", value_parser = Query::parse)]
    pub query: Option<Query>,
    /// Log request and response metadata to the log file (secrets redacted).
    #[arg(long, global = true)]
    pub debug: bool,
    /// Run against the embedded emulator, started in-process with the demo store (Sandbox
    /// catalog unless --catalog says otherwise).
    #[arg(long, global = true, conflicts_with = "endpoint_url")]
    pub local: bool,
    /// Total attempts per call, including the first (default 5).
    #[arg(long, global = true, value_name = "N")]
    pub max_attempts: Option<u32>,
    /// Inbox: hide and refuse accept, reject and compose.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Inbox: capture the mouse (off by default so native text selection works).
    #[arg(long, global = true)]
    pub mouse: bool,
    /// Inbox: re-list in the background every SECS seconds and mark new invitations.
    #[arg(long, global = true, value_name = "SECS")]
    pub refresh: Option<u64>,
}

impl GlobalArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            catalog: self.catalog.clone(),
            output: self.output,
            mouse: self.mouse,
            refresh_secs: self.refresh,
            max_attempts: self.max_attempts,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List engagement invitations (all pages), newest first.
    List(ListArgs),
    /// Show one invitation in full.
    Get {
        /// Invitation id (engi-…) or ARN.
        id: String,
    },
    /// List the members of an engagement (all pages).
    Members {
        /// Engagement id (eng-…) or ARN.
        engagement_id: String,
        /// Members per page (1 to 10; default: the service's). Like the AWS CLI's --page-size.
        #[arg(long, value_name = "N")]
        page_size: Option<u32>,
        #[command(flatten)]
        paging: PagingArgs,
    },
    /// Accept PENDING invitations (several: one a second, the write quota; a line for each).
    ///
    /// Exits 1 if any was not accepted; every id is checked before the first is sent.
    Accept {
        /// Invitation ids (engi-…) or ARNs.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Reject PENDING invitations (several: one a second, the write quota; a line for each).
    ///
    /// Exits 1 if any was not rejected; every id is checked before the first is sent.
    Reject {
        /// Invitation ids (engi-…) or ARNs.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Why (1 to 80 characters), the same for every id.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Create an invitation from an AWS CLI `--cli-input-json` document.
    Create(CreateArgs),
    /// Accept an invitation and create its opportunity (an accepting task, followed to its end).
    ///
    /// Exits 0 when the task is COMPLETE, 1 when it FAILED (the reason in words on stderr).
    StartEngagement(StartEngagementArgs),
    /// List your accepting tasks (all pages), newest first.
    Tasks(TasksArgs),
    /// Show one engagement: title, description, members, contexts.
    Engagement {
        /// Engagement id (eng-…) or ARN.
        id: String,
    },
    /// List the engagements you are a member of (all pages), newest first.
    Engagements {
        /// Engagements per page (1 to 100; default: the service's). Like the AWS CLI's
        /// --page-size.
        #[arg(long, value_name = "N")]
        page_size: Option<u32>,
        #[command(flatten)]
        paging: PagingArgs,
    },
    /// Show one opportunity in your account.
    Opportunity {
        /// Opportunity id (O followed by digits).
        id: String,
    },
    /// Open the composer at once (Esc leaves to the inbox), on the unsent draft or a new one.
    Compose(ComposeArgs),
    /// Run the Partner Central Selling emulator.
    Serve(ServeArgs),
    /// Watch for new invitations, status changes and deadlines: one JSON line per event.
    Watch(watch::WatchArgs),
    /// Print the inbox's keys in force, every mode and command, as config-file TOML (copy any
    /// of it into the config file's [keys] tables).
    Keys,
    /// Print a shell completion script (e.g. `pcinbox completions bash > ~/.local/share/bash-completion/completions/pcinbox`).
    Completions {
        /// The shell.
        #[arg(value_enum, ignore_case = true)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of the whole command line (e.g. `pcinbox man | man -l -`).
    Man,
}

#[derive(Debug, Args, Clone)]
pub struct ComposeArgs {
    /// Prefill a new draft from an AWS CLI `--cli-input-json` document (`PATH` or
    /// `file://PATH`); the unsent draft, if any, is moved aside.
    #[arg(long, value_name = "FILE")]
    pub from: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct ListArgs {
    /// RECEIVER (invitations to you, the default) or SENDER (invitations you sent).
    #[arg(long, default_value = "RECEIVER", ignore_case = true,
          value_parser = one_of(ParticipantType::NAMES).map(|v| ParticipantType::from(v.as_str())))]
    pub participant_type: ParticipantType,
    /// Only these statuses (several after one flag, as in the AWS CLI, or the flag repeated).
    #[arg(long = "status", ignore_case = true, num_args = 1..,
          value_parser = one_of(InvitationStatus::NAMES).map(|v| InvitationStatus::from(v.as_str())))]
    pub statuses: Vec<InvitationStatus>,
    /// Only these payload types (several after one flag, or the flag repeated).
    #[arg(long = "payload-type", ignore_case = true, num_args = 1..,
          value_parser = one_of(PayloadType::NAMES).map(|v| PayloadType::from(v.as_str())))]
    pub payload_types: Vec<PayloadType>,
    /// Only these engagements (several after one flag, or the flag repeated).
    #[arg(long = "engagement-identifier", value_name = "ID", num_args = 1..)]
    pub engagement_identifiers: Vec<String>,
    /// Only from these sender accounts or aliases (several after one flag, or the flag
    /// repeated).
    #[arg(long = "sender-aws-account-id", value_name = "ACCOUNT", num_args = 1..)]
    pub sender_aws_account_ids: Vec<String>,
    /// By invitation date: DESCENDING (newest first, the default) or ASCENDING.
    #[arg(long, default_value = "DESCENDING", ignore_case = true,
          value_parser = one_of(SortOrder::NAMES).map(|v| SortOrder::from(v.as_str())))]
    pub sort_order: SortOrder,
    /// Invitations per page (1 to 100). Like the AWS CLI's --page-size.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub page_size: u32,
    #[command(flatten)]
    pub paging: PagingArgs,
}

/// The AWS CLI's `--max-items` and `--starting-token`, for every command that lists pages.
#[derive(Debug, Args, Clone, Default)]
pub struct PagingArgs {
    /// Stop after N items; when more remain, the output ends with a NextToken to pass to
    /// --starting-token (the AWS CLI's: either tool resumes from the other's).
    #[arg(long, value_name = "N", value_parser = parse_max_items)]
    pub max_items: Option<usize>,
    /// Resume where a listing cut short by --max-items stopped: the NextToken it printed.
    #[arg(long, value_name = "TOKEN", value_parser = ResumeToken::decode)]
    pub starting_token: Option<ResumeToken>,
}

#[derive(Debug, Args, Clone)]
pub struct CreateArgs {
    /// The document: `file://PATH`, `PATH`, or `-` for standard input.
    #[arg(long, value_name = "SOURCE")]
    pub cli_input_json: String,
    /// Idempotency token (else the document's, else a new UUID).
    #[arg(long)]
    pub client_token: Option<String>,
    /// Validate and print the request without sending it.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Port to listen on.
    #[arg(long, default_value_t = crate::emulator::DEFAULT_PORT)]
    pub port: u16,
    /// Address to bind (loopback unless told otherwise).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Keep everything in an in-memory database; nothing is written.
    #[arg(long, conflicts_with = "data")]
    pub ephemeral: bool,
    /// The store's SQLite file (default: emulator.sqlite3 under the data dir), shared with
    /// every process that uses it; a JSON store of pcinbox 0.1 is imported into FILE.sqlite3.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Add N generated received invitations to the Sandbox catalog (those the store lacks).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed_count: usize,
    /// Answer this share of requests with ThrottlingException (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "F", value_parser = parse_rate)]
    pub fault_throttle_rate: f64,
    /// Answer this share of requests with InternalServerException (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "F", value_parser = parse_rate)]
    pub fault_error_rate: f64,
    /// Add this much latency to every request.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub latency_ms: u64,
    /// Seed the fault draws, so the same requests in the same order meet the same faults.
    #[arg(long, value_name = "N")]
    pub fault_seed: Option<u64>,
    /// Verify SigV4 signatures against these credentials and refuse others (403).
    #[arg(long, value_name = "AKID:SECRET")]
    pub verify_credentials: Option<crate::emulator::Credentials>,
    /// How long an accepting task (start-engagement) stays IN_PROGRESS.
    #[arg(long, default_value_t = crate::emulator::DEFAULT_TASK_SECONDS, value_name = "N")]
    pub task_seconds: u64,
    /// Append one JSON line per request received (operation, listing status filter, whether
    /// it asked for a later page) to FILE, to count what a client really sends.
    #[arg(long, value_name = "FILE")]
    pub request_log: Option<PathBuf>,
}

/// A flag that takes one of the service's `values`: `--help` lists them, any letter case is
/// accepted (with `ignore_case`) and the value comes out as the service spells it; anything
/// else is a usage error (exit 2) before anything is sent.
pub(super) fn one_of(values: &'static [&'static str]) -> impl TypedValueParser<Value = String> {
    PossibleValuesParser::new(values.iter().map(|v| PossibleValue::new(*v))).map(move |typed| {
        values
            .iter()
            .find(|v| v.eq_ignore_ascii_case(&typed))
            .map_or(typed, |v| (*v).to_owned())
    })
}

fn parse_max_items(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(count) if count > 0 => Ok(count),
        _ => Err(format!("`{text}` must be a whole number, 1 or more")),
    }
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("`{text}` must be a number from 0 to 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "pcinbox",
            "list",
            "--status",
            "PENDING",
            "--status",
            "EXPIRED",
            "--catalog",
            "AWS",
            "--output",
            "table",
        ])
        .unwrap();
        assert_eq!(cli.global.catalog.as_deref(), Some("AWS"));
        assert_eq!(cli.global.output, Some(OutputFormat::Table));
        let Some(Command::List(list)) = cli.command else {
            panic!("not a list command")
        };
        assert_eq!(
            list.statuses,
            [InvitationStatus::Pending, InvitationStatus::Expired]
        );
        assert_eq!(list.participant_type, ParticipantType::Receiver);
        let cli =
            Cli::try_parse_from(["pcinbox", "list", "--status", "pending", "EXPIRED"]).unwrap();
        let Some(Command::List(list)) = cli.command else {
            panic!("not a list command")
        };
        assert_eq!(
            list.statuses,
            [InvitationStatus::Pending, InvitationStatus::Expired],
            "several values after one flag, as in the AWS CLI"
        );
        assert_eq!(list.sort_order, SortOrder::Descending);
    }

    #[test]
    fn unknown_enum_values_are_refused_with_the_choices() {
        let err = Cli::try_parse_from(["pcinbox", "list", "--status", "DONE"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ACCEPTED, PENDING, REJECTED, EXPIRED"),
            "{err}"
        );
    }

    #[test]
    fn the_catalog_flag_takes_any_case_and_gives_the_service_spelling_to_every_path() {
        // The inbox reads the same resolved catalog as the scripting commands.
        for (typed, sent) in [
            ("sandbox", "Sandbox"),
            ("SANDBOX", "Sandbox"),
            ("aws", "AWS"),
        ] {
            let cli = Cli::try_parse_from(["pcinbox", "--local", "--catalog", typed]).unwrap();
            assert_eq!(cli.global.catalog.as_deref(), Some(sent));
        }
        let err = Cli::try_parse_from(["pcinbox", "--catalog", "Foo"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    }

    #[test]
    fn no_subcommand_opens_the_inbox() {
        let cli = Cli::try_parse_from(["pcinbox", "--local", "--read-only"]).unwrap();
        assert!(cli.command.is_none() && cli.global.local && cli.global.read_only);
    }

    #[test]
    fn compose_takes_an_optional_document() {
        let cli =
            Cli::try_parse_from(["pcinbox", "compose", "--from", "x.json", "--local"]).unwrap();
        let Some(Command::Compose(args)) = cli.command else {
            panic!("not compose")
        };
        assert_eq!(args.from.as_deref(), Some("x.json"));
        assert!(cli.global.local);
    }

    #[test]
    fn fault_rates_are_bounded() {
        assert!(Cli::try_parse_from(["pcinbox", "serve", "--fault-error-rate", "1.5"]).is_err());
        assert!(Cli::try_parse_from(["pcinbox", "serve", "--fault-error-rate", "0.1"]).is_ok());
    }
}
