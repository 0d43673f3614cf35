//! The engagement view (`e` on an invitation): what GetEngagement says of the invitation's
//! engagement (title, description, created, member count, contexts) and its members
//! (ListEngagementMembers, which only members may read). It owns its state and commands; `Esc`
//! goes back to the inbox. Drawn here too, in the body's place.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Effect};
use super::command::Command;
use super::detail::Lines;
use super::event::EngagementInfo;
use super::keymap::KeyMode;
use super::scroll::Scroll;
use super::worker::Request;
use super::{draw, theme};
use crate::api::model::{EngagementContextPayload, InvitationStatus};
use crate::{humanize, sanitize};

/// The open engagement view.
#[derive(Debug)]
pub struct EngagementView {
    pub catalog: String,
    pub id: String,
    /// `None` while loading.
    pub info: Option<Result<Box<EngagementInfo>, String>>,
    /// Whether the invitation it was opened from is PENDING (members show once accepted).
    pub pending: bool,
    pub scroll: Scroll,
}

/// `e`: opens the selected invitation's engagement and asks for it.
pub fn open(app: &mut App) -> Vec<Effect> {
    let Some(row) = app.selected_row() else {
        return Vec::new();
    };
    let Some(id) = row.summary.engagement_id.clone() else {
        app.error("This invitation names no engagement");
        return Vec::new();
    };
    let pending = row.summary.status == Some(InvitationStatus::Pending);
    app.engagement = Some(EngagementView {
        catalog: app.catalog.clone(),
        id: id.clone(),
        info: None,
        pending,
        scroll: Scroll::default(),
    });
    vec![Effect::Request(Request::Engagement {
        catalog: app.catalog.clone(),
        id,
    })]
}

/// A command while the view is open.
pub fn command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(view) = &mut app.engagement else {
        return Vec::new();
    };
    match command {
        Command::Back => app.engagement = None,
        Command::CopyId => {
            let id = view.id.clone();
            app.info(format!("Copied {id} to the clipboard"));
            return vec![Effect::Copy(id)];
        }
        command => {
            view.scroll.command(command);
        }
    }
    Vec::new()
}

/// The answer for the view, if it is still open on that engagement.
pub fn loaded(app: &mut App, catalog: &str, id: &str, result: Result<Box<EngagementInfo>, String>) {
    if let Some(view) = &mut app.engagement
        && view.catalog == catalog
        && view.id == id
    {
        view.info = Some(result);
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &EngagementView) {
    let back = app
        .keymap
        .hint(KeyMode::Engagement, Command::Back)
        .unwrap_or_default();
    let block = Block::bordered()
        .border_style(theme::border(true))
        .title(Line::styled(" Engagement ", theme::label()))
        .title(Line::styled(format!(" {back} back "), theme::dim()).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text = Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let lines = lines(app, view, text.width);
    let height = usize::from(text.height);
    let first = view.scroll.measure(lines.len(), height);
    let shown: Vec<Line> = lines.iter().skip(first).take(height).cloned().collect();
    frame.render_widget(Paragraph::new(shown), text);
    draw::scrollbar(frame, area, lines.len(), first, height);
}

fn lines(app: &App, view: &EngagementView, width: u16) -> Vec<Line<'static>> {
    let mut out = Lines::new(width);
    let info = match &view.info {
        None => {
            out.styled(&format!("Loading engagement {}…", view.id), theme::info());
            return out.lines;
        }
        Some(Err(error)) => {
            out.wrapped(
                &format!(
                    "Could not read engagement {}: {}",
                    view.id,
                    sanitize::inline(error)
                ),
                0,
                theme::error(),
            );
            return out.lines;
        }
        Some(Ok(info)) => info,
    };
    let engagement = &info.engagement;
    out.wrapped(
        &sanitize::inline(engagement.title.as_deref().unwrap_or("(untitled)")),
        0,
        theme::heading(),
    );
    out.blank();
    out.field("Engagement", engagement.id.as_deref().unwrap_or(&view.id));
    if let Some(created) = engagement.created_at {
        let mut text = format!(
            "{} ({})",
            humanize::absolute(created.0),
            humanize::relative(created.0, app.now)
        );
        if let Some(by) = &engagement.created_by {
            text.push_str(&format!(" by {by}"));
        }
        out.field("Created", &text);
    }
    if let Some(modified) = engagement.modified_at {
        out.field("Modified", &humanize::relative(modified.0, app.now));
    }
    if let Some(count) = engagement.member_count {
        out.field("Members", &count.to_string());
    }
    out.field("ARN", engagement.arn.as_deref().unwrap_or(""));
    if let Some(description) = &engagement.description {
        out.heading("Description");
        out.paragraph(description);
    }
    out.heading("Members");
    match &info.members {
        Ok(members) if members.is_empty() => out.styled("  none listed", theme::dim()),
        Ok(members) => {
            for member in members {
                out.wrapped(
                    &sanitize::inline(&super::detail::member_line(member)),
                    2,
                    ratatui::style::Style::new(),
                );
            }
        }
        // Only members may list the members: before an answer that is expected.
        Err(_) if view.pending => {
            out.styled("  Members are shown once you accept.", theme::dim());
        }
        Err(error) => out.wrapped(
            &format!("ListEngagementMembers failed: {}", sanitize::inline(error)),
            2,
            theme::dim(),
        ),
    }
    out.heading("Contexts");
    let contexts = engagement.contexts.as_deref().unwrap_or_default();
    if contexts.is_empty() {
        out.styled("  none", theme::dim());
    }
    for context in contexts {
        let mut name = context.context_type.as_str().to_owned();
        if let Some(id) = &context.id {
            name.push_str(&format!(" · {id}"));
        }
        out.wrapped(&sanitize::inline(&name), 0, theme::label());
        match &context.payload {
            Some(EngagementContextPayload::CustomerProject(project)) => {
                if let Some(customer) = &project.customer {
                    out.field("Customer", &customer.company_name);
                    out.field("Industry", customer.industry.as_str());
                    out.field("Country", &customer.country_code.0);
                    out.field("Website", &customer.website_url);
                }
                if let Some(project) = &project.project {
                    out.field("Project", &project.title);
                    out.field("Target date", &project.target_completion_date);
                    out.paragraph(&project.business_problem);
                }
            }
            Some(EngagementContextPayload::Unknown(_, value)) => {
                out.paragraph(&serde_json::to_string_pretty(value).unwrap_or_default());
            }
            None => {}
        }
    }
    out.lines
}
