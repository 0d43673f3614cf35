//! Fault injection: a share of requests throttled or failed, and added latency, for tests and
//! demos of retries and spinners.

use std::time::Duration;

use rand::Rng;

use super::error::ServiceError;

/// What to inject; the default injects nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    /// Share of requests (0.0..=1.0) answered with `ThrottlingException`.
    pub throttle_rate: f64,
    /// Share of requests (0.0..=1.0) answered with `InternalServerException`.
    pub error_rate: f64,
    /// Added to every request before it is answered.
    pub latency: Duration,
}

impl Faults {
    /// Checks the rates are shares, naming the flag that is wrong.
    pub fn check(&self) -> Result<(), String> {
        for (flag, rate) in [
            ("--fault-throttle-rate", self.throttle_rate),
            ("--fault-error-rate", self.error_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{flag} must be between 0 and 1, got {rate}"));
            }
        }
        Ok(())
    }

    /// The injected failure for one request, if this request draws one.
    pub fn draw(&self) -> Option<ServiceError> {
        let mut rng = rand::rng();
        if self.throttle_rate > 0.0 && rng.random_bool(self.throttle_rate) {
            return Some(ServiceError::Throttling(
                "Rate exceeded (injected by --fault-throttle-rate)".into(),
            ));
        }
        if self.error_rate > 0.0 && rng.random_bool(self.error_rate) {
            return Some(ServiceError::InternalServer(
                "Internal error (injected by --fault-error-rate)".into(),
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_of_zero_and_one_are_never_and_always() {
        let none = Faults::default();
        assert!((0..1000).all(|_| none.draw().is_none()));
        let throttle = Faults {
            throttle_rate: 1.0,
            ..Faults::default()
        };
        assert!(matches!(throttle.draw(), Some(ServiceError::Throttling(_))));
        let error = Faults {
            error_rate: 1.0,
            ..Faults::default()
        };
        assert!(matches!(
            error.draw(),
            Some(ServiceError::InternalServer(_))
        ));
    }

    #[test]
    fn rates_outside_zero_to_one_are_refused() {
        let bad = Faults {
            error_rate: 1.5,
            ..Faults::default()
        };
        assert!(bad.check().unwrap_err().contains("--fault-error-rate"));
        assert!(Faults::default().check().is_ok());
    }
}
