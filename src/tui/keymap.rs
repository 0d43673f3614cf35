//! The key tables: for each [`KeyMode`], which keys run which [`Command`]. Dispatch, the help
//! overlay, the footer hints and `pcinbox keys` all read one [`KeyMap`], so they cannot drift.
//!
//! Keys are written as the config file writes them (`a`, `A`, `ctrl-s`, `alt-x`, `shift-tab`,
//! `enter`, `esc`, `f5`, `pgdown`, `space`) and parsed by [`Key::parse`] alone. A command the
//! config lists loses its default keys in that mode; the others keep theirs.
//!
//! To add a command: a variant of [`Command`] with its description, its default keys in the
//! tables of the modes it works in (below), and its effect in the part that has the keys then
//! (`inbox_input`, `dialog`, the composer's `input`, …); the README's key tables are checked
//! against these defaults by a test, which prints what they should read. To add a mode (a new
//! view or dialog): a [`KeyMode`] variant with its title, its table here, a case in
//! `App::key_mode` saying when it has the keys, its footer hints in `keys`, and a route for its
//! commands in `app::update`.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

use super::command::Command;

/// A set of keys that work together: one table each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyMode {
    /// The invitation list has focus.
    Inbox,
    /// The detail pane has focus; keys not in its table work as in the list.
    Detail,
    /// Typing a search.
    Search,
    /// A yes/no question (accept, the AWS catalog, the composer's questions).
    Dialog,
    /// Accepting a PENDING opportunity invitation: create the opportunity, or accept only.
    AcceptChoice,
    /// The rejection reason field.
    Reason,
    /// The status filter picker.
    StatusPicker,
    /// The filter picker (kind, sender, expiring within).
    FilterPicker,
    /// The accepting tasks view (`t`).
    Tasks,
    /// The engagement view (`e`).
    Engagement,
    Help,
    /// Editing an invitation in the composer.
    Composer,
    /// The composer's request preview.
    Preview,
}

impl KeyMode {
    pub const ALL: [KeyMode; 13] = [
        KeyMode::Inbox,
        KeyMode::Detail,
        KeyMode::Search,
        KeyMode::Dialog,
        KeyMode::AcceptChoice,
        KeyMode::Reason,
        KeyMode::StatusPicker,
        KeyMode::FilterPicker,
        KeyMode::Tasks,
        KeyMode::Engagement,
        KeyMode::Help,
        KeyMode::Composer,
        KeyMode::Preview,
    ];

    /// The config file's name: `[keys.<name>]`.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The help overlay's heading for the mode.
    pub fn title(self) -> &'static str {
        match self {
            KeyMode::Inbox => "Invitation list",
            KeyMode::Detail => "Detail pane",
            KeyMode::Search => "Search",
            KeyMode::Dialog => "Yes/no questions",
            KeyMode::AcceptChoice => "Accepting an opportunity invitation",
            KeyMode::Reason => "Rejection reason",
            KeyMode::StatusPicker => "Status picker",
            KeyMode::FilterPicker => "Filter picker",
            KeyMode::Tasks => "Accepting tasks view",
            KeyMode::Engagement => "Engagement view",
            KeyMode::Help => "This help",
            KeyMode::Composer => "Composer",
            KeyMode::Preview => "Composer preview",
        }
    }

    /// The mode whose table answers keys this one's does not bind.
    fn falls_back_to(self) -> Option<KeyMode> {
        match self {
            KeyMode::Detail => Some(KeyMode::Inbox),
            _ => None,
        }
    }
}

/// One key, as bound: the code and the modifiers that matter (a letter's case is in the code,
/// so `A` needs no `shift-`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

/// The names of the keys that are not characters, as the config writes them.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("space", KeyCode::Char(' ')),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pgdown", KeyCode::PageDown),
];

impl Key {
    pub const fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        Key { code, modifiers }
    }

    /// `a`, `A`, `?`, `ctrl-s`, `alt-x`, `shift-tab`, `enter`, `f5`, `pgdown`, `space`, …
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        // `-` alone, or as the last part (`ctrl--`), is the minus key itself.
        while let Some((prefix, tail)) = rest.split_once('-').filter(|(_, tail)| !tail.is_empty()) {
            modifiers |= match prefix.to_ascii_lowercase().as_str() {
                "ctrl" => KeyModifiers::CONTROL,
                "alt" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                _ => break,
            };
            rest = tail;
        }
        let lower = rest.to_ascii_lowercase();
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                if let Some((_, code)) = NAMED.iter().find(|(name, _)| *name == lower) {
                    *code
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse().ok())
                    && (1..=24).contains(&n)
                {
                    KeyCode::F(n)
                } else {
                    return Err(format!(
                        "`{text}` is not a key: write a character (`a`, `A`, `?`), a name \
                         (enter, esc, tab, space, up, pgdown, f5, …) or a modifier and a key \
                         (`ctrl-s`, `alt-x`, `shift-tab`)"
                    ));
                }
            }
        };
        Ok(Key::normal(code, modifiers))
    }

    /// The key a terminal event is, in the form the tables hold.
    pub fn of(event: KeyEvent) -> Key {
        Key::normal(event.code, event.modifiers)
    }

    /// One spelling per key: shift is part of a character (`A`, `?`), shift-tab is BackTab, and
    /// a control letter is lowercase.
    fn normal(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        match code {
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                Key::new(KeyCode::BackTab, modifiers - KeyModifiers::SHIFT)
            }
            KeyCode::BackTab => Key::new(code, modifiers - KeyModifiers::SHIFT),
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => Key::new(
                KeyCode::Char(c.to_ascii_lowercase()),
                modifiers - KeyModifiers::SHIFT,
            ),
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::SHIFT) => Key::new(
                KeyCode::Char(c.to_ascii_uppercase()),
                modifiers - KeyModifiers::SHIFT,
            ),
            _ => Key::new(code, modifiers),
        }
    }

    /// How the help and the footer show it: `^S`, `Enter`, `S-Tab`, `↑`, `PgDn`, `A-x`.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if self.modifiers.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "S-Tab".to_owned(),
            KeyCode::Backspace => "Bksp".to_owned(),
            KeyCode::Delete => "Del".to_owned(),
            KeyCode::Insert => "Ins".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut label = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            label.push('^');
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            label.push_str("A-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            label.push_str("S-");
        }
        label + &base
    }
}

/// The config file's spelling, which [`Key::parse`] reads back.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (modifier, name) in [
            (KeyModifiers::CONTROL, "ctrl-"),
            (KeyModifiers::ALT, "alt-"),
            (KeyModifiers::SHIFT, "shift-"),
        ] {
            if self.modifiers.contains(modifier) {
                f.write_str(name)?;
            }
        }
        match self.code {
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Char(c) if c != ' ' => write!(f, "{c}"),
            code => {
                let name = NAMED.iter().find(|(_, named)| *named == code);
                f.write_str(name.map_or("?", |(name, _)| name))
            }
        }
    }
}

/// One mode's bindings, in the order the help lists them.
pub type Table = Vec<(Command, Vec<Key>)>;

/// Every mode's table.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyMap {
    tables: BTreeMap<KeyMode, Table>,
}

/// A problem with a `[keys]` entry; the config loader adds the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingError(pub String);

impl KeyMap {
    /// The keys in `mode`'s own table (not its fallback's).
    pub fn table(&self, mode: KeyMode) -> &[(Command, Vec<Key>)] {
        self.tables.get(&mode).map_or(&[], Vec::as_slice)
    }

    /// The command `event` runs in `mode`, if any.
    pub fn command(&self, mode: KeyMode, event: KeyEvent) -> Option<Command> {
        // A terminal sends Esc and a key typed right after it as one Alt+key: in a question
        // that is the Esc, so a quick Esc, Enter never rejects (or accepts) by accident.
        if matches!(
            mode,
            KeyMode::Dialog | KeyMode::AcceptChoice | KeyMode::Reason
        ) && event.modifiers.contains(KeyModifiers::ALT)
        {
            return Some(Command::Cancel);
        }
        let key = Key::of(event);
        let own = self
            .table(mode)
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(command, _)| *command);
        own.or_else(|| {
            mode.falls_back_to()
                .and_then(|other| self.command(other, event))
        })
    }

    /// The keys bound to `command` in `mode` (or its fallback).
    pub fn keys(&self, mode: KeyMode, command: Command) -> &[Key] {
        match self.table(mode).iter().find(|(c, _)| *c == command) {
            Some((_, keys)) => keys,
            None => mode
                .falls_back_to()
                .map_or(&[], |other| self.keys(other, command)),
        }
    }

    /// The first key of `command` in `mode` as a hint shows it; `None` when it is unbound.
    pub fn hint(&self, mode: KeyMode, command: Command) -> Option<String> {
        self.keys(mode, command).first().map(|key| key.label())
    }

    /// All keys of `command` in `mode`, for the help (`j ↓`).
    pub fn labels(&self, mode: KeyMode, command: Command) -> String {
        let labels: Vec<String> = self.keys(mode, command).iter().map(|k| k.label()).collect();
        labels.join(" ")
    }

    /// Binds `keys` to `command` in `mode`, replacing its default keys. Refuses a command the
    /// mode does not have.
    pub fn bind(
        &mut self,
        mode: KeyMode,
        command: Command,
        keys: Vec<Key>,
    ) -> Result<(), BindingError> {
        let table = self.tables.entry(mode).or_default();
        let Some((_, bound)) = table.iter_mut().find(|(c, _)| *c == command) else {
            let known: Vec<String> = table.iter().map(|(c, _)| c.name()).collect();
            let fallback = mode
                .falls_back_to()
                .map(|other| {
                    format!(
                        " (and bind the rest in [keys.{}], whose keys work there too)",
                        other.name()
                    )
                })
                .unwrap_or_default();
            return Err(BindingError(format!(
                "`{}` is not a command of [keys.{}]; it has: {}{fallback}",
                command.name(),
                mode.name(),
                known.join(", ")
            )));
        };
        *bound = keys;
        Ok(())
    }

    /// The first key bound to two commands of one mode, named.
    pub fn clash(&self) -> Option<(KeyMode, Key, Command, Command)> {
        for (mode, table) in &self.tables {
            for (i, (first, keys)) in table.iter().enumerate() {
                for key in keys {
                    if let Some((second, _)) =
                        table[i + 1..].iter().find(|(_, other)| other.contains(key))
                    {
                        return Some((*mode, *key, *first, *second));
                    }
                }
            }
        }
        None
    }

    /// The keys in force as the config file writes them: every mode, every command, its
    /// description as a comment.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# The keys in force. Copy any of this into the config file's [keys] tables;\n\
             # a command listed there loses its default keys.\n",
        );
        for mode in KeyMode::ALL {
            out.push_str(&format!("\n[keys.{}]\n", mode.name()));
            for (command, keys) in self.table(mode) {
                let keys: Vec<String> = keys
                    .iter()
                    .map(|key| toml_string(&key.to_string()))
                    .collect();
                out.push_str(&format!(
                    "{} = [{}]  # {}\n",
                    command.name(),
                    keys.join(", "),
                    command.description()
                ));
            }
        }
        out
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The defaults: vim and arrow keys alike; letters as the README lists them.
impl Default for KeyMap {
    fn default() -> KeyMap {
        let k = |specs: &[&str]| -> Vec<Key> {
            specs
                .iter()
                .map(|spec| Key::parse(spec).expect("a default key parses"))
                .collect()
        };
        use Command as C;
        let moving = |k: &dyn Fn(&[&str]) -> Vec<Key>| {
            vec![
                (C::Up, k(&["k", "up"])),
                (C::Down, k(&["j", "down"])),
                (C::PageUp, k(&["pgup", "ctrl-u"])),
                (C::PageDown, k(&["pgdown", "ctrl-d"])),
                (C::Top, k(&["g", "home"])),
                (C::Bottom, k(&["G", "end"])),
            ]
        };
        let mut inbox = moving(&k);
        inbox.extend([
            (C::Open, k(&["enter"])),
            (C::Back, k(&["esc"])),
            (C::SwitchFocus, k(&["tab", "shift-tab"])),
            (C::StatusPicker, k(&["s"])),
            (C::CycleStatus, k(&["S"])),
            (C::FilterPicker, k(&["f"])),
            (C::FlipSort, k(&["o"])),
            (C::SwitchView, k(&["p"])),
            (C::SwitchCatalog, k(&["c"])),
            (C::Search, k(&["/"])),
        ]);
        inbox.extend(
            C::VIEWS
                .into_iter()
                .zip(["1", "2", "3", "4", "5", "6", "7", "8", "9"])
                .map(|(view, key)| (view, k(&[key]))),
        );
        inbox.extend([
            (C::Mark, k(&["space"])),
            (C::Accept, k(&["a"])),
            (C::Reject, k(&["x"])),
            (C::Compose, k(&["n"])),
            (C::Tasks, k(&["t"])),
            (C::Engagement, k(&["e"])),
            (C::Refresh, k(&["r", "f5"])),
            (C::RefreshAll, k(&["R"])),
            (C::CopyId, k(&["y"])),
            (C::RawJson, k(&["v"])),
            (C::ExportCsv, k(&["E"])),
            (C::Help, k(&["?"])),
            (C::Quit, k(&["q", "ctrl-c"])),
        ]);
        let mut detail = moving(&k);
        detail.push((C::Back, k(&["esc"])));
        let tables = BTreeMap::from([
            (KeyMode::Inbox, inbox),
            (KeyMode::Detail, detail),
            (
                KeyMode::Search,
                vec![
                    (C::Submit, k(&["enter"])),
                    (C::Cancel, k(&["esc"])),
                    (C::Up, k(&["up"])),
                    (C::Down, k(&["down"])),
                ],
            ),
            (
                KeyMode::Dialog,
                vec![
                    (C::Confirm, k(&["y", "Y"])),
                    (C::Cancel, k(&["n", "N", "q", "esc"])),
                ],
            ),
            (
                KeyMode::AcceptChoice,
                vec![
                    (C::Up, k(&["k", "up"])),
                    (C::Down, k(&["j", "down"])),
                    (C::Submit, k(&["enter", "y", "Y"])),
                    (C::Cancel, k(&["n", "N", "q", "esc"])),
                ],
            ),
            (
                KeyMode::Reason,
                vec![
                    (C::Up, k(&["up"])),
                    (C::Down, k(&["down"])),
                    (C::Submit, k(&["enter"])),
                    (C::Cancel, k(&["esc"])),
                ],
            ),
            (KeyMode::Tasks, {
                let mut tasks = moving(&k);
                tasks.extend([
                    (C::Open, k(&["enter"])),
                    (C::CopyId, k(&["y"])),
                    (C::Refresh, k(&["r", "f5"])),
                    (C::Back, k(&["esc", "q", "t"])),
                ]);
                tasks
            }),
            (KeyMode::Engagement, {
                let mut engagement = moving(&k);
                engagement.extend([(C::CopyId, k(&["y"])), (C::Back, k(&["esc", "q", "e"]))]);
                engagement
            }),
            (
                KeyMode::StatusPicker,
                vec![
                    (C::Up, k(&["k", "up"])),
                    (C::Down, k(&["j", "down"])),
                    (C::Submit, k(&["enter", "space"])),
                    (C::Cancel, k(&["esc", "q", "s"])),
                ],
            ),
            (
                KeyMode::FilterPicker,
                vec![
                    (C::Up, k(&["k", "up"])),
                    (C::Down, k(&["j", "down"])),
                    (C::Choose, k(&["space"])),
                    (C::Submit, k(&["enter"])),
                    (C::Cancel, k(&["esc", "q", "f"])),
                ],
            ),
            (KeyMode::Help, {
                let mut help = moving(&k);
                help.push((C::Cancel, k(&["esc", "?", "q"])));
                help
            }),
            (
                KeyMode::Composer,
                vec![
                    (C::NextField, k(&["tab"])),
                    (C::PreviousField, k(&["shift-tab"])),
                    (C::Send, k(&["ctrl-s"])),
                    (C::Preview, k(&["ctrl-p"])),
                    (C::Export, k(&["ctrl-e"])),
                    (C::Discard, k(&["ctrl-d"])),
                    (C::Close, k(&["esc"])),
                ],
            ),
            (KeyMode::Preview, {
                let mut preview = moving(&k);
                preview.push((C::Close, k(&["esc", "q", "ctrl-p"])));
                preview
            }),
        ]);
        KeyMap { tables }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_as_the_config_writes_them_and_print_back() {
        for (text, code, modifiers) in [
            ("a", KeyCode::Char('a'), KeyModifiers::NONE),
            ("A", KeyCode::Char('A'), KeyModifiers::NONE),
            ("ctrl-s", KeyCode::Char('s'), KeyModifiers::CONTROL),
            ("alt-x", KeyCode::Char('x'), KeyModifiers::ALT),
            ("shift-tab", KeyCode::BackTab, KeyModifiers::NONE),
            ("enter", KeyCode::Enter, KeyModifiers::NONE),
            ("esc", KeyCode::Esc, KeyModifiers::NONE),
            ("f5", KeyCode::F(5), KeyModifiers::NONE),
            ("pgdown", KeyCode::PageDown, KeyModifiers::NONE),
            ("space", KeyCode::Char(' '), KeyModifiers::NONE),
            ("-", KeyCode::Char('-'), KeyModifiers::NONE),
        ] {
            let key = Key::parse(text).unwrap();
            assert_eq!(key, Key::new(code, modifiers), "{text}");
            assert_eq!(Key::parse(&key.to_string()), Ok(key), "{text} prints back");
        }
        for bad in ["", "ctrl-", "hyper-x", "f99", "enterr", "ab"] {
            assert!(Key::parse(bad).is_err(), "{bad:?} parses");
        }
    }

    #[test]
    fn a_terminal_key_matches_its_spelling() {
        let event = |code, modifiers| KeyEvent::new(code, modifiers);
        // Terminals report an uppercase letter with shift, and shift-tab as BackTab.
        assert_eq!(
            Key::of(event(KeyCode::Char('A'), KeyModifiers::SHIFT)),
            Key::parse("A").unwrap()
        );
        assert_eq!(
            Key::of(event(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Key::parse("shift-tab").unwrap()
        );
        assert_eq!(
            Key::of(event(
                KeyCode::Char('S'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            )),
            Key::parse("ctrl-s").unwrap()
        );
    }

    #[test]
    fn the_defaults_bind_no_key_twice_in_a_mode() {
        assert_eq!(KeyMap::default().clash(), None);
    }

    #[test]
    fn the_detail_pane_falls_back_to_the_list_keys() {
        let map = KeyMap::default();
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(
            map.command(KeyMode::Detail, key('a')),
            Some(Command::Accept)
        );
        assert_eq!(map.command(KeyMode::Detail, key('j')), Some(Command::Down));
        assert_eq!(map.command(KeyMode::Search, key('a')), None);
    }

    #[test]
    fn a_bound_command_loses_its_default_keys_and_others_keep_theirs() {
        let mut map = KeyMap::default();
        map.bind(
            KeyMode::Inbox,
            Command::Accept,
            vec![Key::parse("A").unwrap()],
        )
        .unwrap();
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(map.command(KeyMode::Inbox, key('a')), None);
        assert_eq!(map.command(KeyMode::Inbox, key('A')), Some(Command::Accept));
        assert_eq!(map.command(KeyMode::Inbox, key('x')), Some(Command::Reject));
        assert_eq!(
            map.hint(KeyMode::Inbox, Command::Accept).as_deref(),
            Some("A")
        );
        let refused = map.bind(KeyMode::Dialog, Command::Accept, Vec::new());
        assert!(
            refused
                .unwrap_err()
                .0
                .contains("not a command of [keys.dialog]")
        );
    }

    #[test]
    fn the_printed_keys_read_back_as_the_same_map() {
        let printed = KeyMap::default().to_toml();
        let parsed: toml::Table = toml::from_str(&printed).unwrap();
        let keys = parsed["keys"].as_table().unwrap();
        assert_eq!(keys.len(), KeyMode::ALL.len());
        let mut map = KeyMap::default();
        for (mode, table) in keys {
            let mode: KeyMode = serde_json::from_value(serde_json::json!(mode)).unwrap();
            for (command, list) in table.as_table().unwrap() {
                let command: Command = serde_json::from_value(serde_json::json!(command)).unwrap();
                let keys = list
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| Key::parse(k.as_str().unwrap()).unwrap())
                    .collect();
                map.bind(mode, command, keys).unwrap();
            }
        }
        assert_eq!(map, KeyMap::default());
        assert!(printed.contains("accept = [\"a\"]  # accept the selected PENDING invitation"));
    }

    /// The README's key tables as they must read: every mode's default keys, in config syntax.
    fn readme_tables(map: &KeyMap) -> String {
        let mut out = String::new();
        for mode in KeyMode::ALL {
            out.push_str(&format!(
                "\n**{}** (`[keys.{}]`)\n\n| Command | Keys | What it does |\n| --- | --- | --- |\n",
                mode.title(),
                mode.name()
            ));
            for (command, keys) in map.table(mode) {
                let keys: Vec<String> = keys.iter().map(|key| format!("`{key}`")).collect();
                out.push_str(&format!(
                    "| `{}` | {} | {} |\n",
                    command.name(),
                    keys.join(" "),
                    command.description().replace('|', "\\|")
                ));
            }
        }
        out.push('\n');
        out
    }

    #[test]
    fn the_readme_lists_the_default_keys() {
        let readme = include_str!("../../README.md");
        let begin = "<!-- keys:begin (a test compares this with the default key table) -->\n";
        let end = "<!-- keys:end -->";
        let start = readme.find(begin).expect("the README has the key tables") + begin.len();
        let stop = readme[start..].find(end).expect("the key tables end") + start;
        let expected = readme_tables(&KeyMap::default());
        assert!(
            readme[start..stop] == expected,
            "the README's key tables differ from the defaults; they should read:\n{expected}"
        );
    }
}
