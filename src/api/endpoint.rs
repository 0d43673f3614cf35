//! Which URL the client calls: the command line, then the AWS CLI's endpoint variables, then
//! the service's own endpoint.

/// The service's own endpoint (us-east-1 is its only region).
pub const DEFAULT_ENDPOINT: &str = "https://partnercentral-selling.us-east-1.api.aws";

/// The AWS CLI's service-specific endpoint variable for the service id `PartnerCentral Selling`.
pub const ENDPOINT_ENV: &str = "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING";

/// The AWS CLI's endpoint variable for every service.
pub const GLOBAL_ENDPOINT_ENV: &str = "AWS_ENDPOINT_URL";

/// Resolves the endpoint from `--endpoint-url` and the process environment; the flag says
/// whether it is the service's own endpoint (where the client-side quotas make sense).
pub fn resolve_endpoint(cli: Option<&str>) -> (String, bool) {
    resolve_endpoint_with(cli, |name| std::env::var(name).ok())
}

/// [`resolve_endpoint`] with the environment lookup given (for tests and config code).
///
/// Like the AWS CLI, empty values count as unset and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
/// ignores the variables (not the command line).
pub fn resolve_endpoint_with(
    cli: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> (String, bool) {
    let set = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let ignore_env = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let from_env = || {
        if ignore_env {
            None
        } else {
            set(env(ENDPOINT_ENV)).or_else(|| set(env(GLOBAL_ENDPOINT_ENV)))
        }
    };
    let endpoint = set(cli.map(str::to_owned))
        .or_else(from_env)
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    let is_default = endpoint
        .trim_end_matches('/')
        .eq_ignore_ascii_case(DEFAULT_ENDPOINT);
    (endpoint, is_default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::env_of;

    #[test]
    fn order_is_flag_then_service_variable_then_global_variable() {
        let env = env_of(&[
            (ENDPOINT_ENV, "http://service:1"),
            (GLOBAL_ENDPOINT_ENV, "http://global:2"),
        ]);
        assert_eq!(
            resolve_endpoint_with(Some("http://cli:3"), &env),
            ("http://cli:3".into(), false)
        );
        assert_eq!(
            resolve_endpoint_with(None, &env),
            ("http://service:1".into(), false)
        );
        let env = env_of(&[
            (ENDPOINT_ENV, " "),
            (GLOBAL_ENDPOINT_ENV, "http://global:2"),
        ]);
        assert_eq!(
            resolve_endpoint_with(None, &env),
            ("http://global:2".into(), false)
        );
    }

    #[test]
    fn default_endpoint_is_recognised() {
        assert_eq!(
            resolve_endpoint_with(None, env_of(&[])),
            (DEFAULT_ENDPOINT.into(), true)
        );
        let explicit = format!("{DEFAULT_ENDPOINT}/");
        assert!(resolve_endpoint_with(Some(&explicit), env_of(&[])).1);
    }

    #[test]
    fn variables_can_be_ignored() {
        let env = env_of(&[
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            (GLOBAL_ENDPOINT_ENV, "http://global:2"),
        ]);
        assert_eq!(
            resolve_endpoint_with(None, &env),
            (DEFAULT_ENDPOINT.into(), true)
        );
    }
}
