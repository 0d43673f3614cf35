//! The commands from invitation to opportunity: `start-engagement` (accept by task and follow
//! it), `tasks`, `engagement`, `engagements` and `opportunity`.
//!
//! Output has the AWS CLI's shape in every format, `--query` included (see [`super::output`]):
//! the operation's response, with listing pages merged into one `TaskSummaries` or
//! `EngagementSummaryList`. `start-engagement` prints the task summary it ends on (as
//! `list-engagement-by-accepting-invitation-tasks` lists it), or with `--no-wait` the start
//! response itself.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use clap::Args;
use clap::builder::TypedValueParser;

use super::commands::{EXIT_SERVICE_ERROR, Failure, check, to_json, typed};
use super::output::Output;
use super::table::{self, clean, key_values, render};
use super::{PagingArgs, one_of};
use crate::api::client::Client;
use crate::api::model::{
    EngagementContextPayload, EngagementDetails, EngagementMember, EngagementSummary,
    EngagementTask, InvitationRequest, ListEngagementByAcceptingInvitationTasksRequest,
    ListEngagementsRequest, Operation, Opportunity,
    StartEngagementByAcceptingInvitationTaskRequest, Tag, TaskStatus,
};
use crate::config::OutputFormat;
use crate::humanize::relative;
use crate::sanitize;

/// The first pause between two looks at a running task; it grows to [`MAX_POLL`]. One look a
/// second or less stays far inside the read quota (10 a second), leaving it to other tools.
const FIRST_POLL: Duration = Duration::from_millis(500);
const MAX_POLL: Duration = Duration::from_secs(5);

#[derive(Debug, Args, Clone)]
pub struct StartEngagementArgs {
    /// Invitation id (engi-…) or ARN; it must be PENDING when the task runs.
    pub id: String,
    /// A tag to assign with the task (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    pub tags: Vec<Tag>,
    /// Print the start response and return without following the task.
    #[arg(long)]
    pub no_wait: bool,
    /// Idempotency token (else a new UUID): the same token never starts a second task.
    #[arg(long)]
    pub client_token: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct TasksArgs {
    /// Only tasks in these statuses (several after one flag, or the flag repeated).
    #[arg(long = "status", ignore_case = true, num_args = 1..,
          value_parser = one_of(TaskStatus::NAMES).map(|v| TaskStatus::from(v.as_str())))]
    pub statuses: Vec<TaskStatus>,
    /// Only tasks accepting these invitations (id or ARN; several after one flag, or the flag
    /// repeated).
    #[arg(long = "invitation", value_name = "ID", num_args = 1..)]
    pub invitations: Vec<String>,
    /// Tasks per page (1 to 1000; default: the service's). Like the AWS CLI's --page-size.
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
    #[command(flatten)]
    pub paging: PagingArgs,
}

fn parse_tag(text: &str) -> Result<Tag, String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok(Tag {
            key: key.to_owned(),
            value: value.to_owned(),
        }),
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

/// `start-engagement`: starts the task (one ClientToken for every retry), then follows it
/// until it completes or fails.
pub async fn start(
    args: StartEngagementArgs,
    catalog: &str,
    output: Output<'_>,
    client: &Client,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Failure> {
    let request = StartEngagementByAcceptingInvitationTaskRequest {
        catalog: catalog.to_owned(),
        client_token: Some(
            args.client_token
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        ),
        identifier: args.id,
        tags: (!args.tags.is_empty()).then_some(args.tags),
    };
    check(
        Operation::StartEngagementByAcceptingInvitationTask,
        &request,
    )?;
    let started = client
        .start_engagement_by_accepting_invitation_task(&request)
        .await?;
    if args.no_wait {
        print_task(&started, output, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let task_id = started.task_id.clone().unwrap_or_default();
    let progress = std::io::stderr().is_terminal();
    let invitation = started.engagement_invitation_id.clone().unwrap_or_default();
    let task = match follow(client, catalog, started, progress, err).await {
        Ok(task) => task,
        Err(failure) => {
            // The task runs on without us: say where to find it.
            writeln!(
                err,
                "pcinbox: task {} was started and runs on; follow it with `pcinbox tasks --invitation {}`",
                sanitize::inline(&task_id),
                sanitize::inline(&invitation)
            )?;
            return Err(failure);
        }
    };
    print_task(&task, output, out)?;
    match task.task_status {
        Some(TaskStatus::Complete) => Ok(ExitCode::SUCCESS),
        Some(TaskStatus::Failed) => {
            writeln!(
                err,
                "pcinbox: task {task_id} failed: {}",
                sanitize::inline(&task.failure())
            )?;
            Ok(ExitCode::from(EXIT_SERVICE_ERROR))
        }
        other => {
            let status = other.map_or_else(|| "no status".to_owned(), |s| s.to_string());
            writeln!(
                err,
                "pcinbox: task {task_id} ended with {}, which this version does not know",
                sanitize::inline(&status)
            )?;
            Ok(ExitCode::from(EXIT_SERVICE_ERROR))
        }
    }
}

/// Looks at the task (ListEngagementByAcceptingInvitationTasks with its TaskIdentifier) at a
/// growing interval until it has finished; shows how long it has run when `progress`.
async fn follow(
    client: &Client,
    catalog: &str,
    mut task: EngagementTask,
    progress: bool,
    err: &mut dyn Write,
) -> Result<EngagementTask, Failure> {
    let task_id = task.task_id.clone().unwrap_or_default();
    let began = Instant::now();
    let mut pause = FIRST_POLL;
    while !task.is_finished() {
        if progress {
            write!(
                err,
                "\r\x1b[2KAccepting: task {} IN_PROGRESS for {}s",
                sanitize::inline(&task_id),
                began.elapsed().as_secs()
            )?;
            err.flush()?;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 3 / 2).min(MAX_POLL);
        task = client
            .get_engagement_by_accepting_invitation_task(catalog, &task_id)
            .await?
            .ok_or_else(|| {
                crate::api::Error::Decode(format!("the service no longer lists task {task_id}"))
            })?;
    }
    if progress {
        write!(err, "\r\x1b[2K")?;
    }
    Ok(task)
}

fn print_task(
    task: &EngagementTask,
    output: Output<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let response =
        serde_json::to_value(task).map_err(|e| crate::api::Error::Decode(e.to_string()))?;
    output.response(out, &response, |_| task_table(task))?;
    Ok(())
}

fn task_table(task: &EngagementTask) -> String {
    let mut pairs = vec![
        ("Task", task.task_id.clone().unwrap_or_default()),
        (
            "Status",
            task.task_status
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
        (
            "Invitation",
            task.engagement_invitation_id.clone().unwrap_or_default(),
        ),
    ];
    if let Some(opportunity) = &task.opportunity_id {
        pairs.push(("Opportunity", opportunity.clone()));
    }
    if let Some(at) = task.start_time {
        pairs.push(("Started", at.to_string()));
    }
    if task.task_status == Some(TaskStatus::Failed) {
        pairs.push(("Why", task.failure()));
    }
    key_values(&pairs)
}

/// `tasks`: the caller's tasks, all pages merged.
pub async fn tasks(
    args: TasksArgs,
    catalog: &str,
    output: Output<'_>,
    client: &Client,
    out: &mut dyn Write,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let request = ListEngagementByAcceptingInvitationTasksRequest {
        catalog: catalog.to_owned(),
        max_results: args.page_size,
        task_status: (!args.statuses.is_empty()).then_some(args.statuses),
        engagement_invitation_identifier: (!args.invitations.is_empty())
            .then_some(args.invitations),
        ..Default::default()
    };
    let listing = Listing {
        operation: Operation::ListEngagementByAcceptingInvitationTasks,
        request: &request,
        result_key: "TaskSummaries",
        paging: args.paging,
    };
    list_all(
        client,
        output,
        out,
        listing,
        |tasks: &[EngagementTask]| tasks_table(tasks, now),
    )
    .await
}

/// What a listing command prints: the pages of `operation` from `request`, the items being
/// under `result_key`, from and up to where `paging` says.
pub(super) struct Listing<'a, R> {
    pub operation: Operation,
    pub request: &'a R,
    pub result_key: &'static str,
    pub paging: PagingArgs,
}

/// Checks the listing's request, then prints its pages through the output layer; `table`
/// draws the merged items for `--output table`.
pub(super) async fn list_all<T: serde::de::DeserializeOwned, R: serde::Serialize>(
    client: &Client,
    output: Output<'_>,
    out: &mut dyn Write,
    listing: Listing<'_, R>,
    table: impl FnOnce(&[T]) -> String,
) -> Result<(), Failure> {
    check(listing.operation, listing.request)?;
    let pages = client.paginate_raw(
        listing.operation,
        to_json(listing.request),
        listing.result_key,
        listing.paging.starting_token.unwrap_or_default(),
        listing.paging.max_items,
    );
    output
        .listing(out, listing.result_key, pages, |items| {
            let items: Vec<T> = typed(items)?;
            Ok(table(&items))
        })
        .await?;
    Ok(())
}

fn tasks_table(tasks: &[EngagementTask], now: DateTime<Utc>) -> String {
    let rows: Vec<Vec<String>> = tasks
        .iter()
        .map(|t| {
            vec![
                clean(t.task_status.as_ref().map(|s| s.as_str()), 12),
                t.start_time
                    .map_or_else(|| "-".to_owned(), |at| relative(at.0, now)),
                clean(t.engagement_invitation_id.as_deref(), 40),
                clean(t.opportunity_id.as_deref(), 24),
                clean(t.reason_code.as_ref().map(|r| r.as_str()), 40),
                clean(t.task_id.as_deref(), 40),
            ]
        })
        .collect();
    let headers = [
        "STATUS",
        "STARTED",
        "INVITATION",
        "OPPORTUNITY",
        "REASON",
        "TASK",
    ];
    render(&headers, &rows)
}

/// `engagement ID` (GetEngagement) and `opportunity ID` (GetOpportunity): the response as the
/// service sent it, or `Key  value` lines.
pub async fn show(
    operation: Operation,
    id: &str,
    catalog: &str,
    output: Output<'_>,
    client: &Client,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    check(operation, &InvitationRequest::new(catalog, id))?;
    // As the service sent it, so nothing a newer service adds is lost.
    let response = client.get_raw(operation, catalog, id).await?;
    // Only members may list the members; an invited partner still sees the engagement.
    let members = if operation == Operation::GetEngagement
        && output.format == OutputFormat::Table
        && output.query.is_none()
    {
        client
            .list_all_engagement_members(catalog, id)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    // The command's own view when the answer decodes, else the generic one.
    output.response(out, &response, |response| match operation {
        Operation::GetOpportunity => serde_json::from_value::<Opportunity>(response.clone())
            .map_or_else(|_| table::document(response), |o| opportunity_table(&o)),
        _ => serde_json::from_value::<EngagementDetails>(response.clone()).map_or_else(
            |_| table::document(response),
            |e| engagement_table(&e, &members),
        ),
    })?;

    Ok(())
}

fn engagement_table(engagement: &EngagementDetails, members: &[EngagementMember]) -> String {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut pairs = vec![
        ("Id", text(&engagement.id)),
        ("Title", text(&engagement.title)),
        ("Description", text(&engagement.description)),
        (
            "Created",
            format!(
                "{} by {}",
                engagement
                    .created_at
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                text(&engagement.created_by)
            ),
        ),
        (
            "Members",
            engagement
                .member_count
                .map(|n| n.to_string())
                .unwrap_or_default(),
        ),
    ];
    for member in members {
        let name = member.company_name.as_ref().or(member.account_id.as_ref());
        pairs.push(("Member", name.cloned().unwrap_or_default()));
    }
    for context in engagement.contexts.iter().flatten() {
        let described = match &context.payload {
            Some(EngagementContextPayload::CustomerProject(project)) => format!(
                "{}: {}, customer {}",
                context.context_type,
                project.project.as_ref().map_or("", |p| p.title.as_str()),
                project
                    .customer
                    .as_ref()
                    .map_or("", |c| c.company_name.as_str()),
            ),
            _ => context.context_type.to_string(),
        };
        pairs.push(("Context", described));
    }
    key_values(&pairs)
}

/// `engagements`: ListEngagements, all pages merged.
pub async fn list(
    page_size: Option<u32>,
    paging: PagingArgs,
    catalog: &str,
    output: Output<'_>,
    client: &Client,
    out: &mut dyn Write,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let request = ListEngagementsRequest {
        catalog: catalog.to_owned(),
        max_results: page_size,
        ..Default::default()
    };
    let listing = Listing {
        operation: Operation::ListEngagements,
        request: &request,
        result_key: "EngagementSummaryList",
        paging,
    };
    list_all(
        client,
        output,
        out,
        listing,
        |engagements: &[EngagementSummary]| engagements_table(engagements, now),
    )
    .await
}

fn engagements_table(engagements: &[EngagementSummary], now: DateTime<Utc>) -> String {
    let rows: Vec<Vec<String>> = engagements
        .iter()
        .map(|e| {
            vec![
                clean(e.title.as_deref(), 40),
                e.member_count
                    .map_or_else(|| "-".to_owned(), |n| n.to_string()),
                e.created_at
                    .map_or_else(|| "-".to_owned(), |at| relative(at.0, now)),
                clean(e.created_by.as_deref(), 20),
                clean(e.id.as_deref(), 40),
            ]
        })
        .collect();
    render(&["TITLE", "MEMBERS", "CREATED", "BY", "ID"], &rows)
}

fn opportunity_table(opportunity: &Opportunity) -> String {
    let account = opportunity
        .customer
        .as_ref()
        .and_then(|c| c.account.as_ref());
    let project = opportunity.project.as_ref();
    let life_cycle = opportunity.life_cycle.as_ref();
    let mut pairs = vec![
        ("Id", opportunity.id.clone()),
        (
            "Title",
            project.and_then(|p| p.title.clone()).unwrap_or_default(),
        ),
        (
            "Customer",
            account.map(|a| a.company_name.clone()).unwrap_or_default(),
        ),
        (
            "Stage",
            life_cycle.and_then(|l| l.stage.clone()).unwrap_or_default(),
        ),
        (
            "Review",
            life_cycle
                .and_then(|l| l.review_status.clone())
                .unwrap_or_default(),
        ),
        ("Catalog", opportunity.catalog.clone()),
        ("Created", opportunity.created_date.to_string()),
    ];
    if let Some(date) = life_cycle.and_then(|l| l.target_close_date.clone()) {
        pairs.push(("Target close", date));
    }
    for spend in project
        .and_then(|p| p.expected_customer_spend.as_ref())
        .into_iter()
        .flatten()
    {
        pairs.push((
            "Expected spend",
            format!(
                "{} {} {}",
                spend.amount.as_deref().unwrap_or("?"),
                spend.currency_code.0,
                spend.frequency
            ),
        ));
    }
    key_values(&pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_key_equals_value() {
        let tag = parse_tag("team=east=1").unwrap();
        assert_eq!((tag.key.as_str(), tag.value.as_str()), ("team", "east=1"));
        assert_eq!(parse_tag("empty=").unwrap().value, "");
        assert!(parse_tag("=x").is_err());
        assert!(parse_tag("novalue").is_err());
    }

    #[test]
    fn task_statuses_are_checked_in_any_case() {
        use clap::Parser;
        #[derive(Parser)]
        struct Flags {
            #[command(flatten)]
            tasks: TasksArgs,
        }
        let flags = Flags::try_parse_from(["x", "--status", "failed", "COMPLETE"]).unwrap();
        assert_eq!(
            flags.tasks.statuses,
            [TaskStatus::Failed, TaskStatus::Complete]
        );
        let err = Flags::try_parse_from(["x", "--status", "DONE"])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("IN_PROGRESS, COMPLETE, FAILED"), "{err}");
    }
}
