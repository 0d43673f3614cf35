//! What the inbox does with input while the list or the detail has the keys: each command
//! (moving, filters, views `1`…`9`, triage, refresh, copy, help) and each mouse event (a click selects
//! the row under it, the wheel scrolls the pane under the pointer). Routed here by `app`.

use super::app::{App, Effect, Focus};
use super::command::Command;
use super::composer::session;
use super::dialog::{self, Dialog};
use super::filter_picker::FilterPicker;
use super::layout;
use super::scroll::Scroll;
use super::tasks::Progress;
use super::{engagement, tasks_view};
use crate::api::model::{CATALOG_SANDBOX, ParticipantType};

/// A command while the search field has the keys.
pub fn search_command(app: &mut App, command: Command) -> Vec<Effect> {
    let rows = app.list_rows();
    match command {
        Command::Submit => {
            app.list.searching = false;
            Vec::new()
        }
        Command::Cancel | Command::Back => {
            app.list.clear_search(rows);
            app.request_detail()
        }
        Command::Up | Command::Down => navigate(app, command),
        _ => Vec::new(),
    }
}

/// A command on the list or the detail.
pub fn command(app: &mut App, command: Command) -> Vec<Effect> {
    let rows = app.list_rows();
    if let Some(index) = command.view_index() {
        return pick_view(app, index);
    }
    match command {
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::Top
        | Command::Bottom => navigate(app, command),
        Command::Open => {
            if app.selected_row().is_none() {
                return Vec::new();
            }
            app.focus = Focus::Detail;
            app.request_detail()
        }
        Command::Back => {
            if app.focus == Focus::Detail {
                app.focus = Focus::List;
                app.list.scroll(app.list_rows());
                Vec::new()
            } else {
                let changed = app.list.clear_search(rows);
                app.selection_changed(changed)
            }
        }
        Command::SwitchFocus => {
            app.focus = match app.focus {
                Focus::List => Focus::Detail,
                Focus::Detail => Focus::List,
            };
            app.list.scroll(app.list_rows());
            Vec::new()
        }
        Command::StatusPicker => {
            app.dialog = Some(Dialog::status_picker(&app.list.filter));
            Vec::new()
        }
        Command::CycleStatus => {
            app.list.filter.statuses = app.list.filter.next_status();
            let changed = app.list.apply_filter(rows);
            app.selection_changed(changed)
        }
        Command::FilterPicker => {
            app.dialog = Some(Dialog::FilterPicker(FilterPicker::new(
                &app.list.filter,
                app.list.listing.rows(),
                app.now,
            )));
            Vec::new()
        }
        Command::FlipSort => {
            app.list.filter.sort = app.list.filter.sort.next();
            let changed = app.list.apply_filter(rows);
            app.selection_changed(changed)
        }
        Command::SwitchView => {
            app.view = match app.view {
                ParticipantType::Sender => ParticipantType::Receiver,
                _ => ParticipantType::Sender,
            };
            app.switch_listing()
        }
        Command::SwitchCatalog => {
            if app.is_aws() {
                app.switch_catalog(CATALOG_SANDBOX)
            } else {
                app.dialog = Some(Dialog::ConfirmCatalog);
                Vec::new()
            }
        }
        Command::Search => {
            app.list.searching = true;
            app.focus = Focus::List;
            Vec::new()
        }
        Command::Mark => super::bulk::toggle_mark(app),
        Command::Accept | Command::Reject if !app.marks.is_empty() => {
            super::bulk::ask(app, command)
        }
        Command::Accept | Command::Reject => dialog::ask_answer(app, command),
        Command::Compose => session::compose(app),
        Command::Tasks => tasks_view::open(app),
        Command::Engagement => engagement::open(app),
        Command::Refresh | Command::RefreshAll => {
            app.detail.retry_failed();
            app.tasks.retry_failed();
            let mut effects = app.begin_listing(false, command == Command::RefreshAll);
            app.list.asked = true;
            effects.push(Effect::Request(app.tasks.list(&app.catalog)));
            effects.extend(app.request_detail());
            effects
        }
        Command::CopyId => {
            let Some(id) = app.list.selected_id() else {
                return Vec::new();
            };
            // In the detail, the opportunity its task created, once there is one.
            let opportunity = match app.tasks.progress(&id) {
                Some(Progress::Complete(task)) if app.focus == Focus::Detail => {
                    task.opportunity_id.clone()
                }
                _ => None,
            };
            let id = opportunity.unwrap_or(id);
            app.info(format!("Copied {id} to the clipboard"));
            vec![Effect::Copy(id)]
        }
        Command::RawJson => {
            app.detail.raw_json = !app.detail.raw_json;
            app.detail.scroll.reset();
            Vec::new()
        }
        Command::ExportCsv => super::export::export_view(app),
        Command::Help => {
            app.help = Some(Scroll::default());
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// `1`…`9`: the view's participant, statuses, filters and sort (the search stays); a view of
/// the other participant lists afresh.
fn pick_view(app: &mut App, index: usize) -> Vec<Effect> {
    let Some(view) = app.views.get(index).cloned() else {
        let names: Vec<String> = app
            .views
            .iter()
            .enumerate()
            .map(|(i, view)| format!("{} {}", i + 1, view.name))
            .collect();
        app.error(format!(
            "There is no view {}; the views are: {}",
            index + 1,
            names.join(", ")
        ));
        return Vec::new();
    };
    app.active_view = index;
    let search = std::mem::take(&mut app.list.filter.search);
    app.list.filter = view.filter(search, app.now);
    if view.participant != app.view {
        app.view = view.participant;
        return app.switch_listing();
    }
    let changed = app.list.apply_filter(app.list_rows());
    app.selection_changed(changed)
}

fn navigate(app: &mut App, command: Command) -> Vec<Effect> {
    if app.focus == Focus::Detail && !app.list.searching {
        app.detail.scroll.command(command);
        return Vec::new();
    }
    let page = app.list_rows();
    let selected = app.list.selected;
    let to = match command {
        Command::Up => selected.saturating_sub(1),
        Command::Down => selected + 1,
        Command::PageUp => selected.saturating_sub(page),
        Command::PageDown => selected + page,
        Command::Top => 0,
        _ => usize::MAX,
    };
    let changed = app.list.select(to, page);
    if changed {
        app.selection_changed(true)
    } else {
        Vec::new()
    }
}

/// A click on a list row selects it; on the detail, gives it the focus.
pub fn click(app: &mut App, column: u16, row: u16) -> Vec<Effect> {
    if app.compose.visible().is_some()
        || app.dialog.is_some()
        || app.help.is_some()
        || app.engagement.is_some()
        || app.tasks.view.is_some()
    {
        return Vec::new();
    }
    match layout::pane_at(app.size, app.focus, column, row) {
        Some(layout::Pane::ListRow(line)) => {
            let position = app.list.offset + line;
            if position >= app.list.listing.visible().len() {
                return Vec::new();
            }
            app.focus = Focus::List;
            let changed = app.list.select(position, app.list_rows());
            app.selection_changed(changed)
        }
        Some(layout::Pane::Detail) => {
            app.focus = Focus::Detail;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The wheel scrolls the pane under the pointer (the list moves its selection).
pub fn wheel(app: &mut App, column: u16, row: u16, down: bool) -> Vec<Effect> {
    let command = if down { Command::Down } else { Command::Up };
    if let Some(help) = &mut app.help {
        help.command(command);
        return Vec::new();
    }
    if app.compose.visible().is_some() || app.dialog.is_some() {
        return Vec::new();
    }
    // A view in the panes' place scrolls (or moves) as its keys do.
    if app.engagement.is_some() {
        return engagement::command(app, command);
    }
    if app.tasks.view.is_some() {
        return tasks_view::command(app, command);
    }
    match layout::pane_at(app.size, app.focus, column, row) {
        Some(layout::Pane::Detail) => {
            app.detail.scroll.command(command);
            Vec::new()
        }
        Some(layout::Pane::ListRow(_) | layout::Pane::List) => {
            let page = app.list_rows();
            let to = if down {
                app.list.selected + 1
            } else {
                app.list.selected.saturating_sub(1)
            };
            let changed = app.list.select(to, page);
            app.selection_changed(changed)
        }
        None => Vec::new(),
    }
}
