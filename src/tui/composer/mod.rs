//! The composer.
pub mod draft;
pub mod form;
pub mod picker;
