//! The Partner Central Selling API as pcinbox sees it: the typed model, the validation rules
//! taken from the service model (one source of truth for the CLI, the composer and the
//! emulator), the signed client with retries and pagination, and typed errors.

pub mod answer;
pub mod client;
pub mod clock_skew;
pub mod codes;
pub mod credentials;
pub mod endpoint;
pub mod engagements;
pub mod error;
pub mod model;
pub mod pagination;
pub mod rate_limit;
pub mod retry;
pub mod schema;
pub mod signing;
pub mod transport;
pub mod validate;

pub use error::Error;

/// A process environment holding only `vars`, for tests of code that reads variables through
/// a lookup function.
#[cfg(test)]
pub(crate) fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}
