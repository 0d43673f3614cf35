//! Identifiers and ARNs in the service model's formats.
//!
//! Invitation `engi-` + 13 of `[0-9a-z]`, engagement `eng-` + 14 of `[0-9a-z]`, task `task-` +
//! 13 of `[0-9a-z]`, opportunity `O` + 10 digits; ARNs
//! `arn:aws:partnercentral::<account>:<Catalog>/<kind>/<id>`.

use rand::Rng;

const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

fn random_suffix(length: usize) -> String {
    let mut rng = rand::rng();
    (0..length)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A fresh invitation id, `engi-` + 13 characters.
pub fn new_invitation_id() -> String {
    format!("engi-{}", random_suffix(13))
}

/// A fresh accepting-task id, `task-` + 13 characters.
pub fn new_task_id() -> String {
    format!("task-{}", random_suffix(13))
}

/// A fresh opportunity id, `O` + 10 digits (the model allows 1 to 19).
pub fn new_opportunity_id() -> String {
    let mut rng = rand::rng();
    format!("O{}", rng.random_range(1_000_000_000u64..10_000_000_000))
}

/// The ARN of an invitation as the caller's account sees it.
pub fn invitation_arn(account_id: &str, catalog: &str, invitation_id: &str) -> String {
    arn(account_id, catalog, "engagement-invitation", invitation_id)
}

/// The ARN of a resource of `kind` (`engagement`, `opportunity`,
/// `engagement-by-accepting-invitation-task`) in the caller's account.
pub fn arn(account_id: &str, catalog: &str, kind: &str, id: &str) -> String {
    format!("arn:aws:partnercentral::{account_id}:{catalog}/{kind}/{id}")
}

/// Whether `id` has the model's invitation id format.
pub fn is_invitation_id(id: &str) -> bool {
    id.strip_prefix("engi-")
        .is_some_and(|rest| has_suffix_format(rest, 13))
}

/// Whether `id` has the model's engagement id format.
pub fn is_engagement_id(id: &str) -> bool {
    id.strip_prefix("eng-")
        .is_some_and(|rest| has_suffix_format(rest, 14))
}

fn has_suffix_format(rest: &str, length: usize) -> bool {
    rest.len() == length && rest.bytes().all(|b| ALPHABET.contains(&b))
}

/// The resource id a request names, either directly or as the last segment of an ARN.
pub fn id_from_identifier(identifier: &str) -> &str {
    if identifier.starts_with("arn:") {
        identifier.rsplit('/').next().unwrap_or(identifier)
    } else {
        identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_have_the_model_format() {
        for _ in 0..100 {
            let id = new_invitation_id();
            assert!(is_invitation_id(&id), "{id}");
        }
        assert!(is_engagement_id("eng-0123456789abcd"));
        assert!(!is_engagement_id("eng-0123456789abc"));
        assert!(!is_invitation_id("engi-0123456789ABC"));
        let task = new_task_id();
        assert!(task.starts_with("task-") && has_suffix_format(&task[5..], 13));
        let opportunity = new_opportunity_id();
        assert!(
            opportunity.starts_with('O') && opportunity[1..].bytes().all(|b| b.is_ascii_digit())
        );
        assert_eq!(opportunity.len(), 11);
    }

    #[test]
    fn arns_name_their_id() {
        let arn = invitation_arn("111122223333", "Sandbox", "engi-0000000000001");
        assert_eq!(
            arn,
            "arn:aws:partnercentral::111122223333:Sandbox/engagement-invitation/engi-0000000000001"
        );
        assert_eq!(id_from_identifier(&arn), "engi-0000000000001");
        assert_eq!(
            id_from_identifier("engi-0000000000001"),
            "engi-0000000000001"
        );
    }
}
