//! The inbox end to end: the in-process emulator with its demo data, the real signed client, the
//! real worker and the composer's real disk task, driven by the same actions keys produce. Each
//! step waits, with a bound, for the app's state to reach a condition; nothing sleeps.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pcinbox::api::model::{
    CreateEngagementInvitationRequest, EngagementInvitationSummary, InvitationStatus,
    ParticipantType, Payload, Receiver,
};
use pcinbox::emulator::{Faults, RunningEmulator};
use pcinbox::tui::app::{App, DetailState, LoadState};
use pcinbox::tui::command::Command;
use pcinbox::tui::composer::Composer;
use pcinbox::tui::composer::form::FieldId;
use pcinbox::tui::composer::store::DraftStore;
use pcinbox::tui::worker::Request;
use support::{Driver, WAIT, client, emulator_with};

impl Driver {
    /// Whether every row listed satisfies `condition`.
    fn all_rows(&self, condition: impl Fn(&EngagementInvitationSummary) -> bool) -> bool {
        self.app
            .list
            .listing
            .rows()
            .iter()
            .all(|row| condition(&row.summary))
    }

    /// Waits until no answer is in flight, then checks `id` reads as `status`.
    async fn answered(&mut self, what: &str, id: &str, status: InvitationStatus) {
        self.until(what, |app| app.busy.is_empty()).await;
        assert_eq!(self.row_status(id), Some(status), "{:?}", self.app.message);
    }
}

/// Yields until `holds` (work on the disk task, which sends no result) or fails with `failure`
/// once [`WAIT`] has passed.
async fn eventually(failure: &str, holds: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !holds() {
        assert!(tokio::time::Instant::now() < deadline, "{failure}");
        tokio::task::yield_now().await;
    }
}

/// The demo emulator and the inbox on it, composing into a temporary drafts folder, on view 2
/// (every received invitation, newest first), which these flows start from.
async fn start() -> (RunningEmulator, Driver) {
    let emulator = emulator_with(Faults::default(), 0).await;
    let mut driver = Driver::composing(client(&emulator.endpoint(), 3), 160, 45);
    driver.act(Command::View2);
    (emulator, driver)
}

fn listed(app: &App) -> bool {
    app.list.load == LoadState::Idle && !app.list.listing.is_empty()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_open_accept_and_reject_through_the_worker() {
    let (emulator, mut d) = start().await;
    d.until("the demo inbox is listed", listed).await;
    let counts = d.app.list.listing.counts();
    assert!(
        counts.pending >= 2,
        "the demo data has pending invitations: {counts:?}"
    );

    // Pending only; the first one's detail arrives by itself.
    d.act(Command::CycleStatus);
    let first = d.selected_id();
    d.act(Command::Open);
    d.until("the detail arrives", |app| {
        app.detail
            .details
            .contains_key(app.selected_row().unwrap().id())
    })
    .await;
    match &d.app.detail.details[&first] {
        DetailState::Loaded(detail) => {
            assert_eq!(detail.invitation.id, first);
            assert!(
                detail.invitation.payload.is_some(),
                "the full invitation, payload included"
            );
        }
        DetailState::Failed(error) => panic!("detail failed: {error}"),
    }

    // Accept it: y/n first, then the row updates in place and leaves the Pending view.
    d.act(Command::Back);
    d.act(Command::Accept);
    if matches!(
        d.app.dialog,
        Some(pcinbox::tui::dialog::Dialog::AcceptChoice { .. })
    ) {
        d.act(Command::Down); // accept only
    }
    d.act(Command::Confirm);
    d.answered("the accept is answered", &first, InvitationStatus::Accepted)
        .await;
    assert!(d.app.list.listing.position_of(&first).is_none());

    // Reject the next one with a reason.
    let second = d.selected_id();
    assert_ne!(second, first);
    d.act(Command::Reject);
    d.type_text("Outside our region");
    d.act(Command::Submit);
    d.answered(
        "the reject is answered",
        &second,
        InvitationStatus::Rejected,
    )
    .await;

    // A refresh shows what the service now holds, and keeps the selection.
    d.act(Command::CycleStatus); // Accepted
    d.act(Command::CycleStatus); // Rejected
    d.act(Command::CycleStatus); // Expired
    d.act(Command::CycleStatus); // All
    d.act(Command::Down);
    let selected = d.selected_id();
    d.act(Command::Refresh);
    d.until("the refresh lands", listed).await;
    assert_eq!(d.row_status(&first), Some(InvitationStatus::Accepted));
    assert_eq!(d.row_status(&second), Some(InvitationStatus::Rejected));
    assert_eq!(d.selected_id(), selected);
    // The rejected invitation's detail carries the reason.
    d.act(Command::Search);
    d.type_text(&second);
    d.act(Command::Submit);
    d.until("the rejected detail arrives", |app| {
        matches!(
            app.detail
                .details
                .get(app.selected_row().map_or("", |r| r.id())),
            Some(DetailState::Loaded(_))
        )
    })
    .await;
    let DetailState::Loaded(detail) = &d.app.detail.details[&second] else {
        unreachable!()
    };
    assert_eq!(
        detail.invitation.rejection_reason.as_deref(),
        Some("Outside our region")
    );

    emulator.shutdown().await.unwrap();
}

/// Keys as a new user presses them, through the key table and the real worker: `s` picks a
/// status from the picker, and `/` finds an invitation by the customer its loaded detail names
/// (which the listing's summary does not carry).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_picker_and_a_search_by_customer_through_the_worker() {
    let (emulator, mut d) = start().await;
    d.until("the demo inbox is listed", listed).await;
    let pending = d.app.list.listing.counts().pending;
    d.press(key(KeyCode::Char('s')));
    d.press(key(KeyCode::Char('j'))); // All → PENDING
    d.press(key(KeyCode::Enter));
    assert_eq!(d.app.list.filter.statuses, [InvitationStatus::Pending]);
    assert_eq!(d.app.list.listing.visible().len(), pending);
    assert!(d.render().contains(&format!("{pending} pending")));

    // Down the list until a loaded detail (customer, project, description) has a word its
    // summary lacks.
    let (id, found_in, word) = loop {
        let id = d.selected_id();
        d.until("the detail arrives", |app| {
            app.detail
                .details
                .contains_key(app.selected_row().unwrap().id())
        })
        .await;
        let summary = format!("{:?}", d.app.selected_row().unwrap().summary).to_lowercase();
        if let DetailState::Loaded(detail) = &d.app.detail.details[&id] {
            let invitation = &detail.invitation;
            let mut texts: Vec<String> =
                invitation.engagement_description.iter().cloned().collect();
            if let Some(Payload::OpportunityInvitation(payload)) = &invitation.payload {
                texts.push(payload.customer.company_name.clone());
                texts.push(payload.project.title.clone());
            }
            let found = texts.iter().find_map(|text| {
                text.split(|c: char| !c.is_alphanumeric())
                    .find(|word| {
                        word.chars().count() > 4 && !summary.contains(&word.to_lowercase())
                    })
                    .map(|word| (text.clone(), word.to_owned()))
            });
            if let Some((text, word)) = found {
                break (id, text, word);
            }
        }
        let before = d.app.list.selected;
        d.press(key(KeyCode::Char('j')));
        assert_ne!(d.app.list.selected, before, "no detail word to search for");
    };
    d.press(key(KeyCode::Esc)); // the list
    d.press(key(KeyCode::Char('/')));
    d.type_text(&word);
    assert!(
        d.app.list.listing.position_of(&id).is_some(),
        "`{word}` finds {id} by its detail: {found_in}"
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sent_view_and_sandbox_aws_catalog_switch() {
    let (emulator, mut d) = start().await;
    d.until("the received inbox is listed", listed).await;
    d.act(Command::SwitchView);
    assert_eq!(d.app.view, ParticipantType::Sender);
    d.until("the sent listing lands", |app| {
        app.list.load == LoadState::Idle
    })
    .await;
    assert!(d.all_rows(|row| row.participant_type != Some(ParticipantType::Receiver)));
    d.act(Command::SwitchCatalog);
    d.act(Command::Confirm);
    assert_eq!(d.app.catalog, "AWS");
    d.until("the AWS catalog lists", |app| {
        app.list.load == LoadState::Idle
    })
    .await;
    assert!(d.all_rows(|row| row.catalog == "AWS"));
    emulator.shutdown().await.unwrap();
}

/// The views and the filter picker on the demo data, keys through the key table: the inbox
/// starts on To do (PENDING only, the soonest deadline first), `2` adds the answered ones at
/// once, `f` → Partners leaves the invitations partners sent, `3` lists the sent ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_and_filters_on_the_demo_inbox() {
    let emulator = emulator_with(Faults::default(), 0).await;
    let mut d = Driver::start(client(&emulator.endpoint(), 3), 160, 45);
    d.until("the demo inbox is listed", listed).await;
    let visible = |d: &Driver| -> Vec<EngagementInvitationSummary> {
        let listing = &d.app.list.listing;
        (0..listing.visible().len())
            .map(|p| (*listing.visible_row(p).unwrap().summary).clone())
            .collect()
    };
    assert!(
        d.render()
            .contains("· 1 To do · PENDING only · soonest deadline first")
    );
    let to_do = visible(&d);
    assert!(!to_do.is_empty());
    assert!(
        to_do
            .iter()
            .all(|s| s.status == Some(InvitationStatus::Pending))
    );
    assert!(
        to_do.is_sorted_by_key(|s| s.expiration_date),
        "soonest deadline first"
    );

    d.press(key(KeyCode::Char('2')));
    assert!(
        d.render()
            .contains("· 2 Received · all statuses · newest first")
    );
    let received = visible(&d);
    assert_eq!(received.len(), d.app.list.listing.rows().len());
    assert!(received.len() > to_do.len(), "the answered ones too");

    // f, down to Partners (All, Opportunity, Lead, All, AWS, Partners), Enter.
    d.press(key(KeyCode::Char('f')));
    for _ in 0..5 {
        d.press(key(KeyCode::Char('j')));
    }
    d.press(key(KeyCode::Enter));
    let partners = visible(&d);
    assert!(
        !partners.is_empty(),
        "the demo has invitations from partners"
    );
    assert!(
        partners
            .iter()
            .all(|s| !pcinbox::tui::listing::sent_by_aws(s))
    );
    assert!(
        d.render()
            .contains("· 2 Received* · all statuses · newest first · from partners")
    );

    d.press(key(KeyCode::Char('3')));
    d.until("the sent listing lands", listed).await;
    assert!(d.render().contains("· 3 Sent · all statuses"));
    assert!(d.all_rows(|row| row.participant_type == Some(ParticipantType::Sender)));
    emulator.shutdown().await.unwrap();
}

/// A key as the terminal sends it.
fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

impl Driver {
    fn composer(&self) -> &Composer {
        self.app.compose.visible().expect("the composer is open")
    }

    /// Tabs to `field` (the form wraps, so it is reached from anywhere).
    fn go_to(&mut self, field: FieldId) {
        for _ in 0..self.composer().fields().len() {
            if self.composer().focused() == field {
                return;
            }
            self.press(key(KeyCode::Tab));
        }
        panic!("no field {field:?} in {:?}", self.composer().fields());
    }

    /// Types `text` into `field`; `\n` is Enter.
    fn fill(&mut self, field: FieldId, text: &str) {
        self.go_to(field);
        for c in text.chars() {
            self.press(key(match c {
                '\n' => KeyCode::Enter,
                c => KeyCode::Char(c),
            }));
        }
    }

    /// Picks the first match of `query` in `field`'s picker.
    fn pick(&mut self, field: FieldId, query: &str) {
        self.fill(field, query);
        self.press(key(KeyCode::Enter));
    }

    /// Types a draft that passes every rule, with non-ASCII text and some optional fields left
    /// empty (receiver alias, contact title and phone, spend estimation URL).
    fn fill_valid(&mut self, engagement: &str) {
        self.fill(FieldId::EngagementIdentifier, engagement);
        self.fill(FieldId::ReceiverAccount, "123456789012");
        self.fill(
            FieldId::Message,
            "Gemeinsam für Müller — 日本語のメッセージ\nZweite Zeile",
        );
        self.fill(FieldId::OppCompany, "Müller Logistik GmbH");
        self.pick(FieldId::OppIndustry, "retail");
        self.pick(FieldId::OppCountry, "germany");
        self.fill(FieldId::OppWebsite, "https://mueller.example");
        self.fill(FieldId::ProjectTitle, "Lagerverwaltung für Müller");
        self.fill(
            FieldId::BusinessProblem,
            "Die Lagerverwaltung läuft auf alten Servern in Köln.",
        );
        self.fill(FieldId::TargetDate, "2027-03-31");
        self.fill(FieldId::SpendAmount(0), "12500.50");
        self.go_to(FieldId::Responsibilities);
        self.press(key(KeyCode::Enter));
        self.press(key(KeyCode::Char(' ')));
        self.press(key(KeyCode::Enter));
        self.fill(FieldId::ContactEmail(0), "anna@mueller.example");
        self.fill(FieldId::ContactFirstName(0), "Anna");
        self.fill(FieldId::ContactLastName(0), "Müller-Lüdenscheidt");
    }

    fn creates(&self) -> Vec<CreateEngagementInvitationRequest> {
        self.sent
            .iter()
            .filter_map(|r| match r {
                Request::Create(request) => Some(request.as_ref().clone()),
                _ => None,
            })
            .collect()
    }
}

fn sent_in_sandbox(app: &App) -> Vec<String> {
    app.list
        .listing
        .rows()
        .iter()
        .filter(|row| row.summary.catalog == "Sandbox")
        .map(|row| row.id().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compose_type_and_send_creates_exactly_what_was_drafted_once() {
    let (emulator, mut d) = start().await;
    d.until("the received inbox is listed", listed).await;
    // An engagement the caller may invite to: one it already sent from.
    d.act(Command::SwitchView);
    d.until("the sent listing lands", listed).await;
    let before = sent_in_sandbox(&d.app);
    let engagement = d
        .app
        .selected_row()
        .and_then(|row| row.summary.engagement_id.clone())
        .expect("the demo data has sent invitations");
    d.act(Command::SwitchView);
    d.until("back on the received inbox", listed).await;

    d.act(Command::Compose);
    d.until("the composer opens", |app| app.compose.visible().is_some())
        .await;
    let token = d.composer().draft.client_token.clone();
    d.fill_valid(&engagement);
    let drafted = d.composer().draft.clone();
    assert!(d.composer().errors.is_empty(), "{:?}", d.composer().errors);

    // Ctrl-S twice: one create, with the draft's token.
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    d.press(ctrl_s);
    d.press(ctrl_s);
    let creates = d.creates();
    assert_eq!(creates.len(), 1, "{:?}", d.composer().status);
    assert_eq!(creates[0].client_token.as_deref(), Some(token.as_str()));
    assert_eq!(creates[0], drafted.to_request().unwrap());
    d.until("the create is answered and Sent is listed", |app| {
        app.compose.composer.is_none() && listed(app) && app.view == ParticipantType::Sender
    })
    .await;
    let message = d.app.message.clone().expect("the new id is shown");
    let after = sent_in_sandbox(&d.app);
    let new: Vec<&String> = after.iter().filter(|id| !before.contains(id)).collect();
    assert_eq!(new.len(), 1, "exactly one invitation: {new:?}");
    let id = new[0].clone();
    assert!(message.text.contains(&id), "{}", message.text);

    // A retry of the same request (as after a lost response) creates nothing new.
    let client = client(&emulator.endpoint(), 3);
    let again = client
        .create_engagement_invitation(&creates[0])
        .await
        .unwrap();
    assert_eq!(again.id, id);

    // What the service holds is what was drafted, field for field.
    let created = client
        .get_engagement_invitation("Sandbox", &id)
        .await
        .unwrap();
    let request = drafted.to_request().unwrap();
    assert_eq!(created.engagement_id.as_deref(), Some(engagement.as_str()));
    assert_eq!(
        created.invitation_message.as_deref(),
        Some(drafted.message.as_str())
    );
    assert_eq!(
        created.receiver.as_ref(),
        Some(&request.invitation.receiver)
    );
    assert_eq!(created.payload.as_ref(), Some(&request.invitation.payload));
    let Some(Payload::OpportunityInvitation(opp)) = &created.payload else {
        panic!("not an opportunity: {:?}", created.payload)
    };
    assert_eq!(opp.customer.company_name, "Müller Logistik GmbH");
    assert_eq!(opp.customer.country_code.0, "DE");
    assert_eq!(
        opp.project.business_problem,
        "Die Lagerverwaltung läuft auf alten Servern in Köln."
    );
    let Receiver::Account(account) = created.receiver.as_ref().unwrap() else {
        panic!("receiver is not an account")
    };
    assert_eq!(account.alias, None, "an empty optional field is omitted");
    let contact = &opp.sender_contacts.as_ref().unwrap()[0];
    assert_eq!(contact.last_name.as_deref(), Some("Müller-Lüdenscheidt"));
    assert_eq!(
        (contact.phone.as_ref(), contact.business_title.as_ref()),
        (None, None)
    );
    assert_eq!(opp.project.expected_customer_spend[0].estimation_url, None);

    // The sent draft is gone from disk (the removal runs on the disk task: poll with a bound).
    let store = DraftStore::in_dir(d.data_dir());
    eventually("the sent draft was never removed", || {
        !store.path().exists()
    })
    .await;
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_create_keeps_the_draft_and_says_why() {
    let (emulator, mut d) = start().await;
    d.act(Command::Compose);
    d.until("the composer opens", |app| app.compose.visible().is_some())
        .await;
    d.fill_valid("eng-zzzzzzzzzzzzzz");
    let drafted = d.composer().draft.clone();
    d.press(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    d.until("the create is answered", |app| {
        app.compose
            .visible()
            .is_some_and(|c| c.mode == pcinbox::tui::composer::Mode::Editing)
    })
    .await;
    let status = d.composer().status.clone().unwrap_or_default();
    assert!(status.contains("ResourceNotFoundException"), "{status}");
    assert_eq!(d.composer().draft, drafted, "nothing typed is lost");
    // The draft is on disk (the save queued with the send runs on the disk task: poll with a
    // bound) and stays there.
    let store = DraftStore::in_dir(d.data_dir());
    eventually("the draft was never saved", || {
        store.load().unwrap().0.as_ref() == Some(&drafted)
    })
    .await;
    emulator.shutdown().await.unwrap();
}

// ---- from invitation to opportunity, through the real worker ----

/// The demo emulator whose accepting tasks run for `task_duration`, and the inbox on it.
async fn start_with_tasks(task_duration: std::time::Duration) -> (RunningEmulator, Driver) {
    let emulator = pcinbox::emulator::start(pcinbox::emulator::EmulatorOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        storage: pcinbox::emulator::Storage::Ephemeral,
        task_duration,
        ..pcinbox::emulator::EmulatorOptions::default()
    })
    .await
    .expect("the emulator starts");
    let mut driver = Driver::start(client(&emulator.endpoint(), 3), 160, 45);
    // Every status (view 2): an accepted invitation stays on screen with its task.
    driver.act(Command::View2);
    (emulator, driver)
}

impl Driver {
    /// Selects invitation `id` by searching for it.
    fn select(&mut self, id: &str) {
        self.act(Command::Search);
        self.type_text(id);
        self.act(Command::Submit);
        assert_eq!(self.selected_id(), id);
    }

    /// `a`, then Enter: accept `id` and create its opportunity.
    fn accept_and_create(&mut self, id: &str) {
        self.select(id);
        self.press(key(KeyCode::Char('a')));
        self.press(key(KeyCode::Enter));
        assert!(
            self.sent
                .iter()
                .any(|r| matches!(r, Request::StartTask { invitation, .. } if invitation == id)),
            "{:?}",
            self.app.message
        );
    }

    /// What the task of `id` is doing.
    fn progress(&self, id: &str) -> Option<String> {
        self.app.tasks.progress(id).map(|p| format!("{p:?}"))
    }
}

fn running(app: &App, id: &str) -> bool {
    matches!(
        app.tasks.progress(id),
        Some(pcinbox::tui::tasks::Progress::Running(_))
    )
}

/// A PENDING opportunity invitation of the demo data that no test here has touched.
async fn pending_opportunity(emulator: &RunningEmulator, nth: usize) -> String {
    support::pending_opportunity_invitations(&client(&emulator.endpoint(), 3)).await[nth]
        .id
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_and_create_the_opportunity_follows_the_task_to_complete() {
    let (emulator, mut d) = start_with_tasks(std::time::Duration::from_secs(1)).await;
    d.until("the demo inbox is listed", listed).await;
    let id = pending_opportunity(&emulator, 0).await;
    d.accept_and_create(&id);
    // The inbox stays usable while the task runs: it moves and opens details meanwhile.
    d.until("the task runs", |app| running(app, &id)).await;
    let screen = d.render();
    assert!(screen.contains("creating the opportunity for"), "{screen}");
    d.act(Command::Down);
    d.act(Command::Up);
    d.until("the task completes", |app| {
        matches!(
            app.tasks.progress(&id),
            Some(pcinbox::tui::tasks::Progress::Complete(_))
        )
    })
    .await;
    assert_eq!(d.row_status(&id), Some(InvitationStatus::Accepted));
    d.act(Command::Open);
    let opportunity = d.app.tasks.all()[0].opportunity_id.clone().unwrap();
    d.until("the opportunity is read", |app| {
        matches!(
            app.tasks.opportunities.get(&opportunity),
            Some(pcinbox::tui::tasks::OpportunityState::Loaded(_))
        )
    })
    .await;
    let screen = d.render();
    assert!(screen.contains(&opportunity), "{screen}");
    let Some(pcinbox::tui::tasks::OpportunityState::Loaded(loaded)) =
        d.app.tasks.opportunities.get(&opportunity)
    else {
        unreachable!()
    };
    let customer = loaded
        .customer
        .as_ref()
        .and_then(|c| c.account.as_ref())
        .map(|a| a.company_name.clone())
        .expect("the opportunity names its customer");
    assert!(screen.contains(&customer), "{screen}");
    // y in the detail copies the opportunity id.
    let effects = pcinbox::tui::app::update(&mut d.app, Command::CopyId);
    assert_eq!(
        effects,
        [pcinbox::tui::app::Effect::Copy(opportunity.clone())]
    );
    // The tasks view lists it, and the engagement view shows the caller as a member now.
    d.press(key(KeyCode::Char('t')));
    d.until("the tasks are listed", |app| {
        app.tasks.load == pcinbox::tui::tasks::TasksLoad::Idle
    })
    .await;
    assert!(d.render().contains(&opportunity));
    d.press(key(KeyCode::Esc));
    d.press(key(KeyCode::Char('e')));
    d.until("the engagement is read", |app| {
        app.engagement.as_ref().is_some_and(|v| v.info.is_some())
    })
    .await;
    let view = d.app.engagement.as_ref().unwrap();
    let info = view.info.as_ref().unwrap().as_ref().expect("GetEngagement");
    let members = info.members.as_ref().expect("a member may list members");
    assert_eq!(info.engagement.member_count, Some(members.len() as i64));
    d.press(key(KeyCode::Esc));
    assert!(d.app.engagement.is_none());
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_whose_invitation_was_answered_meanwhile_fails_in_plain_words() {
    let (emulator, mut d) = start_with_tasks(std::time::Duration::from_secs(3)).await;
    d.until("the demo inbox is listed", listed).await;
    let id = pending_opportunity(&emulator, 1).await;
    d.accept_and_create(&id);
    d.until("the task runs", |app| running(app, &id)).await;
    // Someone else rejects it before the task gets to it.
    client(&emulator.endpoint(), 3)
        .reject_engagement_invitation(&pcinbox::api::model::RejectEngagementInvitationRequest {
            catalog: "Sandbox".into(),
            identifier: id.clone(),
            rejection_reason: None,
        })
        .await
        .unwrap();
    d.until("the task fails", |app| {
        matches!(
            app.tasks.progress(&id),
            Some(pcinbox::tui::tasks::Progress::Failed(_))
        )
    })
    .await;
    let message = d.app.message.clone().expect("the failure is told");
    assert!(
        message.text.contains("no longer PENDING"),
        "{}",
        message.text
    );
    d.act(Command::Open);
    let screen = d.render();
    assert!(
        screen.contains("Not created: the invitation is no longer"),
        "{screen}"
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_running_when_the_inbox_quits_is_found_again_at_the_next_start() {
    let (emulator, mut d) = start_with_tasks(std::time::Duration::from_secs(5)).await;
    d.until("the demo inbox is listed", listed).await;
    let id = pending_opportunity(&emulator, 2).await;
    d.accept_and_create(&id);
    d.until("the task runs", |app| running(app, &id)).await;
    // Quit while it runs: the app, its worker and the follow go.
    drop(d);

    let mut d = Driver::start(client(&emulator.endpoint(), 3), 160, 45);
    assert!(
        d.sent
            .iter()
            .any(|r| matches!(r, Request::ListTasks { .. })),
        "the start lists the tasks"
    );
    d.until("the running task is found again", |app| running(app, &id))
        .await;
    assert!(
        d.sent
            .iter()
            .any(|r| matches!(r, Request::FollowTask { .. })),
        "and followed"
    );
    d.until("it completes", |app| {
        matches!(
            app.tasks.progress(&id),
            Some(pcinbox::tui::tasks::Progress::Complete(_))
        ) && listed(app)
    })
    .await;
    assert_eq!(
        d.row_status(&id),
        Some(InvitationStatus::Accepted),
        "{:?}",
        d.progress(&id)
    );
    emulator.shutdown().await.unwrap();
}
