//! Running the scripting subcommands: one call (or a paginated series) and its output.
//!
//! JSON output has the AWS CLI's shape for the same command (list pages merged into
//! `EngagementInvitationSummaries`, the operation's response otherwise), indented by four spaces
//! as the AWS CLI prints it, so jq habits carry over.

use std::io::Write;
use std::process::ExitCode;

use futures::StreamExt;
use serde::Serialize;

use super::json::ListingJson;
use super::{Command, CreateArgs, ListArgs, input, table};
use crate::api::client::Client;
use crate::api::model::{
    InvitationSort, ListEngagementInvitationsRequest, ListEngagementMembersResponse,
    ParticipantType, RejectEngagementInvitationRequest, SortBy,
};
use crate::api::pagination::prefetch;
use crate::config::{OutputFormat, Settings};

/// Exit status for a request refused before sending (bad input), as for usage errors.
pub const EXIT_INVALID_INPUT: u8 = 2;
/// Exit status for an error from the service or the network.
pub const EXIT_SERVICE_ERROR: u8 = 1;
/// Pages of a listing decoded ahead while the current one is formatted.
const PREFETCH_PAGES: usize = 2;

/// Writes `value` as the AWS CLI does: pretty JSON, 4-space indent, non-ASCII kept.
///
/// Buffered here: `out` is often a line-buffered stdout, and a listing of 10,000 invitations is
/// 300,000 lines (one `write` each unbuffered).
pub fn write_json(out: &mut dyn Write, value: &impl Serialize) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

/// The list request the flags describe.
pub fn list_request(args: &ListArgs, catalog: &str) -> ListEngagementInvitationsRequest {
    let non_empty = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    ListEngagementInvitationsRequest {
        catalog: catalog.to_owned(),
        max_results: Some(args.page_size),
        next_token: None,
        sort: Some(InvitationSort {
            sort_order: args.sort_order.clone(),
            sort_by: SortBy::InvitationDate,
        }),
        payload_type: (!args.payload_types.is_empty()).then(|| args.payload_types.clone()),
        participant_type: args.participant_type.clone(),
        status: (!args.statuses.is_empty()).then(|| args.statuses.clone()),
        engagement_identifier: non_empty(&args.engagement_identifiers),
        sender_aws_account_id: non_empty(&args.sender_aws_account_ids),
    }
}

/// Why a command failed after it started.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Api(#[from] crate::api::Error),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

/// Runs one scripting command, printing its result to `out` and problems to `err`.
pub async fn run_command(
    command: Command,
    settings: &Settings,
    client: &Client,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitCode> {
    match execute(command, settings, client, out, err).await {
        Ok(code) => Ok(code),
        Err(Failure::Api(error)) => {
            writeln!(err, "pcinbox: {error}")?;
            Ok(ExitCode::from(EXIT_SERVICE_ERROR))
        }
        Err(Failure::Output(error)) => Err(error),
    }
}

async fn execute(
    command: Command,
    settings: &Settings,
    client: &Client,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Failure> {
    let catalog = settings.catalog.as_str();
    let table = settings.output == OutputFormat::Table;
    let now = chrono::Utc::now();
    match command {
        Command::List(args) => {
            if !(1..=100).contains(&args.page_size) {
                writeln!(err, "pcinbox: --page-size must be from 1 to 100")?;
                return Ok(ExitCode::from(EXIT_INVALID_INPUT));
            }
            let sent = args.participant_type == ParticipantType::Sender;
            // Decoded by a task of their own while this one formats the previous page.
            let mut pages = prefetch(
                client.paginate_invitations(list_request(&args, catalog), args.max_items),
                PREFETCH_PAGES,
            );
            if table {
                let mut summaries = Vec::new();
                while let Some(page) = pages.next().await {
                    summaries.extend(page?);
                }
                write!(out, "{}", table::invitations(&summaries, sent, now))?;
            } else {
                let mut json = ListingJson::default();
                while let Some(page) = pages.next().await {
                    for summary in &page? {
                        json.push(summary)?;
                    }
                }
                out.write_all(&json.finish()?)?;
            }
        }
        Command::Get { id } => {
            let invitation = client.get_engagement_invitation(catalog, &id).await?;
            if table {
                write!(out, "{}", table::invitation(&invitation, now))?;
            } else {
                write_json(out, &invitation)?;
            }
        }
        Command::Members { engagement_id } => {
            let members = client
                .list_all_engagement_members(catalog, &engagement_id)
                .await?;
            if table {
                write!(out, "{}", table::members(&members))?;
            } else {
                let response = ListEngagementMembersResponse {
                    engagement_member_list: members,
                    next_token: None,
                };
                write_json(out, &response)?;
            }
        }
        Command::Accept { id } => {
            client.accept_engagement_invitation(catalog, &id).await?;
            if table {
                writeln!(out, "Accepted {id}")?;
            }
        }
        Command::Reject { id, reason } => {
            let request = RejectEngagementInvitationRequest {
                catalog: catalog.to_owned(),
                identifier: id.clone(),
                rejection_reason: reason,
            };
            client.reject_engagement_invitation(&request).await?;
            if table {
                writeln!(out, "Rejected {id}")?;
            }
        }
        Command::Create(args) => return create(args, table, client, out, err).await,
        Command::Serve(_) => {
            writeln!(err, "pcinbox: serve does not take a client")?;
            return Ok(ExitCode::from(EXIT_INVALID_INPUT));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `create`: the document (which names its own catalog, as in the AWS CLI) is validated in full first; nothing is sent while any rule fails.
async fn create(
    args: CreateArgs,
    table: bool,
    client: &Client,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Failure> {
    let request = match input::read_create_input(
        &args.cli_input_json,
        args.client_token.as_deref(),
        &mut std::io::stdin().lock(),
    ) {
        Ok(request) => request,
        Err(problem) => {
            writeln!(err, "pcinbox: {problem}")?;
            return Ok(ExitCode::from(EXIT_INVALID_INPUT));
        }
    };
    if args.dry_run {
        write_json(out, &request)?;
        return Ok(ExitCode::SUCCESS);
    }
    let response = client.create_engagement_invitation(&request).await?;
    if table {
        writeln!(out, "Created {}\n{}", response.id, response.arn)?;
    } else {
        write_json(out, &response)?;
    }
    Ok(ExitCode::SUCCESS)
}
