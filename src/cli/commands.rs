//! Running the scripting subcommands: one call (or a paginated series) and its output.
//!
//! Output has the AWS CLI's shapes for the same command (list pages merged into
//! `EngagementInvitationSummaries`, the operation's response otherwise) and formats (JSON
//! indented by four spaces, text as awscli/text.py prints it), with `--query` applied where the
//! AWS CLI applies it (see [`super::output`]), so scripts and habits carry over.
//!
//! Exit status: 0 done; 2 refused before anything was sent (usage, a flag, a document or a
//! query that breaks a rule); 1 the service or the network failed.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use serde_json::Value;

use super::output::{Output, OutputError, write_json};
use super::query::Query;
use super::{Command, CreateArgs, ListArgs, engagement, input, table};
use crate::api::answer::{self, Settled};
use crate::api::client::Client;
use crate::api::model::{
    EngagementInvitationSummary, EngagementMember, InvitationRequest, InvitationSort,
    InvitationStatus, ListEngagementInvitationsRequest, ListEngagementMembersRequest, Operation,
    ParticipantType, RejectEngagementInvitationRequest, SortBy,
};
use crate::api::pagination::prefetch;
use crate::api::validate::validate_request;
use crate::config::{OutputFormat, Settings};
use crate::sanitize;

/// Exit status for a command refused before sending (bad input), as for usage errors.
pub const EXIT_INVALID_INPUT: u8 = 2;
/// Exit status for an error from the service or the network.
pub const EXIT_SERVICE_ERROR: u8 = 1;
/// Pages of a listing decoded ahead while the current one is formatted.
const PREFETCH_PAGES: usize = 2;

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
    /// `--query` met data it cannot apply to.
    #[error("{0}")]
    Query(String),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl From<OutputError> for Failure {
    fn from(error: OutputError) -> Self {
        match error {
            OutputError::Api(error) => Failure::Api(error),
            OutputError::Query(message) | OutputError::Refused(message) => Failure::Query(message),
            OutputError::Io(error) => Failure::Output(error),
        }
    }
}

/// Runs one scripting command, printing its result to `out` (in `settings.output`, reshaped by
/// `query`) and problems to `err`.
pub async fn run_command(
    command: Command,
    settings: &Settings,
    query: Option<&Query>,
    client: &Client,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitCode> {
    let output = Output {
        format: settings.output,
        query,
    };
    match execute(command, settings, output, client, out, err).await {
        Ok(code) => Ok(code),
        Err(Failure::Invalid(problem)) => {
            writeln!(err, "pcinbox: {problem}")?;
            Ok(ExitCode::from(EXIT_INVALID_INPUT))
        }
        Err(Failure::Query(problem)) => {
            writeln!(err, "pcinbox: {}", sanitize::multiline(&problem))?;
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
    output: Output<'_>,
    client: &Client,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Failure> {
    let catalog = settings.catalog.as_str();
    let now = chrono::Utc::now();
    // Refused before anything is sent, not after the call it cannot print.
    if settings.output == OutputFormat::Csv && !matches!(command, Command::List(_)) {
        return Err(super::output::csv_only_for_list().into());
    }
    match command {
        Command::List(args) => {
            if !(1..=100).contains(&args.page_size) {
                writeln!(err, "pcinbox: --page-size must be from 1 to 100")?;
                return Ok(ExitCode::from(EXIT_INVALID_INPUT));
            }
            let sent = args.participant_type == ParticipantType::Sender;
            let request = list_request(&args, catalog);
            check(Operation::ListEngagementInvitations, &request)?;
            // Pages are scanned by a task of their own while this one formats the previous page.
            let pages = prefetch(
                client.paginate_raw(
                    Operation::ListEngagementInvitations,
                    to_json(&request),
                    "EngagementInvitationSummaries",
                    args.paging.starting_token.unwrap_or_default(),
                    args.paging.max_items,
                ),
                PREFETCH_PAGES,
            );
            output
                .invitations(out, err, pages, |items| {
                    let summaries: Vec<EngagementInvitationSummary> = typed(items)?;
                    Ok(table::invitations(&summaries, sent, now))
                })
                .await?;
        }
        Command::Get { id } => {
            check(
                Operation::GetEngagementInvitation,
                &InvitationRequest::new(catalog, &id),
            )?;
            // As the service sent it, so nothing a newer service adds is lost.
            let response = client.get_engagement_invitation_raw(catalog, &id).await?;
            output.response(out, &response, |response| table::invitation(response, now))?;
        }
        Command::Members {
            engagement_id,
            page_size,
            paging,
        } => {
            let request = ListEngagementMembersRequest {
                catalog: catalog.to_owned(),
                identifier: engagement_id.clone(),
                max_results: page_size,
                ..Default::default()
            };
            let listing = engagement::Listing {
                operation: Operation::ListEngagementMembers,
                request: &request,
                result_key: "EngagementMemberList",
                paging,
            };
            engagement::list_all(
                client,
                output,
                out,
                listing,
                |members: &[EngagementMember]| table::members(members),
            )
            .await?;
        }
        Command::Accept { ids } => {
            for id in &ids {
                check(
                    Operation::AcceptEngagementInvitation,
                    &InvitationRequest::new(catalog, id),
                )?;
            }
            let answer = |_, id: String| async move {
                answer::settle(
                    InvitationStatus::Accepted,
                    client.accept_engagement_invitation(catalog, &id),
                    || client.get_engagement_invitation(catalog, &id),
                )
                .await
            };
            return answer_all(&ids, InvitationStatus::Accepted, answer, settings, out, err).await;
        }
        Command::Reject { ids, reason } => {
            let request = |id: &str| RejectEngagementInvitationRequest {
                catalog: catalog.to_owned(),
                identifier: id.to_owned(),
                rejection_reason: reason.clone(),
            };
            for id in &ids {
                check(Operation::RejectEngagementInvitation, &request(id))?;
            }
            let answer = |_, id: String| {
                let request = request(&id);
                async move {
                    answer::settle(
                        InvitationStatus::Rejected,
                        client.reject_engagement_invitation(&request),
                        || client.get_engagement_invitation(catalog, &id),
                    )
                    .await
                }
            };
            return answer_all(&ids, InvitationStatus::Rejected, answer, settings, out, err).await;
        }
        Command::Create(args) => return create(args, output, client, out).await,
        Command::StartEngagement(args) => {
            return engagement::start(args, catalog, output, client, out, err).await;
        }
        Command::Tasks(args) => engagement::tasks(args, catalog, output, client, out, now).await?,
        Command::Engagement { id } => {
            engagement::show(Operation::GetEngagement, &id, catalog, output, client, out).await?
        }
        Command::Engagements { page_size, paging } => {
            engagement::list(page_size, paging, catalog, output, client, out, now).await?
        }
        Command::Opportunity { id } => {
            engagement::show(Operation::GetOpportunity, &id, catalog, output, client, out).await?
        }
        Command::Serve(_)
        | Command::Watch(_)
        | Command::Compose(_)
        | Command::Completions { .. }
        | Command::Man
        | Command::Keys => {
            writeln!(err, "pcinbox: this is not a scripting command")?;
            return Ok(ExitCode::from(EXIT_INVALID_INPUT));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A typed request as the JSON the client sends.
pub(super) fn to_json(request: &impl Serialize) -> Value {
    serde_json::to_value(request).unwrap_or_default()
}

/// Listing items (as the service sent them) as the model's type, for a table.
pub(super) fn typed<T: serde::de::DeserializeOwned>(
    items: Vec<Value>,
) -> Result<Vec<T>, OutputError> {
    items
        .into_iter()
        .map(|item| {
            serde_json::from_value(item)
                .map_err(|e| crate::api::Error::Decode(format!("listing item: {e}")).into())
        })
        .collect()
}

/// Answers every id in turn within the write quota ([`answer::answer_each`]), telling each
/// outcome as it comes. One id prints as it always has (as the AWS CLI: nothing on stdout for
/// json and text); with several, each success is a line on stdout in every format, so a long run
/// shows its progress. Failures go to stderr, `pcinbox: ` first; exit 1 if any failed.
async fn answer_all<F, Fut>(
    ids: &[String],
    wanted: InvitationStatus,
    answer: F,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Failure>
where
    F: FnMut(usize, String) -> Fut,
    Fut: std::future::Future<Output = Result<Settled, crate::api::Error>>,
{
    let lines = ids.len() > 1 || settings.output == OutputFormat::Table;
    let mut failed = false;
    let mut written = Ok(());
    let writes_per_second = settings.rate_limits.map(|l| l.writes_per_second);
    answer::answer_each(
        ids,
        writes_per_second,
        || true,
        answer,
        |_, id, outcome| {
            let told = match outcome {
                Ok(settled) => report_answer(&settled, &wanted, id, lines, out, err),
                // One id: as it always was; several: which one failed.
                Err(error) if ids.len() == 1 => {
                    writeln!(err, "pcinbox: {}", sanitize::multiline(&error.to_string()))
                        .map(|()| false)
                }
                Err(error) => writeln!(
                    err,
                    "pcinbox: {id}: {}",
                    sanitize::inline(&error.to_string())
                )
                .map(|()| false),
            };
            match told {
                Ok(done) => {
                    failed |= !done;
                    std::ops::ControlFlow::Continue(())
                }
                Err(error) => {
                    written = Err(error);
                    std::ops::ControlFlow::Break(())
                }
            }
        },
    )
    .await;
    written?;
    Ok(if failed {
        ExitCode::from(EXIT_SERVICE_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}

/// Tells the outcome of an accept or reject: success on stdout for tables (the AWS CLI prints
/// nothing), a reconciled retry as a note on stderr, an invitation already answered otherwise
/// as an error with its true status.
///
/// Returns whether the answer took effect.
fn report_answer(
    settled: &Settled,
    wanted: &InvitationStatus,
    id: &str,
    line: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    let told = sanitize::inline(&settled.describe(wanted, id)).into_owned();
    match settled {
        Settled::Done if line => writeln!(out, "{told}")?,
        Settled::Done => {}
        Settled::Confirmed => {
            if line {
                writeln!(out, "{}", Settled::Done.describe(wanted, id))?;
            }
            writeln!(err, "pcinbox: {told}")?;
        }
        Settled::Already { .. } => {
            writeln!(err, "pcinbox: {told}")?;
            return Ok(false);
        }
    }
    out.flush()?;
    Ok(true)
}

/// `create`: the document (which names its own catalog, as in the AWS CLI) is validated in
/// full first; nothing is sent while any rule fails.
async fn create(
    args: CreateArgs,
    output: Output<'_>,
    client: &Client,
    out: &mut dyn Write,
) -> Result<ExitCode, Failure> {
    let (request, token) = input::read_create_input(
        &args.cli_input_json,
        args.client_token.as_deref(),
        &mut std::io::stdin().lock(),
    )?;
    if args.dry_run {
        write_json(out, &request)?;
        return Ok(ExitCode::SUCCESS);
    }
    let response = match client.create_engagement_invitation(&request).await {
        Ok(response) => response,
        Err(crate::api::Error::Conflict { message }) if token != input::TokenSource::Generated => {
            return Err(crate::api::Error::Conflict {
                message: format!("{message}. {}", token.conflict_advice()),
            }
            .into());
        }
        Err(error) => return Err(error.into()),
    };
    output.response(out, &to_json(&response), |_| {
        format!("Created {}\n{}\n", response.id, response.arn)
    })?;
    Ok(ExitCode::SUCCESS)
}
