//! The detail's Opportunity section: what the invitation's accepting task is doing, and once
//! it is done the opportunity it created (GetOpportunity's title and customer, the id to copy)
//! or why it failed, in plain words.

use ratatui::text::Span;

use super::app::{App, Focus};
use super::command::Command;
use super::detail::{Lines, key};
use super::tasks::{OpportunityState, Progress};
use super::theme;
use crate::sanitize;

/// What the invitation's accepting task is doing, and once it is done the opportunity it
/// created (GetOpportunity's title and customer) or why it failed, in plain words.
pub fn render(out: &mut Lines, app: &App, invitation: &str) {
    let Some(progress) = app.tasks.progress(invitation) else {
        return;
    };
    out.heading("Opportunity");
    let task = match progress {
        Progress::Starting => {
            out.styled(
                "Starting the task that accepts and creates the opportunity…",
                theme::info(),
            );
            return;
        }
        Progress::Running(task) => {
            out.wrapped(
                &format!(
                    "⟳ Creating the opportunity: the task has run {} (the inbox stays usable)",
                    super::inbox::running_for(task, app.now)
                ),
                0,
                theme::info(),
            );
            task
        }
        Progress::Failed(task) => {
            out.wrapped(
                &format!("Not created: {}", sanitize::inline(&task.failure())),
                0,
                theme::error(),
            );
            task
        }
        Progress::Complete(task) => {
            let id = task.opportunity_id.as_deref().unwrap_or("");
            let copy = if app.focus == Focus::Detail {
                format!("{} copies it", key(app, Command::CopyId))
            } else {
                format!(
                    "{}, then {} copies it",
                    key(app, Command::Open),
                    key(app, Command::CopyId)
                )
            };
            out.spans(
                "Opportunity",
                vec![
                    Span::styled(sanitize::inline(id).into_owned(), theme::heading()),
                    Span::styled(format!("  {copy}"), theme::dim()),
                ],
            );
            match app.tasks.opportunities.get(id) {
                Some(OpportunityState::Loaded(opportunity)) => {
                    let project = opportunity.project.as_ref();
                    out.field(
                        "Title",
                        project.and_then(|p| p.title.as_deref()).unwrap_or(""),
                    );
                    let account = opportunity
                        .customer
                        .as_ref()
                        .and_then(|c| c.account.as_ref());
                    out.field("Customer", account.map_or("", |a| a.company_name.as_str()));
                    if let Some(stage) = opportunity
                        .life_cycle
                        .as_ref()
                        .and_then(|l| l.stage.as_deref())
                    {
                        out.field("Stage", stage);
                    }
                }
                Some(OpportunityState::Failed(error)) => out.wrapped(
                    &format!(
                        "Could not read the opportunity: {} (press {} to retry)",
                        sanitize::inline(error),
                        key(app, Command::Refresh)
                    ),
                    0,
                    theme::error(),
                ),
                _ => out.styled("Loading the opportunity…", theme::info()),
            }
            task
        }
    };
    out.field("Task", task.task_id.as_deref().unwrap_or(""));
}
