//! The composer's input: which key table applies in each of its states, what each bound
//! command does, and what typed keys and pasted text do to the focused field or picker.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::draft::{ContactDraft, SpendDraft};
use super::form::{self, FieldId, FieldKind, Options};
use super::picker::Picker;
use super::{Composer, Mode, Outcome};
use crate::tui::command::Command;
use crate::tui::keymap::KeyMode;
use crate::tui::line_input::readline;
use crate::tui::scroll::Scroll;

impl Composer {
    /// The key table for the composer's state; `None` while a picker takes every key as
    /// its filter.
    pub fn key_mode(&self) -> Option<KeyMode> {
        match self.mode {
            Mode::Editing if self.picker.is_some() => None,
            Mode::Editing | Mode::Sending => Some(KeyMode::Composer),
            Mode::Preview(_) => Some(KeyMode::Preview),
            Mode::ConfirmDiscard | Mode::ConfirmRemove(_) | Mode::ConfirmSend => {
                Some(KeyMode::Dialog)
            }
        }
    }

    /// A bound command (see `keymap`: the composer's, the preview's and the yes/no keys).
    pub fn command(&mut self, command: Command) -> Outcome {
        let yes = command == Command::Confirm;
        match self.mode.clone() {
            Mode::Preview(mut scroll) => {
                self.mode = if command == Command::Close {
                    Mode::Editing
                } else {
                    scroll.command(command);
                    Mode::Preview(scroll)
                };
                Outcome::Nothing
            }
            Mode::ConfirmDiscard => {
                self.mode = Mode::Editing;
                if yes {
                    Outcome::Discard
                } else {
                    self.say("Kept the draft");
                    Outcome::Nothing
                }
            }
            Mode::ConfirmRemove(button) => {
                self.mode = Mode::Editing;
                if yes {
                    self.press(button)
                } else {
                    self.say(format!("Kept {}", button.entry_name()));
                    Outcome::Nothing
                }
            }
            Mode::ConfirmSend => {
                self.mode = Mode::Editing;
                if yes {
                    self.send_now()
                } else {
                    self.say("Not sent");
                    Outcome::Nothing
                }
            }
            Mode::Sending if command == Command::Close => Outcome::Close,
            Mode::Sending => Outcome::Nothing,
            Mode::Editing => self.editing_command(command),
        }
    }

    fn editing_command(&mut self, command: Command) -> Outcome {
        match command {
            Command::Send => self.try_send(),
            Command::Preview => {
                self.mode = Mode::Preview(Scroll::default());
                Outcome::Nothing
            }
            Command::Export => {
                // An export is the draft as it is; say what `create` would still refuse.
                self.problems_prefix = Some("Exported as drafted".into());
                self.revalidate();
                Outcome::Export(self.draft.to_document())
            }
            Command::Discard => {
                self.mode = Mode::ConfirmDiscard;
                Outcome::Nothing
            }
            Command::Close => Outcome::Close,
            Command::NextField => {
                self.move_focus(1);
                Outcome::Nothing
            }
            Command::PreviousField => {
                self.move_focus(-1);
                Outcome::Nothing
            }
            _ => Outcome::Nothing,
        }
    }

    /// A key no table binds: typed into the field or the picker.
    pub fn handle_key(&mut self, key: KeyEvent) -> Outcome {
        match self.mode {
            Mode::Editing if self.picker.is_some() => self.picker_key(key),
            Mode::Editing => self.editing_key(key),
            _ => Outcome::Nothing,
        }
    }

    /// A key as the terminal sends it, through the default key table (tests).
    #[cfg(test)]
    pub fn press_key(&mut self, key: KeyEvent) -> Outcome {
        let keymap = crate::tui::keymap::KeyMap::default();
        match self.key_mode().and_then(|mode| keymap.command(mode, key)) {
            Some(command) => self.command(command),
            None => self.handle_key(key),
        }
    }

    /// Pasted text (bracketed paste) goes into the focused field as typed text, all at once:
    /// line breaks stay in a multi-line field and become spaces in a one-line field, so a
    /// pasted paragraph never spills into the next fields. On a picker field it starts the
    /// filter, as typing does.
    pub fn paste(&mut self, text: &str) -> Outcome {
        if self.mode != Mode::Editing {
            return Outcome::Nothing;
        }
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        if let Some(picker) = self.picker.as_mut() {
            text.chars()
                .filter(|c| !c.is_control())
                .for_each(|c| picker.type_char(c));
            return Outcome::Nothing;
        }
        let field = self.focused();
        match field.kind() {
            FieldKind::Text { multiline } => {
                let text: String = if multiline {
                    text.replace('\t', " ")
                } else {
                    text.chars()
                        .map(|c| if c.is_control() { ' ' } else { c })
                        .collect()
                };
                if !self.editor.insert_str(text) {
                    return Outcome::Nothing;
                }
                self.editor_changed(field)
            }
            FieldKind::Pick(options) => {
                self.start_filter(options, false, text.chars().filter(|c| !c.is_control()))
            }
            FieldKind::MultiPick(options) => {
                self.start_filter(options, true, text.chars().filter(|c| !c.is_control()))
            }
            FieldKind::KindToggle | FieldKind::Button => Outcome::Nothing,
        }
    }

    /// Opens a picker on `options` filtered by `typed`; a multi-pick starts with the chosen
    /// responsibilities ticked (the only multi-pick field).
    fn start_filter(
        &mut self,
        options: Options,
        multi: bool,
        typed: impl IntoIterator<Item = char>,
    ) -> Outcome {
        let current = if multi {
            self.draft.opportunity.responsibilities.clone()
        } else {
            Vec::new()
        };
        let mut picker = Picker::open(options, multi, &current);
        typed.into_iter().for_each(|c| picker.type_char(c));
        self.picker = Some(picker);
        Outcome::Nothing
    }

    /// The editor's text into the draft's field, rechecked if it had a problem.
    fn editor_changed(&mut self, field: FieldId) -> Outcome {
        let value = self.editor.lines().join("\n");
        if let Some(slot) = field.slot(&mut self.draft) {
            *slot = value;
        }
        if self.errors.contains_key(&field) || self.problems_prefix.is_some() {
            self.revalidate();
        }
        Outcome::Changed
    }

    fn editing_key(&mut self, key: KeyEvent) -> Outcome {
        let field = self.focused();
        let multiline = field.kind() == FieldKind::Text { multiline: true };
        match key.code {
            KeyCode::Up if !multiline || self.editor.cursor().0 == 0 => {
                self.move_focus(-1);
                return Outcome::Nothing;
            }
            KeyCode::Down
                if !multiline || self.editor.cursor().0 + 1 >= self.editor.lines().len() =>
            {
                self.move_focus(1);
                return Outcome::Nothing;
            }
            _ => {}
        }
        match field.kind() {
            FieldKind::Text { multiline } => {
                if key.code == KeyCode::Enter && !multiline {
                    self.move_focus(1);
                    return Outcome::Nothing;
                }
                let changed = match readline(&mut self.editor, key).filter(|_| !multiline) {
                    Some(changed) => changed,
                    None => self.editor.input(key),
                };
                if !changed {
                    return Outcome::Nothing;
                }
                self.editor_changed(field)
            }
            FieldKind::Pick(options) => match key.code {
                KeyCode::Enter | KeyCode::Char(' ') => {
                    self.picker = Some(Picker::open(options, false, &[field.value(&self.draft)]));
                    Outcome::Nothing
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.start_filter(options, false, [c])
                }
                KeyCode::Backspace | KeyCode::Delete => {
                    if let Some(slot) = field.slot(&mut self.draft) {
                        slot.clear();
                    }
                    Outcome::Changed
                }
                _ => Outcome::Nothing,
            },
            FieldKind::MultiPick(options) => match key.code {
                KeyCode::Enter | KeyCode::Char(' ') => self.start_filter(options, true, []),
                // Typing starts the filter, as the field's hint says.
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.start_filter(options, true, [c])
                }
                _ => Outcome::Nothing,
            },
            FieldKind::KindToggle => match key.code {
                KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right => {
                    self.draft.kind = self.draft.kind.other();
                    self.revalidate();
                    Outcome::Changed
                }
                _ => Outcome::Nothing,
            },
            FieldKind::Button => match key.code {
                KeyCode::Enter | KeyCode::Char(' ') if self.removes_typed_text(field) => {
                    self.mode = Mode::ConfirmRemove(field);
                    Outcome::Nothing
                }
                KeyCode::Enter | KeyCode::Char(' ') => self.press(field),
                _ => Outcome::Nothing,
            },
        }
    }

    /// Whether `button` removes an entry that has anything but its defaults in it.
    fn removes_typed_text(&self, button: FieldId) -> bool {
        let o = &self.draft.opportunity;
        match button {
            FieldId::RemoveSpend(i) => o.spends.get(i).is_some_and(|s| *s != SpendDraft::default()),
            FieldId::RemoveContact(i) => o
                .contacts
                .get(i)
                .is_some_and(|c| *c != ContactDraft::default()),
            _ => false,
        }
    }

    /// Adds or removes a repeated group's entry.
    fn press(&mut self, button: FieldId) -> Outcome {
        let o = &mut self.draft.opportunity;
        let focus = match button {
            FieldId::AddSpend if o.spends.len() < form::MAX_SPENDS => {
                o.spends.push(SpendDraft::default());
                FieldId::SpendAmount(o.spends.len() - 1)
            }
            FieldId::RemoveSpend(i) if i < o.spends.len() => {
                o.spends.remove(i);
                if o.spends.is_empty() {
                    FieldId::AddSpend
                } else {
                    FieldId::SpendAmount(i.min(o.spends.len() - 1))
                }
            }
            FieldId::AddContact if o.contacts.len() < form::MAX_CONTACTS => {
                o.contacts.push(ContactDraft::default());
                FieldId::ContactEmail(o.contacts.len() - 1)
            }
            FieldId::RemoveContact(i)
                if i < o.contacts.len() && o.contacts.len() > form::MIN_CONTACTS =>
            {
                o.contacts.remove(i);
                FieldId::ContactEmail(i.min(o.contacts.len() - 1))
            }
            _ => return Outcome::Nothing,
        };
        // Problems of removed entries would now point at their neighbours: forget them.
        self.touched.clear();
        self.service_errors.clear();
        self.focus_field(focus);
        Outcome::Changed
    }

    fn picker_key(&mut self, key: KeyEvent) -> Outcome {
        let field = self.focused();
        let Some(picker) = self.picker.as_mut() else {
            return Outcome::Nothing;
        };
        match key.code {
            KeyCode::Esc => {
                self.picker = None;
                Outcome::Nothing
            }
            KeyCode::Up => {
                picker.move_by(-1);
                Outcome::Nothing
            }
            KeyCode::Down => {
                picker.move_by(1);
                Outcome::Nothing
            }
            KeyCode::PageUp => {
                picker.move_by(-10);
                Outcome::Nothing
            }
            KeyCode::PageDown => {
                picker.move_by(10);
                Outcome::Nothing
            }
            KeyCode::Backspace => {
                picker.backspace();
                Outcome::Nothing
            }
            KeyCode::Char(' ') if picker.multi => {
                picker.toggle();
                Outcome::Nothing
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                picker.type_char(c);
                Outcome::Nothing
            }
            KeyCode::BackTab => {
                self.picker = None;
                self.move_focus(-1);
                Outcome::Nothing
            }
            // Tab takes the highlighted value and moves on, as in a completion menu.
            KeyCode::Enter | KeyCode::Tab => {
                if picker.multi {
                    // Enter with nothing ticked takes the highlighted value rather than
                    // choosing nothing (filter, Enter works as in the single pickers).
                    if picker.chosen.is_empty() {
                        picker.toggle();
                    }
                    self.draft.opportunity.responsibilities = picker.chosen.clone();
                    self.picker = None;
                    self.touched.insert(field);
                    self.revalidate();
                    if key.code == KeyCode::Tab {
                        self.move_focus(1);
                    }
                    return Outcome::Changed;
                }
                let Some(value) = picker.current() else {
                    return Outcome::Nothing;
                };
                if let Some(slot) = field.slot(&mut self.draft) {
                    *slot = value.to_owned();
                }
                self.picker = None;
                self.move_focus(1);
                Outcome::Changed
            }
            _ => Outcome::Nothing,
        }
    }
}
