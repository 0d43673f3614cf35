//! PLACEHOLDER until the inbox lands.
pub mod composer;
