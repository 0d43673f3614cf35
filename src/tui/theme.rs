//! The inbox's colours in one place: named roles (accent, border, selection, the statuses,
//! warning, error, muted) from a preset and the config file's `[theme]`, and every style the
//! screen uses built from them.
//!
//! With `NO_COLOR` set (or the `mono` preset) no colour is emitted at all; bold, reverse and
//! underline still mark the selection, focus and warnings. The theme is installed once, before
//! the first frame, and read by every draw function (so no draw function takes it as an
//! argument); tests and benches draw with the default.

use std::str::FromStr;
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

use crate::api::model::InvitationStatus;

/// The roles the config file can colour, in the order `[theme]` documents them.
pub const ROLES: [&str; 10] = [
    "accent",
    "border",
    "selection",
    "pending",
    "accepted",
    "rejected",
    "expired",
    "warning",
    "error",
    "muted",
];

/// The presets `[theme] preset = …` takes.
pub const PRESETS: [&str; 4] = ["dark", "light", "high-contrast", "mono"];

/// A colour for each role; `colour: false` emits none.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub accent: Color,
    pub border: Color,
    /// The selected row's background.
    pub selection: Color,
    pub pending: Color,
    pub accepted: Color,
    pub rejected: Color,
    pub expired: Color,
    /// The live AWS catalog, invitations about to expire.
    pub warning: Color,
    pub error: Color,
    /// Secondary text: hints, times, separators.
    pub muted: Color,
    pub colour: bool,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::preset("dark").expect("dark is a preset")
    }
}

impl Theme {
    /// A preset by name: `dark` (the default), `light`, `high-contrast` or `mono`.
    pub fn preset(name: &str) -> Option<Theme> {
        let dark = Theme {
            accent: Color::Cyan,
            border: Color::DarkGray,
            selection: Color::Blue,
            pending: Color::Yellow,
            accepted: Color::Green,
            rejected: Color::Red,
            expired: Color::DarkGray,
            warning: Color::Red,
            error: Color::Red,
            muted: Color::DarkGray,
            colour: true,
        };
        Some(match name {
            "dark" => dark,
            "light" => Theme {
                accent: Color::Blue,
                border: Color::Gray,
                selection: Color::LightBlue,
                pending: Color::Rgb(0x9a, 0x67, 0x00),
                accepted: Color::Rgb(0x1a, 0x7f, 0x37),
                rejected: Color::Rgb(0xcf, 0x22, 0x2e),
                expired: Color::Gray,
                warning: Color::Rgb(0xbc, 0x4c, 0x00),
                error: Color::Rgb(0xcf, 0x22, 0x2e),
                muted: Color::Rgb(0x57, 0x60, 0x6a),
                colour: true,
            },
            "high-contrast" => Theme {
                accent: Color::LightCyan,
                border: Color::White,
                selection: Color::Magenta,
                pending: Color::LightYellow,
                accepted: Color::LightGreen,
                rejected: Color::LightRed,
                expired: Color::Gray,
                warning: Color::LightMagenta,
                error: Color::LightRed,
                muted: Color::Gray,
                colour: true,
            },
            "mono" => Theme {
                colour: false,
                ..dark
            },
            _ => return None,
        })
    }

    /// The colour slot of a role.
    pub fn role_mut(&mut self, role: &str) -> Option<&mut Color> {
        Some(match role {
            "accent" => &mut self.accent,
            "border" => &mut self.border,
            "selection" => &mut self.selection,
            "pending" => &mut self.pending,
            "accepted" => &mut self.accepted,
            "rejected" => &mut self.rejected,
            "expired" => &mut self.expired,
            "warning" => &mut self.warning,
            "error" => &mut self.error,
            "muted" => &mut self.muted,
            _ => return None,
        })
    }
}

/// A colour as the config writes it: a name (`red`, `lightblue`, `darkgray`) or `#rrggbb`.
pub fn parse_colour(text: &str) -> Result<Color, String> {
    let valid_hex = |hex: &str| hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit());
    match text.strip_prefix('#') {
        Some(hex) if !valid_hex(hex) => Err(format!("`{text}` is not a #rrggbb colour")),
        _ => Color::from_str(text).map_err(|_| {
            format!(
                "`{text}` is not a colour: use a name (black, red, green, yellow, blue, \
                 magenta, cyan, gray, darkgray, lightred, …, white) or #rrggbb"
            )
        }),
    }
}

static INSTALLED: OnceLock<Theme> = OnceLock::new();

/// Sets the theme for the rest of the run; the first call wins.
pub fn install(theme: Theme) {
    let _ = INSTALLED.set(theme);
}

fn theme() -> &'static Theme {
    INSTALLED.get_or_init(Theme::default)
}

/// `style` with `fg` (and `bg`) when colour is on; without any colour otherwise.
fn paint(fg: Option<Color>, bg: Option<Color>, modifiers: Modifier) -> Style {
    let mut style = Style::new().add_modifier(modifiers);
    if theme().colour {
        if let Some(fg) = fg {
            style = style.fg(fg);
        }
        if let Some(bg) = bg {
            style = style.bg(bg);
        }
    }
    style
}

/// Marks what colour alone would mark (selection, the live catalog) when there is none.
fn without_colour(modifiers: Modifier) -> Modifier {
    if theme().colour {
        Modifier::empty()
    } else {
        modifiers
    }
}

pub fn status(status: Option<&InvitationStatus>) -> Style {
    let t = theme();
    let colour = match status {
        Some(InvitationStatus::Pending) => t.pending,
        Some(InvitationStatus::Accepted) => t.accepted,
        Some(InvitationStatus::Rejected) => t.rejected,
        Some(InvitationStatus::Expired) => t.expired,
        _ => t.warning,
    };
    paint(Some(colour), None, Modifier::empty())
}

/// The catalog badge: AWS is live data and must stand out; Sandbox is calm.
pub fn catalog(is_aws: bool) -> Style {
    let t = theme();
    if is_aws {
        paint(
            Some(Color::White),
            Some(t.warning),
            Modifier::BOLD | without_colour(Modifier::REVERSED),
        )
    } else {
        paint(Some(Color::Black), Some(t.accent), Modifier::empty())
    }
}

pub fn border(focused: bool) -> Style {
    let t = theme();
    if focused {
        paint(Some(t.accent), None, without_colour(Modifier::BOLD))
    } else {
        paint(Some(t.border), None, Modifier::empty())
    }
}

pub fn selected_row() -> Style {
    paint(
        Some(Color::White),
        Some(theme().selection),
        Modifier::BOLD | without_colour(Modifier::REVERSED),
    )
}

pub fn expires_soon() -> Style {
    paint(Some(theme().warning), None, Modifier::BOLD)
}

pub fn dim() -> Style {
    paint(Some(theme().muted), None, Modifier::empty())
}

pub fn label() -> Style {
    paint(None, None, Modifier::BOLD)
}

pub fn heading() -> Style {
    paint(Some(theme().accent), None, Modifier::BOLD)
}

pub fn key() -> Style {
    paint(Some(theme().accent), None, Modifier::BOLD)
}

pub fn error() -> Style {
    paint(Some(theme().error), None, Modifier::BOLD)
}

pub fn info() -> Style {
    paint(Some(theme().accepted), None, Modifier::empty())
}

pub fn new_marker() -> Style {
    paint(Some(theme().accent), None, Modifier::BOLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_as_names_or_hex_and_bad_ones_are_named() {
        assert_eq!(parse_colour("red"), Ok(Color::Red));
        assert_eq!(parse_colour("lightblue"), Ok(Color::LightBlue));
        assert_eq!(parse_colour("#1a7f37"), Ok(Color::Rgb(0x1a, 0x7f, 0x37)));
        for bad in ["redish", "#12345", "#gggggg", ""] {
            let error = parse_colour(bad).unwrap_err();
            assert!(error.contains(&format!("`{bad}`")), "{error}");
        }
    }

    #[test]
    fn every_preset_and_role_is_known() {
        for preset in PRESETS {
            let mut theme = Theme::preset(preset).expect(preset);
            for role in ROLES {
                assert!(theme.role_mut(role).is_some(), "{role}");
            }
        }
        assert!(!Theme::preset("mono").unwrap().colour);
        assert!(Theme::preset("solarized").is_none());
    }
}
