//! pcinbox: a terminal inbox for AWS Partner Central engagement invitations.
//!
//! `api` is the typed service model, its validation rules and the signed client; `emulator` is
//! the local Partner Central Selling server; `tui` is the inbox; `cli` and `config` turn
//! arguments and settings into what `main` dispatches.

pub mod api;
pub mod cli;
pub mod config;
pub mod emulator;
pub mod files;
pub mod humanize;
pub mod invitation_csv;
pub mod logging;
pub mod sanitize;
pub mod sync;
pub mod tui;
