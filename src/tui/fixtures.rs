//! Test data for the inbox: invitations at fixed times, a composer draft and a fake service for
//! the worker.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{FutureExt, StreamExt};
use tokio::sync::{Notify, Semaphore};

use super::TuiOptions;
use super::app::{App, Effect, update};
use super::event::Event;
use crate::sync::refresh::Source;

use super::composer::draft::Draft;
use super::worker::Service;
use crate::api::Error;
use crate::api::model::*;
use crossterm::event::{KeyCode, KeyEvent};

/// "Now" in every test: screens must not depend on the clock.
pub static NOW: LazyLock<DateTime<Utc>> =
    LazyLock::new(|| Utc.with_ymd_and_hms(2025, 6, 15, 9, 30, 0).unwrap());

fn at(offset: Duration) -> Option<Timestamp> {
    Some(Timestamp(*NOW + offset))
}

/// A received invitation `days_ago` days old whose title and company contain its id.
pub fn summary(id: &str, status: InvitationStatus, days_ago: i64) -> EngagementInvitationSummary {
    EngagementInvitationSummary {
        arn: Some(format!(
            "arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement-invitation/{id}"
        )),
        payload_type: Some(PayloadType::OpportunityInvitation),
        id: id.to_owned(),
        engagement_id: Some(format!("eng-{id}")),
        engagement_title: Some(format!("Title {id}")),
        status: Some(status),
        invitation_date: at(-Duration::days(days_ago)),
        expiration_date: at(Duration::days(15 - days_ago)),
        sender_aws_account_id: Some("111122223333".into()),
        sender_company_name: Some(format!("Company {id}")),
        receiver: Some(Receiver::Account(AccountReceiver {
            alias: Some("Our team".into()),
            aws_account_id: "444455556666".into(),
        })),
        catalog: "Sandbox".into(),
        participant_type: Some(ParticipantType::Receiver),
    }
}

/// A morning's inbox: a mix of statuses, kinds, ages and expiries.
pub fn inbox() -> Vec<EngagementInvitationSummary> {
    let rows: [(&str, &str, &str, InvitationStatus, PayloadType, i64, i64); 12] = [
        (
            "engi-0a1b2c3d4e5f6",
            "Migration of a retail analytics platform to AWS",
            "Northwind Traders",
            InvitationStatus::Pending,
            PayloadType::OpportunityInvitation,
            2 * 60,
            36 * 60,
        ),
        (
            "engi-1b2c3d4e5f6a7",
            "Generative AI assistant for claims processing",
            "Contoso Insurance",
            InvitationStatus::Pending,
            PayloadType::LeadInvitation,
            26 * 60,
            12 * 24 * 60,
        ),
        (
            "engi-2c3d4e5f6a7b8",
            "SAP on AWS modernisation",
            "Fabrikam Industries",
            InvitationStatus::Accepted,
            PayloadType::OpportunityInvitation,
            3 * 24 * 60,
            11 * 24 * 60,
        ),
        (
            "engi-3d4e5f6a7b8c9",
            "Data lake for clinical trials",
            "Adatum Health",
            InvitationStatus::Pending,
            PayloadType::OpportunityInvitation,
            4 * 24 * 60,
            50 * 60,
        ),
        (
            "engi-4e5f6a7b8c9d0",
            "Contact centre with Amazon Connect",
            "Tailspin Toys",
            InvitationStatus::Rejected,
            PayloadType::LeadInvitation,
            6 * 24 * 60,
            8 * 24 * 60,
        ),
        (
            "engi-5f6a7b8c9d0e1",
            "Kubernetes platform consolidation",
            "Wide World Importers",
            InvitationStatus::Expired,
            PayloadType::OpportunityInvitation,
            20 * 24 * 60,
            -5 * 24 * 60,
        ),
        (
            "engi-6a7b8c9d0e1f2",
            "Serverless order pipeline",
            "Litware Inc.",
            InvitationStatus::Pending,
            PayloadType::OpportunityInvitation,
            9 * 24 * 60,
            5 * 24 * 60,
        ),
        (
            "engi-7b8c9d0e1f2a3",
            "Backup and disaster recovery for branch offices",
            "Coho Winery",
            InvitationStatus::Accepted,
            PayloadType::OpportunityInvitation,
            12 * 24 * 60,
            2 * 24 * 60,
        ),
        (
            "engi-8c9d0e1f2a3b4",
            "Windows workloads license optimisation",
            "Proseware, Inc.",
            InvitationStatus::Accepted,
            PayloadType::LeadInvitation,
            15 * 24 * 60,
            -24 * 60,
        ),
        (
            "engi-9d0e1f2a3b4c5",
            "Real-time fraud detection with streaming ML",
            "Woodgrove Bank",
            InvitationStatus::Pending,
            PayloadType::OpportunityInvitation,
            13 * 24 * 60,
            45,
        ),
        (
            "engi-a0b1c2d3e4f5a",
            "E-commerce search relevance",
            "Alpine Ski House",
            InvitationStatus::Rejected,
            PayloadType::OpportunityInvitation,
            40 * 24 * 60,
            -10 * 24 * 60,
        ),
        (
            "engi-b1c2d3e4f5a6b",
            "IoT telemetry for wind farms",
            "Blue Yonder Airlines",
            InvitationStatus::Expired,
            PayloadType::LeadInvitation,
            90 * 24 * 60,
            -60 * 24 * 60,
        ),
    ];
    rows.into_iter()
        .map(
            |(id, title, company, status, kind, minutes_ago, expires_in_minutes)| {
                EngagementInvitationSummary {
                    payload_type: Some(kind),
                    engagement_title: Some(title.into()),
                    sender_company_name: Some(company.into()),
                    invitation_date: at(-Duration::minutes(minutes_ago)),
                    expiration_date: at(Duration::minutes(expires_in_minutes)),
                    ..summary(id, status, 0)
                }
            },
        )
        .collect()
}

/// The full opportunity invitation behind the first row of [`inbox`].
pub fn opportunity_detail() -> EngagementInvitation {
    let row = &inbox()[0];
    EngagementInvitation {
        arn: row.arn.clone(),
        payload: Some(Payload::OpportunityInvitation(OpportunityInvitationPayload {
            sender_contacts: Some(vec![SenderContact {
                email: "maria.garcia@northwind.example".into(),
                first_name: Some("Maria".into()),
                last_name: Some("Garcia".into()),
                business_title: Some("Partner Development Manager".into()),
                phone: Some("+14255550100".into()),
            }]),
            receiver_responsibilities: vec![ReceiverResponsibility::ServicesPartner, ReceiverResponsibility::CoSellFacilitator],
            customer: EngagementCustomer {
                industry: Industry::Retail,
                company_name: "Northwind Traders".into(),
                website_url: "https://northwind.example".into(),
                country_code: CountryCode("US".into()),
            },
            project: ProjectDetails {
                business_problem: "Nightly batch reports take 9 hours on the on-premises warehouse and miss the morning stand-up. The customer wants near real-time dashboards for 400 stores.\nThey need a partner for the migration and for a 6-month run phase.".into(),
                title: "Retail analytics migration".into(),
                target_completion_date: "2025-12-31".into(),
                expected_customer_spend: vec![ExpectedCustomerSpend {
                    amount: Some("25000".into()),
                    currency_code: CurrencyCode("USD".into()),
                    frequency: PaymentFrequency::Monthly,
                    target_company: "AWS".into(),
                    estimation_url: None,
                }],
            },
        })),
        invitation_message: Some("Hi team, we would love your help with the data migration part of this one. Kick-off is planned for July.".into()),
        engagement_description: Some("Move the retail analytics platform from the on-premises warehouse to Amazon Redshift.".into()),
        existing_members: Some(vec![EngagementMemberSummary {
            company_name: Some("Northwind Traders".into()),
            website_url: Some("https://northwind.example".into()),
        }]),
        enrichment_context: Some(EnrichmentContext {
            prospecting_result_aws: Some(InvitationProspectingResultAws {
                customer: Some(ProspectingResultCustomer {
                    account_name: Some("Northwind Traders".into()),
                    segment: Some("Enterprise".into()),
                    ..ProspectingResultCustomer::default()
                }),
                insights: Some(ProspectingInsights {
                    marketplace_engagement_score: Some("High".into()),
                    solution_score: Some("Medium".into()),
                    ..ProspectingInsights::default()
                }),
            }),
            lead_insights: None,
        }),
        ..invitation_of(row)
    }
}

/// The full lead invitation behind the second row of [`inbox`].
pub fn lead_detail() -> EngagementInvitation {
    let row = &inbox()[1];
    EngagementInvitation {
        payload: Some(Payload::LeadInvitation(LeadInvitationPayload {
            customer: LeadInvitationCustomer {
                industry: Some("Financial Services".into()),
                company_name: "Contoso Insurance".into(),
                website_url: Some("https://contoso.example".into()),
                country_code: Some("DE".into()),
                aws_maturity: Some("Intermediate".into()),
                market_segment: Some("Enterprise".into()),
            },
            interaction: LeadInvitationInteraction {
                source_type: Some("Event".into()),
                source_id: Some("reinvent-2024-booth".into()),
                source_name: Some("re:Invent booth scan".into()),
                usecase: Some("Claims triage with Amazon Bedrock".into()),
                contact_business_title: "Head of Claims".into(),
            },
        })),
        invitation_message: Some(
            "Lead from re:Invent: they asked for a partner with insurance experience.".into(),
        ),
        enrichment_context: Some(EnrichmentContext {
            prospecting_result_aws: None,
            lead_insights: Some(LeadInsights {
                lead_readiness_score: Some("Ready".into()),
            }),
        }),
        ..invitation_of(row)
    }
}

/// The invitation behind `row` with what its summary says (its ARN left out), nothing more.
fn invitation_of(row: &EngagementInvitationSummary) -> EngagementInvitation {
    EngagementInvitation {
        id: row.id.clone(),
        payload_type: row.payload_type.clone(),
        engagement_id: row.engagement_id.clone(),
        engagement_title: row.engagement_title.clone(),
        status: row.status.clone(),
        invitation_date: row.invitation_date,
        expiration_date: row.expiration_date,
        sender_aws_account_id: row.sender_aws_account_id.clone(),
        sender_company_name: row.sender_company_name.clone(),
        receiver: row.receiver.clone(),
        catalog: row.catalog.clone(),
        ..EngagementInvitation::default()
    }
}

/// A composer draft of an opportunity invitation that passes every rule.
pub fn valid_draft() -> Draft {
    let mut draft = Draft::new("Sandbox");
    draft.engagement_identifier = "eng-abcdefghij0123".into();
    draft.receiver_account = "123456789012".into();
    draft.message = "Zusammenarbeit für Müller?".into();
    let o = &mut draft.opportunity;
    o.company_name = "Müller Logistik GmbH".into();
    o.industry = "Transportation and Logistics".into();
    o.country_code = "DE".into();
    o.website_url = "https://mueller.example".into();
    o.project_title = "Lagerverwaltung in der Cloud".into();
    o.business_problem = "Die Lagerverwaltung läuft auf alten Servern.".into();
    o.target_completion_date = "2027-03-31".into();
    o.spends[0].amount = "12500.00".into();
    o.responsibilities = vec!["Reseller".into()];
    o.contacts[0].email = "anna@mueller.example".into();
    draft
}

/// Answers listing `generation` with `summaries` as one complete page: what the app asks for then.
pub fn list(
    app: &mut App,
    generation: u64,
    summaries: Vec<EngagementInvitationSummary>,
) -> Vec<Effect> {
    let mut effects = page(app, generation, summaries);
    effects.extend(update(app, Event::ListDone { generation }));
    effects
}

/// Answers listing `generation` with one page of `summaries`, more to come.
pub fn page(
    app: &mut App,
    generation: u64,
    summaries: Vec<EngagementInvitationSummary>,
) -> Vec<Effect> {
    update(
        app,
        Event::ListPage {
            generation,
            summaries,
        },
    )
}

/// Answers the first listing's cache load with [`inbox`], saved at `saved_at`.
pub fn cached(app: &mut App, saved_at: DateTime<Utc>) -> Vec<Effect> {
    update(
        app,
        Event::CacheLoaded {
            generation: 1,
            saved_at,
            summaries: inbox().into_iter().map(Into::into).collect(),
        },
    )
}

/// An 80x24 app on view 2 (see [`every_received`]) whose first listing (generation 1) holds
/// `rows`.
pub fn loaded(options: &TuiOptions, rows: Vec<EngagementInvitationSummary>) -> App {
    let mut app = App::new(options, *NOW);
    app.start();
    update(&mut app, Event::Resize(80, 24));
    every_received(&mut app);
    list(&mut app, 1, rows);
    app
}

/// Picks view 2 (Received: every received invitation, newest first), which most tests are
/// written against; the inbox starts on view 1 (To do), which `views_tests` covers.
pub fn every_received(app: &mut App) {
    update(app, super::command::Command::View2);
}

/// Types `text` into the reject dialog's reason, a key per character.
pub fn type_reason(app: &mut App, text: &str) {
    for c in text.chars() {
        assert!(press(app, KeyEvent::from(KeyCode::Char(c))).is_empty());
    }
}

/// Draws `app` at its size, as the event loop does (the draw measures the scrolled panes);
/// the screen's text.
pub fn draw(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| super::draw::draw(frame, app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content()
        .chunks(usize::from(width))
        .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>() + "\n")
        .collect()
}

/// The detail requests `app` has made and not had answered, as effects to answer.
pub fn loaded_detail_requests(app: &App) -> Vec<Effect> {
    app.list
        .selected_id()
        .and_then(|id| Some((app.detail.request_of(&id)?, id)))
        .map(|(seq, id)| {
            Effect::Request(super::worker::Request::Detail {
                seq,
                catalog: app.catalog.clone(),
                id,
            })
        })
        .into_iter()
        .collect()
}

/// Options whose key table binds `command` in the list to `key` alone.
pub fn rebound(command: super::command::Command, key: &str) -> TuiOptions {
    use super::keymap::{Key, KeyMap, KeyMode};
    let mut map = KeyMap::default();
    map.bind(KeyMode::Inbox, command, vec![Key::parse(key).unwrap()])
        .unwrap();
    TuiOptions {
        keymap: Arc::new(map),
        ..TuiOptions::default()
    }
}

/// Presses `key` as the terminal would: through the key table in force.
pub fn press(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match super::keys::event_for(app, key) {
        Some(event) => update(app, event),
        None => Vec::new(),
    }
}

/// A write the fake was asked for: (operation, invitation, when).
pub type Write = (&'static str, String, tokio::time::Instant);

/// A fake Partner Central holding `EngagementInvitation`s in memory.
#[derive(Clone, Default)]
pub struct FakeService {
    invitations: Arc<Mutex<Vec<EngagementInvitation>>>,
    gets: Arc<AtomicUsize>,
    get_gate: Arc<Mutex<Option<Arc<Semaphore>>>>,
    get_started: Arc<Notify>,
    /// Invitations created, by ClientToken: (token, id).
    created: Arc<Mutex<Vec<(String, String)>>>,
    /// Accepting tasks started, newest last.
    tasks: Arc<Mutex<Vec<EngagementTask>>>,
    /// Every write asked for, in order.
    writes: Arc<Mutex<Vec<Write>>>,
}

impl FakeService {
    /// `count` PENDING opportunity invitations `engi-0000000000001`…, one day apart.
    pub fn with_invitations(count: usize) -> FakeService {
        let invitations = (1..=count)
            .map(|n| {
                let id = format!("engi-{n:013}");
                let summary = summary(&id, InvitationStatus::Pending, n as i64);
                EngagementInvitation {
                    id,
                    engagement_id: summary.engagement_id,
                    engagement_title: summary.engagement_title,
                    status: summary.status,
                    invitation_date: summary.invitation_date,
                    catalog: summary.catalog,
                    ..EngagementInvitation::default()
                }
            })
            .collect();
        FakeService {
            invitations: Arc::new(Mutex::new(invitations)),
            ..FakeService::default()
        }
    }

    /// Makes every `get` wait for a permit of the returned semaphore.
    pub fn hold_gets(&self) -> Arc<Semaphore> {
        let gate = Arc::new(Semaphore::new(0));
        *self.get_gate.lock().unwrap() = Some(gate.clone());
        gate
    }

    pub async fn first_get_started(&self) {
        self.get_started.notified().await;
    }

    pub fn get_calls(&self) -> usize {
        self.gets.load(Ordering::SeqCst)
    }

    /// Every accept, reject and task start asked for, in order.
    pub fn writes(&self) -> Vec<Write> {
        self.writes.lock().unwrap().clone()
    }

    fn wrote(&self, operation: &'static str, invitation: &str) {
        self.writes.lock().unwrap().push((
            operation,
            invitation.to_owned(),
            tokio::time::Instant::now(),
        ));
    }

    /// How many invitations `create` made (a repeated ClientToken makes none).
    pub fn created_count(&self) -> usize {
        self.created.lock().unwrap().len()
    }

    /// Settles every running task: COMPLETE with opportunity `O<n>` if its invitation is still
    /// PENDING (which it accepts), FAILED with EngagementInvitationConflict if not.
    fn settle_tasks(&self) {
        let mut tasks = self.tasks.lock().unwrap();
        for (n, task) in tasks.iter_mut().enumerate() {
            if task.task_status != Some(TaskStatus::InProgress) {
                continue;
            }
            let invitation = task.engagement_invitation_id.clone().unwrap_or_default();
            match self.answer(&invitation, InvitationStatus::Accepted) {
                Ok(()) => {
                    task.task_status = Some(TaskStatus::Complete);
                    task.opportunity_id = Some(format!("O{:010}", n + 1));
                }
                Err(e) => {
                    task.task_status = Some(TaskStatus::Failed);
                    task.reason_code = Some(ReasonCode::EngagementInvitationConflict);
                    task.message = Some(e.to_string());
                }
            }
        }
    }

    fn answer(&self, id: &str, to: InvitationStatus) -> Result<(), Error> {
        let mut invitations = self.invitations.lock().unwrap();
        let Some(invitation) = invitations.iter_mut().find(|i| i.id == id) else {
            return Err(Error::ResourceNotFound {
                message: format!("no invitation {id}"),
            });
        };
        if invitation.status != Some(InvitationStatus::Pending) {
            return Err(Error::Conflict {
                message: format!("{id} is not PENDING"),
            });
        }
        invitation.status = Some(to);
        Ok(())
    }
}

impl Source for FakeService {
    fn page(
        &self,
        request: ListEngagementInvitationsRequest,
    ) -> BoxFuture<'static, Result<ListEngagementInvitationsResponse, Error>> {
        // One page of everything is all a fake refresh needs.
        let mut pages = self.list(request);
        async move {
            Ok(ListEngagementInvitationsResponse {
                engagement_invitation_summaries: pages
                    .next()
                    .await
                    .transpose()?
                    .unwrap_or_default(),
                next_token: None,
            })
        }
        .boxed()
    }

    fn list(
        &self,
        request: ListEngagementInvitationsRequest,
    ) -> BoxStream<'static, Result<Vec<EngagementInvitationSummary>, Error>> {
        let size = request.max_results.unwrap_or(100) as usize;
        let summaries: Vec<EngagementInvitationSummary> = self
            .invitations
            .lock()
            .unwrap()
            .iter()
            .map(|i| EngagementInvitationSummary {
                id: i.id.clone(),
                engagement_id: i.engagement_id.clone(),
                engagement_title: i.engagement_title.clone(),
                status: i.status.clone(),
                invitation_date: i.invitation_date,
                catalog: i.catalog.clone(),
                ..EngagementInvitationSummary::default()
            })
            .collect();
        let pages: Vec<_> = summaries
            .chunks(size)
            .map(|page| Ok(page.to_vec()))
            .collect();
        futures::stream::iter(pages).boxed()
    }

    fn get(
        &self,
        _catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<EngagementInvitation, Error>> {
        let this = self.clone();
        async move {
            this.gets.fetch_add(1, Ordering::SeqCst);
            this.get_started.notify_one();
            let gate = this.get_gate.lock().unwrap().clone();
            if let Some(gate) = gate {
                gate.acquire().await.expect("gate closed").forget();
            }
            let invitations = this.invitations.lock().unwrap();
            invitations
                .iter()
                .find(|i| i.id == id)
                .cloned()
                .ok_or_else(|| Error::ResourceNotFound {
                    message: format!("no invitation {id}"),
                })
        }
        .boxed()
    }
}

impl Service for FakeService {
    fn members(
        &self,
        _catalog: String,
        engagement_id: String,
    ) -> BoxFuture<'static, Result<Vec<EngagementMember>, Error>> {
        async move {
            Ok(vec![EngagementMember {
                company_name: Some(format!("Owner of {engagement_id}")),
                website_url: None,
                account_id: Some("111122223333".into()),
            }])
        }
        .boxed()
    }

    fn accept(&self, _catalog: String, id: String) -> BoxFuture<'static, Result<(), Error>> {
        self.wrote("AcceptEngagementInvitation", &id);
        let result = self.answer(&id, InvitationStatus::Accepted);
        async move { result }.boxed()
    }

    fn reject(
        &self,
        request: RejectEngagementInvitationRequest,
    ) -> BoxFuture<'static, Result<(), Error>> {
        self.wrote("RejectEngagementInvitation", &request.identifier);
        let result = self.answer(&request.identifier, InvitationStatus::Rejected);
        async move { result }.boxed()
    }

    /// Refuses the engagement `eng-refused0000000` with a ValidationException naming the field,
    /// creates anything else once per ClientToken.
    fn create(
        &self,
        request: CreateEngagementInvitationRequest,
    ) -> BoxFuture<'static, Result<CreateEngagementInvitationResponse, Error>> {
        let result = if request.engagement_identifier == "eng-refused0000000" {
            Err(Error::Validation {
                message: "engagement is closed".into(),
                reason: None,
                errors: vec![crate::api::error::FieldError {
                    field_name: Some("EngagementIdentifier".into()),
                    message: "Engagement is closed".into(),
                    code: ValidationErrorCode::InvalidValue,
                }],
            })
        } else {
            let token = request.client_token.unwrap_or_default();
            let mut created = self.created.lock().unwrap();
            let id = match created.iter().find(|(t, _)| *t == token) {
                Some((_, id)) => id.clone(),
                None => {
                    let id = format!("engi-{:013}", 9_000 + created.len());
                    created.push((token, id.clone()));
                    id
                }
            };
            Ok(CreateEngagementInvitationResponse {
                arn: format!(
                    "arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement-invitation/{id}"
                ),
                id,
            })
        };
        async move { result }.boxed()
    }

    /// A running task for the invitation (settled by the next look at the tasks); an unknown
    /// invitation is refused, as the service does.
    fn start_task(
        &self,
        request: StartEngagementByAcceptingInvitationTaskRequest,
    ) -> BoxFuture<'static, Result<EngagementTask, Error>> {
        self.wrote(
            "StartEngagementByAcceptingInvitationTask",
            &request.identifier,
        );
        let known = self
            .invitations
            .lock()
            .unwrap()
            .iter()
            .any(|i| i.id == request.identifier);
        if !known {
            let message = format!("no invitation {}", request.identifier);
            return async move { Err(Error::ResourceNotFound { message }) }.boxed();
        }
        let mut tasks = self.tasks.lock().unwrap();
        let task = EngagementTask {
            task_id: Some(format!("task-{:013}", tasks.len() + 1)),
            task_status: Some(TaskStatus::InProgress),
            start_time: Some(Timestamp(*NOW)),
            engagement_invitation_id: Some(request.identifier),
            ..EngagementTask::default()
        };
        tasks.push(task.clone());
        async move { Ok(task) }.boxed()
    }

    fn tasks(
        &self,
        request: ListEngagementByAcceptingInvitationTasksRequest,
    ) -> BoxFuture<'static, Result<Vec<EngagementTask>, Error>> {
        self.settle_tasks();
        let listed = self
            .tasks
            .lock()
            .unwrap()
            .iter()
            .rev()
            .filter(|task| {
                request
                    .task_identifier
                    .as_ref()
                    .is_none_or(|ids| task.task_id.as_ref().is_some_and(|id| ids.contains(id)))
            })
            .cloned()
            .collect();
        async move { Ok(listed) }.boxed()
    }

    fn opportunity(
        &self,
        catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<Opportunity, Error>> {
        async move { Ok(opportunity(&catalog, &id)) }.boxed()
    }

    fn engagement(
        &self,
        _catalog: String,
        id: String,
    ) -> BoxFuture<'static, Result<EngagementDetails, Error>> {
        async move {
            Ok(EngagementDetails {
                id: Some(id.clone()),
                title: Some(format!("Title of {id}")),
                member_count: Some(1),
                ..EngagementDetails::default()
            })
        }
        .boxed()
    }
}

/// The opportunity `id` made from [`opportunity_detail`]'s invitation.
pub fn opportunity(catalog: &str, id: &str) -> Opportunity {
    serde_json::from_value(serde_json::json!({
        "Catalog": catalog,
        "Id": id,
        "Arn": format!("arn:aws:partnercentral:us-east-1:444455556666:catalog/{catalog}/opportunity/{id}"),
        "CreatedDate": "2025-06-15T09:30:05Z",
        "LastModifiedDate": "2025-06-15T09:30:05Z",
        "Customer": {"Account": {
            "CompanyName": "Northwind Traders",
            "Industry": "Retail",
            "WebsiteUrl": "https://northwind.example",
            "Address": {"CountryCode": "US"}
        }},
        "Project": {"Title": "Retail analytics migration"},
        "LifeCycle": {"Stage": "Prospect", "ReviewStatus": "Pending Submission"}
    }))
    .expect("a valid opportunity")
}
