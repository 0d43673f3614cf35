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
use super::{Command, CreateArgs, ListArgs, engagement, input, table};
use crate::api::answer::{self, Settled};
use crate::api::client::Client;
use crate::api::model::{
    InvitationRequest, InvitationSort, InvitationStatus, ListEngagementInvitationsRequest,
    ListEngagementMembersRequest, ListEngagementMembersResponse, Operation, ParticipantType,
    RejectEngagementInvitationRequest, SortBy,
};
use crate::api::pagination::prefetch;
use crate::api::validate::validate_request;
use crate::config::{OutputFormat, Settings};
use crate::sanitize;

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
    // `From` keeps the kind of an I/O error (a closed pipe stays `BrokenPipe`).
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::from)?;
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
pub(super) enum Failure {
    /// The request breaks the model's rules; it was not sent.
    #[error(transparent)]
    Invalid(#[from] input::InputError),
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
        Err(Failure::Invalid(problem)) => {
            writeln!(err, "pcinbox: {problem}")?;
            Ok(ExitCode::from(EXIT_INVALID_INPUT))
        }
        Err(Failure::Api(error)) => {
            // Errors quote the service's text (a value it could not decode, say): neutralised.
            writeln!(err, "pcinbox: {}", sanitize::multiline(&error.to_string()))?;
            Ok(ExitCode::from(EXIT_SERVICE_ERROR))
        }
        // The reader (`| head`, `| jq 'first(..)'`) has all it wanted; that is no error.
        Err(Failure::Output(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::SUCCESS)
        }
        Err(Failure::Output(error)) => Err(error),
    }
}

/// Checks a request against the model before it is sent, as `create` does with its document,
/// so a mistyped id or an overlong reason is named here instead of costing a call.
pub(super) fn check(operation: Operation, request: &impl Serialize) -> Result<(), Failure> {
    let violations = validate_request(operation, request);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(input::InputError::Invalid(violations).into())
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
            let request = list_request(&args, catalog);
            check(Operation::ListEngagementInvitations, &request)?;
            // Pages are decoded by a task of their own while this one formats the previous page.
            if table {
                let mut pages = prefetch(
                    client.paginate_invitations(request, args.max_items),
                    PREFETCH_PAGES,
                );
                let mut summaries = Vec::new();
                while let Some(page) = pages.next().await {
                    summaries.extend(page?);
                }
                write!(out, "{}", table::invitations(&summaries, sent, now))?;
            } else {
                // JSON is written as the service sent it, so nothing a newer service adds is lost.
                let mut pages = prefetch(
                    client.paginate_invitations_raw(request, args.max_items),
                    PREFETCH_PAGES,
                );
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
            check(
                Operation::GetEngagementInvitation,
                &InvitationRequest::new(catalog, &id),
            )?;
            if table {
                let invitation = client.get_engagement_invitation(catalog, &id).await?;
                write!(out, "{}", table::invitation(&invitation, now))?;
            } else {
                write_json(
                    out,
                    &client.get_engagement_invitation_raw(catalog, &id).await?,
                )?;
            }
        }
        Command::Members { engagement_id } => {
            let request = ListEngagementMembersRequest {
                catalog: catalog.to_owned(),
                identifier: engagement_id.clone(),
                ..Default::default()
            };
            check(Operation::ListEngagementMembers, &request)?;
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
            check(
                Operation::AcceptEngagementInvitation,
                &InvitationRequest::new(catalog, &id),
            )?;
            let settled = answer::settle(
                InvitationStatus::Accepted,
                client.accept_engagement_invitation(catalog, &id),
                || client.get_engagement_invitation(catalog, &id),
            )
            .await?;
            return report_answer(&settled, InvitationStatus::Accepted, &id, table, out, err);
        }
        Command::Reject { id, reason } => {
            let request = RejectEngagementInvitationRequest {
                catalog: catalog.to_owned(),
                identifier: id.clone(),
                rejection_reason: reason,
            };
            check(Operation::RejectEngagementInvitation, &request)?;
            let settled = answer::settle(
                InvitationStatus::Rejected,
                client.reject_engagement_invitation(&request),
                || client.get_engagement_invitation(catalog, &id),
            )
            .await?;
            return report_answer(&settled, InvitationStatus::Rejected, &id, table, out, err);
        }
        Command::Create(args) => return create(args, table, client, out).await,
        Command::StartEngagement(args) => {
            return engagement::start(args, catalog, table, client, out, err).await;
        }
        Command::Tasks(args) => engagement::tasks(args, catalog, table, client, out, now).await?,
        Command::Engagement { id } => {
            engagement::show(Operation::GetEngagement, &id, catalog, table, client, out).await?
        }
        Command::Engagements => engagement::list(catalog, table, client, out, now).await?,
        Command::Opportunity { id } => {
            engagement::show(Operation::GetOpportunity, &id, catalog, table, client, out).await?
        }
        Command::Serve(_) | Command::Compose(_) | Command::Keys => {
            writeln!(
                err,
                "pcinbox: serve, compose and keys are not scripting commands"
            )?;
            return Ok(ExitCode::from(EXIT_INVALID_INPUT));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Tells the outcome of an accept or reject: success on stdout for tables (the AWS CLI prints
/// nothing), a reconciled retry as a note on stderr, an invitation already answered otherwise
/// as an error with its true status.
fn report_answer(
    settled: &Settled,
    wanted: InvitationStatus,
    id: &str,
    table: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Failure> {
    let told = sanitize::inline(&settled.describe(&wanted, id)).into_owned();
    match settled {
        Settled::Done if table => writeln!(out, "{told}")?,
        Settled::Done => {}
        Settled::Confirmed => {
            if table {
                writeln!(out, "{}", Settled::Done.describe(&wanted, id))?;
            }
            writeln!(err, "pcinbox: {told}")?;
        }
        Settled::Already { .. } => {
            writeln!(err, "pcinbox: {told}")?;
            return Ok(ExitCode::from(EXIT_SERVICE_ERROR));
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
) -> Result<ExitCode, Failure> {
    let request = input::read_create_input(
        &args.cli_input_json,
        args.client_token.as_deref(),
        &mut std::io::stdin().lock(),
    )?;
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
