//! The composer: keyboard-driven creation of engagement invitations.
//!
//! Like the inbox, its state changes only through `handle_key` (plain data in, an [`Outcome`]
//! out), so it is tested without a terminal; the app turns outcomes into effects (send, save the
//! draft, export). Every field is checked as it is left, with the `api` validation rules, and the
//! whole draft on send; nothing is sent while any rule fails.

pub mod disk;
pub mod draft;
pub mod form;
mod input;
pub mod picker;
pub mod session;
pub mod store;
pub mod view;

use std::collections::{BTreeMap, HashSet};

use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use serde_json::Value;

use crate::api::error::FieldError;
use crate::api::model::{CATALOG_AWS, CreateEngagementInvitationRequest, Operation};
use crate::api::validate::validate_input;
use draft::Draft;
use form::{FieldId, FieldKind, FieldPaths, fields};
use picker::Picker;

use super::scroll::Scroll;

/// What the composer is showing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Editing,
    /// The exact request JSON, scrolled.
    Preview(Scroll),
    ConfirmDiscard,
    /// Removing a spend entry or contact that has something typed in it asks first: Enter
    /// moves on from a text field, so one Enter too many lands on its Remove button.
    ConfirmRemove(FieldId),
    /// Sending to the live AWS catalog asks first.
    ConfirmSend,
    /// A send is under way; keys other than Esc wait.
    Sending,
}

/// What the app should do after a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Nothing,
    /// The draft changed: save it (the app debounces).
    Changed,
    /// Close, keeping the draft.
    Close,
    /// Close and delete the draft.
    Discard,
    Send(Box<CreateEngagementInvitationRequest>),
    /// Write this `--cli-input-json` document to a file.
    Export(Value),
}

/// The composer's whole state.
#[derive(Debug)]
pub struct Composer {
    pub draft: Draft,
    /// Index into `fields(&draft)`.
    pub focus: usize,
    pub editor: TextArea<'static>,
    pub picker: Option<Picker>,
    /// The first problem of each field that has one, as shown beside it.
    pub errors: BTreeMap<FieldId, String>,
    /// Fields left at least once (their problems are shown); all after a send attempt.
    touched: HashSet<FieldId>,
    /// Problems the service reported on the last send, with the value each was about: shown
    /// until that value changes (not only until the next key moves focus).
    service_errors: BTreeMap<FieldId, (String, String)>,
    pub mode: Mode,
    /// A transient line for the footer (sent, exported, problems).
    pub status: Option<String>,
    /// While set, `status` counts the draft's problems after this prefix ("Not sent") and
    /// follows the fields as they are fixed, instead of going stale until the next Ctrl-S.
    problems_prefix: Option<String>,
    /// The first problem of the last check that no field shows (a bad ClientToken in an
    /// imported document): it holds a send back too.
    unplaced: Option<String>,
}

/// The editor for a field's text; a multi-line field's text wraps at the field's width.
fn editor_for(field: FieldId, text: &str) -> TextArea<'static> {
    let mut editor = TextArea::new(text.split('\n').map(str::to_owned).collect());
    if field.kind() == (FieldKind::Text { multiline: true }) {
        editor.set_wrap_mode(WrapMode::WordOrGlyph);
    }
    editor.move_cursor(CursorMove::Bottom);
    editor.move_cursor(CursorMove::End);
    editor
}

impl Composer {
    pub fn new(draft: Draft) -> Composer {
        let first = fields(&draft)[0];
        let mut composer = Composer {
            editor: editor_for(first, &first.value(&draft)),
            draft,
            focus: 0,
            picker: None,
            errors: BTreeMap::new(),
            touched: HashSet::new(),
            service_errors: BTreeMap::new(),
            mode: Mode::Editing,
            status: None,
            problems_prefix: None,
            unplaced: None,
        };
        composer.revalidate();
        composer
    }

    pub fn fields(&self) -> Vec<FieldId> {
        fields(&self.draft)
    }

    pub fn focused(&self) -> FieldId {
        let list = self.fields();
        list[self.focus.min(list.len() - 1)]
    }

    /// Re-checks the whole draft; problems are kept for touched fields only, so a fresh form is
    /// not a wall of red. A problem count in the status line is brought up to date.
    /// Returns the draft's own problems (not the service's), touched or not.
    fn revalidate(&mut self) -> BTreeMap<FieldId, String> {
        let violations = validate_input(
            Operation::CreateEngagementInvitation,
            &self.draft.to_document(),
        );
        let paths = FieldPaths::of(&self.draft);
        let mut problems: BTreeMap<FieldId, String> = BTreeMap::new();
        self.unplaced = None;
        for violation in violations {
            match paths.field(&violation.path) {
                Some(field) => {
                    problems
                        .entry(field)
                        .or_insert_with(|| format!("{}: {}", field.label(), violation.message));
                }
                None => {
                    self.unplaced.get_or_insert_with(|| violation.to_string());
                }
            }
        }
        self.errors = problems
            .iter()
            .filter(|(field, _)| self.touched.contains(field))
            .map(|(field, message)| (*field, message.clone()))
            .collect();
        let draft = &self.draft;
        self.service_errors
            .retain(|field, (value, _)| field.value(draft) == *value);
        // The service's word on a value is newer than the rule's.
        for (field, (_, message)) in &self.service_errors {
            self.errors.insert(*field, message.clone());
        }
        self.count_problems(&problems);
        problems
    }

    /// The status line while it counts problems: how many fields are still wrong and the first
    /// of them in tab order; once none is left the line goes (a later problem waits for the
    /// next check rather than reviving an old "Not sent").
    fn count_problems(&mut self, problems: &BTreeMap<FieldId, String>) {
        let Some(prefix) = &self.problems_prefix else {
            return;
        };
        let first = self.fields().into_iter().find_map(|f| problems.get(&f));
        self.status =
            first.map(|message| format!("{prefix}: {} field(s) to fix. {message}", problems.len()));
        if self.status.is_none() {
            self.problems_prefix = None;
        }
    }

    /// Checks every field like a send does; while any is wrong the status line counts the
    /// problems after `prefix` and keeps counting as they are fixed. Focus jumps to the first
    /// bad field, which is returned.
    pub fn check_all_counting(&mut self, prefix: impl Into<String>) -> Option<FieldId> {
        self.problems_prefix = Some(prefix.into());
        let first_bad = self.check_all();
        if first_bad.is_none() {
            self.problems_prefix = None;
        }
        first_bad
    }

    /// The request as Ctrl-P shows it.
    pub fn preview_json(&self) -> String {
        serde_json::to_string_pretty(&self.draft.to_document()).unwrap_or_default()
    }

    /// Whether the status line reports problems (drawn as an error).
    pub fn status_is_problem(&self) -> bool {
        self.problems_prefix.is_some()
            || self
                .status
                .as_deref()
                .is_some_and(|s| s.starts_with("Not sent"))
    }

    /// A status line of its own (not a problem count).
    fn say(&mut self, text: impl Into<String>) {
        self.problems_prefix = None;
        self.status = Some(text.into());
    }

    fn focus_on(&mut self, index: usize) {
        let left = self.focused();
        self.touched.insert(left);
        let list = self.fields();
        self.focus = index.min(list.len() - 1);
        self.editor = editor_for(self.focused(), &self.focused().value(&self.draft));
        self.revalidate();
    }

    fn focus_field(&mut self, field: FieldId) {
        if let Some(index) = self.fields().iter().position(|f| *f == field) {
            self.focus_on(index);
        }
    }

    fn move_focus(&mut self, delta: isize) {
        let count = self.fields().len() as isize;
        let next = (self.focus as isize + delta).rem_euclid(count);
        self.focus_on(next as usize);
    }

    /// Shows problems the service reported (a ValidationException's ErrorList) on their fields.
    pub fn show_service_errors(&mut self, errors: &[FieldError]) {
        let paths = FieldPaths::of(&self.draft);
        for error in errors {
            let Some(path) = &error.field_name else {
                continue;
            };
            if let Some(field) = paths.field(path) {
                self.service_error(field, &error.message);
            }
        }
        self.revalidate();
    }

    fn service_error(&mut self, field: FieldId, message: &str) {
        self.touched.insert(field);
        self.service_errors.insert(
            field,
            (
                field.value(&self.draft),
                format!("{}: {message}", field.label()),
            ),
        );
    }

    /// Checks every field and shows every problem (on send, and for an imported document);
    /// focus jumps to the first bad field, which is returned.
    pub fn check_all(&mut self) -> Option<FieldId> {
        self.touched.extend(self.fields());
        // Only the draft's own problems hold a send back: what the service refused may be
        // accepted on a retry (and a retry after a lost answer must stay possible).
        let problems = self.revalidate();
        let first_bad = self
            .fields()
            .into_iter()
            .find(|f| problems.contains_key(f))?;
        self.focus_field(first_bad);
        Some(first_bad)
    }

    /// Ctrl-S: the whole draft is checked; with problems, focus jumps to the first bad field.
    fn try_send(&mut self) -> Outcome {
        if self.check_all_counting("Not sent").is_some() {
            return Outcome::Nothing;
        }
        // Every field is fine; a problem no field shows was found by the same check.
        if let Some(problem) = self.unplaced.clone() {
            self.say(format!("Not sent: {problem}"));
            return Outcome::Nothing;
        }
        if self.draft.catalog == CATALOG_AWS {
            self.mode = Mode::ConfirmSend;
            return Outcome::Nothing;
        }
        self.send_now()
    }

    fn send_now(&mut self) -> Outcome {
        match self.draft.to_request() {
            Ok(request) => {
                self.service_errors.clear();
                self.mode = Mode::Sending;
                self.say("Sending…");
                Outcome::Send(Box::new(request))
            }
            Err(error) => {
                self.say(format!("Not sent: {error}"));
                Outcome::Nothing
            }
        }
    }

    /// The send failed: back to editing, everything kept; a retry reuses the ClientToken.
    pub fn send_failed(&mut self, message: String, field_errors: &[FieldError]) {
        self.mode = Mode::Editing;
        // A refusal naming the engagement (not found, not a member) is about that field.
        let engagement = self.draft.engagement_identifier.clone();
        let names_engagement =
            field_errors.is_empty() && !engagement.is_empty() && message.contains(&engagement);
        if names_engagement {
            self.service_error(FieldId::EngagementIdentifier, &message);
        }
        self.show_service_errors(field_errors);
        // The field this answer refused may be scrolled out of sight: go to the first of them.
        let paths = FieldPaths::of(&self.draft);
        let refused = self.fields().into_iter().find(|field| {
            (names_engagement && *field == FieldId::EngagementIdentifier)
                || field_errors.iter().any(|error| {
                    error
                        .field_name
                        .as_deref()
                        .and_then(|path| paths.field(path))
                        == Some(*field)
                })
        });
        if let Some(field) = refused {
            self.focus_field(field);
        }
        self.say(format!("Not sent: {message}"));
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::api::model::Payload;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn type_text(composer: &mut Composer, text: &str) {
        for c in text.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            composer.press_key(key(code));
        }
    }

    fn go_to(composer: &mut Composer, field: FieldId) {
        composer.focus_field(field);
        assert_eq!(composer.focused(), field);
    }

    #[test]
    fn a_paste_stays_in_its_field() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::ReceiverAlias);
        // A one-line field: line breaks become spaces, focus does not move on.
        assert_eq!(c.paste("Globex\r\nIntegrators\tGmbH"), Outcome::Changed);
        assert_eq!(c.focused(), FieldId::ReceiverAlias);
        assert_eq!(c.draft.receiver_alias, "Globex Integrators GmbH");
        // A multi-line field keeps the lines, inserted where the cursor is.
        go_to(&mut c, FieldId::BusinessProblem);
        type_text(&mut c, "Intro: ");
        assert_eq!(c.paste("line one\nline two — ü"), Outcome::Changed);
        assert_eq!(
            c.draft.opportunity.business_problem,
            "Intro: line one\nline two — ü"
        );
        assert_eq!(c.focused(), FieldId::BusinessProblem);
        // On a picker field it filters, as typing does.
        go_to(&mut c, FieldId::OppCountry);
        assert_eq!(c.paste("Germany"), Outcome::Nothing);
        let picker = c.picker.as_ref().expect("the picker opened");
        assert_eq!(picker.query, "Germany");
        assert_eq!(picker.current(), Some("DE"));
    }

    #[test]
    fn esc_run_together_with_y_does_not_discard() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        type_text(&mut c, "eng-abc");
        c.press_key(ctrl('d'));
        let alt_y = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::ALT);
        assert_eq!(c.press_key(alt_y), Outcome::Nothing);
        assert_eq!(c.draft.engagement_identifier, "eng-abc");
        c.press_key(ctrl('d'));
        assert_eq!(c.press_key(key(KeyCode::Char('y'))), Outcome::Discard);
    }

    #[test]
    fn tab_in_a_picker_takes_the_highlighted_value_and_moves_on() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::OppCountry);
        type_text(&mut c, "germany");
        assert!(c.picker.is_some());
        assert_eq!(c.press_key(key(KeyCode::Tab)), Outcome::Changed);
        assert!(c.picker.is_none());
        assert_eq!(c.draft.opportunity.country_code, "DE");
        assert_eq!(c.focused(), FieldId::OppWebsite);
        // Shift-Tab leaves a picker without choosing, back to the previous field.
        go_to(&mut c, FieldId::OppCountry);
        type_text(&mut c, "fra");
        assert_eq!(c.press_key(key(KeyCode::BackTab)), Outcome::Nothing);
        assert_eq!(c.draft.opportunity.country_code, "DE");
        assert_eq!(c.focused(), FieldId::OppIndustry);
    }

    /// A draft that satisfies every rule, built through the keyboard.
    fn valid_composer(catalog: &str) -> Composer {
        let mut c = Composer::new(Draft::new(catalog));
        type_text(&mut c, "eng-abcdefghij0123\t");
        go_to(&mut c, FieldId::ReceiverAccount);
        type_text(&mut c, "123456789012\t");
        go_to(&mut c, FieldId::Message);
        type_text(&mut c, "Gemeinsam für Müller\nZweite Zeile");
        go_to(&mut c, FieldId::OppCompany);
        type_text(&mut c, "Müller Logistik GmbH\n");
        assert_eq!(c.focused(), FieldId::OppIndustry);
        type_text(&mut c, "retail\n");
        assert_eq!(c.focused(), FieldId::OppCountry);
        type_text(&mut c, "germany\n");
        type_text(&mut c, "https://mueller.example\n");
        type_text(&mut c, "Lagerverwaltung\n");
        type_text(&mut c, "Die Lagerverwaltung läuft auf alten Servern.");
        go_to(&mut c, FieldId::TargetDate);
        type_text(&mut c, "2027-03-31\n");
        type_text(&mut c, "12500.50\n");
        go_to(&mut c, FieldId::Responsibilities);
        c.press_key(key(KeyCode::Enter));
        c.press_key(key(KeyCode::Char(' ')));
        c.press_key(key(KeyCode::Enter));
        go_to(&mut c, FieldId::ContactEmail(0));
        type_text(&mut c, "anna@mueller.example\n");
        c
    }

    #[test]
    fn typing_fills_the_focused_field_and_keys_move_between_fields() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        assert_eq!(
            c.focused(),
            FieldId::EngagementIdentifier,
            "focus starts on the first field"
        );
        type_text(&mut c, "eng-1");
        assert_eq!(c.draft.engagement_identifier, "eng-1");
        c.press_key(key(KeyCode::Tab));
        assert_eq!(c.focused(), FieldId::Catalog);
        c.press_key(key(KeyCode::BackTab));
        c.press_key(key(KeyCode::BackTab));
        assert_eq!(c.focused(), *c.fields().last().unwrap(), "Shift-Tab wraps");
        c.press_key(key(KeyCode::Down));
        assert_eq!(c.focused(), FieldId::EngagementIdentifier);
        type_text(&mut c, "23");
        assert_eq!(
            c.draft.engagement_identifier, "eng-123",
            "re-entering keeps the text"
        );
    }

    #[test]
    fn multiline_fields_take_enter_and_arrows_inside_the_text() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::Message);
        type_text(&mut c, "one\ntwo");
        assert_eq!(c.draft.message, "one\ntwo");
        c.press_key(key(KeyCode::Up));
        assert_eq!(
            c.focused(),
            FieldId::Message,
            "Up moves within the text first"
        );
        c.press_key(key(KeyCode::Up));
        assert_eq!(c.focused(), FieldId::ReceiverAlias);
    }

    #[test]
    fn enum_fields_pick_by_fuzzy_name() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::OppCountry);
        type_text(&mut c, "japan");
        assert!(c.picker.is_some());
        c.press_key(key(KeyCode::Enter));
        assert_eq!(c.draft.opportunity.country_code, "JP");
        assert_eq!(c.focused(), FieldId::OppWebsite, "choosing moves on");
        go_to(&mut c, FieldId::SpendCurrency(0));
        c.press_key(key(KeyCode::Enter));
        type_text(&mut c, "euro");
        c.press_key(key(KeyCode::Esc));
        assert_eq!(
            c.draft.opportunity.spends[0].currency, "USD",
            "Esc keeps the old value"
        );
    }

    #[test]
    fn responsibilities_filter_as_typed_and_enter_takes_the_highlighted_one() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::Responsibilities);
        type_text(&mut c, "soft");
        assert!(c.picker.is_some(), "typing opens the picker");
        assert_eq!(c.picker.as_ref().unwrap().query, "soft");
        assert_eq!(c.press_key(key(KeyCode::Enter)), Outcome::Changed);
        assert_eq!(c.draft.opportunity.responsibilities, ["Software Partner"]);
        c.press_key(key(KeyCode::Enter));
        type_text(&mut c, "resel ");
        c.press_key(key(KeyCode::Enter));
        assert_eq!(
            c.draft.opportunity.responsibilities,
            ["Reseller", "Software Partner"],
            "with values ticked, Enter keeps exactly those"
        );
    }

    #[test]
    fn repeated_groups_grow_and_shrink_within_the_model_bounds() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        for n in 2..=form::MAX_SPENDS {
            go_to(&mut c, FieldId::AddSpend);
            assert_eq!(c.press_key(key(KeyCode::Enter)), Outcome::Changed);
            assert_eq!(c.focused(), FieldId::SpendAmount(n - 1));
        }
        assert!(!c.fields().contains(&FieldId::AddSpend));
        go_to(&mut c, FieldId::SpendAmount(3));
        type_text(&mut c, "44");
        go_to(&mut c, FieldId::RemoveSpend(2));
        c.press_key(key(KeyCode::Enter));
        assert_eq!(c.draft.opportunity.spends.len(), form::MAX_SPENDS - 1);
        assert_eq!(
            c.draft.opportunity.spends[2].amount, "44",
            "later entries move up"
        );
        go_to(&mut c, FieldId::AddContact);
        c.press_key(key(KeyCode::Enter));
        go_to(&mut c, FieldId::AddContact);
        c.press_key(key(KeyCode::Enter));
        assert_eq!(c.draft.opportunity.contacts.len(), form::MAX_CONTACTS);
        assert!(!c.fields().contains(&FieldId::AddContact));
        go_to(&mut c, FieldId::RemoveContact(0));
        c.press_key(key(KeyCode::Enter));
        go_to(&mut c, FieldId::RemoveContact(0));
        c.press_key(key(KeyCode::Enter));
        assert_eq!(c.draft.opportunity.contacts.len(), form::MIN_CONTACTS);
        assert!(!c.fields().contains(&FieldId::RemoveContact(0)));
    }

    #[test]
    fn removing_an_entry_with_typed_text_asks_first() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::AddContact);
        c.press_key(key(KeyCode::Enter));
        // Enter moves on from each text field, so a user walking the form with Enter lands on
        // the Remove button right after typing.
        type_text(&mut c, "bob@example.com\nBob\nBuilder\n\n\n");
        assert_eq!(c.focused(), FieldId::RemoveContact(1));
        assert_eq!(c.press_key(key(KeyCode::Enter)), Outcome::Nothing);
        assert_eq!(c.mode, Mode::ConfirmRemove(FieldId::RemoveContact(1)));
        assert_eq!(c.press_key(key(KeyCode::Char('n'))), Outcome::Nothing);
        assert_eq!(c.draft.opportunity.contacts[1].first_name, "Bob", "kept");
        assert_eq!(c.status.as_deref(), Some("Kept contact 2"));
        c.press_key(key(KeyCode::Enter));
        assert_eq!(c.press_key(key(KeyCode::Char('y'))), Outcome::Changed);
        assert_eq!(c.draft.opportunity.contacts.len(), 1);
        go_to(&mut c, FieldId::RemoveSpend(0));
        assert_eq!(
            c.press_key(key(KeyCode::Enter)),
            Outcome::Changed,
            "an entry with only its defaults goes at once"
        );
        assert!(c.draft.opportunity.spends.is_empty());
    }

    #[test]
    fn switching_payload_kind_keeps_what_was_typed() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::OppCompany);
        type_text(&mut c, "Acme");
        go_to(&mut c, FieldId::Kind);
        c.press_key(key(KeyCode::Char(' ')));
        assert!(c.fields().contains(&FieldId::LeadCompany));
        c.press_key(key(KeyCode::Char(' ')));
        assert_eq!(c.draft.opportunity.company_name, "Acme");
    }

    #[test]
    fn a_field_is_checked_when_left_and_names_field_and_rule() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::ReceiverAccount);
        type_text(&mut c, "12345678901234");
        assert!(
            !c.errors.contains_key(&FieldId::ReceiverAccount),
            "not while typing"
        );
        c.press_key(key(KeyCode::Tab));
        let message = &c.errors[&FieldId::ReceiverAccount];
        assert!(message.starts_with("Receiver account id: "), "{message}");
    }

    #[test]
    fn send_is_refused_until_valid_and_focus_jumps_to_the_first_bad_field() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        go_to(&mut c, FieldId::OppCompany);
        assert_eq!(c.press_key(ctrl('s')), Outcome::Nothing);
        assert_eq!(c.focused(), FieldId::EngagementIdentifier);
        assert!(c.status.as_deref().unwrap().starts_with("Not sent"));
        assert!(c.errors.len() > 3, "{:?}", c.errors);
    }

    #[test]
    fn the_problem_count_follows_the_fields_as_they_are_fixed() {
        let mut c = valid_composer("Sandbox");
        go_to(&mut c, FieldId::TargetDate);
        type_text(&mut c, "x");
        go_to(&mut c, FieldId::ReceiverAccount);
        type_text(&mut c, "x");
        assert_eq!(c.press_key(ctrl('s')), Outcome::Nothing);
        assert_eq!(c.focused(), FieldId::ReceiverAccount);
        let status = c.status.clone().unwrap();
        assert!(
            status.starts_with("Not sent: 2 field(s) to fix. Receiver account id: "),
            "{status}"
        );
        c.press_key(key(KeyCode::Backspace));
        let status = c.status.clone().unwrap();
        assert!(
            status.starts_with("Not sent: 1 field(s) to fix. Target completion date: "),
            "fixing a field updates the count at once: {status}"
        );
        go_to(&mut c, FieldId::TargetDate);
        c.press_key(key(KeyCode::Backspace));
        assert_eq!(c.status, None, "no stale problem line once all are fixed");
        type_text(&mut c, "y");
        assert_eq!(
            c.status, None,
            "a new problem after the count ended waits for the next check"
        );
        assert!(matches!(c.press_key(ctrl('s')), Outcome::Nothing));
        assert!(
            c.status
                .unwrap()
                .starts_with("Not sent: 1 field(s) to fix.")
        );
    }

    #[test]
    fn a_problem_no_field_shows_still_holds_the_send_back() {
        let mut c = valid_composer("Sandbox");
        // An imported document's ClientToken has no field of its own.
        c.draft.client_token = "t".repeat(300);
        assert_eq!(c.press_key(ctrl('s')), Outcome::Nothing);
        let status = c.status.clone().unwrap_or_default();
        assert!(
            status.starts_with("Not sent: ") && status.contains("ClientToken"),
            "{status}"
        );
        assert_eq!(c.mode, Mode::Editing);
    }

    #[test]
    fn a_valid_draft_is_sent_exactly_as_drafted_with_its_token() {
        let mut c = valid_composer("Sandbox");
        let token = c.draft.client_token.clone();
        let Outcome::Send(request) = c.press_key(ctrl('s')) else {
            panic!("not sent: {:?} {:?}", c.status, c.errors)
        };
        assert_eq!(request.client_token.as_deref(), Some(token.as_str()));
        assert_eq!(
            request.invitation.message,
            "Gemeinsam für Müller\nZweite Zeile"
        );
        let Payload::OpportunityInvitation(opp) = &request.invitation.payload else {
            panic!("wrong payload")
        };
        assert_eq!(opp.customer.country_code.0, "DE");
        assert_eq!(opp.customer.industry.as_str(), "Retail");
        assert_eq!(opp.receiver_responsibilities.len(), 1);
        assert_eq!(c.mode, Mode::Sending);
        c.send_failed("connection reset".into(), &[]);
        let Outcome::Send(again) = c.press_key(ctrl('s')) else {
            panic!("not resent")
        };
        assert_eq!(
            again.client_token, request.client_token,
            "a retry cannot duplicate"
        );
    }

    #[test]
    fn the_live_catalog_asks_before_sending() {
        let mut c = valid_composer("AWS");
        assert_eq!(c.press_key(ctrl('s')), Outcome::Nothing);
        assert_eq!(c.mode, Mode::ConfirmSend);
        assert_eq!(c.press_key(key(KeyCode::Char('n'))), Outcome::Nothing);
        c.press_key(ctrl('s'));
        assert!(matches!(
            c.press_key(key(KeyCode::Char('y'))),
            Outcome::Send(_)
        ));
    }

    #[test]
    fn exporting_an_unfinished_draft_says_what_is_left_to_fix() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        assert!(matches!(c.press_key(ctrl('e')), Outcome::Export(_)));
        let status = c.status.clone().unwrap();
        assert!(
            status.starts_with("Exported as drafted: 11 field(s) to fix. Engagement identifier: "),
            "{status}"
        );
        assert_eq!(c.focused(), FieldId::EngagementIdentifier, "focus stays");
        assert!(c.status_is_problem(), "drawn as an error");
        let mut c = valid_composer("Sandbox");
        assert!(matches!(c.press_key(ctrl('e')), Outcome::Export(_)));
        assert_eq!(c.status, None, "nothing to fix, nothing said");
    }

    #[test]
    fn the_preview_pages_and_stops_at_its_last_line() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        c.press_key(ctrl('p'));
        let first = |c: &Composer| match &c.mode {
            Mode::Preview(scroll) => scroll.first(),
            other => panic!("not previewing: {other:?}"),
        };
        // As drawn: 60 lines in all, 20 on screen.
        let measure = |c: &Composer| {
            if let Mode::Preview(scroll) = &c.mode {
                scroll.measure(60, 20);
            }
        };
        measure(&c);
        c.press_key(key(KeyCode::PageDown));
        assert_eq!(first(&c), 20, "PgDn pages instead of closing");
        for _ in 0..100 {
            c.press_key(key(KeyCode::Char('j')));
        }
        assert_eq!(first(&c), 40, "the last page, not the last line alone");
        c.press_key(key(KeyCode::Home));
        assert_eq!(first(&c), 0);
        c.press_key(key(KeyCode::Char('G')));
        assert_eq!(first(&c), 40, "G stops at the end");
        c.press_key(key(KeyCode::Char('x')));
        assert!(matches!(c.mode, Mode::Preview(_)), "other keys do nothing");
        c.press_key(key(KeyCode::Esc));
        assert_eq!(c.mode, Mode::Editing, "Esc closes");
        assert_eq!(c.draft.engagement_identifier, "", "and types nothing");
    }

    #[test]
    fn closing_keeps_and_discarding_asks() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        assert_eq!(c.press_key(key(KeyCode::Esc)), Outcome::Close);
        assert_eq!(c.press_key(ctrl('d')), Outcome::Nothing);
        assert_eq!(c.press_key(key(KeyCode::Char('n'))), Outcome::Nothing);
        c.press_key(ctrl('d'));
        assert_eq!(c.press_key(key(KeyCode::Char('y'))), Outcome::Discard);
    }

    #[test]
    fn service_errors_land_on_their_fields() {
        let mut c = Composer::new(Draft::new("Sandbox"));
        c.send_failed(
            "ValidationException".into(),
            &[FieldError {
                field_name: Some("Invitation.Receiver.Account.AwsAccountId".into()),
                message: "Unknown account".into(),
                code: crate::api::model::ValidationErrorCode::InvalidValue,
            }],
        );
        assert_eq!(
            c.errors[&FieldId::ReceiverAccount],
            "Receiver account id: Unknown account"
        );
    }

    #[test]
    fn a_refused_send_goes_to_the_refused_field() {
        let mut c = valid_composer("Sandbox");
        c.press_key(ctrl('s'));
        assert_ne!(c.focused(), FieldId::EngagementIdentifier);
        c.send_failed(
            "ResourceNotFoundException: Engagement eng-abcdefghij0123 was not found".into(),
            &[],
        );
        assert_eq!(c.focused(), FieldId::EngagementIdentifier);
        // A refusal naming no field leaves the focus where it is.
        go_to(&mut c, FieldId::Message);
        c.send_failed("connection reset".into(), &[]);
        assert_eq!(c.focused(), FieldId::Message);
    }

    #[test]
    fn a_service_problem_stays_on_its_field_until_that_field_changes() {
        let mut c = valid_composer("Sandbox");
        c.press_key(ctrl('s'));
        let refusal = "ResourceNotFoundException: Engagement eng-abcdefghij0123 was not found";
        c.send_failed(refusal.into(), &[]);
        let expected = format!("Engagement identifier: {refusal}");
        assert_eq!(
            c.errors.get(&FieldId::EngagementIdentifier),
            Some(&expected),
            "a refusal naming the engagement lands on its field"
        );
        c.press_key(key(KeyCode::Tab));
        c.press_key(key(KeyCode::Tab));
        assert_eq!(
            c.errors.get(&FieldId::EngagementIdentifier),
            Some(&expected),
            "moving about keeps it"
        );
        go_to(&mut c, FieldId::EngagementIdentifier);
        c.press_key(key(KeyCode::Backspace));
        type_text(&mut c, "4");
        assert_eq!(
            c.errors.get(&FieldId::EngagementIdentifier),
            None,
            "a new value is not what the service refused"
        );
        c.send_failed("connection reset".into(), &[]);
        assert!(
            c.errors.is_empty(),
            "a refusal naming no field stays off the form"
        );
        go_to(&mut c, FieldId::EngagementIdentifier);
        c.press_key(key(KeyCode::Backspace));
        type_text(&mut c, "3");
        c.send_failed(refusal.into(), &[]);
        assert!(
            matches!(c.press_key(ctrl('s')), Outcome::Send(_)),
            "the service's refusal does not hold a retry back: {:?}",
            c.status
        );
    }
}
